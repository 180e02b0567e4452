"""great-tables tables for the maternity and service inequalities chapter.

Every function takes **published** frames (from :func:`edi_analysis.maternity.publish_chapter`
or :func:`edi_analysis.inequalities.publish_service`: counts blank where hidden, with
``*_symbol`` columns, every figure derived from the published counts) and only formats
them. Hidden cells show their symbol. Exact frames render too (nothing hidden), for
analysts; never publish them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from great_tables import GT, loc, style

from edi_analysis import inequalities, stats
from edi_analysis.disclosure import get_policy
from edi_analysis.maternity import MEASURES, QUINTILE_LABELS
from edi_analysis.report.theme import NHS_COLOURS, style_table

__all__ = [
    "births_table",
    "change_table",
    "data_quality_table",
    "gradient_table",
    "heat_table",
    "population_table",
    "rate_table",
    "service_table",
]

GROUP_TITLES = {"ethnic_group": "Ethnic group", "imd_quintile": "IMD quintile", "place": "Place"}
_SYNTHETIC_NOTE = (
    "**SYNTHETIC demo data**: the figures illustrate the method and are not real activity."
)


def _label(col: str, value: object) -> str:
    if col == "imd_quintile":
        return QUINTILE_LABELS.get(value, str(value))
    return str(value)


def _symbol(policy: str) -> str:
    return get_policy(policy).symbol


def _policy_note(policy: str) -> str:
    return f"Disclosure control ({policy}): {get_policy(policy).key_text}"


def _hidden_note(policy: str, events: str) -> str:
    pol = get_policy(policy)
    text = (
        f"A value shown as {pol.symbol} is not published because it rests on a "
        f"suppressed count of {events}"
    )
    if pol.complement_symbol != pol.symbol:
        text += (
            f"; {pol.complement_symbol} marks a value hidden so that a suppressed "
            "count cannot be worked out"
        )
    return text + "; – means no births in the group."


def _interval_text(lower: float, upper: float, measure: str, decimals: int = 1) -> str:
    if pd.isna(lower) or pd.isna(upper):
        return ""
    if measure == "proportion":
        return f"{lower * 100:.{decimals}f}% to {upper * 100:.{decimals}f}%"
    return f"{lower:.{decimals}f} to {upper:.{decimals}f}"


def _ratio_text(r: pd.Series) -> str:
    if r.get("is_reference", False):
        return "Reference"
    if pd.isna(r["ratio"]):
        return ""
    return f"{r['ratio']:.2f} ({r['ratio_lower']:.2f} to {r['ratio_upper']:.2f})"


def _sub_symbols(gt: GT, column: str, symbols: list[str]) -> GT:
    """Show each hidden cell of ``column`` with its own symbol ("<5" or "*")."""
    for sym in sorted({x for x in symbols if x}):
        rows = [i for i, x in enumerate(symbols) if x == sym]
        gt = gt.sub_missing(columns=column, rows=rows, missing_text=sym)
    return gt


def _counts(part: pd.DataFrame, col: str) -> pd.Series:
    """A count column as printed: "1,234", or the symbol of a hidden count."""
    return inequalities.count_text(part[col], part.get(f"{col}_symbol"))


def _row_symbols(part: pd.DataFrame) -> list[str]:
    """The symbol of each row with a hidden count (its numerator's, else its
    denominator's), "" for shown rows."""
    num = part.get("numerator_symbol", pd.Series("", index=part.index)).fillna("")
    den = part.get("denominator_symbol", pd.Series("", index=part.index)).fillna("")
    return [str(a or b) for a, b in zip(num, den, strict=True)]


def _latest(frame: pd.DataFrame, col: str, year: str | None) -> str:
    return str(year) if year is not None else sorted(frame[col].astype(str).unique())[-1]


def births_table(
    births_by_group: pd.DataFrame, by: str = "ethnic_group", suppression_policy: str = "standard"
) -> GT:
    """Count and % of total births by group, this year and last (the familiar layout).

    Parameters
    ----------
    births_by_group : DataFrame
        :func:`edi_analysis.maternity.births_by_group` output for two (or more) years.
    by : str, default "ethnic_group"
    suppression_policy : str, default "standard"
    """
    years = sorted(births_by_group["year"].astype(str).unique())
    frame = births_by_group.assign(year=births_by_group["year"].astype(str))
    groups = list(dict.fromkeys(frame[by]))
    wide = pd.DataFrame({"group": [_label(by, g) for g in groups]})
    frame["count_display"] = _counts(frame, "count").to_numpy()
    for y in years:
        part = frame[frame["year"] == y].set_index(by)
        wide[f"n_{y}"] = [part["count_display"].get(g, "0") for g in groups]
        wide[f"pct_{y}"] = [
            part["share_pct"].get(g, np.nan) / 100 if g in part.index else 0.0 for g in groups
        ]
    gt = GT(wide, rowname_col="group").tab_stubhead(label=GROUP_TITLES.get(by, by))
    for y in years:
        gt = gt.tab_spanner(label=y, columns=[f"n_{y}", f"pct_{y}"])
        gt = gt.cols_label(**{f"n_{y}": "Births", f"pct_{y}": "% of total"})
    gt = gt.fmt_percent(columns=[f"pct_{y}" for y in years], decimals=1)
    for y in years:
        gt = _sub_symbols(
            gt, f"pct_{y}", [s if s and not s[0].isdigit() else "" for s in wide[f"n_{y}"]]
        )
    gt = gt.cols_align(align="right", columns=[c for c in wide.columns if c != "group"])
    return style_table(
        gt,
        source_notes=[
            "Total births: live births and stillbirths from 24 weeks, terminations excluded. "
            "'Not known' includes ethnic group not stated.",
            _policy_note(suppression_policy),
        ],
    )


def rate_table(
    results: pd.DataFrame,
    indicator: str,
    by: str,
    year: str | None = None,
    suppression_policy: str = "standard",
) -> GT:
    """Rate (or %) by group with 95% interval, comparison with overall and ratio.

    Parameters
    ----------
    results : DataFrame
        :func:`edi_analysis.maternity.maternity_indicators` output (one group column).
    indicator : str
        Measure key (see :data:`edi_analysis.maternity.MEASURES`).
    by : str
        The group column.
    year : str, optional
        Default the latest.
    """
    m = MEASURES[indicator]
    part = results[results["indicator"] == indicator]
    year = _latest(part, "year", year)
    part = part[part["year"].astype(str) == year]
    return _indicator_gt(
        part,
        by,
        m.measure,
        m.events.capitalize(),
        m.per.capitalize(),
        m.unit,
        [
            m.definition,
            _hidden_note(suppression_policy, m.events),
            _policy_note(suppression_policy),
        ],
        suppression_policy,
    )


def _indicator_gt(
    part: pd.DataFrame,
    by: str,
    measure: str,
    events: str,
    per: str,
    unit: str,
    notes: list[str],
    suppression_policy: str,
) -> GT:
    row_symbols = _row_symbols(part)
    table = pd.DataFrame(
        {
            "group": [_label(by, g) for g in part[by]],
            "events": _counts(part, "numerator").to_numpy(),
            "denominator": _counts(part, "denominator").to_numpy(),
            "value": part["value"].to_numpy(dtype=float),
            "interval": [
                _interval_text(lo, hi, measure)
                for lo, hi in zip(part["lower"], part["upper"], strict=True)
            ],
            "comparison": [
                inequalities.COMPARISON_LABELS.get(c, c) if not sym else sym
                for c, sym in zip(part["comparison"], row_symbols, strict=True)
            ],
            "ratio": [_ratio_text(r) for _, r in part.iterrows()],
        }
    )
    value_label = "%" if measure == "proportion" else unit.capitalize()
    gt = (
        GT(table, rowname_col="group")
        .tab_stubhead(label=GROUP_TITLES.get(by, by))
        .cols_label(
            events=events,
            denominator=per,
            value=value_label,
            interval=f"{stats.confidence_label(part)} confidence interval",
            comparison="Compared with overall",
            ratio=f"Ratio to reference ({stats.confidence_label(part)} CI)",
        )
    )
    if measure == "proportion":
        gt = gt.fmt_percent(columns="value", decimals=1)
    else:
        gt = gt.fmt_number(columns="value", decimals=1)
    gt = _sub_symbols(gt, "value", row_symbols)
    gt = gt.cols_align(align="right", columns=["events", "denominator", "value"])
    overall_rows = [i for i, g in enumerate(part[by]) if g == inequalities.OVERALL_LABEL]
    if overall_rows:
        gt = gt.tab_style(style=style.text(weight="bold"), locations=loc.body(rows=overall_rows))
    return style_table(
        gt,
        source_notes=[
            *notes,
            "Intervals: for rates, exact Poisson limits below 10 events and Byar's method "
            "from 10, as OHID's Fingertips; Wilson score for percentages. 'Significantly "
            "higher/lower' means the group's interval excludes the overall value. Ratios use "
            "a log-normal interval.",
        ],
    )


def heat_table(
    cross: pd.DataFrame,
    indicator: str,
    year: str | None = None,
    suppression_policy: str = "standard",
) -> GT:
    """Heat table of a measure by ethnic group (rows) and IMD quintile (columns).

    Parameters
    ----------
    cross : DataFrame
        :func:`edi_analysis.maternity.maternity_indicators` output with
        ``by=["ethnic_group", "imd_quintile"]``.
    """
    m = MEASURES[indicator]
    part = cross[(cross["indicator"] == indicator) & ~cross["is_overall"]]
    year = _latest(part, "year", year)
    part = part[part["year"].astype(str) == year]
    groups = list(dict.fromkeys(part["ethnic_group"]))
    quints = list(dict.fromkeys(part["imd_quintile"]))
    scale = 100 if m.measure == "proportion" else 1
    wide = pd.DataFrame({"group": groups})
    cols = []
    cell_symbols: dict[str, list[str]] = {}
    for q in quints:
        col = f"q_{q}".replace(" ", "_").lower()
        cols.append(col)
        sub = part[part["imd_quintile"] == q].set_index("ethnic_group")
        wide[col] = [sub["value"].get(g, np.nan) * scale for g in groups]
        syms = dict(zip(sub.index, _row_symbols(sub), strict=True))
        cell_symbols[col] = [syms.get(g, "") or "–" for g in groups]
    values = wide[cols].to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    domain = [float(finite.min()), float(finite.max())] if finite.size else [0.0, 1.0]
    if domain[0] == domain[1]:
        domain = [domain[0], domain[0] + 1]
    gt = GT(wide, rowname_col="group").tab_stubhead(label="Ethnic group")
    gt = gt.cols_label(
        **{c: QUINTILE_LABELS.get(q, str(q)) for c, q in zip(cols, quints, strict=True)}
    )
    gt = gt.tab_spanner(label="IMD quintile of residence", columns=cols)
    gt = gt.fmt_number(columns=cols, decimals=1)
    gt = gt.data_color(
        columns=cols,
        palette=["#FFFFFF", NHS_COLOURS["light_blue"]],
        domain=domain,
        na_color="#FFFFFF",
    )
    for col in cols:
        gt = _sub_symbols(gt, col, cell_symbols[col])
    combined = [g for g in groups if str(g).startswith("Combined: ")]
    return style_table(
        gt,
        source_notes=[
            f"{m.label} ({m.unit}), {year}. Darker cells have higher values; small numbers make "
            "many cells imprecise, so compare with the intervals in the tables above.",
            *(["Ethnic groups expected to have fewer than 10 " + m.events + " (their births "
               "times the overall rate) are combined in one row, so that a few events spread "
               "over several quintiles cannot be worked out."] if combined else []),
            _hidden_note(suppression_policy, m.events),
            m.definition,
            _policy_note(suppression_policy),
        ],
    )


def change_table(
    change: pd.DataFrame, indicator: str, by: str, suppression_policy: str = "standard"
) -> GT:
    """Value in each of two years by group, the change, and whether it is significant."""
    m = MEASURES[indicator]
    part = change[change["indicator"] == indicator]
    scale = 100 if m.measure == "proportion" else 1
    frm, to = part["from_period"].iloc[0], part["to_period"].iloc[0]
    table = pd.DataFrame(
        {
            "group": [_label(by, g) for g in part[by]],
            "value_from": part["value_from"].to_numpy(dtype=float) * scale,
            "value_to": part["value_to"].to_numpy(dtype=float) * scale,
            "change": part["change"].to_numpy(dtype=float) * scale,
            "direction": part["direction"].str.capitalize().to_numpy(),
        }
    )
    unit = "percentage points" if m.measure == "proportion" else m.unit
    gt = (
        GT(table, rowname_col="group")
        .tab_stubhead(label=GROUP_TITLES.get(by, by))
        .cols_label(
            value_from=str(frm),
            value_to=str(to),
            change=f"Change ({unit})",
            direction="Statistically significant change?",
        )
        .fmt_number(columns=["value_from", "value_to", "change"], decimals=1)
        .sub_missing(
            columns=["value_from", "value_to", "change"], missing_text=_symbol(suppression_policy)
        )
    )
    return style_table(
        gt,
        source_notes=[
            f"{m.label}, {'%' if m.measure == 'proportion' else m.unit}. A change is "
            f"significant when the {stats.confidence_label(part)} interval of the ratio of "
            "the two years' figures "
            "excludes 1.",
            _policy_note(suppression_policy),
        ],
    )


def gradient_table(gradient: pd.DataFrame) -> GT:
    """Slope and relative indices of inequality by measure and year."""
    rows = []
    for _, r in gradient.iterrows():
        m = MEASURES.get(r.get("indicator"))
        scale = 100 if (m is not None and m.measure == "proportion") else 1
        unit = "percentage points" if scale == 100 else (m.unit if m else "")
        rows.append(
            {
                "measure": r.get("indicator_label", ""),
                "year": str(r.get("year", "")),
                "sii": r["sii"] * scale,
                "sii_ci": (
                    ""
                    if pd.isna(r["sii_lower"])
                    else f"{r['sii_lower'] * scale:.1f} to {r['sii_upper'] * scale:.1f}"
                ),
                "unit": unit,
                "rii": r["rii"],
                "rii_ci": (
                    ""
                    if pd.isna(r["rii_lower"])
                    else f"from {r['rii_lower']:.2f}, no upper limit"
                    if pd.isna(r["rii_upper"])
                    else f"{r['rii_lower']:.2f} to {r['rii_upper']:.2f}"
                ),
                "note": r.get("note", ""),
            }
        )
    table = pd.DataFrame(rows)
    gt = (
        GT(table)
        .cols_label(
            measure="Measure",
            year="Year",
            sii="SII",
            sii_ci=f"SII {stats.confidence_label(gradient)} CI",
            unit="SII unit",
            rii="RII",
            rii_ci=f"RII {stats.confidence_label(gradient)} CI",
            note="Note",
        )
        .fmt_number(columns="sii", decimals=1)
        .fmt_number(columns="rii", decimals=2)
        .sub_missing(columns=["sii", "rii"], missing_text="-")
    )
    return style_table(
        gt,
        source_notes=[
            "Slope index of inequality (SII): the modelled absolute gap between the most and "
            "the least deprived ends of the population, from a regression across IMD "
            "quintiles weighted by their births, calculated as most deprived minus least "
            "deprived: positive = higher in more deprived areas, negative = lower. (OHID "
            "Fingertips reports least minus most deprived, so its signs are the opposite.) "
            "Relative index (RII): the fitted value at the most deprived end divided by that "
            "at the least deprived end.",
        ],
    )


def data_quality_table(dq: pd.DataFrame, suppression_policy: str = "standard") -> GT:
    """Records excluded or with an unknown group, by year, and what the analysis does."""
    dq = dq.assign(count_display=_counts(dq, "count").to_numpy())
    years = sorted(dq["year"].astype(str).unique())
    items = list(dict.fromkeys(dq["item"]))
    wide = pd.DataFrame({"item": items})
    for y in years:
        part = dq[dq["year"].astype(str) == y].set_index("item")
        wide[f"n_{y}"] = [part["count_display"].get(i, "") for i in items]
        wide[f"pct_{y}"] = [part["share_pct"].get(i, np.nan) / 100 for i in items]
    wide["treatment"] = [
        dq.set_index("item")["treatment"].groupby(level=0).first()[i] for i in items
    ]
    gt = GT(wide, rowname_col="item").tab_stubhead(label="Records")
    for y in years:
        gt = gt.tab_spanner(label=y, columns=[f"n_{y}", f"pct_{y}"])
        gt = gt.cols_label(**{f"n_{y}": "Number", f"pct_{y}": "% of records"})
    gt = gt.cols_label(treatment="How the analysis treats them").fmt_percent(
        columns=[f"pct_{y}" for y in years], decimals=1
    )
    withheld = get_policy(suppression_policy).complement_symbol
    for y in years:
        symbols = [s if s and not s[0].isdigit() else "" for s in wide[f"n_{y}"]]
        # a shown count whose share is missing: the year's total is withheld, so is the
        # share (never the word "None")
        symbols = [s or (withheld if pd.isna(p) else "")
                   for s, p in zip(symbols, wide[f"pct_{y}"], strict=True)]
        gt = _sub_symbols(gt, f"pct_{y}", symbols)
    return style_table(gt, source_notes=[_policy_note(suppression_policy)])


def population_table(population: pd.DataFrame) -> GT:
    """Residents' ethnic group within each IMD quintile (% of the quintile's residents)."""
    pop = population[population["ethnic_group"] != "All"]
    groups = list(dict.fromkeys(pop["ethnic_group"]))
    wide = pd.DataFrame({"group": groups})
    cols = []
    for q in range(1, 6):
        col = f"q{q}"
        cols.append(col)
        sub = pop[pop["imd_quintile"] == q].set_index("ethnic_group")["share_of_quintile"]
        wide[col] = [sub.get(g, np.nan) for g in groups]
    totals = population[population["ethnic_group"] == "All"].set_index("imd_quintile")["count"]
    gt = (
        GT(wide, rowname_col="group")
        .tab_stubhead(label="Ethnic group")
        .cols_label(**{f"q{q}": QUINTILE_LABELS[q] for q in range(1, 6)})
        .tab_spanner(label="IMD 2025 quintile of residence", columns=cols)
        .fmt_percent(columns=cols, decimals=1)
    )
    residents = ", ".join(f"Q{q} {int(totals.get(q, 0)):,}" for q in range(1, 6))
    return style_table(
        gt,
        source_notes=[
            "Source: ONS Census 2021 (TS021, usual residents by LSOA) and MHCLG English "
            "Indices of Deprivation 2025 (national quintiles). Columns add up to 100%.",
            f"Usual residents by quintile: {residents}.",
        ],
    )


def service_table(
    results: pd.DataFrame,
    by: str,
    label: str,
    events: str,
    per: str,
    period: str | None = None,
    suppression_policy: str = "standard",
    synthetic: bool = True,
) -> GT:
    """Any engine output (one group column) as a rate/percentage table."""
    strata = "period" if "period" in results.columns else None
    part = results
    if strata is not None:
        period = _latest(results, strata, period)
        part = results[results[strata].astype(str) == period]
    measure = str(part["measure"].iloc[0])
    unit = "%" if measure == "proportion" else f"per {float(part['multiplier'].iloc[0]):,.0f} {per}"
    notes = [f"{label}{', ' + period if period else ''}.", _policy_note(suppression_policy)]
    if synthetic:
        notes.insert(0, _SYNTHETIC_NOTE)
    return _indicator_gt(part, by, measure, events, per, unit, notes, suppression_policy)


def placeholder_table(message: str) -> GT:
    """A one-cell table saying why a table is not shown (e.g. no input file)."""
    return style_table(GT(pd.DataFrame({"Not available": [message]})))


def service_section_table(
    section: inequalities.ServiceSection, by: str, suppression_policy: str = "standard"
) -> GT:
    """The section's indicator by ``by`` ("place", "imd_quintile" or "ethnic_group").

    A one-cell "not available" table when no file was supplied or it lacks the column.
    """
    frames = {"place": section.by_place, "imd_quintile": section.by_quintile,
              "ethnic_group": section.by_ethnicity}  # fmt: skip
    frame = frames.get(by)
    if not section.available:
        return placeholder_table(section.notes[0] if section.notes else "No data.")
    if frame is None:
        what = GROUP_TITLES.get(by, by).lower()
        return placeholder_table(
            f"The service activity file has no {what} column, so {section.indicator} is not "
            f"shown by {what}."
        )
    noun = "people counted" if section.measure == "proportion" else "denominator"
    return service_table(
        frame,
        by,
        f"{section.indicator}: numerator, denominator and "
        + ("percentage" if section.measure == "proportion" else "rate")
        + f" by {GROUP_TITLES.get(by, by).lower()}",
        "Numerator",
        noun[0].upper() + noun[1:],
        period=section.period,
        suppression_policy=suppression_policy,
        synthetic=section.synthetic,
    )
