"""plotly charts for the maternity and service inequalities chapter.

Each function takes **published** frames (through disclosure control) and returns a
:class:`Chart`: the figure, alt text written from the numbers, and the data behind it.
A notebook cell displays it with ``figure_bundle(*chart)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from edi_analysis import inequalities, stats
from edi_analysis.maternity import MEASURES, QUINTILE_LABELS
from edi_analysis.report.theme import CATEGORY_SEQUENCE, NHS_COLOURS, plotly_layout

__all__ = ["Chart", "gradient_chart", "rate_chart", "service_chart", "trend_chart"]


class Chart(NamedTuple):
    """A chart, its alt text and the published data behind it."""

    figure: go.Figure
    alt_text: str
    data: pd.DataFrame


def _label(by: str, value: object) -> str:
    if by == "imd_quintile":
        return QUINTILE_LABELS.get(value, str(value))
    return str(value)


def _scale(measure: str) -> float:
    return 100.0 if measure == "proportion" else 1.0


def _axis_title(measure: str, multiplier: float, per: str) -> str:
    return f"% of {per}" if measure == "proportion" else f"Rate per {multiplier:,.0f} {per}"


def _num(v: float, measure: str) -> str:
    return f"{v:.1f}%" if measure == "proportion" else f"{v:.1f}"


def _counts(part: pd.DataFrame, col: str) -> pd.Series:
    return inequalities.count_text(part[col], part.get(f"{col}_symbol"))


def _data(part: pd.DataFrame, by: str, scale: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            by: [_label(by, g) for g in part[by]],
            "events": _counts(part, "numerator").to_numpy(),
            "denominator": _counts(part, "denominator").to_numpy(),
            "value": (part["value"] * scale).round(2).to_numpy(),
            "lower": (part["lower"] * scale).round(2).to_numpy(),
            "upper": (part["upper"] * scale).round(2).to_numpy(),
        }
    )


def _interval_chart(
    part: pd.DataFrame, by: str, measure: str, multiplier: float, per: str, title: str
) -> Chart:
    scale = _scale(measure)
    groups = part[~part["is_overall"]]
    overall = part[part["is_overall"]]
    shown = groups[groups["value"].notna()]
    labels = [_label(by, g) for g in groups[by]]
    colours = [
        NHS_COLOURS["blue"] if not r else NHS_COLOURS["dark_grey"] for r in groups["is_reference"]
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=groups["value"] * scale,
            mode="markers",
            marker={"size": 11, "color": colours},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (groups["upper"] - groups["value"]) * scale,
                "arrayminus": (groups["value"] - groups["lower"]) * scale,
                "color": NHS_COLOURS["dark_grey"],
                "thickness": 1.5,
            },
            name=f"Value with {stats.confidence_label(part)} confidence interval",
            hovertemplate="%{x}: %{y:.1f}<extra></extra>",
        )
    )
    sentences = [
        f"{title}, with {stats.confidence_label(part)} confidence intervals, by "
        f"{'IMD quintile' if by == 'imd_quintile' else by.replace('_', ' ')}."
    ]
    if len(overall) and pd.notna(overall["value"].iloc[0]):
        o = float(overall["value"].iloc[0]) * scale
        fig.add_hline(
            y=o,
            line={"color": NHS_COLOURS["orange"], "dash": "dash"},
            annotation_text=f"Overall {_num(o, measure)}",
            annotation_position="top left",
        )
        sentences.append(f"The dashed line is the overall value, {_num(o, measure)}.")
    if len(shown):
        hi = shown.loc[shown["value"].idxmax()]
        lo = shown.loc[shown["value"].idxmin()]
        sentences.append(
            f"The highest shown is {_label(by, hi[by])} at {_num(hi['value'] * scale, measure)} "
            f"({_num(hi['lower'] * scale, measure)} to {_num(hi['upper'] * scale, measure)}); "
            f"the lowest is {_label(by, lo[by])} at {_num(lo['value'] * scale, measure)}."
        )
    hidden = groups[groups["value"].isna()]
    if len(hidden):
        fig.add_trace(
            go.Scatter(
                x=[_label(by, g) for g in hidden[by]],
                y=[0] * len(hidden),
                mode="text",
                text=[
                    f"not shown ({d})" if d and not d[0].isdigit() else "not shown"
                    for d in _counts(hidden, "numerator")
                ],
                textposition="top center",
                hoverinfo="skip",
                name="Suppressed",
                textfont={"color": NHS_COLOURS["dark_grey"]},
            )
        )
        sentences.append(
            f"Not shown because of small numbers: {', '.join(_label(by, g) for g in hidden[by])}."
        )
    fig.update_layout(**plotly_layout(showlegend=False))
    fig.update_yaxes(
        title_text=_axis_title(measure, multiplier, per),
        rangemode="tozero",
        gridcolor=NHS_COLOURS["pale_grey"],
    )
    fig.update_xaxes(title_text="")
    return Chart(fig, " ".join(sentences), _data(part, by, scale))


def rate_chart(results: pd.DataFrame, indicator: str, by: str, year: str | None = None) -> Chart:
    """Dot-and-interval chart of a maternity measure by group for one year.

    Parameters
    ----------
    results : DataFrame
        :func:`edi_analysis.maternity.maternity_indicators` output (one group column).
    indicator : str
        Measure key.
    by : str
        Group column.
    year : str, optional
        Default the latest.
    """
    m = MEASURES[indicator]
    part = results[results["indicator"] == indicator]
    year = year or sorted(part["year"].astype(str).unique())[-1]
    part = part[part["year"].astype(str) == str(year)]
    return _interval_chart(part, by, m.measure, m.multiplier, m.per, f"{m.label}, {year}")


def trend_chart(results: pd.DataFrame, indicator: str, by: str) -> Chart:
    """Each group's value by year (lines), with the overall in bold."""
    m = MEASURES[indicator]
    part = results[results["indicator"] == indicator].copy()
    scale = _scale(m.measure)
    years = sorted(part["year"].astype(str).unique())
    fig = go.Figure()
    groups = list(dict.fromkeys(part[by]))
    hidden = [g for g in groups if part.loc[part[by] == g, "value"].isna().all()]
    for i, g in enumerate(groups):
        if g in hidden:
            continue
        sub = part[part[by] == g].sort_values("year")
        is_all = g == inequalities.OVERALL_LABEL
        fig.add_trace(
            go.Scatter(
                x=sub["year"].astype(str),
                y=sub["value"] * scale,
                mode="lines+markers",
                name=_label(by, g),
                line={
                    "width": 4 if is_all else 2,
                    "color": NHS_COLOURS["black"]
                    if is_all
                    else CATEGORY_SEQUENCE[i % len(CATEGORY_SEQUENCE)],
                    "dash": "solid",
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (sub["upper"] - sub["value"]) * scale,
                    "arrayminus": (sub["value"] - sub["lower"]) * scale,
                    "thickness": 1,
                },
            )
        )
    fig.update_layout(**plotly_layout(scattermode="group", scattergap=0.5))
    fig.update_yaxes(
        title_text=_axis_title(m.measure, m.multiplier, m.per),
        rangemode="tozero",
        gridcolor=NHS_COLOURS["pale_grey"],
    )
    fig.update_xaxes(title_text="Year", type="category")
    overall = part[part[by] == inequalities.OVERALL_LABEL].sort_values("year")
    trend = ", ".join(
        f"{y} {_num(v * scale, m.measure)}" if pd.notna(v) else f"{y} not shown"
        for y, v in zip(overall["year"], overall["value"], strict=True)
    )
    alt = (
        f"Line chart of {m.label.lower()} by "
        f"{'IMD quintile' if by == 'imd_quintile' else 'ethnic group'} for "
        f"{', '.join(years)}, with {stats.confidence_label(part)} confidence intervals. "
        f"Overall: {trend}. Gaps are "
        "suppressed small numbers."
        + (
            f" Not shown in any year because of small numbers: "
            f"{', '.join(_label(by, g) for g in hidden)}."
            if hidden
            else ""
        )
    )
    data = part[["year", by]].assign(
        **{by: [_label(by, g) for g in part[by]], "events": _counts(part, "numerator"),
           "denominator": _counts(part, "denominator"), "value": (part["value"] * scale).round(2)}
    )
    return Chart(fig, alt, data.reset_index(drop=True))


def gradient_chart(
    by_quintile: pd.DataFrame,
    gradient: pd.DataFrame,
    indicator: str | None,
    year: str | None = None,
    quintile_col: str = "imd_quintile",
    title: str | None = None,
    per: str | None = None,
    period_col: str = "year",
) -> Chart:
    """Values by IMD quintile placed at their population midpoints, with the SII line.

    Parameters
    ----------
    by_quintile : DataFrame
        Engine output by quintile (maternity: with ``indicator``).
    gradient : DataFrame
        :func:`edi_analysis.inequalities.inequality_gradient` output for the same data.
    indicator : str or None
        Measure key (None for a non-maternity indicator: give ``title`` and ``per``).
    year : str, optional
        Default the latest.
    """
    if indicator is not None:
        m = MEASURES[indicator]
        part = by_quintile[by_quintile["indicator"] == indicator]
        grad = gradient[gradient["indicator"] == indicator]
        title, per, multiplier, measure = m.label, m.per, m.multiplier, m.measure
    else:
        part, grad = by_quintile, gradient
        measure = str(part["measure"].iloc[0])
        multiplier = float(part["multiplier"].iloc[0])
    year = year or sorted(part[period_col].astype(str).unique())[-1]
    part = part[
        (part[period_col].astype(str) == str(year)) & part[quintile_col].isin([1, 2, 3, 4, 5])
    ].sort_values(quintile_col)
    grad = grad[grad[period_col].astype(str) == str(year)]
    scale = _scale(measure)
    share = part["denominator"] / part["denominator"].sum()
    x = (share.cumsum() - share / 2).to_numpy()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=part["value"] * scale,
            mode="markers+text",
            text=[f"Q{q}" for q in part[quintile_col]],
            textposition="top right",
            marker={"size": 11, "color": NHS_COLOURS["blue"]},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (part["upper"] - part["value"]) * scale,
                "arrayminus": (part["value"] - part["lower"]) * scale,
                "color": NHS_COLOURS["dark_grey"],
            },
            name=f"Quintile value ({stats.confidence_label(part)} CI)",
        )
    )
    alt = [
        f"{title}, {year}, by IMD quintile from most deprived (left) to least "
        "deprived (right), each placed at the middle of its share of the population."
    ]
    g = grad.iloc[0] if len(grad) else None
    if g is not None and pd.notna(g["sii"]):
        fig.add_trace(
            go.Scatter(
                x=[0, 1],
                y=[g["fitted_most_deprived"] * scale, g["fitted_least_deprived"] * scale],
                mode="lines",
                line={"color": NHS_COLOURS["orange"], "width": 3},
                name=f"Fitted gradient (SII {g['sii'] * scale:.1f})",
            )
        )
        sig = g["sii_lower"] > 0 or g["sii_upper"] < 0
        alt.append(
            f"The fitted line falls from {_num(g['fitted_most_deprived'] * scale, measure)} at "
            f"the most deprived end to {_num(g['fitted_least_deprived'] * scale, measure)} at "
            f"the least deprived end: slope index of inequality (most deprived minus least "
            f"deprived) {g['sii'] * scale:+.1f} "
            f"({stats.confidence_label(part)} CI {g['sii_lower'] * scale:.1f} to "
            f"{g['sii_upper'] * scale:.1f}), "
            f"{'statistically significant' if sig else 'not statistically significant'}.".replace(
                "falls from", "rises from" if g["sii"] < 0 else "falls from"
            )
        )
    else:
        alt.append(
            "The slope index of inequality was not calculated because a quintile "
            "is suppressed or missing."
        )
    fig.update_layout(**plotly_layout())
    fig.update_xaxes(
        title_text="Position in the population, most deprived (0) to least deprived (1)",
        range=[-0.02, 1.02],
        gridcolor=NHS_COLOURS["pale_grey"],
    )
    fig.update_yaxes(
        title_text=_axis_title(measure, multiplier, per or ""),
        rangemode="tozero",
        gridcolor=NHS_COLOURS["pale_grey"],
    )
    data = _data(part, quintile_col, scale).assign(population_midpoint=np.round(x, 3))
    return Chart(fig, " ".join(alt), data)


def service_chart(
    results: pd.DataFrame,
    by: str,
    title: str,
    per: str,
    period: str | None = None,
    period_col: str = "period",
) -> Chart:
    """Dot-and-interval chart of any engine output by one group column, one period."""
    part = results
    if period_col in results.columns:
        period = period or sorted(results[period_col].astype(str).unique())[-1]
        part = results[results[period_col].astype(str) == str(period)]
        title = f"{title}, {period}"
    measure = str(part["measure"].iloc[0])
    multiplier = float(part["multiplier"].iloc[0])
    return _interval_chart(part, by, measure, multiplier, per, f"{title} (SYNTHETIC)")


def placeholder_chart(message: str) -> Chart:
    """An empty chart carrying ``message`` (alt text says the same)."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
        font={"size": 14, "color": NHS_COLOURS["dark_grey"]},
    )  # fmt: skip
    fig.update_layout(**plotly_layout())
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return Chart(fig, message, pd.DataFrame({"message": [message]}))


def _section_missing(section: inequalities.ServiceSection, what: str) -> str:
    if not section.available:
        return section.notes[0] if section.notes else "No service data."
    return f"The service activity file has no {what} column, so this chart is not drawn."


def service_section_chart(section: inequalities.ServiceSection, by: str) -> Chart:
    """Dot-and-interval chart of the section's indicator by ``by`` for its period."""
    frames = {"place": section.by_place, "imd_quintile": section.by_quintile,
              "ethnic_group": section.by_ethnicity}  # fmt: skip
    frame = frames.get(by)
    if frame is None:
        return placeholder_chart(_section_missing(section, by.replace("_", " ")))
    part = frame[frame["period"].astype(str) == str(section.period)]
    title = f"{section.indicator}, {section.period}" + (" (SYNTHETIC)" if section.synthetic else "")
    per = "people" if section.measure == "proportion" else "of the denominator"
    return _interval_chart(part, by, section.measure, section.multiplier, per, title)


def service_gradient_chart(section: inequalities.ServiceSection) -> Chart:
    """The section's indicator across IMD quintiles with the SII line, for its period."""
    if section.by_quintile is None or section.gradient is None:
        return placeholder_chart(_section_missing(section, "imd_quintile or lsoa_code"))
    title = section.indicator + (" (SYNTHETIC)" if section.synthetic else "")
    per = "people" if section.measure == "proportion" else "of the denominator"
    return gradient_chart(section.by_quintile, section.gradient, None, year=section.period,
                          title=title, per=per, period_col="period")  # fmt: skip
