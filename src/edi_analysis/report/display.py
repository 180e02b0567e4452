"""Display objects for notebook cells that the report embeds.

A chart cell must render in three places: Jupyter (interactive), the HTML report
(interactive, accessible) and the PDF (a static image). Each figure cell therefore
displays one MIME bundle (see ``shared/QUARTO.md``, item 5):

- ``text/html``: the plotly div without plotly.js (the report loads plotly.js once) and
  without plotly's modebar (its buttons would be focusable controls inside an image, and
  one offers to upload the chart to Plotly's cloud), wrapped in an element with
  ``role="img"`` and ``aria-label`` (Quarto does not carry ``fig-alt`` to interactive
  figures), followed by the data table behind the chart: a captioned table with column
  and row headers, in a disclosure widget whose summary names the chart;
- ``image/png``: a static render by kaleido (needs a Chromium-family browser);
- ``text/plain``: the alt text.
"""

from __future__ import annotations

import atexit
import base64
import html
import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from IPython.display import Markdown

from edi_analysis.report.theme import stable_id

__all__ = [
    "PLOTLY_CONFIG",
    "FigureBundle",
    "chart_name",
    "data_table_html",
    "figure_bundle",
    "narrative",
    "png_available",
]

#: plotly.js options of every published chart: no modebar (no focusable buttons inside the
#: ``role="img"`` wrapper, no "Share chart" upload to Plotly's cloud), hover kept for mice.
PLOTLY_CONFIG = {
    "displayModeBar": False,
    "displaylogo": False,
    "showSendToCloud": False,
    "responsive": True,
}

_TAG = re.compile(r"<[^>]+>")
_HEAD_CELL = re.compile(r"<th>")
_BODY_ROW_FIRST_CELL = re.compile(r"(<tr>\s*)<td>(.*?)</td>", re.DOTALL)

log = logging.getLogger(__name__)

_PNG_STATE: dict[str, bool] = {}


def png_available() -> bool:
    """Return True when kaleido can draw static images (a Chromium-family browser exists).

    The first call starts one kaleido browser for the whole kernel (stopped at exit):
    starting a browser per chart costs several seconds each.
    """
    if "ok" not in _PNG_STATE:
        try:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True)
            atexit.register(kaleido.stop_sync_server, silence_warnings=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                go.Figure().to_image(format="png", width=10, height=10)
            _PNG_STATE["ok"] = True
        except Exception as exc:  # any kaleido or browser failure means "no PNG"
            log.warning("Static chart images are unavailable (%s); the PDF will lack charts.", exc)
            _PNG_STATE["ok"] = False
    return _PNG_STATE["ok"]


@dataclass
class FigureBundle:
    """A plotly figure with its alt text and the published data behind it.

    Displaying it (last expression of a notebook cell) emits the MIME bundle described in
    the module docstring. ``data`` must already have been through disclosure control.
    """

    figure: go.Figure
    alt_text: str
    data: pd.DataFrame | None = None
    width: int = 900
    height: int = 500
    _png: bytes | None = field(default=None, repr=False)

    def png(self) -> bytes | None:
        """Return the PNG rendering (cached), or None if no browser is available."""
        if self._png is None and png_available():
            with warnings.catch_warnings():
                # kaleido's server ignores per-call browser options; nothing to act on
                warnings.simplefilter("ignore", UserWarning)
                self._png = self.figure.to_image(
                    format="png", width=self.width, height=self.height, scale=2
                )
        return self._png

    def html(self) -> str:
        """Return the accessible HTML fragment (no plotly.js, no full page)."""
        div = self.figure.to_html(
            include_plotlyjs=False,
            div_id=stable_id("fig", self.alt_text, self.figure.to_json()),
            full_html=False,
            default_width="100%",
            default_height=f"{self.height}px",
            config=PLOTLY_CONFIG,
        )
        alt = html.escape(self.alt_text, quote=True)
        chart = f'<div class="edi-figure" role="img" aria-label="{alt}">{div}</div>'
        if any(trace.type == "heatmap" for trace in self.figure.data):
            # A heatmap needs its question labels and every column: on a phone it keeps a
            # readable width and scrolls sideways in its own region, reachable by keyboard.
            name = html.escape(f"Chart, scrolls sideways: {chart_name(self.figure, self.alt_text)}",
                               quote=True)
            chart = (f'<div class="edi-figure-scroll" role="region" tabindex="0" '
                     f'aria-label="{name}">{chart}</div>')
        parts = [chart]
        if self.data is not None:
            name = chart_name(self.figure, self.alt_text)
            summary = html.escape(f"Data behind this chart: {name}")
            parts.append(
                f'<details class="edi-figure-data"><summary>{summary}</summary>'
                f"{data_table_html(self.data, f'Data behind the chart: {name}')}</details>"
            )
        return "\n".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        bundle = {"text/plain": self.alt_text, "text/html": self.html()}
        png = self.png()
        if png is not None:
            bundle["image/png"] = base64.b64encode(png).decode("ascii")
        else:
            warnings.warn("No static image for this chart: install Chromium for the PDF.",
                          stacklevel=2)
        return bundle


def chart_name(fig: go.Figure, alt_text: str) -> str:
    """Return a short plain-text name for a chart: its title, else its alt text's first sentence.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The chart; ``layout.title.text`` may hold plotly's HTML subset (``<br>``, ``<b>``).
    alt_text : str
        The chart's alt text, used when the chart has no title.

    Returns
    -------
    str
        One line of text without markup, e.g. to name the table of the data behind the chart.
    """
    title = fig.layout.title.text if fig.layout.title is not None else None
    text = _TAG.sub(" ", html.unescape(title)) if title else ""
    if not text.strip():
        text = re.split(r"(?<=[.;:])\s", alt_text.strip(), maxsplit=1)[0].rstrip(".;:")
    return " ".join(text.split())


def data_table_html(data: pd.DataFrame, caption: str) -> str:
    """Return the HTML table of the data behind a chart, with caption and headers.

    The first column names each row (``<th scope="row">``); column headings carry
    ``scope="col"``. Values are formatted by pandas exactly as in ``DataFrame.to_html``
    (missing values shown empty), so no figure gains precision on the way.

    Parameters
    ----------
    data : pandas.DataFrame
        The published (already suppressed and rounded) data behind a chart.
    caption : str
        Plain text for the table's ``<caption>``.

    Returns
    -------
    str
        One ``<table class="edi-data-table">`` element.

    Raises
    ------
    ValueError
        If ``data`` has no columns or ``caption`` is empty.
    """
    if data.shape[1] == 0:
        raise ValueError("The data behind a chart has no columns.")
    if not caption or not caption.strip():
        raise ValueError("The data behind a chart needs a caption.")
    table = data.to_html(index=False, na_rep="", border=0, classes="edi-data-table")
    head, sep, body = table.partition("</thead>")
    head = _HEAD_CELL.sub('<th scope="col">', head)
    head = head.replace('<tr style="text-align: right;">', "<tr>", 1)
    body = _BODY_ROW_FIRST_CELL.sub(r'\1<th scope="row">\2</th>', body)
    head = head.replace(
        ">", f"><caption>{html.escape(' '.join(caption.split()))}</caption>", 1)
    return head + sep + body


def figure_bundle(
    fig: go.Figure,
    alt_text: str,
    data: pd.DataFrame | None = None,
    width: int = 900,
    height: int = 500,
) -> FigureBundle:
    """Return a displayable bundle for a chart cell.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The chart, built only from published (suppressed) figures.
    alt_text : str
        A sentence describing what the chart shows, read by screen readers and used as
        the plain-text output. Must not be empty.
    data : pandas.DataFrame, optional
        The published table behind the chart, shown under it in the HTML report.
    width, height : int
        Size in CSS pixels of the static image (drawn at 2x for print).

    Returns
    -------
    FigureBundle

    Raises
    ------
    ValueError
        If ``alt_text`` is empty.
    """
    if not alt_text or not alt_text.strip():
        raise ValueError("Every chart needs alt text describing what it shows.")
    return FigureBundle(figure=fig, alt_text=alt_text.strip(), data=data, width=width,
                        height=height)


def narrative(sentences: Iterable[str]) -> Markdown:
    """Return generated sentences as a Markdown paragraph list for display.

    Parameters
    ----------
    sentences : iterable of str
        Sentences built from the (published) numbers by the section modules.

    Returns
    -------
    IPython.display.Markdown
        One bullet per sentence; an empty input gives a short "no findings" line.
    """
    items = [s.strip() for s in sentences if s and s.strip()]
    if not items:
        return Markdown("_No findings to report for this section._")
    return Markdown("\n".join(f"- {s}" for s in items))
