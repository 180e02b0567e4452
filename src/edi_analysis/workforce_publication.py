"""The workforce chapter's publication: every table declared to one disclosure model.

The chapter publishes the same staff many times: the headcount of every characteristic
by pay band cluster, the representation and detailed ethnicity tables, declaration
rates (with the previous snapshot), progression and the likelihood of being in Band 8a
or above, the age and sex table, WRES indicator 1 and WDES metric 1 by pay band and
staff type, the other WRES and WDES indicators, and the gender pay gap counts. Each
published count is declared here as a cell of a population (staff at the snapshot,
staff at the previous snapshot, shortlisted applicants, disciplinary and capability
cases, board members) with the condition on the staff attributes it counts; the
disclosure model (:mod:`edi_analysis.disclosure`) then protects all of them together,
and every share, interval, ratio and assessment is computed from the published counts.

Staff attributes (:func:`staff_units`): ``ethnic_category`` (NHS code, "Not stated"
for Z, 99 and blanks), ``post`` (pay band and staff type, "Band 5|Clinical"),
``age_band``, ``sex``, ``disability``, ``religion_belief``, ``sexual_orientation``,
``marital_status``, ``contract_status``, ``bonus`` and ``training`` when the data
has them. A pay band cluster is a set of posts, BME a set of codes, so the reader's
relations between tables (a cluster is the sum of its bands, full-pay-relevant staff a
part of all staff) follow from the conditions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from edi_analysis import census, gender_pay_gap, schemas, stats, wdes, workforce, wres
from edi_analysis.disclosure import CellKey, Population, Release, Role, SuppressionPolicy
from edi_analysis.disclosure.merging import (
    merge_sparse_rows,
    singleton_split,
    small_total,
    sparse_row,
)
from edi_analysis.workforce import (
    CHARACTERISTICS,
    NON_RESPONSE_CATEGORIES,
    NOT_STATED,
    SECTION_CHARACTERISTICS,
    SENIOR_BANDS,
    TOTAL,
    PublishedProfile,
    WorkforceSection,
)

__all__ = [
    "STAFF_ATTRIBUTES",
    "WorkforceChapter",
    "build_chapter",
    "staff_population",
    "staff_units",
]

#: Attributes of a staff member that published cells condition on.
STAFF_ATTRIBUTES = ("ethnic_category", "post", "age_band", "sex", "disability",
                    "religion_belief", "sexual_orientation", "marital_status",
                    "contract_status", "bonus", "training")
_TYPES = ("Non-clinical", "Clinical", "Medical and dental")
_PAID, _NOT_PAID = "Paid a bonus", "No bonus"
_ACCESSED, _NOT_ACCESSED = "Accessed", "Not accessed"
_HEADLINE = {"ethnic_group": ("White",), "bme": ("White", "BME"), "disability": ("No", "Yes"),
             "sex": ("Male", "Female")}
_RESULT_KINDS = {"value_a": "proportion", "value_b": "proportion", "value": "ratio",
                 "lower": "ratio", "upper": "ratio"}


# --------------------------------------------------------------------------------------
# the staff population
# --------------------------------------------------------------------------------------
def _codes(values: pd.Series) -> pd.Series:
    known = {str(c) for c in census.ETHNIC_CATEGORIES["code"]} - {
        schemas.ETHNIC_NOT_STATED, schemas.ETHNIC_NOT_KNOWN}
    key = values.astype("string").str.strip().str.upper()
    return key.map(lambda c: c if isinstance(c, str) and c in known else NOT_STATED
                   ).astype(object)


def _post(staff: pd.DataFrame) -> pd.Series:
    return staff["pay_band"].astype(str) + "|" + wres.workforce_type(staff).astype(str)


def _post_domain() -> list[str]:
    out = []
    for band in schemas.PAY_BANDS:
        types = ("Medical and dental",) if band in schemas.MEDICAL_BANDS else _TYPES
        out += [f"{band}|{t}" for t in types]
    return out


def staff_units(staff: pd.DataFrame, training: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per employee with the attributes published cells condition on.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records.
    training : pandas.DataFrame, optional
        The training input (``employee_id``, ``accessed``); joined by employee when
        every row matches an employee of ``staff``.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`STAFF_ATTRIBUTES` that the records support, as text.
    """
    out = pd.DataFrame(index=staff.index)
    out["ethnic_category"] = _codes(staff["ethnic_category"])
    out["post"] = _post(staff)
    for key in ("age_band", "sex", "disability", "religion_belief", "sexual_orientation",
                "marital_status", "contract_status"):
        spec = CHARACTERISTICS[key]
        if spec.column in staff.columns or (key == "age_band" and "age" in staff.columns):
            out[key] = workforce.characteristic_values(staff, key).astype(str)
    if "bonus_pay" in staff.columns:
        out["bonus"] = np.where(staff["bonus_pay"].fillna(0).astype(float) > 0, _PAID,
                                _NOT_PAID)
    if _joinable(staff, training):
        accessed = training.set_index("employee_id")["accessed"].astype(bool)
        got = staff["employee_id"].map(accessed)
        out["training"] = np.where(got.fillna(False).astype(bool), _ACCESSED, _NOT_ACCESSED)
    return out


def _joinable(staff: pd.DataFrame, training: pd.DataFrame | None) -> bool:
    return (training is not None and "employee_id" in training.columns
            and "employee_id" in staff.columns and training["employee_id"].is_unique
            and training["employee_id"].isin(staff["employee_id"]).all())


def staff_population(name: str, staff: pd.DataFrame,
                     training: pd.DataFrame | None = None) -> Population:
    """The staff at one snapshot as a :class:`~edi_analysis.disclosure.Population`.

    Every category a reader knows an attribute can take is in its domain (all pay bands
    and staff types, all ethnic codes, all age bands...), whether or not anyone has it.
    """
    units = staff_units(staff, training)
    domains: dict[str, list[str]] = {
        "ethnic_category": [c for c in census.ETHNIC_CATEGORIES["code"].astype(str)
                            if c not in (schemas.ETHNIC_NOT_STATED, schemas.ETHNIC_NOT_KNOWN)]
        + [NOT_STATED],
        "post": _post_domain(),
    }
    for key in ("age_band", "sex", "disability", "religion_belief", "sexual_orientation",
                "marital_status", "contract_status"):
        if key in units.columns:
            domains[key] = [str(c) for c in workforce.characteristic_values(
                staff, key).cat.categories]
    if "bonus" in units.columns:
        domains["bonus"] = [_PAID, _NOT_PAID]
    if "training" in units.columns:
        domains["training"] = [_ACCESSED, _NOT_ACCESSED]
    return Population(name, units, domains=domains)


class _Staff:
    """Conditions of the workforce tables' cells on one staff population."""

    def __init__(self, pop: Population, clusters: Mapping[str, Sequence[str]]):
        self.pop = pop
        self.clusters = {k: list(v) for k, v in clusters.items()}
        lookup = census.ETHNIC_CATEGORIES.assign(code=census.ETHNIC_CATEGORIES["code"]
                                                 .astype(str)).set_index("code")
        self.eth = lookup[lookup["bme"].notna()]
        #: (characteristic, combined label) -> member labels (sparse categories merged)
        self.merged: dict[tuple[str, str], list[str]] = {}

    def posts(self, bands: Sequence[str] | None = None,
              types: Sequence[str] | None = None) -> list[str] | None:
        """Posts of the given bands and staff types (None: all)."""
        if bands is None and types is None:
            return None
        return [p for p in self.pop.domains["post"]
                if (bands is None or p.split("|")[0] in bands)
                and (types is None or p.split("|")[1] in types)]

    def cluster(self, label: str, wdes_clusters: bool = False) -> list[str] | None:
        if label == TOTAL:
            return None
        mapping = workforce.BAND_CLUSTER_PRESETS["wdes"] if wdes_clusters else self.clusters
        return self.posts(mapping[label])

    def values(self, characteristic: str, label: str) -> tuple[str, list[str]]:
        """The attribute and its categories of a characteristic's category label."""
        spec = CHARACTERISTICS[characteristic]
        if (characteristic, label) in self.merged:
            parts = [self.values(characteristic, m) for m in
                     self.merged[(characteristic, label)]]
            return parts[0][0], [v for _, vals in parts for v in vals]
        if spec.column == "ethnic_category":
            if label == NOT_STATED:
                return "ethnic_category", [NOT_STATED]
            if characteristic == "bme":
                flag = label == "BME"
                return "ethnic_category", [c for c, b in self.eth["bme"].items()
                                           if bool(b) == flag]
            column = "group_5" if characteristic == "ethnic_group" else "census_19"
            codes = [c for c, g in self.eth[column].items() if g == label]
            if not codes:
                raise ValueError(f"No NHS ethnic code is in {characteristic} {label!r}.")
            return "ethnic_category", codes
        return characteristic, [label]

    def key(self, **condition: object) -> CellKey:
        return self.pop.key(**{k: v for k, v in condition.items() if v is not None})

    def group(self, characteristic: str, label: str | None, posts: list[str] | None = None,
              **extra: object) -> CellKey:
        cond: dict[str, object] = dict(extra)
        if label is not None and label != TOTAL:
            attr, vals = self.values(characteristic, label)
            cond[attr] = vals
        if posts is not None:
            cond["post"] = posts
        return self.key(**cond)


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _role(characteristic: str, category: str, cluster: str, chart: bool = False) -> Role:
    if category == TOTAL or cluster == TOTAL:
        if category in _HEADLINE.get(characteristic, ()):
            return Role.HEADLINE
        return Role.TOTAL
    if category in _HEADLINE.get(characteristic, ()) or chart:
        return Role.CHART
    return Role.DETAIL


def _symbols_of(release: Release, keys: Sequence[CellKey | None]) -> list[str]:
    return [release.cell(k).symbol if k is not None else "" for k in keys]


def _hidden(release: Release, key: CellKey | None) -> bool:
    return key is not None and release.cell(key).hidden


# --------------------------------------------------------------------------------------
# headcount, representation, declaration
# --------------------------------------------------------------------------------------
#: Label of the combined non-response categories in the headcount tables.
NOT_DECLARED = "Not declared (any non-response)"
#: Characteristics whose categories with few staff in all are shown combined.
_MERGEABLE = {"religion_belief": False, "sexual_orientation": False, "marital_status": False,
              "age_band": True}


def _headcount_frame(staff: pd.DataFrame, key: str, s: _Staff,
                     policy: object) -> pd.DataFrame:
    """Headcount by category x cluster (long, with totals), sparse categories combined.

    Categories with 1 to ``max_suppressed`` staff in all (religions, sexual orientations
    and marital statuses held by a handful of people; the youngest or oldest age bands)
    would each be a row of small counts whose symbols alone can give them away; they
    are shown as one combined row (:func:`edi_analysis.disclosure.merging.merge_sparse_rows`),
    never the not-stated categories.
    """
    spec = CHARACTERISTICS[key]
    cats = workforce.characteristic_values(staff, key)
    clus = workforce.assign_clusters(staff, s.clusters)
    counts = pd.crosstab(cats, clus, dropna=False).reindex(
        index=cats.cat.categories, columns=clus.cat.categories, fill_value=0)
    counts.index = counts.index.astype(str)
    counts.columns = counts.columns.astype(str)
    # the ways of not answering are one group here (as in the declaration rates): apart,
    # a reader can pin a few "prefer not to say" from the declaration and likelihood tables
    ns = [c for c in counts.index if c in spec.not_stated]
    if len(ns) > 1:
        s.merged[(key, NOT_DECLARED)] = ns
        row = counts.loc[ns].sum()
        counts = pd.concat([counts.drop(index=ns), row.to_frame(NOT_DECLARED).T])
    keep = [NOT_DECLARED, *spec.not_stated]
    if key in _MERGEABLE:
        parts = {r: [counts.loc[r].tolist()] for r in counts.index}
        if key == "age_band" and "sex" in staff.columns:
            # the age bands are split by sex too (the pyramid): a band is sparse if either
            # split gives it away
            by_sex = pd.crosstab(cats.astype(str), staff["sex"].astype(str))
            width = by_sex.shape[1]
            for r in parts:
                parts[r].append(by_sex.loc[r].tolist() if r in by_sex.index else [0] * width)
        merges = merge_sparse_rows(parts, policy, keep=keep, ordered=_MERGEABLE[key])
        for label, members in merges.items():
            if key == "age_band":
                first, last = members[0], members[-1]
                label = (f"{first.split('-')[0]}+" if last.endswith("+") else
                         f"{first.split('-')[0]}-{last.split('-')[-1]}")
            s.merged[(key, label)] = members
            row = counts.loc[members].sum()
            at = list(counts.index).index(members[0])
            counts = counts.drop(index=members)
            counts = pd.concat([counts.iloc[:at], row.to_frame(label).T, counts.iloc[at:]])
    counts[TOTAL] = counts.sum(axis=1)
    counts.loc[TOTAL] = counts.sum(axis=0)
    out = counts.rename_axis(index="category", columns="cluster").stack().rename(
        "count").reset_index()
    totals = counts.loc[TOTAL]
    out["cluster_total"] = out["cluster"].map(totals).astype(float)
    out["count"] = out["count"].astype(float)
    out["share"] = np.nan
    out.insert(0, "characteristic", key)
    return out


def _declare_headcount(release: Release, s: _Staff, staff: pd.DataFrame,
                       characteristics: Sequence[str]) -> pd.DataFrame:
    frames = [_headcount_frame(staff, k, s, release.policy) for k in characteristics]
    frame = pd.concat(frames, ignore_index=True)
    counts, totals, roles = [], [], []
    for ch, cat, clu in zip(frame["characteristic"], frame["category"], frame["cluster"],
                            strict=True):
        posts = s.cluster(clu)
        counts.append(s.group(ch, cat, posts))
        totals.append(s.group(ch, None, posts))
        roles.append(_role(ch, cat, clu, chart=True))
    frame["symbol"] = ""
    release.add_table("workforce_headcount", frame[["characteristic", "category", "cluster",
                                                    "count", "cluster_total", "share",
                                                    "symbol"]],
                      counts={"count": counts, "cluster_total": totals},
                      shares={"share": ("count", "cluster_total", "proportion", 1.0)},
                      roles={"count": roles, "cluster_total": [Role.TOTAL] * len(frame)},
                      symbols={"count": "symbol"}, flag_columns=("count",))
    return frame


def _census_groups(s: _Staff, key: str) -> dict[str, list[str]]:
    """Census category -> the attribute values (over the whole domain) it holds."""
    spec = CHARACTERISTICS[key]
    mapping = census.esr_to_census_category(spec.census)
    if spec.column == "ethnic_category":
        attr = "ethnic_category"
        domain = s.pop.domains[attr]
        out: dict[str, list[str]] = {}
        for code in domain:
            cat = NOT_STATED if code == NOT_STATED else mapping.get(code, NOT_STATED)
            out.setdefault(cat, []).append(code)
        return out
    out = {}
    for label in s.pop.domains[key]:
        out.setdefault(mapping.get(label, label), []).append(label)
    return out


def _declare_representation(release: Release, s: _Staff, staff: pd.DataFrame,
                            comparators: Mapping[str, pd.DataFrame],
                            characteristics: Sequence[str], confidence: float
                            ) -> dict[str, pd.DataFrame]:
    frames = {}
    rows = []
    for key in characteristics:
        comp = comparators.get(key)
        if comp is None or CHARACTERISTICS[key].census is None:
            continue
        exact = workforce.representation_table(staff, comp, key, confidence)
        groups = _census_groups(s, key)
        attr = "ethnic_category" if CHARACTERISTICS[key].column == "ethnic_category" else key
        stated = [v for cat, vals in groups.items() if cat not in NON_RESPONSE_CATEGORIES
                  for v in vals]
        n_keys, base_keys, roles = [], [], []
        for cat, compared in zip(exact["category"], exact["compared"], strict=True):
            vals = groups.get(cat)
            n_keys.append(s.key(**{attr: vals}) if vals else None)
            base_keys.append(s.key(**{attr: stated}) if compared else s.key())
            headline = cat in ("White", "Disabled", "Non-disabled", "Male", "Female")
            roles.append(Role.HEADLINE if headline else Role.TOTAL)
        exact = exact.assign(suppressed=False, symbol="")
        frames[key] = exact
        rows.append((exact, n_keys, base_keys, roles))
    if not rows:
        return frames
    frame = pd.concat([r[0] for r in rows], ignore_index=True)
    release.add_table(
        "workforce_representation", frame,
        counts={"workforce_n": [k for r in rows for k in r[1]],
                "workforce_base": [k for r in rows for k in r[2]]},
        roles={"workforce_n": [x for r in rows for x in r[3]],
               "workforce_base": [Role.TOTAL] * len(frame)},
        symbols={"workforce_n": "symbol"}, flag_columns=("workforce_n", "workforce_base"),
        kinds={"workforce_share": "proportion", "lower": "proportion", "upper": "proportion",
               "population_share": "proportion", "difference_pts": "percent",
               "representation_ratio": "ratio", "population_n": "integer"})
    return frames


def _publish_representation(release: Release, frames: Mapping[str, pd.DataFrame],
                            comparators: Mapping[str, pd.DataFrame], confidence: float
                            ) -> dict[str, pd.DataFrame]:
    if "workforce_representation" not in release.tables:
        return {}
    pub = release.published_table("workforce_representation")
    out_parts = []
    result = {}
    start = 0
    for key, exact in frames.items():
        part = pub.iloc[start:start + len(exact)].reset_index(drop=True)
        start += len(exact)
        wf = pd.Series(part["workforce_n"].to_numpy(dtype=float),
                       index=part["category"].astype(str))
        compared = part["compared"].to_numpy(dtype=bool)
        base = float(part.loc[compared, "workforce_base"].iloc[0]) if compared.any() \
            else np.nan
        n_all = float(part.loc[~compared, "workforce_base"].iloc[0]) if (~compared).any() \
            else np.nan
        derived = workforce._representation_frame(wf, comparators[key], key, confidence,
                                                  base=base, n_all=n_all)
        derived = derived.set_index("category").reindex(part["category"]).reset_index()
        for col in ("workforce_share", "lower", "upper", "population_share",
                    "difference_pts", "representation_ratio", "flag", "share_base"):
            part[col] = derived[col].to_numpy()
        part["workforce_base"] = np.where(compared, base, n_all)
        hidden_share = part["workforce_share"].isna() & part["compared"]
        part["suppressed"] = part["workforce_n"].isna() | hidden_share
        part.loc[part["suppressed"] & (part["symbol"] == ""), "symbol"] = \
            release.policy.complement_symbol
        part.loc[part["suppressed"], ["workforce_share", "lower", "upper", "difference_pts",
                                      "representation_ratio"]] = np.nan
        part.loc[part["suppressed"], "flag"] = ""
        out_parts.append(part)
    final = release.finish("workforce_representation",
                           pd.concat(out_parts, ignore_index=True))
    start = 0
    for key, exact in frames.items():
        result[key] = final.iloc[start:start + len(exact)].reset_index(drop=True)
        start += len(exact)
    return result


def _declare_declaration(release: Release, s: _Staff, prev: _Staff | None,
                         characteristics: Sequence[str]) -> pd.DataFrame:
    rows = []
    for key in characteristics:
        spec = CHARACTERISTICS[key]
        if not spec.not_stated:
            continue
        for clu in [*s.clusters, TOTAL]:
            rows.append({"characteristic": key, "cluster": clu})
    frame = pd.DataFrame(rows)
    frame["not_declared_n"] = 0.0
    frame["headcount"] = 0.0
    frame["not_declared_share"] = np.nan
    frame["symbol"] = ""
    frame["previous_not_declared_share"] = np.nan
    frame["previous_headcount"] = np.nan
    frame["change_pts"] = np.nan

    def nd_key(st: _Staff, key: str, clu: str) -> CellKey:
        spec = CHARACTERISTICS[key]
        attr_vals = [st.values(key, label) for label in spec.not_stated]
        attr = attr_vals[0][0]
        vals = [v for _, vs in attr_vals for v in vs]
        return st.key(**{attr: vals, "post": st.cluster(clu)})

    nd = [nd_key(s, k, c) for k, c in zip(frame["characteristic"], frame["cluster"],
                                          strict=True)]
    heads = [s.key(post=s.cluster(c)) for c in frame["cluster"]]
    counts = {"not_declared_n": nd, "headcount": heads}
    virtual = {}
    shares = {"not_declared_share": ("not_declared_n", "headcount", "proportion", 1.0)}
    if prev is not None:
        counts["previous_headcount"] = [prev.key(post=prev.cluster(c)) for c in frame["cluster"]]
        virtual["previous_not_declared_n"] = [nd_key(prev, k, c) for k, c in zip(
            frame["characteristic"], frame["cluster"], strict=True)]
        shares["previous_not_declared_share"] = ("previous_not_declared_n",
                                                 "previous_headcount", "proportion", 1.0)
    release.add_table("workforce_declaration", frame, counts=counts, virtual=virtual,
                      shares=shares,
                      roles={"headcount": [Role.TOTAL] * len(frame),
                             "previous_headcount": [Role.TOTAL] * len(frame)},
                      symbols={"not_declared_n": "symbol"},
                      flag_columns=("not_declared_n", "headcount"),
                      kinds={"change_pts": "percent"})
    return frame


def _publish_declaration(release: Release) -> pd.DataFrame:
    pub = release.published_table("workforce_declaration")
    pub["change_pts"] = (pub["not_declared_share"] - pub["previous_not_declared_share"]) * 100
    pub["suppressed"] = pub["not_declared_share"].isna() & (
        pub["headcount"].isna() | (pub["headcount"] > 0))
    return release.finish("workforce_declaration", pub)


# --------------------------------------------------------------------------------------
# detailed ethnicity
# --------------------------------------------------------------------------------------
def _detailed_rows() -> tuple[list[str], dict[str, str]]:
    lookup = census.ETHNIC_CATEGORIES.dropna(subset=["census_19"])
    recorded = [c for c in dict.fromkeys(lookup["census_19"].astype(str))
                if c not in NON_RESPONSE_CATEGORIES]
    return recorded, {str(c): str(g) for c, g in zip(lookup["census_19"], lookup["group_5"],
                                                     strict=True)}


def _detailed_labels(counts: pd.Series, policy: object) -> dict[str, str]:
    """Census 19-group category -> the row it is published in.

    Categories keep their (harmonised) Census wording, except a broad group whose
    detailed counts are a small total split one person a category: its categories are
    published as one row ("Mixed or Multiple ethnic groups: categories combined").
    """
    recorded, group_of = _detailed_rows()
    labels = {c: workforce.HARMONISED_ETHNIC_LABELS.get(c, c) for c in recorded}
    for group in dict.fromkeys(group_of[c] for c in recorded):
        members = [c for c in recorded if group_of[c] == group]
        if len(members) > 1 and singleton_split([counts.get(c, 0.0) for c in members],
                                                policy):
            name = members[0].split(":")[0]
            for c in members:
                labels[c] = f"{name}: categories combined"
    return labels


def _detailed_frame(wf: pd.Series, ns: float, n_all: float, base: float,
                    comparator: pd.DataFrame, confidence: float,
                    labels: Mapping[str, str], symbols: Mapping[str, str]) -> pd.DataFrame:
    """The detailed ethnicity table from (published) counts by published row label."""
    comp = comparator.copy()
    comp["category"] = comp["category"].astype(str)
    only = workforce.CENSUS_ONLY_ETHNIC_CATEGORIES
    census_only = comp[comp["category"].isin(only)]
    merged = comp["category"].map(lambda c: only.get(c, c)).map(lambda c: labels.get(c, c))
    harmonised = comp.assign(category=merged).groupby("category", sort=False,
                                                      as_index=False)["count"].sum()
    wf = pd.concat([wf, pd.Series({NOT_STATED: ns})])
    out = workforce._representation_frame(wf, harmonised, "ethnic_category", confidence,
                                          base=base, n_all=n_all)
    out["symbol"] = out["category"].map(dict(symbols)).astype(object).fillna("")
    pop_all = float(comp["count"].sum())
    extra = pd.DataFrame({
        "characteristic": "ethnic_category", "category": census_only["category"].to_numpy(),
        "workforce_n": np.nan, "workforce_base": n_all, "workforce_share": np.nan,
        "lower": np.nan, "upper": np.nan,
        "population_n": census_only["count"].to_numpy(dtype=float),
        "population_share": census_only["count"].to_numpy(dtype=float) / pop_all
        if pop_all > 0 else np.nan,
        "difference_pts": np.nan, "representation_ratio": np.nan, "flag": "",
        "compared": False, "share_base": "all staff", "symbol": workforce.NOT_RECORDED,
    })
    stated = out[out["compared"]]
    rest = out[~out["compared"]]
    return pd.concat([stated, extra, rest], ignore_index=True)


def _declare_detailed(release: Release, s: _Staff, staff: pd.DataFrame,
                      comparator: pd.DataFrame, confidence: float) -> dict[str, str]:
    recorded, _ = _detailed_rows()
    codes = _codes(staff["ethnic_category"])
    lookup = s.eth["census_19"].astype(str)
    exact = codes.map(lambda c: lookup.get(c, NOT_STATED)).value_counts().astype(float)
    counts = exact.reindex(recorded, fill_value=0.0)
    labels = _detailed_labels(counts, release.policy)
    wf = counts.groupby(lambda c: labels[c], sort=False).sum()
    ns = float(exact.get(NOT_STATED, 0.0))
    n_all = float(len(staff))
    frame = _detailed_frame(wf, ns, n_all, n_all - ns, comparator, confidence, labels, {})
    codes_of: dict[str, list[str]] = {}
    for code, cat in lookup.items():
        if cat in labels:
            codes_of.setdefault(labels[cat], []).append(code)
    stated = [c for c in s.pop.domains["ethnic_category"] if c != NOT_STATED]
    n_keys, base_keys = [], []
    for cat, sym in zip(frame["category"], frame["symbol"], strict=True):
        if sym == workforce.NOT_RECORDED:
            n_keys.append(None)
            base_keys.append(s.key())
        elif cat == NOT_STATED:
            n_keys.append(s.key(ethnic_category=NOT_STATED))
            base_keys.append(s.key())
        else:
            n_keys.append(s.key(ethnic_category=codes_of[cat]))
            base_keys.append(s.key(ethnic_category=stated))
    frame["suppressed"] = False
    release.add_table(
        "workforce_ethnicity_detailed", frame,
        counts={"workforce_n": n_keys, "workforce_base": base_keys},
        roles={"workforce_n": [Role.DETAIL] * len(frame),
               "workforce_base": [Role.TOTAL] * len(frame)},
        symbols={"workforce_n": "symbol"}, flag_columns=("workforce_n",),
        kinds={"workforce_share": "proportion", "lower": "proportion", "upper": "proportion",
               "population_share": "proportion", "difference_pts": "percent",
               "representation_ratio": "ratio", "population_n": "integer"})
    return labels


def _publish_detailed(release: Release, comparator: pd.DataFrame, confidence: float,
                      labels: Mapping[str, str]) -> pd.DataFrame:
    spec = release.tables["workforce_ethnicity_detailed"]
    pub = release.published_table("workforce_ethnicity_detailed")
    wf: dict[str, float] = {}
    symbols: dict[str, str] = {}
    ns = base = n_all = np.nan
    for i, cat in enumerate(pub["category"]):
        if spec.counts["workforce_n"][i] is None:
            continue
        symbols[cat] = pub.at[i, "symbol"]
        if cat == NOT_STATED:
            ns = pub.at[i, "workforce_n"]
            n_all = pub.at[i, "workforce_base"]
        else:
            wf[cat] = pub.at[i, "workforce_n"]
            base = pub.at[i, "workforce_base"]
    out = _detailed_frame(pd.Series(wf, dtype=float), ns, n_all, base, comparator,
                          confidence, labels, symbols)
    out["suppressed"] = (out["workforce_n"].isna() & (out["symbol"] != workforce.NOT_RECORDED)
                         ) | (out["compared"] & out["workforce_share"].isna())
    out.loc[out["suppressed"] & (out["symbol"] == ""), "symbol"] = \
        release.policy.complement_symbol
    return release.finish("workforce_ethnicity_detailed", out)


# --------------------------------------------------------------------------------------
# progression, senior likelihood, age and sex
# --------------------------------------------------------------------------------------
def _declare_progression(release: Release, s: _Staff, staff: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for key in ("bme", "disability"):
        cats = [str(c) for c in workforce.characteristic_values(staff, key).cat.categories]
        ns = [c for c in cats if c in CHARACTERISTICS[key].not_stated]
        if len(ns) > 1:  # one non-response group, as in the headcount table
            s.merged[(key, NOT_DECLARED)] = ns
            cats = [c for c in cats if c not in ns] + [NOT_DECLARED]
        for cat in cats:
            for clu in [*s.clusters, TOTAL]:
                rows.append({"characteristic": key, "category": cat, "cluster": clu})
    frame = pd.DataFrame(rows)
    frame["count"] = 0.0
    frame["share_of_group"] = np.nan
    frame["symbol"] = ""
    keys = [s.group(ch, cat, s.cluster(clu)) for ch, cat, clu in
            zip(frame["characteristic"], frame["category"], frame["cluster"], strict=True)]
    totals = [s.group(ch, cat, None) for ch, cat in
              zip(frame["characteristic"], frame["category"], strict=True)]
    roles = [_role(ch, cat, clu) for ch, cat, clu in
             zip(frame["characteristic"], frame["category"], frame["cluster"], strict=True)]
    release.add_table("workforce_progression", frame,
                      counts={"count": keys}, virtual={"group_total": totals},
                      shares={"share_of_group": ("count", "group_total", "proportion", 1.0)},
                      roles={"count": roles}, symbols={"count": "symbol"},
                      flag_columns=("count",))
    return frame


def _declare_senior(release: Release, s: _Staff) -> pd.DataFrame:
    eligible = s.posts([*schemas.AFC_BANDS, "VSM"])
    senior = s.posts(list(SENIOR_BANDS))
    rows, keys = [], {c: [] for c in ("numerator_a", "denominator_a", "numerator_b",
                                      "denominator_b")}
    for key, ref, cmp, label_a, label_b in (("bme", "White", "BME", "White", "BME"),
                                            ("disability", "No", "Yes", "non-disabled",
                                             "disabled")):
        rows.append({"standard": "Progression", "indicator": "8a+",
                     "description": f"Relative likelihood of {label_a} staff being in Band 8a "
                                    f"or above (AfC and VSM) compared to {label_b} staff",
                     "breakdown": "Overall", "reference": ref, "comparison": cmp,
                     "unit": "ratio", "available": True, "note": ""})
        keys["numerator_a"].append(s.group(key, ref, senior))
        keys["denominator_a"].append(s.group(key, ref, eligible))
        keys["numerator_b"].append(s.group(key, cmp, senior))
        keys["denominator_b"].append(s.group(key, cmp, eligible))
    frame = pd.DataFrame(rows)
    for col in ("numerator_a", "denominator_a", "numerator_b", "denominator_b", "value_a",
                "value_b", "value", "lower", "upper"):
        frame[col] = np.nan
    frame["non_adverse"] = pd.NA
    frame["symbol"] = ""
    frame = frame[[*wres.RESULT_COLUMNS, "symbol"]]
    release.add_table("workforce_senior_likelihood", frame, counts=keys,
                      roles={c: [Role.HEADLINE] * len(frame) for c in keys},
                      symbols={}, flag=None, kinds=_RESULT_KINDS)
    return frame


def _publish_likelihoods(release: Release, name: str, confidence: float,
                         window_years: Sequence[int] | None = None) -> pd.DataFrame:
    """Relative likelihoods recomputed from a table's published counts."""
    spec = release.tables[name]
    pub = release.published_table(name)
    cols = ("numerator_a", "denominator_a", "numerator_b", "denominator_b")
    pub["symbol"] = ""
    pub["non_adverse"] = pub["non_adverse"].astype("boolean")
    for i in range(len(pub)):
        if not bool(pub.at[i, "available"]) or spec.counts["numerator_a"][i] is None:
            continue
        hidden = [_hidden(release, spec.counts[c][i]) for c in cols]
        if any(hidden):
            sym = next(release.cell(spec.counts[c][i]).symbol for c, h in zip(cols, hidden,
                                                                               strict=True)
                       if h)
            pub.loc[i, ["value_a", "value_b", "value", "lower", "upper"]] = np.nan
            pub.at[i, "non_adverse"] = pd.NA
            pub.at[i, "symbol"] = sym
            continue
        years = window_years[i] if window_years is not None else 1
        if pub.at[i, "unit"] == "ratio":
            rl = stats.relative_likelihood(
                pub.at[i, "numerator_a"] / years, pub.at[i, "denominator_a"],
                pub.at[i, "numerator_b"] / years, pub.at[i, "denominator_b"],
                confidence=confidence).iloc[0]
            for c in ("value_a", "value_b", "value", "lower", "upper"):
                pub.at[i, c] = rl[c]
            pub.at[i, "non_adverse"] = rl["non_adverse"]
            if pd.isna(rl["value"]):
                pub.at[i, "note"] = "; ".join(x for x in (
                    pub.at[i, "note"], "ratio undefined: a group has no events or no "
                    "members") if x)
        else:  # board difference in percentage points
            a = pub.at[i, "numerator_a"] / pub.at[i, "denominator_a"] \
                if pub.at[i, "denominator_a"] else np.nan
            b = pub.at[i, "numerator_b"] / pub.at[i, "denominator_b"] \
                if pub.at[i, "denominator_b"] else np.nan
            pub.at[i, "value_a"], pub.at[i, "value_b"] = a, b
            pub.at[i, "value"] = (a - b) * 100.0
    pub["suppressed"] = pub["symbol"] != ""
    return pub


def _declare_age_sex(release: Release, s: _Staff, staff: pd.DataFrame) -> pd.DataFrame:
    """Headcount by age band and sex (the pyramid), with the age bands of the headcount
    table (sparse bands combined there are combined here too)."""
    ages = [str(c) for c in workforce.characteristic_values(staff, "age_band").cat.categories]
    for (key, label), members in s.merged.items():
        if key == "age_band":
            at = ages.index(members[0])
            ages = [a for a in ages if a not in members]
            ages.insert(at, label)
    sexes = [str(c) for c in workforce.characteristic_values(staff, "sex").cat.categories]
    rows = [(a, x) for a in [*ages, TOTAL] for x in [*sexes, TOTAL]]
    frame = pd.DataFrame(rows, columns=["age_band", "sex"])
    frame["count"] = 0.0
    frame["share"] = np.nan
    frame["symbol"] = ""
    keys = []
    for a, x in rows:
        cond: dict[str, object] = {}
        if a != TOTAL:
            cond["age_band"] = s.values("age_band", a)[1]
        if x != TOTAL:
            cond["sex"] = x
        keys.append(s.key(**cond))
    roles = [Role.TOTAL if TOTAL in (a, x) else Role.CHART for a, x in rows]
    release.add_table("workforce_age_sex", frame, counts={"count": keys},
                      virtual={"all_staff": [s.key()] * len(frame)},
                      shares={"share": ("count", "all_staff", "proportion", 1.0)},
                      roles={"count": roles}, symbols={"count": "symbol"})
    return frame


# --------------------------------------------------------------------------------------
# WRES indicator 1, WDES metric 1
# --------------------------------------------------------------------------------------
def _band_table(staff: pd.DataFrame, group: pd.Series, groups: Sequence[str], unknown: str,
                band: pd.Series, order: Sequence[str], policy: object
                ) -> tuple[pd.DataFrame, dict[tuple[str, str], list[str]], dict[str, list[str]]]:
    """WRES 1 / WDES 1 by band (or cluster) and staff type, sparse bands combined.

    Returns the exact table, the bands each published row holds (keyed by block and
    row), and the staff types each published block holds (medical and dental grades
    are shown within the clinical block when their own block's totals would be small:
    see :func:`_fold_medical`).

    A band whose headcount is small (:func:`edi_analysis.disclosure.merging.sparse_row`:
    split one person a group, one White and one BME member of staff in Band 8c, is given
    away by its own symbols; all in one group, the zeros beside it give that group
    away) is published combined with the next band of the same staff type
    ("Band 8c-8d").
    """
    kind = wres.workforce_type(staff).astype(str)
    cols = [*groups, unknown]
    types_of = {t: [t] for t in _TYPES}
    if _fold_medical(kind, group, cols, policy):
        kind = kind.replace({t: CLINICAL_WITH_MEDICAL for t in _TYPES[1:]})
        types_of = {_TYPES[0]: [_TYPES[0]], CLINICAL_WITH_MEDICAL: list(_TYPES[1:])}
    label = band.astype(str).copy()
    members: dict[tuple[str, str], list[str]] = {}
    for wtype in types_of:
        sel = kind == wtype
        if not sel.any():
            continue
        present = [b for b in order if (sel & (band == b)).any()]
        table = pd.crosstab(band[sel], group[sel]).reindex(index=present, columns=cols,
                                                           fill_value=0)
        runs = [[b] for b in present]
        changed = True
        while changed and len(runs) > 1:
            changed = False
            for i, run in enumerate(runs):
                if sparse_row(table.loc[run].sum().tolist(), policy):
                    k = i + 1 if i + 1 < len(runs) else i - 1
                    lo, hi = min(i, k), max(i, k)
                    runs[lo:hi + 1] = [runs[lo] + runs[hi]]
                    changed = True
                    break
        for run in runs:
            name = run[0] if len(run) == 1 else \
                f"{run[0].split('-')[0]}-{run[-1].split('-')[-1].replace('Band ', '')}" \
                if all(b.startswith("Band ") for b in run) else " + ".join(run)
            members[(wtype, name)] = run
            label[sel & band.isin(run)] = name
    full_order = list(dict.fromkeys(name for (_, name) in members))
    full_order = sorted(full_order, key=lambda n: min(
        order.index(m) for (_, nm), ms in members.items() if nm == n for m in ms))
    exact = wres.representation_by_band(staff, group, groups, unknown, band_order=full_order,
                                        band=label, kind=kind)
    return exact, members, types_of


#: The WRES 1 / WDES 1 block that holds clinical staff and medical and dental grades
#: together, when the medical and dental block cannot be published on its own.
CLINICAL_WITH_MEDICAL = "Clinical, including medical and dental"


def _fold_medical(kind: pd.Series, group: pd.Series, cols: Sequence[str], policy: object
                  ) -> bool:
    """Whether to show medical and dental grades within the clinical block.

    The medical and dental block closes with its own total row. When a group's total
    there is small (2 BME doctors), that total is a headline-level cell: the reader gets
    it from the organisation's total less the other blocks' totals, however the grade
    rows are hidden, so only hiding headline cells could protect it. Shown as rows of
    one clinical block, as the WRES template lays medical grades out under clinical
    staff, the small group is protected by hiding ordinary band cells beside it.
    """
    medical = (kind == _TYPES[2]).to_numpy()
    if not medical.any():
        return False
    totals = group[medical].value_counts().reindex(list(cols), fill_value=0)
    return any(small_total(float(v), policy) for v in totals)


def _declare_by_band(release: Release, s: _Staff, name: str, exact: pd.DataFrame,
                     members: Mapping[tuple[str, str], list[str]],
                     types_of: Mapping[str, list[str]], characteristic: str,
                     groups: Sequence[str], unknown: str, labels: Mapping[str, object],
                     wdes_clusters: bool = False) -> pd.DataFrame:
    frame = exact.copy()
    cols = [*groups, unknown]
    counts: dict[str, list[CellKey]] = {c: [] for c in [*cols, "total"]}
    roles: dict[str, list[Role]] = {c: [] for c in [*cols, "total"]}
    for wtype, band in zip(frame["workforce"], frame["band"], strict=True):
        types = None if wtype == "Overall workforce" else types_of[wtype]
        if band == TOTAL:
            bands = None
        else:
            bands = members[(wtype, band)]
            if wdes_clusters:
                bands = [b for c in bands for b in workforce.BAND_CLUSTER_PRESETS["wdes"][c]]
        posts = s.posts(bands, types)
        overall = band == TOTAL
        for c in cols:
            label = labels[c]
            if isinstance(label, tuple):  # attribute and values
                counts[c].append(s.key(**{label[0]: label[1], "post": posts}))
            else:
                counts[c].append(s.group(characteristic, label, posts))
            # the organisation's White/BME (Disabled/Non-disabled) figures are the
            # headline; a block's total (clinical staff) is a total, hidden before them
            roles[c].append(Role.HEADLINE if overall and types is None and c in groups else
                            Role.TOTAL if overall else Role.CHART if c in groups
                            else Role.DETAIL)
        counts["total"].append(s.key(post=posts))
        roles["total"].append(Role.TOTAL)
    for c in [*cols, "total"]:
        frame[f"{c}_symbol"] = ""
    release.add_table(name, frame, counts=counts, roles=roles,
                      symbols={c: f"{c}_symbol" for c in [*cols, "total"]},
                      kinds={f"{g}_share": "proportion" for g in groups})
    return frame


def _publish_by_band(release: Release, name: str, groups: Sequence[str]) -> pd.DataFrame:
    pub = release.published_table(name)
    known = pub[list(groups)].sum(axis=1, skipna=False)
    for g in groups:
        pub[f"{g}_share"] = pub[g] / known.where(known > 0)
    return release.finish(name, pub)


# --------------------------------------------------------------------------------------
# WRES 2-4, 9 and WDES 2, 3, 10
# --------------------------------------------------------------------------------------
_GROUP_OF = {"wres": ("bme", wres.WHITE, wres.BME), "wdes": ("disability", "No", "Yes")}


def _events_population(name: str, frame: pd.DataFrame, kind: str, period: str
                       ) -> tuple[Population, list | None, str] | None:
    """Cases (disciplinary or capability) as a population with group and year."""
    if frame is None:
        return None
    if "cases" in frame.columns:  # aggregated counts
        group_type = "Ethnicity" if kind == "wres" else "Disability"
        labels = wres._ETHNICITY_LABELS if kind == "wres" else wdes._DISABILITY_LABELS
        rows = frame[frame["group_type"] == group_type]
        if rows.empty:
            return None
        group = rows["group"].astype(str).str.strip().str.lower().map(labels)
        rows = rows[group.notna()].assign(group=group[group.notna()])
        window, note = wres.rolling_window(rows, "year", 2, period) if "year" in \
            rows.columns else (None, "cases as supplied (aggregated file without a year)")
        marg = rows.assign(year=rows["year"].astype(str) if "year" in rows.columns else "all")
        marg = marg.groupby(["group", "year"], as_index=False)["cases"].sum().rename(
            columns={"cases": "count"})
        domains = {"group": ["White", "BME"] if kind == "wres" else
                   ["Disabled", "Non-disabled"]}
        if window is not None:
            domains["year"] = [str(y) for y in window]
        return Population(name, marginals=[marg], domains=domains), window, note
    column = "ethnic_category" if kind == "wres" else "disability"
    if column not in frame.columns:
        return None
    group = wres.ethnicity_group(frame[column]) if kind == "wres" else \
        wdes.disability_group(frame[column])
    window, note = wres.rolling_window(frame, "year", 2, period)
    units = pd.DataFrame({"group": group.to_numpy(),
                          "year": frame["year"].astype(str).to_numpy()
                          if "year" in frame.columns else "all"})
    domains = {"group": ["White", "BME", wres.UNKNOWN] if kind == "wres" else
               ["Disabled", "Non-disabled", wdes.UNKNOWN]}
    if window is not None:
        domains["year"] = [str(y) for y in window]
    return Population(name, units, domains=domains), window, note


def _indicator_rows(release: Release, s: _Staff, inputs: Mapping[str, pd.DataFrame | None],
                    period: str, kind: str, confidence: float
                    ) -> tuple[pd.DataFrame, dict[str, list], list[int]]:
    """The WRES (2, 3, 4, 9) or WDES (2, 3, 10) rows with their cells."""
    ch, ref_label, cmp_label = _GROUP_OF[kind]
    summary = (wres.wres_summary if kind == "wres" else wdes.wdes_summary)(
        inputs, confidence, period=period)
    frame = summary.copy()
    keys: dict[str, list] = {c: [None] * len(frame) for c in
                             ("numerator_a", "denominator_a", "numerator_b", "denominator_b")}
    years = [1] * len(frame)
    for i, (indicator, available) in enumerate(zip(frame["indicator"], frame["available"],
                                                   strict=True)):
        if not bool(available):
            continue
        ind = str(indicator)
        if ind == "2":
            rec = inputs.get("recruitment")
            name = f"applicants {period}"
            if name not in release.populations:
                units = pd.DataFrame({
                    "ethnicity": wres.ethnicity_group(rec["ethnic_category"]).to_numpy()
                    if "ethnic_category" in rec.columns else wres.UNKNOWN,
                    "disability": wdes.disability_group(rec["disability"]).to_numpy()
                    if "disability" in rec.columns else wdes.UNKNOWN,
                    "appointed": np.where(rec["appointed"].astype(bool), "Appointed",
                                          "Not appointed")})
                release.add_population(Population(name, units, domains={
                    "ethnicity": [wres.WHITE, wres.BME, wres.UNKNOWN],
                    "disability": [wdes.DISABLED, wdes.NON_DISABLED, wdes.UNKNOWN],
                    "appointed": ["Appointed", "Not appointed"]}))
            pop = release.populations[name]
            attr = "ethnicity" if kind == "wres" else "disability"
            a, b = (wres.WHITE, wres.BME) if kind == "wres" else \
                (wdes.NON_DISABLED, wdes.DISABLED)
            keys["numerator_a"][i] = pop.key(**{attr: a, "appointed": "Appointed"})
            keys["denominator_a"][i] = pop.key(**{attr: a})
            keys["numerator_b"][i] = pop.key(**{attr: b, "appointed": "Appointed"})
            keys["denominator_b"][i] = pop.key(**{attr: b})
        elif ind == "3":
            source = inputs.get("disciplinary") if kind == "wres" else \
                _capability_input(inputs)
            counts = inputs.get("disciplinary_counts") if kind == "wres" else None
            found = _events_population(
                f"{'disciplinary' if kind == 'wres' else 'capability'} cases {period}",
                source if source is not None else counts, kind, period)
            if found is None:
                continue
            pop, window, note = found
            if pop.name not in release.populations:
                release.add_population(pop)
            groups = ("BME", "White") if kind == "wres" else ("Disabled", "Non-disabled")
            cond_year = {"year": [str(y) for y in window]} if window is not None else {}
            keys["numerator_a"][i] = pop.key(group=groups[0], **cond_year)
            keys["numerator_b"][i] = pop.key(group=groups[1], **cond_year)
            keys["denominator_a"][i] = s.group(ch, cmp_label if kind == "wres" else "Yes")
            keys["denominator_b"][i] = s.group(ch, ref_label if kind == "wres" else "No")
            years[i] = len(window) if window is not None else 1
            frame.at[i, "note"] = (f"{note}; numerators: cases over the "
                                   f"{'years' if years[i] > 1 else 'year'}, the likelihoods "
                                   "use the yearly average")
        elif ind == "4":
            if "training" not in s.pop.domains:
                frame.loc[i, ["numerator_a", "denominator_a", "numerator_b",
                              "denominator_b"]] = np.nan
                frame.at[i, "available"] = False
                frame.at[i, "note"] = ("not available: the training file's employees do not "
                                       "all match the staff records")
                continue
            keys["numerator_a"][i] = s.group(ch, ref_label, training=_ACCESSED)
            keys["denominator_a"][i] = s.group(ch, ref_label)
            keys["numerator_b"][i] = s.group(ch, cmp_label, training=_ACCESSED)
            keys["denominator_b"][i] = s.group(ch, cmp_label)
        elif ind in ("9", "10"):
            pop = _board_population(release, inputs.get("board"), period)
            sel = {"Total board": {}, "Voting members": {"voting": "Voting"},
                   "Executive members": {"executive": "Executive"},
                   "Non-executive members": {"executive": "Non-executive"}}[
                frame.at[i, "breakdown"]]
            attr = "ethnicity" if kind == "wres" else "disability"
            target, known = (("BME", ["White", "BME"]) if kind == "wres" else
                             (wdes.DISABLED, [wdes.DISABLED, wdes.NON_DISABLED]))
            keys["numerator_a"][i] = pop.key(**{attr: target, **sel})
            keys["denominator_a"][i] = pop.key(**{attr: known, **sel})
            keys["numerator_b"][i] = s.group(ch, "BME" if kind == "wres" else "Yes")
            known_staff = (["White", "BME"] if kind == "wres" else ["No", "Yes"])
            attr_s, vals = s.values(ch, known_staff[0])
            vals = vals + s.values(ch, known_staff[1])[1]
            keys["denominator_b"][i] = s.key(**{attr_s: vals})
    return frame, keys, years


def _capability_input(inputs: Mapping[str, pd.DataFrame | None]) -> pd.DataFrame | None:
    capability = inputs.get("capability")
    disc = inputs.get("disciplinary")
    if capability is None and disc is not None and "process" in disc.columns \
            and "disability" in disc.columns and "cases" not in disc.columns:
        is_cap = disc["process"].astype(str).str.lower().str.contains("capability")
        capability = disc[is_cap] if is_cap.any() else None
    return capability


def _board_population(release: Release, board: pd.DataFrame, period: str) -> Population:
    name = f"board {period}"
    if name not in release.populations:
        units = pd.DataFrame({
            "ethnicity": wres.ethnicity_group(board["ethnic_category"]).to_numpy()
            if "ethnic_category" in board.columns else wres.UNKNOWN,
            "disability": wdes.disability_group(board["disability"]).to_numpy()
            if "disability" in board.columns else wdes.UNKNOWN,
            "voting": np.where(board["voting"].astype(bool), "Voting", "Non-voting"),
            "executive": np.where(board["executive"].astype(bool), "Executive",
                                  "Non-executive")})
        release.add_population(Population(name, units, domains={
            "ethnicity": [wres.WHITE, wres.BME, wres.UNKNOWN],
            "disability": [wdes.DISABLED, wdes.NON_DISABLED, wdes.UNKNOWN],
            "voting": ["Voting", "Non-voting"], "executive": ["Executive", "Non-executive"]}))
    return release.populations[name]


def _declare_indicators(release: Release, s: _Staff, inputs: Mapping[str, pd.DataFrame | None],
                        period: str, kind: str, confidence: float) -> list[int]:
    frame, keys, years = _indicator_rows(release, s, inputs, period, kind, confidence)
    for col in ("numerator_a", "denominator_a", "numerator_b", "denominator_b", "value_a",
                "value_b", "value", "lower", "upper"):
        frame[col] = frame[col].astype(float)
    frame["symbol"] = ""
    frame["suppressed"] = False
    release.add_table(f"{kind}_{'indicators' if kind == 'wres' else 'metrics'}", frame,
                      counts=keys, roles={c: [Role.HEADLINE] * len(frame) for c in keys},
                      symbols={}, flag=None,
                      kinds={**_RESULT_KINDS, "value": "ratio"})
    return years


def _finish_indicators(release: Release, kind: str, confidence: float,
                       years: list[int]) -> pd.DataFrame:
    name = f"{kind}_{'indicators' if kind == 'wres' else 'metrics'}"
    pub = _publish_likelihoods(release, name, confidence, years)
    board = pub["unit"] == "percentage points"
    out = release.finish(name, pub)
    out.loc[board, "value"] = pub.loc[board, "value"].round(release.policy.percent_decimals)
    return out


# --------------------------------------------------------------------------------------
# gender pay gap
# --------------------------------------------------------------------------------------
#: Published precision of the pay quarter percentages, most informative first, and the
#: quarters that may be withheld (one at a time, middle quarters first): see
#: :func:`_quarter_publication`.
_QUARTER_OPTIONS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("percent", ()), ("percent_whole", ()),
    *(("percent", (i,)) for i in (1, 2, 0, 3)),
    *(("percent_whole", (i,)) for i in (1, 2, 0, 3)),
    ("percent", (0, 1, 2, 3)))


def _quarter_publication(policy: SuppressionPolicy, staff: pd.DataFrame,
                         ranked: pd.Series) -> tuple[str, tuple[int, ...]]:
    """How precisely the pay quarter percentages can be published, and which withheld.

    The quarters of the gender pay gap are sized by a statutory rule, so their published
    percentages of men and women, with the published headcount of men and women, can
    give back the number of staff NOT ranked (on reduced or nil pay: sickness, maternity
    leave). The general disclosure model cannot state "four equal quarters" as sums of
    cells, so this domain rule is checked here, with the reader of
    :func:`edi_analysis.gender_pay_gap.not_ranked_bounds`: the first option of
    :data:`_QUARTER_OPTIONS` under which a reader cannot narrow any small group of
    staff not ranked (all, men, women) to within the policy's protection level of its
    true value is used.

    Returns
    -------
    (str, tuple of int)
        The figure kind of the percentages (``percent``: the policy's decimals;
        ``percent_whole``: whole numbers) and the quarters (0 = lower) withheld.
    """
    sex = staff["sex"].astype(str)
    men, women = int((sex == "Male").sum()), int((sex == "Female").sum())
    out = ranked == ""
    truth = {"all": int(out.sum()), "Male": int((out & (sex == "Male")).sum()),
             "Female": int((out & (sex == "Female")).sum())}
    level = float(policy.protection_level)
    sizes = [int((ranked == x).sum()) for x in gender_pay_gap.QUARTER_LABELS]
    male = [int(((ranked == x) & (sex == "Male")).sum()) for x in gender_pay_gap.QUARTER_LABELS]
    female = [n - m for n, m in zip(sizes, male, strict=True)]
    for kind, hidden in _QUARTER_OPTIONS:
        d = policy.decimals_for(kind)
        pm = [np.nan if i in hidden or not n else round(100.0 * m / n, d)
              for i, (m, n) in enumerate(zip(male, sizes, strict=True))]
        pf = [np.nan if i in hidden or not n else round(100.0 * f / n, d)
              for i, (f, n) in enumerate(zip(female, sizes, strict=True))]
        bounds = gender_pay_gap.not_ranked_bounds(pm, pf, d, len(staff), men, women)
        if bounds is not None and all(
                not policy.is_small_count([t])[0]
                or (bounds[k][0] <= max(0.0, t - level) and bounds[k][1] >= t + level)
                for k, t in truth.items()):
            return kind, hidden
    return "percent", (0, 1, 2, 3)


def _declare_gpg(release: Release, s: _Staff, staff: pd.DataFrame,
                 previous: pd.DataFrame | None, period: str) -> dict[str, pd.DataFrame]:
    """The gender pay gap tables: percentages and gaps, no counts of full-pay staff.

    The statutory measures are percentages (the gaps, the share of men and women
    paid a bonus and in each pay quarter); the counts of full-pay-relevant staff are
    not published, because with the headcount they would give away the small numbers
    of staff on reduced or nil pay (sickness, maternity leave). The quarter
    percentages are shares of the ranked staff (a population of its own, whose size is
    not published); the bonus percentages are shares of all men and all women.
    """
    if "hourly_pay" not in staff.columns or "sex" not in staff.columns:
        return {}
    current = gender_pay_gap.gender_pay_gap(staff)
    prev = gender_pay_gap.gender_pay_gap(previous) if previous is not None and \
        "hourly_pay" in previous.columns and previous["hourly_pay"].notna().any() else None
    measures = gender_pay_gap.gap_change(current, prev)
    paid, relevant = [], []
    for m in measures["measure"]:
        if m in ("Men paid a bonus", "Women paid a bonus") and "bonus" in s.pop.domains:
            sex = "Male" if m.startswith("Men") else "Female"
            paid.append(s.key(sex=sex, bonus=_PAID))
            relevant.append(s.key(sex=sex))
        else:
            paid.append(None)
            relevant.append(None)
    measures = measures.assign(symbol="", suppressed=False,
                               _small=_gap_groups_small(release, measures))
    release.add_table("gpg_measures", measures.drop(columns=["male_n", "female_n"]),
                      counts={}, virtual={"paid": paid, "relevant": relevant},
                      shares={"value_pct": ("paid", "relevant", "percent", 100.0)},
                      roles={"paid": [Role.HEADLINE] * len(measures),
                             "relevant": [Role.HEADLINE] * len(measures)},
                      flag=None, kinds={"previous_pct": "percent", "change_pts": "percent"})
    ranked = gender_pay_gap.pay_quarter_of(staff, not_ranked="")
    units = pd.DataFrame({"quarter": ranked, "sex": staff["sex"].astype(str)})[ranked != ""]
    pop = release.add_population(Population(
        f"pay quarters {period}", units,
        domains={"quarter": gender_pay_gap.QUARTER_LABELS, "sex": ["Female", "Male"]}))
    q = pd.DataFrame({"quarter": gender_pay_gap.QUARTER_LABELS, "female_pct": np.nan,
                      "male_pct": np.nan, "female_symbol": "", "male_symbol": ""})
    kind, hidden = _quarter_publication(release.policy, staff, ranked)
    keys = {"n": [pop.key(quarter=x) for x in q["quarter"]],
            "male_n": [pop.key(quarter=x, sex="Male") for x in q["quarter"]],
            "female_n": [pop.key(quarter=x, sex="Female") for x in q["quarter"]]}
    release.add_table(
        "gpg_quarters", q, counts={}, virtual=keys,
        shares={"male_pct": ("male_n", "n", kind, 100.0),
                "female_pct": ("female_n", "n", kind, 100.0)},
        roles={"male_n": [Role.HEADLINE] * 4, "female_n": [Role.HEADLINE] * 4,
               "n": [Role.TOTAL] * 4},
        symbols={}, flag_columns=("male_n", "female_n"))
    release.force_hidden([keys[c][i] for i in hidden for c in keys])
    parts = []
    if "ethnic_category" in staff.columns:
        parts.append(gender_pay_gap.pay_gap_by_group(
            staff, wres.ethnicity_group(staff["ethnic_category"]), "White", "BME"))
    if "disability" in staff.columns:
        parts.append(gender_pay_gap.pay_gap_by_group(
            staff, wdes.disability_group(staff["disability"]), "Non-disabled", "Disabled"))
    if parts:
        groups = pd.concat(parts, ignore_index=True)
        small = _gap_groups_small(release, groups, ("reference_n", "comparison_n"))
        groups = groups.drop(columns=["reference_n", "comparison_n"]).assign(
            suppressed=small, symbol=np.where(small, release.policy.symbol, ""))
        release.add_public_table("gpg_by_group", groups.assign(
            value_pct=groups["value_pct"].mask(small)), {"value_pct": "percent"})
    return {"measures": measures}


def _gap_groups_small(release: Release, frame: pd.DataFrame,
                      cols: tuple[str, str] = ("male_n", "female_n")) -> np.ndarray:
    """Gaps of groups with 1 to ``max_suppressed`` people are hidden (an average of a few
    people's pay would disclose it); an empty group leaves the gap undefined."""
    counts = frame[list(cols)].to_numpy(dtype=float)
    return release.policy.is_small_count(counts).any(axis=1)


def _publish_measures(release: Release, exact: pd.DataFrame) -> pd.DataFrame:
    """The statutory measures: gaps of groups that are not small, bonus percentages."""
    pub = release.published_table("gpg_measures")
    small = exact["_small"].to_numpy(dtype=bool)
    bonus_share = pub["measure"].isin(["Men paid a bonus", "Women paid a bonus"])
    hidden = small & ~bonus_share.to_numpy()
    spec = release.tables["gpg_measures"]
    for i in np.flatnonzero(bonus_share.to_numpy()):
        key = spec.virtual["paid"][i]
        if key is None or release.cell(key).hidden:
            hidden[i] = True
    for col in ("value_pct", "previous_pct", "change_pts"):
        pub[col] = pub[col].astype(float).mask(hidden)
    pub["suppressed"] = hidden
    pub["symbol"] = np.where(hidden, release.policy.symbol, "")
    return release.finish("gpg_measures", pub.drop(columns=["_small"]))


# --------------------------------------------------------------------------------------
# the chapter
# --------------------------------------------------------------------------------------
@dataclass
class WorkforceChapter:
    """Everything the workforce chapter publishes, protected together.

    Attributes
    ----------
    release : Release
        The chapter's disclosure model (protected).
    section : WorkforceSection
        Headcount profiles, representation, detailed ethnicity, declaration,
        progression, senior likelihood and age x sex (published frames).
    wres_1, wdes_1 : pandas.DataFrame
        WRES indicator 1 and WDES metric 1 by pay band (cluster) and staff type.
    wres_results, wdes_results : pandas.DataFrame
        WRES indicators 2, 3, 4, 9 and WDES metrics 2, 3, 10.
    gpg : GenderPayGapSection or None
        The gender pay gap tables (None without hourly pay).
    """

    release: Release
    section: WorkforceSection
    wres_1: pd.DataFrame
    wdes_1: pd.DataFrame
    wres_results: pd.DataFrame
    wdes_results: pd.DataFrame
    gpg: gender_pay_gap.GenderPayGapSection | None


def build_chapter(
    inputs: Mapping[str, pd.DataFrame | None],
    org: str,
    period: str,
    release: Release,
    clusters: str | Mapping[str, Sequence[str]] = "seed",
    population: str = "working_age",
    previous_snapshot: bool = True,
    is_demo: bool = True,
    characteristics: Sequence[str] = SECTION_CHARACTERISTICS,
    confidence: float = 0.95,
) -> WorkforceChapter:
    """Declare, protect and publish every table of the workforce chapter.

    Parameters
    ----------
    inputs : mapping
        :func:`edi_analysis.inputs.org_inputs` output (``staff_records`` and the optional
        WRES/WDES inputs).
    org : str
        Organisation (anything :func:`edi_analysis.geography.resolve_area` accepts).
    period : str
        Report financial year ("2025-26").
    release : Release
        The notebook's disclosure model; this function adds its populations and tables
        and protects it (so declare nothing else in the same release afterwards).
    clusters : str or mapping
        Pay band clusters (:func:`edi_analysis.workforce.band_clusters`).
    population : {"working_age", "16_plus", "all"}
        Census comparator population.
    previous_snapshot : bool
        Use ``previous_staff_records`` for the declaration-rate change and the previous
        pay gaps.
    is_demo : bool
        Whether the staff records are synthetic demo data (source notes).
    characteristics : sequence of str
        Characteristics of the headcount tables.
    confidence : float
        Interval level.

    Returns
    -------
    WorkforceChapter

    Notes
    -----
    Each table's cells are declared with their roles (totals and the headline
    comparisons White/BME, disabled/non-disabled, male/female are the dearest to hide),
    the release is protected once (:meth:`edi_analysis.disclosure.Release.protect`), and
    every derived figure is computed from the published counts.
    """
    from edi_analysis.geography import resolve_area

    staff = inputs["staff_records"]
    mapping = workforce.band_clusters(clusters)
    area = resolve_area(org)
    comparators = {key: census.comparator(area, CHARACTERISTICS[key].census, population)
                   for key in characteristics if CHARACTERISTICS[key].census is not None}
    pop = release.add_population(staff_population(f"staff {period}", staff,
                                                  inputs.get("training")))
    s = _Staff(pop, mapping)
    previous = inputs.get("previous_staff_records") if previous_snapshot else None
    prev = None
    if previous is not None and len(previous):
        prev_pop = release.add_population(staff_population(
            f"staff {wres.previous_year(period)}", previous))
        prev = _Staff(prev_pop, mapping)
    # declare
    _declare_headcount(release, s, staff, characteristics)
    rep_frames = _declare_representation(release, s, staff, comparators, characteristics,
                                         confidence)
    decl_keys = [k for k in characteristics if CHARACTERISTICS[k].not_stated]
    _declare_declaration(release, s, prev, decl_keys)
    detailed = "ethnic_group" in characteristics
    if detailed:
        comparators["ethnic_category"] = census.comparator(
            area, CHARACTERISTICS["ethnic_category"].census, population)
        detailed_labels = _declare_detailed(release, s, staff, comparators["ethnic_category"],
                                            confidence)
    _declare_progression(release, s, staff)
    _declare_senior(release, s)
    _declare_age_sex(release, s, staff)
    exact, members, types_of = _band_table(staff, wres.ethnicity_group(staff["ethnic_category"]),
                                 [wres.WHITE, wres.BME], wres.UNKNOWN, staff["pay_band"],
                                 list(schemas.PAY_BANDS), release.policy)
    _declare_by_band(release, s, "wres_indicator_1", exact, members, types_of, "bme",
                     [wres.WHITE, wres.BME], wres.UNKNOWN,
                     {wres.WHITE: "White", wres.BME: "BME", wres.UNKNOWN: NOT_STATED})
    exact, members, types_of = _band_table(staff, wdes.disability_group(staff["disability"]),
                                 [wdes.DISABLED, wdes.NON_DISABLED], wdes.UNKNOWN,
                                 workforce.assign_clusters(staff, "wdes").astype(str),
                                 list(workforce.BAND_CLUSTER_PRESETS["wdes"]), release.policy)
    _declare_by_band(release, s, "wdes_metric_1", exact, members, types_of, "disability",
                     [wdes.DISABLED, wdes.NON_DISABLED], wdes.UNKNOWN,
                     {wdes.DISABLED: "Yes", wdes.NON_DISABLED: "No",
                      wdes.UNKNOWN: ("disability", ["Not declared", "Prefer not to answer"])},
                     wdes_clusters=True)
    wres_years = _declare_indicators(release, s, inputs, period, "wres", confidence)
    wdes_years = _declare_indicators(release, s, inputs, period, "wdes", confidence)
    gpg_parts = _declare_gpg(release, s, staff, previous, period)
    # protect
    release.protect()
    # publish
    head = release.finish("workforce_headcount", release.published_table(
        "workforce_headcount"))
    reps = _publish_representation(release, rep_frames, comparators, confidence)
    declaration = _publish_declaration(release)
    profiles = {}
    for key in characteristics:
        profiles[key] = PublishedProfile(
            key, release.policy, head[head["characteristic"] == key].reset_index(drop=True),
            reps.get(key),
            declaration[declaration["characteristic"] == key].reset_index(drop=True)
            if key in decl_keys else None)
    detailed_frame = _publish_detailed(release, comparators["ethnic_category"], confidence,
                                       detailed_labels) if detailed else None
    progression = release.finish("workforce_progression",
                                 release.published_table("workforce_progression"))
    senior = release.finish("workforce_senior_likelihood", _publish_likelihoods(
        release, "workforce_senior_likelihood", confidence))
    age_sex = release.finish("workforce_age_sex", release.published_table("workforce_age_sex"))
    section = WorkforceSection(
        org_name=area.name, policy=release.policy, clusters=mapping, population=population,
        is_demo=is_demo, profiles=profiles, comparators=comparators,
        declaration=declaration,
        progression={k: progression[progression["characteristic"] == k].reset_index(drop=True)
                     for k in ("bme", "disability")},
        senior=senior, age_sex=age_sex, headcount=len(staff),
        detailed_ethnicity=detailed_frame, confidence=confidence)
    wres_1 = _publish_by_band(release, "wres_indicator_1", [wres.WHITE, wres.BME])
    wdes_1 = _publish_by_band(release, "wdes_metric_1", [wdes.DISABLED, wdes.NON_DISABLED])
    wres_results = _finish_indicators(release, "wres", confidence, wres_years)
    wdes_results = _finish_indicators(release, "wdes", confidence, wdes_years)
    gpg = None
    if gpg_parts:
        measures = _publish_measures(release, gpg_parts["measures"])
        qpub = release.published_table("gpg_quarters")
        for sex in ("male", "female"):
            qpub[f"{sex}_symbol"] = np.where(qpub[f"{sex}_pct"].isna(),
                                             release.policy.complement_symbol, "")
        quarters = release.finish("gpg_quarters", qpub)
        groups = release.finished.get("gpg_by_group", pd.DataFrame())
        try:
            pool = gender_pay_gap.peer_returns_for(period)
            peers = gender_pay_gap.peer_comparison(measures, period, pool)
        except ValueError:
            pool, peers = None, None
        if peers is not None:
            peers = release.add_public_table("gpg_peers", peers, {
                "org_pct": "percent", "peer_median_pct": "percent", "peer_q1_pct": "percent",
                "peer_q3_pct": "percent", "percentile": "percent", "peer_bodies": "integer"})
        gpg = gender_pay_gap.GenderPayGapSection(measures, quarters, peers, pool, groups,
                                                 period)
    return WorkforceChapter(release, section, wres_1, wdes_1, wres_results, wdes_results, gpg)
