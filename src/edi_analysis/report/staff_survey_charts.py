"""plotly charts for the NHS Staff Survey chapter.

Each function returns a :class:`Chart` (figure, alt text, published data), so a notebook
cell can end with ``figure_bundle(*chart)``. Inputs are the chapter's published frames
(:class:`edi_analysis.staff_survey.SurveyRelease`); hidden cells are left blank and
marked "*".
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from edi_analysis.report.theme import CATEGORY_SEQUENCE, NHS_COLOURS, plotly_layout
from edi_analysis.staff_survey import OVERALL, load_catalogue, subgroup_order

__all__ = ["Chart", "difference_heatmap", "question_trend_chart", "trend_chart",
           "two_group_chart"]

#: Diverging scale: purple = worse than the organisation, white = same, green = better.
#: Purple-green rather than red-green so it stays readable with colour-vision deficiency.
DIVERGING_SCALE = [
    [0.0, "#5B1A6B"], [0.25, "#B58BC2"], [0.5, "#F7F7F7"], [0.75, "#8CC79A"],
    [1.0, NHS_COLOURS["dark_green"]],
]


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
    z = z.mask(hidden)
    text = np.where(hidden.to_numpy(), "*",
                    np.where(z.isna().to_numpy(), "–", z.map(_signed).to_numpy()))
    span = float(np.nanmax(np.abs(z.to_numpy()))) if np.isfinite(z.to_numpy()).any() else 0.0
    span = max(span, 2 * threshold)
    wording = part.drop_duplicates("question").set_index("question")["short_wording"]
    ylabels = [f"{q} {_short(wording[q])}" for q in questions]
    fig = go.Figure(go.Heatmap(
        z=z.to_numpy(dtype=float), x=groups, y=ylabels, text=text,
        texttemplate="%{text}", colorscale=DIVERGING_SCALE, zmid=0, zmin=-span, zmax=span,
        hoverongaps=False, xgap=2, ygap=2,
        colorbar={"title": {"text": "Points better (+)<br>or worse (−)"}},
        hovertemplate="%{y}<br>%{x}: %{z:+.1f} points<extra></extra>",
    ))
    fig.update_layout(**plotly_layout(
        height=max(360, 32 * len(questions) + 140),
        margin={"l": 330, "r": 20, "t": 40, "b": 100},
        xaxis={"side": "bottom", "tickangle": -30},
        yaxis={"autorange": "reversed"},
    ))
    rated = part[~part["suppressed"].astype(bool) & part["rating"].notna()]
    worst = rated.sort_values("better_pts").head(1)
    n_red = int((rated["rating"] == "Red").sum())
    n_green = int((rated["rating"] == "Green").sum())
    alt = (f"Heatmap of {len(questions)} staff survey questions by {len(groups)} "
           f"{breakdown.lower()} groups ({year}), coloured by how many points each group's "
           f"result is better (green) or worse (purple) than the organisation's. "
           f"{n_red} results are at least {threshold:g} points worse and {n_green} at least "
           f"{threshold:g} points better.")
    if len(worst):
        w = worst.iloc[0]
        if w["better_pts"] < 0:
            alt += (f" The largest gap is {abs(w['better_pts']):.1f} points worse for "
                    f"{w['subgroup']} on {w['question']}.")
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
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[
        f"{c}: {_short(wording[c], 34)}" for c in codes], vertical_spacing=0.12 / max(rows, 1)
        + 0.04)
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
        top = float(q["pct_positive"].max()) if q["pct_positive"].notna().any() else 1.0
        fig.update_yaxes(range=[0, max(top * 1.3, 1.0)], row=k // columns + 1,
                         col=k % columns + 1)
    fig.update_xaxes(tickvals=years, ticktext=[str(y) for y in years])
    fig.update_yaxes(ticksuffix="%")
    fig.update_annotations(font_size=11)
    fig.update_layout(**plotly_layout(height=260 * rows + 60,
                                      margin={"l": 50, "r": 20, "t": 60, "b": 40}))
    last = part[part["year"] == years[-1]].dropna(subset=["change_better_pts"])
    alt = (f"Line charts of the organisation's percentage on {len(codes)} staff survey "
           f"questions across {years[0]} to {years[-1]}.")
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
    for p, name, colour in zip(prefixes, names, (NHS_COLOURS["blue"],
                                                 NHS_COLOURS["orange"]), strict=True):
        v = (part[f"{p}_value"] * 100).round(1)
        fig.add_trace(go.Bar(
            x=x, y=v, name=name, marker_color=colour,
            error_y={"type": "data", "symmetric": False,
                     "array": (part[f"{p}_upper"] * 100 - v).round(1).to_numpy(),
                     "arrayminus": (v - part[f"{p}_lower"] * 100).round(1).to_numpy()},
            text=v.map(lambda t: "" if pd.isna(t) else f"{t:.1f}"), textposition="inside",
            insidetextanchor="start", textfont={"color": "white"},
            hovertemplate=f"{name} %{{x}}: %{{y:.1f}}%<extra></extra>",
        ))
    fig.update_yaxes(title_text="% of respondents", ticksuffix="%", rangemode="tozero")
    fig.update_layout(**plotly_layout(barmode="group"))
    available = part.get("available", pd.Series(True, index=part.index)).astype(bool)
    unavailable = [label for label, ok in zip(x, available, strict=True) if not ok]
    for label in unavailable:
        fig.add_annotation(x=label, y=0, yref="y", text="not available", showarrow=False,
                           yshift=12, font={"color": NHS_COLOURS.get("dark_grey", "#425563")})
    sig = part[part["significant"]]
    compared = int(part["difference_pts"].notna().sum())
    plain = [n if n in ("White", "BME") else n.lower() for n in names]
    alt = (f"Bar chart of {len(part)} {title}s ({year}) comparing {plain[0]} and "
           f"{plain[1]} staff, with 95% confidence intervals. ")
    if compared == 0:
        alt += "No comparison is possible: one group's figures are suppressed or missing."
    elif len(sig):
        alt += (f"The difference is statistically significant for {len(sig)} of {compared}: "
                + ", ".join(str(i) for i in sig[id_col]) + ".")
    else:
        alt += f"None of the {compared} differences is statistically significant."
    if unavailable:
        alt += (f" Not available (not in the results): {', '.join(unavailable)}.")
    missing = int(part[[f"{p}_value" for p in prefixes]].isna().any(axis=1).sum()
                  - len(unavailable))
    if missing:
        alt += f" {missing} bar{'s are' if missing > 1 else ' is'} missing (suppressed or no data)."
    data = part[[id_col, "question", f"{prefixes[0]}_value", f"{prefixes[1]}_value",
                 "difference_pts", "significant"]].reset_index(drop=True)
    return Chart(fig, alt, data)
