"""plotly charts for the workforce chapter.

Each function returns a :class:`Chart` (figure, alt text, the published data behind it),
so a notebook cell can end with ``figure_bundle(*chart)``. Inputs must already be through
disclosure control: hidden values are left out of the marks and shown as the policy's
symbol in the data table; no hidden number is ever drawn or written in the alt text.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from edi_analysis import stats
from edi_analysis.report import symbols
from edi_analysis.report.theme import CATEGORY_SEQUENCE, NHS_COLOURS, plotly_layout
from edi_analysis.report.titles import set_finding_title
from edi_analysis.workforce import CHARACTERISTICS, TOTAL, PublishedProfile

__all__ = [
    "Chart",
    "representation_chart",
    "composition_chart",
    "age_pyramid",
    "declaration_chart",
    "gpg_peer_chart",
    "gpg_quarters_chart",
]


#: Legend name of the stacked segment holding the groups not shown.
HIDDEN_SEGMENT = "Not shown (small numbers)"
#: Its fill: light grey, hatched, with black labels (8:1 contrast).
HIDDEN_FILL = "#AEB7BD"


class Chart(NamedTuple):
    """A figure with its alt text and the published data behind it."""

    figure: go.Figure
    alt_text: str
    data: pd.DataFrame


def _pct_text(values: pd.Series, symbol: str) -> list[str]:
    return [symbol if pd.isna(v) else f"{100 * v:.1f}%" for v in values]


def representation_chart(
    representation: pd.DataFrame, symbol: str, population_label: str = "Census 2021",
    confidence: float = 0.95,
) -> Chart:
    """Staff share (with its interval) and population share for each group.

    Parameters
    ----------
    representation : pandas.DataFrame
        ``PublishedProfile.representation`` (published).
    symbol : str
        The policy's symbol (used in the data table for hidden values).
    population_label : str
        Legend label of the population marker.
    confidence : float
        Level of the intervals in ``representation`` (for the labels).

    Returns
    -------
    Chart
        Horizontal bars of the staff share with interval error bars and a diamond for
        the population share; only compared groups with a published share are drawn.
    """
    key = str(representation["characteristic"].iloc[0])
    label = CHARACTERISTICS[key].label
    rows = representation[representation["compared"]].iloc[::-1]
    shown = rows[rows["workforce_share"].notna()]
    fig = go.Figure()
    fig.add_bar(
        y=shown["category"], x=shown["workforce_share"] * 100, orientation="h",
        name="Staff", marker_color=NHS_COLOURS["blue"],
        error_x={"type": "data", "symmetric": False,
                 "array": (shown["upper"] - shown["workforce_share"]) * 100,
                 "arrayminus": (shown["workforce_share"] - shown["lower"]) * 100,
                 "color": NHS_COLOURS["dark_grey"]},
        hovertemplate="%{y}: %{x:.1f}% of staff<extra></extra>",
    )
    fig.add_scatter(
        y=rows["category"], x=rows["population_share"] * 100, mode="markers",
        name=population_label, marker={"symbol": "diamond", "size": 11,
                                       "color": NHS_COLOURS["orange"],
                                       "line": {"color": NHS_COLOURS["black"], "width": 1}},
        hovertemplate="%{y}: %{x:.1f}% of the population<extra></extra>",
    )
    hidden = rows["workforce_share"].isna()
    for cat, sym in zip(rows.loc[hidden, "category"], rows.loc[hidden].get(
            "symbol", pd.Series("", index=rows.index))[hidden], strict=True):
        # no bar: say so where the bar would start, so it does not read as 0 staff
        fig.add_annotation(y=cat, x=0, xanchor="left", yanchor="top", showarrow=False,
                           xshift=4, yshift=-8,
                           text="Staff share "
                                + symbols.hidden_words(sym, symbol, "staff"),
                           font={"size": 12, "color": NHS_COLOURS["dark_grey"]})
    fig.update_layout(**plotly_layout(
        xaxis={"title": "% of people who stated a category", "ticksuffix": "%",
               "rangemode": "tozero", "gridcolor": NHS_COLOURS["pale_grey"]},
        yaxis={"title": None, "automargin": True},
        height=max(300, 60 + 38 * len(rows)),
    ))
    derived = symbols.derived_mark(symbol)
    level = stats.confidence_label(confidence)
    data = pd.DataFrame({
        label: rows["category"].iloc[::-1].to_numpy(),
        "Staff %": _pct_text(rows["workforce_share"], derived)[::-1],
        f"{level} interval": [derived if pd.isna(lo) else f"{100 * lo:.1f}% to {100 * hi:.1f}%"
                         for lo, hi in zip(rows["lower"], rows["upper"], strict=True)][::-1],
        f"{population_label} %": _pct_text(rows["population_share"], "–")[::-1],
        "Assessment": [symbols.NOT_ASSESSED if h else (f or "–") for f, h in
                       zip(rows["flag"], hidden, strict=True)][::-1],
    })
    parts = [f"{c} {100 * s:.1f}% of staff vs {100 * p:.1f}% of the population"
             for c, s, p in zip(shown["category"][::-1], shown["workforce_share"][::-1],
                                shown["population_share"][::-1], strict=True)]
    alt = (f"Bar chart of the share of staff by {label.lower()}, with {level} intervals, "
           f"beside the local population share: " + "; ".join(parts) + "."
           if parts else f"Bar chart of staff by {label.lower()}: all values are hidden.")
    if hidden.any() and parts:
        alt += (" Staff shares not shown (small numbers): "
                + ", ".join(rows.loc[hidden, "category"][::-1]) + ".")
    set_finding_title(fig, _representation_finding(shown, label))
    return Chart(fig, alt, data)


def _representation_finding(shown: pd.DataFrame, label: str) -> str:
    """One sentence: which shown groups differ from the population, and how."""
    flags = shown.set_index("category")["flag"].dropna().astype(str)
    over = [c for c, f in flags.items() if f.lower().startswith("over")]
    under = [c for c, f in flags.items() if f.lower().startswith("under")]
    parts = [f"{', '.join(over[::-1])} staff over-represented"] if over else []
    parts += [f"{', '.join(under[::-1])} staff under-represented"] if under else []
    if not parts:
        return (f"By {label.lower()}, no group shown differs clearly from the local "
                "population")
    return "Compared with the local population: " + "; ".join(parts)


def composition_chart(profile: PublishedProfile) -> Chart:
    """Stacked bars: the make-up of each pay band cluster by category.

    Parameters
    ----------
    profile : PublishedProfile
        ``section.profiles[key]`` of
        :func:`edi_analysis.workforce_publication.build_chapter`.

    Returns
    -------
    Chart
        One bar per cluster (and the total), segments = categories' % of the cluster;
        hidden cells are grouped into one grey "Hidden (small numbers)" segment per bar
        (their sum can already be read from the table as 100% minus the shown cells).
    """
    head = profile.headcount
    symbol = profile.symbol
    label = CHARACTERISTICS[profile.characteristic].label
    clusters = list(dict.fromkeys(head["cluster"]))
    cats = [c for c in dict.fromkeys(head["category"]) if c != TOTAL]
    body = head[head["category"] != TOTAL]
    wide = body.pivot(index="category", columns="cluster", values="share").reindex(
        index=cats, columns=clusters)
    mask = body.pivot(index="category", columns="cluster", values="suppressed").reindex(
        index=cats, columns=clusters).fillna(False).astype(bool)
    syms = body.pivot(index="category", columns="cluster", values="symbol").reindex(
        index=cats, columns=clusters) if "symbol" in body else mask.map(lambda _: "")
    totals = head[head["category"] == TOTAL].set_index("cluster").reindex(clusters)
    known = totals["count"].notna()
    fig = go.Figure()
    drawn, absent = [], []
    for i, cat in enumerate(cats):
        shown = wide.loc[cat].where(~mask.loc[cat])
        if not (shown.fillna(0) > 0).any():
            # a series with nothing to draw stays out of the legend: the note says why
            absent.append(cat)
            continue
        drawn.append(cat)
        # stacked bars need a number at every position: 0 where not drawn (hover and
        # the table say "not shown"), otherwise plotly stacks the rest on nothing
        fig.add_bar(x=clusters, y=shown.fillna(0.0).to_numpy() * 100, name=cat,
                    marker_color=CATEGORY_SEQUENCE[i % len(CATEGORY_SEQUENCE)],
                    customdata=[symbols.hidden_words(syms.at[cat, c], symbol, "staff") if mask.at[
                        cat, c] else f"{100 * v:.1f}%" for c, v in shown.items()],
                    hovertemplate=f"{cat}: " + "%{customdata}<extra>%{x}</extra>")
    shown_sum = wide.where(~mask).sum(axis=0, min_count=1).reindex(clusters).fillna(0.0)
    rest = (1 - shown_sum).where(known).clip(lower=0).fillna(0.0)
    if (rest > 5e-4).any():
        fig.add_bar(x=clusters, y=rest.to_numpy() * 100, name=HIDDEN_SEGMENT,
                    marker={"color": HIDDEN_FILL, "pattern": {
                        "shape": "/", "fgcolor": NHS_COLOURS["mid_grey"], "solidity": 0.2}},
                    text=[f"not shown {100 * r:.1f}%" if r > 5e-4 else "" for r in rest],
                    textposition="inside", insidetextanchor="middle", textangle=0,
                    textfont={"color": NHS_COLOURS["black"]},
                    hovertemplate="Not shown: %{y:.1f}%<extra>%{x}</extra>")
    for clu in [c for c in clusters if not known[c]]:
        fig.add_annotation(x=clu, y=50, text="cluster not shown<br>(small numbers)",
                           showarrow=False, font={"color": NHS_COLOURS["dark_grey"]})
    note = ("Each bar is 100% of the cluster's staff; the hatched grey part is the total of"
            "<br>the groups not shown (fewer than 5, or hidden to protect a small number).")
    if absent:
        note += f"<br>Not drawn in any bar: {', '.join(absent)} (none, or not shown)."
    fig.add_annotation(text=note, xref="paper", yref="paper", x=0, y=-0.2, xanchor="left",
                       yanchor="top", showarrow=False, align="left",
                       font={"size": 11, "color": NHS_COLOURS["dark_grey"]})
    fig.update_layout(**plotly_layout(
        barmode="stack",
        yaxis={"title": "% of headcount", "ticksuffix": "%", "range": [0, 100],
               "gridcolor": NHS_COLOURS["pale_grey"]},
        xaxis={"title": "Pay band cluster"},
        legend={"orientation": "v", "x": 1.02, "y": 1},
        margin={"l": 60, "r": 200, "t": 30, "b": 130},
    ))
    data = pd.DataFrame({label: cats})
    for clu in clusters:
        data[clu] = [symbols.cell_symbol(syms.at[c, clu], symbol) if mask.at[c, clu]
                     else f"{100 * wide.at[c, clu]:.1f}%" for c in cats]
    data.loc[len(data)] = [HIDDEN_SEGMENT, *[
        f"{100 * rest[c]:.1f}%" if known[c] else symbols.derived_mark(symbol)
        for c in clusters]]
    largest = []
    for clu in clusters:
        col = wide[clu].where(~mask[clu]).dropna()
        col = col[col > 0]
        if len(col):
            largest.append(f"{clu}: largest group shown {col.idxmax()} "
                           f"({100 * col.max():.1f}%)"
                           + (f", {100 * rest[clu]:.1f}% not shown" if rest[clu] > 5e-4
                              else ""))
        else:
            largest.append(f"{clu}: no group shown")
    alt = (f"Stacked bar chart of each pay band cluster's staff by {label.lower()}, each "
           "bar 100% of the cluster. " + "; ".join(largest) + ".")
    total = wide[TOTAL].where(~mask[TOTAL]).dropna() if TOTAL in wide else pd.Series()
    if len(total) and total.max() > 0:
        set_finding_title(fig, f"{total.idxmax()} staff are the largest group shown, "
                               f"{100 * total.max():.1f}% of all staff")
    return Chart(fig, alt, data)


def _nice_step(raw: float) -> float:
    """Return the smallest 1, 2, 2.5 or 5 x 10^n step at least ``raw`` (axis ticks)."""
    if not np.isfinite(raw) or raw <= 0:
        return 1.0
    power = 10 ** np.floor(np.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= raw - 1e-12:
            return float(multiple * power)
    return float(10 * power)


def age_pyramid(age_sex: pd.DataFrame, symbol: str) -> Chart:
    """Population pyramid of staff by age band and sex (published counts).

    Parameters
    ----------
    age_sex : pandas.DataFrame
        ``section.age_sex`` of :func:`edi_analysis.workforce_publication.build_chapter`.
    symbol : str
        The policy's symbol.

    Returns
    -------
    Chart
        Women to the left, men to the right, as % of all staff; hidden cells have no bar.
    """
    body = age_sex[(age_sex["age_band"] != TOTAL) & (age_sex["sex"] != TOTAL)]
    bands = list(dict.fromkeys(body["age_band"]))
    wide = body.pivot(index="age_band", columns="sex", values="share").reindex(bands)
    hid = body.pivot(index="age_band", columns="sex", values="suppressed").reindex(bands)
    fig = go.Figure()
    colours = {"Female": NHS_COLOURS["aqua_green"], "Male": NHS_COLOURS["blue"]}
    for sex, sign in (("Female", -1), ("Male", 1)):
        if sex not in wide.columns:
            continue
        fig.add_bar(y=bands, x=sign * wide[sex] * 100, orientation="h", name=sex,
                    marker_color=colours[sex], customdata=wide[sex] * 100,
                    hovertemplate=f"{sex} " + "%{y}: %{customdata:.1f}%<extra></extra>")
    top = float(np.nanmax(np.abs(wide.to_numpy(dtype=float)))) * 100 if wide.notna().any(
        axis=None) else 10
    step = _nice_step(top / 2)
    half = np.arange(step, top + step / 2, step)
    ticks = np.concatenate([-half[::-1], [0.0], half])
    fig.update_layout(**plotly_layout(
        barmode="overlay", bargap=0.1,
        xaxis={"title": "% of all staff", "tickvals": ticks, "range": [-top * 1.05, top * 1.05],
               "ticktext": [f"{abs(t):g}%" for t in ticks],
               "gridcolor": NHS_COLOURS["pale_grey"]},
        yaxis={"title": "Age band"},
    ))
    syms = body.pivot(index="age_band", columns="sex", values="symbol").reindex(bands) \
        if "symbol" in body else hid.map(lambda _: "")
    for sex, sign in (("Female", -1), ("Male", 1)):
        if sex not in wide.columns:
            continue
        for band in [b for b in bands if bool(hid.at[b, sex])]:
            # an empty row must not read as no staff: say it is hidden, on its side
            fig.add_annotation(y=band, x=0, xanchor="right" if sign < 0 else "left",
                               xshift=-4 * (sign < 0) + 4 * (sign > 0), showarrow=False,
                               text=f"{sex} " + symbols.hidden_words(
                                   syms.at[band, sex], symbol, "staff"),
                               font={"size": 11, "color": NHS_COLOURS["dark_grey"]})
    data = pd.DataFrame({"Age band": bands})
    for sex in wide.columns:
        data[f"{sex} %"] = [symbols.cell_symbol(syms.at[b, sex], symbol) if bool(h)
                            else f"{100 * v:.1f}%"
                            for b, v, h in zip(bands, wide[sex], hid[sex], strict=True)]
    shown = body[body["share"].notna()]
    if len(shown):
        big = shown.loc[shown["share"].idxmax()]
        alt = (f"Age pyramid of staff by sex. The largest group shown is {big['sex'].lower()} "
               f"staff aged {big['age_band']} ({100 * big['share']:.1f}% of all staff).")
        set_finding_title(fig, f"The largest group shown is {big['sex'].lower()} staff aged "
                               f"{big['age_band']}, {100 * big['share']:.1f}% of all staff")
        hidden_rows = [b for b in bands if bool(hid.loc[b].fillna(False).any())]
        if hidden_rows:
            alt += (" Not shown because of small numbers, in at least one sex: "
                    + ", ".join(hidden_rows) + ".")
    else:
        alt = "Age pyramid of staff by sex: all values are hidden."
    return Chart(fig, alt, data)


def declaration_chart(declaration: pd.DataFrame, symbol: str) -> Chart:
    """Share of staff with no stated category, by characteristic and pay band cluster.

    Parameters
    ----------
    declaration : pandas.DataFrame
        Stacked published declaration tables (``PublishedProfile.declaration``).
    symbol : str
        The policy's symbol.

    Returns
    -------
    Chart
        Grouped bars: one group per characteristic, one bar per cluster (total last).
    """
    clusters = list(dict.fromkeys(declaration["cluster"]))
    keys = list(dict.fromkeys(declaration["characteristic"]))
    names = [CHARACTERISTICS[k].label for k in keys]
    fig = go.Figure()
    for i, clu in enumerate(clusters):
        part = declaration[declaration["cluster"] == clu].set_index("characteristic")
        part = part.reindex(keys)
        colour = NHS_COLOURS["dark_blue"] if clu == TOTAL else \
            CATEGORY_SEQUENCE[i % len(CATEGORY_SEQUENCE)]
        fig.add_bar(x=names, y=part["not_declared_share"] * 100, name=clu,
                    marker_color=colour, hovertemplate=f"{clu}: " + "%{y:.1f}%<extra>%{x}"
                    "</extra>")
    fig.update_layout(**plotly_layout(
        barmode="group",
        yaxis={"title": "% of staff not declared", "ticksuffix": "%", "rangemode": "tozero",
               "gridcolor": NHS_COLOURS["pale_grey"]},
    ))
    data = pd.DataFrame({"Characteristic": names})
    for clu in clusters:
        part = declaration[declaration["cluster"] == clu].set_index("characteristic")
        part = part.reindex(keys)
        data[clu] = [symbol if bool(h) else f"{100 * v:.1f}%"
                     for v, h in zip(part["not_declared_share"], part["suppressed"], strict=True)]
    tot = declaration[(declaration["cluster"] == TOTAL) & ~declaration["suppressed"]]
    parts = [f"{CHARACTERISTICS[k].label.lower()} {100 * v:.1f}%"
             for k, v in zip(tot["characteristic"], tot["not_declared_share"], strict=True)]
    alt = ("Grouped bar chart of the share of staff who have not declared each "
           "characteristic, by pay band cluster. Whole workforce: " + "; ".join(parts) + ".")
    return Chart(fig, alt, data)


def gpg_peer_chart(
    peers: pd.DataFrame, org_value: float, reporting_year: str,
    measure: str = "median_hourly_gap_pct", org_name: str = "This organisation",
) -> Chart:
    """Distribution of NHS bodies' gender pay gaps with the organisation marked.

    Parameters
    ----------
    peers : pandas.DataFrame
        :func:`edi_analysis.gender_pay_gap.load_peer_returns` rows of one reporting year
        (e.g. filtered by the notebook through
        :func:`edi_analysis.gender_pay_gap.peer_returns_for`).
    org_value : float
        The organisation's gap (percent).
    reporting_year : str
        The peers' reporting year (for titles).
    measure : str
        ``median_hourly_gap_pct`` or ``mean_hourly_gap_pct``.
    org_name : str
        Label of the organisation's marker.

    Returns
    -------
    Chart
        Histogram of peers' gaps by employer type with a vertical line for the
        organisation.
    """
    fig = go.Figure()
    types = list(dict.fromkeys(peers["employer_type"]))
    for i, t in enumerate(types):
        fig.add_histogram(x=peers.loc[peers["employer_type"] == t, measure], name=t,
                          marker_color=CATEGORY_SEQUENCE[i % len(CATEGORY_SEQUENCE)],
                          xbins={"size": 2.5})
    what = "Median" if "median" in measure else "Mean"
    if not pd.isna(org_value):
        fig.add_vline(x=org_value, line={"color": NHS_COLOURS["red"], "width": 3},
                      annotation_text=f"{org_name}: {org_value:.1f}%",
                      annotation_position="top right")
    fig.update_layout(**plotly_layout(
        barmode="stack",
        xaxis={"title": f"{what} hourly pay gap (%), {reporting_year}", "ticksuffix": "%",
               "gridcolor": NHS_COLOURS["pale_grey"]},
        yaxis={"title": "Number of NHS bodies"},
    ))
    values = peers[measure].dropna()
    data = pd.DataFrame({
        "Statistic": ["NHS bodies (n)", "Lowest", "Lower quartile", "Median",
                      "Upper quartile", "Highest", org_name],
        f"{what} hourly pay gap": [
            f"{len(values)}", *(f"{v:.1f}%" for v in (values.min(), values.quantile(0.25),
                                                      values.median(), values.quantile(0.75),
                                                      values.max())),
            "–" if pd.isna(org_value) else f"{org_value:.1f}%"],
    })
    alt = (f"Histogram of the {what.lower()} hourly gender pay gap reported by {len(values)} "
           f"NHS bodies for {reporting_year}; the middle half lies between "
           f"{values.quantile(0.25):.1f}% and {values.quantile(0.75):.1f}%"
           + ("" if pd.isna(org_value) else f", and {org_name.lower()}'s gap is "
              f"{org_value:.1f}%") + ".")
    return Chart(fig, alt, data)


def gpg_quarters_chart(quarters: pd.DataFrame, symbol: str) -> Chart:
    """Women and men in each hourly pay quarter (100% stacked bars).

    Parameters
    ----------
    quarters : pandas.DataFrame
        ``gpg.quarters`` of :func:`edi_analysis.workforce_publication.build_chapter`.
    symbol : str
        The policy's symbol.

    Returns
    -------
    Chart
    """
    fig = go.Figure()
    fig.add_bar(y=quarters["quarter"], x=quarters["female_pct"], name="Women",
                orientation="h", marker_color=NHS_COLOURS["aqua_green"],
                hovertemplate="Women: %{x:.1f}%<extra>%{y}</extra>")
    fig.add_bar(y=quarters["quarter"], x=quarters["male_pct"], name="Men",
                orientation="h", marker_color=NHS_COLOURS["blue"],
                hovertemplate="Men: %{x:.1f}%<extra>%{y}</extra>")
    fig.update_layout(**plotly_layout(
        barmode="stack",
        xaxis={"title": "% of employees in the quarter", "ticksuffix": "%", "range": [0, 100]},
        yaxis={"title": "Hourly pay quarter", "autorange": "reversed"},
    ))
    data = pd.DataFrame({
        "Quarter": quarters["quarter"],
        "Women %": [symbol if pd.isna(v) else f"{v:.1f}%" for v in quarters["female_pct"]],
        "Men %": [symbol if pd.isna(v) else f"{v:.1f}%" for v in quarters["male_pct"]],
    })
    parts = [f"{q}: {f:.1f}% women" for q, f in zip(quarters["quarter"],
                                                    quarters["female_pct"], strict=True)
             if not pd.isna(f)]
    alt = "Stacked bar chart of women and men in each hourly pay quarter. " + \
        "; ".join(parts) + "."
    return Chart(fig, alt, data)
