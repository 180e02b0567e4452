"""Disclosure control for everything a report publishes: one model, one home.

The whole threat model is in ``docs/DISCLOSURE.md``. In short: a reader holds every
artefact of this report and of the last one, knows the printed rules ("<5" is 1 to 4,
"*" under ``standard`` is 5 or more), knows counts are whole and non-negative, knows
how the tables relate, and solves integer programmes. No hidden small figure, and no
small group derived from published ones, may be pinned within one person.

Modules
-------
policy
    Named policies (:data:`POLICIES`), their symbols and the intervals they state.
model
    :class:`Population`, :class:`CellKey`, :class:`Release` (every table of a
    notebook, cell by cell).
system
    The reader's linear system for one population (clique tables, junction tree).
protect
    Secondary suppression by optimisation (:meth:`Release.protect`).
attack
    The attacker: exact bounds on hidden figures from published text.
manifest
    Published tables, the audit's manifest and the ledger for the next release.
audit
    The pre-publication audit of every artefact (:func:`audit.check_run`).
"""

from __future__ import annotations

import re
from pathlib import Path

from edi_analysis.disclosure.manifest import LEDGER_NAME, read_ledger, write_release
from edi_analysis.disclosure.model import CellKey, Population, Release, Role, condition_of
from edi_analysis.disclosure.policy import POLICIES, SuppressionPolicy, get_policy

__all__ = [
    "LEDGER_NAME",
    "POLICIES",
    "CellKey",
    "Population",
    "Release",
    "Role",
    "SuppressionPolicy",
    "condition_of",
    "get_policy",
    "previous_ledgers",
    "read_ledger",
    "write_release",
]

_PERIOD = re.compile(r"^\d{4}-\d{2}$")


def previous_ledgers(org: object, period: str, output_root: str | Path | None = None
                     ) -> list[Path]:
    """Ledgers of the organisation's reports for earlier periods, oldest first.

    Parameters
    ----------
    org : Organisation or str
        The resolved organisation (:func:`edi_analysis.geography.resolve_org`; its NHS
        code names the output folder) or that code itself (e.g. ``QK1``).
    period : str
        This report's period (``YYYY-YY``); only earlier periods are returned.
    output_root : str or Path, optional
        Folder holding ``<org>/<period>/`` report folders (default ``output/`` of the
        project).

    Returns
    -------
    list of Path
        Existing ``release-ledger.json`` files of earlier periods.
    """
    if output_root is None:
        from edi_analysis.paths import project_root

        output_root = project_root() / "output"
    folder = Path(output_root) / str(getattr(org, "nhs_code", org))
    if not folder.is_dir():
        return []
    out = []
    for sub in sorted(folder.iterdir()):
        if sub.is_dir() and _PERIOD.match(sub.name) and sub.name < period:
            ledger = sub / LEDGER_NAME
            if ledger.exists():
                out.append(ledger)
    return out
