"""Chart titles that state the finding, above the chart.

The Analysis Function's guidance on charts asks for a title that says what the chart
shows ("White staff are under-represented compared with the local population"), placed
above it; the report caption then names the measure. Titles are built by the chart
functions from the published figures, like every other sentence of the report.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

__all__ = ["TITLE_NAME", "set_finding_title"]

#: Name of the annotation holding a chart's finding title.
TITLE_NAME = "finding-title"


def set_finding_title(fig: go.Figure, finding: str, width: int = 90,
                      above: int | None = None) -> go.Figure:
    """Put ``finding`` as the chart's title, left-aligned above the plot.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The chart (changed in place and returned).
    finding : str
        One sentence: what the chart shows. Empty: the chart keeps no title.
    width : int
        Characters per title line (longer titles wrap onto more lines).
    above : int, optional
        Pixels between the plot area and the title, for what sits on top of the plot
        (a key); default room for a legend placed on top, else a small gap.

    Returns
    -------
    plotly.graph_objects.Figure

    Notes
    -----
    The title is an annotation anchored by its bottom edge just above the plot area (a
    multi-line plotly ``layout.title`` anchored at the top loses its first line), and
    the top margin grows by the title's height, so it is never cut or drawn over the
    plot. Its name is :data:`TITLE_NAME`, so tests and other code can find it.

    References
    ----------
    .. [1] Government Analysis Function (2023). *Data visualisation: charts*, section
       "Titles": use the title to say what the chart shows.
    """
    finding = finding.strip()
    if not finding:
        return fig
    lines = textwrap.wrap(finding, width)
    if above is None:
        legend_top = fig.layout.legend.orientation == "h" and (fig.layout.legend.y or 0) >= 1
        above = 34 if legend_top else 8
    fig.add_annotation(
        name=TITLE_NAME, text="<br>".join(lines), xref="paper", yref="paper", x=0, y=1,
        xanchor="left", yanchor="bottom", yshift=above, showarrow=False, align="left",
        font={"size": 15})
    top = int(fig.layout.margin.t if fig.layout.margin.t is not None else 40)
    fig.update_layout(margin={"t": max(top, above + 21 * len(lines) + 12)})
    return fig
