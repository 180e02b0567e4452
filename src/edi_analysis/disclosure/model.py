"""The disclosure model: populations, the cells a report publishes, and how they relate.

Every published count is a **cell**: the number of units of a **population** (staff at
a snapshot, births, the respondents to one survey question, shortlisted applicants...)
whose attributes take given values. A cell is identified by its :class:`CellKey`, the
population's name and a :data:`Condition` (attribute -> the categories it may take;
an attribute left out may take any value). Two tables that publish the same people
publish the same cell, whatever they call it: the BME total of WRES indicator 1 and
the BME row of the ethnicity table are one key.

Relations between cells are not listed by hand. They follow from the conditions:
a total is the sum of its rows because its condition is the union of theirs, a pooled
year the sum of the years, full-pay-relevant staff a subset of all staff. The linear
system that a reader can write down is built in :mod:`edi_analysis.disclosure.system`
from the cells alone.

This module holds the vocabulary (:class:`CellKey`, :class:`Population`, :class:`Role`)
and :class:`Release`, the model of one report's publication: its populations, its
tables (which cell each published number is), the roles that set the cost of hiding
each cell, and what earlier releases already published.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from edi_analysis.disclosure.policy import SuppressionPolicy, get_policy

__all__ = [
    "CellKey",
    "Condition",
    "Population",
    "PublishedCell",
    "Release",
    "Role",
    "TableSpec",
    "condition_of",
]

#: attribute -> sorted tuple of the categories it may take (attributes sorted)
Condition = tuple[tuple[str, tuple[str, ...]], ...]


def condition_of(mapping: Mapping[str, object]) -> Condition:
    """Canonical :data:`Condition` of ``{attribute: category or categories}``."""
    items = []
    for attr, values in mapping.items():
        if values is None:
            continue
        if isinstance(values, str) or not isinstance(values, Iterable):
            values = (values,)
        vals = tuple(sorted({str(v) for v in values}))
        items.append((str(attr), vals))
    return tuple(sorted(items))


@dataclass(frozen=True, order=True)
class CellKey:
    """One published count: units of ``population`` meeting ``condition``.

    Attributes
    ----------
    population : str
        Name of the population (e.g. ``"staff 2025-26"``).
    condition : Condition
        Attribute -> categories; attributes not listed are unrestricted.
    """

    population: str
    condition: Condition = ()

    def __str__(self) -> str:
        if not self.condition:
            return f"{self.population}: all"
        parts = []
        for attr, vals in self.condition:
            shown = vals[0] if len(vals) == 1 else "{" + ", ".join(vals) + "}"
            parts.append(f"{attr}={shown}")
        return f"{self.population}: " + "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready form (for manifests and ledgers)."""
        return {"population": self.population,
                "condition": {a: list(v) for a, v in self.condition}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CellKey:
        """Inverse of :meth:`as_json`."""
        return cls(str(data["population"]), condition_of(data.get("condition", {})))


class Role(IntEnum):
    """How much a published cell matters to readers; sets the cost of hiding it.

    The optimiser hides the cheapest cells that protect the sensitive ones, so the
    headline findings a board needs are hidden last.
    """

    DETAIL = 0      #: a small subgroup's figure
    CHART = 1       #: a figure drawn as the main series of a chart
    REFERENCE = 2   #: the reference group of a ratio (White, least deprived quintile)
    TOTAL = 3       #: a total, a cluster or year total, an organisation figure
    HEADLINE = 4    #: the headline comparisons (White/BME, Disabled/Non-disabled, Male/Female)


#: Default cost of hiding a cell of each role (multiplied by ``1 + ln(1 + count) / 10``).
DEFAULT_COSTS: dict[str, float] = {
    "detail": 1.0, "chart": 10.0, "reference": 100.0, "total": 100.0, "headline": 10000.0,
}


# --------------------------------------------------------------------------------------
# populations
# --------------------------------------------------------------------------------------
class Population:
    """Units counted by cells, with the categories each attribute can take.

    Parameters
    ----------
    name : str
        Unique within a release; cells of different releases with the same population
        name and condition are the same figure (so the name carries the period for
        snapshots: ``"staff 2025-26"``).
    units : DataFrame, optional
        One row per unit (person, birth, respondent) with one column per attribute.
    marginals : sequence of DataFrame, optional
        Instead of units, counts: each frame has attribute columns and ``count``.
        Every cell, and every set of attributes the system joins, must lie within one
        marginal's attributes.
    domains : mapping, optional
        Attribute -> every category a reader knows it can take (including those no
        unit has, e.g. a pay band with nobody in it). Default: the categories of a
        categorical column, else the values present.
    policy : str or SuppressionPolicy, optional
        Policy of this population's cells when it differs from the release's (the
        staff survey's groups follow the survey rule).
    not_sensitive : mapping, optional
        Attribute -> categories whose groups are not a published group to protect,
        e.g. survey respondents who skipped a demographic question
        (``SuppressionPolicy.protect_non_respondents``).
    small_shares_disclose : bool, default True
        A count published only through a share (2 of 84 men paid a bonus, as 2.4%) is
        a small count like any other, hidden when small. False for survey results,
        whose percentages follow the NHS Staff Survey's own rule (groups under the
        respondent threshold hidden; results of 1 to 4 people only under
        ``survey_strict``).
    """

    def __init__(
        self,
        name: str,
        units: pd.DataFrame | None = None,
        marginals: Sequence[pd.DataFrame] = (),
        domains: Mapping[str, Sequence[object]] | None = None,
        policy: str | SuppressionPolicy | None = None,
        not_sensitive: Mapping[str, Iterable[object]] | None = None,
        small_shares_disclose: bool = True,
    ):
        if (units is None) == (not marginals):
            raise ValueError(f"Population {name!r}: give units or marginals (one of them).")
        self.name = str(name)
        self.small_shares_disclose = bool(small_shares_disclose)
        self.policy = None if policy is None else get_policy(policy)
        self.not_sensitive = {str(a): {str(v) for v in vals}
                              for a, vals in (not_sensitive or {}).items()}
        self.domains: dict[str, tuple[str, ...]] = {}
        frames = [units] if units is not None else list(marginals)
        for frame in frames:
            for col in frame.columns:
                if col == "count" and units is None:
                    continue
                self._extend(col, _categories(frame[col]))
        for attr, cats in (domains or {}).items():
            self._extend(attr, [str(c) for c in cats])
        if units is not None:
            self.units = units.astype({c: str for c in units.columns}) if len(units) else \
                units.astype(object)
            self.marginals: list[pd.DataFrame] = []
            self.size = len(units)
        else:
            self.units = None
            self.marginals = []
            for m in marginals:
                if "count" not in m.columns:
                    raise ValueError(f"Population {name!r}: a marginal has no 'count' column.")
                frame = m.copy()
                for col in frame.columns:
                    if col != "count":
                        frame[col] = frame[col].astype(str)
                frame["count"] = pd.to_numeric(frame["count"]).astype(float)
                self.marginals.append(frame)
            sizes = {float(m["count"].sum()) for m in self.marginals}
            if len(sizes) > 1:
                raise ValueError(
                    f"Population {name!r}: the marginals add up to different totals "
                    f"{sorted(sizes)}; they must count the same units.")
            self.size = int(next(iter(sizes))) if sizes else 0

    def _extend(self, attr: str, cats: Sequence[str]) -> None:
        cur = list(self.domains.get(attr, ()))
        seen = set(cur)
        cur += [c for c in cats if c not in seen and not seen.add(c)]
        self.domains[attr] = tuple(cur)

    def extend_domain(self, attr: str, cats: Iterable[object]) -> None:
        """Add categories a reader knows an attribute can take."""
        self._extend(attr, [str(c) for c in cats])

    def key(self, **condition: object) -> CellKey:
        """The :class:`CellKey` of the units meeting ``condition``.

        Values are a category or an iterable of categories; an attribute whose
        categories cover its whole domain is dropped (the condition is the same set
        of units). Categories outside the domain are added to it (a reader knows every
        category a table names).

        Raises
        ------
        ValueError
            For an unknown attribute or an empty set of categories.
        """
        norm = {}
        for attr, values in condition.items():
            if attr not in self.domains:
                raise ValueError(f"Population {self.name!r} has no attribute {attr!r}; it has "
                                 f"{sorted(self.domains)}.")
            if values is None:
                continue
            if isinstance(values, str) or not isinstance(values, Iterable):
                values = (values,)
            vals = {str(v) for v in values}
            if not vals:
                raise ValueError(f"Empty set of categories for {attr!r} in {self.name!r}.")
            self._extend(attr, sorted(vals - set(self.domains[attr])))
            if vals >= set(self.domains[attr]):
                continue
            norm[attr] = vals
        return CellKey(self.name, condition_of(norm))

    def is_sensitive(self, condition: Condition) -> bool:
        """False when the condition selects only a non-sensitive category of an attribute."""
        for attr, vals in condition:
            if attr in self.not_sensitive and set(vals) <= self.not_sensitive[attr]:
                return False
        return True


def _categories(col: pd.Series) -> list[str]:
    if isinstance(col.dtype, pd.CategoricalDtype):
        return [str(c) for c in col.cat.categories]
    return sorted({str(v) for v in col.dropna().unique()})


# --------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------
@dataclass
class TableSpec:
    """How one published table maps to cells.

    Attributes
    ----------
    name : str
        File name of the published CSV without ``.csv`` (e.g. ``workforce_headcount``).
    frame : DataFrame
        The table with **exact** counts (never published as is).
    counts : dict
        Count column -> list of :class:`CellKey` (or None where the row shows nothing
        in that column), one per row.
    shares : dict
        Derived column -> (numerator column, denominator column, kind, scale): the
        column shows ``scale * numerator / denominator`` rounded to the policy's
        decimals for ``kind`` ("percent" or "proportion"); hidden when either count
        is. A numerator column may be *virtual*: listed in ``virtual`` and never
        written, e.g. the number of survey respondents answering positively, which
        is published only as a percentage.
    virtual : dict
        Column -> list of CellKey for counts published only through a share.
    roles : dict
        Count column -> list of :class:`Role` per row (default DETAIL).
    symbols : dict
        Count column -> the column that carries its symbol when hidden ("" when shown).
    flag : str or None
        Column set True on a row where any count of ``flag_columns`` is hidden.
    flag_columns : tuple of str
        Counts that set ``flag`` (default: all count columns).
    together : list of tuple of str
        Groups of count/virtual columns whose cells in one row are shown or hidden
        together (a survey group's respondents and result).
    kinds : dict
        Column -> kind of every other numeric column the published table carries
        (``percent``, ``proportion``, ``rate``, ``ratio``, ``p_value``, ``score``,
        ``money``, ``integer``; :meth:`SuppressionPolicy.decimals_for`): it is rounded
        to that many decimals before it is shown, drawn or written.
    """

    name: str
    frame: pd.DataFrame
    counts: dict[str, list[CellKey | None]]
    shares: dict[str, tuple[str, str, str, float]] = field(default_factory=dict)
    virtual: dict[str, list[CellKey | None]] = field(default_factory=dict)
    roles: dict[str, list[Role]] = field(default_factory=dict)
    symbols: dict[str, str] = field(default_factory=dict)
    flag: str | None = "suppressed"
    flag_columns: tuple[str, ...] = ()
    together: list[tuple[str, ...]] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)

    def keys(self) -> Iterable[tuple[str, int, CellKey]]:
        """Every (column, row position, key) of the table, counts and virtual counts."""
        for col, keys in (*self.counts.items(), *self.virtual.items()):
            for i, k in enumerate(keys):
                if k is not None:
                    yield col, i, k


@dataclass(frozen=True)
class PublishedCell:
    """What a release publishes for one cell.

    Attributes
    ----------
    key : CellKey
    true : float
        The exact count (never published).
    hidden : bool
    primary : bool
        Hidden because it is small itself (not to protect another).
    symbol : str
        The symbol in place of the count ("" when shown).
    shown : float or None
        The published number (rounded under a rounding policy), None when hidden.
    reason : str
        Why a hidden cell is hidden, in words.
    """

    key: CellKey
    true: float
    hidden: bool
    primary: bool
    symbol: str
    shown: float | None
    reason: str = ""


# --------------------------------------------------------------------------------------
# the release
# --------------------------------------------------------------------------------------
class Release:
    """The disclosure model of one report: every published cell, protected together.

    Parameters
    ----------
    policy : str or SuppressionPolicy
        The report's count policy (a population may carry its own).
    costs : mapping, optional
        Role name -> cost of hiding a cell of that role (:data:`DEFAULT_COSTS`;
        analysts set ``disclosure: {costs: {...}}`` in the run file).
    previous : iterable of path or Ledger, optional
        Ledgers of earlier releases (:func:`~edi_analysis.disclosure.manifest.read_ledger`):
        what they published is known to a reader and is honoured here.
    label : str
        Name of the release in messages (e.g. the notebook).

    Notes
    -----
    Use: add populations (:meth:`add_population`), declare tables with their exact
    counts and cell keys (:meth:`add_table`), then :meth:`protect` once, then read
    the published tables (:meth:`published_table`) and cells (:meth:`cell`).
    """

    def __init__(
        self,
        policy: str | SuppressionPolicy = "standard",
        costs: Mapping[str, float] | None = None,
        previous: Iterable[Any] = (),
        label: str = "report",
    ):
        self.policy = get_policy(policy)
        self.costs = dict(DEFAULT_COSTS)
        for role, cost in (costs or {}).items():
            if role not in DEFAULT_COSTS:
                raise ValueError(f"Unknown role {role!r} in disclosure costs; roles: "
                                 f"{', '.join(DEFAULT_COSTS)}.")
            if not (isinstance(cost, int | float) and cost > 0 and math.isfinite(cost)):
                raise ValueError(f"Cost of {role!r} must be a positive number, got {cost!r}.")
            self.costs[role] = float(cost)
        self.label = label
        self.populations: dict[str, Population] = {}
        self.tables: dict[str, TableSpec] = {}
        self.roles: dict[CellKey, Role] = {}
        self.forced: set[CellKey] = set()
        self.kept: set[CellKey] = set()
        self.previous: dict[CellKey, dict[str, Any]] = {}
        self.finished: dict[str, pd.DataFrame] = {}
        self.public: dict[str, dict[str, str]] = {}
        self._share_dens: dict[CellKey, int] | None = None
        for item in previous:
            self._load_previous(item)
        self.protection = None  # set by protect()

    # ------------------------------------------------------------------ building
    def add_population(self, population: Population) -> Population:
        """Register a population (its name must be new)."""
        if population.name in self.populations:
            raise ValueError(f"Population {population.name!r} is already in the release.")
        self.populations[population.name] = population
        return population

    def policy_of(self, population: str) -> SuppressionPolicy:
        """The policy of a population's cells."""
        pop = self.populations[population]
        return pop.policy or self.policy

    def add_table(
        self,
        name: str,
        frame: pd.DataFrame,
        counts: Mapping[str, Sequence[CellKey | None]],
        *,
        shares: Mapping[str, tuple[str, str, str, float]] | None = None,
        virtual: Mapping[str, Sequence[CellKey | None]] | None = None,
        roles: Mapping[str, Sequence[Role] | Role] | None = None,
        symbols: Mapping[str, str] | None = None,
        flag: str | None = "suppressed",
        flag_columns: Sequence[str] = (),
        together: Sequence[Sequence[str]] = (),
        kinds: Mapping[str, str] | None = None,
    ) -> TableSpec:
        """Declare a table to publish (see :class:`TableSpec` for the arguments).

        Raises
        ------
        ValueError
            For a duplicate name, a key of an unknown population, a list whose length
            differs from the frame's, or a release already protected.
        """
        if self.protection is not None:
            raise ValueError("The release is already protected: declare every table first.")
        if name in self.tables:
            raise ValueError(f"Table {name!r} is already declared.")
        n = len(frame)
        spec = TableSpec(name, frame.reset_index(drop=True), {}, dict(shares or {}), {}, {},
                         dict(symbols or {}), flag, tuple(flag_columns),
                         [tuple(t) for t in together], dict(kinds or {}))
        for col, (_, _, kind, _) in spec.shares.items():
            spec.kinds.setdefault(col, kind)
        for kind in spec.kinds.values():
            self.policy.decimals_for(kind)  # validates the kind
        for target, source in ((spec.counts, counts), (spec.virtual, virtual or {})):
            for col, keys in source.items():
                keys = list(keys)
                if len(keys) != n:
                    raise ValueError(f"Table {name!r}, column {col!r}: {len(keys)} keys for "
                                     f"{n} rows.")
                for k in keys:
                    if k is not None and k.population not in self.populations:
                        raise ValueError(f"Table {name!r}: cell {k} of an unknown population.")
                target[col] = keys
        for col, r in (roles or {}).items():
            spec.roles[col] = [r] * n if isinstance(r, Role) else list(r)
        for col, i, k in spec.keys():
            role = spec.roles.get(col, [Role.DETAIL] * n)[i]
            self.roles[k] = max(self.roles.get(k, Role.DETAIL), role)
        self.tables[name] = spec
        return spec

    def force_hidden(self, keys: Iterable[CellKey]) -> None:
        """Cells to hide whatever their count (shown with the complementary symbol)."""
        self.forced |= set(keys)

    def keep_shown(self, keys: Iterable[CellKey]) -> None:
        """Cells never hidden to protect others (e.g. figures already public elsewhere);
        a small one is still hidden."""
        self.kept |= set(keys)

    def cells(self) -> list[CellKey]:
        """Every cell published by the release's tables, in first-appearance order."""
        seen: dict[CellKey, None] = {}
        for spec in self.tables.values():
            for _, _, k in spec.keys():
                seen.setdefault(k, None)
        return list(seen)

    def count_cells(self) -> set[CellKey]:
        """Cells published as counts somewhere (the rest are published only as shares)."""
        out = set()
        for spec in self.tables.values():
            for keys in spec.counts.values():
                out.update(k for k in keys if k is not None)
        return out

    def share_links(self) -> list[tuple[CellKey, CellKey, str, float]]:
        """(numerator, denominator, kind, scale) of every published share, per row."""
        out = []
        for spec in self.tables.values():
            cols = {**spec.counts, **spec.virtual}
            for num_col, den_col, kind, scale in spec.shares.values():
                for a, b in zip(cols[num_col], cols[den_col], strict=True):
                    if a is not None and b is not None:
                        out.append((a, b, kind, float(scale)))
        return out

    def linked_groups(self) -> list[tuple[CellKey, ...]]:
        """Groups of cells shown or hidden together."""
        out = []
        for spec in self.tables.values():
            cols = {**spec.counts, **spec.virtual}
            for group in spec.together:
                for row in zip(*(cols[c] for c in group), strict=True):
                    keys = tuple(k for k in row if k is not None)
                    if len(keys) > 1:
                        out.append(keys)
        return out

    def cost(self, key: CellKey, true: float) -> float:
        """Cost of hiding a cell.

        Its role's cost, a little more for larger counts, plus the cost of a detail
        figure for every published share whose denominator it is: hiding a cluster
        total hides the percentages of everyone in the cluster, in every table.
        """
        role = self.roles.get(key, Role.DETAIL)
        if self._share_dens is None:
            self._share_dens = {}
            for _, den, _, _ in self.share_links():
                self._share_dens[den] = self._share_dens.get(den, 0) + 1
        return self.costs[role.name.lower()] * (1.0 + math.log1p(max(true, 0.0)) / 10.0) \
            + self.costs["chart"] * self._share_dens.get(key, 0)

    # ------------------------------------------------------------------ previous releases
    def _load_previous(self, ledger: Any) -> None:
        """Take in an earlier release's ledger (:class:`~.manifest.Ledger`).

        Each cell's statements are intersected into one interval; a share of a
        denominator published exactly gives an interval for its numerator. A cell whose
        interval is one whole number was shown (``"shown": True``).
        """
        if isinstance(ledger, str | Path):
            from edi_analysis.disclosure.manifest import read_ledger

            ledger = read_ledger(ledger)
        name = getattr(ledger, "release", "an earlier release")

        def note(key: CellKey, low: float, high: float, text: str) -> None:
            cur = self.previous.get(key)
            if cur is not None:
                low, high = max(low, cur["low"]), min(high, cur["high"])
                text = cur["text"] if cur["shown"] else text
            shown = math.isclose(low, high) or (cur is not None and cur["shown"])
            self.previous[key] = {"low": low, "high": high, "text": text, "release": name,
                                  "shown": shown}

        for o in ledger.observations:
            shown_number = o.text.strip() != "" and _is_number(o.text)
            note(o.key, o.low, o.high, o.text if shown_number else o.text or "")
            if shown_number:
                self.previous[o.key]["shown"] = True
        for r in ledger.ratios:
            den = self.previous.get(r.denominator)
            if den is None or not math.isclose(den["low"], den["high"]):
                continue
            n = den["low"]
            low = math.ceil(r.low * n - 1e-9)
            high = math.floor(r.high * n + 1e-9)
            note(r.numerator, float(low), float(high), str(low) if low == high else "")

    # ------------------------------------------------------------------ protection
    def protect(self, **options: object):
        """Choose what to hide (primary and secondary suppression) for every cell.

        Returns
        -------
        edi_analysis.disclosure.protect.Protection
            Also kept as ``self.protection``.
        """
        from edi_analysis.disclosure.protect import protect_release

        self.protection = protect_release(self, **options)
        return self.protection

    def _need_protection(self) -> None:
        if self.protection is None:
            raise ValueError("Call protect() first: nothing is published before protection.")

    def cell(self, key: CellKey) -> PublishedCell:
        """The published state of a cell."""
        self._need_protection()
        return self.protection.cells[key]

    def shown(self, key: CellKey | None) -> float:
        """The published number of a cell, NaN when hidden (or when key is None)."""
        if key is None:
            return np.nan
        c = self.cell(key)
        return np.nan if c.hidden else float(c.shown)

    def published_table(self, name: str) -> pd.DataFrame:
        """The table as published: counts rounded or blank, symbols, shares recomputed.

        Shares are computed from the published counts, rounded to the policy's
        decimals, and blank when either count is hidden. Other columns are returned as
        given: compute derived figures from this frame, then pass it to :meth:`finish`.
        """
        self._need_protection()
        spec = self.tables[name]
        out = spec.frame.copy()
        hidden_any = np.zeros(len(out), dtype=bool)
        flag_cols = spec.flag_columns or tuple(spec.counts)
        published: dict[str, np.ndarray] = {}
        for col, keys in (*spec.counts.items(), *spec.virtual.items()):
            vals = np.array([self.shown(k) if k is not None else np.nan for k in keys],
                            dtype=float)
            hid = np.array([k is not None and self.cell(k).hidden for k in keys], dtype=bool)
            published[col] = vals
            if col in spec.counts:
                out[col] = vals
                if col in spec.symbols:
                    out[spec.symbols[col]] = [self.cell(k).symbol if k is not None else ""
                                              for k in keys]
            if col in flag_cols:
                hidden_any |= hid
        cols = {**spec.counts, **spec.virtual}
        for col, (num, den, kind, scale) in spec.shares.items():
            a, b = published[num], published[den]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(b > 0, scale * a / np.where(b > 0, b, 1.0), np.nan)
            ratio = np.round(ratio, self._policy_of_column(spec, num).decimals_for(kind))
            has = np.array([x is not None and y is not None
                            for x, y in zip(cols[num], cols[den], strict=True)])
            if col in out.columns and not has.all():
                original = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float)
                ratio = np.where(has, ratio, original)
            out[col] = ratio
        if spec.flag is not None:
            out[spec.flag] = hidden_any
        return out

    def _policy_of_column(self, spec: TableSpec, col: str) -> SuppressionPolicy:
        keys = spec.counts.get(col) or spec.virtual.get(col) or []
        first = next((k for k in keys if k is not None), None)
        return self.policy if first is None else self.policy_of(first.population)

    def finish(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Round a published table's derived columns and keep it for writing.

        Parameters
        ----------
        name : str
            A declared table.
        frame : DataFrame
            :meth:`published_table` with any derived columns added (same rows, same
            order).

        Returns
        -------
        DataFrame
            The frame with every column of :attr:`TableSpec.kinds` rounded to its
            published decimals. This is what the report shows, charts draw and the
            CSV holds.

        Raises
        ------
        ValueError
            When the rows differ from the declared table's, or a float column is
            neither a count nor of a declared kind (it would be written unrounded).
        """
        self._need_protection()
        spec = self.tables[name]
        if len(frame) != len(spec.frame):
            raise ValueError(f"Table {name!r}: {len(frame)} rows published, {len(spec.frame)} "
                             "declared; the rows must stay as declared.")
        out = frame.reset_index(drop=True).copy()
        pol = self.policy
        for col, kind in spec.kinds.items():
            if col in out.columns:
                pol_col = pol if col not in spec.shares else \
                    self._policy_of_column(spec, spec.shares[col][0])
                out[col] = np.round(pd.to_numeric(out[col], errors="coerce").astype(float),
                                    pol_col.decimals_for(kind))
        _check_rounded(name, out, set(spec.counts) | set(spec.kinds))
        self.finished[name] = out
        return out

    def add_public_table(self, name: str, frame: pd.DataFrame,
                         kinds: Mapping[str, str]) -> pd.DataFrame:
        """A table of public figures only (Census, published peers), rounded and kept.

        Its numbers are not the organisation's records, so it holds no cells; the audit
        checks it is declared here and rounded.
        """
        if name in self.tables or name in self.public:
            raise ValueError(f"Table {name!r} is already declared.")
        out = frame.reset_index(drop=True).copy()
        for col, kind in kinds.items():
            out[col] = np.round(pd.to_numeric(out[col], errors="coerce").astype(float),
                                self.policy.decimals_for(kind))
        _check_rounded(name, out, set(kinds))
        self.public[name] = dict(kinds)
        self.finished[name] = out
        return out


def _is_number(text: str) -> bool:
    try:
        float(str(text).replace(",", ""))
    except ValueError:
        return False
    return True


def _check_rounded(name: str, frame: pd.DataFrame, declared: set[str]) -> None:
    for col in frame.columns:
        if col in declared or not pd.api.types.is_float_dtype(frame[col]):
            continue
        vals = frame[col].dropna().to_numpy(dtype=float)
        if vals.size and not np.all(vals == np.round(vals)):
            raise ValueError(
                f"Table {name!r}, column {col!r}: numbers with decimals but no declared kind; "
                "declare its kind (percent, proportion, rate, ratio, ...) so it is published "
                "rounded.")


