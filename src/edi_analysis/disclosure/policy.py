"""Disclosure-control policies: what is hidden, what a published symbol means, how precise.

A policy is the printed rule of a report. It says which counts are too small to show
(*primary* suppression), how shown counts are rounded, which symbol a hidden count
carries and therefore what a reader knows about it, how much uncertainty a hidden
count must keep (the *protection level*), how many decimals a published percentage,
rate or ratio has, and the NHS Staff Survey rules for survey groups.

The reader's knowledge that follows from a policy (``docs/DISCLOSURE.md``):

* a shown count is exact, or, under a rounding policy, within half a rounding base of
  the shown multiple (``nhs_digital``: a shown 10 is 8 to 12, since 1 to 7 are hidden);
* the primary symbol states an interval ("<5" is 1 to 4; ``nhs_digital``'s "*" is 1 to 7
  or a further hidden count, because both carry the same symbol);
* a complementary symbol that differs from the primary one ("*" under ``standard``)
  says the count is *not* small: at least ``min_count``;
* counts are whole numbers, never negative.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "KIND_DECIMALS",
    "POLICIES",
    "SuppressionPolicy",
    "get_policy",
]


@dataclass(frozen=True)
class SuppressionPolicy:
    """A disclosure-control rule.

    Attributes
    ----------
    name : str
        Short name (the key in :data:`POLICIES` for presets).
    min_count : int or None
        Smallest non-zero count that may be shown (5 under ``standard``). None for a
        purely share-based rule. Kept consistent with ``max_suppressed``.
    max_suppressed : int or None
        Largest count that is hidden, ``min_count - 1`` (4 under ``standard``).
    rounding_base : int or None
        When set (5 under ``nhs_digital``) every shown count, totals included, is
        rounded half up to the nearest multiple, and every derived figure (share,
        rate, change) is computed from the rounded counts.
    suppress_zeros : bool
        Hide zeros as well (normally zeros are shown: a zero reveals nobody).
    min_share : float or None
        When set (0.05 under ``under_5_percent``) a non-zero cell whose share of its
        column total is below it is hidden.
    symbol : str
        What a primarily suppressed cell shows ("<5", "*", "Under 5%").
    secondary_symbol : str or None
        What a cell hidden only to protect another shows (None: same as ``symbol``).
        It must differ from ``symbol`` when the symbol states a fact ("<5" on a
        hidden 40 would be false).
    wide_symbol : str or None
        A truthful wider range a small count may show instead of ``symbol`` where
        that protects it ("<10" under ``standard``: a reader then knows only 1 to 9),
        chosen by the optimiser when it is cheaper than hiding another cell. None: never.
    key_text : str
        The sentence printed under every table published with this policy.
    secondary : bool
        Apply secondary (complementary) suppression (default True).
    protection_level : int
        How far, in people, a reader's best bounds on a hidden small count (or on a
        small group derived from published figures) must stay from its true value on
        each side, within what its symbol allows: with 1, a hidden 3 shown "<5" must
        remain possibly 2 and possibly 4, and a hidden 1 possibly 2. 0 would accept
        any interval that is not a single value. This is the upper and lower
        protection level of tau-ARGUS and sdcTable, in counts.
    percent_decimals : int
        Decimal places of every published percentage (and percentage point
        difference); proportions 0-1 carry ``percent_decimals + 2``.
    rate_decimals : int
        Decimal places of published rates (per 1,000 and similar).
    ratio_decimals : int
        Decimal places of published ratios (rate ratios, relative likelihoods).
    survey_min_respondents : int
        NHS Staff Survey rule: results of a group with fewer respondents are hidden
        (10; the national benchmark reports use 11).
    survey_strict : bool
        The stricter survey option: also hide a shown group's result when it reveals
        between 1 and ``max_suppressed`` people answering one way (e.g. 2 of 12).
    protect_non_respondents : bool
        Treat respondents who skipped a demographic question as a published group to
        protect. Off by default, as in the NHS Staff Survey's breakdown reports, which
        publish the groups of those who answered and do not report the others.
    """

    name: str
    min_count: int | None = 5
    max_suppressed: int | None = None
    rounding_base: int | None = None
    suppress_zeros: bool = False
    min_share: float | None = None
    symbol: str = "<5"
    key_text: str = ""
    secondary: bool = True
    secondary_symbol: str | None = None
    wide_symbol: str | None = None
    protection_level: int = 1
    percent_decimals: int = 1
    rate_decimals: int = 1
    ratio_decimals: int = 2
    survey_min_respondents: int = 10
    survey_strict: bool = False
    protect_non_respondents: bool = False

    @property
    def complement_symbol(self) -> str:
        """Symbol shown in a cell hidden by secondary suppression."""
        return self.secondary_symbol if self.secondary_symbol is not None else self.symbol

    def __post_init__(self) -> None:
        lo, hi = self.min_count, self.max_suppressed
        for label, v in (("min_count", lo), ("max_suppressed", hi),
                         ("rounding_base", self.rounding_base)):
            if v is not None and (isinstance(v, bool) or int(v) != v or v < 0):
                raise ValueError(f"{label} must be a non-negative whole number or None, got {v!r}.")
        if lo is not None and hi is not None and hi != lo - 1:
            raise ValueError(
                f"Policy {self.name!r}: max_suppressed ({hi}) must be min_count - 1 ({lo - 1})."
            )
        if hi is None and lo is not None:
            object.__setattr__(self, "max_suppressed", max(int(lo) - 1, 0))
        if lo is None and hi is not None:
            object.__setattr__(self, "min_count", int(hi) + 1)
        if self.rounding_base is not None and self.rounding_base < 1:
            raise ValueError(f"rounding_base must be at least 1, got {self.rounding_base!r}.")
        if self.min_share is not None and not 0 < self.min_share < 1:
            raise ValueError(f"min_share must be between 0 and 1, got {self.min_share!r}.")
        if self.min_count is None and self.min_share is None and not self.suppress_zeros:
            raise ValueError(
                f"Policy {self.name!r} hides nothing: set min_count, min_share or suppress_zeros."
            )
        for label in ("protection_level", "percent_decimals", "rate_decimals",
                      "ratio_decimals", "survey_min_respondents"):
            v = getattr(self, label)
            if isinstance(v, bool) or int(v) != v or v < 0:
                raise ValueError(f"{label} must be a whole number 0 or more, got {v!r}.")

    # ---------------------------------------------------------------- primary rule
    def is_small_count(self, values: np.ndarray) -> np.ndarray:
        """True where a count is disclosive by the count rule (1..max_suppressed, or 0)."""
        values = np.asarray(values, dtype=float)
        small = np.zeros(values.shape, dtype=bool)
        if self.max_suppressed:
            small |= (values > 0) & (values <= self.max_suppressed)
        if self.suppress_zeros:
            small |= values == 0
        return small

    def is_small_share(self, values: np.ndarray, totals: np.ndarray) -> np.ndarray:
        """True where a non-zero count is below ``min_share`` of its total."""
        values = np.asarray(values, dtype=float)
        totals = np.asarray(totals, dtype=float)
        if self.min_share is None:
            return np.zeros(np.broadcast(values, totals).shape, dtype=bool)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(totals > 0, values / np.where(totals > 0, totals, 1), np.nan)
        return (values > 0) & (share < self.min_share)

    def round_counts(self, values):
        """Round counts half up to the nearest ``rounding_base`` (unchanged when None)."""
        if self.rounding_base is None:
            return values
        base = float(self.rounding_base)
        return np.floor(np.asarray(values, dtype=float) / base + 0.5) * base \
            if not isinstance(values, pd.DataFrame | pd.Series) \
            else np.floor(values / base + 0.5) * base

    # ---------------------------------------------------------------- reader's knowledge
    def shown_interval(self, shown: float) -> tuple[float, float]:
        """What a reader knows of a count shown as ``shown``.

        Exact without rounding. With a rounding base ``b``, half-up rounding puts the
        count in ``[shown - b/2, shown + b/2)``: whole numbers ``shown - floor(b/2)`` to
        ``shown + ceil(b/2) - 1`` (8 to 12 for a shown 10, base 5). A shown 0 is exact.
        """
        if self.rounding_base is None or shown == 0:
            return float(shown), float(shown)
        b = self.rounding_base
        lo = shown - math.floor(b / 2)
        hi = shown + math.ceil(b / 2) - 1
        if self.max_suppressed:
            lo = max(lo, self.max_suppressed + 1)
        return float(max(lo, 0)), float(hi)

    def symbol_interval(self, symbol: str, upper: float = math.inf) -> tuple[float, float]:
        """What a reader knows of a hidden count from its symbol.

        Parameters
        ----------
        symbol : str
            The symbol printed in the cell.
        upper : float, default inf
            The largest the count could be (e.g. the population size); used for
            symbols that state no upper bound.

        Returns
        -------
        (float, float)
            Lowest and highest possible value. The primary symbol of a count rule
            means 1 to ``max_suppressed`` (0 too when zeros are hidden); a
            complementary symbol that differs from the primary one means at least
            ``min_count`` (it is only ever put on counts that are not small); a
            symbol shared by both means either; a range symbol "<k" means 1 to k-1.
        """
        zero = 0.0 if self.suppress_zeros else 1.0
        if symbol.startswith("<") and symbol[1:].strip().isdigit():
            return zero, float(int(symbol[1:].strip()) - 1)
        small_hi = float(self.max_suppressed) if self.max_suppressed else upper
        if self.min_count is None:  # share rule: no count interval
            return zero, upper
        if symbol == self.symbol and symbol == self.complement_symbol:
            return zero, upper
        if symbol == self.symbol:
            return zero, small_hi
        if symbol == self.complement_symbol:
            return float(self.min_count), upper
        raise ValueError(f"Symbol {symbol!r} is not one of policy {self.name!r}'s symbols.")

    def decimals_for(self, kind: str) -> int:
        """Published decimal places of a figure of the given kind.

        Kinds: ``percent`` (0-100, and percentage points), ``proportion`` (0-1),
        ``rate`` (per 1,000 and similar), ``ratio``, ``p_value`` (3), ``score`` (a
        mean score, 2), ``money`` (pounds, 2), ``integer``, ``count`` and
        ``percent_whole`` (a percentage published to whole numbers) (0).
        """
        if kind == "percent":
            return self.percent_decimals
        if kind == "proportion":
            return self.percent_decimals + 2
        if kind == "rate":
            return self.rate_decimals
        if kind == "ratio":
            return self.ratio_decimals
        if kind in KIND_DECIMALS:
            return KIND_DECIMALS[kind]
        raise ValueError(f"Unknown kind {kind!r}: one of percent, proportion, rate, ratio, "
                         f"{', '.join(KIND_DECIMALS)}.")


#: Decimal places of the published figure kinds that no policy field sets.
KIND_DECIMALS: dict[str, int] = {"p_value": 3, "score": 2, "money": 2, "integer": 0, "count": 0,
                                 "percent_whole": 0}

POLICIES: dict[str, SuppressionPolicy] = {
    "standard": SuppressionPolicy(
        name="standard",
        min_count=5,
        symbol="<5",
        secondary_symbol="*",
        wide_symbol="<10",
        key_text=(
            "Counts of 1 to 4 are shown as <5 (or <10 where that protects them better); * "
            "marks a further count (5 or more) hidden so that a small count cannot be "
            "worked out from other published figures."
        ),
    ),
    "nhs_digital": SuppressionPolicy(
        name="nhs_digital",
        min_count=8,
        rounding_base=5,
        symbol="*",
        key_text=(
            "Counts of 1 to 7 are shown as *, other counts are rounded to the nearest 5 "
            "and percentages are calculated from the rounded counts; other cells are "
            "hidden (*) where they would let a reader work out a hidden one."
        ),
    ),
    "under_5_percent": SuppressionPolicy(
        name="under_5_percent",
        min_count=None,
        min_share=0.05,
        symbol="Under 5%",
        secondary_symbol="*",
        key_text=(
            "Groups making up less than 5% of a column are shown as 'Under 5%' because "
            "they could identify staff; * marks a further figure hidden so that an "
            "'Under 5%' cannot be worked out from the totals; 0% means nobody."
        ),
    ),
    "staff_survey": SuppressionPolicy(
        name="staff_survey",
        min_count=10,
        symbol="*",
        survey_min_respondents=10,
        key_text=(
            "* fewer than 10 responses: results are not shown, and neither are those of "
            "another group where they would let a reader work out the hidden one."
        ),
    ),
    "national_survey": SuppressionPolicy(
        name="national_survey",
        min_count=11,
        symbol="*",
        survey_min_respondents=11,
        key_text=(
            "* fewer than 11 responses: results are not shown, and neither are those of "
            "another group where they would let a reader work out the hidden one."
        ),
    ),
}


def get_policy(
    name_or_policy: str | SuppressionPolicy = "standard", **overrides: object
) -> SuppressionPolicy:
    """Return a preset (or given) policy, optionally with some fields replaced.

    Parameters
    ----------
    name_or_policy : str or SuppressionPolicy, default "standard"
        A key of :data:`POLICIES` (case-insensitive) or a policy object.
    **overrides
        Fields of :class:`SuppressionPolicy` to replace, e.g. ``min_count=10``. When
        only one of ``min_count``/``max_suppressed`` is given the other is re-derived.

    Returns
    -------
    SuppressionPolicy

    Raises
    ------
    ValueError
        For an unknown policy name or field, or an invalid combination of values.
    """
    if isinstance(name_or_policy, SuppressionPolicy):
        policy = name_or_policy
    elif isinstance(name_or_policy, str):
        key = name_or_policy.strip().lower()
        if key not in POLICIES:
            raise ValueError(
                f"Unknown suppression policy {name_or_policy!r}; choose one of "
                f"{', '.join(sorted(POLICIES))}, or pass a SuppressionPolicy."
            )
        policy = POLICIES[key]
    else:
        raise ValueError(
            f"suppression policy must be a name or SuppressionPolicy, got {name_or_policy!r}."
        )
    if not overrides:
        return policy
    names = {f.name for f in dataclasses.fields(SuppressionPolicy)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ValueError(f"Unknown policy field(s) {unknown}; valid fields: {sorted(names)}.")
    changes = dict(overrides)
    if "min_count" in changes and "max_suppressed" not in changes:
        changes["max_suppressed"] = None
    if "max_suppressed" in changes and "min_count" not in changes:
        changes["min_count"] = None
    return dataclasses.replace(policy, **changes)
