"""The attacker: a determined reader's best bounds on every hidden figure.

This module plays the reader of :doc:`docs/DISCLOSURE.md`. It is given only what was
published, as :class:`Observation` s read back from the published files (a count, a
rounded count, a symbol and the interval the printed rules give it, a percentage of
another figure), the structure every reader knows (which people each published figure
counts: the cells' conditions, hence the model's linear system), and the printed rules.
It knows that counts are whole numbers, never negative, and it combines every table of
the report, and of earlier releases, at once.

For every sensitive figure it solves the reader's problem: the least and the greatest
value the figure can take under every published constraint. Linear programming gives
bounds that may be loose when the constraints do not force whole numbers; wherever
the linear optimum is not a whole-number solution, integer programming makes the bound
exact. A figure whose bounds come closer to its true value than the protection level
(or pin a count of 1 to 4) is a disclosure; the result names the published figures
that pin it (those with a non-zero dual value at the optimum).

The solving code here shares nothing with :mod:`~edi_analysis.disclosure.protect`: the
audit must not inherit protection's mistakes. What they share is the model of who is
counted (:mod:`~edi_analysis.disclosure.system`) and the policy's printed rules.

References
----------
.. [1] Hundepool A et al. (2014). *tau-ARGUS user's manual* 4.1, section 2.15 (audit:
   the realised upper and lower bounds of every suppressed cell).
.. [2] Meindl B. sdcTable, function ``attack()``: minimum and maximum of every
   suppressed cell by linear programming.
.. [3] Dobra A, Fienberg SE (2000). Bounds for cell entries in contingency tables given
   marginal totals and decomposable graphs. *PNAS* 97(22):11885-11892.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from edi_analysis.disclosure.model import CellKey, Condition, Population
from edi_analysis.disclosure.system import build_system

__all__ = ["Bound", "Observation", "Ratio", "ReaderJob", "Target", "reader_bounds",
           "reader_bounds_all"]

_INF = highspy.kHighsInf


def _quiet_highs():
    """A HiGHS solver that writes nothing to the build's output.

    ``highspy.Highs()`` sets up Python callbacks whose first log line is HiGHS's banner,
    printed to stdout before any option can be set; the core binding takes the same calls
    without them (and without the Python callbacks, which the attacker does not use).
    """
    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    h = core() if core is not None else highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h
_TOL = 1e-6


@dataclass(frozen=True)
class Observation:
    """What one published place says about one cell.

    Attributes
    ----------
    key : CellKey
    low, high : float
        The interval the published text allows (equal for an exact count).
    text : str
        The text as published.
    source : str
        Where: ``"tables/workforce_headcount.csv row 4, column 'count'"``.
    """

    key: CellKey
    low: float
    high: float
    text: str
    source: str


@dataclass(frozen=True)
class Ratio:
    """A published share: ``low * den - slack <= numerator <= high * den + slack``.

    ``slack`` (people) is 0 for a share of exact counts. A share computed from counts
    rounded to a base ``b`` (``nhs_digital``) bounds the ratio of the ROUNDED counts;
    each true count is within ``b / 2`` of its rounded value, so the true numerator is
    within ``(b / 2) * (1 + high)`` of ``high`` times the true denominator (and
    likewise below): the reader's constraint is linear with that slack.
    """

    numerator: CellKey
    denominator: CellKey
    low: float
    high: float
    text: str
    source: str
    slack: float = 0.0


@dataclass(frozen=True)
class Target:
    """A sensitive figure and how far from its true value the reader must stay.

    Attributes
    ----------
    name : str
        Words for the figure (the cell, or "derived group ...").
    condition : Condition
    true : float
    low_required : float or None
        The reader's least value must be at most this.
    high_required : float or None
        The reader's greatest value must be at least this.
    """

    name: str
    condition: Condition
    true: float
    low_required: float | None
    high_required: float | None


@dataclass
class Bound:
    """The reader's bounds on one target and whether they disclose it."""

    target: Target
    low: float
    high: float
    exact: bool
    disclosive: bool
    pinned_by: list[str] = field(default_factory=list)
    #: the least value is what the small cells' printed symbols alone imply
    structural: bool = False

    def describe(self) -> str:
        """One line for the analyst."""
        t = self.target
        rng = f"{_fmt(self.low)}" if self.low == self.high else \
            f"{_fmt(self.low)} to {_fmt(self.high)}"
        need = []
        if t.low_required is not None:
            need.append(f"down to {_fmt(t.low_required)}")
        if t.high_required is not None:
            need.append(f"up to {_fmt(t.high_required)}")
        by = f"; pinned by {', '.join(self.pinned_by)}" if self.pinned_by else ""
        return (f"{t.name}: a reader can narrow it to {rng} (true {_fmt(t.true)}; it must "
                f"stay possibly {' and '.join(need)}){by}")


def _fmt(x: float) -> str:
    return str(int(round(x))) if abs(x - round(x)) < 1e-6 else f"{x:.2f}"


#: Whole-number tables kept per population to settle integer questions without a solve.
_WITNESSES = 128


class _Reader:
    """One population's published constraints, solved with HiGHS (warm-started)."""

    def __init__(self, population: Population, observations: Sequence[Observation],
                 ratios: Sequence[Ratio], conditions: Sequence[Condition]):
        obs_conds = [o.key.condition for o in observations]
        ratio_conds = [c for r in ratios for c in (r.numerator.condition,
                                                   r.denominator.condition)]
        self.system = build_system(population, [*obs_conds, *ratio_conds, *conditions])
        sys_ = self.system
        rows = [sys_.separators]
        lower = [np.zeros(sys_.separators.shape[0])]
        upper = [np.zeros(sys_.separators.shape[0])]
        self.sources: list[str] = ["the model's margins"] * sys_.separators.shape[0]
        if observations:
            rows.append(sys_.rows(obs_conds))
            lower.append(np.array([o.low for o in observations]))
            upper.append(np.array([o.high if math.isfinite(o.high) else _INF
                                   for o in observations]))
            self.sources += [o.source for o in observations]
        for r in ratios:
            num = sys_.rows([r.numerator.condition])
            den = sys_.rows([r.denominator.condition])
            rows += [num - r.low * den, num - r.high * den]
            lower += [np.array([-r.slack]), np.array([-_INF])]
            upper += [np.array([_INF]), np.array([r.slack])]
            self.sources += [r.source, r.source]
        M = sparse.vstack(rows).tocsr()
        self.n = M.shape[1]
        self.h = _quiet_highs()
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
        lp.row_lower_ = np.concatenate(lower)
        lp.row_upper_ = np.concatenate(upper)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = M.indptr.astype(np.int32)
        lp.a_matrix_.index_ = M.indices.astype(np.int32)
        lp.a_matrix_.value_ = M.data.astype(float)
        lp.sense_ = highspy.ObjSense.kMinimize
        self.h.passModel(lp)
        self.M, self.lower, self.upper = M, lp.row_lower_, lp.row_upper_
        # whole-number tables that meet every published statement, found on the way:
        # each is a witness that a figure can take the value it has there
        self.witnesses = np.zeros((_WITNESSES, self.n))
        self.n_witnesses = 0
        self.last = np.zeros(0, dtype=np.int32)
        self.is_integer = False
        self.h.run()
        self.feasible = self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal

    def _objective(self, idx: np.ndarray, sign: float) -> None:
        if self.last.size:
            self.h.changeColsCost(self.last.size, self.last, np.zeros(self.last.size))
        self.h.changeColsCost(idx.size, idx, np.full(idx.size, sign))
        self.last = idx

    def _integrality(self, integer: bool) -> None:
        if integer == self.is_integer:
            return
        self.h.setOptionValue("presolve", "choose" if integer else "off")
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        self.h.changeColsIntegrality(self.n, np.arange(self.n, dtype=np.int32),
                                     np.array([kind] * self.n))
        self.is_integer = integer

    def extreme(self, idx: np.ndarray, sign: float) -> tuple[float, bool, list[int]]:
        """Least (sign +1) or greatest (sign -1) value of the sum over ``idx``.

        Returns the value, whether it is exact for whole numbers, and the constraint
        rows that bind it.
        """
        self._integrality(False)
        self._objective(idx, sign)
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return (-math.inf if sign > 0 else math.inf), True, []
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"The reader's problem could not be solved ({status}).")
        sol = self.h.getSolution()
        value = sign * float(self.h.getInfo().objective_function_value)
        duals = np.asarray(sol.row_dual)
        binding = [int(i) for i in np.flatnonzero(np.abs(duals) > 1e-9)]
        x = np.asarray(sol.col_value)
        whole = bool(np.all(np.abs(x - np.round(x)) < 1e-6))
        if whole:
            self._witness(x)
        return value, whole, binding

    def _witness(self, x: np.ndarray) -> None:
        """Keep ``x``, rounded, if it is a whole-number table meeting every statement."""
        x = np.round(x)
        if x.size != self.n or x.min(initial=0.0) < 0:
            return
        rows = self.M @ x
        if np.all(rows >= np.asarray(self.lower) - 1e-6) and \
                np.all(rows <= np.asarray(self.upper) + 1e-6):
            self.witnesses[self.n_witnesses % _WITNESSES] = x  # the newest _WITNESSES
            self.n_witnesses += 1

    def can_reach(self, idx: np.ndarray, sign: float, bound: float) -> bool:
        """Whether whole numbers allow the sum over ``idx`` to be at most (sign +1) or at
        least (sign -1) ``bound``: an integer feasibility problem with the bound as a
        constraint (HiGHS stops at the first whole-number solution). A whole-number
        table already found (a witness) that reaches the bound settles it at once."""
        if self.n_witnesses:
            sums = self.witnesses[:min(self.n_witnesses, _WITNESSES), idx].sum(axis=1)
            if np.any(sign * sums <= sign * bound + 1e-6):
                return True
        lo, hi = (-_INF, bound) if sign > 0 else (bound, _INF)
        self.h.addRow(lo, hi, idx.size, idx, np.ones(idx.size))
        last = self.h.getNumRow() - 1
        if self.last.size:
            self.h.changeColsCost(self.last.size, self.last, np.zeros(self.last.size))
            self.last = np.zeros(0, dtype=np.int32)
        self._integrality(True)
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            self._witness(np.asarray(self.h.getSolution().col_value))
        self._integrality(False)
        self.h.deleteRows(1, np.array([last], dtype=np.int32))
        if status not in (highspy.HighsModelStatus.kOptimal,
                          highspy.HighsModelStatus.kInfeasible):
            raise RuntimeError(f"The reader's integer problem could not be solved ({status}).")
        return status == highspy.HighsModelStatus.kOptimal

    def extreme_integer(self, idx: np.ndarray, sign: float) -> float:
        """The bound, exactly, by integer programming (for messages)."""
        self._integrality(True)
        self._objective(idx, sign)
        self.h.run()
        status = self.h.getModelStatus()
        self._integrality(False)
        if status == highspy.HighsModelStatus.kUnbounded:
            return -math.inf if sign > 0 else math.inf
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"The reader's integer problem could not be solved ({status}).")
        return sign * float(self.h.getInfo().objective_function_value)


def reader_bounds(
    population: Population,
    observations: Sequence[Observation],
    ratios: Sequence[Ratio],
    targets: Sequence[Target],
    small_symbols: Collection[str] = (),
) -> list[Bound]:
    """The reader's exact bounds on each target of one population.

    Parameters
    ----------
    population : Population
        Its categories (and, for building the system, its counts; the counts are
        never used as constraints).
    observations : sequence of Observation
        Every published statement about a cell of this population, from every
        artefact and every earlier release.
    ratios : sequence of Ratio
        Every published share whose numerator or denominator is hidden elsewhere.
    targets : sequence of Target
    small_symbols : collection of str
        The symbols printed on small counts ("<5", "<10"). A least value that the
        observations carrying these symbols imply on their own (each "<5" is at least
        1, so three of them add up to at least 3) is not a disclosure: whatever else is
        hidden or shown, the printed rule tells every reader as much, and the remedy is
        to publish such cells combined (:mod:`edi_analysis.disclosure.merging`), not
        to hide more. Such a bound is reported with ``structural`` set.

    Returns
    -------
    list of Bound
        One per target. ``disclosive`` is True when the least value is above
        ``low_required`` or the greatest below ``high_required``.

    Raises
    ------
    ValueError
        When the published statements contradict each other (no table of whole,
        non-negative counts meets them all): a published figure is wrong.
    """
    reader = _Reader(population, observations, ratios, [t.condition for t in targets])
    if not reader.feasible:
        raise ValueError(
            f"The published figures of {population.name!r} contradict each other: no set of "
            "non-negative counts meets them all. A published figure or symbol is wrong.")
    symbols_only: _Reader | None = None
    out = []
    for t in targets:
        idx = reader.system.unknowns_of(t.condition).astype(np.int32)
        low, low_whole, low_rows = reader.extreme(idx, 1.0)
        high, high_whole, high_rows = reader.extreme(idx, -1.0)
        exact = True
        low_bad = t.low_required is not None and low > t.low_required + _TOL
        high_bad = t.high_required is not None and high < t.high_required - _TOL
        # an integer reader can only do better: where the linear optimum is fractional,
        # ask whether whole numbers can still reach the required bound
        if not low_bad and not low_whole and t.low_required is not None:
            if not reader.can_reach(idx, 1.0, t.low_required):
                low = reader.extreme_integer(idx, 1.0)
                low_bad = True
        if not high_bad and not high_whole and t.high_required is not None:
            if not reader.can_reach(idx, -1.0, t.high_required):
                high = reader.extreme_integer(idx, -1.0)
                high_bad = True
        structural = False
        if low_bad and small_symbols:
            # the least value the small cells' printed symbols alone give this figure
            if symbols_only is None:
                symbols_only = _Reader(
                    population, [o for o in observations if o.text in small_symbols], [],
                    [t.condition for t in targets])
            floor = symbols_only.extreme_integer(
                symbols_only.system.unknowns_of(t.condition).astype(np.int32), 1.0)
            if low <= floor + _TOL:
                low_bad, structural = False, True
        pinned: list[str] = []
        for bad, rows in ((low_bad, low_rows), (high_bad, high_rows)):
            if bad:
                for r in rows:
                    src = reader.sources[r]
                    if src not in pinned and src != "the model's margins":
                        pinned.append(src)
        out.append(Bound(t, low, high, exact, low_bad or high_bad, pinned[:8], structural))
    return out


@dataclass
class ReaderJob:
    """One population's question to the reader (the arguments of :func:`reader_bounds`)."""

    population: Population
    observations: Sequence[Observation]
    ratios: Sequence[Ratio]
    targets: Sequence[Target]
    small_symbols: Collection[str] = ()


def _answer(job: ReaderJob) -> list[Bound] | str:
    """:func:`reader_bounds` for one job; a contradiction comes back as its message."""
    try:
        return reader_bounds(job.population, job.observations, job.ratios, job.targets,
                             small_symbols=job.small_symbols)
    except ValueError as exc:
        return str(exc)


def reader_bounds_all(jobs: Sequence[ReaderJob], workers: int = 1,
                      chunk: int = 100) -> list[list[Bound] | str]:
    """:func:`reader_bounds` for many populations, on ``workers`` processes at once.

    A population with more than ``chunk`` targets is split into ``workers`` equal
    parts (every part reads the population's whole published system, so the answers
    are those of one reader);
    chunks run in fresh processes (``spawn``: HiGHS is not safe in a forked process),
    and the answers come back in the order of ``jobs``, so the result does not depend
    on the number of workers. Small questions run in this process.

    Returns
    -------
    list
        Per job, its list of Bound, or the message of the ValueError that
        :func:`reader_bounds` raised (contradictory published figures).
    """
    parts: list[tuple[int, ReaderJob]] = []
    for i, job in enumerate(jobs):
        targets = list(job.targets)
        n = workers if workers > 1 and len(targets) > chunk else 1
        size = -(-len(targets) // n) if targets else 1
        for start in range(0, max(len(targets), 1), size):
            parts.append((i, ReaderJob(job.population, job.observations, job.ratios,
                                       targets[start:start + size], job.small_symbols)))
    total = sum(len(p.targets) for _, p in parts)
    if workers > 1 and len(parts) > 1 and total > chunk:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            answers = list(pool.map(_answer, [p for _, p in parts]))
    else:
        answers = [_answer(p) for _, p in parts]
    out: list[list[Bound] | str] = [[] for _ in jobs]
    for (i, _), answer in zip(parts, answers, strict=True):
        if isinstance(answer, str):
            out[i] = answer
        elif not isinstance(out[i], str):
            out[i] = [*out[i], *answer]
    return out
