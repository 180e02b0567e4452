"""The chapter's tables from a release of the survey alone, for analysts and tests.

Each function here declares the whole chapter (:class:`SurveyRelease`) to a release of
its own, protects it, and returns one of its tables: :func:`compare_to_overall`,
:func:`trend_table`, :func:`wres_survey_indicators`, :func:`wdes_survey_metrics` and
:func:`wdes_engagement_metric`. The chapter's notebook declares the survey with the
report's other tables instead.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from edi_analysis.disclosure import Release, SuppressionPolicy
from edi_analysis.staff_survey.groups import classify_disability, classify_ethnicity
from edi_analysis.staff_survey.publication import SurveyRelease
from edi_analysis.staff_survey.results import OVERALL

__all__ = [
    "compare_to_overall",
    "trend_table",
    "wdes_engagement_metric",
    "wdes_survey_metrics",
    "wres_survey_indicators",
]


def _standalone(results: pd.DataFrame, threshold: float = 3.0, *,
                run_policy: str | SuppressionPolicy = "standard", **options: object
                ) -> SurveyRelease:
    """A protected release of the survey chapter alone (for the functions below)."""
    release = Release(run_policy, label="staff_survey")
    survey = SurveyRelease(release, results, threshold, **options)
    release.protect()
    return survey


def compare_to_overall(
    results: pd.DataFrame,
    threshold: float = 3.0,
    *,
    min_responses: int | None = 10,
    policy: str | SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    nesting: pd.DataFrame | None = None,
    run_policy: str | SuppressionPolicy = "standard",
) -> pd.DataFrame:
    """Compare every subgroup with its organisation: difference, RAG rating, interval, test.

    A shortcut for :meth:`SurveyRelease.comparison` on a release of the survey chapter
    alone (every table of the chapter declared, then protected), for analysts and
    tests. The chapter's notebook declares the survey with the report's other tables
    instead.

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results (``year``, ``question``, ``breakdown``, ``subgroup``,
        ``n_respondents``, ``pct_positive`` as a percentage 0-100, blank if suppressed at
        source), with an ``Overall`` row for every year and question.
    threshold : float, default 3.0
        Percentage points of difference rated Green/Red ("points", not relative %).
    min_responses : int or None, default 10
        Subgroups with fewer respondents are suppressed. None uses the policy's own
        threshold (``"national_survey"``: 11).
    policy : str or SuppressionPolicy, default "staff_survey"
        The survey rule (:func:`survey_policy`).
    confidence : float, default 0.95
        Level of the Wilson interval, the Newcombe interval of the difference from the
        rest of the organisation, and of the test (significance level 1 - confidence).
    catalogue : DataFrame, optional
        Question catalogue (default :func:`load_catalogue`).
    nesting : DataFrame, optional
        Breakdowns whose subgroups lie within another breakdown's (e.g. Directorate
        within Division; :func:`nesting_table`, the ``survey_nesting`` input, or
        :func:`nesting_from_responses`).
    run_policy : str or SuppressionPolicy, default "standard"
        The report's policy (protection level, strict survey option).

    Returns
    -------
    DataFrame
        As :meth:`SurveyRelease.comparison`.

    Raises
    ------
    InputError
        If columns are missing, counts or % are invalid, rows are duplicated, an
        Overall row is missing, or nested subgroups add up to more than their parent.
    ValueError
        If ``threshold``, ``min_responses``, ``policy`` or ``confidence`` is invalid.

    Warns
    -----
    UserWarning
        Questions not in the catalogue are ignored (national result files hold many more
        questions than the chapter reports), naming them.

    Notes
    -----
    Rating: see :func:`rag_rating` (direction-aware; exactly ``threshold`` points counts),
    on the published (one-decimal) percentages. Disclosure control: see
    :class:`SurveyRelease`. Numbers positive are reconstructed from the published % as
    ``round(pct / 100 * n)`` (exact when n < 1000). The rest of the organisation is
    Overall minus the subgroup (``N - n`` respondents, ``X - x`` positive). The interval
    for the subgroup % is Wilson's score interval; the difference from the rest has
    Newcombe's hybrid score interval and a test
    (:func:`edi_analysis.stats.two_proportion_test` with ``method="auto"``: pooled z test,
    Fisher's exact test where an expected count is below 5); a rating is *reliable* when
    it is Red or Green and ``p < 1 - confidence``.

    References
    ----------
    .. [1] Newcombe RG (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. *Stat Med* 17:873-890.
    .. [2] NHS Staff Survey Coordination Centre. *Technical guide*: results are not
       reported for groups of fewer than 11 respondents.
    """
    return _standalone(results, threshold, min_responses=min_responses, policy=policy,
                       confidence=confidence, catalogue=catalogue, nesting=nesting,
                       run_policy=run_policy).comparison()


def trend_table(
    results: pd.DataFrame,
    *,
    include_subgroups: bool = True,
    min_responses: int | None = 10,
    policy: str | SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    nesting: pd.DataFrame | None = None,
    run_policy: str | SuppressionPolicy = "standard",
) -> pd.DataFrame:
    """Percentages per question across the survey years supplied, with the change.

    A shortcut for :meth:`SurveyRelease.trends` (see :func:`compare_to_overall`).

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results as for :func:`compare_to_overall`.
    include_subgroups : bool, default True
        Also trend each subgroup (its % is blank in years where it is suppressed).
    min_responses, policy, confidence, catalogue, nesting, run_policy
        As for :func:`compare_to_overall`.

    Returns
    -------
    DataFrame
        As :meth:`SurveyRelease.trends` (Overall rows only without subgroups).

    Raises
    ------
    InputError, ValueError
        As for :func:`compare_to_overall`.

    Notes
    -----
    Changes are computed only between published (unsuppressed) figures.
    """
    out = _standalone(results, min_responses=min_responses, policy=policy,
                      confidence=confidence, catalogue=catalogue, nesting=nesting,
                      run_policy=run_policy).trends()
    if not include_subgroups:
        out = out[out["breakdown"] == OVERALL].reset_index(drop=True)
    return out


def wres_survey_indicators(
    results: pd.DataFrame,
    *,
    breakdown: str = "Ethnicity",
    classify: Callable[[str], str | None] = classify_ethnicity,
    min_responses: int | None = 10,
    policy: str | SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    nesting: pd.DataFrame | None = None,
    run_policy: str | SuppressionPolicy = "standard",
) -> pd.DataFrame:
    """WRES indicators 5-8 (survey-based) for White and BME staff, per year.

    A shortcut for :meth:`SurveyRelease.wres` (see :func:`compare_to_overall`).

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results including the ``breakdown`` (default "Ethnicity").
        Indicator 6 needs the combined measure ``q14bc`` (managers *or* colleagues), as
        supplied with the survey's WRES results by the survey contractor or made by
        :func:`aggregate_responses` from respondent-level data. It cannot be derived
        from aggregated q14b and q14c (the same respondents can answer both, so the
        combined % lies anywhere between the larger of the two and their sum); without
        it indicator 6 is reported as not available, never estimated.
    breakdown : str, default "Ethnicity"
    classify : callable, default :func:`classify_ethnicity`
        Maps a subgroup label to "White", "BME" or None (excluded).
    min_responses, policy, confidence, catalogue, nesting, run_policy
        As for :func:`compare_to_overall`.

    Returns
    -------
    DataFrame
        As :meth:`SurveyRelease.wres`.

    Raises
    ------
    InputError, ValueError
        As for :func:`compare_to_overall`.

    Notes
    -----
    BME subgroups are combined by adding their respondents and positive answers, i.e.
    the n-weighted mean %. The BME group is one cell of the disclosure model (the union
    of its ethnic groups), so it is hidden only when it is small itself or when showing
    it would let a hidden group be worked out and no cheaper figure can be hidden
    instead. Groups suppressed at source cannot be included (noted).

    References
    ----------
    .. [1] NHS England. *NHS Workforce Race Equality Standard: technical guidance*
       (indicators 5-8 from the NHS Staff Survey).
    """
    return _standalone(results, min_responses=min_responses, policy=policy,
                       confidence=confidence, catalogue=catalogue, nesting=nesting,
                       wres_breakdown=breakdown, wres_classify=classify,
                       run_policy=run_policy).wres()


def wdes_survey_metrics(
    results: pd.DataFrame,
    *,
    breakdown: str = "Disability",
    classify: Callable[[str], str | None] = classify_disability,
    min_responses: int | None = 10,
    policy: str | SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    nesting: pd.DataFrame | None = None,
    run_policy: str | SuppressionPolicy = "standard",
) -> pd.DataFrame:
    """WDES survey-based metrics 4a(i)-(iii), 4b, 5, 6, 7 and 8: disabled vs non-disabled.

    A shortcut for :meth:`SurveyRelease.wdes` (see :func:`compare_to_overall`).

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results including the ``breakdown`` (default "Disability").
    breakdown : str, default "Disability"
    classify : callable, default :func:`classify_disability`
    min_responses, policy, confidence, catalogue, nesting, run_policy
        As for :func:`compare_to_overall`.

    Returns
    -------
    DataFrame
        As :meth:`SurveyRelease.wdes`: prefixes ``disabled_`` and ``non_disabled_``;
        ``difference_pts`` is disabled minus non-disabled. Metric 8 (reasonable
        adjustments) is reported for disabled staff only.

    Raises
    ------
    InputError, ValueError
        As for :func:`compare_to_overall`.

    Notes
    -----
    Metric 9a (staff engagement score, 0-10) is a score, not a %: see
    :func:`wdes_engagement_metric`. Metric 4a is harassment, bullying or abuse by source
    (i patients/public q14a, ii managers q14b, iii other colleagues q14c) and 4b its
    reporting (q14d), numbered as in NHS England's WDES metrics.

    References
    ----------
    .. [1] NHS England. *NHS Workforce Disability Equality Standard: technical guidance*
       (metrics 4-9 from the NHS Staff Survey).
    """
    return _standalone(results, min_responses=min_responses, policy=policy,
                       confidence=confidence, catalogue=catalogue, nesting=nesting,
                       wdes_breakdown=breakdown, wdes_classify=classify,
                       run_policy=run_policy).wdes()


def wdes_engagement_metric(
    results: pd.DataFrame,
    *,
    breakdown: str = "Disability",
    classify: Callable[[str], str | None] = classify_disability,
    min_responses: int | None = 10,
    policy: str | SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    run_policy: str | SuppressionPolicy = "standard",
) -> pd.DataFrame:
    """WDES metric 9a: staff engagement score (0-10), disabled vs non-disabled staff.

    A shortcut for :meth:`SurveyRelease.engagement` (see :func:`compare_to_overall`).

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results (``year``, ``question``, ``breakdown``, ``subgroup``,
        ``n_respondents``, ``pct_positive``). The engagement score is a row with the
        catalogue's score code (``engagement``, ``measure="score"``, WDES metric 9a)
        whose value 0-10 is in ``score`` when that column is present, else in
        ``pct_positive``; an optional ``score_sd`` gives the standard deviation of the
        respondents' scores in the subgroup.
    breakdown : str, default "Disability"
    classify : callable, default :func:`classify_disability`
    min_responses, policy, confidence, catalogue, run_policy
        As for :func:`compare_to_overall`.

    Returns
    -------
    DataFrame
        As :meth:`SurveyRelease.engagement`.

    Raises
    ------
    InputError
        If a score is outside 0-10, an SD is negative, or a count is invalid.
    ValueError
        For invalid ``min_responses``, ``policy`` or ``confidence``.

    Notes
    -----
    The number of respondents of each group is a cell of the disclosure model (the
    respondents of the engagement score in that year); a group's score is shown only
    when its number of respondents is. With SDs, the interval of each mean is
    ``mean ± t(n-1) * sd / sqrt(n)`` and the difference has Welch's interval and test
    (Welch-Satterthwaite degrees of freedom); scores are means of several items, so for
    groups of 10 or more the t approximation is adequate. Without an SD only the point
    difference is reported (no interval can be computed from means and counts alone).

    References
    ----------
    .. [1] NHS England (2023). *NHS Workforce Disability Equality Standard 2023: Metrics*
       (metric 9a: staff engagement score for disabled staff compared with non-disabled
       staff and the overall engagement score for the organisation).
    .. [2] Welch BL (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika* 34:28-35.
    """
    return _standalone(results, min_responses=min_responses, policy=policy,
                       confidence=confidence, catalogue=catalogue, wdes_breakdown=breakdown,
                       wdes_classify=classify, run_policy=run_policy).engagement()
