"""A general engine for count-based indicators by group (service and outcome inequalities).

Give it records (one row per person or event, with a numerator flag and a denominator
flag or weight) or pre-aggregated counts, plus the columns to group by, and it returns
one tidy frame: counts, value, confidence interval, the comparison with the overall
value, the ratio to a reference group with its interval, and disclosure control applied.
Maternity outcomes (:mod:`edi_analysis.maternity`) are definitions on top of it; so are
service indicators such as Talking Therapies recovery by place and deprivation, read
from the ``service_activity`` input (:func:`service_section`;
:func:`edi_analysis.demo.demo_service_activity` makes a SYNTHETIC example).

Every interval, ratio and inequality index comes from :mod:`edi_analysis.stats`; every
small-number rule from :mod:`edi_analysis.suppression`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from edi_analysis import stats, suppression
from edi_analysis.errors import InputError, InputProblem

__all__ = [
    "COMPARISON_LABELS",
    "NO_SERVICE_DATA",
    "OVERALL_LABEL",
    "ServiceSection",
    "UNKNOWN_LABEL",
    "change_between_periods",
    "describe_change",
    "describe_gradient",
    "describe_groups",
    "describe_service",
    "indicator_by_group",
    "inequality_gradient",
    "prepare_service_activity",
    "service_indicators",
    "service_section",
]

#: Label of the all-groups row added to every result.
OVERALL_LABEL = "All"
#: Label given to missing group values (kept as their own row, never dropped).
UNKNOWN_LABEL = "Not known"

#: Plain-English meaning of the ``comparison`` codes.
COMPARISON_LABELS: dict[str, str] = {
    "higher": "Significantly higher than overall",
    "lower": "Significantly lower than overall",
    "similar": "Not significantly different from overall",
    "not compared": "Not compared (suppressed or no denominator)",
    "overall": "Overall",
}

Measure = Literal["rate", "proportion"]

_SOURCE = "<DataFrame>"


# --------------------------------------------------------------------------------------
# validation and aggregation
# --------------------------------------------------------------------------------------
def _as_list(cols: str | Sequence[str] | None) -> list[str]:
    if cols is None:
        return []
    if isinstance(cols, str):
        return [cols]
    return list(cols)


def _check_arguments(
    data: object,
    numerator: str,
    denominator: str | None,
    by: list[str],
    within: list[str],
    measure: str,
    multiplier: float,
) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    if measure not in ("rate", "proportion"):
        raise ValueError(f"measure must be 'rate' or 'proportion', got {measure!r}.")
    try:
        ok = float(multiplier) > 0 and np.isfinite(float(multiplier))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"multiplier must be a positive number, got {multiplier!r}.")
    if not by:
        raise ValueError("by must name at least one group column.")
    overlap = set(by) & set(within)
    if overlap:
        raise ValueError(f"Columns {sorted(overlap)} are in both by and within.")
    needed = [numerator, *([denominator] if denominator else []), *by, *within]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise InputError(
            [InputProblem(_SOURCE, c, None, None, "this column to be present") for c in missing]
        )


def _count_column(data: pd.DataFrame, column: str) -> pd.Series:
    """Return a flag/weight/count column as floats, raising InputError on bad rows."""
    raw = data[column]
    if raw.dtype == bool:
        return raw.astype(float)
    values = pd.to_numeric(raw.astype("object").replace({True: 1, False: 0}), errors="coerce")
    bad = values.isna() | (values < 0) | ~np.isfinite(values.fillna(0))
    if bad.any():
        problems = [
            InputProblem(
                _SOURCE,
                column,
                int(pos) + 2,
                str(raw.iloc[pos]),
                "a non-negative number or a True/False flag",
            )
            for pos in np.flatnonzero(bad.to_numpy())
        ]
        raise InputError(problems)
    return values.astype(float)


def _group_values(col: pd.Series, unknown_label: str) -> pd.Series:
    """Missing or blank group values become ``unknown_label`` (kept, never dropped)."""
    out = col.astype("object")
    text = col.astype("string").str.strip()
    blank = col.isna().to_numpy() | (text == "").fillna(False).to_numpy(dtype=bool)
    return out.where(~blank, unknown_label)


def _sort_key(values: pd.Series, unknown_label: str, order: Sequence | None) -> pd.Series:
    """Sort groups in ``order`` (if given), else naturally; unknown and overall last."""
    if order is not None:
        pos = {v: i for i, v in enumerate(order)}
        return values.map(lambda v: pos.get(v, len(pos) + (v == unknown_label)))

    def key(v: object) -> tuple:
        if v == OVERALL_LABEL:
            return (3, "")
        if v == unknown_label:
            return (2, "")
        if isinstance(v, int | float | np.integer | np.floating):
            return (0, float(v))
        return (1, str(v))

    return values.map(key)


def _aggregate(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None,
    by: list[str],
    within: list[str],
    unknown_label: str,
    add_overall: bool,
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "numerator": _count_column(data, numerator),
            "denominator": (
                _count_column(data, denominator) if denominator else pd.Series(1.0, data.index)
            ),
        }
    )
    for col in [*within, *by]:
        frame[col] = _group_values(data[col], unknown_label)
    keys = [*within, *by]
    agg = frame.groupby(keys, dropna=False, sort=False)[["numerator", "denominator"]].sum()
    agg = agg.reset_index()
    agg["is_overall"] = False
    if add_overall:
        if within:
            tot = (
                frame.groupby(within, dropna=False, sort=False)[["numerator", "denominator"]]
                .sum()
                .reset_index()
            )
        else:
            tot = pd.DataFrame(
                {
                    "numerator": [frame["numerator"].sum()],
                    "denominator": [frame["denominator"].sum()],
                }
            )
        for col in by:
            tot[col] = OVERALL_LABEL
        tot["is_overall"] = True
        agg = pd.concat([agg, tot[agg.columns]], ignore_index=True)
    return agg


def _sorted(
    frame: pd.DataFrame, cols: list[str], unknown_label: str, orders: Mapping[str, Sequence] | None
) -> pd.DataFrame:
    orders = orders or {}
    keys = pd.DataFrame(
        {c: _sort_key(frame[c], unknown_label, orders.get(c)) for c in cols}, index=frame.index
    )
    idx = keys.sort_values(cols, kind="stable").index
    return frame.loc[idx].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# statistics (all from edi_analysis.stats)
# --------------------------------------------------------------------------------------
def _intervals(
    num: pd.Series,
    den: pd.Series,
    measure: str,
    multiplier: float,
    confidence: float,
    rate_method: str,
) -> pd.DataFrame:
    if measure == "rate":
        out = stats.rate_ci(
            num.to_numpy(),
            den.to_numpy(),
            multiplier=multiplier,
            confidence=confidence,
            method=rate_method,
        )
    else:
        out = stats.proportion_ci(num.to_numpy(), den.to_numpy(), confidence=confidence)
        out["multiplier"] = 1.0
    return out[["value", "lower", "upper", "confidence", "method", "multiplier"]].set_axis(
        num.index
    )


def _compare_with_overall(frame: pd.DataFrame, within: list[str]) -> pd.Series:
    """PHE/Fingertips convention: the group's interval against the overall *value*."""
    overall = frame.loc[frame["is_overall"], [*within, "value"]].rename(
        columns={"value": "_overall_value"}
    )
    if within:
        ref = frame[within].merge(overall, on=within, how="left")["_overall_value"]
        ref.index = frame.index
    else:
        ref = pd.Series(overall["_overall_value"].iloc[0], index=frame.index)
    result = pd.Series("similar", index=frame.index, dtype="object")
    result[frame["lower"] > ref] = "higher"
    result[frame["upper"] < ref] = "lower"
    result[frame["value"].isna() | ref.isna()] = "not compared"
    result[frame["is_overall"]] = "overall"
    return result


def _reference_rows(
    frame: pd.DataFrame,
    by: list[str],
    within: list[str],
    reference: Hashable | Mapping[str, Hashable] | None,
) -> tuple[pd.Series, pd.DataFrame | None]:
    """Flag reference rows and return, per row, the reference row's counts.

    ``reference`` names a value of the (single) group column, or maps some group
    columns to values; the other group columns and ``within`` are matched, so
    ``{"ethnic_group": "White"}`` with ``by=["ethnic_group", "imd_quintile"]`` compares
    each ethnic group with White people in the same quintile.
    """
    if reference is None:
        return pd.Series(False, index=frame.index), None
    if not isinstance(reference, Mapping):
        if len(by) != 1:
            raise ValueError(
                "With more than one group column, give reference as a mapping "
                "{column: value}, e.g. {'ethnic_group': 'White'}."
            )
        reference = {by[0]: reference}
    unknown = [c for c in reference if c not in by]
    if unknown:
        raise ValueError(f"reference names {unknown}, which are not group columns {by}.")
    is_ref = ~frame["is_overall"]
    for col, val in reference.items():
        matches = frame[col] == val
        if not matches.any():
            present = sorted(map(str, frame[col].unique()))
            raise ValueError(
                f"reference value {val!r} for column {col!r} is not in the data; found {present}."
            )
        is_ref &= matches
    match_on = [*within, *[c for c in by if c not in reference]]
    refs = frame.loc[is_ref, [*match_on, "numerator", "denominator"]].rename(
        columns={"numerator": "ref_numerator", "denominator": "ref_denominator"}
    )
    if match_on:
        merged = frame[match_on].merge(refs, on=match_on, how="left")
    else:
        merged = pd.DataFrame(
            {
                "ref_numerator": refs["ref_numerator"].iloc[0],
                "ref_denominator": refs["ref_denominator"].iloc[0],
            },
            index=range(len(frame)),
        )
    merged.index = frame.index
    return is_ref, merged[["ref_numerator", "ref_denominator"]]


def _ratios(
    frame: pd.DataFrame, refs: pd.DataFrame, measure: str, confidence: float
) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "ratio": np.nan,
            "ratio_lower": np.nan,
            "ratio_upper": np.nan,
            "ratio_method": pd.Series(pd.NA, index=frame.index, dtype="object"),
        },
        index=frame.index,
    )
    ok = refs["ref_denominator"].notna() & (~frame["is_overall"])
    if not ok.any():
        return out
    sub = frame.loc[ok]
    rr = _ratio(
        measure,
        sub["numerator"].to_numpy(),
        sub["denominator"].to_numpy(),
        refs.loc[ok, "ref_numerator"].to_numpy(),
        refs.loc[ok, "ref_denominator"].to_numpy(),
        confidence,
    )
    out.loc[ok, "ratio"] = rr["value"].to_numpy()
    out.loc[ok, "ratio_lower"] = rr["lower"].to_numpy()
    out.loc[ok, "ratio_upper"] = rr["upper"].to_numpy()
    out.loc[ok, "ratio_method"] = rr["method"].to_numpy()
    # The reference group against itself: ratio 1 by definition, no interval.
    is_self = (
        (frame["numerator"] == refs["ref_numerator"])
        & (frame["denominator"] == refs["ref_denominator"])
        & frame.get("is_reference", pd.Series(False, index=frame.index)).astype(bool)
    )
    out.loc[is_self, ["ratio_lower", "ratio_upper"]] = np.nan
    out.loc[is_self, "ratio"] = 1.0
    out.loc[is_self, "ratio_method"] = "reference"
    return out


def _ratio(measure: str, num_a, den_a, num_b, den_b, confidence: float) -> pd.DataFrame:
    """Rate ratio (rates) or ratio of proportions (proportions), a over b."""
    if measure == "rate":
        return stats.rate_ratio(num_a, den_a, num_b, den_b, confidence=confidence)
    return stats.relative_likelihood(num_a, den_a, num_b, den_b, confidence=confidence)


# --------------------------------------------------------------------------------------
# disclosure control (all from edi_analysis.suppression)
# --------------------------------------------------------------------------------------
def _published_counts(
    frame: pd.DataFrame, col: str, by: list[str], within: list[str], policy: str
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Published counts (NaN where hidden, rounded when the policy rounds), mask, symbols.

    Body cells (every group, the unknown group included) add up to the overall row; with
    one group column that is the only published total, with several the margins of each
    group column are published too (the single-column tables of the same report).
    """
    body = frame.loc[~frame["is_overall"], [*within, *by, col]].copy()
    dims = list(by)
    if len(by) == 1:
        body["_all"] = OVERALL_LABEL
        dims = ["_all"]
    res, totals = suppression.suppress_long(
        body,
        count_col=col,
        group_cols=within,
        total_by=dims,
        policy=policy,
        return_totals=True,
    )
    shown = pd.Series(np.nan, index=frame.index)
    hidden = pd.Series(False, index=frame.index)
    symbols = pd.Series("", index=frame.index, dtype="object")
    shown.loc[res.index] = res[col].to_numpy(dtype=float)
    hidden.loc[res.index] = res["suppressed"].to_numpy(dtype=bool)
    symbols.loc[res.index] = res["suppression_symbol"].to_numpy()
    grand = totals[totals["dimension"] == "(all)"]
    pol = suppression.get_policy(policy)
    overall = frame.loc[frame["is_overall"]]
    for idx, row in overall.iterrows():
        match = grand
        for c in within:
            match = match[match[c] == row[c]]
        is_hidden = (
            bool(match["suppressed"].any())
            if len(match)
            else bool(pol.is_small_count(np.array([row[col]]))[0])
        )
        hidden.loc[idx] = is_hidden
        shown.loc[idx] = np.nan if is_hidden else float(pol.round_counts(row[col]))
        small = bool(pol.is_small_count(np.array([row[col]]))[0])
        symbols.loc[idx] = "" if not is_hidden else (pol.symbol if small else pol.complement_symbol)
    return shown, hidden, symbols


def _display(values: pd.Series, hidden: pd.Series, symbol: str | pd.Series) -> pd.Series:
    text = values.map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
    return text.where(~hidden, symbol)


# --------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------
def indicator_by_group(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    by: str | Sequence[str] = (),
    measure: Measure = "rate",
    multiplier: float = 1000,
    reference: Hashable | Mapping[str, Hashable] | None = None,
    confidence: float = 0.95,
    suppression_policy: str | None = "standard",
    within: str | Sequence[str] | None = None,
    rate_method: Literal["byar", "exact"] = "byar",
    unknown_label: str = UNKNOWN_LABEL,
    order: Mapping[str, Sequence] | None = None,
) -> pd.DataFrame:
    """Count-based indicator (rate or proportion) by group, with intervals and comparisons.

    Parameters
    ----------
    data : DataFrame
        Either records (one row per person or event) or pre-aggregated counts. The
        engine sums ``numerator`` and ``denominator`` within each group, so both work.
    numerator : str
        Column holding the event flag (bool or 0/1) or event count.
    denominator : str, optional
        Column holding the denominator flag, weight or count. None counts every row
        (records where every row is in the denominator).
    by : str or sequence of str
        Group columns (e.g. ``"ethnic_group"`` or ``["ethnic_group", "imd_quintile"]``).
        Missing or blank values become ``unknown_label`` and are kept as their own row.
    measure : {"rate", "proportion"}, default "rate"
        ``"rate"``: events per ``multiplier`` of the denominator, interval by Byar's
        method (or exact Poisson, ``rate_method="exact"``). ``"proportion"``: value is
        a proportion 0-1 with the Wilson score interval; ``multiplier`` is ignored.
    multiplier : float, default 1000
        Rate per this many of the denominator (1000 = per 1,000 births).
    reference : value or mapping, optional
        Reference group for ratios: a value of the single group column (e.g.
        ``"White"``), or ``{column: value}`` for some of the group columns; the other
        group columns are matched, so with two group columns
        ``{"ethnic_group": "White"}`` compares with White people in the same quintile.
    confidence : float, default 0.95
        Two-sided confidence level of every interval.
    suppression_policy : str or None, default "standard"
        A :mod:`edi_analysis.suppression` policy, applied to numerators and
        denominators with complementary suppression against the published totals (the
        overall row). None skips disclosure control (internal use only: never publish).
    within : str or sequence of str, optional
        Strata computed separately, each with its own overall row and reference (e.g.
        ``"year"``).
    rate_method : {"byar", "exact"}, default "byar"
    unknown_label : str, default "Not known"
    order : mapping of column to sequence, optional
        Display order of group values (unknown and overall rows always come last).

    Returns
    -------
    DataFrame
        One row per ``within`` x group plus an overall row (group values
        ``"All"``) per stratum, with columns: the ``within`` and ``by`` columns,
        ``numerator``, ``denominator``, ``value`` (rate per ``multiplier`` or proportion
        0-1), ``lower``, ``upper``, ``confidence``, ``method``, ``multiplier``,
        ``measure``, ``is_overall``, ``comparison`` (``"higher"``, ``"lower"``,
        ``"similar"``, ``"not compared"``, ``"overall"``), ``is_reference``, ``ratio``,
        ``ratio_lower``, ``ratio_upper``, ``ratio_method``, ``suppressed``,
        ``numerator_display``, ``denominator_display``. Unrounded floats. Suppressed
        counts and every figure derived from them are missing; the ``*_display``
        columns carry the policy's symbol for a primary suppression ("<5") and its
        complementary symbol ("*") for a cell hidden to protect another. The
        ``is_reference`` rows have ratio 1 and no interval.

    Raises
    ------
    InputError
        If a column is missing or a count/flag is negative, missing or not a number.
    ValueError
        For bad arguments (unknown measure, non-positive multiplier, a reference value
        not in the data, a proportion's numerator above its denominator).

    Notes
    -----
    *Comparison with overall* follows the OHID/PHE Fingertips convention: a group is
    "significantly higher" when the lower limit of its interval is above the overall
    value, "significantly lower" when its upper limit is below it, and "similar"
    otherwise. The group is part of the overall, so this is a screening rule, not a
    formal test. *Ratios* to the reference group are rate ratios for rates and ratios
    of proportions (relative risks) for proportions, with the interval from
    :func:`edi_analysis.stats.rate_ratio`. Unknown groups are reported, never dropped,
    and are excluded from no total: the overall row is the sum of every record.

    References
    ----------
    .. [1] Public Health England (2018). *Technical Guide: Confidence intervals*, and
       *Technical Guide: Assessing the significance of differences* (Fingertips).
    .. [2] NHS England. *Core20PLUS5: an approach to reducing healthcare inequalities*.
    """
    by_cols = _as_list(by)
    within_cols = _as_list(within)
    _check_arguments(data, numerator, denominator, by_cols, within_cols, measure, multiplier)
    frame = _aggregate(
        data, numerator, denominator, by_cols, within_cols, unknown_label, add_overall=True
    )
    frame = _sorted(frame, [*within_cols, *by_cols], unknown_label, order)
    if measure == "proportion":
        above = frame["numerator"] > frame["denominator"]
        if above.any():
            row = frame.loc[above].iloc[0]
            where = ", ".join(f"{c}={row[c]!r}" for c in [*within_cols, *by_cols])
            raise ValueError(
                f"For {where} the numerator ({row['numerator']:g}) exceeds the denominator "
                f"({row['denominator']:g}); a proportion's numerator must be part of its "
                "denominator."
            )
    hidden = pd.Series(False, index=frame.index)
    published = frame[["numerator", "denominator"]].copy()
    masks = {c: pd.Series(False, index=frame.index) for c in ("numerator", "denominator")}
    symbols = {c: pd.Series("", index=frame.index, dtype="object") for c in masks}
    if suppression_policy is not None:
        policy = suppression.get_policy(suppression_policy)
        for col in ("numerator", "denominator"):
            shown, mask, sym = _published_counts(frame, col, by_cols, within_cols, policy)
            published[col] = shown
            masks[col] = mask
            symbols[col] = sym
            hidden |= mask
        if policy.rounding_base is not None:
            # The policy computes every derived figure from the rounded counts.
            for col in ("numerator", "denominator"):
                frame[col] = published[col].fillna(frame[col])
    frame = pd.concat(
        [
            frame,
            _intervals(
                frame["numerator"],
                frame["denominator"],
                measure,
                float(multiplier),
                confidence,
                rate_method,
            ),
        ],
        axis=1,
    )
    frame["measure"] = measure
    frame["comparison"] = _compare_with_overall(frame, within_cols)
    is_ref, refs = _reference_rows(frame, by_cols, within_cols, reference)
    frame["is_reference"] = is_ref
    if refs is not None:
        frame = pd.concat([frame, _ratios(frame, refs, measure, confidence)], axis=1)
        # A ratio to a hidden reference would let a reader work the reference out.
        ref_hidden = _reference_hidden(frame, hidden, by_cols, within_cols, reference)
    else:
        frame = frame.assign(
            ratio=np.nan, ratio_lower=np.nan, ratio_upper=np.nan, ratio_method=pd.NA
        )
        ref_hidden = pd.Series(False, index=frame.index)
    frame["suppressed"] = hidden
    if suppression_policy is None:
        frame["numerator_display"] = _display(frame["numerator"], hidden, "")
        frame["denominator_display"] = _display(frame["denominator"], hidden, "")
    else:
        pol = suppression.get_policy(suppression_policy)
        # A numerator hidden only because its denominator is: the complementary symbol.
        num_symbol = symbols["numerator"].where(masks["numerator"], pol.complement_symbol)
        frame["numerator"] = published["numerator"].where(~hidden)
        frame["denominator"] = published["denominator"].where(~masks["denominator"])
        frame["numerator_display"] = _display(published["numerator"], hidden, num_symbol)
        frame["denominator_display"] = _display(
            published["denominator"], masks["denominator"], symbols["denominator"]
        )
        for col in ("value", "lower", "upper", "ratio", "ratio_lower", "ratio_upper"):
            frame.loc[hidden, col] = np.nan
        for col in ("ratio", "ratio_lower", "ratio_upper"):
            frame.loc[ref_hidden, col] = np.nan
        frame.loc[hidden | ref_hidden, "ratio_method"] = pd.NA
        frame.loc[hidden, "comparison"] = "not compared"
    return frame[_columns(within_cols, by_cols)]


def _reference_hidden(
    frame: pd.DataFrame,
    hidden: pd.Series,
    by: list[str],
    within: list[str],
    reference: Hashable | Mapping[str, Hashable],
) -> pd.Series:
    """True for rows whose reference row is suppressed."""
    if not isinstance(reference, Mapping):
        reference = {by[0]: reference}
    match_on = [*within, *[c for c in by if c not in reference]]
    refs = frame.loc[frame["is_reference"], match_on].assign(
        _ref_hidden=hidden[frame["is_reference"]].to_numpy()
    )
    if not match_on:
        flag = bool(refs["_ref_hidden"].any())
        return pd.Series(flag, index=frame.index)
    merged = frame[match_on].merge(refs, on=match_on, how="left")["_ref_hidden"]
    return pd.Series(merged.fillna(False).astype(bool).to_numpy(), index=frame.index)


def _columns(within: list[str], by: list[str]) -> list[str]:
    return [
        *within,
        *by,
        "numerator",
        "denominator",
        "value",
        "lower",
        "upper",
        "confidence",
        "method",
        "multiplier",
        "measure",
        "is_overall",
        "comparison",
        "is_reference",
        "ratio",
        "ratio_lower",
        "ratio_upper",
        "ratio_method",
        "suppressed",
        "numerator_display",
        "denominator_display",
    ]


def change_between_periods(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    by: str | Sequence[str] = (),
    period: str = "year",
    from_period: Hashable | None = None,
    to_period: Hashable | None = None,
    measure: Measure = "rate",
    multiplier: float = 1000,
    confidence: float = 0.95,
    suppression_policy: str | None = "standard",
    rate_method: Literal["byar", "exact"] = "byar",
    unknown_label: str = UNKNOWN_LABEL,
    order: Mapping[str, Sequence] | None = None,
) -> pd.DataFrame:
    """Change in an indicator between two periods, by group, with its significance.

    Parameters
    ----------
    data, numerator, denominator, by, measure, multiplier, confidence, rate_method,
    unknown_label, order
        As in :func:`indicator_by_group`.
    period : str, default "year"
        Column holding the period (e.g. ``"2024-25"``).
    from_period, to_period : optional
        The two periods compared; default the second-latest and the latest present
        (periods sort as text, which orders ``"2023-24" < "2024-25"`` and years).
    suppression_policy : str or None, default "standard"
        Applied to each period's counts as in :func:`indicator_by_group`; a change is
        hidden when either period's figure is suppressed.

    Returns
    -------
    DataFrame
        One row per group (plus the overall row): the group columns, ``from_period``,
        ``to_period``, ``numerator_from``, ``denominator_from``, ``value_from``,
        ``numerator_to``, ``denominator_to``, ``value_to``, ``change`` (``value_to -
        value_from``, in the indicator's unit: rate per ``multiplier``, or proportion
        0-1), ``ratio`` (``value_to / value_from``), ``ratio_lower``, ``ratio_upper``,
        ``direction`` (``"increased"``, ``"decreased"``, ``"no significant change"``,
        ``"not compared"``), ``suppressed``.

    Raises
    ------
    ValueError
        If fewer than two periods are present or a named period is absent.

    Notes
    -----
    The change is judged significant when the interval of the ratio of the two
    periods' rates (or proportions), from :func:`edi_analysis.stats.rate_ratio`,
    excludes 1. The periods are treated as independent samples.
    """
    by_cols = _as_list(by)
    periods = (
        sorted(map(str, pd.Series(data[period]).dropna().unique()))
        if isinstance(data, pd.DataFrame) and period in data.columns
        else []
    )
    if not periods:
        raise ValueError(f"Column {period!r} is missing or empty; cannot compare periods.")
    if from_period is None or to_period is None:
        if len(periods) < 2:
            raise ValueError(f"Only one period ({periods[0]}) is present; need two to compare.")
        from_period = periods[-2] if from_period is None else from_period
        to_period = periods[-1] if to_period is None else to_period
    for p in (from_period, to_period):
        if str(p) not in periods:
            raise ValueError(f"Period {p!r} is not in column {period!r}; found {periods}.")
    subset = data[data[period].astype(str).isin([str(from_period), str(to_period)])].copy()
    subset[period] = subset[period].astype(str)
    kwargs = dict(
        numerator=numerator,
        denominator=denominator,
        by=by_cols,
        measure=measure,
        multiplier=multiplier,
        confidence=confidence,
        within=period,
        rate_method=rate_method,
        unknown_label=unknown_label,
        order=order,
    )
    raw = indicator_by_group(subset, suppression_policy=None, **kwargs)
    published = (
        raw
        if suppression_policy is None
        else indicator_by_group(subset, suppression_policy=suppression_policy, **kwargs)
    )
    keep = [*by_cols, "numerator", "denominator", "value"]
    frm = raw[raw[period] == str(from_period)][keep]
    to = raw[raw[period] == str(to_period)][keep]
    both = frm.merge(to, on=by_cols, how="outer", suffixes=("_from", "_to"))
    for side in ("from", "to"):
        for col in ("numerator", "denominator"):
            both[f"{col}_{side}"] = both[f"{col}_{side}"].fillna(0.0)
    both.insert(len(by_cols), "from_period", str(from_period))
    both.insert(len(by_cols) + 1, "to_period", str(to_period))
    both["change"] = both["value_to"] - both["value_from"]
    rr = _ratio(
        measure,
        both["numerator_to"].to_numpy(),
        both["denominator_to"].to_numpy(),
        both["numerator_from"].to_numpy(),
        both["denominator_from"].to_numpy(),
        confidence,
    )
    both["ratio"] = rr["value"].to_numpy()
    both["ratio_lower"] = rr["lower"].to_numpy()
    both["ratio_upper"] = rr["upper"].to_numpy()
    direction = pd.Series("no significant change", index=both.index, dtype="object")
    direction[both["ratio_lower"] > 1] = "increased"
    direction[both["ratio_upper"] < 1] = "decreased"
    direction[both["ratio"].isna()] = "not compared"
    both["direction"] = direction
    hidden = published.groupby(by_cols, sort=False, dropna=False)["suppressed"].any()
    flag = both.merge(hidden.rename("_hidden").reset_index(), on=by_cols, how="left")
    both["suppressed"] = flag["_hidden"].fillna(False).astype(bool).to_numpy()
    sup = both["suppressed"]
    for col in ("numerator_from", "denominator_from", "numerator_to", "denominator_to"):
        side = "from" if col.endswith("from") else "to"
        counts = published[published[period] == str(from_period if side == "from" else to_period)]
        shown = both[by_cols].merge(
            counts[[*by_cols, col.rsplit("_", 1)[0]]], on=by_cols, how="left"
        )
        both[col] = shown[col.rsplit("_", 1)[0]].to_numpy()
    for col in ("value_from", "value_to", "change", "ratio", "ratio_lower", "ratio_upper"):
        both.loc[sup, col] = np.nan
    both.loc[sup, "direction"] = "not compared"
    both = _sorted(both, by_cols, unknown_label, order)
    return both


def inequality_gradient(
    by_quintile: pd.DataFrame,
    quintile_col: str = "imd_quintile",
    within: str | Sequence[str] | None = None,
    most_deprived_first: bool = True,
    confidence: float = 0.95,
    method: Literal["simulation", "analytic"] = "simulation",
) -> pd.DataFrame:
    """Slope and relative indices of inequality across deprivation quintiles.

    Parameters
    ----------
    by_quintile : DataFrame
        Output of :func:`indicator_by_group` with ``by=quintile_col``. Rows for the
        overall and the unknown quintile are ignored; quintiles must be numbered 1-5.
    quintile_col : str, default "imd_quintile"
    within : str or sequence of str, optional
        Strata (e.g. ``"year"``); one result row per stratum.
    most_deprived_first : bool, default True
        True when quintile 1 is the most deprived (the IMD convention used here).
    confidence : float, default 0.95
    method : {"simulation", "analytic"}, default "simulation"
        Interval method of :func:`edi_analysis.stats.slope_index_of_inequality` (the
        PHE Monte Carlo simulation, or its exact analytic equivalent).

    Returns
    -------
    DataFrame
        Per stratum: ``sii``, ``sii_lower``, ``sii_upper``, ``rii``, ``rii_lower``,
        ``rii_upper``, ``fitted_most_deprived``, ``fitted_least_deprived``,
        ``quintiles_used``, ``method``, ``note``. The SII is **most deprived minus least
        deprived**, in the indicator's unit (rate per ``multiplier`` or proportion
        0-1): positive when the indicator is higher in more deprived areas. The RII is
        the fitted value at the most deprived end divided by that at the least
        deprived end. NaN with a note when a quintile is missing or suppressed (the
        index needs all five).

    Notes
    -----
    Each quintile is placed at the midpoint of its share of the denominator (births,
    people treated) on the cumulative scale from most to least deprived, and the
    values are regressed on that position weighted by the denominators (OHID method;
    :func:`edi_analysis.stats.slope_index_of_inequality` with ``reverse=True``, and
    :func:`edi_analysis.stats.relative_index_of_inequality`). Each quintile's standard
    error is taken from its own confidence interval.

    References
    ----------
    .. [1] Low A, Low A (2004). Measuring the gap: quantifying and comparing local health
       inequalities. *J Public Health* 26:388-395.
    .. [2] Public Health England (2018). *Technical Guide: Slope index of inequality*.
    """
    within_cols = _as_list(within)
    if not isinstance(by_quintile, pd.DataFrame):
        raise ValueError("by_quintile must be a DataFrame from indicator_by_group.")
    needed = [quintile_col, "value", "lower", "upper", "denominator", *within_cols]
    missing = [c for c in needed if c not in by_quintile.columns]
    if missing:
        raise ValueError(f"by_quintile lacks columns {missing}; pass indicator_by_group output.")
    rows = by_quintile[by_quintile[quintile_col].isin([1, 2, 3, 4, 5])]
    if "is_overall" in rows.columns:
        rows = rows[~rows["is_overall"].astype(bool)]
    groups = rows.groupby(within_cols, sort=True) if within_cols else [((), rows)]
    out = []
    for key, part in groups:
        record = dict(zip(within_cols, key if isinstance(key, tuple) else (key,), strict=True))
        record.update(_gradient_one(part, quintile_col, most_deprived_first, confidence, method))
        out.append(record)
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------
# narrative: sentences built from the published numbers
# --------------------------------------------------------------------------------------
#: Event counts below this make a rate "imprecise" in the narrative.
SMALL_NUMBER = 10


def _fmt_value(value: float, measure: str, multiplier: float) -> str:
    if measure == "proportion":
        return f"{value * 100:.1f}%"
    return f"{value:.1f}"


def _fmt_with_unit(value: float, measure: str, multiplier: float, per: str) -> str:
    if measure == "proportion":
        return f"{value * 100:.1f}%"
    return f"{value:.1f} per {multiplier:,.0f} {per}"


def _join(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe_groups(
    result: pd.DataFrame,
    group_col: str,
    indicator: str,
    events: str,
    per: str,
    group_noun: str | Callable[[object], str] = "{group}",
    reference_label: str | None = None,
    small_number: int = SMALL_NUMBER,
    include_overall: bool = True,
) -> list[str]:
    """Sentences describing an :func:`indicator_by_group` result (one stratum).

    Parameters
    ----------
    result : DataFrame
        Published output of :func:`indicator_by_group` for one period, with one group
        column.
    group_col : str
        The group column.
    indicator : str
        Name of the indicator in a sentence, e.g. ``"the stillbirth rate"``.
    events : str
        Plural noun for the events, e.g. ``"stillbirths"``.
    per : str
        The denominator, e.g. ``"total births"``.
    group_noun : str or callable, default "{group}"
        Template naming a group, e.g. ``"{group} mothers"`` or ``"quintile {group}"``,
        or a function of the group value returning its name.
    reference_label : str, optional
        How to name the reference group; defaults to ``group_noun`` of it.
    small_number : int, default 10
        Groups with fewer events are described as imprecise.
    include_overall : bool, default True
        Start with the overall figure (False when another paragraph already gave it).

    Returns
    -------
    list of str
        Neutral sentences: the overall figure; groups significantly above or below
        it; groups that differ but not significantly; rate ratios whose interval
        excludes 1; groups with few events or suppressed figures.

    Notes
    -----
    Nothing is called "higher" or "lower" without "significantly" unless the sentence
    says the difference is not statistically significant. The significance rule is
    the one in :func:`indicator_by_group`.
    """
    if result.empty:
        return []
    row0 = result.iloc[0]
    measure, multiplier = str(row0["measure"]), float(row0["multiplier"])

    def name(g: object) -> str:
        return group_noun(g) if callable(group_noun) else group_noun.format(group=g)

    sentences: list[str] = []
    overall = result[result["is_overall"]]
    groups = result[~result["is_overall"]]
    if len(overall):
        o = overall.iloc[0]
        if pd.notna(o["value"]) and include_overall:
            sentences.append(
                f"Overall, {indicator} was "
                f"{_fmt_with_unit(o['value'], measure, multiplier, per)} "
                f"(95% confidence interval {_fmt_value(o['lower'], measure, multiplier)} to "
                f"{_fmt_value(o['upper'], measure, multiplier)}; {o['numerator']:,.0f} "
                f"{events} in {o['denominator']:,.0f} {per})."
            )
        elif pd.isna(o["value"]):
            sentences.append(
                f"Overall figures for {indicator} are not shown because they are based on "
                f"very few {events}."
            )
            return sentences
        o_value = o["value"]
    else:
        o_value = np.nan
    for code, word in (("higher", "higher"), ("lower", "lower")):
        hit = groups[groups["comparison"] == code]
        if len(hit):
            parts = [
                f"{name(r[group_col])} ({_fmt_value(r['value'], measure, multiplier)}, "
                f"95% CI {_fmt_value(r['lower'], measure, multiplier)} to "
                f"{_fmt_value(r['upper'], measure, multiplier)})"
                for _, r in hit.iterrows()
            ]
            verb = "was" if len(parts) == 1 else "were"
            sentences.append(
                f"{indicator[0].upper() + indicator[1:]} for {_join(parts)} {verb} "
                f"significantly {word} than overall."
            )
    similar = groups[(groups["comparison"] == "similar") & groups["value"].notna()]
    above = similar[similar["value"] > o_value]
    if len(above):
        sentences.append(
            f"{indicator[0].upper() + indicator[1:]} for "
            f"{_join([name(g) for g in above[group_col]])} was higher than overall, but "
            "not statistically significantly (the confidence intervals include the "
            "overall value)."
        )
    refs = result[result["is_reference"]]
    if len(refs) and groups["ratio"].notna().any():
        ref_name = reference_label or name(refs.iloc[0][group_col])
        sig = groups[
            (~groups["is_reference"])
            & groups["ratio"].notna()
            & ((groups["ratio_lower"] > 1) | (groups["ratio_upper"] < 1))
        ]
        for _, r in sig.iterrows():
            sentences.append(
                f"{indicator[0].upper() + indicator[1:]} for {name(r[group_col])} was "
                f"{r['ratio']:.2f} times that for {ref_name} (95% CI "
                f"{r['ratio_lower']:.2f} to {r['ratio_upper']:.2f}), a statistically "
                "significant difference."
            )
        if sig.empty:
            sentences.append(
                f"For none of the groups shown did {indicator} differ statistically "
                f"significantly from that of {ref_name}."
            )
    zero = groups[(groups["numerator"] == 0) & groups["value"].notna()]
    if len(zero):
        sentences.append(
            f"There were no {events} for {_join([name(g) for g in zero[group_col]])}; with "
            "small numbers this can happen by chance, and the upper confidence limit shows "
            "how high the true figure could plausibly be."
        )
    few = groups[
        groups["numerator"].notna()
        & (groups["numerator"] > 0)
        & (groups["numerator"] < small_number)
        & groups["value"].notna()
    ]
    if len(few):
        one = len(few) == 1
        sentences.append(
            f"The figure{'' if one else 's'} for {_join([name(g) for g in few[group_col]])} "
            f"{'is' if one else 'are'} based on fewer than {small_number} {events}, so "
            f"{'it is' if one else 'they are'} imprecise: the confidence interval"
            f"{' is' if one else 's are'} wide."
        )
    hidden = groups[groups["suppressed"]]
    if len(hidden):
        verb = "is" if len(hidden) == 1 else "are"
        sentences.append(
            f"Figures for {_join([name(g) for g in hidden[group_col]])} {verb} not shown "
            "to protect confidentiality (small numbers, or numbers that would reveal "
            "them)."
        )
    return sentences


def describe_change(
    change: pd.DataFrame,
    group_col: str,
    indicator: str,
    group_noun: str | Callable[[object], str] = "{group}",
    groups_noun: str = "group",
    include_overall: bool = True,
) -> list[str]:
    """Sentences describing :func:`change_between_periods` output.

    Only the overall change and groups whose change is statistically significant are
    named; everything else is summarised as "no statistically significant change".
    """
    if change.empty:
        return []
    first = change.iloc[0]
    frm, to = first["from_period"], first["to_period"]
    out = []
    overall = change[change[group_col] == OVERALL_LABEL]
    if include_overall and len(overall) and overall.iloc[0]["direction"] != "not compared":
        d = overall.iloc[0]["direction"]
        phrase = (
            "showed no statistically significant change"
            if d == "no significant change"
            else f"{d} significantly"
        )
        out.append(f"Overall, {indicator} {phrase} between {frm} and {to}.")
    groups = change[change[group_col] != OVERALL_LABEL]
    for d in ("increased", "decreased"):
        hit = groups[groups["direction"] == d]
        if len(hit):
            names = _join(
                [
                    group_noun(g) if callable(group_noun) else group_noun.format(group=g)
                    for g in hit[group_col]
                ]
            )
            out.append(f"Between {frm} and {to}, {indicator} {d} significantly for {names}.")
    if len(groups) and not groups["direction"].isin(["increased", "decreased"]).any():
        out.append(
            f"No {groups_noun} showed a statistically significant change in "
            f"{indicator} between {frm} and {to}."
        )
    return out


def describe_gradient(
    gradient: pd.DataFrame, indicator: str, unit: str, scale: float = 1.0
) -> list[str]:
    """Sentences describing :func:`inequality_gradient` output (one row per stratum).

    Parameters
    ----------
    gradient : DataFrame
        :func:`inequality_gradient` output.
    indicator : str
        The indicator in a sentence, e.g. ``"the recovery rate"``.
    unit : str
        The SII's unit, e.g. ``"per 1,000 births"`` or ``"percentage points"``.
    scale : float, default 1.0
        Multiplies the values for display (100 for proportions).

    Returns
    -------
    list of str
        Per stratum, the direction in words ("higher/lower in more deprived areas"), the
        fitted values at the two ends, and the SII with its sign convention spelled out;
        then one sentence on the convention when any SII was calculated.

    Notes
    -----
    The SII here is **most deprived minus least deprived** (:func:`inequality_gradient`):
    negative when the indicator is lower in more deprived areas, whatever the indicator.
    OHID's Fingertips and PHEindicatormethods (``phe_sii``) report the regression slope from
    the most to the least deprived end, i.e. least minus most deprived (the SII in life
    expectancy, about 9 years for men in England, is positive because life expectancy is
    higher in the least deprived areas), so their signs are the opposite of these. The
    sentences therefore state the direction in words and never rely on the sign: for an
    indicator where higher is better (recovery, screening uptake) "lower in more deprived
    areas" is the inequality; for one where lower is better (stillbirths) "higher in more
    deprived areas" is.

    References
    ----------
    .. [1] OHID. *Slope index of inequality (SII) and relative index of inequality (RII)*,
       Fingertips public health technical guidance.
    """
    pct = "percentage point" in unit
    cap = indicator[0].upper() + indicator[1:]

    def level(v: float) -> str:
        return f"{v * scale:.1f}%" if pct else f"{v * scale:.1f} {unit}"

    out = []
    calculated = False
    for _, r in gradient.iterrows():
        if pd.isna(r["sii"]):
            out.append(
                f"The slope index of inequality for {indicator} was not calculated: {r['note']}."
            )
            continue
        calculated = True
        sii, lo, hi = (float(r[c]) * scale for c in ("sii", "sii_lower", "sii_upper"))
        ends = (
            f"the fitted line runs from {level(r['fitted_most_deprived'])} at the most "
            f"deprived end to {level(r['fitted_least_deprived'])} at the least deprived end"
        )
        index = (
            f"slope index of inequality, most deprived minus least deprived, {sii:+.1f} "
            f"{unit}; 95% CI {lo:+.1f} to {hi:+.1f}"
        )
        if lo > 0 or hi < 0:
            word = "higher" if sii > 0 else "lower"
            out.append(
                f"{cap} was {word} in more deprived areas: {ends}, a gap of {abs(sii):.1f} "
                f"{unit} ({index}), a statistically significant gradient."
            )
        else:
            out.append(
                f"There was no statistically significant gradient in {indicator} across "
                f"deprivation quintiles: {ends} ({index}, an interval that includes zero)."
            )
    if calculated:
        out.append(
            "Here a negative slope index of inequality means lower values in more deprived "
            "areas and a positive one higher values; OHID's Fingertips reports the index the "
            "other way round (least minus most deprived), so its signs are the opposite."
        )
    return out


def _gradient_one(
    part: pd.DataFrame, quintile_col: str, most_deprived_first: bool, confidence: float, method: str
) -> dict[str, object]:
    empty = {
        "sii": np.nan,
        "sii_lower": np.nan,
        "sii_upper": np.nan,
        "rii": np.nan,
        "rii_lower": np.nan,
        "rii_upper": np.nan,
        "fitted_most_deprived": np.nan,
        "fitted_least_deprived": np.nan,
        "method": pd.NA,
    }
    ok = part[
        part["value"].notna()
        & part["denominator"].notna()
        & part["lower"].notna()
        & (part["denominator"] > 0)
    ]
    if ok[quintile_col].nunique() < 5:
        return {
            **empty,
            "quintiles_used": int(ok[quintile_col].nunique()),
            "note": "it needs all five quintiles, and one or more is missing or suppressed",
        }
    ok = ok.sort_values(quintile_col, ascending=most_deprived_first)
    args = dict(
        lower=ok["lower"].to_numpy(dtype=float),
        upper=ok["upper"].to_numpy(dtype=float),
        population=ok["denominator"].to_numpy(dtype=float),
        confidence=confidence,
        method=method,
        most_deprived_first=True,
        reverse=True,
    )
    sii = stats.slope_index_of_inequality(ok["value"].to_numpy(dtype=float), **args).iloc[0]
    rii = stats.relative_index_of_inequality(ok["value"].to_numpy(dtype=float), **args).iloc[0]
    return {
        "sii": sii["value"],
        "sii_lower": sii["lower"],
        "sii_upper": sii["upper"],
        "rii": rii["value"],
        "rii_lower": rii["lower"],
        "rii_upper": rii["upper"],
        "fitted_most_deprived": sii["fitted_most_deprived"],
        "fitted_least_deprived": sii["fitted_least_deprived"],
        "method": sii["method"],
        "quintiles_used": 5,
        "note": "",
    }


# --------------------------------------------------------------------------------------
# service indicators from the service_activity input
# --------------------------------------------------------------------------------------
#: Shown (table, chart, narrative) when no service activity file was supplied.
NO_SERVICE_DATA = (
    "No service activity file was supplied for this report, so no service indicator is "
    "shown. To add one, put a file named service_activity.csv (or .xlsx) in the data folder: "
    "columns period, indicator, measure, numerator, denominator and at least one of place, "
    "imd_quintile or ethnic_group (see docs/DESIGN.md)."
)


@dataclass
class ServiceSection:
    """One service indicator computed by place, IMD quintile and ethnic group.

    Attributes
    ----------
    indicator : str or None
        The indicator shown (None when no file was supplied).
    indicators : list of str
        Every indicator in the file, sorted.
    measure, multiplier : str, float
        As in :func:`indicator_by_group`.
    period : str or None
        The period shown (default the latest); ``periods`` lists all, sorted.
    synthetic : bool
        The data are the SYNTHETIC demo (every row labelled so).
    by_place, by_quintile, by_ethnicity : DataFrame or None
        :func:`indicator_by_group` output (``within="period"``), or None when the file
        has no such column.
    gradient : DataFrame or None
        :func:`inequality_gradient` by period (None without quintiles).
    notes : list of str
        Plain sentences on what is missing (no file, no column, unmatched LSOAs).
    """

    indicator: str | None = None
    indicators: list[str] = field(default_factory=list)
    measure: str = "proportion"
    multiplier: float = 1.0
    period: str | None = None
    periods: list[str] = field(default_factory=list)
    synthetic: bool = False
    by_place: pd.DataFrame | None = None
    by_quintile: pd.DataFrame | None = None
    by_ethnicity: pd.DataFrame | None = None
    gradient: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        """True when a file was supplied and the indicator computed."""
        return self.indicator is not None

    def tables(self, prefix: str = "service") -> dict[str, pd.DataFrame]:
        """Published tables keyed by file name (for :func:`edi_analysis.outputs.write_tables`)."""
        if not self.available:
            return {}
        tag = prefix if not self.synthetic else f"synthetic_{prefix}"
        slug = "_".join(re.findall(r"[a-z0-9]+", str(self.indicator).lower()))
        out = {}
        for name, frame in (
            ("by_place", self.by_place),
            ("by_imd_quintile", self.by_quintile),
            ("by_ethnic_group", self.by_ethnicity),
            ("gradient", self.gradient),
        ):
            if frame is not None:
                out[f"{tag}_{slug}_{name}"] = frame.assign(indicator=self.indicator)
        return out


def service_indicators(activity: pd.DataFrame | None) -> list[str]:
    """Return the indicators in a ``service_activity`` table, sorted (empty for None)."""
    if activity is None or "indicator" not in activity.columns:
        return []
    return sorted(map(str, activity["indicator"].dropna().unique()))


def prepare_service_activity(
    activity: pd.DataFrame,
    imd_quintiles: Literal["national", "local"] = "national",
    area: object = None,
    imd_version: Literal["auto", "2025", "2019"] = "auto",
) -> pd.DataFrame:
    """Give record-level service activity IMD quintiles from its LSOA codes.

    Parameters
    ----------
    activity : DataFrame
        Output of :func:`edi_analysis.io.read_service_activity`.
    imd_quintiles, area, imd_version
        As in :func:`edi_analysis.deprivation.assign_imd_quintile` (``area`` is needed for
        local quintiles).

    Returns
    -------
    DataFrame
        A copy; when ``lsoa_code`` is present, ``imd_quintile`` is filled from it where
        missing (a supplied quintile is kept). ``attrs["imd_unmatched"]`` counts rows whose
        LSOA gave no quintile (kept, reported as "Not known").

    Notes
    -----
    Supplied quintiles are used as given: the file should say whether they are national
    (the default here) or local.
    """
    from edi_analysis import deprivation

    out = activity.copy()
    out.attrs["imd_unmatched"] = 0
    if "lsoa_code" not in out.columns:
        return out
    given = out.drop(columns=["imd_quintile"]) if "imd_quintile" in out.columns else out
    given = given.drop(columns=[c for c in ("imd_decile", "imd_version", "imd_match")
                                if c in given.columns])  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assigned = deprivation.assign_imd_quintile(
            given[["lsoa_code"]], version=imd_version, quintiles=imd_quintiles, area=area
        )
    derived = assigned["imd_quintile"].astype("Int64")
    if "imd_quintile" in out.columns:
        out["imd_quintile"] = out["imd_quintile"].astype("Int64").fillna(derived)
    else:
        out["imd_quintile"] = derived
    needed = out["lsoa_code"].notna() | ("imd_quintile" not in activity.columns)
    out.attrs["imd_unmatched"] = int((out["imd_quintile"].isna() & needed).sum())
    return out


def service_section(
    activity: pd.DataFrame | None,
    indicator: str | None = None,
    period: str | None = None,
    reference_quintile: int | None = 5,
    reference_place: str | None = None,
    confidence: float = 0.95,
    suppression_policy: str | None = "standard",
    sii_method: Literal["simulation", "analytic"] = "simulation",
    imd_quintiles: Literal["national", "local"] = "national",
    area: object = None,
    imd_version: Literal["auto", "2025", "2019"] = "auto",
) -> ServiceSection:
    """Compute one service indicator by place, IMD quintile and ethnic group.

    Parameters
    ----------
    activity : DataFrame or None
        The ``service_activity`` input (:func:`edi_analysis.io.read_service_activity`);
        None when no file was supplied (the section then says so).
    indicator : str, optional
        Which indicator; default the first alphabetically.
    period : str, optional
        The period the tables show; default the latest of the indicator.
    reference_quintile : int or None, default 5
        Reference IMD quintile for ratios (5 = least deprived).
    reference_place : str, optional
        Reference place for ratios (default none).
    confidence, suppression_policy
        As in :func:`indicator_by_group`.
    sii_method : {"simulation", "analytic"}
        As in :func:`inequality_gradient`.
    imd_quintiles, area, imd_version
        For record-level files with ``lsoa_code`` (:func:`prepare_service_activity`).

    Returns
    -------
    ServiceSection

    Raises
    ------
    ValueError
        If ``indicator`` or ``period`` is not in the file (the message lists those that are).

    Notes
    -----
    Every period is computed (``within="period"``) with the measure and multiplier the file
    gives for the indicator; IMD quintile 1 is the most deprived.
    """
    if activity is None:
        return ServiceSection(notes=[NO_SERVICE_DATA])
    indicators = service_indicators(activity)
    if not indicators:
        return ServiceSection(notes=["The service activity file has no rows."])
    if indicator is None:
        indicator = indicators[0]
    if indicator not in indicators:
        raise ValueError(
            f"service_indicator {indicator!r} is not in the service activity file; it has "
            f"{indicators}."
        )
    data = activity[activity["indicator"].astype(str) == indicator]
    data = prepare_service_activity(data, imd_quintiles, area, imd_version)
    data = data.assign(period=data["period"].astype(str))
    periods = sorted(data["period"].unique())
    if period is None:
        period = periods[-1]
    if str(period) not in periods:
        raise ValueError(
            f"service_period {period!r} has no rows for {indicator!r}; periods: {periods}."
        )
    measure = str(data["measure"].iloc[0])
    multiplier = (
        float(data["multiplier"].iloc[0])
        if measure == "rate" and "multiplier" in data.columns
        else 1000.0 if measure == "rate" else 1.0
    )
    common = dict(
        numerator="numerator",
        denominator="denominator",
        measure=measure,
        multiplier=multiplier,
        within="period",
        confidence=confidence,
        suppression_policy=suppression_policy,
    )
    label = data.get("data_label", pd.Series(dtype=object))
    section = ServiceSection(
        indicator=indicator,
        indicators=indicators,
        measure=measure,
        multiplier=multiplier,
        period=str(period),
        periods=periods,
        synthetic=bool(len(label)) and bool(label.astype(str).eq("SYNTHETIC").all()),
    )
    if "place" in data.columns:
        section.by_place = indicator_by_group(
            data, by="place", reference=reference_place, **common
        )
    else:
        section.notes.append("The file has no place column, so there is no table by place.")
    if "imd_quintile" in data.columns:
        present = set(data["imd_quintile"].dropna().astype(int))
        ref = reference_quintile if reference_quintile in present else None
        section.by_quintile = indicator_by_group(
            data.assign(imd_quintile=data["imd_quintile"].astype(object)),
            by="imd_quintile",
            reference=ref,
            **common,
        )
        section.gradient = inequality_gradient(
            section.by_quintile, "imd_quintile", within="period", confidence=confidence,
            method=sii_method,
        )
        if data.attrs.get("imd_unmatched"):
            section.notes.append(
                f"{data.attrs['imd_unmatched']:,} records had no LSOA code, or one that could "
                "not be given an IMD quintile; they are counted as 'Not known'."
            )
    else:
        section.notes.append(
            "The file has no imd_quintile or lsoa_code column, so there is no table by "
            "deprivation quintile."
        )
    if "ethnic_group" in data.columns:
        section.by_ethnicity = indicator_by_group(data, by="ethnic_group", **common)
    return section


def describe_service(section: ServiceSection, small_number: int = SMALL_NUMBER) -> list[str]:
    """Careful sentences on a :class:`ServiceSection` for its period.

    Says plainly when no file was supplied, when the data are SYNTHETIC and which
    indicators the file holds; then describes the indicator by place, by IMD quintile and
    the deprivation gradient (:func:`describe_groups`, :func:`describe_gradient`).
    """
    if not section.available:
        return list(section.notes)
    out = []
    if section.synthetic:
        out.append(
            "These figures are SYNTHETIC demonstration data and illustrate the method only; "
            "they are not real activity."
        )
    name = section.indicator
    others = [i for i in section.indicators if i != name]
    out.append(
        f"This section shows {name} for {section.period}"
        + (f"; the file also holds {_join(others)} (choose with the service_indicator "
           "parameter)." if others else ".")  # fmt: skip
    )
    phrase = name  # indicator names are titles ("Talking Therapies recovery"): keep as given
    events, per = (("people meeting the indicator", "people") if section.measure == "proportion"
                   else ("events", "of the denominator"))  # fmt: skip
    unit = "percentage points" if section.measure == "proportion" else (
        f"per {section.multiplier:,.0f}")  # fmt: skip
    scale = 100 if section.measure == "proportion" else 1
    if section.by_place is not None:
        part = section.by_place[section.by_place["period"] == section.period]
        out += describe_groups(part, "place", phrase, events, per,
                               small_number=small_number)  # fmt: skip
    if section.by_quintile is not None:
        part = section.by_quintile[section.by_quintile["period"] == section.period]
        out += describe_groups(
            part, "imd_quintile", phrase, events, per,
            group_noun=_quintile_noun, include_overall=section.by_place is None,
            small_number=small_number,
        )
        grad = section.gradient[section.gradient["period"] == section.period]
        out += describe_gradient(grad, phrase, unit, scale)
    out += [n for n in section.notes if "no place column" not in n or section.by_place is None]
    return out


def _quintile_noun(q: object) -> str:
    if q == 1:
        return "quintile 1 (most deprived)"
    if q == 5:
        return "quintile 5 (least deprived)"
    return f"quintile {q}"
