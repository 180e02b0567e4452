"""great-tables tables for the NHS Staff Survey chapter.

Every function takes the chapter's published frames
(:class:`edi_analysis.staff_survey.SurveyRelease`: protected, with every figure derived
from the published ones and rounded as published) and only formats: symbols and colours
happen here. Ratings are shown by cell fill **and** a text label ("(G)", "(A)", "(R)")
so they survive greyscale printing and screen readers.
"""

from __future__ import annotations

import html as _html

import numpy as np
import pandas as pd
from great_tables import GT, html, loc, style

from edi_analysis import stats
from edi_analysis.report.theme import RAG_FILLS, style_table
from edi_analysis.staff_survey import (
    ENGAGEMENT_MISSING,
    OVERALL,
    load_catalogue,
    subgroup_order,
)

__all__ = [
    "RATING_LABELS",
    "breakdown_table",
    "breakdown_table_data",
    "change_words",
    "engagement_table",
    "published_comparison",
    "published_indicators",
    "rating_key",
    "trend_table_gt",
    "two_group_table",
]

RATING_LABELS = {"Green": "G", "Amber": "A", "Red": "R"}
SUPPRESSED = "*"
RELIABLE = "†"
NOT_ASKED = "–"
NOT_AVAILABLE = "not available"


def rating_key(threshold: float = 3.0, min_responses: int = 10,
               confidence: float = 0.95) -> str:
    """The key printed under every breakdown table."""
    t = f"{threshold:g}"
    level = f"{confidence * 100:g}%"
    return (
        f"(G) Green: at least {t} points better than the organisation; (R) Red: at least {t} "
        f"points worse; (A) Amber: within {t} points. For harassment, violence, "
        "discrimination and pressure questions a lower % is better, and ratings take this "
        f"into account. {SUPPRESSED} fewer than {min_responses} responses, or hidden so that "
        f"a hidden result cannot be worked out. {RELIABLE} the difference from the rest of "
        f"the organisation is statistically significant ({level} level). {NOT_ASKED} no result."
    )


def change_words(change_pts: float, change_better_pts: float, significant: bool = False,
                 decimals: int = 1) -> str:
    """A change in points as the report prints it: the signed value and its direction.

    Parameters
    ----------
    change_pts : float
        Latest minus previous, in percentage points (the sign of the raw change).
    change_better_pts : float
        The same change signed so that positive is an improvement (a fall, for
        questions where a lower % is better).
    significant : bool
        Append the significance mark.
    decimals : int
        Decimals shown.

    Returns
    -------
    str
        e.g. ``"−0.6, improved†"``, ``"+1.2, worsened"``, ``"0.0, no change"``. The
        direction is read from the value as shown, so a change that rounds to 0.0 is
        "no change", and the sign printed is always the sign of the change: an arrow
        or colour can never disagree with it, and a screen reader reads the word.
    """
    shown = round(float(change_pts), decimals)
    if shown == 0:
        text, word = f"{0:.{decimals}f}", "no change"
    else:
        text = f"{shown:+.{decimals}f}".replace("-", "\u2212")
        word = "improved" if change_better_pts > 0 else "worsened"
    return f"{text}, {word}" + (RELIABLE if significant else "")


def _significance_level(frame: pd.DataFrame) -> str:
    """The test's significance level, 1 - confidence, as text ("5%", "0.2%")."""
    level = float(stats.confidence_label(frame).rstrip("%"))
    return f"{round(100 - level, 6):g}%"


def _year(frame: pd.DataFrame, year: int | None) -> int:
    if frame.empty:
        raise ValueError("No results to tabulate.")
    return int(frame["year"].max()) if year is None else int(year)


def _question_order(codes: pd.Series) -> list[str]:
    order = {c: i for i, c in enumerate(load_catalogue()["code"])}
    return sorted(pd.unique(codes), key=lambda c: (order.get(c, len(order)), c))


def published_comparison(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison as published (kept for callers of the earlier API).

    :meth:`edi_analysis.staff_survey.SurveyRelease.comparison` already returns the
    published table: hidden rows carry no figures and every figure is rounded as shown.

    Returns
    -------
    DataFrame
        A copy of ``comparison``.
    """
    return comparison.copy()


def published_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """WRES/WDES indicators as published: without numerators (earlier API).

    The tables of :class:`edi_analysis.staff_survey.SurveyRelease` carry no numerators;
    an older frame's ``*_numerator`` columns are dropped and ``*_denominator`` renamed
    ``*_respondents``.
    """
    out = indicators.drop(columns=[c for c in indicators.columns if c.endswith("_numerator")])
    return out.rename(columns={c: c.replace("_denominator", "_respondents")
                               for c in out.columns if c.endswith("_denominator")})


def _cell(row: pd.Series) -> str:
    if row["suppressed"]:
        return SUPPRESSED
    if pd.isna(row["pct_positive"]):
        return NOT_ASKED
    text = f"{row['pct_positive']:.1f}"
    if row["breakdown"] != OVERALL and isinstance(row["rating"], str):
        text += f" ({RATING_LABELS[row['rating']]})"
        if row["reliable"]:
            text += RELIABLE
    return text


def breakdown_table_data(
    comparison: pd.DataFrame, breakdown: str, year: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The display grid behind :func:`breakdown_table`.

    Returns
    -------
    text : DataFrame
        ``question``, ``wording``, ``theme`` then one column per group (``Overall``
        first) holding the display text ("72.3", "65.1 (R)†", "*").
    ratings : DataFrame
        Same shape: the rating behind each cell (None for Overall, suppressed, missing).
    labels : dict
        Column id to header text including n (e.g. "Asian (n=153)").
    """
    year = _year(comparison, year)
    part = comparison[(comparison["year"] == year)
                      & comparison["breakdown"].isin([OVERALL, breakdown])].copy()
    if not (part["breakdown"] == breakdown).any():
        raise ValueError(f"No {breakdown!r} results for {year}.")
    part["column"] = np.where(part["breakdown"] == OVERALL, OVERALL, part["subgroup"])
    groups = [OVERALL, *subgroup_order(part.loc[part["breakdown"] == breakdown, "subgroup"])]
    part["text"] = part.apply(_cell, axis=1)
    part["shown_rating"] = part["rating"].where(~part["suppressed"].astype(bool), None)
    questions = _question_order(part["question"])
    meta = part.drop_duplicates("question").set_index("question")
    text = part.pivot(index="question", columns="column", values="text")
    text = text.reindex(index=questions, columns=groups).fillna(NOT_ASKED)
    ratings = part.pivot(index="question", columns="column", values="shown_rating")
    ratings = ratings.reindex(index=questions, columns=groups)
    ids = [f"g{i}" for i in range(len(groups))]
    labels = {}
    for gid, group in zip(ids, groups, strict=True):
        rows = part[part["column"] == group]
        shown = rows[rows["n_respondents"].notna()]
        label = "Organisation" if group == OVERALL else str(group)
        if len(shown):
            labels[gid] = f"{label} (n={int(shown['n_respondents'].max()):,})"
        else:
            labels[gid] = f"{label} (n not shown)"
    text.columns = ids
    ratings.columns = ids
    front = pd.DataFrame({
        "question": questions,
        "wording": [meta.at[q, "short_wording"] for q in questions],
        "theme": [meta.at[q, "theme"] for q in questions],
    })
    text = pd.concat([front, text.reset_index(drop=True)], axis=1)
    ratings = ratings.reset_index(drop=True)
    return text, ratings, labels


def breakdown_table(
    comparison: pd.DataFrame,
    breakdown: str,
    year: int | None = None,
    *,
    min_responses: int = 10,
    source: str = "NHS Staff Survey",
) -> GT:
    """One breakdown's subgroup results, RAG rated against the organisation.

    Parameters
    ----------
    comparison : DataFrame
        Output of :func:`edi_analysis.staff_survey.compare_to_overall`.
    breakdown : str
        e.g. "Ethnicity".
    year : int, optional
        Survey year (default the latest).
    min_responses : int, default 10
        Suppression threshold used (for the key).
    source : str
        Source line (e.g. "NHS Staff Survey 2025, organisation results (SYNTHETIC demo)").

    Returns
    -------
    great_tables.GT
        Questions as rows (code, short wording; grouped by theme), Organisation then
        each subgroup as columns with n in the header; cells show the % to one decimal,
        the rating label and † where statistically reliable; fills by rating.

    Notes
    -----
    A breakdown with no results for the year gives a one-line table saying so.
    """
    year = _year(comparison, year)
    if not ((comparison["year"] == year) & (comparison["breakdown"] == breakdown)).any():
        empty = pd.DataFrame({"Note": [f"No results by {breakdown.lower()} were supplied "
                                       f"for {year}."]})
        return style_table(GT(empty), source_notes=[f"Source: {source}."])
    text, ratings, labels = breakdown_table_data(comparison, breakdown, year)
    threshold = float(comparison["threshold"].iloc[0])
    confidence = float(comparison["confidence"].iloc[0])
    value_cols = list(labels)
    gt = (
        GT(text, rowname_col="question", groupname_col="theme")
        .cols_label(wording="Question",
                    **{c: html(_html.escape(labels[c]).replace(" (n=", "<br>(n=")
                               .replace(" (n not", "<br>(n not")) for c in value_cols})
        .tab_stubhead(label="Code")
        .tab_spanner(label=f"{breakdown} ({year})", columns=value_cols[1:])
        .cols_align("center", columns=value_cols)
        .cols_align("left", columns="wording")
    )
    for col in value_cols[1:]:
        for rating, fill in RAG_FILLS.items():
            rows = [int(i) for i in np.flatnonzero((ratings[col] == rating).to_numpy())]
            if rows:
                gt = gt.tab_style(style=style.fill(color=fill),
                                  locations=loc.body(columns=col, rows=rows))
    gt = gt.tab_style(style=style.text(weight="bold"),
                      locations=loc.body(columns=value_cols[0]))
    notes = [
        rating_key(threshold, min_responses, confidence),
        "Percentages are of respondents giving the answer(s) described for each question "
        "(see the question catalogue); n is the largest number of respondents to any "
        "question in the group (bases vary by question).",
        f"Source: {source}.",
    ]
    return style_table(gt, source_notes=notes)


def trend_table_gt(
    trends: pd.DataFrame,
    breakdown: str = OVERALL,
    subgroup: str | None = None,
    *,
    source: str = "NHS Staff Survey",
) -> GT:
    """Percentages by year for one group (default the organisation) with the change.

    Parameters
    ----------
    trends : DataFrame
        Output of :func:`edi_analysis.staff_survey.trend_table`.
    breakdown, subgroup : str
        The group to show (``"Overall"`` = the organisation).
    source : str
        Source line.

    Returns
    -------
    great_tables.GT
        Questions as rows, one column per year (suppressed "*"), then the latest
        change in points with its direction in words (:func:`change_words`), † where
        significant.
    """
    part = trends[trends["breakdown"] == breakdown]
    if subgroup is not None:
        part = part[part["subgroup"] == subgroup]
    if part.empty:
        raise ValueError(f"No trend results for {breakdown!r} {subgroup or ''}.")
    years = sorted(part["year"].unique())
    questions = _question_order(part["question"])
    grid = part.assign(text=np.where(part["suppressed"].astype(bool), SUPPRESSED,
                                     part["pct_positive"].map(
                                         lambda v: NOT_ASKED if pd.isna(v) else f"{v:.1f}")))
    wide = grid.pivot(index="question", columns="year", values="text").reindex(
        index=questions, columns=years).fillna(NOT_ASKED)
    wide.columns = [str(y) for y in years]
    last = part[part["year"] == years[-1]].set_index("question").reindex(questions)

    def change_text(row: pd.Series) -> str:
        if pd.isna(row["change_pts"]):
            return NOT_ASKED
        return change_words(row["change_pts"], row["change_better_pts"],
                            bool(row["change_significant"]))

    wording = part.drop_duplicates("question").set_index("question")["short_wording"]
    table = pd.DataFrame({"question": questions,
                          "wording": [wording[q] for q in questions]})
    table = pd.concat([table, wide.reset_index(drop=True)], axis=1)
    change_label = (f"Change since {int(last['previous_year'].dropna().iloc[0])}"
                    if last["previous_year"].notna().any() else "Change")
    table["change"] = last.apply(change_text, axis=1).to_numpy() if len(years) > 1 \
        else NOT_ASKED
    gt = (
        GT(table, rowname_col="question")
        .tab_stubhead(label="Code")
        .cols_label(wording="Question", change=f"{change_label} (points)")
        .cols_align("center", columns=[*wide.columns, "change"])
    )
    notes = [
        "Each change is the latest % minus the previous one, in percentage points, with "
        "whether it is an improvement (for harassment, violence, discrimination and "
        "pressure questions a fall is an improvement); a change that rounds to 0.0 is "
        f"'no change'. {RELIABLE} the change is statistically significant (two-proportion "
        "z test, or Fisher's exact test for small counts"
        + (f"; {_significance_level(part)} level" if "confidence" in part.columns else "")
        + f"). {SUPPRESSED} suppressed. {NOT_ASKED} no result.",
        f"Source: {source}.",
    ]
    return style_table(gt, source_notes=notes)


def two_group_table(
    indicators: pd.DataFrame,
    kind: str = "wres",
    year: int | None = None,
    *,
    source: str = "NHS Staff Survey",
) -> GT:
    """WRES indicators 5-8 (White vs BME) or WDES metrics (disabled vs non-disabled).

    Parameters
    ----------
    indicators : DataFrame
        Output of :func:`edi_analysis.staff_survey.wres_survey_indicators` (``kind="wres"``)
        or :func:`~edi_analysis.staff_survey.wdes_survey_metrics` (``kind="wdes"``).
    kind : {"wres", "wdes"}
    year : int, optional
        Survey year (default the latest).
    source : str
        Source line.

    Returns
    -------
    great_tables.GT
        One row per indicator: each group's % with its 95% interval, the gap in
        points and whether it is statistically significant.
    """
    if kind == "wres":
        id_col, groups, labels = "indicator", ("white", "bme"), ("White", "BME")
        heading = "WRES indicator"
    elif kind == "wdes":
        id_col, groups, labels = "metric", ("non_disabled", "disabled"), (
            "Non-disabled", "Disabled")
        heading = "WDES metric"
    else:
        raise ValueError(f"kind must be 'wres' or 'wdes', got {kind!r}.")
    year = _year(indicators, year)
    part = indicators[indicators["year"] == year].reset_index(drop=True)
    level = stats.confidence_label(part)

    def fmt(prefix: str) -> pd.Series:
        def one(row: pd.Series) -> str:
            v = row[f"{prefix}_value"]
            if not bool(row.get("available", True)):
                return NOT_AVAILABLE
            if pd.isna(v):
                return SUPPRESSED if row.get(f"{prefix}_suppressed", False) else NOT_ASKED
            return (f"{v * 100:.1f} ({row[f'{prefix}_lower'] * 100:.1f}–"
                    f"{row[f'{prefix}_upper'] * 100:.1f})")
        return part.apply(one, axis=1)

    unavailable = ~part.get("available", pd.Series(True, index=part.index)).astype(bool)
    gap = np.where(unavailable, NOT_AVAILABLE, np.where(part["difference_pts"].isna(), NOT_ASKED,
                   part["difference_pts"].map(lambda d: f"{d:+.1f}") +
                   np.where(part["significant"], RELIABLE, "")))
    table = pd.DataFrame({
        "id": part[id_col].astype(str),
        "description": part["description"] + " (" + part["question"] + ")",
        "a": fmt(groups[0]),
        "b": fmt(groups[1]),
        "gap": gap,
    })
    gt = (
        GT(table, rowname_col="id")
        .tab_stubhead(label=heading)
        .cols_label(description="Measure", a=f"{labels[0]} % ({level} CI)",
                    b=f"{labels[1]} % ({level} CI)", gap=f"{labels[1]} minus {labels[0]} (points)")
        .cols_align("center", columns=["a", "b", "gap"])
    )
    notes = [
        f"{RELIABLE} statistically significant difference (two-proportion test, "
        f"{_significance_level(part)} level). "
        f"{SUPPRESSED} suppressed (too few responses, or would reveal a suppressed group). "
        f"{NOT_ASKED} no result; \"{NOT_AVAILABLE}\": the measure is not in the results (see "
        f"the notes). Intervals are Wilson {stats.confidence_label(part)} confidence "
        "intervals.",
        f"Source: {source} ({year}).",
    ]
    if part["note"].notna().any():
        notes.insert(1, "Notes: " + "; ".join(
            f"{r[id_col]}: {r['note']}" for _, r in part[part["note"].notna()].iterrows()))
    return style_table(gt, source_notes=notes)


def engagement_table(
    engagement: pd.DataFrame,
    year: int | None = None,
    *,
    source: str = "NHS Staff Survey",
) -> GT:
    """WDES metric 9a: staff engagement score (0-10), disabled vs non-disabled.

    Parameters
    ----------
    engagement : DataFrame
        Output of :func:`edi_analysis.staff_survey.wdes_engagement_metric`.
    year : int, optional
        Survey year (default the latest).
    source : str
        Source line.

    Returns
    -------
    great_tables.GT
        One row: each group's score (two decimals, with its 95% interval when a
        standard deviation was supplied) and the gap in points († significant); or
        "not available" with the reason when the score is not in the results.
    """
    if engagement.empty:
        frame = pd.DataFrame({"year": [None], "available": [False],
                              "note": [ENGAGEMENT_MISSING]})
    else:
        chosen = int(engagement["year"].max()) if year is None else int(year)
        frame = engagement[engagement["year"] == chosen].reset_index(drop=True)
        if frame.empty:
            raise ValueError(f"No engagement results for {chosen}.")
    row = frame.iloc[0]
    # a missing score has no interval, so no level to name
    level = stats.confidence_label(frame) if "confidence" in frame.columns else None

    def score(prefix: str) -> str:
        if not bool(row["available"]):
            return NOT_AVAILABLE
        v = row[f"{prefix}_score"]
        if pd.isna(v):
            return SUPPRESSED if bool(row[f"{prefix}_suppressed"]) else NOT_ASKED
        if pd.notna(row[f"{prefix}_lower"]):
            return f"{v:.2f} ({row[f'{prefix}_lower']:.2f}–{row[f'{prefix}_upper']:.2f})"
        return f"{v:.2f}"

    if not bool(row["available"]) or pd.isna(row["difference"]):
        gap = NOT_AVAILABLE if not bool(row["available"]) else NOT_ASKED
    else:
        gap = f"{row['difference']:+.2f}"
        if pd.notna(row["lower"]):
            gap += f" ({row['lower']:+.2f} to {row['upper']:+.2f})"
        gap += RELIABLE if bool(row["significant"]) else ""
    table = pd.DataFrame({
        "id": ["9a"],
        "description": ["Staff engagement score (0-10; higher is better)"],
        "a": [score("non_disabled")],
        "b": [score("disabled")],
        "gap": [gap],
    })
    gt = (
        GT(table, rowname_col="id")
        .tab_stubhead(label="WDES metric")
        .cols_label(description="Measure", a="Non-disabled score",
                    b="Disabled score", gap="Disabled minus non-disabled (points)")
        .cols_align("center", columns=["a", "b", "gap"])
    )
    notes = []
    if not bool(row["available"]) or row.get("note"):
        notes.append(f"Note: {row['note']}.")
    notes.append(
        f"Scores are means on a 0-10 scale. Intervals{f' ({level})' if level else ''} are "
        "shown when the results "
        "give a standard deviation: t intervals for each score and Welch's interval for "
        f"the difference; {RELIABLE} statistically significant difference (Welch's t "
        f"test). {SUPPRESSED} suppressed (too few responses, or would reveal a suppressed "
        f"group). {NOT_ASKED} no result.")
    year_text = f" ({int(row['year'])})" if pd.notna(row.get("year")) else ""
    notes.append(f"Source: {source}{year_text}.")
    return style_table(gt, source_notes=notes)
