"""The reader's linear system (disclosure.system) against the full cover table."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from edi_analysis.disclosure.model import Population, condition_of
from edi_analysis.disclosure.system import build_system


def _value(res, sign: float) -> float:
    if res.status == 3:  # unbounded
        return -sign * np.inf
    assert res.status == 0, res.message
    return sign * res.fun


def _cover_bounds(domains, conditions, fixed, target):
    """Least and greatest value of ``target`` over every non-negative table on the full
    product of the domains with the ``fixed`` conditions at their values (brute force)."""
    attrs = list(domains)
    cells = list(itertools.product(*[domains[a] for a in attrs]))

    def row(cond):
        allowed = dict(cond)
        return np.array([all(c[i] in allowed.get(a, c[i:i + 1]) for i, a in enumerate(attrs))
                         for c in cells], dtype=float)

    A = np.vstack([row(c) for c in conditions]) if conditions else np.zeros((0, len(cells)))
    out = []
    for sign in (1.0, -1.0):
        res = linprog(sign * row(target), A_eq=A, b_eq=np.array(fixed), bounds=(0, None),
                      method="highs")
        out.append(_value(res, sign))
    return tuple(out)


def _system_bounds(pop, conditions, fixed, target):
    system = build_system(pop, [*conditions, target])
    A = system.rows(conditions).toarray()
    S = system.separators.toarray()
    t = system.rows([target]).toarray()[0]
    A_eq = np.vstack([S, A]) if S.size else A
    b_eq = np.concatenate([np.zeros(S.shape[0]), fixed]) if S.size else np.array(fixed)
    out = []
    for sign in (1.0, -1.0):
        res = linprog(sign * t, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        out.append(_value(res, sign))
    return tuple(out)


DOMAINS = {"a": ["a1", "a2", "a3"], "b": ["b1", "b2"], "c": ["c1", "c2", "c3"],
           "d": ["d1", "d2"]}


@st.composite
def problems(draw):
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    n = draw(st.integers(5, 40))
    units = pd.DataFrame({a: rng.choice(v, n) for a, v in DOMAINS.items()})
    conditions = []
    for _ in range(draw(st.integers(3, 9))):
        attrs = draw(st.lists(st.sampled_from(list(DOMAINS)), min_size=1, max_size=3,
                              unique=True))
        cond = {}
        for a in attrs:
            vals = draw(st.lists(st.sampled_from(DOMAINS[a]), min_size=1,
                                 max_size=len(DOMAINS[a]) - 1, unique=True))
            cond[a] = vals
        conditions.append(condition_of(cond))
    target = conditions.pop()
    if draw(st.booleans()):
        conditions.append(())  # the grand total, usually published
    return units, conditions, target


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_clique_system_gives_the_cover_tables_bounds(problem) -> None:
    units, conditions, target = problem
    pop = Population("p", units, domains=DOMAINS)
    conditions = list(dict.fromkeys(conditions))
    fixed = [float(build_system(pop, [c]).rows([c]).dot(build_system(pop, [c]).truth)[0])
             for c in conditions]
    assert _system_bounds(pop, conditions, fixed, target) == pytest.approx(
        _cover_bounds(DOMAINS, conditions, fixed, target), abs=1e-6)


def test_truth_of_every_cell_is_its_count() -> None:
    units = pd.DataFrame({"a": ["a1", "a1", "a2", "a3"], "b": ["b1", "b2", "b2", "b2"]})
    pop = Population("p", units, domains={"a": ["a1", "a2", "a3"], "b": ["b1", "b2"]})
    conds = [condition_of({"a": ["a1"]}), condition_of({"a": ["a1", "a2"], "b": ["b2"]}), ()]
    system = build_system(pop, conds)
    assert list(system.rows(conds) @ system.truth) == [2.0, 2.0, 4.0]


def test_marginals_population_must_cover_every_clique() -> None:
    m1 = pd.DataFrame({"a": ["a1", "a2"], "count": [3, 4]})
    m2 = pd.DataFrame({"b": ["b1", "b2"], "count": [5, 2]})
    pop = Population("p", marginals=[m1, m2])
    with pytest.raises(ValueError, match="no count table gives together"):
        build_system(pop, [condition_of({"a": ["a1"], "b": ["b1"]})])
