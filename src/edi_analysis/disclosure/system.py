"""The linear system a reader can write down for one population.

A reader who knows which people each published cell counts can write every cell as a
sum of unknown counts of finer groups: the cells of a *cover table*, the cross-
classification of every attribute any cell uses. That table is too large to write
out (ethnic group x pay band x disability x religion x age x ...), and it is not
needed: cells only ever combine a few attributes. This module builds an equivalent,
small system:

1. **Cliques.** The attributes that appear together in some cell form a graph; it is
   made chordal (min-fill elimination) and its maximal cliques become small tables of
   unknowns.
2. **Blocks.** In each clique, each attribute's categories are grouped into the
   coarsest blocks that the cells written in that clique respect (pay bands that always
   appear together are one block; a clique that only ever sees pay band clusters has
   one unknown per cluster). The blocks of one attribute in the different cliques are
   made a chain (each finer one refines every coarser one), so that units can always be
   matched between cliques block by block.
3. **Junction tree.** The clique tables are joined by equality of their common
   margins (separators, at the coarser blocks of the two sides), along a maximum
   spanning tree; cliques with nothing in common are joined by their totals.

For a chordal (decomposable) structure, clique tables that agree on their separators
can always be glued into one cover table with whole, non-negative counts
(Lauritzen 1996, Prop. 2.17; the integer case follows cell by cell from the
transportation problem, and the chain of blocks makes every matching within a
separator block possible). So the system is *exact*: it allows precisely the tables a
reader could not rule out, and its bounds are the reader's best bounds. Every cell is
then a 0/1 row over one clique's unknowns.

The module builds the system and the true values of its unknowns; it solves
nothing. Protection (:mod:`~edi_analysis.disclosure.protect`) and the attacker
(:mod:`~edi_analysis.disclosure.attack`) each solve it with their own code.

References
----------
.. [1] Lauritzen SL (1996). *Graphical Models*. Oxford University Press, ch. 2 and 4.
.. [2] Dobra A, Fienberg SE (2000). Bounds for cell entries in contingency tables given
   marginal totals and decomposable graphs. *PNAS* 97(22):11885-11892.
.. [3] Hundepool A et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 4.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from edi_analysis.disclosure.model import CellKey, Condition, Population

__all__ = ["System", "build_system"]


@dataclass
class System:
    """The unknowns of one population and how cells are written in them.

    Attributes
    ----------
    population : str
    cliques : list of tuple of str
        Attributes of each clique table.
    blocks : list of dict
        Per clique: attribute -> list of blocks (frozensets of categories).
    offsets : list of int
        Index of each clique's first unknown.
    shapes : list of tuple of int
        Number of blocks of each attribute of each clique.
    separators : scipy.sparse.csr_matrix
        Rows that must equal 0: one clique's margin minus its neighbour's.
    truth : ndarray or None
        True count of every unknown (None when the population has no data).
    size : int
        Number of units in the population.
    """

    population: str
    cliques: list[tuple[str, ...]]
    blocks: list[dict[str, list[frozenset[str]]]]
    offsets: list[int]
    shapes: list[tuple[int, ...]]
    separators: sparse.csr_matrix
    truth: np.ndarray | None
    size: int

    @property
    def n_unknowns(self) -> int:
        """Number of unknowns (cells of all clique tables)."""
        return int(self.offsets[-1] + int(np.prod(self.shapes[-1]))) if self.cliques else 0

    def _fits(self, k: int, condition: Condition) -> bool:
        blocks = self.blocks[k]
        for attr, vals in condition:
            if attr not in blocks:
                return False
            vals = set(vals)
            if any((b & vals) and not b <= vals for b in blocks[attr]):
                return False
        return True

    def clique_for(self, condition: Condition) -> int:
        """Index of the smallest clique whose blocks can write ``condition``."""
        best = None
        for i in range(len(self.cliques)):
            if self._fits(i, condition):
                size = int(np.prod(self.shapes[i]))
                if best is None or size < best[1]:
                    best = (i, size)
        if best is None:
            raise ValueError(f"No clique of {self.population!r} can write "
                             f"{dict(condition)}; the cell was not given when the system "
                             "was built.")
        return best[0]

    def unknowns_of(self, condition: Condition) -> np.ndarray:
        """Indices of the unknowns a cell with this condition adds up."""
        k = self.clique_for(condition)
        allowed = dict(condition)
        masks = []
        for attr in self.cliques[k]:
            blocks = self.blocks[k][attr]
            if attr in allowed:
                vals = set(allowed[attr])
                mask = np.array([b <= vals for b in blocks])
            else:
                mask = np.ones(len(blocks), dtype=bool)
            masks.append(mask)
        if not masks:
            return np.array([self.offsets[k]], dtype=np.int64)
        grid = np.ix_(*[np.flatnonzero(m) for m in masks])
        flat = np.ravel_multi_index(tuple(np.broadcast_arrays(*grid)), self.shapes[k])
        return self.offsets[k] + np.sort(flat.ravel()).astype(np.int64)

    def rows(self, conditions: Sequence[Condition]) -> sparse.csr_matrix:
        """0/1 matrix: one row per condition over the unknowns."""
        indptr = [0]
        indices: list[np.ndarray] = []
        for cond in conditions:
            idx = self.unknowns_of(cond)
            indices.append(idx)
            indptr.append(indptr[-1] + idx.size)
        data = np.ones(indptr[-1])
        ind = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
        return sparse.csr_matrix((data, ind, np.array(indptr)),
                                 shape=(len(conditions), self.n_unknowns))

    def unknown_conditions(self) -> list[Condition]:
        """The condition of every unknown (its clique's blocks), in index order."""
        out: list[Condition] = []
        for k, (clique, shape) in enumerate(zip(self.cliques, self.shapes, strict=True)):
            if not clique:
                out.append(())
                continue
            for combo in itertools.product(*[range(s) for s in shape]):
                out.append(tuple(sorted(
                    (a, tuple(sorted(self.blocks[k][a][j])))
                    for a, j in zip(clique, combo, strict=True))))
        return out


# --------------------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------------------
def _blocks(domain: Sequence[str], sets: Iterable[frozenset[str]]) -> list[frozenset[str]]:
    """Coarsest partition of ``domain`` in which every set is a union of blocks.

    Blocks are in the order of their first category in ``domain`` (deterministic).
    """
    sets = sorted(set(sets), key=lambda x: sorted(x))
    signature: dict[tuple[bool, ...], list[str]] = {}
    for cat in domain:
        sig = tuple(cat in s for s in sets)
        signature.setdefault(sig, []).append(cat)
    return [frozenset(v) for v in signature.values()]


def _triangulate(nodes: list[str], edges: set[frozenset[str]],
                 weight: dict[str, int]) -> list[tuple[str, ...]]:
    """Maximal cliques of a chordal completion (greedy min-fill, then min weight)."""
    adj = {v: set() for v in nodes}
    for e in edges:
        for a, b in itertools.combinations(sorted(e), 2):
            adj[a].add(b)
            adj[b].add(a)
    remaining = set(nodes)
    cliques: list[frozenset[str]] = []
    while remaining:
        def fill(v: str) -> tuple[int, int, str]:
            nb = adj[v] & remaining
            missing = sum(1 for a, b in itertools.combinations(sorted(nb), 2) if b not in adj[a])
            w = int(np.prod([weight[u] for u in nb | {v}]))
            return missing, w, v

        v = min(remaining, key=fill)
        nb = adj[v] & remaining
        for a, b in itertools.combinations(sorted(nb), 2):
            adj[a].add(b)
            adj[b].add(a)
        clique = frozenset(nb | {v})
        if not any(clique <= c for c in cliques):
            cliques = [c for c in cliques if not c <= clique] + [clique]
        remaining.discard(v)
    return [tuple(sorted(c, key=nodes.index)) for c in cliques]


def _spanning_tree(cliques: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Maximum spanning tree of the cliques by separator size (Kruskal)."""
    pairs = sorted(
        ((len(set(a) & set(b)), i, j) for (i, a), (j, b) in
         itertools.combinations(enumerate(cliques), 2)),
        key=lambda t: (-t[0], t[1], t[2]))
    parent = list(range(len(cliques)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tree = []
    for _, i, j in pairs:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[ri] = rj
            tree.append((i, j))
    return tree


def _refines(fine: list[frozenset[str]], coarse: list[frozenset[str]]) -> bool:
    return all(any(f <= c for c in coarse) for f in fine)


def _common(a: list[frozenset[str]], b: list[frozenset[str]]) -> list[frozenset[str]]:
    out = [x & y for x in a for y in b]
    return [x for x in out if x]


def _in_order(parts: list[frozenset[str]], domain: Sequence[str]) -> list[frozenset[str]]:
    first = {c: k for k, c in enumerate(domain)}
    return sorted(parts, key=lambda b: min(first[c] for c in b))


def _separator_blocks(cliques: list[tuple[str, ...]],
                      blocks: list[dict[str, list[frozenset[str]]]],
                      tree: list[tuple[int, int]], nodes: list[str]
                      ) -> list[dict[str, list[frozenset[str]]]]:
    """Blocks of each separator attribute, refining cliques on the way (in place).

    Two cliques that hold an attribute at fine blocks must agree at those blocks even
    when the cliques between them in the tree hold it coarsely: a separator carries the
    finer of what the two sides of the tree need (the coarser of their finest blocks),
    and every clique is refined to carry its separators. Repeated until stable.
    """
    seps: list[dict[str, list[frozenset[str]]]] = [{} for _ in tree]
    for a in nodes:
        holders = {i for i, c in enumerate(cliques) if a in c}
        edges = [(e, i, j) for e, (i, j) in enumerate(tree) if i in holders and j in holders]
        adj: dict[int, list[int]] = {i: [] for i in holders}
        for _, i, j in edges:
            adj[i].append(j)
            adj[j].append(i)
        changed = True
        while changed:
            changed = False
            for e, i, j in edges:
                side = {i}
                stack = [i]
                while stack:  # the component of i once the edge is cut
                    u = stack.pop()
                    for w in adj[u]:
                        if w not in side and not (u == i and w == j):
                            side.add(w)
                            stack.append(w)
                other = holders - side
                fine_i = max((blocks[k][a] for k in side), key=len)
                fine_j = max((blocks[k][a] for k in other), key=len)
                sep = min((fine_i, fine_j), key=len)
                seps[e][a] = sep
                for k in (i, j):
                    if len(blocks[k][a]) < len(sep):
                        blocks[k][a] = sep
                        changed = True
    return seps


def build_system(population: Population, conditions: Iterable[Condition]) -> System:
    """The reader's linear system for a population and the conditions it must express.

    Parameters
    ----------
    population : Population
    conditions : iterable of Condition
        Every cell (and every derived group to check) of this population.

    Returns
    -------
    System

    Raises
    ------
    ValueError
        When the population gives counts (marginals) and a clique is not within one
        marginal: its true counts are unknown.
    """
    conditions = list(dict.fromkeys(conditions))
    used: dict[str, set[frozenset[str]]] = {}
    edges: set[frozenset[str]] = set()
    for cond in conditions:
        attrs = [a for a, _ in cond]
        for a, vals in cond:
            used.setdefault(a, set()).add(frozenset(vals))
        if attrs:
            edges.add(frozenset(attrs))
    nodes = [a for a in population.domains if a in used]
    global_blocks = {a: _blocks(population.domains[a], used[a]) for a in nodes}
    weight = {a: len(global_blocks[a]) for a in nodes}
    if population.units is None:
        # aggregated counts: the cover must stay within the given marginals, so add
        # each marginal's attributes as an edge (the triangulation then fills inside)
        for m in population.marginals:
            attrs = frozenset(c for c in m.columns if c in global_blocks)
            if len(attrs) > 1:
                edges.add(attrs)
    for a in nodes:
        edges.add(frozenset([a]))
    cliques = _triangulate(nodes, edges, weight) if nodes else [()]
    if population.units is None:
        for clique in cliques:
            if clique and not any(set(clique) <= set(m.columns) for m in population.marginals):
                raise ValueError(
                    f"Population {population.name!r} is given as counts, and its tables "
                    f"combine {sorted(clique)}, which no count table gives together.")
    # each condition is written in the smallest clique holding its attributes
    sets: list[dict[str, set[frozenset[str]]]] = [{a: set() for a in c} for c in cliques]
    for cond in conditions:
        attrs = {a for a, _ in cond}
        home = min((i for i, c in enumerate(cliques) if attrs <= set(c)),
                   key=lambda i: (np.prod([weight[a] for a in cliques[i]]), i))
        for a, vals in cond:
            sets[home][a].add(frozenset(vals))
    blocks = [{a: _blocks(population.domains[a], sets[i][a]) for a in c}
              for i, c in enumerate(cliques)]
    # each attribute's blocks across cliques form a chain (coarse to fine)
    for a in nodes:
        holders = [i for i, c in enumerate(cliques) if a in c]
        changed = True
        while changed:
            changed = False
            holders.sort(key=lambda i: (len(blocks[i][a]), i))
            for j in range(1, len(holders)):
                fine, coarse = blocks[holders[j]][a], blocks[holders[j - 1]][a]
                if not _refines(fine, coarse):
                    blocks[holders[j]][a] = _in_order(_common(fine, coarse),
                                                      population.domains[a])
                    changed = True
    tree = _spanning_tree(cliques)
    sep_levels = _separator_blocks(cliques, blocks, tree, nodes)
    shapes = [tuple(len(blocks[i][a]) for a in c) for i, c in enumerate(cliques)]
    offsets = list(np.cumsum([0] + [int(np.prod(sh)) for sh in shapes[:-1]]))
    n = int(offsets[-1] + int(np.prod(shapes[-1])))
    # separators, at the coarser blocks of the two sides
    rows, cols, vals = [], [], []
    r = 0
    for e, (i, j) in enumerate(tree):
        sep = [a for a in cliques[i] if a in cliques[j]]
        sep_blocks = [sep_levels[e][a] for a in sep]
        sep_shape = [len(b) for b in sep_blocks]
        for side, sign in ((i, 1.0), (j, -1.0)):
            clique, shape = cliques[side], shapes[side]
            flat = np.arange(int(np.prod(shape))) if shape else np.array([0])
            if sep:
                grid = np.indices(shape).reshape(len(shape), -1)
                coords = []
                for a, sb in zip(sep, sep_blocks, strict=True):
                    own = blocks[side][a]
                    to_sep = np.array([next(t for t, c in enumerate(sb) if b <= c)
                                       for b in own])
                    coords.append(to_sep[grid[clique.index(a)]])
                sep_idx = np.ravel_multi_index(tuple(coords), sep_shape)
            else:
                sep_idx = np.zeros(flat.size, dtype=int)
            rows.append(r + sep_idx)
            cols.append(offsets[side] + flat)
            vals.append(np.full(flat.size, sign))
        r += int(np.prod(sep_shape)) if sep else 1
    seps = sparse.csr_matrix(
        (np.concatenate(vals) if vals else np.zeros(0),
         (np.concatenate(rows) if rows else np.zeros(0, int),
          np.concatenate(cols) if cols else np.zeros(0, int))),
        shape=(r, n))
    truth = _truth(population, cliques, blocks, shapes, offsets, n)
    return System(population.name, cliques, blocks, offsets, shapes, seps, truth,
                  population.size)


def _truth(population: Population, cliques, blocks, shapes, offsets, n) -> np.ndarray:
    truth = np.zeros(n)
    for k, (clique, shape, off) in enumerate(zip(cliques, shapes, offsets, strict=True)):
        if not clique:
            truth[off] = population.size
            continue
        if population.units is not None:
            frame = population.units[list(clique)]
            counts = pd.Series(1.0, index=frame.index)
        else:
            source = next(m for m in population.marginals if set(clique) <= set(m.columns))
            frame = source[list(clique)]
            counts = source["count"]
        idx = []
        for a in clique:
            index = {c: j for j, b in enumerate(blocks[k][a]) for c in b}
            mapped = frame[a].map(index)
            if mapped.isna().any():
                bad = frame.loc[mapped.isna(), a].iloc[0]
                raise ValueError(f"Population {population.name!r}: {a} = {bad!r} is not in "
                                 "its domain.")
            idx.append(mapped.to_numpy(dtype=np.int64))
        flat = np.ravel_multi_index(tuple(idx), shape)
        truth[off:off + int(np.prod(shape))] = np.bincount(
            flat, weights=counts.to_numpy(dtype=float), minlength=int(np.prod(shape)))
    return truth


def cell_rows(system: System, keys: Sequence[CellKey]) -> sparse.csr_matrix:
    """Rows of ``keys`` (all of ``system``'s population) over its unknowns."""
    return system.rows([k.condition for k in keys])
