"""Disclosure control: named policies, primary and secondary (complementary) suppression.

Every published table and chart goes through this module **before** display or export
(``docs/DESIGN.md``, "Disclosure control"). The module works on counts: a cell is
*primarily* suppressed when the policy says its count (or its share of the column) is
too small to show, then further cells are *secondarily* suppressed until no hidden cell
can be worked out from the published totals.

Entry points
------------
* :func:`get_policy` / :data:`POLICIES` - the named rules (``standard``, ``nhs_digital``,
  ``under_5_percent``, ``staff_survey``, ``national_survey``).
* :func:`suppression_mask` - which cells of a cross-tabulation (or a Series with a
  total) to hide.
* :func:`suppress_table` - the published table: counts (rounded when the policy rounds),
  shares, totals and masks, with :func:`published_counts_frame` for display text.
* :func:`suppress_long` - the same rules for a tidy/long table (one row per cell).
* :func:`suppress_small_groups` - staff-survey style subgroup suppression.
* :func:`protect_with_constraints` - further secondary suppression of one table so that
  none of its hidden cells (nor a hidden cell of a linked table) can be worked out from
  the union of several published tables, e.g. a per-band table and the cluster table
  whose figures are sums of its bands; :func:`recoverable_figures` is its exact audit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from edi_analysis.errors import InputError, InputProblem

__all__ = [
    "POLICIES",
    "SuppressedTable",
    "SuppressionPolicy",
    "get_policy",
    "protect_with_constraints",
    "published_counts_frame",
    "published_numeric_frame",
    "recoverable_cells",
    "recoverable_figures",
    "suppress_long",
    "suppress_small_groups",
    "suppress_table",
    "suppression_mask",
]


# --------------------------------------------------------------------------------------
# policies
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SuppressionPolicy:
    """A disclosure-control rule.

    Attributes
    ----------
    name : str
        Short name (the key in :data:`POLICIES` for presets).
    min_count : int or None
        Smallest non-zero count that may be shown (5 under ``standard``). None for a
        purely share-based rule. Kept consistent with ``max_suppressed``.
    max_suppressed : int or None
        Largest count that is hidden, ``min_count - 1`` (4 under ``standard``: counts
        1-4 are hidden). Give either this or ``min_count``; the other is derived.
    rounding_base : int or None
        When set (5 under ``nhs_digital``) every shown count, totals included, is
        rounded to the nearest multiple, and shares are computed from rounded counts.
    suppress_zeros : bool
        Hide zeros as well (normally zeros are shown: a zero reveals nobody).
    min_share : float or None
        When set (0.05 under ``under_5_percent``) a non-zero cell whose share of its
        column total is below it is hidden.
    symbol : str
        What a primarily suppressed cell shows ("<5", "*", "Under 5%").
    secondary_symbol : str or None
        What a cell hidden only to protect another shows (None: same as ``symbol``).
        It must differ from ``symbol`` when the symbol states a fact ("<5" on a
        hidden 40 would be false), so the ``standard`` and ``under_5_percent`` presets
        use "*".
    key_text : str
        The sentence to print under every table published with this policy.
    secondary : bool
        Apply secondary (complementary) suppression (default True; see
        :func:`suppression_mask`).
    """

    name: str
    min_count: int | None = 5
    max_suppressed: int | None = None
    rounding_base: int | None = None
    suppress_zeros: bool = False
    min_share: float | None = None
    symbol: str = "<5"
    key_text: str = ""
    secondary: bool = True
    secondary_symbol: str | None = None

    @property
    def complement_symbol(self) -> str:
        """Symbol shown in a cell hidden by secondary suppression."""
        return self.secondary_symbol if self.secondary_symbol is not None else self.symbol

    def __post_init__(self) -> None:
        lo, hi = self.min_count, self.max_suppressed
        for label, v in (("min_count", lo), ("max_suppressed", hi), ("rounding_base",
                                                                    self.rounding_base)):
            if v is not None and (isinstance(v, bool) or int(v) != v or v < 0):
                raise ValueError(f"{label} must be a non-negative whole number or None, got {v!r}.")
        if lo is not None and hi is not None and hi != lo - 1:
            raise ValueError(
                f"Policy {self.name!r}: max_suppressed ({hi}) must be min_count - 1 ({lo - 1})."
            )
        if hi is None and lo is not None:
            object.__setattr__(self, "max_suppressed", max(int(lo) - 1, 0))
        if lo is None and hi is not None:
            object.__setattr__(self, "min_count", int(hi) + 1)
        if self.rounding_base is not None and self.rounding_base < 1:
            raise ValueError(f"rounding_base must be at least 1, got {self.rounding_base!r}.")
        if self.min_share is not None and not 0 < self.min_share < 1:
            raise ValueError(f"min_share must be between 0 and 1, got {self.min_share!r}.")
        if self.min_count is None and self.min_share is None and not self.suppress_zeros:
            raise ValueError(
                f"Policy {self.name!r} hides nothing: set min_count, min_share or suppress_zeros."
            )

    # ---------------------------------------------------------------- primary rule
    def is_small_count(self, values: np.ndarray) -> np.ndarray:
        """True where a count is disclosive by the count rule (1..max_suppressed, or 0)."""
        values = np.asarray(values, dtype=float)
        small = np.zeros(values.shape, dtype=bool)
        if self.max_suppressed:
            small |= (values > 0) & (values <= self.max_suppressed)
        if self.suppress_zeros:
            small |= values == 0
        return small

    def is_small_share(self, values: np.ndarray, totals: np.ndarray) -> np.ndarray:
        """True where a non-zero count is below ``min_share`` of its total."""
        values = np.asarray(values, dtype=float)
        totals = np.asarray(totals, dtype=float)
        if self.min_share is None:
            return np.zeros(np.broadcast(values, totals).shape, dtype=bool)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(totals > 0, values / np.where(totals > 0, totals, 1), np.nan)
        return (values > 0) & (share < self.min_share)

    def round_counts(self, values: np.ndarray | pd.DataFrame | pd.Series):
        """Round counts half-up to the nearest ``rounding_base`` (unchanged when None)."""
        if self.rounding_base is None:
            return values
        base = float(self.rounding_base)
        return np.floor(values / base + 0.5) * base


POLICIES: dict[str, SuppressionPolicy] = {
    "standard": SuppressionPolicy(
        name="standard",
        min_count=5,
        symbol="<5",
        secondary_symbol="*",
        key_text=(
            "Counts of 1 to 4 are shown as <5; * marks a further count hidden so that a "
            "<5 cannot be worked out from the totals."
        ),
    ),
    "nhs_digital": SuppressionPolicy(
        name="nhs_digital",
        min_count=8,
        rounding_base=5,
        symbol="*",
        key_text=(
            "Counts of 1 to 7 are shown as *, other counts are rounded to the nearest 5 "
            "and percentages are calculated from the rounded counts; other cells are "
            "hidden where they would let a reader work out a hidden one."
        ),
    ),
    "under_5_percent": SuppressionPolicy(
        name="under_5_percent",
        min_count=None,
        min_share=0.05,
        symbol="Under 5%",
        secondary_symbol="*",
        key_text=(
            "Groups making up less than 5% of a column are shown as 'Under 5%' because "
            "they could identify staff; * marks a further figure hidden so that an "
            "'Under 5%' cannot be worked out from the totals; 0% means nobody."
        ),
    ),
    "staff_survey": SuppressionPolicy(
        name="staff_survey",
        min_count=10,
        symbol="*",
        key_text=(
            "* fewer than 10 responses: results are not shown, and neither are those of "
            "another group where they would let a reader work out the hidden one."
        ),
    ),
    "national_survey": SuppressionPolicy(
        name="national_survey",
        min_count=11,
        symbol="*",
        key_text=(
            "* fewer than 11 responses: results are not shown, and neither are those of "
            "another group where they would let a reader work out the hidden one."
        ),
    ),
}


def get_policy(
    name_or_policy: str | SuppressionPolicy = "standard", **overrides: object
) -> SuppressionPolicy:
    """Return a preset (or given) policy, optionally with some fields replaced.

    Parameters
    ----------
    name_or_policy : str or SuppressionPolicy, default "standard"
        A key of :data:`POLICIES` (case-insensitive) or a policy object.
    **overrides
        Fields of :class:`SuppressionPolicy` to replace, e.g. ``min_count=10``. When
        only one of ``min_count``/``max_suppressed`` is given the other is re-derived.

    Returns
    -------
    SuppressionPolicy

    Raises
    ------
    ValueError
        For an unknown policy name or field, or an invalid combination of values.
    """
    if isinstance(name_or_policy, SuppressionPolicy):
        policy = name_or_policy
    elif isinstance(name_or_policy, str):
        key = name_or_policy.strip().lower()
        if key not in POLICIES:
            raise ValueError(
                f"Unknown suppression policy {name_or_policy!r}; choose one of "
                f"{', '.join(sorted(POLICIES))}, or pass a SuppressionPolicy."
            )
        policy = POLICIES[key]
    else:
        raise ValueError(
            f"suppression policy must be a name or SuppressionPolicy, got {name_or_policy!r}."
        )
    if not overrides:
        return policy
    names = {f.name for f in dataclasses.fields(SuppressionPolicy)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ValueError(f"Unknown policy field(s) {unknown}; valid fields: {sorted(names)}.")
    changes = dict(overrides)
    if "min_count" in changes and "max_suppressed" not in changes:
        changes["max_suppressed"] = None
    if "max_suppressed" in changes and "min_count" not in changes:
        changes["min_count"] = None
    return dataclasses.replace(policy, **changes)


# --------------------------------------------------------------------------------------
# the engine: cells and linear constraints ("lines")
# --------------------------------------------------------------------------------------
# A line is (members, total): the counts of ``members`` add up to the count of ``total``.
Line = tuple[np.ndarray, int]


def _line_disclosive(
    values: np.ndarray, supp: np.ndarray, line: Line, policy: SuppressionPolicy
) -> bool:
    members, total = line
    hidden = members[supp[members]]
    if supp[total]:
        # Total hidden: it is recoverable only when every member is shown.
        return hidden.size == 0 and bool(np.any(values[members] > 0) or policy.suppress_zeros)
    if hidden.size == 0:
        return False
    if hidden.size == 1:
        return True
    s = float(values[hidden].sum())
    if policy.is_small_count(np.array([s]))[0]:
        return True
    return bool(policy.is_small_share(np.array([s]), np.array([values[total]]))[0])


def _pick(
    values: np.ndarray,
    supp: np.ndarray,
    candidates: np.ndarray,
    lines: Sequence[Line] = (),
    cell_lines: Mapping[int, list[int]] | None = None,
    current: int | None = None,
    avoid: np.ndarray | None = None,
) -> int | None:
    """Choose the complementary cell among ``candidates``, or None if there is none.

    Only shown non-zero cells qualify. Preferred: a cell not in ``avoid`` (when any
    is available), then the cell whose hiding leaves the fewest *other* lines with a
    newly exposed single hidden cell (a line with nothing hidden yet), then the
    smallest count, then the first position.
    """
    if candidates.size == 0:
        return None
    shown = candidates[~supp[candidates]]
    shown = shown[values[shown] > 0]
    if shown.size == 0:
        return None
    exposes = np.zeros(shown.size)
    if cell_lines is not None:
        for k, c in enumerate(shown):
            for line_no in cell_lines.get(int(c), []):
                if line_no == current:
                    continue
                members, total = lines[line_no]
                if not supp[members].any() and not supp[total]:
                    exposes[k] += 1
    avoided = np.zeros(shown.size) if avoid is None else avoid[shown].astype(float)
    order = np.lexsort((shown, values[shown], exposes, avoided))
    return int(shown[order[0]])


def recoverable_cells(
    values: np.ndarray, lines: Sequence[Line], suppressed: np.ndarray
) -> np.ndarray:
    """Hidden cells whose exact value follows from the shown cells and the lines.

    Parameters
    ----------
    values : ndarray
        Counts of every cell (body and totals), flat.
    lines : sequence of (members, total)
        Linear constraints: ``values[members].sum() == values[total]``.
    suppressed : ndarray of bool
        Which cells are hidden.

    Returns
    -------
    ndarray of bool
        True for each hidden cell that is uniquely determined by the system of equations
        (ignoring non-negativity), i.e. whose unit vector lies in the row space of the
        constraint matrix restricted to the hidden cells.

    Notes
    -----
    This is an audit that goes beyond row-by-row subtraction: it also finds cells that
    can be worked out by combining several rows and columns.
    """
    suppressed = np.asarray(suppressed, dtype=bool)
    hidden = np.flatnonzero(suppressed)
    out = np.zeros(suppressed.shape, dtype=bool)
    if hidden.size == 0 or not lines:
        return out
    position = {int(c): k for k, c in enumerate(hidden)}
    rows = []
    for members, total in lines:
        row = np.zeros(hidden.size)
        for m in members:
            k = position.get(int(m))
            if k is not None:
                row[k] += 1.0
        k = position.get(int(total))
        if k is not None:
            row[k] -= 1.0
        if row.any():
            rows.append(row)
    if not rows:
        return out
    basis = null_space(np.vstack(rows))
    if basis.shape[1] == 0:
        determined = np.ones(hidden.size, dtype=bool)
    else:
        determined = np.all(np.abs(basis) < 1e-9, axis=1)
    out[hidden[determined]] = True
    return out


def _protect(
    values: np.ndarray, lines: Sequence[Line], primary: np.ndarray, policy: SuppressionPolicy,
    avoid: np.ndarray | None = None,
) -> np.ndarray:
    """Primary mask plus secondary suppression, iterated until stable.

    ``avoid`` marks cells chosen as complementary cells only when nothing else will do.
    """
    supp = np.asarray(primary, dtype=bool).copy()
    if not policy.secondary or not lines:
        return supp
    cell_lines: dict[int, list[int]] = {}
    for k, (members, total) in enumerate(lines):
        for c in (*members.tolist(), int(total)):
            cell_lines.setdefault(int(c), []).append(k)
    while True:
        changed = False
        for line_no, line in enumerate(lines):
            while _line_disclosive(values, supp, line, policy):
                members, total = line
                cand = _pick(values, supp, members, lines, cell_lines, line_no, avoid)
                if cand is None and not supp[total] and values[total] > 0:
                    cand = int(total)
                if cand is None:
                    break
                supp[cand] = True
                changed = True
        if changed:
            continue
        exposed = np.flatnonzero(recoverable_cells(values, lines, supp))
        for cell in exposed:
            candidates = np.unique(
                np.concatenate(
                    [np.append(lines[k][0], lines[k][1]) for k in cell_lines.get(int(cell), [])]
                    or [np.array([], dtype=int)]
                )
            )
            cand = _pick(values, supp, candidates, lines, cell_lines, avoid=avoid)
            if cand is None and values[cell] > 0:
                # nothing left on its own lines: hide the smallest shown cell anywhere
                cand = _pick(values, supp, np.arange(values.size), avoid=avoid)
            if cand is not None:
                supp[cand] = True
                changed = True
                break
        if not changed:
            return _release(values, lines, supp, primary, policy, avoid)


def _release(
    values: np.ndarray, lines: Sequence[Line], supp: np.ndarray, must: np.ndarray,
    policy: SuppressionPolicy, avoid: np.ndarray | None,
) -> np.ndarray:
    """Show again the avoided cells hidden as complements that protect nothing.

    The greedy search can hide a total early that later choices make unnecessary; each
    such cell is shown again when no line becomes disclosive and no further hidden
    cell becomes recoverable.
    """
    if avoid is None:
        return supp
    before = recoverable_cells(values, lines, supp)

    def safe(trial: np.ndarray) -> bool:
        return not any(_line_disclosive(values, trial, line, policy) for line in lines) \
            and not (recoverable_cells(values, lines, trial) & ~before).any()

    optional = supp & avoid & ~must
    if optional.any() and safe(supp & ~optional):  # all at once (totals come in pairs)
        return supp & ~optional
    for cell in np.flatnonzero(optional):
        trial = supp.copy()
        trial[cell] = False
        if safe(trial):
            supp = trial
    return supp


# --------------------------------------------------------------------------------------
# several tables published together
# --------------------------------------------------------------------------------------
_TOL = 1e-9


def _row_space(design: np.ndarray) -> np.ndarray:
    """Orthonormal basis (rows) of the row space of ``design``."""
    if design.shape[0] == 0:
        return np.zeros((0, design.shape[1]))
    _, s, vt = np.linalg.svd(design, full_matrices=False)
    rank = int(np.sum(s > _TOL * max(1.0, float(s[0]) if s.size else 1.0)))
    return vt[:rank]


def recoverable_figures(design: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Hidden figures whose exact value follows from the shown figures.

    Parameters
    ----------
    design : ndarray, shape (n_figures, n_units)
        Row ``i`` says which units (e.g. the counts of one ethnic group x staff type x pay
        band) figure ``i`` adds up: 1 for a unit it includes, 0 otherwise. Figures can
        come from several tables (a per-band table and a cluster table).
    hidden : ndarray of bool, shape (n_figures,)

    Returns
    -------
    ndarray of bool
        True for each hidden figure (with at least one unit) that is a linear combination
        of shown figures, i.e. that a reader can work out exactly by adding and
        subtracting published numbers (ignoring non-negativity), across tables.
    """
    design = np.asarray(design, dtype=float)
    hidden = np.asarray(hidden, dtype=bool)
    basis = _row_space(design[~hidden])
    targets = np.flatnonzero(hidden & design.any(axis=1))
    out = np.zeros(hidden.shape, dtype=bool)
    if targets.size == 0:
        return out
    rows = design[targets]
    residual = rows - (rows @ basis.T) @ basis
    out[targets] = np.abs(residual).max(axis=1) < 1e-7
    return out


def protect_with_constraints(
    design: np.ndarray,
    values: np.ndarray,
    hidden: np.ndarray,
    free: np.ndarray,
    policy: str | SuppressionPolicy = "standard",
    *,
    prefer: np.ndarray | None = None,
) -> np.ndarray:
    """Hide more cells of one table until nothing hidden is recoverable from all tables.

    Parameters
    ----------
    design : ndarray, shape (n_figures, n_units)
        Every figure published by the table being protected *and* by the tables
        published beside it, as 0/1 rows over common units (see
        :func:`recoverable_figures`). Every linear relation between the tables (a
        cluster figure is the sum of its bands, a total the sum of its rows) follows
        from the rows, so nothing else needs to be listed.
    values : ndarray, shape (n_figures,)
        Exact count of each figure.
    hidden : ndarray of bool
        Figures hidden so far: the table's own mask (from :func:`suppression_mask`) and
        the other tables' masks as published.
    free : ndarray of bool
        Figures that may still be hidden (those of the table being protected). The
        other tables are already published and are never changed.
    policy : str or SuppressionPolicy, default "standard"
        Only ``policy.secondary`` is used (False: ``hidden`` is returned unchanged).
    prefer : ndarray of bool, optional
        Figures to hide first when several would do (e.g. body cells rather than
        totals); default none.

    Returns
    -------
    ndarray of bool
        The new mask: ``hidden`` plus further figures of the table, less those of its
        figures the other tables already publish.

    Notes
    -----
    The rule: no hidden figure may be a linear combination of shown figures, across
    all the tables given (exact audit with :func:`recoverable_figures`). Each table
    protected on its own is not enough: a band hidden in a per-band table is the
    cluster figure minus the other bands of the cluster when the cluster table shows it.

    Figures that are already recoverable from the other tables alone (not from
    anything the protected table shows) are left out of the rule: hiding more of this
    table cannot protect them. Such a figure of the protected table is shown instead
    (e.g. a band that is the only one of its cluster with staff: the cluster table
    publishes its count), unless its count is small by the policy. For every other
    recoverable figure, the shown free figures used in a least-squares representation
    of it are candidates; the one whose hiding makes it unrecoverable is hidden
    (preferred figures first, then the smallest non-zero count); if no single one
    does, the candidate with the largest weight is hidden and the check repeats. When
    no shown figure of the table is involved, the figure is left (nothing here can
    protect it). The loop ends because each pass hides one more figure or sets one
    aside. Sums of two or more hidden cells are checked for small values within
    each table by :func:`suppression_mask`, not across tables.
    """
    policy = get_policy(policy)
    design = np.asarray(design, dtype=float)
    values = np.asarray(values, dtype=float)
    supp = np.asarray(hidden, dtype=bool).copy()
    free = np.asarray(free, dtype=bool)
    n = design.shape[0]
    if values.shape != (n,) or supp.shape != (n,) or free.shape != (n,):
        raise ValueError(
            f"design has {n} figures but values, hidden and free have shapes "
            f"{values.shape}, {supp.shape}, {free.shape}."
        )
    pref = np.zeros(n, dtype=bool) if prefer is None else np.asarray(prefer, dtype=bool)
    if not policy.secondary:
        return supp
    # what the other tables give away by themselves is not this table's to protect; a
    # figure of this table they give away is shown (it tells a reader nothing new)
    # unless its count is small, which the other tables' own rule then exposes
    baseline = recoverable_figures(design, supp | free)
    supp &= ~(baseline & free & ~policy.is_small_count(values))
    ignore = baseline & supp
    while True:
        exposed = np.flatnonzero(recoverable_figures(design, supp) & ~ignore)
        if exposed.size == 0:
            return supp
        target = int(exposed[0])
        shown = np.flatnonzero(~supp & design.any(axis=1))
        coef, *_ = np.linalg.lstsq(design[shown].T, design[target], rcond=None)
        used = shown[np.abs(coef) > 1e-7]
        weight = np.abs(coef[np.abs(coef) > 1e-7])
        ok = free[used] & (values[used] > 0)
        used, weight = used[ok], weight[ok]
        if used.size == 0:
            ignore[target] = True  # nothing this table shows can protect it
            continue
        order = np.lexsort((used, values[used], ~pref[used]))
        chosen = None
        for k in order:
            trial = supp.copy()
            trial[used[k]] = True
            if not recoverable_figures(design, trial)[target]:
                chosen = int(used[k])
                break
        if chosen is None:
            chosen = int(used[np.argmax(weight)])
        supp[chosen] = True


# --------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------
def _check_counts_frame(frame: pd.DataFrame, what: str = "counts") -> np.ndarray:
    problems: list[InputProblem] = []
    numeric = frame.apply(pd.to_numeric, errors="coerce")
    values = numeric.to_numpy(dtype=float, na_value=np.nan)
    raw = frame.to_numpy(dtype=object)
    for i, j in zip(*np.nonzero(~np.isfinite(values) | (values < 0)), strict=True):
        problems.append(
            InputProblem(
                file="<DataFrame>",
                column=str(frame.columns[j]),
                row=None,
                value=f"{raw[i, j]!r} at row {frame.index[i]!r}",
                expected=f"{what}: a whole number 0 or more",
            )
        )
    finite = np.isfinite(values)
    not_whole = finite & (values >= 0) & (values != np.round(values))
    for i, j in zip(*np.nonzero(not_whole), strict=True):
        problems.append(
            InputProblem(
                "<DataFrame>",
                str(frame.columns[j]),
                None,
                f"{raw[i, j]!r} at row {frame.index[i]!r}",
                f"{what}: a whole number (suppression works on counts, not rates)",
            )
        )
    if problems:
        raise InputError(problems)
    return values


# --------------------------------------------------------------------------------------
# cross-tabulations
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Grid:
    values: np.ndarray  # flat: body (row-major), row totals, column totals, grand total
    lines: list[Line]
    primary: np.ndarray
    n_rows: int
    n_cols: int
    row_total_at: int | None
    col_total_at: int | None
    grand_at: int | None


def _build_grid(
    body: np.ndarray, policy: SuppressionPolicy, row_totals: bool, col_totals: bool
) -> _Grid:
    R, C = body.shape
    row_sums = body.sum(axis=1)
    col_sums = body.sum(axis=0)
    grand = body.sum()
    parts = [body.ravel()]
    pos = R * C
    row_total_at = col_total_at = grand_at = None
    if row_totals:
        row_total_at = pos
        parts.append(row_sums)
        pos += R
    if col_totals:
        col_total_at = pos
        parts.append(col_sums)
        pos += C
    if row_totals and col_totals:
        grand_at = pos
        parts.append(np.array([grand]))
        pos += 1
    values = np.concatenate(parts).astype(float)
    idx = np.arange(R * C).reshape(R, C)
    lines: list[Line] = []
    if row_totals:
        lines += [(idx[i], row_total_at + i) for i in range(R)]
    if col_totals:
        lines += [(idx[:, j], col_total_at + j) for j in range(C)]
    if grand_at is not None:
        lines.append((np.arange(col_total_at, col_total_at + C), grand_at))
        lines.append((np.arange(row_total_at, row_total_at + R), grand_at))
    # primary: count rule on every published cell; share rule against the column total
    primary = policy.is_small_count(values)
    share_den = np.empty(values.size)
    share_den[: R * C] = np.tile(col_sums, R)
    if row_total_at is not None:
        share_den[row_total_at : row_total_at + R] = grand
    if col_total_at is not None:
        share_den[col_total_at : col_total_at + C] = col_sums
    if grand_at is not None:
        share_den[grand_at] = grand
    primary |= policy.is_small_share(values, share_den)
    return _Grid(values, lines, primary, R, C, row_total_at, col_total_at, grand_at)


def _as_frame(counts: pd.DataFrame | pd.Series) -> tuple[pd.DataFrame, bool]:
    if isinstance(counts, pd.Series):
        name = counts.name if counts.name is not None else "count"
        return counts.to_frame(name=name), True
    if isinstance(counts, pd.DataFrame):
        return counts, False
    raise ValueError(f"counts must be a pandas DataFrame or Series, got {type(counts).__name__}.")


def _grid_cells(
    marks: pd.DataFrame | None, grid: _Grid, frame: pd.DataFrame, total_label: Hashable
) -> np.ndarray:
    """The grid positions of the cells ``marks`` marks (labels of the published table)."""
    out = np.zeros(grid.values.size, dtype=bool)
    if marks is None:
        return out
    rows = {label: i for i, label in enumerate(frame.index)}
    cols = {label: j for j, label in enumerate(frame.columns)}
    for r, c in marks.stack().loc[lambda x: x.astype(bool)].index:
        i, j = rows.get(r), cols.get(c)
        if i is not None and j is not None:
            out[i * grid.n_cols + j] = True
        elif r == total_label and j is not None and grid.col_total_at is not None:
            out[grid.col_total_at + j] = True
        elif c == total_label and i is not None and grid.row_total_at is not None:
            out[grid.row_total_at + i] = True
        elif r == total_label and c == total_label and grid.grand_at is not None:
            out[grid.grand_at] = True
        else:
            raise ValueError(f"Cell ({r!r}, {c!r}) is marked but the table lacks it.")
    return out


def _augmented_frame(
    flat: np.ndarray, grid: _Grid, frame: pd.DataFrame, total_label: Hashable
) -> pd.DataFrame:
    R, C = grid.n_rows, grid.n_cols
    body = flat[: R * C].reshape(R, C)
    out = pd.DataFrame(body, index=frame.index, columns=frame.columns)
    if grid.row_total_at is not None:
        if total_label in out.columns:
            raise ValueError(f"A column is already called {total_label!r}; pass total_label.")
        out[total_label] = flat[grid.row_total_at : grid.row_total_at + R]
    if grid.col_total_at is not None:
        if total_label in out.index:
            raise ValueError(f"A row is already called {total_label!r}; pass total_label.")
        last = list(flat[grid.col_total_at : grid.col_total_at + C])
        if grid.grand_at is not None:
            last.append(flat[grid.grand_at])
        elif grid.row_total_at is not None:
            last.append(np.nan)
        total_row = pd.DataFrame([last], index=[total_label], columns=out.columns)
        out = pd.concat([out, total_row.astype(out.dtypes.to_dict())])
    return out


def suppression_mask(
    counts: pd.DataFrame | pd.Series,
    policy: str | SuppressionPolicy = "standard",
    row_totals: bool = True,
    col_totals: bool = True,
    *,
    with_totals: bool = False,
    total_label: Hashable = "Total",
) -> pd.DataFrame | pd.Series:
    """Which cells of a table of counts must be hidden (primary + secondary).

    Parameters
    ----------
    counts : DataFrame or Series
        Counts of people, body cells only (no total row or column). A Series is a single
        column; ``col_totals`` says whether its total is published.
    policy : str or SuppressionPolicy, default "standard"
        See :data:`POLICIES`.
    row_totals, col_totals : bool, default True
        Whether each row's / each column's total is published (and, when both are, the
        grand total). A published total is a cell like any other: it can be primarily
        suppressed (a band of 3 people) and it constrains the hidden cells.
    with_totals : bool, default False
        Return the mask of the table with its totals, in a row and/or column labelled
        ``total_label``, instead of the body only. Use :func:`suppress_table` to get the
        published table directly.
    total_label : hashable, default "Total"

    Returns
    -------
    DataFrame or Series of bool
        True where the cell must be hidden; same labels as ``counts`` (plus totals when
        ``with_totals``).

    Raises
    ------
    InputError
        If a count is missing, negative, not finite or not a whole number.
    ValueError
        For a bad policy or a ``total_label`` clash.

    Notes
    -----
    *Primary suppression.* A cell (totals included) is hidden when its count is
    between 1 and ``policy.max_suppressed`` (1-4 under ``standard``, 1-7 under
    ``nhs_digital``), or is 0 when ``policy.suppress_zeros``, or, when
    ``policy.min_share`` is set, when it is non-zero and below that share of its column
    total (row totals are compared with the grand total).

    *Secondary (complementary) suppression*, on the exact (unrounded) counts. Each
    published total defines a line: its cells add up to it. A line is disclosive when

    * exactly one of its cells is hidden (it equals the total minus the others), or
    * two or more are hidden but their sum - which the reader can compute - is itself a
      disclosive number (1 to ``max_suppressed``, or below ``min_share`` of the line's
      total), e.g. cells of 1 and 2 in a row reveal that together they are 3, or
    * its total is hidden but all its cells are shown (the total is their sum).

    For a disclosive line a shown non-zero cell in it is hidden too: preferably one
    whose other row/column already has a hidden cell (so hiding it exposes no new
    line; this turns a lone small cell into a rectangle of four rather than a
    cascade), otherwise the smallest; the total itself when no cell is available.
    Then all lines are rechecked - rows,
    columns and the total row/column interact - until none is disclosive. Finally an
    exact audit (:func:`recoverable_cells`) checks that no hidden cell can be worked
    out by combining several lines; if one can, the smallest shown non-zero cell on
    one of its lines is hidden and the whole process repeats. Zeros are never chosen
    as complementary cells because they protect nothing.

    Secondary suppression is applied under every policy, including the rounding one
    (conservative: rounding alone blurs, but does not always prevent, differencing).
    Set ``secondary=False`` on the policy to switch it off.

    References
    ----------
    .. [1] Office for National Statistics (2019). *Disclosure control guidance for
       tables produced from administrative sources*.
    .. [2] Hundepool A et al. (2012). *Statistical Disclosure Control*. Wiley,
       chapter 4 (magnitude and frequency tables, secondary cell suppression).
    .. [3] NHS Digital (2014). *Anonymisation standard for publishing health and social
       care data* (ISB1523) and HES analysis guide: suppress 1-7, round to nearest 5.
    """
    policy = get_policy(policy)
    frame, was_series = _as_frame(counts)
    if was_series:
        row_totals, col_totals = bool(col_totals), False
        frame = frame.T
    body = _check_counts_frame(frame)
    grid = _build_grid(body, policy, row_totals, col_totals)
    supp = _protect(grid.values, grid.lines, grid.primary, policy)
    if was_series:
        flat = supp[: body.size]
        series_mask = pd.Series(flat, index=frame.columns, name=counts.name)
        if with_totals and grid.row_total_at is not None:
            series_mask.loc[total_label] = bool(supp[grid.row_total_at])
        return series_mask.astype(bool)
    if not with_totals:
        return pd.DataFrame(
            supp[: body.size].reshape(body.shape), index=frame.index, columns=frame.columns
        )
    out = _augmented_frame(supp.astype(float), grid, frame, total_label)
    return out.fillna(0.0).astype(bool)


# --------------------------------------------------------------------------------------
# long (tidy) tables
# --------------------------------------------------------------------------------------
_FLAG_COLUMNS = ("suppressed", "suppression_reason", "suppression_symbol")


def _add_flags(
    out: pd.DataFrame, supp: np.ndarray, primary: np.ndarray, policy: SuppressionPolicy
) -> None:
    out["suppressed"] = supp
    out["suppression_reason"] = pd.Series(
        np.where(primary, "primary", np.where(supp, "complementary", None)),
        index=out.index,
        dtype=object,
    )
    out["suppression_symbol"] = np.where(
        primary, policy.symbol, np.where(supp, policy.complement_symbol, "")
    )


def _as_list(cols: str | Iterable[str] | None) -> list[str]:
    if cols is None:
        return []
    if isinstance(cols, str):
        return [cols]
    return list(cols)


def suppress_long(
    df: pd.DataFrame,
    count_col: str,
    group_cols: str | Sequence[str] = (),
    total_by: str | Sequence[str] = (),
    policy: str | SuppressionPolicy = "standard",
    value_cols: str | Sequence[str] = (),
    *,
    grand_total: bool = True,
    blank_counts: bool = True,
    return_totals: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Apply a policy to a tidy table with one row per cell.

    Parameters
    ----------
    df : DataFrame
        One row per published cell, e.g. ``ethnic_group x pay_band`` with a count.
    count_col : str
        Column of counts of people (whole numbers >= 0).
    group_cols : str or sequence of str, default ()
        Columns identifying *separate tables* (e.g. ``["year", "measure"]``); each is
        protected on its own.
    total_by : str or sequence of str, default ()
        Dimensions whose totals are published: for each column ``d`` here, the cells
        sharing a value of ``d`` add up to a published total (``["pay_band",
        "ethnic_group"]`` = a cross-tab with band totals and group totals). The first
        dimension is also the share denominator for ``min_share`` policies (cells are
        compared with the total of their value of ``total_by[0]``).
    policy : str or SuppressionPolicy, default "standard"
    value_cols : str or sequence of str, default ()
        Columns derived from the count (rate, lower, upper, share...) to blank (NaN)
        where the cell is suppressed.
    grand_total : bool, default True
        Whether the table's grand total is published (the totals of each ``total_by``
        dimension then add up to it). Only used when ``total_by`` is not empty.
    blank_counts : bool, default True
        Blank ``count_col`` (NaN) where suppressed, and round it when the policy rounds.
        Set False to keep the exact counts (then never publish ``count_col``).
    return_totals : bool, default False
        Also return the totals and whether each must be hidden.

    Returns
    -------
    DataFrame, or (DataFrame, DataFrame) when ``return_totals``
        A copy of ``df`` with a boolean ``suppressed`` column (True where hidden),
        ``suppression_reason`` (``"primary"``, ``"complementary"`` or None), a
        ``suppression_symbol`` column (``policy.symbol`` for primary suppression,
        ``policy.complement_symbol`` for secondary, ``""`` when shown) and the named
        columns blanked. The totals frame has ``group_cols`` plus
        ``dimension`` (the ``total_by`` column, or ``"(all)"`` for the grand total),
        ``level``, ``count_col`` (treated like the body: rounded when the policy
        rounds and NaN where hidden, unless ``blank_counts=False``) and
        ``suppressed``.

    Raises
    ------
    InputError
        If a count is missing, negative or not whole.
    ValueError
        If a named column is missing or ``suppressed`` already exists.

    Notes
    -----
    The same rules as :func:`suppression_mask`: primary suppression of small counts
    (and small shares), then secondary suppression along every line with a published
    total, iterated until stable and audited with :func:`recoverable_cells`. Shares or
    rates in ``value_cols`` are the caller's; under a rounding policy compute shares
    from the rounded counts returned here.
    """
    policy = get_policy(policy)
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a DataFrame, got {type(df).__name__}.")
    groups, dims, vals = _as_list(group_cols), _as_list(total_by), _as_list(value_cols)
    missing = [c for c in [count_col, *groups, *dims, *vals] if c not in df.columns]
    if missing:
        raise ValueError(f"Column(s) {missing} not in the table; it has {list(df.columns)}.")
    if set(_FLAG_COLUMNS) & set(df.columns):
        raise ValueError(f"The table already has one of the columns {_FLAG_COLUMNS}; drop it.")
    counts = _check_counts_frame(df[[count_col]], what=count_col)[:, 0]
    out = df.copy()
    supp_all = np.zeros(len(df), dtype=bool)
    primary_all = np.zeros(len(df), dtype=bool)
    total_rows: list[dict[str, object]] = []
    positions = np.arange(len(df))
    if groups:
        tables = [
            (key if isinstance(key, tuple) else (key,), pos)
            for key, pos in pd.Series(positions).groupby(
                [df[g].to_numpy() for g in groups], dropna=False, sort=False
            )
        ]
    else:
        tables = [((), pd.Series(positions))]
    for key, pos_series in tables:
        pos = pos_series.to_numpy()
        sub = df.iloc[pos]
        n = len(pos)
        values = list(counts[pos])
        lines: list[Line] = []
        share_den = np.full(n, float(np.sum(counts[pos])))
        labels: list[tuple[str, object]] = []
        dim_totals: list[list[int]] = []
        for d_i, d in enumerate(dims):
            codes, uniques = pd.factorize(sub[d], use_na_sentinel=False)
            these = []
            for u_i, level in enumerate(uniques):
                members = np.flatnonzero(codes == u_i)
                total_at = len(values)
                values.append(float(np.sum(counts[pos][members])))
                labels.append((d, level))
                lines.append((members, total_at))
                these.append(total_at)
                if d_i == 0:
                    share_den[members] = values[total_at]
            dim_totals.append(these)
        grand_at = None
        if dims and grand_total:
            grand_at = len(values)
            values.append(float(np.sum(counts[pos])))
            labels.append(("(all)", None))
            for these in dim_totals:
                lines.append((np.array(these), grand_at))
        values_arr = np.asarray(values, dtype=float)
        den = np.concatenate([share_den, np.full(values_arr.size - n, float(np.sum(counts[pos])))])
        if dims:
            den[dim_totals[0]] = values_arr[dim_totals[0]]
        primary = policy.is_small_count(values_arr) | policy.is_small_share(values_arr, den)
        supp = _protect(values_arr, lines, primary, policy)
        supp_all[pos] = supp[:n]
        primary_all[pos] = primary[:n]
        if return_totals:
            for k, (dim, level) in enumerate(labels):
                row = dict(zip(groups, key, strict=True))
                row.update(
                    dimension=dim,
                    level=level,
                    **{count_col: values_arr[n + k], "suppressed": bool(supp[n + k])},
                )
                total_rows.append(row)
    _add_flags(out, supp_all, primary_all, policy)
    if blank_counts:
        shown = counts.astype(float)
        if policy.rounding_base is not None:
            shown = policy.round_counts(shown)
        out[count_col] = np.where(supp_all, np.nan, shown)
    for col in vals:
        out[col] = out[col].astype(float).mask(supp_all)
    if return_totals:
        totals = pd.DataFrame(
            total_rows, columns=[*groups, "dimension", "level", count_col, "suppressed"]
        )
        if blank_counts:
            shown_totals = totals[count_col].astype(float)
            if policy.rounding_base is not None:
                shown_totals = policy.round_counts(shown_totals)
            totals[count_col] = shown_totals.mask(totals["suppressed"].astype(bool))
        return out, totals
    return out


# --------------------------------------------------------------------------------------
# published tables
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SuppressedTable:
    """A cross-tabulation ready to publish.

    Attributes
    ----------
    counts : DataFrame
        Published counts, with a total row and/or column labelled ``total_label`` when
        requested: rounded when the policy rounds (totals rounded independently), NaN
        where hidden. Use for charts and CSV.
    mask : DataFrame of bool
        True where the count is hidden (same shape as ``counts``).
    shares : DataFrame
        Shares as proportions 0-1 of the column total (``share_of="column"``; the total
        column holds each row total's share of the grand total) or of the row total
        (``share_of="row"``), computed from the published (rounded) counts. NaN where
        the cell or its denominator is hidden.
    share_mask : DataFrame of bool
        True where the share is hidden.
    primary : DataFrame of bool
        True where the count is hidden by the primary rule (shown with
        ``policy.symbol``); other hidden cells show ``policy.complement_symbol``.
    policy : SuppressionPolicy
    share_of : {"column", "row"}
    total_label : hashable
    """

    counts: pd.DataFrame
    mask: pd.DataFrame
    shares: pd.DataFrame
    share_mask: pd.DataFrame
    primary: pd.DataFrame
    policy: SuppressionPolicy
    share_of: str = "column"
    total_label: Hashable = "Total"

    @property
    def key_text(self) -> str:
        """The sentence to print under the table."""
        return self.policy.key_text

    def display(
        self, kind: Literal["counts", "shares"] = "counts", decimals: int = 1
    ) -> pd.DataFrame:
        """Text version for display; see :func:`published_counts_frame`."""
        return published_counts_frame(self, kind=kind, decimals=decimals)


def suppress_table(
    counts: pd.DataFrame | pd.Series,
    policy: str | SuppressionPolicy = "standard",
    row_totals: bool = True,
    col_totals: bool = True,
    *,
    share_of: Literal["column", "row"] = "column",
    total_label: Hashable = "Total",
    force: pd.DataFrame | None = None,
    avoid: pd.DataFrame | None = None,
) -> SuppressedTable:
    """Protect a table of counts and return everything that may be published.

    Parameters
    ----------
    counts : DataFrame or Series
        Counts of people, body cells only (e.g. age band x pay band cluster). A Series
        is treated as a single column.
    policy : str or SuppressionPolicy, default "standard"
    row_totals, col_totals : bool, default True
        Which totals are published (added as a column / row labelled ``total_label``).
    share_of : {"column", "row"}, default "column"
        Denominator of the published shares. Publishing shares of a column publishes
        the column total implicitly (shares and counts give it back), so the column
        totals always take part in the protection when ``share_of="column"`` (and the
        row totals when ``share_of="row"``), whether or not they are shown.
    total_label : hashable, default "Total"
    force : DataFrame of bool, optional
        Cells to hide whatever their count, labelled as in the published table (totals
        under ``total_label``); e.g. the pay band cluster totals that another table of
        the same staff hides, so that every table hides the same shared totals. They
        are protected like small cells but are not marked primary (their symbol is
        the complementary one).
    avoid : DataFrame of bool, optional
        Cells (labelled like ``force``) to hide as complementary cells only when no
        other cell protects the line, e.g. totals that other tables publish.

    Returns
    -------
    SuppressedTable

    Raises
    ------
    InputError
        If a count is missing, negative, not finite or not whole.
    ValueError
        For a bad policy, ``share_of`` or label clash.

    Notes
    -----
    The mask is :func:`suppression_mask` (primary + secondary suppression on the exact
    counts). Under a rounding policy (``nhs_digital``) every shown count and total is
    then rounded to the nearest ``rounding_base`` and shares are computed from the
    rounded counts (NHS Digital practice). A share is hidden when its count or its
    denominator is hidden.
    """
    if share_of not in ("column", "row"):
        raise ValueError(f"share_of must be 'column' or 'row', got {share_of!r}.")
    policy = get_policy(policy)
    frame, was_series = _as_frame(counts)
    body = _check_counts_frame(frame)
    if was_series:
        row_totals = False
        if share_of == "row":
            raise ValueError("A Series has one column: use share_of='column'.")
    use_rows = row_totals or share_of == "row"
    use_cols = col_totals or share_of == "column"
    grid = _build_grid(body, policy, use_rows, use_cols)
    must = grid.primary | _grid_cells(force, grid, frame, total_label)
    supp = _protect(grid.values, grid.lines, must, policy,
                    avoid=_grid_cells(avoid, grid, frame, total_label))
    exact = _augmented_frame(grid.values, grid, frame, total_label)
    exists = exact.notna()  # False only in a corner with no grand total
    hidden = _augmented_frame(supp.astype(float), grid, frame, total_label)
    hidden = hidden.fillna(0.0).astype(bool)
    primary = _augmented_frame(grid.primary.astype(float), grid, frame, total_label)
    primary = primary.fillna(0.0).astype(bool)
    shown_values = exact.astype(float)
    if policy.rounding_base is not None:
        shown_values = policy.round_counts(shown_values)
    published = shown_values.mask(hidden)
    if share_of == "column":
        shares = published.div(published.loc[total_label], axis=1)
    else:
        shares = published.div(published[total_label], axis=0)
    share_hidden = shares.isna() & exists
    shares = shares.mask(share_hidden)
    keep_rows = list(frame.index) + ([total_label] if col_totals else [])
    keep_cols = list(frame.columns) + ([total_label] if row_totals else [])

    def cut(x: pd.DataFrame) -> pd.DataFrame:
        return x.loc[keep_rows, keep_cols]

    return SuppressedTable(
        counts=cut(published),
        mask=cut(hidden),
        shares=cut(shares),
        share_mask=cut(share_hidden),
        primary=cut(primary),
        policy=policy,
        share_of=share_of,
        total_label=total_label,
    )


def published_counts_frame(
    table: SuppressedTable,
    kind: Literal["counts", "shares"] = "counts",
    decimals: int = 1,
    as_text: bool = True,
) -> pd.DataFrame:
    """The published table for display, with the policy's symbol in hidden cells.

    Parameters
    ----------
    table : SuppressedTable
        From :func:`suppress_table`.
    kind : {"counts", "shares"}, default "counts"
        Counts (whole numbers with thousands separators) or shares (percentages).
    decimals : int, default 1
        Decimal places for percentages.
    as_text : bool, default True
        Strings (``"1,234"``, ``"12.5%"``, symbol); False keeps numbers (counts, or
        shares as proportions 0-1) in an object frame with the symbol in hidden cells.

    Returns
    -------
    DataFrame of object
        Same labels as ``table.counts``. Cells never published (e.g. the corner when
        only one set of totals is shown) are empty strings / None.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or a negative ``decimals``.

    Notes
    -----
    This is the display edge: the numeric versions are ``table.counts`` and
    ``table.shares`` (NaN where hidden) for charts and CSV files.
    """
    if kind not in ("counts", "shares"):
        raise ValueError(f"kind must be 'counts' or 'shares', got {kind!r}.")
    if int(decimals) != decimals or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0, got {decimals!r}.")
    numbers = table.counts if kind == "counts" else table.shares
    hidden = table.mask if kind == "counts" else table.share_mask
    never = numbers.isna() & ~hidden
    primary = table.primary

    def show(v: float) -> object:
        if not as_text:
            return int(v) if kind == "counts" else float(v)
        if kind == "counts":
            return f"{int(round(v)):,}"
        return f"{100 * v:.{int(decimals)}f}%"

    out = pd.DataFrame(index=numbers.index, columns=numbers.columns, dtype=object)
    for col in numbers.columns:
        out[col] = [
            ("" if as_text else None)
            if nv
            else (table.policy.symbol if p else table.policy.complement_symbol)
            if h
            else (("" if as_text else None) if pd.isna(v) else show(v))
            for v, h, p, nv in zip(
                numbers[col], hidden[col], primary[col], never[col], strict=True
            )
        ]
    return out


# --------------------------------------------------------------------------------------
# survey subgroups
# --------------------------------------------------------------------------------------
def suppress_small_groups(
    df: pd.DataFrame,
    n_col: str = "n_respondents",
    value_cols: str | Sequence[str] = ("pct_positive",),
    policy: str | SuppressionPolicy = "staff_survey",
    group_cols: str | Sequence[str] = ("year", "question", "breakdown"),
    *,
    breakdown_col: str = "breakdown",
    overall_label: str = "Overall",
    not_partitions: Iterable[str] = (),
    blank_n: bool = False,
    threshold: int | None = None,
) -> pd.DataFrame:
    """Hide survey results for subgroups with too few respondents, and their complements.

    Parameters
    ----------
    df : DataFrame
        One row per year x question x breakdown x subgroup (the staff survey contract in
        ``docs/DESIGN.md``), with the overall result as ``breakdown == overall_label``.
    n_col : str, default "n_respondents"
        Number of respondents behind each result.
    value_cols : str or sequence of str, default ("pct_positive",)
        Result columns to blank (NaN) where suppressed.
    policy : str or SuppressionPolicy, default "staff_survey"
        Subgroups with ``n < policy.min_count`` (fewer than 10) are hidden.
    group_cols : str or sequence of str, default ("year", "question", "breakdown")
        Columns that identify one breakdown of one question; must include
        ``breakdown_col``.
    breakdown_col : str, default "breakdown"
    overall_label : str, default "Overall"
        Breakdown holding the organisation's overall result (its ``n`` is the total
        the subgroups partition). When absent, the subgroups' sum is used.
    not_partitions : iterable of str, default ()
        Breakdowns whose subgroups do not partition the respondents (e.g. questions
        where several options can be ticked): only primary suppression is applied.
        A breakdown whose subgroups add up to more than the overall ``n`` is treated
        the same way automatically.
    blank_n : bool, default False
        Also blank ``n_col`` where suppressed (the count of respondents reveals no
        answers, so it is kept by default).
    threshold : int or None, default None
        Override the policy's ``min_count`` (smallest number of respondents shown).

    Returns
    -------
    DataFrame
        A copy of ``df`` with a boolean ``suppressed`` column, ``suppression_reason``
        (``"primary"``, ``"complementary"`` or None), a ``suppression_symbol``
        column (``""`` when shown) and ``value_cols`` blanked where suppressed. Row
        order is kept.

    Raises
    ------
    InputError
        If ``n_col`` has a missing, negative or non-whole value.
    ValueError
        If a named column is missing, ``breakdown_col`` is not in ``group_cols``, or
        ``suppressed`` already exists.

    Notes
    -----
    *Primary:* a subgroup with fewer than ``policy.min_count`` respondents (including 0)
    is hidden.

    *Complementary:* in a breakdown that partitions the organisation, the overall
    result is a respondent-weighted average of the subgroups' results, so a reader can
    work out the unpublished part: the hidden subgroups together, plus any respondents
    not in a published subgroup (overall ``n`` minus the subgroups' sum, e.g. "prefer
    not to say" when it is left out). That part is disclosive when its respondents
    number from 1 to ``min_count - 1``, or when it is a single hidden subgroup. Then
    the smallest shown subgroup (with respondents) is hidden too, and the check
    repeats. So in a two-group breakdown with one small group, both are hidden.

    Different breakdowns of the same question (e.g. age and sex) are not combined:
    they partition respondents differently and are not differenced against each other.

    References
    ----------
    .. [1] NHS England, *NHS Staff Survey technical guide*: results for groups with
       fewer than 11 responses are not reported (10 used locally by many trusts).
    .. [2] Office for National Statistics (2019). *Disclosure control guidance for
       tables produced from administrative sources*.
    """
    policy = get_policy(policy) if threshold is None else get_policy(policy, min_count=threshold)
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a DataFrame, got {type(df).__name__}.")
    groups, vals = _as_list(group_cols), _as_list(value_cols)
    if breakdown_col not in groups:
        raise ValueError(f"group_cols {groups} must include breakdown_col {breakdown_col!r}.")
    missing = [c for c in [n_col, *groups, *vals] if c not in df.columns]
    if missing:
        raise ValueError(f"Column(s) {missing} not in the table; it has {list(df.columns)}.")
    if set(_FLAG_COLUMNS) & set(df.columns):
        raise ValueError(f"The table already has one of the columns {_FLAG_COLUMNS}; drop it.")
    n = _check_counts_frame(df[[n_col]], what=n_col)[:, 0]
    threshold = policy.min_count if policy.min_count is not None else 1
    supp = n < threshold
    primary = supp.copy()
    non_partition = set(not_partitions)
    outer = [g for g in groups if g != breakdown_col]
    key_frame = df[outer].astype(object) if outer else pd.DataFrame(index=df.index)
    is_overall = (df[breakdown_col] == overall_label).to_numpy()
    overall_n: dict[tuple, float] = {}
    for pos in np.flatnonzero(is_overall):
        key = tuple(key_frame.iloc[pos]) if outer else ()
        overall_n[key] = n[pos]
    positions = pd.Series(np.arange(len(df)))
    grouped = positions.groupby([df[g].to_numpy() for g in groups], dropna=False, sort=False)
    for key, pos_series in grouped:
        key = key if isinstance(key, tuple) else (key,)
        pos = pos_series.to_numpy()
        breakdown = key[groups.index(breakdown_col)]
        if breakdown == overall_label or breakdown in non_partition:
            continue
        outer_key = tuple(k for g, k in zip(groups, key, strict=True) if g != breakdown_col)
        total = overall_n.get(outer_key, float(n[pos].sum()))
        remainder = total - float(n[pos].sum())
        if remainder < 0:
            continue  # not a partition (multi-tick): primary suppression only
        while True:
            hidden = pos[supp[pos] & (n[pos] > 0)]
            unpublished = float(n[hidden].sum()) + remainder
            disclosive = hidden.size > 0 and (
                (hidden.size == 1 and remainder == 0) or 0 < unpublished < threshold
            )
            if not disclosive and hidden.size == 0:
                disclosive = 0 < remainder < threshold
            if not disclosive:
                break
            shown = pos[~supp[pos] & (n[pos] > 0)]
            if shown.size == 0:
                break
            supp[shown[np.lexsort((shown, n[shown]))[0]]] = True
    out = df.copy()
    _add_flags(out, supp, primary, policy)
    for col in vals:
        out[col] = out[col].astype(float).mask(supp)
    if blank_n:
        out[n_col] = out[n_col].astype(float).mask(supp)
    return out


def published_numeric_frame(
    table: SuppressedTable, kind: Literal["counts", "shares"] = "counts"
) -> pd.DataFrame:
    """The published numbers for charts and CSV: NaN where hidden.

    Parameters
    ----------
    table : SuppressedTable
        From :func:`suppress_table`.
    kind : {"counts", "shares"}, default "counts"
        Published counts (rounded under a rounding policy) or shares (proportions 0-1).

    Returns
    -------
    DataFrame of float
        A copy of ``table.counts`` or ``table.shares``.

    Raises
    ------
    ValueError
        For an unknown ``kind``.
    """
    if kind not in ("counts", "shares"):
        raise ValueError(f"kind must be 'counts' or 'shares', got {kind!r}.")
    return (table.counts if kind == "counts" else table.shares).copy()
