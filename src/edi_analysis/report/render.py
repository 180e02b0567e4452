"""The embedded renderer: the same report as Quarto, without Quarto.

It reads ``report.qmd`` with its project metadata, resolves every ``embed`` shortcode
to the labelled output of an executed notebook (exactly as Quarto does: outputs are
taken, nothing is re-executed), numbers tables and figures in document order, resolves
``@tbl-``/``@fig-`` cross references, converts the Markdown with pandoc (from
``pypandoc-binary``) and writes one self-contained HTML file: plotly.js, styles and
images are inlined, so the page makes no external requests and works offline. The static
PNG copies of the charts are for the page printed to PDF only (``print_images``); the
page read on screen has the interactive charts alone.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pypandoc

from edi_analysis.report.notebooks import LabelledCell, find_cell
from edi_analysis.report.qmd import SHORTCODE, QmdDocument, lookup, read_document

__all__ = [
    "EmbeddedOutput",
    "RenderError",
    "caption_table",
    "figure_alt_text",
    "render_html",
    "plotly_js",
    "report_css",
    "section_numbers",
]

_EXTERNAL_IMPORT = re.compile(r"@import\s+url\([^)]*\)\s*;?")
_XREF = re.compile(r"(?<![\w@])@((?:tbl|fig|sec)-[\w-]+)")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
_FENCE = re.compile(r"^(```|~~~)")
_TOKEN = "EDIEMBED{:04d}X"
_ROW = re.compile(r"<tr\b.*?</tr>", re.DOTALL | re.IGNORECASE)
_CELL = re.compile(r"<t[dh]\b", re.IGNORECASE)
_LONG_TABLE_ROWS = 30
_TABLE_OPEN = re.compile(r"<table\b[^>]*>", re.IGNORECASE)


class RenderError(RuntimeError):
    """Raised when the report source cannot be rendered (missing label, notebook, ...)."""


@dataclass
class EmbeddedOutput:
    """One resolved ``embed`` shortcode."""

    notebook: str
    label: str
    cell: LabelledCell
    number: int | None = None
    html: str = field(default="", repr=False)


def plotly_js() -> str:
    """Return the installed plotly package's ``plotly.min.js`` (inlined once per report)."""
    return resources.files("plotly").joinpath("package_data/plotly.min.js").read_text("utf-8")


def report_css() -> str:
    """Return the report stylesheet shipped with the package."""
    return resources.files("edi_analysis.report").joinpath("assets/report.css").read_text("utf-8")


def _markdown_to_html(text: str) -> str:
    return pypandoc.convert_text(text, "html5", format="markdown")


def _output_html(cell: LabelledCell) -> tuple[str, str | None]:
    """Return (screen HTML, PNG base64 or None) for a cell's outputs."""
    screen: list[str] = []
    png: str | None = None
    for out in cell.outputs:
        if out.get("output_type") not in {"display_data", "execute_result"}:
            continue
        data = out.get("data", {})
        if "image/png" in data and png is None:
            png = "".join(data["image/png"]).replace("\n", "")
        if "text/html" in data:
            frag = "".join(data["text/html"]) if isinstance(data["text/html"], list) else data[
                "text/html"]
            screen.append(_EXTERNAL_IMPORT.sub("", frag))
        elif "text/markdown" in data:
            md = data["text/markdown"]
            screen.append(_markdown_to_html("".join(md) if isinstance(md, list) else md))
        elif "image/png" in data:
            screen.append(f'<img src="data:image/png;base64,{png}" alt="">')
        elif "text/plain" in data:
            txt = data["text/plain"]
            screen.append(f"<pre>{html.escape(''.join(txt) if isinstance(txt, list) else txt)}"
                          "</pre>")
    return "\n".join(screen), png


def _width_class(table_html: str) -> str:
    """Return a CSS class for tables too wide for an A4 page at the normal print size.

    Counts the cells of the widest row; the print stylesheet sets a smaller type size for
    ``edi-wide`` (over 9 columns) and ``edi-wider`` (over 12) tables, the latter on a
    landscape page. Tables of more than 30 rows are also ``edi-long``: they may break
    across pages between rows, where a shorter table is moved whole to the next page.
    """
    rows = _ROW.findall(table_html)
    widest = max((len(_CELL.findall(row)) for row in rows), default=0)
    # Long tables may break across pages (row by row); short ones are kept on one page.
    long = " edi-long" if len(rows) > _LONG_TABLE_ROWS else ""
    if widest > 12:
        return " edi-wider" + long
    if widest > 9:
        return " edi-wide" + long
    return long


def caption_table(table_html: str, caption_html: str, caption_id: str) -> str:
    """Put a caption into the first ``<table>`` of an HTML fragment.

    A table's title belongs in its ``<caption>`` (WCAG 1.3.1), where assistive technology
    announces it with the table; a paragraph above the table is not tied to it.

    Parameters
    ----------
    table_html : str
        A fragment holding at least one ``<table>`` (e.g. a great-tables output).
    caption_html : str
        The caption's content, already escaped, e.g. ``Table 3: Staff by age band``.
    caption_id : str
        ``id`` of the caption, so that a scroll region around the table can be labelled
        by it.

    Returns
    -------
    str
        The fragment with ``<caption class="edi-caption" id=...>`` as the first child of its
        first table.

    Raises
    ------
    RenderError
        If the fragment holds no table.
    """
    match = _TABLE_OPEN.search(table_html)
    if match is None:
        raise RenderError(f"No <table> to caption for {caption_id!r}.")
    caption = (f'<caption class="edi-caption" id="{html.escape(caption_id)}">'
               f"{caption_html}</caption>")
    return table_html[:match.end()] + caption + table_html[match.end():]


def figure_alt_text(cell: LabelledCell) -> str:
    """Return the alt text of a figure cell: the finding its chart bundle states.

    A chart cell displays :class:`edi_analysis.report.display.FigureBundle`, whose
    ``text/plain`` output is the alt text generated from the data (what the chart shows).
    The cell's ``fig-alt`` option is a fixed description, used only when no output
    carries text.

    Parameters
    ----------
    cell : LabelledCell
        An executed figure cell.

    Returns
    -------
    str
        Plain text (not escaped).
    """
    for out in cell.outputs:
        if out.get("output_type") not in {"display_data", "execute_result"}:
            continue
        text = out.get("data", {}).get("text/plain")
        if text:
            text = "".join(text) if isinstance(text, list) else str(text)
            if text.strip() and not text.lstrip().startswith("<"):
                return " ".join(text.split())
    return " ".join(str(cell.options.get("fig-alt", "")).split())


def _embed_html(item: EmbeddedOutput, print_images: bool = True) -> str:
    cell = item.cell
    screen, png = _output_html(cell)
    label = html.escape(item.label)
    if not screen and png is None:
        raise RenderError(
            f"{item.notebook}#{item.label} has no displayable output: was the notebook executed?"
        )
    if cell.kind == "table":
        cap = html.escape(str(cell.options.get("tbl-cap", "")))
        table = caption_table(screen, f"Table {item.number}: {cap}", f"{item.label}-caption")
        # A region, focusable and named by the caption: it scrolls sideways on a narrow
        # screen, and keyboard users must be able to scroll it (WCAG 2.1.1).
        return (
            f'<div id="{label}" class="edi-embed edi-table-block{_width_class(screen)}" '
            f'role="region" tabindex="0" aria-labelledby="{label}-caption">{table}</div>'
        )
    if cell.kind == "figure":
        cap = html.escape(str(cell.options.get("fig-cap", "")))
        alt = html.escape(figure_alt_text(cell), quote=True)
        img = (f'<img class="print-only" src="data:image/png;base64,{png}" alt="{alt}">'
               if png and print_images else "")
        # role="group" named by the caption: in the tagged PDF the image is then the one
        # Figure (with the finding as its alt text), not an empty Figure around it.
        return (
            f'<figure id="{label}" class="edi-embed edi-figure-block" role="group" '
            f'aria-labelledby="{label}-caption">'
            f'<div class="screen-only">{screen}</div>{img}'
            f'<figcaption id="{label}-caption">Figure {item.number}: {cap}</figcaption></figure>'
        )
    return f'<div id="{label}" class="edi-embed edi-text-block">{screen}</div>'


def section_numbers(markdown: str, numbered: bool = True) -> dict[str, str]:
    """Return ``{"sec-id": "2.1"}`` for headings with ids, numbered as pandoc numbers them.

    Headings marked ``.unnumbered`` (or ``-``) are not counted, as in Quarto and pandoc.
    """
    counters = [0] * 6
    numbers: dict[str, str] = {}
    in_fence = False
    for line in markdown.splitlines():
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
            continue
        match = None if in_fence else _HEADING.match(line)
        if not match:
            continue
        attrs = (match.group("attrs") or "").split()
        if ".unnumbered" in attrs or "-" in attrs:
            number = ""
        else:
            level = len(match.group("hashes"))
            counters[level - 1] += 1
            counters[level:] = [0] * (6 - level)
            number = ".".join(str(c) for c in counters[:level])
        for attr in attrs:
            if attr.startswith("#sec-"):
                numbers[attr[1:]] = number if numbered else ""
    return numbers


def _resolve_embeds(doc: QmdDocument) -> tuple[str, list[EmbeddedOutput]]:
    items: list[EmbeddedOutput] = []
    counters = {"table": 0, "figure": 0}
    base = doc.path.parent

    def replace(match: re.Match[str]) -> str:
        name, args = match.group("name"), match.group("args").strip()
        if name == "meta":
            return str(_lookup_or_fail(doc.metadata, args, "metadata"))
        if name == "var":
            return str(_lookup_or_fail(doc.variables, args, "_variables.yml"))
        if name != "embed":
            raise RenderError(f"Unsupported shortcode {{{{< {name} >}}}} in {doc.path}")
        ref = args.split()[0]
        notebook, _, label = ref.partition("#")
        if not label:
            raise RenderError(f"embed {ref!r}: give a cell label, e.g. nb.ipynb#tbl-x")
        try:
            cell = find_cell(base / notebook, label)
        except (FileNotFoundError, KeyError) as exc:
            raise RenderError(str(exc).strip('"')) from exc
        item = EmbeddedOutput(notebook, label, cell)
        if cell.kind in counters:
            counters[cell.kind] += 1
            item.number = counters[cell.kind]
        items.append(item)
        return f"\n\n{_TOKEN.format(len(items) - 1)}\n\n"

    body = SHORTCODE.sub(replace, doc.body)
    numbers = {i.label: (i.cell.kind, i.number) for i in items if i.number}
    sections = section_numbers(body, bool(_format_option(doc.metadata, "number-sections", True)))

    def xref(match: re.Match[str]) -> str:
        label = match.group(1)
        if label in sections:
            return f"[Section&nbsp;{sections[label]}](#{label})".replace("&nbsp;]", "]")
        if label not in numbers:
            raise RenderError(f"Cross reference @{label} has no embedded table or figure.")
        kind, number = numbers[label]
        return f"[{'Table' if kind == 'table' else 'Figure'}&nbsp;{number}](#{label})"

    return _XREF.sub(xref, body), items


def _lookup_or_fail(mapping: dict[str, Any], key: str, where: str) -> Any:
    try:
        return lookup(mapping, key)
    except KeyError as exc:
        raise RenderError(f"No {where} value for {key!r}") from exc


def _format_option(meta: dict[str, Any], key: str, default: Any) -> Any:
    fmt = meta.get("format", {})
    html_fmt = fmt.get("html", {}) if isinstance(fmt, dict) else {}
    if isinstance(html_fmt, dict) and key in html_fmt:
        return html_fmt[key]
    return meta.get(key, default)


def render_html(qmd_path: str | Path, output_path: str | Path, *,
                print_images: bool = True) -> Path:
    """Render ``report.qmd`` to one self-contained HTML file.

    Parameters
    ----------
    qmd_path : str or Path
        The report source inside a build folder, next to its ``_quarto.yml`` and the
        executed notebooks it embeds.
    output_path : str or Path
        Where to write the HTML.
    print_images : bool, default True
        Put each chart's static PNG in the page, shown only when printing (the PDF
        needs them). False for the page read on screen: the PNGs would more than
        double its size for nothing.

    Returns
    -------
    Path
        ``output_path``.

    Raises
    ------
    RenderError
        If an embedded notebook or label is missing, a cell has no output, or a cross
        reference points nowhere.
    """
    doc = read_document(qmd_path)
    body_md, items = _resolve_embeds(doc)
    meta = doc.metadata
    args = ["--section-divs", "--standalone", "--template",
            str(resources.files("edi_analysis.report").joinpath("assets/template.html"))]
    if _format_option(meta, "toc", True):
        args += ["--toc", f"--toc-depth={_format_option(meta, 'toc-depth', 2)}"]
    if _format_option(meta, "number-sections", True):
        args.append("--number-sections")
    # One <h1> (the title): chapters become <h2>, as Quarto does with the same option.
    shift = int(_format_option(meta, "shift-heading-level-by", 0))
    if shift:
        args.append(f"--shift-heading-level-by={shift}")
    for key in ("title", "subtitle", "date", "lang"):
        if key in meta:
            args += ["-M", f"{key}={meta[key]}"]
    toc_title = _format_option(meta, "toc-title", "Contents")
    args += ["-M", f"toc-title={toc_title}"]
    page = pypandoc.convert_text(body_md, "html5", format="markdown", extra_args=args)
    for i, item in enumerate(items):
        fragment = _embed_html(item, print_images)
        token = _TOKEN.format(i)
        page, n = re.subn(rf"<p>{token}</p>", lambda _m, f=fragment: f, page)
        if n != 1:
            raise RenderError(f"Could not place embedded output {item.label} in the page.")
    head = f"<style>\n{report_css()}\n</style>\n<script>{plotly_js()}</script>"
    page = page.replace("<!--EDI-HEAD-->", head, 1)
    out = Path(output_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
