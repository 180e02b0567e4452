"""Categories too sparse to publish apart, and what to publish instead.

Hiding cells cannot protect every table: a small total split into parts of one person
each ("4 people of mixed heritage: one in each of the four Mixed categories") is
given away by the parts' own symbols (each "<5" means at least 1), whatever else is
hidden. The remedy is to publish such parts combined. The domain modules use these
rules to merge categories before they declare their tables, and the report says which
categories were combined and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from edi_analysis.disclosure.policy import SuppressionPolicy

__all__ = ["merge_sparse_rows", "singleton_split", "small_total", "sparse_row"]


def small_total(total: float, policy: SuppressionPolicy) -> bool:
    """True for a count of 1 to ``max_suppressed`` (a primary count)."""
    return bool(policy.is_small_count([float(total)])[0])


def singleton_split(parts: Sequence[float], policy: SuppressionPolicy) -> bool:
    """Whether a small total's parts pin it from below.

    Each non-zero part of a small total is itself small, and its symbol tells a reader
    it is at least 1. With ``k`` non-zero parts the total is at least ``k``; when that
    leaves less than the protection level below the true total (every part is one
    person, or nearly), the total and its parts are disclosed. Merging the parts is the
    only remedy.
    """
    nonzero = [float(p) for p in parts if p > 0]
    total = sum(nonzero)
    return len(nonzero) >= 2 and small_total(total, policy) and \
        len(nonzero) > total - policy.protection_level


def sparse_row(parts: Sequence[float], policy: SuppressionPolicy) -> bool:
    """Whether a row of counts must be published combined with another row.

    True when the row's total is small and it is split over two or more columns:

    * with two or more non-zero parts, the parts pin it from below (each "<5" is at
      least 1; see :func:`singleton_split`), whatever else is hidden;
    * with one non-zero part, the zeros beside it say that every one of its few people
      is in the same column (all of the 1 to 4 Band 2 staff are White): a group
      (attribute) disclosure that hiding counts cannot prevent while zeros are shown
      (Hundepool et al. 2012, *Statistical Disclosure Control*, section 5.2: "group
      disclosure" in frequency tables).
    """
    return len(parts) >= 2 and small_total(sum(parts), policy)


def merge_sparse_rows(
    rows: Mapping[str, Sequence[float]], policy: SuppressionPolicy,
    keep: Sequence[str] = (), ordered: bool = False,
) -> dict[str, list[str]]:
    """Which rows of a table to publish combined.

    Parameters
    ----------
    rows : mapping of str to sequence
        Row label -> the row's counts across the table's columns (e.g. pay band
        clusters), in display order; or a sequence of such splits when the row is split
        in several published tables (age bands by cluster and by sex): a row is sparse
        when any split gives it away.
    policy : SuppressionPolicy
    keep : sequence of str
        Rows never merged (e.g. "not stated" rows, which the declaration rates need).
    ordered : bool, default False
        The rows are ordered bands (age bands, pay bands): a sparse row merges with its
        neighbour. Otherwise all sparse rows merge into one "Other" row (with the next
        smallest row when only one is sparse).

    Returns
    -------
    dict of str to list of str
        Combined label -> member labels, in display order; rows that stay apart are
        absent. A row is sparse when its total is small and it is split over two or
        more columns (whether its parts pin it, :func:`singleton_split`, or the zeros
        beside its only non-zero part give away that all its people share a column).
    """
    labels = [r for r in rows if r not in keep]
    splits = {r: ([list(x) for x in rows[r]] if rows[r] and
                  isinstance(rows[r][0], Sequence) else [list(rows[r])]) for r in rows}
    totals = {r: float(sum(splits[r][0])) for r in labels}

    def sparse_rows(group: Sequence[str]) -> bool:
        n_splits = len(splits[group[0]])
        for k in range(n_splits):
            width = len(splits[group[0]][k])
            vals = [sum(splits[r][k][j] for r in group) for j in range(width)]
            if sparse_row(vals, policy):
                return True
        return False

    out: dict[str, list[str]] = {}
    if ordered:
        groups: list[list[str]] = [[r] for r in labels]
        changed = True
        while changed and len(groups) > 1:
            changed = False
            for i, g in enumerate(groups):
                if sum(totals[r] for r in g) > 0 and sparse_rows(g):
                    k = i + 1 if i + 1 < len(groups) else i - 1
                    lo, hi = min(i, k), max(i, k)
                    groups[lo:hi + 1] = [groups[lo] + groups[hi]]
                    changed = True
                    break
        for g in groups:
            if len(g) > 1:
                out[f"{g[0].split('-')[0]}-{g[-1].split('-')[-1]}" if all(
                    "-" in x or x.endswith("+") for x in g) else " to ".join((g[0], g[-1]))] = g
        return out
    small = [r for r in labels if totals[r] > 0 and small_total(totals[r], policy)]
    if not small:
        return out
    if len(small) == 1:
        others = sorted((r for r in labels if r not in small and totals[r] > 0),
                        key=lambda r: totals[r])
        if not sparse_rows([small[0]]) or not others:
            return out
        small.append(others[0])
    members = [r for r in labels if r in small]
    out["Other (" + ", ".join(members) + ")"] = members
    return out
