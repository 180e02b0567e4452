"""Display objects for notebook cells that the report embeds.

A chart cell must render in three places: Jupyter (interactive), the HTML report
(interactive, accessible) and the PDF (a static image). Each figure cell therefore
displays one MIME bundle (see ``shared/QUARTO.md``, item 5):

- ``text/html``: the plotly div without plotly.js (the report loads plotly.js once),
  wrapped in an element with ``role="img"`` and ``aria-label`` (Quarto does not carry
  ``fig-alt`` to interactive figures), followed by the data table behind the chart;
- ``image/png``: a static render by kaleido (needs a Chromium-family browser);
- ``text/plain``: the alt text.
"""

from __future__ import annotations

import atexit
import base64
import html
import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from IPython.display import Markdown

from edi_analysis.report.theme import stable_id

__all__ = ["FigureBundle", "figure_bundle", "narrative", "png_available"]

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
            config={"displaylogo": False, "responsive": True},
        )
        alt = html.escape(self.alt_text, quote=True)
        parts = [f'<div class="edi-figure" role="img" aria-label="{alt}">{div}</div>']
        if self.data is not None:
            table = self.data.to_html(index=False, na_rep="", border=0, classes="edi-data-table")
            parts.append(
                '<details class="edi-figure-data"><summary>Data behind this chart</summary>'
                f"{table}</details>"
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
