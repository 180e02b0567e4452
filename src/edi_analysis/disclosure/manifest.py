"""What a release publishes, written down for the audit and for the next release.

Two records leave a notebook's :class:`~edi_analysis.disclosure.model.Release`:

* the **published tables** (CSV, in the run's ``tables/`` folder), rounded and
  protected, and
* a private **manifest** (``<disclosure_dir>/<release>.json.gz``, kept in the build
  folder, never published): for every published CSV, which cell each count column and
  share column holds, row by row; the populations' categories; the true counts of
  the model's clique tables (aggregates, for the audit's judgement of what is small);
  and the derived small groups to check.

After a report is published the pipeline writes its **ledger** beside it
(``release-ledger.json``): every statement the report made about a cell, as the
published text and the interval a reader takes from it. A ledger holds only what was
published. The next period's build reads it, so protection honours it and the audit
attacks the two releases together.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from edi_analysis.disclosure.attack import Observation, Ratio
from edi_analysis.disclosure.model import CellKey, Condition, Population, Release, condition_of
from edi_analysis.disclosure.policy import SuppressionPolicy, get_policy
from edi_analysis.outputs import write_published_csv

__all__ = [
    "LEDGER_NAME",
    "Ledger",
    "Manifest",
    "TableMap",
    "read_ledger",
    "read_manifest",
    "read_published",
    "write_ledger",
    "write_release",
]

#: File name of a published report's ledger (beside report.html).
LEDGER_NAME = "release-ledger.json"
_FORMAT = 1


# --------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------
def _policy_json(policy: SuppressionPolicy) -> dict[str, Any]:
    return dataclasses.asdict(policy)


def write_release(release: Release, tables_dir: str | Path,
                  disclosure_dir: str | Path | None = None) -> list[Path]:
    """Write a protected release's tables (CSV) and, when asked, its manifest.

    Parameters
    ----------
    release : Release
        Protected, with every declared table finished
        (:meth:`~edi_analysis.disclosure.model.Release.finish`).
    tables_dir : str or Path
        Folder of the published CSV files (created).
    disclosure_dir : str or Path, optional
        Private folder of the manifest (the build folder's ``disclosure/``); None
        writes no manifest (interactive use).

    Returns
    -------
    list of Path
        The CSV files written (and the manifest last, when written).

    Raises
    ------
    ValueError
        When a declared table has not been finished.
    """
    missing = [n for n in release.tables if n not in release.finished]
    if missing:
        raise ValueError(f"Tables declared but not finished (release.finish): {missing}.")
    folder = Path(tables_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in release.finished.items():
        path = folder / f"{name}.csv"
        write_published_csv(frame, path)
        written.append(path)
    if disclosure_dir is not None:
        out = Path(disclosure_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{release.label}.json.gz"
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(manifest(release), fh)
        written.append(path)
    return written


def manifest(release: Release) -> dict[str, Any]:
    """The manifest of a protected release, JSON-ready (see the module notes)."""
    prot = release.protection
    if prot is None:
        raise ValueError("The release is not protected yet.")
    keys = release.cells()
    index = {k: i for i, k in enumerate(keys)}
    pops = []
    for name, pop in release.populations.items():
        system = prot.systems.get(name)
        marginals = []
        if system is not None:
            for k, (clique, shape, off) in enumerate(zip(system.cliques, system.shapes,
                                                         system.offsets, strict=True)):
                size = int(np.prod(shape)) if shape else 1
                counts = system.truth[off:off + size]
                rows = []
                for flat in np.flatnonzero(counts):
                    combo = np.unravel_index(flat, shape) if shape else ()
                    rep = [sorted(system.blocks[k][a][j])[0] for a, j in zip(clique, combo,
                                                                              strict=True)]
                    rows.append([*rep, float(counts[flat])])
                marginals.append({"attributes": list(clique), "rows": rows})
        pops.append({
            "name": name,
            "policy": _policy_json(release.policy_of(name)),
            "domains": {a: list(v) for a, v in pop.domains.items()},
            "not_sensitive": {a: sorted(v) for a, v in pop.not_sensitive.items()},
            "small_shares_disclose": pop.small_shares_disclose,
            "size": pop.size,
            "marginals": marginals,
            "groups": [{"condition": {a: list(v) for a, v in cond}, "true": true}
                       for cond, true in prot.groups.get(name, [])],
        })
    tables = []
    for name, spec in release.tables.items():
        tables.append({
            "name": name,
            "counts": {c: [None if k is None else index[k] for k in ks]
                       for c, ks in spec.counts.items()},
            "virtual": {c: [None if k is None else index[k] for k in ks]
                        for c, ks in spec.virtual.items()},
            "shares": {c: list(v) for c, v in spec.shares.items()},
            "symbols": dict(spec.symbols),
            "kinds": dict(spec.kinds),
            "together": [list(t) for t in spec.together],
            "rows": len(spec.frame),
        })
    return {
        "format": _FORMAT,
        "release": release.label,
        "policy": _policy_json(release.policy),
        "keys": [k.as_json() for k in keys],
        "true": [prot.cells[k].true for k in keys],
        "populations": pops,
        "tables": tables,
        "public": {n: k for n, k in release.public.items()},
        "summary": prot.tables.to_dict("records"),
        "withheld": prot.withheld.to_dict("records"),
        "notes": list(prot.notes),
        "seconds": prot.seconds,
    }


# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------
@dataclass
class TableMap:
    """One published table as the manifest describes it."""

    name: str
    counts: dict[str, list[int | None]]
    virtual: dict[str, list[int | None]]
    shares: dict[str, tuple[str, str, str, float]]
    symbols: dict[str, str]
    kinds: dict[str, str]
    together: list[tuple[str, ...]]
    rows: int


@dataclass
class Manifest:
    """A release's manifest, read back (:func:`read_manifest`)."""

    release: str
    policy: SuppressionPolicy
    keys: list[CellKey]
    true: list[float]
    populations: dict[str, Population]
    policies: dict[str, SuppressionPolicy]
    groups: dict[str, list[tuple[Condition, float]]]
    tables: dict[str, TableMap]
    public: dict[str, dict[str, str]] = field(default_factory=dict)
    summary: pd.DataFrame | None = None
    withheld: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def truth(self) -> dict[CellKey, float]:
        """True value of every published cell."""
        return dict(zip(self.keys, self.true, strict=True))


def _policy_from(data: Mapping[str, Any]) -> SuppressionPolicy:
    fields = dict(data)
    name = fields.pop("name")
    base = get_policy(name) if name in ("standard", "nhs_digital", "under_5_percent",
                                        "staff_survey", "national_survey") else None
    if base is None:
        return SuppressionPolicy(name=name, **fields)
    return dataclasses.replace(base, **fields)


def read_manifest(path: str | Path) -> Manifest:
    """Read a manifest written by :func:`write_release`."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    if data.get("format") != _FORMAT:
        raise ValueError(f"{path}: manifest format {data.get('format')!r}, expected {_FORMAT}.")
    pops: dict[str, Population] = {}
    policies: dict[str, SuppressionPolicy] = {}
    groups: dict[str, list[tuple[Condition, float]]] = {}
    for p in data["populations"]:
        marginals = []
        for m in p["marginals"]:
            cols = [*m["attributes"], "count"]
            frame = pd.DataFrame(m["rows"], columns=cols) if m["rows"] else \
                pd.DataFrame({c: pd.Series(dtype=object if c != "count" else float)
                              for c in cols})
            marginals.append(frame)
        if not marginals or all(not m["attributes"] for m in p["marginals"]):
            marginals = [pd.DataFrame({"count": [float(p["size"])]})]
        pops[p["name"]] = Population(p["name"], marginals=marginals, domains=p["domains"],
                                     not_sensitive=p["not_sensitive"],
                                     small_shares_disclose=p.get("small_shares_disclose",
                                                                 True))
        policies[p["name"]] = _policy_from(p["policy"])
        groups[p["name"]] = [(condition_of(g["condition"]), float(g["true"]))
                             for g in p["groups"]]
    tables = {t["name"]: TableMap(t["name"], t["counts"], t["virtual"],
                                  {c: tuple(v) for c, v in t["shares"].items()},
                                  t["symbols"], t["kinds"], [tuple(x) for x in t["together"]],
                                  t["rows"])
              for t in data["tables"]}
    return Manifest(data["release"], _policy_from(data["policy"]),
                    [CellKey.from_json(k) for k in data["keys"]], list(data["true"]), pops,
                    policies, groups, tables, data.get("public", {}),
                    pd.DataFrame(data.get("summary", [])), pd.DataFrame(data.get("withheld", [])),
                    list(data.get("notes", [])), float(data.get("seconds", 0.0)))


# --------------------------------------------------------------------------------------
# the published text, read as a reader reads it
# --------------------------------------------------------------------------------------
@dataclass
class Published:
    """What a set of published CSV files says, cell by cell."""

    observations: list[Observation]
    ratios: list[Ratio]
    problems: list[tuple[str, str, str, str]]  # (file, location, what, value)


def _read_csv_text(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _number(text: str) -> float | None:
    t = text.strip().replace(",", "")
    if not t:
        return None
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _decimals(text: str) -> int:
    t = text.strip()
    if "e" in t.lower():
        return 99
    return len(t.split(".")[1].rstrip("0")) if "." in t else 0


def read_published(man: Manifest, tables_dir: str | Path) -> Published:
    """Read a release's published CSV files as a reader would (see :class:`Published`).

    Each count cell gives an :class:`~edi_analysis.disclosure.attack.Observation`: a
    shown number is exact, or the rounding interval under a rounding policy; an empty
    cell gives the interval its symbol states under the printed rules (or nothing but
    non-negativity when no symbol says why it is empty). Each shown share gives a
    :class:`~edi_analysis.disclosure.attack.Ratio`: the numerator over the
    denominator lies within half a unit of the last published decimal.

    Problems found on the way (a table missing, rows that differ from the manifest,
    a number with more decimals than its kind allows, a shown count that differs
    from the records, a symbol that states a false interval) are returned for the
    audit to report.
    """
    folder = Path(tables_dir)
    truth = man.truth()
    obs: list[Observation] = []
    ratios: list[Ratio] = []
    problems: list[tuple[str, str, str, str]] = []
    for name, tm in man.tables.items():
        path = folder / f"{name}.csv"
        rel = f"tables/{name}.csv"
        if not path.exists():
            problems.append((rel, "", "a table declared to the disclosure model was not "
                             "written", name))
            continue
        header, rows = _read_csv_text(path)
        if len(rows) != tm.rows:
            problems.append((rel, "", f"{len(rows)} rows published, {tm.rows} declared to the "
                             "disclosure model", str(len(rows))))
            continue
        col = {c: j for j, c in enumerate(header)}
        values: dict[str, list[str]] = {c: [r[j] if j < len(r) else "" for r in rows]
                                        for c, j in col.items()}
        for c, kind in tm.kinds.items():
            if c not in values:
                continue
            pol = man.policy
            allowed = pol.decimals_for(kind)
            for i, t in enumerate(values[c], start=1):
                if _number(t) is not None and _decimals(t) > allowed:
                    problems.append((rel, f"column {c!r}, row {i}", f"more decimals than the "
                                     f"report shows ({allowed} for a {kind})", t))
                    break
        declared = set(tm.counts) | set(tm.kinds) | set(tm.symbols.values())
        for c in header:
            if c in declared:
                continue
            for i, t in enumerate(values[c], start=1):
                n = _number(t)
                if n is not None and _decimals(t) > 0:
                    problems.append((rel, f"column {c!r}, row {i}", "a number with decimals in "
                                     "a column declared to the disclosure model neither as a "
                                     "count nor with a kind", t))
                    break
        for c, idx in tm.counts.items():
            if c not in values:
                problems.append((rel, f"column {c!r}", "a count column declared to the model "
                                 "is missing", c))
                continue
            sym_col = tm.symbols.get(c)
            for i, k in enumerate(idx):
                if k is None:
                    continue
                key = man.keys[k]
                pol = man.policies[key.population]
                size = float(man.populations[key.population].size)
                text = values[c][i]
                where = f"{rel} row {i + 1}, column {c!r}"
                n = _number(text)
                if n is not None:
                    lo, hi = pol.shown_interval(n) if pol.rounding_base else (n, n)
                    true = truth[key]
                    if not lo - 1e-9 <= true <= hi + 1e-9:
                        problems.append((rel, f"row {i + 1}, column {c!r}", "the published "
                                         f"count differs from the records ({true:g})", text))
                    obs.append(Observation(key, lo, hi, text, where))
                    continue
                symbol = values[sym_col][i].strip() if sym_col in values else ""
                if symbol:
                    try:
                        lo, hi = pol.symbol_interval(symbol, size)
                    except ValueError:
                        problems.append((rel, f"row {i + 1}, column {sym_col!r}", "an unknown "
                                         "symbol", symbol))
                        lo, hi = 0.0, size
                    true = truth[key]
                    if not lo <= true <= hi:
                        problems.append((rel, f"row {i + 1}, column {c!r}", f"the symbol "
                                         f"{symbol!r} states a false interval for a count of "
                                         f"{true:g}", symbol))
                        lo, hi = min(lo, true), max(hi, true)
                    obs.append(Observation(key, lo, hi, symbol, where))
                else:
                    obs.append(Observation(key, 0.0, size, "", where))
        cols = {**tm.counts, **tm.virtual}
        for c, (num, den, kind, scale) in tm.shares.items():
            if c not in values or num not in cols or den not in cols:
                continue
            for i, (a, b) in enumerate(zip(cols[num], cols[den], strict=True)):
                if a is None or b is None:
                    continue
                p = _number(values[c][i])
                if p is None:
                    continue
                key_a, key_b = man.keys[a], man.keys[b]
                pol_a = man.policies[key_a.population]
                d = pol_a.decimals_for(kind)
                h = 0.5 * 10 ** (-d)
                low, high = max(p - h, 0.0) / scale, (p + h) / scale
                # a share of rounded counts bounds the rounded ratio (see Ratio)
                half = 0.5 * pol_a.rounding_base if pol_a.rounding_base else 0.0
                ratios.append(Ratio(key_a, key_b, low, high, values[c][i],
                                    f"{rel} row {i + 1}, column {c!r}",
                                    half * (1.0 + high)))
    return Published(obs, ratios, problems)


# --------------------------------------------------------------------------------------
# ledgers
# --------------------------------------------------------------------------------------
@dataclass
class Ledger:
    """What an earlier release published (its observations and shares)."""

    release: str
    observations: list[Observation]
    ratios: list[Ratio]


def write_ledger(path: str | Path, release: str,
                 published: Iterable[Published]) -> Path:
    """Write the ledger of a published report (only published information)."""
    obs, rats = [], []
    for pub in published:
        for o in pub.observations:
            obs.append({"key": o.key.as_json(), "low": o.low, "high": o.high,
                        "text": o.text, "source": o.source})
        for r in pub.ratios:
            rats.append({"numerator": r.numerator.as_json(),
                         "denominator": r.denominator.as_json(), "low": r.low,
                         "high": r.high, "text": r.text, "source": r.source,
                         "slack": r.slack})
    path = Path(path)
    path.write_text(json.dumps({"format": _FORMAT, "release": release, "observations": obs,
                                "ratios": rats}, indent=None, sort_keys=True), "utf-8")
    return path


def read_ledger(path: str | Path) -> Ledger:
    """Read a ledger written by :func:`write_ledger`."""
    data = json.loads(Path(path).read_text("utf-8"))
    release = str(data.get("release", Path(path).parent.name))
    obs = [Observation(CellKey.from_json(o["key"]), float(o["low"]), float(o["high"]),
                       str(o["text"]), f"{release}: {o['source']}")
           for o in data.get("observations", [])]
    rats = [Ratio(CellKey.from_json(r["numerator"]), CellKey.from_json(r["denominator"]),
                  float(r["low"]), float(r["high"]), str(r["text"]),
                  f"{release}: {r['source']}", float(r.get("slack", 0.0)))
            for r in data.get("ratios", [])]
    return Ledger(release, obs, rats)
