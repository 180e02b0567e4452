"""The disclosure model of the survey: one population per survey year and question.

Each question's results become a :class:`~edi_analysis.disclosure.Population` whose
cells are a group's respondents and those of them giving the counted answers
(:class:`SurveyQuestion`). Positive answers are reconstructed as whole numbers from the
published percentages, nested breakdowns become one attribute whose parents are sets of
the finest groups, and respondents in no group of a breakdown are its
:data:`NOT_ANSWERED` category. A question too few answered is not published at all
(:class:`_TooFew`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from edi_analysis.disclosure import CellKey, Population, SuppressionPolicy
from edi_analysis.errors import InputError
from edi_analysis.staff_survey.nesting import NESTING_COLUMNS, breakdown_chains
from edi_analysis.staff_survey.results import OVERALL

__all__ = ["NO", "NOT_ANSWERED", "OTHER", "POSITIVE", "YES", "SurveyQuestion"]


#: Category of the respondents to a question who are in no published group of a
#: breakdown (they skipped the demographic question).
NOT_ANSWERED = "Not answered"
#: The ``answer`` attribute of a survey population: counted (positive) answers or not.
POSITIVE, OTHER = "positive", "other"
YES, NO = "yes", "no"


def _positives(pct: pd.Series, n: pd.Series) -> pd.Series:
    """Reconstruct whole numbers of positive answers from a % and its base."""
    return (pct / 100 * n).round()


def _share_out(amount: float, weight: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Whole numbers adding up to ``amount``, in proportion to ``weight``, each <= ``cap``.

    Largest remainders; what a capped category cannot take goes to the others.
    """
    out = np.zeros(weight.size)
    left = float(amount)
    free = cap > 0
    while left > 0.5 and free.any():
        w = np.where(free, weight, 0.0)
        share = left * w / w.sum() if w.sum() > 0 else np.where(free, left / free.sum(), 0.0)
        share = np.minimum(share, cap - out)
        step = np.floor(share + 1e-9)
        rest = int(round(left - step.sum()))
        for j in np.argsort(-(share - step), kind="stable"):
            if rest <= 0:
                break
            if free[j] and out[j] + step[j] < cap[j]:
                step[j] += 1
                rest -= 1
        out += step
        left -= step.sum()
        free = out < cap
        if step.sum() == 0:
            break
    return out


def _fit(n: np.ndarray, x: np.ndarray, total: float) -> tuple[np.ndarray, bool]:
    """Whole numbers of positive answers per category that add up to ``total``.

    Parameters
    ----------
    n : ndarray
        Respondents per category.
    x : ndarray
        Positive answers per category; NaN where unknown (respondents in no published
        group, or a result blank at source).
    total : float
        Positive answers of all the categories together.

    Returns
    -------
    (ndarray, bool)
        Whole numbers within ``0..n``: known values kept, the rest of ``total`` shared
        among the unknown categories in proportion to their size (largest remainders);
        and whether known values had to move to add up (results rounded at source,
        e.g. whole percentages of large groups: the excess is taken from, or given to,
        the known categories in proportion to their size, so small groups barely move).
    """
    n = np.asarray(n, dtype=float)
    x = np.asarray(x, dtype=float).copy()
    unknown = np.isnan(x)
    x[~unknown] = np.clip(np.round(x[~unknown]), 0, n[~unknown])
    total = float(np.clip(round(total), 0, n.sum()))
    need = total - x[~unknown].sum()
    room = float(n[unknown].sum())
    known = ~unknown
    adjusted = False
    if need < 0:
        cut = _share_out(-need, np.where(known, n, 0.0), np.where(known, x, 0.0))
        x[known] -= cut[known]
        need += cut.sum()
        adjusted = bool(cut.sum() > 0)
    elif need > room:
        add = _share_out(need - room, np.where(known, n, 0.0), np.where(known, n - x, 0.0))
        x[known] += add[known]
        need -= add.sum()
        adjusted = bool(add.sum() > 0)
    idx = np.flatnonzero(unknown)
    if idx.size:
        x[idx] = _share_out(min(max(need, 0.0), room), n[idx], n[idx])
    return x, adjusted


def _unique_label(label: str, used: set[str], breakdown: str) -> str:
    out = label if label not in used else f"{label} ({breakdown})"
    k = 2
    while out in used:
        out = f"{label} ({breakdown} {k})"
        k += 1
    used.add(out)
    return out


@dataclass
class _Attribute:
    """One attribute of a survey population: its categories and their counts."""

    name: str
    categories: list[str]
    n: np.ndarray
    x: np.ndarray
    not_answered: set[str]


class _SurveyPopulation(Population):
    """A survey population whose derived groups holding non-respondents are not protected.

    The respondents in no published group of a breakdown (``"Not answered"``) are not a
    group to protect (:class:`SurveyRelease`), so a group that a reader can only work
    out together with them (the organisation minus White and BME: those who preferred
    not to say *and* those who did not answer) is not one either: what it tells about
    a published group is protected through that group's own cells. Published cells keep
    the rule of :class:`~edi_analysis.disclosure.Population` (a division holding its
    respondents with no directorate is protected like any group).
    """

    published: set

    def is_sensitive(self, condition) -> bool:
        """As :meth:`Population.is_sensitive`; False too for an unpublished group that
        holds respondents in no published group."""
        if not super().is_sensitive(condition):
            return False
        if condition in getattr(self, "published", ()):
            return True
        return not any(attr in self.not_sensitive and set(vals) & self.not_sensitive[attr]
                       for attr, vals in condition)


@dataclass
class SurveyQuestion:
    """The disclosure population of one survey year and question.

    Attributes
    ----------
    population : Population
        Named ``"survey <year> <question>"``: one attribute per breakdown (a nested
        breakdown's parent is a set of the child's categories; a breakdown whose groups
        overlap gives one yes/no attribute per group) and ``answer``.
    where : dict
        (breakdown, subgroup) -> (attribute, categories) of its respondents.
    adjusted : list of str
        Breakdowns whose positive answers were moved by an answer or more to add up to
        the organisation's (results rounded at source).
    """

    population: Population
    where: dict[tuple[str, str], tuple[str, frozenset[str]]]
    answer: bool = True
    adjusted: list[str] = field(default_factory=list)

    def key(self, breakdown: str, subgroups: Iterable[str] = (),
            answer: str | None = None) -> CellKey | None:
        """The cell of the respondents in ``subgroups`` of ``breakdown`` (and ``answer``).

        ``breakdown="Overall"`` gives the organisation's respondents. None when a
        subgroup is not in the results, or the subgroups lie in different yes/no
        attributes (groups of a breakdown that overlap cannot be added up).
        """
        cond: dict[str, object] = {}
        if breakdown != OVERALL:
            found = [self.where.get((breakdown, str(s))) for s in subgroups]
            if not found or any(f is None for f in found):
                return None
            attrs = {a for a, _ in found}
            if len(attrs) > 1:
                return None
            cond[attrs.pop()] = sorted(set().union(*(c for _, c in found)))
        if answer is not None:
            if not self.answer:
                return None
            cond["answer"] = answer
        return self.population.key(**cond)


class _TooFew:
    """A question answered by fewer respondents than the threshold: nothing is published.

    The organisation's number of respondents to a question is the size of its
    population, which the disclosure model takes a reader to know; a question that
    few answered is therefore not published at all (as the survey does not report it).
    """

    adjusted: tuple[str, ...] = ()
    population = None

    def key(self, *args: object, **kwargs: object) -> None:
        """Nothing of the question is a published cell."""
        return None


def _cannot_be_protected(part: pd.DataFrame, table: pd.DataFrame, threshold: int,
                         level: int) -> bool:
    """True when a small group's result of 0% or 100% could never be protected.

    A reader knows how many answered the question (the population's size) and that
    every hidden group holds at least one respondent. A hidden group that answered all
    one way then stays possibly larger only if the rest of its breakdown (or of its
    parent, for a nested one) leaves room: at least ``level`` respondents beyond one for
    each other group. Only in questions barely above the threshold is there no room,
    and nothing hidden can help; such a question is not published.
    """
    overall = part.loc[part["breakdown"] == OVERALL, "n_respondents"]
    n_total = float(overall.iloc[0]) if len(overall) else 0.0
    parent_of = {(b, g): (pb, pg) for b, g, pb, pg in table[NESTING_COLUMNS].itertuples(
        index=False)} if len(table) else {}
    rows = part[part["breakdown"] != OVERALL]
    n_of = dict(zip(zip(rows["breakdown"], rows["subgroup"].astype(str), strict=True),
                    rows["n_respondents"].astype(float), strict=True))
    for b, group in rows.groupby("breakdown"):
        by_parent: dict[object, list] = {}
        for g, n, x in zip(group["subgroup"].astype(str), group["n_respondents"],
                           group["x"], strict=True):
            by_parent.setdefault(parent_of.get((b, g)), []).append((float(n), x))
        for parent, members in by_parent.items():
            total = n_of.get(parent, n_total) if parent is not None else n_total
            busy = sum(1 for n, _ in members if n > 0)
            for n, x in members:
                extreme = not np.isnan(x) and (x == 0 or x == n)
                if 0 < n < threshold and extreme and total - n - (busy - 1) < level:
                    return True
    return False


def _chain_attribute(part: pd.DataFrame, chain: Sequence[str], table: pd.DataFrame,
                     n_total: float, x_total: float, where_text: str,
                     where: dict[tuple[str, str], tuple[str, frozenset[str]]]
                     ) -> tuple[_Attribute, bool]:
    """A chain of nested breakdowns as one attribute: the finest groups, parents as sets.

    Each subgroup without a finer subgroup is a category; a subgroup with more
    respondents than its finer subgroups together gets a "Not answered (<subgroup>)"
    category for the rest; respondents in no group of the root breakdown are
    "Not answered".
    """
    parent_of = {(b, g): (pb, pg) for b, g, pb, pg in table[NESTING_COLUMNS].itertuples(
        index=False)}
    rows = part[part["breakdown"].isin(chain)]
    nodes = list(zip(rows["breakdown"], rows["subgroup"].astype(str), strict=True))
    n_of = dict(zip(nodes, rows["n_respondents"].astype(float), strict=True))
    x_of = dict(zip(nodes, rows["x"].astype(float), strict=True))
    children: dict[tuple[str, str] | None, list[tuple[str, str]]] = {None: []}
    children.update({node: [] for node in nodes})
    for b, g in nodes:
        if b == chain[0]:
            children[None].append((b, g))
            continue
        up = parent_of.get((b, g))
        while up is not None and up[0] not in chain:  # skip a level absent from the rows
            up = parent_of.get(up)
        if up is None or up not in n_of:
            raise InputError.single(
                "survey_nesting", f"a parent in a present breakdown for every {b} subgroup "
                f"{where_text}", column="parent_subgroup", value=f"{b} '{g}'")
        children[up].append((b, g))
    for node, kids in children.items():
        total = n_total if node is None else n_of[node]
        if kids and sum(n_of[c] for c in kids) > total:
            name = "Overall" if node is None else f"{node[0]} '{node[1]}'"
            raise InputError.single(
                "survey_results", "a nested breakdown whose subgroups add up to no more "
                f"than their parent {where_text}", column="n_respondents",
                value=f"{name} has {total:.0f}, its subgroups "
                      f"{sum(n_of[c] for c in kids):.0f}")
    # a result blank at source that its finer subgroups give exactly
    for node in sorted(n_of, key=lambda k: -chain.index(k[0])):
        kids = children[node]
        if np.isnan(x_of[node]) and kids and all(not np.isnan(x_of[c]) for c in kids) \
                and sum(n_of[c] for c in kids) == n_of[node]:
            x_of[node] = sum(x_of[c] for c in kids)
    used: set[str] = set()
    rest: dict[tuple[str, str] | None, str] = {}
    leaf: dict[tuple[str, str], str] = {}
    for node in [None, *n_of]:
        kids = children[node]
        total = n_total if node is None else n_of[node]
        if node is None or (kids and total > sum(n_of[c] for c in kids)):
            label = NOT_ANSWERED if node is None else f"{NOT_ANSWERED} ({node[1]})"
            rest[node] = _unique_label(label, used, chain[0] if node is None else node[0])
        elif not kids:
            leaf[node] = label = _unique_label(node[1], used, node[0])
    # positive answers, from the top down
    adjusted = False
    fitted = dict(x_of)
    queue: list[tuple[str, str] | None] = [None]
    while queue:
        node = queue.pop(0)
        kids = children[node]
        if not kids:
            continue
        total_n = n_total if node is None else n_of[node]
        total_x = x_total if node is None else fitted[node]
        n = [n_of[c] for c in kids]
        x = [fitted[c] for c in kids]
        if node in rest:
            n.append(total_n - sum(n))
            x.append(np.nan)
        got, moved = _fit(np.array(n), np.array(x), total_x)
        adjusted |= moved
        for c, v in zip(kids, got, strict=False):
            fitted[c] = float(v)
        if node in rest:
            fitted[("", rest[node])] = float(got[-1])
        queue += kids

    def cats(node: tuple[str, str] | None) -> set[str]:
        out = {leaf[node]} if node in leaf else set()
        for c in children[node]:
            out |= cats(c)
        if node in rest:
            out.add(rest[node])
        return out

    name = chain[-1]
    for node in n_of:
        where[node] = (name, frozenset(cats(node)))
    categories, n, x = [], [], []
    for node, label in leaf.items():
        categories.append(label)
        n.append(n_of[node])
        x.append(fitted[node])
    for node, label in rest.items():
        kids = children[node]
        categories.append(label)
        n.append((n_total if node is None else n_of[node]) - sum(n_of[c] for c in kids))
        x.append(fitted[("", label)])
    return _Attribute(name, categories, np.array(n), np.array(x), set(rest.values())), adjusted


def _question_population(
    name: str, part: pd.DataFrame, table: pd.DataFrame, policy: SuppressionPolicy,
    answer: bool = True,
) -> SurveyQuestion:
    """The population of one year and question (see :class:`SurveyQuestion`).

    Parameters
    ----------
    name : str
        Population name.
    part : DataFrame
        The question's rows: ``breakdown``, ``subgroup``, ``n_respondents`` and ``x``
        (positive answers, NaN when blank at source), the Overall row included.
    table : DataFrame
        Nesting table.
    policy : SuppressionPolicy
        The survey rule (its ``protect_non_respondents`` decides whether respondents in
        no published group are a group to protect).
    answer : bool, default True
        Give the population the ``answer`` attribute (False for mean scores).
    """
    if not answer:
        part = part.assign(x=0.0)
    overall = part[part["breakdown"] == OVERALL]
    subs = part[part["breakdown"] != OVERALL]
    n_total = float(overall["n_respondents"].iloc[0]) if len(overall) else \
        float(subs.groupby("breakdown")["n_respondents"].sum().max() if len(subs) else 0)
    x_total = float(overall["x"].iloc[0]) if len(overall) else np.nan
    if answer and np.isnan(x_total):
        known = subs[subs["x"].notna()]
        share = known["x"].sum() / known["n_respondents"].sum() \
            if known["n_respondents"].sum() > 0 else 0.0
        x_total = float(round(share * n_total))
    where_text = f"({part['year'].iloc[0]}, {part['question'].iloc[0]})"
    where: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}
    attrs: list[_Attribute] = []
    adjusted: list[str] = []
    present = list(dict.fromkeys(subs["breakdown"]))
    chains = breakdown_chains(table, present) if len(table) else []
    for chain in chains:
        attr, moved = _chain_attribute(part, chain, table, n_total, x_total, where_text,
                                       where)
        attrs.append(attr)
        if moved:
            adjusted.append(" > ".join(chain))
    chained = {b for chain in chains for b in chain}
    for b in present:
        if b in chained:
            continue
        rows = subs[subs["breakdown"] == b]
        labels = rows["subgroup"].astype(str).tolist()
        n = rows["n_respondents"].to_numpy(dtype=float)
        x = rows["x"].to_numpy(dtype=float)
        moved = False
        if n.sum() <= n_total:
            na = _unique_label(NOT_ANSWERED, set(labels), b)
            got, moved = _fit(np.r_[n, n_total - n.sum()], np.r_[x, np.nan], x_total)
            attrs.append(_Attribute(b, [*labels, na], np.r_[n, n_total - n.sum()], got, {na}))
            for s in labels:
                where[(b, s)] = (b, frozenset([s]))
        else:  # groups that overlap (several ticks allowed): one yes/no attribute each
            for s, n_s, x_s in zip(labels, n, x, strict=True):
                if n_s > n_total:
                    raise InputError.single(
                        "survey_results", f"no group with more respondents than the "
                        f"organisation {where_text}", column="n_respondents",
                        value=f"{b} '{s}' has {n_s:.0f}, Overall {n_total:.0f}")
                got, m = _fit(np.array([n_s, n_total - n_s]), np.array([x_s, np.nan]),
                              x_total)
                moved |= m
                attr = f"{b}: {s}"
                attrs.append(_Attribute(attr, [YES, NO], np.array([n_s, n_total - n_s]), got,
                                        set()))
                where[(b, s)] = (attr, frozenset([YES]))
        if moved:
            adjusted.append(b)
    marginals = []
    for a in attrs:
        if answer:
            marginals.append(pd.DataFrame({
                a.name: a.categories * 2,
                "answer": [POSITIVE] * len(a.categories) + [OTHER] * len(a.categories),
                "count": np.r_[a.x, a.n - a.x],
            }))
        else:
            marginals.append(pd.DataFrame({a.name: a.categories, "count": a.n}))
    if not marginals:
        marginals = [pd.DataFrame({"answer": [POSITIVE, OTHER],
                                   "count": [x_total, n_total - x_total]})] if answer else \
            [pd.DataFrame({"count": [n_total]})]
    not_sensitive = {} if policy.protect_non_respondents else \
        {a.name: a.not_answered for a in attrs if a.not_answered}
    # results follow the survey's own rule: a shown group's result may reveal a few
    # people answering one way, unless the policy's survey_strict says otherwise
    pop = _SurveyPopulation(name, marginals=marginals, policy=policy,
                            not_sensitive=not_sensitive,
                            domains={"answer": [POSITIVE, OTHER]} if answer else None,
                            small_shares_disclose=False)
    pop.published = set()
    return SurveyQuestion(pop, where, answer, adjusted)
