"""What a chapter withheld, and why: the table and sentences each chapter ends with.

A reader should know how much of a chapter is hidden and which headline figures are
missing, not only that "some cells are suppressed". Every chapter notebook shows
:func:`withheld_table` and :func:`withheld_sentences` for its release.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT

from edi_analysis.disclosure import Release, SuppressionPolicy
from edi_analysis.report.theme import style_table

__all__ = ["disclosure_method_sentences", "withheld_frame", "withheld_sentences",
           "withheld_table"]

_ROLE_WORDS = {"headline": "headline comparison", "total": "total", "reference":
               "reference group"}


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def withheld_frame(release: Release) -> pd.DataFrame:
    """Per published table: figures, hidden, small, hidden to protect, % hidden.

    Parameters
    ----------
    release : Release
        Protected.

    Returns
    -------
    pandas.DataFrame
        ``Table``, ``Figures``, ``Hidden``, ``Small`` (hidden because they count few
        people), ``To protect others`` and ``% hidden`` (one decimal), plus a
        ``All tables`` row.
    """
    summary = release.protection.tables.copy()
    summary = summary[summary["cells"] > 0]
    total = pd.DataFrame([{
        "table": "All tables", "cells": summary["cells"].sum(),
        "hidden": summary["hidden"].sum(), "primary": summary["primary"].sum(),
        "secondary": summary["secondary"].sum(),
    }])
    out = pd.concat([summary.assign(table=summary["table"].map(_label)), total],
                    ignore_index=True)
    out["hidden_pct"] = (100.0 * out["hidden"] / out["cells"].where(out["cells"] > 0)).round(1)
    return out.rename(columns={"table": "Table", "cells": "Figures", "hidden": "Hidden",
                               "primary": "Small", "secondary": "To protect others",
                               "hidden_pct": "% hidden"})[
        ["Table", "Figures", "Hidden", "Small", "To protect others", "% hidden"]]


def withheld_table(release: Release) -> GT:
    """The :func:`withheld_frame` as a report table."""
    frame = withheld_frame(release)
    gt = GT(frame).fmt_integer(columns=["Figures", "Hidden", "Small", "To protect others"]) \
        .fmt_number(columns="% hidden", decimals=1)
    return style_table(gt, [
        "Figures: counts published in the chapter's tables, each counted once however many "
        "tables show it. Small: hidden because it counts few people. To protect others: "
        "hidden so that a small figure cannot be worked out from the published ones.",
        release.policy.key_text,
    ])


def withheld_sentences(release: Release) -> list[str]:
    """Sentences saying how much is hidden and which headline figures are withheld."""
    prot = release.protection
    summary = prot.tables
    n, hidden = int(summary["cells"].sum()), int(summary["hidden"].sum())
    small, other = int(summary["primary"].sum()), int(summary["secondary"].sum())
    if n == 0:
        return []
    out = [f"Of the {n:,} figures in this chapter's tables, {hidden:,} "
           f"({100.0 * hidden / n:.1f}%) are hidden: {small:,} because they count few "
           f"people and {other:,} so that those cannot be worked out from the others."]
    withheld = prot.withheld
    if withheld is None or withheld.empty:
        out.append("No total, reference group or headline comparison is withheld.")
    else:
        items = []
        for r in withheld.head(8).itertuples():
            items.append(f"{_ROLE_WORDS.get(r.role, r.role)} {_cell_words(r.cell)} "
                         f"({r.reason or 'hidden'})")
        more = f", and {len(withheld) - 8} more" if len(withheld) > 8 else ""
        out.append("Withheld: " + "; ".join(items) + more + ".")
    return out


def _cell_words(cell: str) -> str:
    """``"staff 2025-26: sex=Male; pay_band={...}"`` -> ``"sex Male, pay band ..."``."""
    _, _, cond = cell.partition(": ")
    if not cond or cond == "all":
        return "(all)"
    parts = []
    for item in cond.split("; "):
        attr, _, vals = item.partition("=")
        vals = vals.strip("{}")
        if vals.count(",") > 3:
            vals = vals.split(",")[0] + ", ..."
        parts.append(f"{attr.replace('_', ' ')} {vals}")
    return ", ".join(parts)


def disclosure_method_sentences(policy: SuppressionPolicy) -> list[str]:
    """The methods section's account of disclosure control: the rules and the reader.

    The published key (what each symbol means) is not enough for a reader to trust the
    report: it must also say against whom the figures were protected and how.

    Parameters
    ----------
    policy : SuppressionPolicy
        The run's policy (:func:`edi_analysis.disclosure.get_policy`).

    Returns
    -------
    list of str
        Sentences for :func:`edi_analysis.report.display.narrative`.

    Notes
    -----
    Method: one disclosure model per report (``docs/DISCLOSURE.md``); secondary cells
    chosen by optimisation (Fischetti and Salazar-González, 2001, *Mathematical
    Programming* 91:1-24) and checked by an independent audit that computes a reader's
    exact integer bounds on every hidden count (tau-ARGUS manual 4.1, section 2.15).
    """
    sentences = [policy.key_text]
    if policy.secondary:
        sentences += [
            "Hiding the small counts is not enough on its own: a reader can often work them "
            "out again from totals, from other tables, or from last year's report. Before "
            "anything is published, every figure of the report (tables, charts, CSV files "
            "and last year's published release) is entered into one model that records "
            "which figures add up to which, and further figures are hidden until no small "
            "count can be worked out, even by a reader who combines every table, knows what "
            "each symbol means and that counts are whole numbers, and solves the resulting "
            "equations exactly.",
            "Where there is a choice, small subgroups are hidden rather than the headline "
            "comparisons (White and BME staff, disabled and non-disabled staff, men and "
            "women, the reference group of a ratio). Percentages and rates are rounded, "
            "and computed only from the figures that are shown.",
            "An independent check, written separately from the one that chose what to hide, "
            "repeats the reader's calculation on the published files; the report is not "
            "published if it can pin down any hidden count.",
        ]
    return sentences
