"""NHS identity colours and the shared great-tables style.

Colours are the NHS England identity guidelines' colour palette
(https://www.england.nhs.uk/nhsidentity/identity-guidelines/colours/).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
from great_tables import GT, loc, style

__all__ = [
    "NHS_COLOURS",
    "CATEGORY_SEQUENCE",
    "RAG_COLOURS",
    "RAG_FILLS",
    "FONT_STACK",
    "style_table",
    "plotly_layout",
]

NHS_COLOURS: dict[str, str] = {
    "dark_blue": "#003087",
    "blue": "#005EB8",
    "bright_blue": "#0072CE",
    "light_blue": "#41B6E6",
    "aqua_blue": "#00A9CE",
    "black": "#231F20",
    "dark_grey": "#425563",
    "mid_grey": "#768692",
    "pale_grey": "#E8EDEE",
    "dark_green": "#006747",
    "green": "#009639",
    "light_green": "#78BE20",
    "aqua_green": "#00A499",
    "purple": "#330072",
    "dark_pink": "#7C2855",
    "pink": "#AE2573",
    "dark_red": "#8A1538",
    "red": "#DA291C",
    "orange": "#ED8B00",
    "warm_yellow": "#FFB81C",
    "yellow": "#FAE100",
}

#: Order in which categorical series take colours (distinguishable, dark enough for white text).
CATEGORY_SEQUENCE: list[str] = [
    NHS_COLOURS[k]
    for k in (
        "blue", "aqua_green", "purple", "orange", "dark_pink", "light_blue",
        "dark_green", "warm_yellow", "dark_grey", "pink", "light_green", "dark_red",
    )
]

#: Strong RAG colours (chart marks, borders).
RAG_COLOURS: dict[str, str] = {
    "Green": NHS_COLOURS["green"],
    "Amber": NHS_COLOURS["warm_yellow"],
    "Red": NHS_COLOURS["red"],
}

#: Light RAG fills for table cells: dark text on them meets WCAG AA contrast.
RAG_FILLS: dict[str, str] = {
    "Green": "#CDEBD3",
    "Amber": "#FFEBC0",
    "Red": "#F7CBC7",
}

FONT_STACK = ["Frutiger W01", "Arial", "Helvetica", "sans-serif"]


def style_table(
    table: GT,
    source_notes: Sequence[str] = (),
    title: str | None = None,
    subtitle: str | None = None,
) -> GT:
    """Return ``table`` with the report's house style and source notes.

    Parameters
    ----------
    table : great_tables.GT
        The table to style.
    source_notes : sequence of str
        Lines shown under the table: data source, suppression key, definitions.
        Markdown is allowed.
    title, subtitle : str, optional
        Table header. Usually left empty: the report caption (``tbl-cap``) titles the table.

    Returns
    -------
    great_tables.GT
        A new styled table (great-tables objects are immutable).
    """
    out = table
    if title:
        out = out.tab_header(title=title, subtitle=subtitle)
    for note in source_notes:
        out = out.tab_source_note(note)
    out = out.with_id(stable_id("gt", repr(_table_data(out)), title, subtitle,
                                *source_notes))
    return (
        out.opt_table_font(font=FONT_STACK)
        .tab_options(
            table_font_size="14px",
            column_labels_background_color=NHS_COLOURS["blue"],
            column_labels_font_weight="bold",
            heading_background_color=NHS_COLOURS["dark_blue"],
            source_notes_font_size="12px",
            table_border_top_color=NHS_COLOURS["dark_blue"],
            row_striping_background_color="#F5F8F9",
            data_row_padding="4px",
        )
        .opt_row_striping()
        .tab_style(style=style.text(color="white"), locations=loc.column_labels())
    )


_ISSUED: dict[str, int] = {}


def stable_id(prefix: str, *content: object) -> str:
    """Return an HTML id made from what an element shows, the same in every build.

    great-tables and plotly give each table and chart a random id, so two builds of the
    same inputs differed in hundreds of places. The id is ``prefix`` and a SHA-1 digest
    of the content; an identical element shown again in the same process gets ``-2``,
    ``-3`` ... (deterministic, since a notebook shows its outputs in a fixed order).
    """
    digest = hashlib.sha1("\x1f".join(map(str, content)).encode("utf-8")).hexdigest()[:12]
    base = f"{prefix}-{digest}"
    _ISSUED[base] = _ISSUED.get(base, 0) + 1
    return base if _ISSUED[base] == 1 else f"{base}-{_ISSUED[base]}"


def _table_data(table: GT) -> object:
    data = getattr(table, "_tbl_data", None)
    if isinstance(data, pd.DataFrame):
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 10_000):
            return data.to_csv()
    return data


def plotly_layout(**overrides: object) -> dict[str, object]:
    """Return the shared plotly layout keywords (font, colours, margins)."""
    layout: dict[str, object] = {
        "font": {"family": ", ".join(FONT_STACK), "size": 13, "color": NHS_COLOURS["black"]},
        "colorway": CATEGORY_SEQUENCE,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "margin": {"l": 60, "r": 20, "t": 40, "b": 60},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    }
    layout.update(overrides)
    return layout
