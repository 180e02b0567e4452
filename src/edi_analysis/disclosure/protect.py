"""Secondary suppression chosen by optimisation over the whole release.

For each population, :func:`protect_release` decides which published cells to hide:

1. **Primary suppression.** Cells the policy says are too small (counts 1-4 under
   ``standard``), cells forced hidden, and survey groups under the respondent
   threshold are hidden.
2. **Sensitive items.** Each hidden small cell, and each *derived* small group (a
   group of 1 to 4 units that published figures could pin: staff not full-pay
   relevant, one cell of the model's clique tables, one combination of a table's
   categories), must keep a reader's bounds at least ``protection_level`` away from
   its true value on each side, within what its symbol allows (upper and lower
   protection levels of tau-ARGUS and sdcTable, default 1, as sdcTable's).
3. **Optimal cell suppression.** The cheapest set of further cells to hide (costs by
   role: totals and headline comparisons are dear, small subgroups cheap) is found
   by the Benders-like cut generation of Fischetti and Salazar-González: a master
   mixed-integer programme chooses the hidden set; for each sensitive item an
   attacker linear programme computes the reader's bound under that choice; a
   violated bound adds the capacity constraint built from the attacker's dual,
   ``sum_c (alpha_c (ub1_c - ub0_c) + beta_c (lb0_c - lb1_c)) (y_c - y*_c) >= target
   - V(y*)``, valid for every choice ``y`` because the attacker's value is a concave
   function of the bounds. The loop ends when no bound is violated.
4. **Whole numbers.** The linear attacker can be weaker than one who knows counts are
   whole numbers; each protected item is re-checked by integer programming, and an
   item that fails gets a larger linear target until it passes.

Hiding more cells never narrows a reader's bounds, so an item safe with only the
primary cells hidden stays safe: only items at risk then are tracked.

Solving code here is separate from :mod:`~edi_analysis.disclosure.attack`, which
re-checks what is finally published, from the published text.

References
----------
.. [1] Fischetti M, Salazar-González JJ (2001). Solving the cell suppression problem on
   tabular data with linear constraints. *Management Science* 47(7):1008-1027.
.. [2] Hundepool A et al. (2014). *tau-ARGUS user's manual*, version 4.1, sections
   2.5 (protection levels), 2.9 (optimal method) and 2.15 (audit). Statistics
   Netherlands.
.. [3] Meindl B (2024). sdcTable: Methods for Statistical Disclosure Control in Tabular
   Data, version 0.34 (``protectTable``, method ``"OPT"``; default protection levels
   of 1 above and below). CRAN.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
from scipy import sparse

from edi_analysis.disclosure.model import (
    CellKey,
    Condition,
    PublishedCell,
    Release,
    Role,
)
from edi_analysis.disclosure.policy import SuppressionPolicy
from edi_analysis.disclosure.system import System, build_system

__all__ = ["Protection", "derived_groups", "protect_release"]

log = logging.getLogger(__name__)
_INF = highspy.kHighsInf
#: HiGHS's core binding: ``highspy.Highs()`` also sets up Python callbacks, whose first
#: log line (HiGHS's banner) reaches the build's output before ``output_flag`` can be set.
_CORE_SOLVER = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)


def _silent_solver():
    """A HiGHS instance with its log switched off (nothing printed to the build)."""
    solver = _CORE_SOLVER()
    solver.setOptionValue("output_flag", False)
    return solver
_EPS = 1e-6


# --------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------
@dataclass
class Protection:
    """What :func:`protect_release` decided.

    Attributes
    ----------
    cells : dict
        CellKey -> :class:`~edi_analysis.disclosure.model.PublishedCell`.
    tables : pandas.DataFrame
        Per table: ``table``, ``cells`` (count cells published), ``hidden``,
        ``primary``, ``secondary``, ``hidden_pct``.
    withheld : pandas.DataFrame
        Hidden cells whose role is a total, reference or headline figure: ``table``,
        ``cell``, ``role``, ``reason``.
    seconds : float
        Time taken.
    rounds : int
        Cut-generation rounds (all populations).
    notes : list of str
        Messages for the build log (revised cells of earlier releases, time limits).
    """

    cells: dict[CellKey, PublishedCell]
    tables: pd.DataFrame
    withheld: pd.DataFrame
    seconds: float = 0.0
    rounds: int = 0
    notes: list[str] = field(default_factory=list)
    systems: dict[str, System] = field(default_factory=dict)
    groups: dict[str, list[tuple[Condition, float]]] = field(default_factory=dict)


@dataclass
class _Item:
    """A sensitive item: a row over the unknowns and its required bounds."""

    name: str
    row: sparse.csr_matrix
    true: float
    low_target: float | None   # the reader's minimum must be <= this
    high_target: float | None  # the reader's maximum must be >= this


# --------------------------------------------------------------------------------------
# the attacker used inside protection (linear, with duals)
# --------------------------------------------------------------------------------------
class _BoundLP:
    """max c.x subject to the separators, lb(y) <= A x <= ub(y), x >= 0 (HiGHS)."""

    def __init__(self, system: System, A: sparse.csr_matrix, lb: np.ndarray, ub: np.ndarray):
        self.n_sep = system.separators.shape[0]
        M = sparse.vstack([system.separators, A]).tocsr()
        self.n = M.shape[1]
        self.h = _silent_solver()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("random_seed", 0)
        # one model, many objectives: the last basis stays primal feasible, so the primal
        # simplex without presolve re-solves in a few iterations (about 10x faster)
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("simplex_strategy", 4)
        lp = highspy.HighsLp()
        lp.num_col_ = self.n
        lp.num_row_ = M.shape[0]
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = np.zeros(self.n)
        lp.col_upper_ = np.full(self.n, _INF)
        lp.row_lower_ = np.concatenate([np.zeros(self.n_sep), lb])
        lp.row_upper_ = np.concatenate([np.zeros(self.n_sep), ub])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = M.indptr.astype(np.int32)
        lp.a_matrix_.index_ = M.indices.astype(np.int32)
        lp.a_matrix_.value_ = M.data.astype(float)
        lp.sense_ = highspy.ObjSense.kMaximize
        self.h.passModel(lp)
        self.support = np.zeros(0, dtype=np.int32)
        self.M = M
        self.row_lb = np.asarray(lp.row_lower_, dtype=float).copy()
        self.row_ub = np.asarray(lp.row_upper_, dtype=float).copy()
        # whole-number points known to meet the current bounds (see reaches): the newest
        # _POOL of them, in a ring
        self.pool = np.zeros((_POOL, self.n))
        self.pooled = 0

    def set_bounds(self, lb: np.ndarray, ub: np.ndarray) -> None:
        if np.array_equal(lb, self.row_lb[self.n_sep:]) and \
                np.array_equal(ub, self.row_ub[self.n_sep:]):
            return
        rows = np.arange(self.n_sep, self.n_sep + lb.size, dtype=np.int32)
        self.h.changeRowsBounds(rows.size, rows, lb.astype(float), ub.astype(float))
        self.row_lb[self.n_sep:] = lb
        self.row_ub[self.n_sep:] = ub
        self.pooled = 0

    def _keep_point(self, x: np.ndarray) -> None:
        """Remember ``x`` if it is a whole-number point meeting every current bound."""
        x = np.round(x)
        if x.size != self.n or (x < 0).any():
            return
        Mx = self.M @ x
        if (Mx >= self.row_lb - 1e-6).all() and (Mx <= self.row_ub + 1e-6).all():
            self.pool[self.pooled % _POOL] = x
            self.pooled += 1

    def maximise(self, row: sparse.csr_matrix, sign: float) -> tuple[float, np.ndarray | None]:
        """Maximise ``sign * row.x`` (linear): the value and the duals of the cell rows."""
        self._objective(row, sign)
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return math.inf, None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"The protection attacker could not be solved ({status}).")
        value = float(self.h.getInfo().objective_function_value)
        duals = np.asarray(self.h.getSolution().row_dual)[self.n_sep:]
        return value, duals

    def _objective(self, row: sparse.csr_matrix, sign: float) -> None:
        if self.support.size:
            self.h.changeColsCost(self.support.size, self.support, np.zeros(self.support.size))
        idx = row.indices.astype(np.int32)
        self.h.changeColsCost(idx.size, idx, sign * row.data.astype(float))
        self.support = idx

    def reaches(self, row: sparse.csr_matrix, sign: float, target: float,
                exact: bool = True) -> bool:
        """Whether whole numbers can make ``sign * row.x`` reach ``target``.

        The linear optimum settles it when it falls short or is already whole;
        otherwise an integer feasibility problem (the target as a constraint) does.
        With ``exact=False`` a linear optimum one person or more past the target is
        taken as reachable (a quick screen; an exact check follows before the end).
        """
        value, _ = self.maximise(row, sign)
        if value < target - _EPS:
            return False
        if not exact and value >= target + 1.0 - _EPS:
            return True
        x = np.asarray(self.h.getSolution().col_value)
        if np.all(np.abs(x - np.round(x)) < 1e-6):
            if self.pooled < _POOL:  # a witness too, while there is room
                self._keep_point(x)
            return True
        # a whole-number point found for an earlier figure under the same bounds often
        # reaches this one too: checked exactly (a product), it saves most integer
        # programmes (about 9 in 10 on a staff survey question)
        if self.pooled:
            points = self.pool[:min(self.pooled, _POOL)]
            if (sign * (row @ points.T) >= target - 1e-6).any():
                return True
        idx = row.indices.astype(np.int32)
        self.h.addRow(target, _INF, idx.size, idx, sign * row.data.astype(float))
        last = self.h.getNumRow() - 1
        self.h.changeColsIntegrality(self.n, np.arange(self.n, dtype=np.int32),
                                     np.array([highspy.HighsVarType.kInteger] * self.n))
        self.h.changeColsCost(idx.size, idx, np.zeros(idx.size))
        self.h.setOptionValue("presolve", "choose")
        self.h.run()
        self.h.setOptionValue("presolve", "off")
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            self._keep_point(np.asarray(self.h.getSolution().col_value))
        self.h.changeColsIntegrality(self.n, np.arange(self.n, dtype=np.int32),
                                     np.array([highspy.HighsVarType.kContinuous] * self.n))
        self.h.deleteRows(1, np.array([last], dtype=np.int32))
        if status not in (highspy.HighsModelStatus.kOptimal,
                          highspy.HighsModelStatus.kInfeasible):
            raise RuntimeError(f"The protection attacker's integer check failed ({status}).")
        return status == highspy.HighsModelStatus.kOptimal


# --------------------------------------------------------------------------------------
# derived groups
# --------------------------------------------------------------------------------------
def derived_groups(release: Release, population: str) -> list[Condition]:
    """Table-level groups of a population that are not published cells themselves.

    For each table and each set of attributes its cells combine (the largest sets
    only), every combination of the categories the table distinguishes: e.g. for the
    gender pay gap counts (sex x full-pay relevant) also the men and women who are not
    full-pay relevant. Together with the unknowns of the system these are the derived
    groups a reader could try to pin down.
    """
    pop = release.populations[population]
    published = {k.condition for k in release.cells() if k.population == population}
    out: dict[Condition, None] = {}
    for spec in release.tables.values():
        conds = [k.condition for _, _, k in spec.keys() if k.population == population]
        if not conds:
            continue
        # first-appearance order, never a set's (hash) order: the same release must give
        # the same groups, hence the same published cells, in every process
        signatures = list(dict.fromkeys(tuple(a for a, _ in c) for c in conds))
        maximal = [s for s in signatures if not any(set(s) < set(t) for t in signatures)]
        for sig in maximal:
            if not sig:
                continue
            per_attr = []
            for attr in sig:
                sets = sorted({frozenset(v) for c in conds for a, v in c if a == attr},
                              key=sorted)
                domain = pop.domains[attr]
                sig_of = {cat: tuple(cat in s for s in sets) for cat in domain}
                groups: dict[tuple[bool, ...], list[str]] = {}
                for cat, s in sig_of.items():
                    groups.setdefault(s, []).append(cat)
                per_attr.append([tuple(sorted(g)) for g in groups.values()])
            if np.prod([len(p) for p in per_attr]) > 20000:
                continue
            for combo in _product(per_attr):
                cond = tuple(sorted(
                    (a, vals) for a, vals in zip(sig, combo, strict=True)
                    if set(vals) != set(pop.domains[a])))
                if cond and cond not in published:
                    out.setdefault(cond, None)
    return list(out)


def _product(lists: Sequence[Sequence[tuple[str, ...]]]):
    import itertools

    return itertools.product(*lists)


# --------------------------------------------------------------------------------------
# protection of one population
# --------------------------------------------------------------------------------------
@dataclass
class _Population:
    keys: list[CellKey]
    true: np.ndarray
    hidden: np.ndarray
    primary: np.ndarray
    symbols: list[str]
    shown: np.ndarray
    reasons: list[str]
    rounds: int
    system: System
    groups: list[tuple[Condition, float]]


def _share_intervals(release: Release, keys: list[CellKey], true: dict[CellKey, float],
                     count_cells: set[CellKey]) -> dict[CellKey, tuple[float, float, CellKey]]:
    """Cells published only as a share: the interval the shown share gives, per cell."""
    out = {}
    for num, den, kind, scale in release.share_links():
        if num in count_cells or num not in true or den not in true:
            continue
        pol = release.policy_of(num.population)
        d = pol.decimals_for(kind)
        n = true[den]
        if n <= 0:
            continue
        p = round(scale * true[num] / n, d)
        h = 0.5 * 10 ** (-d)
        lo = math.ceil(n * (p - h) / scale - 1e-9)
        hi = math.floor(n * (p + h) / scale + 1e-9)
        prev = out.get(num)
        lo, hi = max(lo, 0), min(hi, n)
        if prev is not None:
            lo, hi = max(lo, prev[0]), min(hi, prev[1])
        out[num] = (float(lo), float(hi), den)
    return out


def _protect_population(
    release: Release, name: str, keys: list[CellKey], *, time_limit: float,
    max_rounds: int,
) -> tuple[_Population, list[str]]:
    pop = release.populations[name]
    pol: SuppressionPolicy = release.policy_of(name)
    notes: list[str] = []
    count_cells = release.count_cells()
    previous = {k: v for k, v in release.previous.items() if k.population == name}
    derived = derived_groups(release, name)
    # previous cells must be expressible in this population's categories
    prev_keys = []
    for k in previous:
        if k in set(keys):
            continue
        if all(a in pop.domains and set(v) <= set(pop.domains[a]) for a, v in k.condition):
            prev_keys.append(k)
    all_keys = keys + prev_keys
    system = build_system(pop, [k.condition for k in all_keys] + derived)
    A = system.rows([k.condition for k in all_keys])
    truth = system.truth
    v = np.asarray(A @ truth).ravel()
    n_cur = len(keys)
    N = float(system.size)
    # ---------------------------------------------------------------- primary
    true_of = dict(zip(all_keys, v, strict=True))
    shares = _share_intervals(release, keys, true_of, count_cells)
    virtual = np.array([k not in count_cells for k in all_keys])
    virtual[n_cur:] = False
    primary = np.zeros(len(all_keys), dtype=bool)
    primary[:n_cur] = pol.is_small_count(v[:n_cur]) & ~virtual[:n_cur]
    if pop.small_shares_disclose:
        # a share that gives away a small count is a small count (2 of 84 men paid a bonus)
        small_v = release.policy.is_small_count(v[:n_cur]) & virtual[:n_cur]
        primary[:n_cur] |= small_v
    # share rule (under_5_percent): small share of the published denominator
    if pol.min_share is not None:
        den_of = {num: den for num, den, _, _ in release.share_links()}
        for i, k in enumerate(keys):
            if k in den_of and den_of[k] in true_of:
                primary[i] |= bool(pol.is_small_share(np.array([v[i]]),
                                                      np.array([true_of[den_of[k]]]))[0])
    if pol.survey_strict or release.policy.survey_strict:
        small = release.policy.max_suppressed or 0
        for i, k in enumerate(keys):
            if virtual[i] and k in shares:
                n = true_of[shares[k][2]]
                primary[i] |= (0 < v[i] <= small) or (0 < n - v[i] <= small)
    forced = np.array([k in release.forced for k in all_keys])
    # cells fixed by an earlier release: shown there means known now
    fixed_shown = np.zeros(len(all_keys), dtype=bool)
    prev_interval: dict[int, tuple[float, float]] = {}
    for i, k in enumerate(all_keys):
        if k not in previous:
            continue
        prev = previous[k]
        lo_hi = (prev["low"], prev["high"])
        if not lo_hi[0] - _EPS <= v[i] <= lo_hi[1] + _EPS:
            notes.append(f"{k}: published as {prev['text'] or 'hidden'} by {prev['release']}, "
                         f"now {v[i]:g}; the earlier figure was revised, so the two are not "
                         "linked.")
            continue
        prev_interval[i] = lo_hi
        fixed_shown[i] = bool(prev["shown"])
    if (primary & fixed_shown).any():
        for i in np.flatnonzero(primary & fixed_shown):
            notes.append(f"{all_keys[i]} is small but was published by an earlier release "
                         f"({previous[all_keys[i]]['text']}); it stays shown.")
    primary &= ~fixed_shown
    forced &= ~fixed_shown
    # cells of earlier releases that this one does not publish keep their old state
    old_only = np.zeros(len(all_keys), dtype=bool)
    old_only[n_cur:] = True
    # ---------------------------------------------------------------- bounds
    lb0 = np.empty(len(all_keys))
    ub0 = np.empty(len(all_keys))
    lb1 = np.empty(len(all_keys))
    ub1 = np.empty(len(all_keys))
    for i in range(len(all_keys)):
        if virtual[i]:  # published only through its shares (ratio rows below)
            lb0[i], ub0[i] = 0.0, N
        elif pol.rounding_base is not None:
            lb0[i], ub0[i] = pol.shown_interval(float(pol.round_counts(np.array([v[i]]))[0]))
        else:
            lb0[i] = ub0[i] = v[i]
        symbol = pol.symbol if primary[i] else pol.complement_symbol
        if virtual[i]:
            lb1[i], ub1[i] = 0.0, N
        else:
            lb1[i], ub1[i] = pol.symbol_interval(symbol, N)
        if i in prev_interval:
            lo, hi = prev_interval[i]
            lb1[i], ub1[i] = max(lb1[i], lo), min(ub1[i], hi)
            if fixed_shown[i]:
                lb0[i], ub0[i] = max(lb0[i], lo), min(ub0[i], hi)
        lb1[i] = min(lb1[i], v[i])
        ub1[i] = max(ub1[i], v[i])
    # cells that may be hidden as complements: shown non-zero cells of this release
    # (a zero under "*" would make the symbol false); whole survey results follow
    must = primary | forced
    must[n_cur:] = False
    for i in range(n_cur, len(all_keys)):
        if i in prev_interval and not fixed_shown[i]:
            must[i] = True  # hidden in the earlier release
    # ---------------------------------------------------------------- sensitive items
    items: list[_Item] = []
    p = float(pol.protection_level)
    for i in np.flatnonzero(primary):
        k = all_keys[i]
        if not pop.is_sensitive(k.condition):
            continue
        if virtual[i]:
            lo_sym, hi_sym = 0.0, N
        else:  # what "a small count" means, within what the symbol says
            lo_sym = max(lb1[i], 0.0 if pol.suppress_zeros else 1.0)
            hi_sym = min(ub1[i], float(pol.max_suppressed or N))
        items.append(_item(str(k), A[i], v[i], lo_sym, hi_sym, p))
    # survey results hidden because their group is small
    linked = release.linked_groups()
    index = {k: i for i, k in enumerate(all_keys)}
    together: list[list[int]] = []
    for group in linked:
        idx = [index[k] for k in group if k in index]
        if len(idx) > 1:
            together.append(idx)
            if must[idx].any():
                for j in idx:
                    if virtual[j] and not primary[j] and pop.is_sensitive(all_keys[j].condition):
                        items.append(_item(str(all_keys[j]), A[j], v[j], 0.0, N, p))
                must[idx] = True
    kept = np.array([k in release.kept for k in all_keys])
    candidate = ~must & ~fixed_shown & ~old_only & ~kept & ((v > 0) | virtual)
    published = set(all_keys)
    small = pol.max_suppressed or 0
    small_groups: list[tuple[Condition, float]] = []
    if small:
        groups = list(dict.fromkeys(derived))
        if groups:
            G = system.rows(groups)
            gv = np.asarray(G @ truth).ravel()
            for j, cond in enumerate(groups):
                if 0 < gv[j] <= small and pop.is_sensitive(cond) and \
                        CellKey(name, cond) not in published:
                    items.append(_item(f"derived group {CellKey(name, cond)}", G[j], gv[j],
                                       0.0, N, p))
                    small_groups.append((cond, float(gv[j])))
    # ---------------------------------------------------------------- optimisation
    wide = np.zeros(len(all_keys), dtype=bool)
    ub_wide = ub1.copy()
    if pol.wide_symbol:
        lo_w, hi_w = pol.symbol_interval(pol.wide_symbol, N)
        wide = primary & ~virtual & pop_sensitive_mask(pop, all_keys)
        ub_wide = np.where(wide, np.maximum(hi_w, ub1), ub1)
    R, r_lb0, r_ub0, r_lb1, r_ub1, r_owner = _ratio_rows(release, system, all_keys, v,
                                                         virtual, index, N)
    rows = sparse.vstack([A, R]).tocsr() if R.shape[0] else A
    owner = np.concatenate([np.arange(len(all_keys)), r_owner]).astype(np.int64)
    bounds = _Bounds(np.concatenate([lb0, r_lb0]), np.concatenate([ub0, r_ub0]),
                     np.concatenate([lb1, r_lb1]), np.concatenate([ub1, r_ub1]),
                     np.concatenate([ub_wide, r_ub1]), owner, len(all_keys))
    hidden = must.copy()
    widened = np.zeros(len(all_keys), dtype=bool)
    lp = _BoundLP(system, rows, *bounds(hidden, widened))
    at_risk: list[tuple[_Item, float]] = []
    all_sides: list[tuple[_Item, float]] = []
    for it in items:
        for sign, target in ((1.0, it.high_target), (-1.0, it.low_target)):
            if target is None:
                continue
            all_sides.append((it, sign))
            value, _ = lp.maximise(it.row, sign)
            if value < sign * target - _EPS:
                at_risk.append((it, sign))
    rounds = 0
    reasons = [""] * len(all_keys)
    if at_risk:
        # what hiding cannot protect (pinned by zeros, by earlier releases or by the
        # items' own structure) is reported, and left out of the optimisation
        lp.set_bounds(*bounds(must | candidate, wide))
        keep = []
        for it, sign in at_risk:
            target = it.high_target if sign > 0 else -it.low_target
            value, _ = lp.maximise(it.row, sign)
            if value < target - _EPS:
                notes.append(f"{it.name}: cannot be protected by hiding published cells (a "
                             f"reader can narrow it to {abs(value):g} whatever is hidden).")
            else:
                keep.append((it, sign))
        dropped = {(id(it), sg) for it, sg in at_risk} - {(id(it), sg) for it, sg in keep}
        all_sides = [(it, sg) for it, sg in all_sides if (id(it), sg) not in dropped]
        at_risk = keep
        lp.set_bounds(*bounds(hidden, widened))
    if all_sides and pol.secondary:
        hidden, widened, rounds, reasons = _cut_loop(
            lp, at_risk, all_sides, hidden, candidate, must, wide, together, bounds, v,
            release, all_keys, time_limit, max_rounds, notes)
    elif at_risk:
        notes.append(f"{name}: secondary suppression is off; {len(at_risk)} bound(s) of hidden "
                     "figures are narrower than the protection level.")
    if pol.secondary and hidden.any():
        linked = np.zeros(len(all_keys), dtype=bool)
        for grp in together:
            linked[list(grp)] = True
        hidden = _show_determined(lp, bounds, rows, hidden, widened,
                                  keep=primary | forced | virtual | linked)
    shown = np.where(hidden, np.nan, v)
    if pol.rounding_base is not None:
        shown = np.where(hidden | virtual, shown, pol.round_counts(shown))
    symbols = [(pol.wide_symbol if widened[i] else pol.symbol) if primary[i] and hidden[i]
               else (pol.complement_symbol if hidden[i] else "") for i in range(len(all_keys))]
    # a survey result hidden with its small group carries the group's symbol
    for i in range(len(all_keys)):
        if hidden[i] and not primary[i] and i < n_cur and \
                any(i in grp and primary[grp].any() for grp in together):
            symbols[i] = pol.symbol
        if hidden[i] and primary[i]:
            reasons[i] = _primary_reason(pol, virtual[i])
        elif hidden[i] and forced[i]:
            reasons[i] = "hidden as in the other tables that publish it"
        elif hidden[i] and not reasons[i]:
            reasons[i] = "hidden with its group's other figures"
    out = _Population(all_keys[:n_cur], v[:n_cur], hidden[:n_cur], primary[:n_cur],
                      symbols[:n_cur], shown[:n_cur], reasons[:n_cur], rounds, system,
                      small_groups)
    return out, notes


def _show_determined(lp: _BoundLP, bounds: _Bounds, rows: sparse.csr_matrix,
                     hidden: np.ndarray, widened: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Show the cells hidden to protect others that a reader can work out exactly anyway.

    A cell the optimiser hid but whose value the published figures determine (for
    example the only hidden cell of a line whose total is shown, where that cell is not
    a sensitive group and protects nothing) tells the reader nothing when shown, and a
    "*" on a figure anyone can compute is a false promise. Showing it does not change
    the reader's feasible set, so every other cell's protection is unchanged. Cells in
    ``keep`` (small, forced by an earlier release, published only through a share, or
    hidden together with others) stay as they are.
    """
    lp.set_bounds(*bounds(hidden, widened))
    out = hidden.copy()
    for c in np.flatnonzero(hidden & ~keep):
        high, _ = lp.maximise(rows[c], 1.0)
        low, _ = lp.maximise(rows[c], -1.0)
        if high + low < 0.5:  # greatest minus least value: a single whole number
            out[c] = False
    lp.set_bounds(*bounds(out, widened))
    return out


def _primary_reason(pol: SuppressionPolicy, virtual: bool) -> str:
    if virtual:
        return "reveals a small number of people answering one way"
    if pol.max_suppressed:
        return f"a count of 1 to {pol.max_suppressed}"
    return "a small share of its column"


def _item(name: str, row, true: float, lo_sym: float, hi_sym: float, p: float) -> _Item:
    low = true - p
    high = true + p
    low_target = low if low > lo_sym + _EPS else None
    high_target = high if high < hi_sym - _EPS else None
    if low_target is None and lo_sym < true - _EPS:
        low_target = lo_sym
    if high_target is None and hi_sym > true + _EPS:
        high_target = hi_sym
    return _Item(name, row, float(true), low_target, high_target)


@dataclass
class _Bounds:
    """Each row's bounds for the reader: shown (``*0``), hidden (``*1``), widened.

    Rows are the cells, then the ratio rows of published shares; ``owner`` maps every
    row to the cell whose hiding removes it (a cell is its own owner).
    """

    lb0: np.ndarray
    ub0: np.ndarray
    lb1: np.ndarray
    ub1: np.ndarray
    ub_wide: np.ndarray
    owner: np.ndarray
    n_cells: int

    def __call__(self, hidden: np.ndarray, widened: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
        h = hidden[self.owner]
        w = widened[self.owner]
        ub_hidden = np.where(w, self.ub_wide, self.ub1)
        return np.where(h, self.lb1, self.lb0), np.where(h, ub_hidden, self.ub0)

    def per_cell(self, row_values: np.ndarray) -> np.ndarray:
        """Add up row values per owning cell."""
        return np.bincount(self.owner, weights=row_values, minlength=self.n_cells)


def _ratio_rows(release: Release, system: System, keys: list[CellKey], v: np.ndarray,
                virtual: np.ndarray, index: Mapping[CellKey, int], N: float):
    """Rows a published share adds when a count behind it is published only through it.

    A share ``p`` (shown to ``d`` decimals) of numerator ``a`` over denominator ``b``
    tells a reader ``(p - h) b <= scale a <= (p + h) b`` (``h`` half the last decimal):
    two rows with right-hand side 0, which vanish (bounds of +-M) when the share is
    hidden, i.e. when its count published only through it is hidden.
    """
    rows, lb0, ub0, lb1, ub1, owner = [], [], [], [], [], []
    seen = set()
    for num, den, kind, scale in release.share_links():
        if num not in index or den not in index or (num, den, kind, scale) in seen:
            continue
        i, j = index[num], index[den]
        if not (virtual[i] or virtual[j]) or v[j] <= 0:
            continue
        seen.add((num, den, kind, scale))
        pol = release.policy_of(num.population)
        d = pol.decimals_for(kind)
        p = round(scale * v[i] / v[j], d)
        h = 0.5 * 10 ** (-d)
        r_lo, r_hi = max(p - h, 0.0) / scale, (p + h) / scale
        a = system.rows([num.condition])
        b = system.rows([den.condition])
        big = N * (1.0 + r_hi)
        rows += [a - r_lo * b, a - r_hi * b]
        lb0 += [0.0, -_INF]
        ub0 += [_INF, 0.0]
        lb1 += [-big, -_INF]
        ub1 += [_INF, big]
        owner += [i if virtual[i] else j] * 2
    if not rows:
        return (sparse.csr_matrix((0, system.n_unknowns)), *(np.zeros(0),) * 4,
                np.zeros(0, dtype=np.int64))
    return (sparse.vstack(rows).tocsr(), np.array(lb0), np.array(ub0), np.array(lb1),
            np.array(ub1), np.array(owner, dtype=np.int64))


def pop_sensitive_mask(pop, keys: Sequence[CellKey]) -> np.ndarray:
    """True for cells whose condition is a group to protect (see Population.is_sensitive)."""
    return np.array([pop.is_sensitive(k.condition) for k in keys], dtype=bool)


def _number(text: str) -> float | None:
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        return None


def _cut_loop(lp: _BoundLP, at_risk, all_sides, hidden, candidate, must, wide, together,
              bounds: _Bounds, v, release: Release, keys: list[CellKey], time_limit: float,
              max_rounds: int, notes: list[str]):
    """Master MIP and attacker LPs until every at-risk bound holds (see module notes).

    The master's variables are ``y`` (hide a candidate cell) and ``z`` (show a primary
    cell with the wider symbol, e.g. "<10" instead of "<5": cheaper than hiding another
    cell and often enough, since a reader's sum of small cells then has more room).
    Each violated bound contributes several cuts a round: after the first, the cells it
    depends on are hidden for a moment and the attacker solved again, which finds the
    next way a reader could pin the same figure (up to ``_PATHS`` of them).
    """
    started = time.monotonic()
    cand = np.flatnonzero(candidate)
    widen = np.flatnonzero(wide)
    n_y, n_z = cand.size, widen.size
    pos = {int(c): j for j, c in enumerate(cand)}
    detail = release.costs["detail"]
    cost = np.concatenate([[release.cost(keys[c], v[c]) for c in cand],
                           np.full(n_z, 0.1 * detail)])
    with np.errstate(invalid="ignore"):
        d_ub = np.nan_to_num(bounds.ub1 - bounds.ub0, nan=0.0, posinf=0.0, neginf=0.0)
        d_lb = np.nan_to_num(bounds.lb0 - bounds.lb1, nan=0.0, posinf=0.0, neginf=0.0)
        d_wide = np.nan_to_num(bounds.ub_wide - bounds.ub1, nan=0.0, posinf=0.0, neginf=0.0)
    cuts_a: list[np.ndarray] = []
    cuts_b: list[float] = []
    cut_cells: dict[int, set[str]] = {}
    extra = {id(it): 0.0 for it, _ in all_sides}
    at_risk = list(at_risk)
    # linked cells (a survey group's respondents and result) are hidden together
    eq_rows = []
    for grp in together:
        idx = [pos[g] for g in grp if g in pos]
        for a, b in zip(idx, idx[1:], strict=False):
            row = np.zeros(n_y + n_z)
            row[a], row[b] = 1.0, -1.0
            eq_rows.append(row)

    def cut(it, sign, target, y_, z_) -> tuple[bool, np.ndarray | None]:
        """Solve one bound at (y_, z_); add its cut; return (violated, cut)."""
        lp.set_bounds(*bounds(y_, z_))
        value, duals = lp.maximise(it.row, sign)
        if value >= target + _SLACK - _EPS or duals is None:
            return False, None
        alpha = np.maximum(duals, 0.0)
        beta = np.maximum(-duals, 0.0)
        coef_y = bounds.per_cell(alpha * d_ub + beta * d_lb)[cand]
        coef_z = bounds.per_cell(alpha * d_wide)[widen]
        coef = np.concatenate([coef_y, coef_z])
        current = np.concatenate([y_[cand], z_[widen]]).astype(float)
        rhs = target - value + float(coef @ current)
        if rhs <= _EPS:  # met by any choice: no cut
            return value < target - _EPS, None
        # coefficient tightening of a covering cut over 0-1 variables: no cell needs to
        # count for more than the whole right-hand side (valid, and a much stronger
        # master; without it a hidden total, whose range is the whole population, looks
        # worth thousands of small cells)
        coef = np.minimum(coef, rhs)
        coef_y = coef[:n_y]
        cuts_a.append(coef)
        cuts_b.append(rhs)
        bad = value < target - _EPS
        if bad:
            for c in cand[coef_y > _EPS]:
                cut_cells.setdefault(int(c), set()).add(it.name)
        return bad, coef

    rounds = 0
    y = hidden.copy()
    z = np.zeros(len(keys), dtype=bool)
    lower_bound = 0.0
    master = _Master(cost, eq_rows, _MASTER_NODES, min(120.0, time_limit))
    n_sent = 0
    diving, dive_start = False, 0
    while True:
        rounds += 1
        violated = 0
        # every bound at the master's choice first (only the objective changes between
        # these solves, so each starts from the last basis), then the other paths
        first = []
        for it, sign in at_risk:
            target = (it.high_target if sign > 0 else -it.low_target) + extra[id(it)]
            bad, coef = cut(it, sign, target, y, z)
            violated += bad
            if _DEBUG and bad and diving:
                print("   open:", it.name[:160], sign, target)
            first.append((it, sign, target, bad, coef))
        for it, sign, target, bad, coef in first:
            y_, z_ = y.copy(), z.copy()
            # the next ways to pin the same figure (many more in a dive, where few
            # bounds are open and each round costs a master solve)
            for _ in range((_DIVE_PATHS if diving else _PATHS) - 1):
                if not bad or coef is None:
                    break
                y_[cand[coef[:n_y] > _EPS]] = True
                z_[widen[coef[n_y:] > _EPS]] = True
                bad, coef = cut(it, sign, target, y_, z_)
        lp.set_bounds(*bounds(y, z))
        if violated == 0:
            # whole numbers: every bound (not only those at risk with the primary cells
            # alone hidden) is re-checked; one that fails gets a larger linear target
            failed = 0
            tracked = {(id(it), sg) for it, sg in at_risk}
            exact = all(lp.reaches(it.row, sg, it.high_target if sg > 0 else -it.low_target,
                                   exact=False) for it, sg in all_sides)
            for it, sign in all_sides:
                target = it.high_target if sign > 0 else -it.low_target
                if not lp.reaches(it.row, sign, target, exact=exact):
                    if (id(it), sign) not in tracked:
                        at_risk.append((it, sign))
                        tracked.add((id(it), sign))
                    else:
                        extra[id(it)] += 1.0
                        if _DEBUG:
                            print("integer failure", it.name[:150], sign, extra[id(it)])
                    failed += 1
            if failed == 0:
                if diving:
                    y = _release(lp, all_sides, extra, y, z, cand, cost, must, bounds,
                                 min_cost=release.costs["total"])
                    _note_cost(notes, cost, y, z, cand, widen, rounds, lower_bound)
                break
            continue
        circling = (violated <= 2 and rounds >= _DIVE_FEW) or rounds >= _DIVE_AFTER
        limit = rounds >= max_rounds or time.monotonic() - started > time_limit
        if circling and not diving and not limit:
            # dive: keep what the master hides now and let it only add cells; each
            # round then repairs the few open bounds with the master's own cuts (the
            # greedy repair below is the last resort)
            diving, dive_start = True, rounds
            master.keep(np.concatenate([y[cand], z[widen]]))
        elif limit or (diving and rounds - dive_start >= _DIVE_ROUNDS):
            # the master's choice meets all but a few bounds: repair those greedily
            # (hiding, for each, the cell that protects most per cost), then check all
            y, z = _greedy(lp, at_risk, all_sides, extra, y, z, cand, widen, cost, cuts_a,
                           cut, bounds)
            y = _release(lp, all_sides, extra, y, z, cand, cost, must, bounds,
                         min_cost=release.costs["total"])
            if limit:
                notes.append(f"Protection reached its limit ({rounds} rounds, "
                             f"{time.monotonic() - started:.0f} s) with {violated} bounds "
                             "still open; they were met greedily.")
            _note_cost(notes, cost, y, z, cand, widen, rounds, lower_bound)
            break
        t_m = time.monotonic()
        master.add_cuts(cuts_a[n_sent:], cuts_b[n_sent:])
        n_sent = len(cuts_a)
        choice = master.solve()
        if not diving:  # a dive's choices are no lower bound
            lower_bound = max(lower_bound, float(cost @ choice))
        if _DEBUG:
            print(f"round {rounds} t={time.monotonic() - started:.1f}: {violated} violated "
                  f"of {len(at_risk)}, {len(cuts_a)} cuts, "
                  f"master {time.monotonic() - t_m:.1f} s, cost {cost @ choice:.1f}, "
                  f"hidden {int(choice[:n_y].sum())}, widened {int(choice[n_y:].sum())}")
        y = must.copy()
        y[cand] = choice[:n_y]
        z = np.zeros(len(keys), dtype=bool)
        z[widen] = choice[n_y:]
    if master.timed_out:
        notes.append("The optimiser reached its safety time limit on the machine that built "
                     "this report: the cells hidden are safe but may differ from another "
                     "build.")
    reasons = [""] * len(keys)
    for c, names in cut_cells.items():
        if y[c] and not must[c]:
            shown = sorted(names)[:2]
            more = f" and {len(names) - 2} more" if len(names) > 2 else ""
            reasons[c] = "protects " + "; ".join(shown) + more
    return y, z, rounds, reasons


_DEBUG = bool(__import__("os").environ.get("EDI_DEBUG_PROTECT"))
#: A bound that holds by less than this many people still gets its cut each round.
_SLACK = 3.0
#: Cuts generated per violated bound and round (alternative ways to pin a figure).
_PATHS = 4
#: Branch-and-bound nodes allowed to one solve of the master problem (its time limit
#: is a safety net only): bounds the work, not the seconds, so results are stable.
_MASTER_NODES = 100_000
#: A dive starts after this many rounds, or after _DIVE_FEW rounds when at most two
#: bounds are still open: free cut generation on a large release can circle for a long
#: time between near-equal choices while its master problem grows.
_DIVE_AFTER = 25
_DIVE_FEW = 15
#: Cuts generated per violated bound and round in a dive.
_DIVE_PATHS = 25
#: Whole-number points kept to answer integer questions without a solve.
_POOL = 128
#: Rounds a dive (the master keeping its choice and only adding cells) may take before
#: the greedy repair finishes the job.
_DIVE_ROUNDS = 20


def _note_cost(notes: list[str], cost: np.ndarray, y: np.ndarray, z: np.ndarray,
               cand: np.ndarray, widen: np.ndarray, rounds: int, lower: float) -> None:
    """Note the cost of the cells chosen and how far it can be from the optimum."""
    final = float(cost @ np.concatenate([y[cand], z[widen]]).astype(float))
    gap = 100.0 * (final - lower) / final if final > 0 else 0.0
    notes.append(f"Secondary suppression cost {final:.1f} after {rounds} rounds "
                 f"(optimisation lower bound {lower:.1f}: within {gap:.0f}%).")


def _release(lp: _BoundLP, all_sides, extra, y, z, cand, cost, must, bounds: _Bounds,
             min_cost: float) -> np.ndarray:
    """Show again, dearest first, hidden cells that no bound needs (after a greedy repair,
    which can hide a total that later choices make unnecessary)."""
    pairs = sorted(zip(cand, cost[:cand.size], strict=True), key=lambda t: -t[1])
    order = [int(c) for c, k in pairs if k >= min_cost]
    before = y.copy()

    def safe(trial: np.ndarray, exact: bool) -> bool:
        lp.set_bounds(*bounds(trial, z))
        for it, sign in all_sides:
            target = (it.high_target if sign > 0 else -it.low_target) + extra.get(id(it), 0.0)
            if not lp.reaches(it.row, sign, target, exact=exact):
                return False
        return True

    for c in order:
        if not y[c] or must[c]:
            continue
        trial = y.copy()
        trial[c] = False
        if safe(trial, exact=False):
            y = trial
    if not safe(y, exact=True):
        y = before
    lp.set_bounds(*bounds(y, z))
    return y


def _greedy(lp: _BoundLP, at_risk, all_sides, extra, y, z, cand, widen, cost, cuts_a, cut,
            bounds: _Bounds):
    """A safe choice when optimisation runs out of time: hide, bound by bound, the cell
    with the best protection per cost in the bound's cut, until every bound holds."""
    n_y = cand.size
    for _ in range(10 * (len(cand) + len(widen)) + 10):
        lp.set_bounds(*bounds(y, z))
        worst = None
        for it, sign in all_sides:
            target = (it.high_target if sign > 0 else -it.low_target) + extra.get(id(it), 0.0)
            value, _ = lp.maximise(it.row, sign)
            if value < target - _EPS:
                worst = (it, sign, target)
                break
        if worst is None:
            ok = all(lp.reaches(it.row, sg, it.high_target if sg > 0 else -it.low_target)
                     for it, sg in all_sides)
            if ok:
                return y, z
            worst = next((it, sg, (it.high_target if sg > 0 else -it.low_target) + 1.0)
                         for it, sg in all_sides
                         if not lp.reaches(it.row, sg, it.high_target if sg > 0
                                           else -it.low_target))
        it, sign, target = worst
        value, _ = lp.maximise(it.row, sign)
        _, coef = cut(it, sign, target, y, z)
        if coef is None:
            break
        current = np.concatenate([y[cand], z[widen]])
        # the cut's coefficients are linear estimates: measure each cell's real gain
        # (the reader's new optimum with that cell hidden too), capped at what is needed
        need = target - value
        gain = np.zeros(current.size)
        for j in np.flatnonzero(~current & (coef > _EPS)):
            y_, z_ = y.copy(), z.copy()
            if j < n_y:
                y_[cand[j]] = True
            else:
                z_[widen[j - n_y]] = True
            lp.set_bounds(*bounds(y_, z_))
            reached, _ = lp.maximise(it.row, sign)
            gain[j] = min(reached - value, need) / cost[j]
        lp.set_bounds(*bounds(y, z))
        j = int(np.argmax(gain))
        if gain[j] <= _EPS:
            gain = np.where(current, 0.0, coef) / cost
            j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        if _DEBUG:
            print("   greedy:", it.name[:100], sign, "need", need, "cell", j, "cost", cost[j],
                  "gain", gain[j] * cost[j])
        if j < n_y:
            y[cand[j]] = True
        else:
            z[widen[j - n_y]] = True
    # nothing left to try: hide every candidate (always safe for the bounds kept)
    y[cand] = True
    return y, z


class _Master:
    """The master problem: cheapest hiding and widening meeting every cut (HiGHS MIP).

    One model for the whole loop: each round adds its cuts as rows and starts from the
    last choice, so HiGHS does not begin again from nothing.
    """

    def __init__(self, cost: np.ndarray, eq_rows: list[np.ndarray], max_nodes: int,
                 time_limit: float):
        self.n = cost.size
        self.h = _silent_solver()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("random_seed", 0)
        self.h.setOptionValue("mip_rel_gap", 0.01)
        # a node limit, not a time limit, ends a long solve: the same inputs give the
        # same choice on a fast or a loaded machine (a stable published report); the
        # time limit is only a safety net, and reaching it is noted
        self.h.setOptionValue("mip_max_nodes", int(max_nodes))
        self.timed_out = False
        self.h.setOptionValue("time_limit", float(max(time_limit, 2.0)))
        lp = highspy.HighsLp()
        lp.num_col_ = self.n
        lp.num_row_ = 0
        lp.col_cost_ = cost.astype(float)
        lp.col_lower_ = np.zeros(self.n)
        lp.col_upper_ = np.ones(self.n)
        lp.row_lower_ = np.zeros(0)
        lp.row_upper_ = np.zeros(0)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * self.n
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.zeros(1, dtype=np.int32)
        lp.a_matrix_.index_ = np.zeros(0, dtype=np.int32)
        lp.a_matrix_.value_ = np.zeros(0)
        self.h.passModel(lp)
        for row in eq_rows:
            idx = np.flatnonzero(row).astype(np.int32)
            self.h.addRow(0.0, 0.0, idx.size, idx, row[idx].astype(float))
        self.last: np.ndarray | None = None

    def add_cuts(self, cuts_a: list[np.ndarray], cuts_b: list[float]) -> None:
        for a, b in zip(cuts_a, cuts_b, strict=True):
            a = np.where(np.abs(a) < 1e-9, 0.0, a)
            idx = np.flatnonzero(a).astype(np.int32)
            if idx.size == 0:
                if b > _EPS:
                    raise RuntimeError("Secondary suppression found a bound no cell can meet.")
                continue
            self.h.addRow(float(b), _INF, idx.size, idx, a[idx].astype(float))

    def keep(self, chosen: np.ndarray) -> None:
        """From now on, choose at least what ``chosen`` chooses (a dive)."""
        idx = np.flatnonzero(chosen).astype(np.int32)
        if idx.size:
            self.h.changeColsBounds(idx.size, idx, np.ones(idx.size), np.ones(idx.size))

    def solve(self) -> np.ndarray:
        if self.last is not None:
            sol = highspy.HighsSolution()
            sol.col_value = self.last.astype(float).tolist()
            sol.value_valid = True
            self.h.setSolution(sol)
        self.h.run()
        status = self.h.getModelStatus()
        self.timed_out = self.timed_out or status == highspy.HighsModelStatus.kTimeLimit
        x = np.asarray(self.h.getSolution().col_value)
        if x.size != self.n or status in (highspy.HighsModelStatus.kInfeasible,):
            raise RuntimeError(f"Secondary suppression found no feasible choice ({status}).")
        self.last = np.round(x) > 0.5
        return self.last


# --------------------------------------------------------------------------------------
# the whole release
# --------------------------------------------------------------------------------------
def protect_release(release: Release, *, time_limit: float = 900.0,
                    max_rounds: int = 200) -> Protection:
    """Decide every published cell of a release (see the module notes).

    Parameters
    ----------
    release : Release
        With its populations and tables declared.
    time_limit : float, default 900
        Safety net: seconds allowed per population before protection falls back to
        meeting the open bounds greedily (safe, not minimal); noted. Normal runs end
        by convergence or ``max_rounds`` and are deterministic: the master problem
        is limited in branch-and-bound nodes, never in seconds, so the same inputs
        publish the same cells on any machine.
    max_rounds : int, default 200
        Cut-generation rounds allowed per population, with the same fallback.

    Returns
    -------
    Protection
    """
    started = time.monotonic()
    by_pop: dict[str, list[CellKey]] = {}
    for k in release.cells():
        by_pop.setdefault(k.population, []).append(k)
    cells: dict[CellKey, PublishedCell] = {}
    notes: list[str] = []
    rounds = 0
    systems: dict[str, System] = {}
    groups: dict[str, list[tuple[Condition, float]]] = {}
    for name, keys in by_pop.items():
        res, pop_notes = _protect_population(release, name, keys, time_limit=time_limit,
                                             max_rounds=max_rounds)
        notes += pop_notes
        rounds += res.rounds
        systems[name] = res.system
        groups[name] = res.groups
        for i, k in enumerate(res.keys):
            shown = None if res.hidden[i] else float(res.shown[i])
            cells[k] = PublishedCell(k, float(res.true[i]), bool(res.hidden[i]),
                                     bool(res.primary[i] and res.hidden[i]), res.symbols[i],
                                     shown, res.reasons[i])
    return Protection(cells, _table_summary(release, cells), _withheld(release, cells),
                      time.monotonic() - started, rounds, notes, systems, groups)


def _table_summary(release: Release, cells: Mapping[CellKey, PublishedCell]) -> pd.DataFrame:
    rows = []
    for name, spec in release.tables.items():
        n = hid = pri = 0
        for keys in spec.counts.values():
            for k in keys:
                if k is None:
                    continue
                n += 1
                c = cells[k]
                hid += c.hidden
                pri += c.primary
        for keys in spec.virtual.values():
            for k in keys:
                if k is None:
                    continue
                n += 1
                c = cells[k]
                hid += c.hidden
                pri += c.primary or (c.hidden and c.symbol != "" and "group" in c.reason)
        rows.append({"table": name, "cells": n, "hidden": hid, "primary": pri,
                     "secondary": hid - pri,
                     "hidden_pct": round(100.0 * hid / n, 1) if n else 0.0})
    return pd.DataFrame(rows, columns=["table", "cells", "hidden", "primary", "secondary",
                                       "hidden_pct"])


def _withheld(release: Release, cells: Mapping[CellKey, PublishedCell]) -> pd.DataFrame:
    rows = []
    seen = set()
    for name, spec in release.tables.items():
        for _col, _i, k in spec.keys():
            role = release.roles.get(k, Role.DETAIL)
            if role < Role.REFERENCE or k in seen or not cells[k].hidden:
                continue
            seen.add(k)
            rows.append({"table": name, "cell": str(k), "role": role.name.lower(),
                         "reason": cells[k].reason})
    return pd.DataFrame(rows, columns=["table", "cell", "role", "reason"])
