"""The published HTML page: one shared plotly.js, table styles merged once.

Both renderers write a self-contained page (plotly.js inline, about 4.8 MB). The page a
reader downloads loads plotly.js from the site's own assets instead, so every report of
a site shares one copy; ``--self-contained`` keeps the single-file page. great-tables
gives every table its own copy of the same stylesheet, scoped to the table's id; the
copies are merged into one stylesheet with the same selectors and specificity.
"""

from __future__ import annotations

import hashlib
import re

__all__ = [
    "PLOTLY_MARKER",
    "plotly_asset_name",
    "use_shared_plotly",
    "use_inline_plotly",
    "merge_table_styles",
    "unlink_local_files",
]

#: Attribute on the ``<script>`` element that loads plotly.js from a file.
PLOTLY_MARKER = "data-edi-plotly"
_SHARED = re.compile(rf'<script {PLOTLY_MARKER}="" src="[^"]*"></script>')
_GT_BLOCK = re.compile(r'(<div id="(?P<id>[A-Za-z][\w-]*)"[^>]*>\s*)<style>(?P<css>.*?)</style>',
                       re.DOTALL)
_SCOPE = "#\x00"  # stands for the table id while copies are compared
_LINK = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<text>.*?)</a>", re.DOTALL | re.IGNORECASE)
_HREF = re.compile(r'\s+href\s*=\s*"(?P<url>[^"]*)"', re.IGNORECASE)
_NOT_LOCAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|/)", re.IGNORECASE)


def plotly_asset_name(js: str) -> str:
    """Return the file name of a plotly.js build in a site's assets (by content hash).

    Reports built with different plotly versions then share nothing by mistake.
    """
    digest = hashlib.sha256(js.encode("utf-8")).hexdigest()[:12]
    return f"plotly-{digest}.min.js"


def _inline_span(page: str, js: str) -> tuple[int, int] | None:
    """Start and end of the inline ``<script>`` element holding exactly ``js``."""
    at = page.find(js)
    if at < 0:
        return None
    start = page.rfind("<script", 0, at)
    end = page.find("</script>", at + len(js))
    if start < 0 or end < 0 or page[start:at].count(">") != 1 or page[at + len(js):end].strip():
        return None
    return start, end + len("</script>")


def use_shared_plotly(page: str, src: str, js: str) -> str:
    """Return ``page`` loading plotly.js from ``src`` instead of carrying it inline.

    Parameters
    ----------
    page : str
        A report page, self-contained (plotly.js inline) or already shared.
    src : str
        Relative URL of the plotly.js file (e.g. ``assets/plotly.min.js``).
    js : str
        The plotly.js text the page carries inline (the build's own copy).

    Returns
    -------
    str
        The page with one ``<script data-edi-plotly src=...>`` element; a page without
        plotly.js is returned unchanged.
    """
    tag = f'<script {PLOTLY_MARKER}="" src="{src}"></script>'
    span = _inline_span(page, js)
    if span is not None:
        return page[:span[0]] + tag + page[span[1]:]
    return _SHARED.sub(lambda _m: tag, page, count=1)


def use_inline_plotly(page: str, js: str) -> str:
    """Return ``page`` with plotly.js inline again (a single self-contained file)."""
    return _SHARED.sub(lambda _m: f"<script>{js}</script>", page, count=1)


def merge_table_styles(page: str) -> str:
    """Replace great-tables' per-table copies of one stylesheet by one shared copy.

    Each copy scopes its rules with its table's id (``#abcdef .gt_table``). Copies that
    are the same once the id is taken out become one ``<style>`` in the page head whose
    rules use ``:is(#a, #b, ...)`` in place of the id: the same elements match, with
    the same specificity, so the page looks exactly as before.

    Parameters
    ----------
    page : str
        A full HTML page (with ``</head>``).

    Returns
    -------
    str
        The page, unchanged when it has no ``</head>`` or no table styles.
    """
    if "</head>" not in page:
        return page
    groups: dict[str, list[str]] = {}
    for match in _GT_BLOCK.finditer(page):
        ident, css = match.group("id"), match.group("css")
        scoped = re.compile(rf"#{re.escape(ident)}(?![\w-])")
        if scoped.search(css):
            groups.setdefault(scoped.sub(lambda _m: _SCOPE, css), []).append(ident)
    if not groups:
        return page
    merged: set[str] = {i for ids in groups.values() for i in ids}

    def drop(match: re.Match[str]) -> str:
        return match.group(1) if match.group("id") in merged else match.group(0)

    body = _GT_BLOCK.sub(drop, page)
    sheets = []
    for css, ids in groups.items():
        scope = ids[0] if len(ids) == 1 else None
        selector = f"#{scope}" if scope else ":is(" + ", ".join(f"#{i}" for i in ids) + ")"
        sheets.append(f"<style>{css.replace(_SCOPE, selector)}</style>")
    head_end = body.index("</head>")
    return body[:head_end] + "\n".join(sheets) + "\n" + body[head_end:]


def unlink_local_files(page: str) -> str:
    """Turn links to local files (``tables/x.csv``) into plain text, for printing.

    A browser printing a page to PDF writes a relative link as an absolute
    ``file://`` address of the folder the page was printed from: the building
    machine's path. Links within the page (``#sec-...``) and to web addresses stay.
    """

    def text(match: re.Match[str]) -> str:
        href = _HREF.search(match.group("attrs"))
        if href is None or _NOT_LOCAL.match(href.group("url")):
            return match.group(0)
        return f"<span{_HREF.sub('', match.group('attrs'))}>{match.group('text')}</span>"

    return _LINK.sub(text, page)
