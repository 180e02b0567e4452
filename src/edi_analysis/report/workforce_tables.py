"""great-tables tables for the workforce chapter.

Every function takes frames that have already been through disclosure control (the
``publish_*`` functions of :mod:`edi_analysis.workforce`, :mod:`edi_analysis.wres`,
:mod:`edi_analysis.gender_pay_gap`) and only formats them: rounding, "%" and the
policy's symbol in hidden cells happen here, at the display edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from great_tables import GT, loc, style

from edi_analysis import census, stats
from edi_analysis.report import symbols
from edi_analysis.report.theme import NHS_COLOURS, style_table
from edi_analysis.workforce import (
    CHARACTERISTICS,
    TOTAL,
    PublishedProfile,
    census_category_of_labels,
)

__all__ = [
    "NOT_APPLICABLE",
    "source_notes",
    "headcount_table",
    "representation_table",
    "declaration_table",
    "progression_table",
    "band_table",
    "indicator_table",
    "gpg_measures_table",
    "gpg_quarters_table",
    "gpg_peer_table",
    "gpg_groups_table",
    "census_base_label",
    "section_notes",
]

NOT_APPLICABLE = symbols.NOT_APPLICABLE


def source_notes(
    policy_key: str,
    is_demo: bool = True,
    census_base: str | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """Return the source and suppression notes printed under a workforce table.

    Parameters
    ----------
    policy_key : str
        The suppression policy's key text (``policy.key_text``).
    is_demo : bool
        True when the staff records are the synthetic demo data.
    census_base : str, optional
        The Census comparator's base (e.g. "Usual residents aged 16 to 64"); adds the
        Census source line.
    extra : sequence of str
        Further notes (definitions).

    Returns
    -------
    list of str
    """
    esr = "ESR extract (synthetic demo data)" if is_demo else "ESR extract"
    notes = [f"Source: {esr}, headcount at the snapshot date."]
    if census_base:
        notes.append(f"Census 2021, ONS ({census_base}); Open Government Licence v3.0.")
    notes.extend(extra)
    notes.append(f"Disclosure control: {policy_key}")
    return notes


def _sym(row: pd.Series, default: str) -> str:
    """The symbol a hidden cell of ``row`` shows (its ``symbol`` column, else default)."""
    value = row.get("symbol") if hasattr(row, "get") else None
    return value if isinstance(value, str) and value else default


def _pct(value: float, hidden: bool, symbol: str, decimals: int = 1) -> str:
    if hidden:
        return symbol
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_APPLICABLE
    return f"{100 * value:.{decimals}f}%"


def _num(value: float, hidden: bool, symbol: str, decimals: int = 0) -> str:
    if hidden:
        return symbol
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_APPLICABLE
    return f"{value:,.{decimals}f}"


def _signed(value: float, hidden: bool, symbol: str, decimals: int = 1, unit: str = "") -> str:
    if hidden:
        return symbol
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_APPLICABLE
    text = f"{value:+.{decimals}f}"
    if float(text) == 0:
        text = f"{0:.{decimals}f}"
    return f"{text}{unit}"


def _with_definitions(notes: Sequence[str], *definitions: str) -> list[str]:
    """Source notes with a table's definitions inserted before the last note.

    The last note is the suppression key, which always closes the notes.
    """
    notes = list(notes)
    return [*notes[:-1], *definitions, *notes[-1:]] if notes else list(definitions)


def headcount_table(
    profile: PublishedProfile,
    census_comparator: pd.DataFrame | None = None,
    notes: Sequence[str] = (),
) -> GT:
    """Categories x pay band clusters, % of each cluster's headcount (the seed's layout).

    Parameters
    ----------
    profile : PublishedProfile
        ``section.profiles[key]`` of
        :func:`edi_analysis.workforce_publication.build_chapter`.
    census_comparator : pandas.DataFrame, optional
        The Census comparator; adds a "Census 2021 %" column beside the total (share of
        the whole comparator population, non-response included, as the workforce %).
    notes : sequence of str
        Source notes (:func:`source_notes`).

    Returns
    -------
    great_tables.GT
        Rows: categories, then "Headcount" (the cluster totals). Hidden cells show the
        policy's symbol. Where a Census category covers several rows (e.g. Jainism and
        Other -> "Other religion") its % is shown on each of them, marked †.
    """
    head = profile.headcount
    symbol = profile.symbol
    spec = CHARACTERISTICS[profile.characteristic]
    clusters = list(dict.fromkeys(head["cluster"]))
    cats = [c for c in dict.fromkeys(head["category"]) if c != TOTAL]
    share = head.set_index(["category", "cluster"])
    rows = []
    for cat in cats:
        row = {"category": cat}
        for clu in clusters:
            r = share.loc[(cat, clu)]
            row[clu] = _pct(r["share"], bool(r["suppressed"]), _sym(r, symbol))
        rows.append(row)
    total_row = {"category": "Headcount"}
    for clu in clusters:
        r = share.loc[(TOTAL, clu)]
        total_row[clu] = _num(r["count"], bool(r["suppressed"]), _sym(r, symbol))
    extra_notes = []
    if census_comparator is not None and spec.census is not None:
        mapping = census_category_of_labels(spec.key, cats)
        pop = census_comparator.groupby("category", sort=False)["count"].sum()
        pop_share = pop / pop.sum()
        sizes = pd.Series(mapping).value_counts()
        for row in rows:
            cen = mapping[row["category"]]
            value = pop_share.get(cen, float("nan"))
            text = _pct(value, False, symbol)
            if sizes.get(cen, 0) > 1 and text != NOT_APPLICABLE:
                text += " †"
            row["census"] = text
        total_row["census"] = ""
        if (sizes > 1).any():
            extra_notes.append("† The Census category covers several rows of this table; "
                               "its share is shown on each of them.")
        base = str(census_comparator["base"].iloc[0]).split(" (")[0] \
            if "base" in census_comparator else ""
        extra_notes.append(f"Census 2021 %: share of {base.lower() or 'residents'} in the "
                           "organisation's area. \u2013 no Census equivalent.")
    frame = pd.DataFrame([*rows, total_row])
    table = GT(frame, rowname_col="category").tab_stubhead(label=spec.label)
    table = table.tab_spanner(label="% of headcount by pay band cluster", columns=clusters)
    if "census" in frame.columns:
        table = table.cols_label(census="Census 2021 %")
    table = table.cols_align(align="right", columns=[c for c in frame.columns
                                                     if c != "category"])
    table = table.tab_style(style=style.text(weight="bold"),
                            locations=loc.body(columns=[TOTAL]))
    return style_table(table, source_notes=_with_definitions(notes, *extra_notes)
                       if notes else extra_notes)


def representation_table(
    representation: pd.DataFrame, symbol: str, notes: Sequence[str] = (),
    confidence: float = 0.95,
) -> GT:
    """Workforce vs Census, group by group, with interval and assessment.

    Parameters
    ----------
    representation : pandas.DataFrame
        ``PublishedProfile.representation`` (published).
    symbol : str
        The policy's symbol for hidden cells.
    notes : sequence of str
        Source notes.
    confidence : float
        Level of the intervals (for the column label).

    Returns
    -------
    great_tables.GT
        Columns: staff n, staff % (of staff who stated), interval, population %,
        difference (percentage points), ratio, assessment. Rows kept apart (not stated,
        outside the comparator population) show their share of all staff and no
        assessment.
    """
    level = f"{confidence * 100:g}%"
    derived = symbols.derived_mark(symbol)
    rows = []
    for _, r in representation.iterrows():
        hidden = bool(r["suppressed"])
        compared = bool(r["compared"])
        n_hidden = pd.isna(r["workforce_n"])
        rows.append({
            "category": r["category"] + ("" if compared else " (kept apart)"),
            "n": _num(r["workforce_n"], n_hidden, symbols.cell_symbol(r.get("symbol"), symbol)),
            "share": _pct(r["workforce_share"], hidden, derived),
            "interval": (derived if hidden else NOT_APPLICABLE if pd.isna(r["lower"]) else
                         f"{100 * r['lower']:.1f}% to {100 * r['upper']:.1f}%"),
            "population": _pct(r["population_share"], False, derived),
            "difference": _signed(r["difference_pts"], hidden, derived, unit=" pts"),
            "ratio": _num(r["representation_ratio"], hidden, derived, decimals=2),
            "flag": symbols.NOT_ASSESSED if hidden else (r["flag"] or NOT_APPLICABLE),
        })
    frame = pd.DataFrame(rows)
    key = str(representation["characteristic"].iloc[0])
    table = GT(frame, rowname_col="category").tab_stubhead(label=CHARACTERISTICS[key].label)
    table = table.cols_label(
        n="Staff (n)", share="Staff %", interval=f"{level} interval",
        population="Population %", difference="Difference", ratio="Ratio",
        flag="Assessment",
    ).cols_align(align="right", columns=["n", "share", "interval", "population",
                                         "difference", "ratio"])
    defs = (f"Staff % and population %: shares of those who stated a category. "
            f"Assessment: under-/over-represented when the population share lies outside "
            f"the {level} Wilson interval of the staff share, otherwise similar. Ratio: "
            "staff % / population %. Rows kept apart show their share of all staff and "
            "of the whole population.")
    return style_table(table, source_notes=_with_definitions(
        notes, defs, symbols.derived_note(symbol)))


def declaration_table(declaration: pd.DataFrame, symbol: str, notes: Sequence[str] = ()) -> GT:
    """Share of staff with no stated category, by characteristic and cluster.

    Parameters
    ----------
    declaration : pandas.DataFrame
        Published declaration rows of several characteristics (stacked
        ``PublishedProfile.declaration``), optionally through
        :func:`edi_analysis.workforce.declaration_change` (adds the previous snapshot).
    symbol : str
        Symbol of hidden cells.
    notes : sequence of str
        Source notes.

    Returns
    -------
    great_tables.GT
    """
    clusters = list(dict.fromkeys(declaration["cluster"]))
    rows = []
    for key, part in declaration.groupby("characteristic", sort=False):
        part = part.set_index("cluster")
        row = {"characteristic": CHARACTERISTICS[key].label}
        for clu in clusters:
            r = part.loc[clu]
            row[clu] = _pct(r["not_declared_share"], bool(r["suppressed"]), _sym(r, symbol))
        if "previous_not_declared_share" in part.columns:
            r = part.loc[TOTAL]
            row["previous"] = _pct(r["previous_not_declared_share"], False, symbol)
            row["change"] = _signed(r["change_pts"], bool(r["suppressed"]),
                                    symbols.derived_mark(symbol), unit=" pts")
        rows.append(row)
    frame = pd.DataFrame(rows)
    table = GT(frame, rowname_col="characteristic").tab_stubhead(label="Characteristic")
    table = table.tab_spanner(label="% not declared by pay band cluster", columns=clusters)
    if "previous" in frame.columns:
        table = table.cols_label(previous="Previous snapshot", change="Change")
    table = table.cols_align(align="right", columns=[c for c in frame.columns
                                                     if c != "characteristic"])
    defs = ("Not declared: 'not stated', 'prefer not to say', 'unspecified' or unknown "
            "entries in the staff record.")
    return style_table(table, source_notes=_with_definitions(
        notes, defs, symbols.derived_note(symbol)))


def progression_table(progression: pd.DataFrame, symbol: str, notes: Sequence[str] = ()) -> GT:
    """How each group's staff are spread across the pay band clusters (row %).

    Parameters
    ----------
    progression : pandas.DataFrame
        ``section.progression[key]`` of
        :func:`edi_analysis.workforce_publication.build_chapter` (published counts).
    symbol : str
        Symbol of hidden cells.
    notes : sequence of str
        Source notes.

    Returns
    -------
    great_tables.GT
    """
    clusters = [c for c in dict.fromkeys(progression["cluster"]) if c != TOTAL]
    rows = []
    for cat, part in progression.groupby("category", sort=False):
        part = part.set_index("cluster")
        row = {"category": cat}
        for clu in clusters:
            row[clu] = _pct(part.at[clu, "share_of_group"], bool(part.at[clu, "suppressed"]),
                            _sym(part.loc[clu], symbol))
        row["n"] = _num(part.at[TOTAL, "count"], bool(part.at[TOTAL, "suppressed"]), symbol)
        rows.append(row)
    frame = pd.DataFrame(rows)
    key = str(progression["characteristic"].iloc[0])
    table = GT(frame, rowname_col="category").tab_stubhead(label=CHARACTERISTICS[key].label)
    table = table.tab_spanner(label="% of the group's staff in each cluster", columns=clusters)
    table = table.cols_label(n="Staff (n)").cols_align(
        align="right", columns=[*clusters, "n"])
    return style_table(table, source_notes=list(notes))


def band_table(
    published: pd.DataFrame, groups: Sequence[str], unknown: str, symbol: str,
    notes: Sequence[str] = (),
) -> GT:
    """WRES indicator 1 / WDES metric 1: headcount and share by band and staff type.

    Parameters
    ----------
    published : pandas.DataFrame
        ``wres_1`` or ``wdes_1`` of
        :func:`edi_analysis.workforce_publication.build_chapter` (published counts).
    groups : sequence of str
        Known groups (e.g. "White", "BME").
    unknown : str
        The not-stated column.
    symbol : str
        Symbol of hidden cells.
    notes : sequence of str
        Source notes.

    Returns
    -------
    great_tables.GT
        Grouped by staff type; columns: counts of each group and not stated, total,
        and the % of each known group among staff with a known status.
    """
    rows = []
    derived = symbols.derived_mark(symbol)
    for _, r in published.iterrows():
        row = {"workforce": r["workforce"], "band": r["band"]}
        for g in [*groups, unknown, "total"]:
            row[g] = _num(r[g], pd.isna(r[g]), symbols.cell_symbol(r.get(f"{g}_symbol"),
                                                                    symbol))
        for g in groups:
            # a share is blank when any known group's count is hidden: its mark says
            # "hidden", not the symbol of a count (27 White staff are not "<5")
            hidden = pd.isna(r[f"{g}_share"]) and any(pd.isna(r[x]) for x in groups)
            row[f"{g}_share"] = _pct(r[f"{g}_share"], hidden, derived)
        rows.append(row)
    frame = pd.DataFrame(rows)
    table = GT(frame, rowname_col="band", groupname_col="workforce")
    labels = {"total": "Headcount", **{f"{g}_share": f"% {g}" for g in groups}}
    table = table.cols_label(**labels).cols_align(
        align="right", columns=[c for c in frame.columns if c not in ("workforce", "band")])
    table = table.tab_spanner(label="Staff (n)", columns=[*groups, unknown, "total"])
    table = table.tab_spanner(label="% of staff with a known status",
                              columns=[f"{g}_share" for g in groups])
    return style_table(table, source_notes=_with_definitions(
        notes, symbols.derived_note(symbol)) if notes else [symbols.derived_note(symbol)])


def indicator_table(results: pd.DataFrame, notes: Sequence[str] = (), symbol: str = "<5",
                    confidence: float = 0.95) -> GT:
    """WRES / WDES relative likelihoods and board differences, one row per result.

    Parameters
    ----------
    results : pandas.DataFrame
        Published indicator rows (``wres_results``, ``wdes_results`` or
        ``section.senior`` of :func:`edi_analysis.workforce_publication.build_chapter`).
    notes : sequence of str
        Source notes.
    symbol : str
        Symbol of hidden cells.
    confidence : float
        Level of the intervals (for the column label).

    Returns
    -------
    great_tables.GT
        Indicator, description, breakdown, group a and group b figures, value with its
        interval, NHS England's non-adverse assessment for relative likelihoods, note
        (e.g. "not available: no recruitment file supplied").
    """
    derived = symbols.derived_mark(symbol)
    rows = []
    for _, r in results.iterrows():
        available = bool(r["available"])
        hidden = bool(r.get("suppressed", False))
        ratio = r["unit"] == "ratio"
        if not available:
            value = a = b = interval = assess = NOT_APPLICABLE
        else:
            # every figure of the row is worked out from its counts: "hidden", never
            # the symbol of the small count behind it
            a = _pct(r["value_a"], hidden, derived)
            b = _pct(r["value_b"], hidden, derived)
            if ratio:
                value = _num(r["value"], hidden, derived, decimals=2)
                interval = (derived if hidden else NOT_APPLICABLE if pd.isna(r["lower"])
                            else f"{r['lower']:.2f} to {r['upper']:.2f}")
                na = r["non_adverse"]
                assess = symbols.NOT_ASSESSED if hidden else NOT_APPLICABLE if pd.isna(
                    na) else ("Non-adverse (0.80-1.25)" if bool(na) else "Outside 0.80-1.25")
            else:
                value = _signed(r["value"], hidden, derived, unit=" pts")
                interval = assess = NOT_APPLICABLE
        label = f"{r['standard']} {r['indicator']}"
        groups = (f"{r['reference']} vs {r['comparison']}" if available and r["reference"]
                  else "")
        rows.append({"indicator": label, "description": r["description"],
                     "breakdown": r["breakdown"] if available else "", "groups": groups,
                     "a": a, "b": b, "value": value, "interval": interval,
                     "assessment": assess, "note": r["note"] if isinstance(r["note"], str)
                     else ""})
    frame = pd.DataFrame(rows)
    table = GT(frame).cols_label(
        indicator="Indicator", description="Definition", breakdown="Breakdown",
        groups="Groups (a vs b)", a="a", b="b", value="Value",
        interval=f"{stats.confidence_label(confidence)} interval",
        assessment="Assessment", note="Note",
    ).cols_align(align="right", columns=["a", "b", "value", "interval"])
    table = table.tab_style(style=style.text(color=NHS_COLOURS["dark_grey"], size="12px"),
                            locations=loc.body(columns=["description", "note"]))
    defs = ("Relative likelihood = likelihood for group a / likelihood for group b (a and "
            "b: % appointed, entering the process or accessing training; for board rows, "
            "% of the board and % of the workforce). NHS England reads relative "
            "likelihoods between 0.80 and 1.25 as non-adverse. Not-stated ethnicity or "
            "disability is excluded from numerators and denominators.")
    return style_table(table, source_notes=_with_definitions(
        notes, defs, symbols.derived_note(symbol)))


def gpg_measures_table(measures: pd.DataFrame, symbol: str, notes: Sequence[str] = ()) -> GT:
    """The statutory gender pay gap measures with the year-on-year change.

    Parameters
    ----------
    measures : pandas.DataFrame
        Published :func:`~edi_analysis.gender_pay_gap.gap_change` rows
        (``gpg.measures`` of :func:`edi_analysis.workforce_publication.build_chapter`).
    symbol : str
        Symbol of hidden cells.
    notes : sequence of str
        Source notes.

    Returns
    -------
    great_tables.GT
    """
    default_symbol = symbol
    rows = []
    for _, r in measures.iterrows():
        hidden = bool(r["suppressed"])
        symbol = _sym(r, default_symbol)
        rows.append({
            "measure": r["measure"],
            "value": (symbol if hidden else NOT_APPLICABLE if pd.isna(r["value_pct"])
                      else f"{r['value_pct']:.1f}%"),
            "previous": NOT_APPLICABLE if pd.isna(r.get("previous_pct")) else
            f"{r['previous_pct']:.1f}%",
            "change": _signed(r.get("change_pts"), hidden, symbol, unit=" pts"),
        })
    frame = pd.DataFrame(rows)
    table = GT(frame, rowname_col="measure").tab_stubhead(label="Measure").cols_label(
        value="This year", previous="Previous year", change="Change").cols_align(
        align="right", columns=["value", "previous", "change"])
    defs = ("Pay gap = (men's average - women's average) / men's average; a positive gap "
            "means men are paid more on average. Hourly pay gaps use full-pay relevant "
            "employees; bonus gaps use employees paid a bonus in the 12 months to the "
            "snapshot date (Equality Act 2010 (Specific Duties and Public Authorities) "
            "Regulations 2017, Schedule 1).")
    return style_table(table, source_notes=_with_definitions(notes, defs))


def gpg_quarters_table(quarters: pd.DataFrame, symbol: str, notes: Sequence[str] = ()) -> GT:
    """Men and women in each hourly pay quarter (published %; no counts).

    Parameters
    ----------
    quarters : pandas.DataFrame
        ``gpg.quarters`` of :func:`edi_analysis.workforce_publication.build_chapter`.
    symbol : str
        Symbol of hidden cells.
    notes : sequence of str
        Source notes.

    Returns
    -------
    great_tables.GT
    """
    rows = []
    for _, r in quarters.iterrows():
        rows.append({
            "quarter": r["quarter"],
            "female_pct": _pct(r["female_pct"] / 100, pd.isna(r["female_pct"]),
                               r.get("female_symbol") or symbol),
            "male_pct": _pct(r["male_pct"] / 100, pd.isna(r["male_pct"]),
                             r.get("male_symbol") or symbol),
        })
    frame = pd.DataFrame(rows)
    table = GT(frame, rowname_col="quarter").tab_stubhead(label="Hourly pay quarter")
    table = table.cols_label(female_pct="Women %", male_pct="Men %").cols_align(
        align="right", columns=["female_pct", "male_pct"])
    defs = ("Full-pay relevant employees ranked by hourly pay and divided into four equal "
            "quarters (remainder placed as in the statutory guidance; employees on the same "
            "rate at a boundary shared so each quarter has the same proportion of men and "
            "women on that rate). The numbers of full-pay relevant staff are not published: "
            "with the headcount they would give away the few staff on reduced or nil pay.")
    return style_table(table, source_notes=_with_definitions(notes, defs))


def gpg_peer_table(peers: pd.DataFrame, notes: Sequence[str] = ()) -> GT:
    """The organisation's hourly pay gaps beside NHS bodies' published returns.

    Parameters
    ----------
    peers : pandas.DataFrame
        :func:`edi_analysis.gender_pay_gap.peer_comparison` output.
    notes : sequence of str
        Source notes.

    Returns
    -------
    great_tables.GT
    """
    frame = pd.DataFrame({
        "measure": peers["measure"],
        "peer_group": peers["peer_group"],
        "org": [f"{v:.1f}%" if not pd.isna(v) else NOT_APPLICABLE for v in peers["org_pct"]],
        "n": peers["peer_bodies"].astype(int).astype(str),
        "median": [f"{v:.1f}%" if not pd.isna(v) else NOT_APPLICABLE
                   for v in peers["peer_median_pct"]],
        "iqr": [NOT_APPLICABLE if pd.isna(a) else f"{a:.1f}% to {b:.1f}%"
                for a, b in zip(peers["peer_q1_pct"], peers["peer_q3_pct"], strict=True)],
        "percentile": [NOT_APPLICABLE if pd.isna(v) else f"{v:.0f}"
                       for v in peers["percentile"]],
    })
    year = str(peers["peer_year"].iloc[0]) if len(peers) else ""
    table = GT(frame, rowname_col="peer_group", groupname_col="measure").cols_label(
        org="This organisation", n="Peers (n)", median="Peer median",
        iqr="Peer middle half", percentile="Percentile").cols_align(
        align="right", columns=["org", "n", "median", "iqr", "percentile"])
    defs = (f"Peers: NHS bodies' returns to the government's gender pay gap service for "
            f"{year} (Government Equalities Office, Open Government Licence v3.0). "
            "Percentile: % of peers with a smaller gap.")
    return style_table(table, source_notes=_with_definitions(notes, defs))


def gpg_groups_table(gaps: pd.DataFrame, symbol: str, notes: Sequence[str] = ()) -> GT:
    """Hourly pay gaps by ethnicity and by disability (non-statutory).

    Parameters
    ----------
    gaps : pandas.DataFrame
        Published :func:`~edi_analysis.gender_pay_gap.pay_gap_by_group` rows
        (``gpg.groups`` of :func:`edi_analysis.workforce_publication.build_chapter`).
    symbol : str
        Symbol of hidden cells.
    notes : sequence of str
        Source notes.

    Returns
    -------
    great_tables.GT
    """
    frame = pd.DataFrame({
        "comparison": [f"{a} vs {b}" for a, b in zip(gaps["reference"], gaps["comparison"],
                                                      strict=True)],
        "measure": gaps["measure"],
        "value": [(_sym(r, symbol) if bool(r["suppressed"]) else NOT_APPLICABLE
                   if pd.isna(r["value_pct"]) else f"{r['value_pct']:.1f}%")
                  for _, r in gaps.iterrows()],
    })
    table = GT(frame, rowname_col="measure", groupname_col="comparison").cols_label(
        value="Pay gap").cols_align(align="right", columns=["value"])
    defs = ("Gap = (reference group's average hourly pay - comparison group's) / reference "
            "group's, for full-pay relevant employees; staff whose ethnicity or disability "
            "is not stated are left out. A gap is not shown when either group has 1 to 4 "
            "people. Not a statutory measure.")
    return style_table(table, source_notes=_with_definitions(notes, defs))


def census_base_label(comparator: pd.DataFrame) -> str:
    """Return the comparator's population base, e.g. "Usual residents aged 16 to 64"."""
    if "base" in comparator.columns and len(comparator):
        return str(comparator["base"].iloc[0])
    return census.BASE_16_64


def section_notes(section: object, key: str | None = None, extra: Sequence[str] = ()) -> list[str]:
    """Source notes for a table of a :class:`edi_analysis.workforce.WorkforceSection`.

    Parameters
    ----------
    section : WorkforceSection
        ``section`` of :func:`edi_analysis.workforce_publication.build_chapter`.
    key : str, optional
        Characteristic whose Census comparator the table uses (adds the Census line).
    extra : sequence of str
        Further notes.

    Returns
    -------
    list of str
    """
    comp = section.comparators.get(key) if key else None
    base = census_base_label(comp) if comp is not None else None
    return source_notes(section.policy.key_text, section.is_demo, base, extra)
