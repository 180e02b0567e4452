"""plotly charts for the NHS Staff Survey chapter.

Each function returns a :class:`Chart` (figure, alt text, published data), so a notebook
cell can end with ``figure_bundle(*chart)``. Inputs are the chapter's published frames
(:class:`edi_analysis.staff_survey.SurveyRelease`); hidden cells are left blank and
marked "*".
"""

from __future__ import annotations

import textwrap
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from edi_analysis import stats
from edi_analysis.report.theme import (
    CATEGORY_SEQUENCE,
    NHS_COLOURS,
    RAG_FILLS,
    plotly_layout,
)
from edi_analysis.report.titles import set_finding_title
from edi_analysis.staff_survey import OVERALL, load_catalogue, subgroup_order

__all__ = ["Chart", "contrast_ratio", "difference_heatmap", "distinct_labels",
           "question_trend_chart", "trend_chart", "two_group_chart"]

#: Pixels between a heatmap's plot area and its three-line key (font 12), and the key's
#: height with a margin: the finding title sits above the key, never on it (the old key,
#: placed at 2% of the plot's height above it, grew into the title on tall heatmaps).
_KEY_GAP, _KEY_HEIGHT = 4, 3 * 17 + 12
#: Heatmap fills: the breakdown tables' RAG fills (one colour code for one comparison),
#: and a pale grey for cells without a rating (suppressed or no result).
HEATMAP_FILLS: dict[str, str] = {**RAG_FILLS, "none": NHS_COLOURS["pale_grey"]}
#: Text colour of every heatmap label: NHS black, at least 4.5:1 on each fill.
HEATMAP_TEXT = NHS_COLOURS["black"]
_RATING_CODE = {"Red": 0, "Amber": 1, "Green": 2}
#: What a hidden survey result shows in a chart's data table (as in the tables).
SUPPRESSED_MARK = "*"


class Chart(NamedTuple):
    """A figure with its alt text and the published data behind it."""

    figure: go.Figure
    alt_text: str
    data: pd.DataFrame


def _year(frame: pd.DataFrame, year: int | None) -> int:
    if frame.empty:
        raise ValueError("No results to chart.")
    return int(frame["year"].max()) if year is None else int(year)


def _order(codes) -> list[str]:
    order = {c: i for i, c in enumerate(load_catalogue()["code"])}
    return sorted(pd.unique(pd.Series(codes)), key=lambda c: (order.get(c, len(order)), c))


def difference_heatmap(
    comparison: pd.DataFrame, breakdown: str, year: int | None = None
) -> Chart:
    """Heatmap of each subgroup's difference from the organisation, questions x subgroups.

    Parameters
    ----------
    comparison : DataFrame
        Output of :func:`edi_analysis.staff_survey.compare_to_overall`.
    breakdown : str
    year : int, optional
        Default: the latest.

    Returns
    -------
    Chart
        Colour and label show points better (+) or worse (-) than the organisation,
        direction-aware (``better_pts``); suppressed cells are blank with "*".

    Notes
    -----
    With no results for the breakdown and year, an empty chart saying so.
    """
    year = _year(comparison, year)
    part = comparison[(comparison["year"] == year) & (comparison["breakdown"] == breakdown)]
    if part.empty:
        fig = go.Figure()
        fig.add_annotation(text=f"No results by {breakdown.lower()} for {year}",
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_layout(**plotly_layout(height=200, xaxis={"visible": False},
                                          yaxis={"visible": False}))
        return Chart(fig, f"No staff survey results by {breakdown.lower()} for {year}.",
                     pd.DataFrame())
    threshold = float(comparison["threshold"].iloc[0])
    questions = _order(part["question"])
    groups = subgroup_order(part["subgroup"])
    z = part.pivot(index="question", columns="subgroup", values="better_pts").reindex(
        index=questions, columns=groups)
    hidden = part.pivot(index="question", columns="subgroup", values="suppressed").reindex(
        index=questions, columns=groups).fillna(False).astype(bool)
    rating = part.pivot(index="question", columns="subgroup", values="rating").reindex(
        index=questions, columns=groups).where(~hidden)
    z = z.mask(hidden)
    code = rating.map(lambda r: _RATING_CODE.get(r, 3) if isinstance(r, str) else 3)
    letters = rating.map(lambda r: f" ({r[0]})" if isinstance(r, str) else "")
    text = np.where(hidden.to_numpy(), "*",
                    np.where(z.isna().to_numpy(), "–",
                             z.map(_signed).to_numpy() + letters.to_numpy()))
    fills = [HEATMAP_FILLS[k] for k in ("Red", "Amber", "Green", "none")]
    scale = [[i / 4, c] for i, c in enumerate(fills) for i in (i, i + 1)]
    scale = [[min(x, 1.0), c] for x, c in scale]
    wording = part.drop_duplicates("question").set_index("question")["short_wording"]
    ylabels = [f"{q} {w}" for q, w in zip(questions, distinct_labels(
        [wording[q] for q in questions], 44), strict=True)]
    fig = go.Figure(go.Heatmap(
        z=code.to_numpy(dtype=float), x=groups, y=ylabels, text=text,
        customdata=z.to_numpy(dtype=float),
        texttemplate="%{text}", textfont={"color": HEATMAP_TEXT},
        colorscale=scale, zmin=-0.5, zmax=3.5, showscale=False,
        hoverongaps=False, xgap=2, ygap=2,
        hovertemplate="%{y}<br>%{x}: %{text} points<extra></extra>",
    ))
    t = f"{threshold:g}"
    fig.update_layout(**plotly_layout(
        height=max(360, 40 * len(questions) + 160),
        margin={"l": 330, "r": 20, "t": 110, "b": 100},
        xaxis={"side": "bottom", "tickangle": -30},
        yaxis={"autorange": "reversed"},
    ))
    fig.add_annotation(
        text=(f"Points better (+) or worse (−) than the organisation.<br>(R) Red: at least {t} "
              f"points worse; (A) Amber: within {t};<br>(G) Green: at least {t} better; "
              "* suppressed; – no result"),
        xref="paper", yref="paper", x=0, y=1, yshift=_KEY_GAP, xanchor="left",
        yanchor="bottom", showarrow=False, font={"size": 12, "color": HEATMAP_TEXT},
        align="left")
    rated = part[~part["suppressed"].astype(bool) & part["rating"].notna()]
    worst = rated.sort_values("better_pts").head(1)
    n_red = int((rated["rating"] == "Red").sum())
    n_green = int((rated["rating"] == "Green").sum())
    alt = (f"Heatmap of {len(questions)} staff survey questions by {len(groups)} "
           f"{breakdown.lower()} groups ({year}); each cell gives how many points the group's "
           f"result is better (+) or worse (−) than the organisation's and its rating, red "
           f"(R), amber (A) or green (G), as in the tables. "
           f"{n_red} results are at least {threshold:g} points worse and {n_green} at least "
           f"{threshold:g} points better.")
    if len(worst):
        w = worst.iloc[0]
        if w["better_pts"] < 0:
            alt += (f" The largest gap is {abs(w['better_pts']):.1f} points worse for "
                    f"{w['subgroup']} on {w['question']}.")
    set_finding_title(fig, f"{n_red} result{'s' if n_red != 1 else ''} at least {t} points "
                           f"worse than the organisation (red), {n_green} at least {t} "
                           "points better (green)", width=70, above=_KEY_GAP + _KEY_HEIGHT)
    if hidden.to_numpy().any():
        alt += " Cells marked * are suppressed because too few staff responded."
    if (z.isna().to_numpy() & ~hidden.to_numpy()).any():
        alt += " Cells marked – have no result."
    data = part.loc[:, ["question", "subgroup", "pct_positive", "better_pts", "rating"]].copy()
    data.loc[part["suppressed"].astype(bool).to_numpy(), ["pct_positive", "better_pts"]] = np.nan
    data = data.rename(columns={"pct_positive": "group_pct",
                                "better_pts": "points_better_than_organisation"})
    return Chart(fig, alt, data.reset_index(drop=True))


def _signed(value: float) -> str:
    if pd.isna(value):
        return ""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text.replace("-", "−")


def _short(text: str, width: int = 42) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def distinct_labels(texts: list[str], width: int = 42, lines: int = 2) -> list[str]:
    """Labels of at most ``lines`` lines of ``width`` characters that stay distinct.

    Parameters
    ----------
    texts : list of str
        Full labels (e.g. question wordings).
    width : int
        Longest line wanted.
    lines : int
        Most lines per label (joined with ``<br>``, which plotly draws as a line break).

    Returns
    -------
    list of str
        Each text wrapped at word boundaries; a text longer than ``lines`` lines has its
        last line cut with "…". When two different texts would still read the same
        (wordings that differ only at the end, such as "... from managers" and "...
        from other colleagues"), their last line shows the end of the text instead
        ("…relatives or the public"). Texts that are the same stay the same.
    """
    texts = [str(t) for t in texts]

    def wrap(text: str, from_end: bool) -> str:
        parts = textwrap.wrap(text, width) or [""]
        if len(parts) <= lines:
            return "<br>".join(parts)
        head = parts[: lines - 1]
        words = " ".join(parts[lines - 1:]).split()
        keep: list[str] = []
        for word in (reversed(words) if from_end else words):
            if len(" ".join([*keep, word])) > width - 1:
                break
            keep.append(word)
        last = "…" + " ".join(reversed(keep)) if from_end else " ".join(keep) + "…"
        return "<br>".join([*head, last])

    out = [wrap(t, False) for t in texts]
    for label in {x for x in out if out.count(x) > 1}:
        members = [i for i, x in enumerate(out) if x == label]
        if len({texts[i] for i in members}) > 1:
            for i in members:
                out[i] = wrap(texts[i], True)
    return out


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two ``#RRGGBB`` colours (1 to 21).

    References
    ----------
    .. [1] W3C (2023). *Web Content Accessibility Guidelines (WCAG) 2.2*, definitions of
       relative luminance and contrast ratio; success criterion 1.4.3 (4.5:1).
    """
    def luminance(colour: str) -> float:
        rgb = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def trend_chart(trends: pd.DataFrame, questions: list[str] | None = None,
                columns: int = 4) -> Chart:
    """Small multiples: the organisation's % per question across the survey years.

    Parameters
    ----------
    trends : DataFrame
        Output of :func:`edi_analysis.staff_survey.trend_table`.
    questions : list of str, optional
        Question codes (default all, in catalogue order).
    columns : int, default 4
        Panels per row.

    Returns
    -------
    Chart
    """
    part = trends[trends["breakdown"] == OVERALL]
    if questions is not None:
        part = part[part["question"].isin(questions)]
    if part.empty:
        raise ValueError("No organisation trend results to chart.")
    codes = _order(part["question"])
    rows = int(np.ceil(len(codes) / columns))
    wording = part.drop_duplicates("question").set_index("question")["short_wording"]
    titles = distinct_labels([wording[c] for c in codes], 36)
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[
        f"{c}: {t}" for c, t in zip(codes, titles, strict=True)],
        vertical_spacing=0.12 / max(rows, 1) + 0.04)
    # one y-axis for every panel, so heights compare across questions
    top = float(part["pct_positive"].max()) if part["pct_positive"].notna().any() else 1.0
    y_range = [0, min(100.0, max(top * 1.15, 1.0))]
    years = sorted(part["year"].unique())
    for k, code in enumerate(codes):
        q = part[part["question"] == code].sort_values("year")
        fig.add_trace(go.Scatter(
            x=q["year"], y=q["pct_positive"], mode="lines+markers+text",
            text=q["pct_positive"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}"),
            textposition="top center", line={"color": NHS_COLOURS["blue"]}, showlegend=False,
            name=code, hovertemplate=f"{code} %{{x}}: %{{y:.1f}}%<extra></extra>",
            cliponaxis=False,
        ), row=k // columns + 1, col=k % columns + 1)
        fig.update_yaxes(range=y_range, row=k // columns + 1, col=k % columns + 1)
    fig.update_xaxes(tickvals=years, ticktext=[str(y) for y in years])
    fig.update_yaxes(ticksuffix="%")
    fig.update_annotations(font_size=11)
    fig.update_layout(**plotly_layout(height=260 * rows + 60,
                                      margin={"l": 50, "r": 20, "t": 60, "b": 40}))
    last = part[part["year"] == years[-1]].dropna(subset=["change_better_pts"])
    alt = (f"Line charts of the organisation's percentage on {len(codes)} staff survey "
           f"questions across {years[0]} to {years[-1]}; every panel has the same vertical "
           f"scale, 0% to {y_range[1]:.0f}%.")
    if len(last):
        best = last.sort_values("change_better_pts").iloc[-1]
        worst = last.sort_values("change_better_pts").iloc[0]
        alt += (f" The largest improvement since {int(best['previous_year'])} is on "
                f"{best['question']} ({best['change_pts']:+.1f} points)")
        if worst["change_better_pts"] < 0:
            alt += (f" and the largest deterioration on {worst['question']} "
                    f"({worst['change_pts']:+.1f} points).")
        else:
            alt += "; no question deteriorated."
        better = int((last["change_better_pts"].round(1) > 0).sum())
        worse = int((last["change_better_pts"].round(1) < 0).sum())
        set_finding_title(fig, f"Since {int(best['previous_year'])}, {better} of {len(last)} "
                               f"results improved and {worse} worsened (one scale for all "
                               "panels)")
    data = part[["question", "year", "n_respondents", "pct_positive", "change_pts"]]
    return Chart(fig, alt, data.reset_index(drop=True))


def question_trend_chart(trends: pd.DataFrame, question: str, breakdown: str) -> Chart:
    """One question across years: the organisation and each published subgroup.

    Parameters
    ----------
    trends : DataFrame
        Output of :func:`edi_analysis.staff_survey.trend_table` (with subgroups).
    question : str
        Question code.
    breakdown : str
        Breakdown whose subgroups are drawn (suppressed years are gaps).

    Returns
    -------
    Chart
    """
    part = trends[(trends["question"] == question)
                  & trends["breakdown"].isin([OVERALL, breakdown])]
    if part.empty:
        raise ValueError(f"No trend results for {question!r}.")
    fig = go.Figure()
    years = sorted(part["year"].unique())
    labels = []
    for i, ((b, sub), rows) in enumerate(part.groupby(["breakdown", "subgroup"], sort=False)):
        rows = rows.sort_values("year")
        label = "Organisation" if b == OVERALL else str(sub)
        labels.append(label)
        fig.add_trace(go.Scatter(
            x=rows["year"], y=rows["pct_positive"], mode="lines+markers", name=label,
            line={"color": NHS_COLOURS["black"] if b == OVERALL
                  else CATEGORY_SEQUENCE[i % len(CATEGORY_SEQUENCE)],
                  "width": 4 if b == OVERALL else 2, "dash": "solid" if b == OVERALL
                  else "dot"},
            connectgaps=False,
            hovertemplate=f"{label} %{{x}}: %{{y:.1f}}%<extra></extra>",
        ))
    wording = part["short_wording"].iloc[0]
    fig.update_xaxes(tickvals=years, ticktext=[str(y) for y in years])
    fig.update_yaxes(title_text="% of respondents", ticksuffix="%")
    # No plotly title: the report caption names the question, and a title would sit
    # under the legend.
    fig.update_layout(**plotly_layout())
    alt = (f"Line chart of {question} ({wording}) from {years[0]} to {years[-1]} for the "
           f"organisation and {len(labels) - 1} {breakdown.lower()} groups; gaps mark years "
           "where a group's result is suppressed.")
    data = part[["breakdown", "subgroup", "year", "pct_positive"]].reset_index(drop=True)
    return Chart(fig, alt, data)


def two_group_chart(indicators: pd.DataFrame, kind: str = "wres",
                    year: int | None = None) -> Chart:
    """Bar chart with 95% intervals: WRES 5-8 (White vs BME) or WDES (non-disabled vs disabled).

    Parameters
    ----------
    indicators : DataFrame
        Output of ``wres_survey_indicators`` or ``wdes_survey_metrics``.
    kind : {"wres", "wdes"}
    year : int, optional

    Returns
    -------
    Chart
    """
    if kind == "wres":
        id_col, prefixes, names, title = "indicator", ("white", "bme"), ("White", "BME"), \
            "WRES indicator"
    elif kind == "wdes":
        id_col, prefixes, names, title = "metric", ("non_disabled", "disabled"), (
            "Non-disabled", "Disabled"), "WDES metric"
    else:
        raise ValueError(f"kind must be 'wres' or 'wdes', got {kind!r}.")
    year = _year(indicators, year)
    part = indicators[indicators["year"] == year]
    x = [f"{title} {i}" for i in part[id_col].astype(str)]
    fig = go.Figure()
    available = part.get("available", pd.Series(True, index=part.index)).astype(bool)
    # label colours with at least 4.5:1 contrast on each bar (white on orange is 2.3:1)
    for p, name, colour, ink in zip(
            prefixes, names, (NHS_COLOURS["blue"], NHS_COLOURS["orange"]),
            ("white", NHS_COLOURS["black"]), strict=True):
        v = (part[f"{p}_value"] * 100).round(1)
        fig.add_trace(go.Bar(
            x=x, y=v, name=name, marker_color=colour, offsetgroup=p,
            error_y={"type": "data", "symmetric": False,
                     "array": (part[f"{p}_upper"] * 100 - v).round(1).to_numpy(),
                     "arrayminus": (v - part[f"{p}_lower"] * 100).round(1).to_numpy()},
            text=v.map(lambda t: "" if pd.isna(t) else f"{t:.1f}"), textposition="inside",
            insidetextanchor="start", textfont={"color": ink},
            hovertemplate=f"{name} %{{x}}: %{{y:.1f}}%<extra></extra>",
        ))
        hidden = part.get(f"{p}_suppressed", pd.Series(False, index=part.index))
        gaps = [(label, "not shown: too few" if h else "no result")
                for label, h, v_k, ok in zip(x, hidden.fillna(False).astype(bool), v,
                                             available, strict=True)
                if ok and (h or pd.isna(v_k))]
        if gaps:
            # no bar: say so in the bar's own place (same offset group, written upwards
            # from the axis), so it reads neither as 0% nor as a gap, and sits on no
            # other bar's label
            fig.add_trace(go.Bar(
                x=[g[0] for g in gaps], y=[0] * len(gaps), offsetgroup=p, name=name,
                showlegend=False, marker_color=colour, text=[g[1] for g in gaps],
                textposition="outside", textangle=-90, cliponaxis=False,
                textfont={"size": 11, "color": NHS_COLOURS["dark_grey"]},
                hovertext=[f"{name}: {g[1]}" for g in gaps], hoverinfo="text"))
    fig.update_yaxes(title_text="% of respondents", ticksuffix="%", rangemode="tozero")
    fig.update_layout(**plotly_layout(barmode="group"))
    unavailable = [label for label, ok in zip(x, available, strict=True) if not ok]
    for label in unavailable:
        fig.add_annotation(x=label, y=0, yref="y", text="not available", showarrow=False,
                           yshift=12, font={"color": NHS_COLOURS.get("dark_grey", "#425563")})
    sig = part[part["significant"]]
    compared = int(part["difference_pts"].notna().sum())
    plain = [n if n in ("White", "BME") else n.lower() for n in names]
    alt = (f"Bar chart of {len(part)} {title}s ({year}) comparing {plain[0]} and "
           f"{plain[1]} staff, with {stats.confidence_label(part)} confidence intervals. ")
    if compared == 0:
        alt += "No comparison is possible: one group's figures are suppressed or missing."
    elif len(sig):
        alt += (f"The difference is statistically significant for {len(sig)} of {compared}: "
                + ", ".join(str(i) for i in sig[id_col]) + ".")
    else:
        alt += f"None of the {compared} differences is statistically significant."
    if compared:
        set_finding_title(fig, f"The {plain[0]}-{plain[1]} difference is statistically "
                               f"significant for {len(sig)} of {compared} {title}s")
    if unavailable:
        alt += (f" Not available (not in the results): {', '.join(unavailable)}.")
    missing = int(part[[f"{p}_value" for p in prefixes]].isna().any(axis=1).sum()
                  - len(unavailable))
    if missing:
        alt += (f" {missing} {title}{'s' if missing > 1 else ''} without a bar for a group "
                "(not shown because too few responded, or no result), marked on the chart.")
    data = part[[id_col, "question"]].reset_index(drop=True)
    for p, name in zip(prefixes, names, strict=True):
        hidden = part.get(f"{p}_suppressed", pd.Series(False, index=part.index))
        data[f"{name} %"] = [SUPPRESSED_MARK if h else "–" if pd.isna(v) else f"{100 * v:.1f}"
                             for v, h in zip(part[f"{p}_value"],
                                             hidden.fillna(False).astype(bool), strict=True)]
    data["Difference (points)"] = [
        "–" if pd.isna(d) else f"{d:+.1f}".replace("-", "\u2212")
        for d in part["difference_pts"]]
    data["Significant"] = ["yes" if bool(g) else "no" for g in part["significant"]]
    return Chart(fig, alt, data)
