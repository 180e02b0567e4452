"""The chapter's two rules: the RAG rating of differences and the survey's disclosure rule.

:func:`rag_rating` rates a subgroup's difference from its organisation Green, Amber or
Red by a threshold in percentage points; :func:`survey_policy` and
:func:`suppression_threshold` give the rule under which a survey group is too small to
publish. The private checks of the run's threshold and confidence level live here too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from edi_analysis.disclosure import SuppressionPolicy, get_policy

__all__ = ["rag_rating", "suppression_threshold", "survey_policy"]


_TOL_DECIMALS = 10


def _check_threshold(threshold: float) -> float:
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        raise ValueError(
            f"threshold must be a positive number of points, got {threshold!r}.") from None
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"threshold must be a positive number of points, got {threshold!r}.")
    return value


# --------------------------------------------------------------------------------------
# rating
# --------------------------------------------------------------------------------------
def rag_rating(
    difference_pts: float | Sequence[float] | np.ndarray | pd.Series,
    higher_is_better: bool | Sequence[bool] | np.ndarray | pd.Series,
    threshold: float = 3.0,
) -> np.ndarray:
    """Rate subgroup-minus-organisation differences Green, Amber or Red.

    Parameters
    ----------
    difference_pts : array-like of float
        Subgroup % minus organisation % in percentage points (NaN for no rating).
    higher_is_better : bool or array-like of bool
        The question's direction (catalogue ``higher_is_better``).
    threshold : float, default 3.0
        Points of difference that count as better or worse.

    Returns
    -------
    ndarray of object
        "Green" (at least ``threshold`` points better), "Red" (at least ``threshold``
        points worse), "Amber" (within ``threshold``) or None where the difference is NaN.

    Raises
    ------
    ValueError
        If ``threshold`` is not a positive number.

    Notes
    -----
    "Better" is the difference when a higher % is better and minus the difference when a
    higher % is worse (e.g. "experienced harassment at least once"). The boundary counts:
    a difference of exactly ``threshold`` points is Green or Red. The difference is
    rounded to 10 decimal places before comparing, so inputs given to one decimal (75.3
    vs 72.3, whose float difference is 2.99999999999999) rate as intended.
    """
    threshold = round(_check_threshold(threshold), _TOL_DECIMALS)
    diff = np.atleast_1d(np.asarray(difference_pts, dtype=float))
    hib = np.broadcast_to(np.atleast_1d(np.asarray(higher_is_better, dtype=bool)), diff.shape)
    better = np.round(np.where(hib, diff, -diff), _TOL_DECIMALS)
    rating = np.select(
        [np.isnan(better), better >= threshold, better <= -threshold],
        [None, "Green", "Red"],
        default="Amber",
    ).astype(object)
    rating[np.isnan(better)] = None
    return rating


# --------------------------------------------------------------------------------------
# the survey's disclosure rule
# --------------------------------------------------------------------------------------
def survey_policy(
    policy: str | SuppressionPolicy = "staff_survey",
    min_responses: int | None = 10,
    run_policy: str | SuppressionPolicy | None = None,
) -> SuppressionPolicy:
    """The disclosure rule of survey groups: the survey's threshold, the run's protection.

    Parameters
    ----------
    policy : str or SuppressionPolicy, default "staff_survey"
        The survey rule (``"staff_survey"``: groups under 10 hidden; ``"national_survey"``:
        under 11).
    min_responses : int or None, default 10
        Overrides the rule's threshold; None keeps it.
    run_policy : str or SuppressionPolicy, optional
        The report's policy: its ``protection_level`` is used, and its
        ``survey_strict`` and ``protect_non_respondents`` flags apply too.

    Returns
    -------
    SuppressionPolicy
        Counts of respondents from 1 to ``min_responses - 1`` are hidden ("*").

    Raises
    ------
    ValueError
        For an unknown policy or a ``min_responses`` that is not a whole number >= 1.
    """
    base = get_policy(policy)
    changes: dict[str, object] = {}
    if min_responses is not None:
        if isinstance(min_responses, bool) or int(min_responses) != min_responses \
                or min_responses < 1:
            raise ValueError(f"min_responses must be a whole number of at least 1, got "
                             f"{min_responses!r}.")
        changes.update(min_count=int(min_responses), survey_min_respondents=int(min_responses))
    if run_policy is not None:
        run = get_policy(run_policy)
        changes.update(protection_level=run.protection_level,
                       survey_strict=base.survey_strict or run.survey_strict,
                       protect_non_respondents=(base.protect_non_respondents
                                                or run.protect_non_respondents))
    return get_policy(base, **changes) if changes else base


def suppression_threshold(policy: str | SuppressionPolicy = "staff_survey",
                          min_responses: int | None = 10) -> int:
    """Smallest number of responses whose result is published.

    Parameters
    ----------
    policy : str or SuppressionPolicy, default "staff_survey"
    min_responses : int or None, default 10
        Overrides the policy's threshold; None keeps it (``national_survey``: 11).

    Returns
    -------
    int

    Raises
    ------
    ValueError
        For an unknown policy or a ``min_responses`` that is not a whole number >= 1.
    """
    return int(survey_policy(policy, min_responses).min_count or 1)


def _check_confidence(confidence: float) -> float:
    try:
        value = float(confidence)
    except (TypeError, ValueError):
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}.") from None
    if not 0 < value < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}.")
    return value
