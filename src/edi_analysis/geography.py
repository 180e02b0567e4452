"""Integrated Care Boards (ICBs), organisation resolution and LSOA / LAD -> ICB geography.

Everything here is read from the shipped lookups in ``data/raw/lookups/`` (ONS Open
Geography Portal, April 2024 ICBs, Census 2021 LSOAs and the 2022 local authority
districts used by Census 2021). File reads are cached; public functions return copies,
so callers may modify what they receive.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import pandas as pd

from edi_analysis.errors import InputError
from edi_analysis.paths import raw_data_dir

__all__ = [
    "ICB_ALIASES",
    "Area",
    "Org",
    "icb_local_authorities",
    "icb_lsoas",
    "icb_of_lsoas",
    "icb_table",
    "lad_table",
    "lsoa_icb_codes",
    "resolve_area",
    "resolve_org",
]

LOOKUP_FILE = "lookups/lsoa21_ltla_sicbl24_icb24.csv.gz"
WEIGHTS_FILE = "lookups/ltla22_to_icb24_weights.csv"
LSOA_POPULATION_FILE = "census2021/ethnic_group_broad_lsoa.csv.gz"

ENGLAND_CODE = "E92000001"

#: Common abbreviations of ICB names, mapped to the ICB's NHS (``Q..``) code.
ICB_ALIASES: dict[str, str] = {
    "LLR": "QK1",
    "BOB": "QU9",
    "BNSSG": "QUY",
    "BLMK": "QHG",
    "BSW": "QOX",
    "BSOL": "QHL",
    "NENC": "QHM",
    "HWE": "QM7",
    "SNEE": "QJG",
    "MSE": "QH8",
    "GM": "QOP",
    "LSC": "QE1",
    "NCL": "QMJ",
    "NEL": "QMF",
    "NWL": "QRV",
    "SEL": "QKK",
    "SWL": "QWE",
    "WY": "QWO",
    "SY": "QF7",
    "HNY": "QOQ",
    "STW": "QOC",
    "SSOT": "QNC",
    "CPICS": "QUE",
    "DDICB": "QJ2",
    "JUCD": "QJ2",
    "CIOS": "QT6",
    "HIOW": "QRL",
}


@dataclass(frozen=True)
class Org:
    """An NHS organisation the report is produced for (at present, an ICB).

    Attributes
    ----------
    code : str
        ONS code, e.g. ``"E54000015"``.
    nhs_code : str
        NHS (ODS) code, e.g. ``"QK1"``.
    name : str
        Full name, e.g. ``"NHS Leicester, Leicestershire and Rutland Integrated Care Board"``.
    short_name : str
        Name without "NHS" and "Integrated Care Board", e.g.
        ``"Leicester, Leicestershire and Rutland"``.
    slug : str
        Filesystem-safe identifier, e.g. ``"qk1-leicester-leicestershire-and-rutland"``.
    """

    code: str
    nhs_code: str
    name: str
    short_name: str
    slug: str


@dataclass(frozen=True)
class Area:
    """A geography to compute Census / IMD figures for: England, an ICB, or a set of LADs.

    Attributes
    ----------
    kind : {"england", "icb", "lads"}
    code : str
        ``"E92000001"``, the ICB's E54 code, or the LAD codes joined by ``"+"``.
    name : str
        Human-readable name.
    lsoa21_codes : tuple of str
        The LSOA 2021 codes in the area (exact).
    ltla_weights : tuple of (str, float)
        ``(ltla22_code, share of that LAD's population in the area)``: 1.0 for whole LADs,
        less than 1 for the LADs that an ICB shares with another ICB.
    org : Org or None
        The ICB, when ``kind == "icb"``.
    """

    kind: Literal["england", "icb", "lads"]
    code: str
    name: str
    lsoa21_codes: tuple[str, ...]
    ltla_weights: tuple[tuple[str, float], ...]
    org: Org | None = None

    @property
    def apportioned(self) -> bool:
        """True when at least one LAD is only partly in the area."""
        return any(w < 1.0 for _, w in self.ltla_weights)


def _raw(relative: str) -> str:
    path = raw_data_dir() / relative
    if not path.exists():
        raise InputError.single(
            str(path),
            expected=(
                "the shipped reference file (see data/raw/README.md); set EDI_RAW_DATA if "
                "data/raw lives elsewhere"
            ),
            value="file not found",
        )
    return str(path)


@lru_cache(maxsize=1)
def _lookup() -> pd.DataFrame:
    return pd.read_csv(_raw(LOOKUP_FILE), dtype=str)


@lru_cache(maxsize=1)
def _weights() -> pd.DataFrame:
    return pd.read_csv(
        _raw(WEIGHTS_FILE),
        dtype={"ltla22_code": str, "icb24_code": str, "icb24_code_nhs": str},
    )


@lru_cache(maxsize=1)
def _lsoa_population() -> pd.Series:
    df = pd.read_csv(_raw(LSOA_POPULATION_FILE), usecols=["lsoa21_code", "total_usual_residents"])
    return df.set_index("lsoa21_code")["total_usual_residents"]


def _short_name(name: str) -> str:
    short = re.sub(r"^NHS\s+", "", name)
    return re.sub(r"\s+Integrated Care Board$", "", short).strip()


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ")).strip("-")


def _normalise(text: str) -> str:
    """Lower-case, '&' -> 'and', drop 'NHS', 'Integrated Care Board', 'ICB', punctuation."""
    t = text.lower().replace("&", " and ")
    t = re.sub(r"\bintegrated care board\b|\bicb\b|\bnhs\b", " ", t)
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return " ".join(t.split())


@lru_cache(maxsize=1)
def _icb_table() -> pd.DataFrame:
    lk = _lookup()
    icbs = (
        lk.groupby(["icb24_code", "icb24_code_nhs", "icb24_name"], as_index=False)
        .agg(n_lsoa=("lsoa21_code", "size"))
        .sort_values("icb24_code", ignore_index=True)
    )
    pop = _weights().groupby("icb24_code")["pop_census2021"].sum()
    icbs["population"] = icbs["icb24_code"].map(pop).astype("int64")
    icbs["short_name"] = icbs["icb24_name"].map(_short_name)
    icbs["slug"] = [
        f"{q.lower()}-{_slugify(s)}"
        for q, s in zip(icbs["icb24_code_nhs"], icbs["short_name"], strict=True)
    ]
    return icbs[
        ["icb24_code", "icb24_code_nhs", "icb24_name", "short_name", "slug", "n_lsoa", "population"]
    ]


def icb_table() -> pd.DataFrame:
    """Return the 42 Integrated Care Boards of April 2024.

    Returns
    -------
    pandas.DataFrame
        One row per ICB, sorted by ONS code, with columns ``icb24_code`` (ONS, ``E54...``),
        ``icb24_code_nhs`` (ODS, ``Q..``), ``icb24_name``, ``short_name`` (without "NHS" and
        "Integrated Care Board"), ``slug`` (filesystem-safe), ``n_lsoa`` (LSOA 2021 count)
        and ``population`` (Census 2021 usual residents, sum of the ICB's LSOAs).

    Notes
    -----
    Built from the ONS lookup LSOA (2021) to SICBL to ICB to LAD (April 2024) and the
    population weights derived from Census 2021 TS021 LSOA usual residents.

    References
    ----------
    ONS Open Geography Portal, ``LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU``.
    ONS Census 2021 TS021 (LSOA usual residents).
    """
    return _icb_table().copy()


@lru_cache(maxsize=1)
def _lad_table() -> pd.DataFrame:
    w = _weights()
    lads = (
        w.groupby(["ltla22_code", "ltla22_name"], as_index=False)
        .agg(
            n_lsoa21=("n_lsoa21", "sum"),
            population=("pop_census2021", "sum"),
            n_icb=("icb24_code", "nunique"),
        )
        .sort_values("ltla22_code", ignore_index=True)
    )
    return lads


def lad_table() -> pd.DataFrame:
    """Return the 309 English local authority districts used by Census 2021 (LAD 2022).

    Returns
    -------
    pandas.DataFrame
        Columns ``ltla22_code``, ``ltla22_name``, ``n_lsoa21``, ``population`` (Census 2021
        usual residents) and ``n_icb`` (number of ICBs the LAD is in: 2 for the 11 split LADs).

    References
    ----------
    ONS "LSOA (2011) to LSOA (2021) to LAD (2022)" lookup; Census 2021 TS021.
    """
    return _lad_table().copy()


def _org_from_row(row: pd.Series) -> Org:
    return Org(
        code=row["icb24_code"],
        nhs_code=row["icb24_code_nhs"],
        name=row["icb24_name"],
        short_name=row["short_name"],
        slug=row["slug"],
    )


def resolve_org(query: str | Org) -> Org:
    """Resolve an ICB from a code, a name, part of a name or a common abbreviation.

    Parameters
    ----------
    query : str or Org
        The ONS code (``"E54000015"``), the NHS code (``"QK1"``, any case), the full or short
        name (any case, "&" or "and"), a part of the name that matches one ICB only
        (``"Leicester"``), or an abbreviation in :data:`ICB_ALIASES` (``"LLR"``). An
        :class:`Org` is returned unchanged.

    Returns
    -------
    Org

    Raises
    ------
    ValueError
        If the query is empty, matches no ICB (the message lists close matches) or matches
        more than one (the message lists them).

    Notes
    -----
    Matching order: exact ONS or NHS code; exact full or short name; abbreviation; then
    the normalised query as a substring of the normalised names ("NHS", "Integrated Care
    Board" and punctuation ignored).
    """
    if isinstance(query, Org):
        return query
    if not isinstance(query, str) or not query.strip():
        raise ValueError(f"resolve_org: expected an ICB code or name, got {query!r}")
    icbs = _icb_table()
    q = query.strip()
    qu = q.upper()

    by_code = icbs[(icbs["icb24_code"] == qu) | (icbs["icb24_code_nhs"] == qu)]
    if len(by_code) == 1:
        return _org_from_row(by_code.iloc[0])

    nq = _normalise(q)
    norm_names = icbs["icb24_name"].map(_normalise)
    exact = icbs[norm_names == nq]
    if len(exact) == 1:
        return _org_from_row(exact.iloc[0])

    if qu in ICB_ALIASES:
        return _org_from_row(icbs[icbs["icb24_code_nhs"] == ICB_ALIASES[qu]].iloc[0])

    if nq:
        padded = " " + nq + " "
        hits = icbs[norm_names.map(lambda n: padded in " " + n + " ")]
        if hits.empty:
            hits = icbs[norm_names.str.contains(nq, regex=False)]
        if len(hits) == 1:
            return _org_from_row(hits.iloc[0])
        if len(hits) > 1:
            listed = "; ".join(f"{r.icb24_code_nhs} {r.short_name}" for r in hits.itertuples())
            raise ValueError(
                f"resolve_org: {query!r} matches {len(hits)} ICBs ({listed}); "
                "give the code or more of the name"
            )

    suggestions = _close_icbs(q, icbs, norm_names)
    hint = f" Close matches: {', '.join(suggestions)}." if suggestions else ""
    raise ValueError(
        f"resolve_org: no ICB matches {query!r}. Give an E54 code, a Q code, the ICB "
        f"name or part of it (see geography.icb_table()).{hint}"
    )


def _close_icbs(query: str, icbs: pd.DataFrame, norm_names: pd.Series) -> list[str]:
    """Short names of the ICBs closest to a query that matched none (difflib ratios)."""
    stop = {"and", "the", "of"}
    nq = _normalise(query)
    q_words = [w for w in nq.split() if w not in stop] or [nq]
    scores = []
    for row, name in zip(icbs.itertuples(), norm_names, strict=True):
        words = [w for w in name.split() if w not in stop]
        keys = [row.icb24_code.lower(), row.icb24_code_nhs.lower()]
        keys += [a.lower() for a, c in ICB_ALIASES.items() if c == row.icb24_code_nhs]
        by_word = sum(
            max(difflib.SequenceMatcher(None, qw, w).ratio() for w in words) for qw in q_words
        ) / len(q_words)
        score = max(
            by_word,
            difflib.SequenceMatcher(None, nq, name).ratio(),
            *(difflib.SequenceMatcher(None, nq, k).ratio() for k in keys),
        )
        scores.append((score, row.short_name))
    ranked = sorted((x for x in scores if x[0] >= 0.75), key=lambda x: -x[0])
    return [name for _, name in ranked[:5]]


def lsoa_icb_codes() -> pd.Series:
    """Return the NHS code of the ICB each LSOA (2021) lies in, indexed by LSOA code.

    References
    ----------
    ONS ``LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU`` (April 2024 ICBs).
    """
    lk = _lookup()
    return pd.Series(lk["icb24_code_nhs"].to_numpy(), index=lk["lsoa21_code"].to_numpy(),
                     name="icb24_code_nhs")


def icb_lsoas(icb: str | Org) -> pd.DataFrame:
    """Return the LSOAs (2021) of an ICB with their LAD, sub-ICB location and population.

    Parameters
    ----------
    icb : str or Org
        Anything :func:`resolve_org` accepts.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa21_code``, ``lsoa21_name``, ``ltla22_code``, ``ltla22_name``,
        ``ltla24_code``, ``ltla24_name``, ``sicbl24_code``, ``sicbl24_code_nhs``,
        ``sicbl24_name`` and ``population`` (Census 2021 usual residents), sorted by LSOA code.

    References
    ----------
    ONS ``LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU``; Census 2021 TS021 (LSOA).
    """
    org = resolve_org(icb)
    lk = _lookup()
    out = lk.loc[
        lk["icb24_code"] == org.code,
        [
            "lsoa21_code",
            "lsoa21_name",
            "ltla22_code",
            "ltla22_name",
            "ltla24_code",
            "ltla24_name",
            "sicbl24_code",
            "sicbl24_code_nhs",
            "sicbl24_name",
        ],
    ].copy()
    out["population"] = out["lsoa21_code"].map(_lsoa_population()).astype("Int64")
    return out.sort_values("lsoa21_code", ignore_index=True)


def icb_of_lsoas(codes: pd.Series) -> pd.Series:
    """Return the NHS code of the ICB (April 2024) each LSOA 2021 code lies in.

    Parameters
    ----------
    codes : pandas.Series
        LSOA codes, any case.

    Returns
    -------
    pandas.Series
        Same index; the ICB's NHS code (``"QK1"``), or missing for codes that are not
        LSOA 2021 codes in England (LSOA 2011 codes that changed in 2021, Welsh codes,
        typing errors).

    References
    ----------
    ONS ``LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU``.
    """
    lk = _lookup()
    icb = pd.Series(lk["icb24_code_nhs"].to_numpy(), index=lk["lsoa21_code"].to_numpy())
    return codes.astype("string").str.upper().map(icb)


def icb_local_authorities(icb: str | Org) -> pd.DataFrame:
    """Return the local authority districts (LAD 2022) in an ICB and how much of each.

    Parameters
    ----------
    icb : str or Org
        Anything :func:`resolve_org` accepts.

    Returns
    -------
    pandas.DataFrame
        Columns ``ltla22_code``, ``ltla22_name``, ``n_lsoa21`` (LSOAs of the LAD in the ICB),
        ``population`` (Census 2021 usual residents of the LAD in the ICB),
        ``share_of_ltla_pop`` (0-1: the part of the LAD's population in the ICB),
        ``share_of_icb_pop`` (0-1) and ``split`` (True when the LAD is shared with another
        ICB), sorted by LAD code.

    Notes
    -----
    Eleven LADs are split between two ICBs (e.g. Buckinghamshire, East Suffolk); for them
    ``share_of_ltla_pop`` is below 1. Use it to apportion LAD-level Census tables.

    References
    ----------
    Derived from ONS ``LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU`` and Census 2021 TS021 (LSOA).
    """
    org = resolve_org(icb)
    w = _weights()
    out = w.loc[
        w["icb24_code"] == org.code,
        [
            "ltla22_code",
            "ltla22_name",
            "n_lsoa21",
            "pop_census2021",
            "share_of_ltla_pop",
            "share_of_icb_pop",
        ],
    ].rename(columns={"pop_census2021": "population"})
    out["split"] = out["share_of_ltla_pop"] < 1.0
    return out.sort_values("ltla22_code", ignore_index=True)


def resolve_area(area: str | Org | Area | Iterable[str]) -> Area:
    """Resolve the geography for Census / IMD figures.

    Parameters
    ----------
    area : str, Org, Area or iterable of str
        ``"England"`` or ``"E92000001"``; an ICB (anything :func:`resolve_org` accepts); a
        single LAD 2022 code (``"E06000016"``); or an iterable of LAD 2022 codes. An
        :class:`Area` is returned unchanged.

    Returns
    -------
    Area

    Raises
    ------
    ValueError
        Unknown ICB; unknown, Welsh, duplicated or empty LAD codes (all listed).
    """
    if isinstance(area, Area):
        return area
    if isinstance(area, str | Org):
        return _resolve_area(area)
    return _resolve_area(tuple(area))


@lru_cache(maxsize=256)
def _resolve_area(area: str | Org | tuple[str, ...]) -> Area:
    lk = _lookup()
    if isinstance(area, str) and area.strip().upper() in {"ENGLAND", ENGLAND_CODE}:
        lads = _lad_table()
        return Area(
            kind="england",
            code=ENGLAND_CODE,
            name="England",
            lsoa21_codes=tuple(lk["lsoa21_code"]),
            ltla_weights=tuple((c, 1.0) for c in lads["ltla22_code"]),
        )
    if isinstance(area, str) and re.fullmatch(r"[EW]0[6-9]\d{6}", area.strip().upper()):
        area = [area]
    if isinstance(area, str | Org):
        org = resolve_org(area)
        w = _weights()
        sub = w[w["icb24_code"] == org.code].sort_values("ltla22_code")
        return Area(
            kind="icb",
            code=org.code,
            name=org.name,
            lsoa21_codes=tuple(lk.loc[lk["icb24_code"] == org.code, "lsoa21_code"]),
            ltla_weights=tuple(
                zip(sub["ltla22_code"], sub["share_of_ltla_pop"].astype(float), strict=True)
            ),
            org=org,
        )
    codes = [str(c).strip().upper() for c in area]
    if not codes:
        raise ValueError("resolve_area: the list of LAD codes is empty")
    lads = _lad_table().set_index("ltla22_code")
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    unknown = [c for c in codes if c not in lads.index]
    problems = []
    if dupes:
        problems.append(f"duplicated: {', '.join(dupes)}")
    if unknown:
        welsh = [c for c in unknown if c.startswith("W")]
        other = [c for c in unknown if not c.startswith("W")]
        if welsh:
            problems.append(
                f"Welsh LADs are not supported (the ICB lookups cover England only): "
                f"{', '.join(welsh)}"
            )
        if other:
            problems.append(
                f"not English LAD 2022 codes (E06/E07/E08/E09, see geography.lad_table()): "
                f"{', '.join(other)}"
            )
    if problems:
        raise ValueError("resolve_area: bad LAD codes; " + "; ".join(problems))
    codes = sorted(codes)
    names = lads.loc[codes, "ltla22_name"]
    return Area(
        kind="lads",
        code="+".join(codes),
        name=", ".join(names),
        lsoa21_codes=tuple(lk.loc[lk["ltla22_code"].isin(codes), "lsoa21_code"]),
        ltla_weights=tuple((c, 1.0) for c in codes),
    )
