"""Census 2021 comparators for an organisation's own geography, and ESR -> Census categories.

The comparator for an ICB (or a list of local authority districts) is computed from the
shipped ONS Census 2021 tables in ``data/raw/census2021/``; nothing is typed in.

Geography rule: where a table exists at LSOA level (ethnic group 5 groups, disability,
religion; all usual residents) the area's LSOAs are summed, which is exact for an ICB even
where a local authority is split between two ICBs. Otherwise local-authority (LAD 2022)
counts are used: summed for whole LADs, and apportioned with ``share_of_ltla_pop`` (the
share of the LAD's Census 2021 population living in the ICB) for the 11 split LADs. The
``method`` column of every comparator says which.

Census counts carry ONS cell-key perturbation, so totals of the same population differ by
a few tens between tables (e.g. England usual residents 56,490,065 in TS021 by LAD,
56,490,108 in TS021 by LSOA, 56,490,101 in TS007).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from edi_analysis.errors import InputError
from edi_analysis.geography import Area, Org, _raw, resolve_area

__all__ = [
    "BASE_ALL",
    "BASE_16_64",
    "BASE_16_PLUS",
    "CENSUS_19_TO_NHS_CODE",
    "CHARACTERISTICS",
    "ETHNIC_CATEGORIES",
    "POPULATIONS",
    "categories",
    "comparator",
    "comparators",
    "esr_to_census_category",
]

Population = Literal["working_age", "16_plus", "all"]
POPULATIONS: tuple[str, ...] = ("working_age", "16_plus", "all")

BASE_16_64 = "Usual residents aged 16 to 64"
BASE_16_PLUS = "Usual residents aged 16 and over"
BASE_ALL = "All usual residents"

_NO_1664 = " (Census gives this characteristic for 16 and over, not 16 to 64)"
_ONLY_16_PLUS = " (the question was asked only of people aged 16 and over)"

DOES_NOT_APPLY = "Does not apply"

ASIAN = "Asian, Asian British or Asian Welsh"
BLACK = "Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Mixed or Multiple ethnic groups"
OTHER = "Other ethnic group"

_ETHNICITY_5 = ["Asian", "Black", "Mixed", "White", "Other"]
_BROAD_LONG_TO_SHORT = {
    ASIAN: "Asian",
    BLACK: "Black",
    MIXED: "Mixed",
    "White": "White",
    OTHER: "Other",
}
_ETHNICITY_19 = [
    f"{ASIAN}: Bangladeshi",
    f"{ASIAN}: Chinese",
    f"{ASIAN}: Indian",
    f"{ASIAN}: Pakistani",
    f"{ASIAN}: Other Asian",
    f"{BLACK}: African",
    f"{BLACK}: Caribbean",
    f"{BLACK}: Other Black",
    f"{MIXED}: White and Asian",
    f"{MIXED}: White and Black African",
    f"{MIXED}: White and Black Caribbean",
    f"{MIXED}: Other Mixed or Multiple ethnic groups",
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Other White",
    f"{OTHER}: Arab",
    f"{OTHER}: Any other ethnic group",
]
_DISABILITY = ["Disabled", "Not disabled"]
_RELIGION = [
    "No religion",
    "Christian",
    "Buddhist",
    "Hindu",
    "Jewish",
    "Muslim",
    "Sikh",
    "Other religion",
    "Not answered",
]
_SEX = ["Female", "Male"]
_AGE_WORKING = ["16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49"]
_AGE_WORKING += ["50-54", "55-59", "60-64"]
_AGE_16_PLUS = [*_AGE_WORKING, "65-69", "70+"]
_AGE_ALL = ["0-15", *_AGE_16_PLUS]
_SEXUAL_ORIENTATION = [
    "Straight or Heterosexual",
    "Gay or Lesbian",
    "Bisexual",
    "All other sexual orientations",
    "Not answered",
]
_SEXUAL_ORIENTATION_4 = ["Straight or Heterosexual", "LGB+", "Not answered"]
_MARITAL = [
    "Never married and never registered a civil partnership",
    "Married",
    "In a registered civil partnership",
    "Separated, but still legally married or still legally in a civil partnership",
    "Divorced or formerly in a civil partnership which is now legally dissolved",
    "Widowed or surviving partner from a civil partnership",
]
_GENDER_IDENTITY = [
    "Gender identity the same as sex registered at birth",
    "Gender identity different from sex registered at birth",
    "Not answered",
]

_CATEGORY_ORDER: dict[str, list[str]] = {
    "ethnicity_5": _ETHNICITY_5,
    "ethnicity_19": _ETHNICITY_19,
    "disability": _DISABILITY,
    "religion": _RELIGION,
    "sex": _SEX,
    "age_band": _AGE_ALL,
    "sexual_orientation": _SEXUAL_ORIENTATION,
    "sexual_orientation_4": _SEXUAL_ORIENTATION_4,
    "marital_status": _MARITAL,
    "gender_identity": _GENDER_IDENTITY,
}
CHARACTERISTICS: tuple[str, ...] = tuple(_CATEGORY_ORDER)


# --------------------------------------------------------------------------------------
# NHS ethnic categories (NHS Data Dictionary "Ethnic Category", 2001 Census based codes)
# --------------------------------------------------------------------------------------
_ETHNIC_ROWS = [
    (
        "A",
        "A White - British",
        "White",
        "White: English, Welsh, Scottish, Northern Irish or British",
        False,
        "White",
    ),
    ("B", "B White - Irish", "White", "White: Irish", False, "White"),
    ("C", "C White - Any other White background", "White", "White: Other White", False, "White"),
    (
        "D",
        "D Mixed - White and Black Caribbean",
        "Mixed",
        f"{MIXED}: White and Black Caribbean",
        True,
        "Mixed",
    ),
    (
        "E",
        "E Mixed - White and Black African",
        "Mixed",
        f"{MIXED}: White and Black African",
        True,
        "Mixed",
    ),
    ("F", "F Mixed - White and Asian", "Mixed", f"{MIXED}: White and Asian", True, "Mixed"),
    (
        "G",
        "G Mixed - Any other mixed background",
        "Mixed",
        f"{MIXED}: Other Mixed or Multiple ethnic groups",
        True,
        "Mixed",
    ),
    (
        "H",
        "H Asian or Asian British - Indian",
        "Asian",
        f"{ASIAN}: Indian",
        True,
        "Asian or Asian British",
    ),
    (
        "J",
        "J Asian or Asian British - Pakistani",
        "Asian",
        f"{ASIAN}: Pakistani",
        True,
        "Asian or Asian British",
    ),
    (
        "K",
        "K Asian or Asian British - Bangladeshi",
        "Asian",
        f"{ASIAN}: Bangladeshi",
        True,
        "Asian or Asian British",
    ),
    (
        "L",
        "L Asian or Asian British - Any other Asian background",
        "Asian",
        f"{ASIAN}: Other Asian",
        True,
        "Asian or Asian British",
    ),
    (
        "M",
        "M Black or Black British - Caribbean",
        "Black",
        f"{BLACK}: Caribbean",
        True,
        "Black or Black British",
    ),
    (
        "N",
        "N Black or Black British - African",
        "Black",
        f"{BLACK}: African",
        True,
        "Black or Black British",
    ),
    (
        "P",
        "P Black or Black British - Any other Black background",
        "Black",
        f"{BLACK}: Other Black",
        True,
        "Black or Black British",
    ),
    (
        "R",
        "R Other Ethnic Groups - Chinese",
        "Asian",
        f"{ASIAN}: Chinese",
        True,
        "Other Ethnic Groups",
    ),
    (
        "S",
        "S Other Ethnic Groups - Any other ethnic group",
        "Other",
        f"{OTHER}: Any other ethnic group",
        True,
        "Other Ethnic Groups",
    ),
    ("Z", "Z Not stated", "Not stated", "Not stated", None, "Not stated"),
    ("99", "99 Not known", "Not stated", "Not stated", None, "Not stated"),
]

#: The NHS ethnic category codes with their Census 2021 equivalents.
#:
#: Columns: ``code`` (NHS Data Dictionary, ``"A"``..``"S"``, ``"Z"`` not stated, ``"99"``
#: not known), ``label`` (NHS wording, e.g. ``"A White - British"``), ``group_5`` (Census 2021
#: broad group: Asian / Black / Mixed / White / Other / Not stated; **Chinese (R) is Asian**, as
#: in Census 2021), ``census_19`` (the Census 2021 detailed category; the Census also has
#: Gypsy or Irish Traveller, Roma and Arab, which the NHS codes fold into C and S, see
#: :data:`CENSUS_19_TO_NHS_CODE`), ``bme`` (True for every group but White A/B/C, as in the
#: WRES; missing for not stated) and ``nhs_group`` (the NHS Data Dictionary heading, where
#: Chinese sits under "Other Ethnic Groups").
ETHNIC_CATEGORIES: pd.DataFrame = pd.DataFrame(
    _ETHNIC_ROWS, columns=["code", "label", "group_5", "census_19", "bme", "nhs_group"]
).astype({"code": "string", "label": "string", "group_5": "string", "census_19": "string"})
ETHNIC_CATEGORIES["bme"] = ETHNIC_CATEGORIES["bme"].astype("boolean")
ETHNIC_CATEGORIES["nhs_group"] = ETHNIC_CATEGORIES["nhs_group"].astype("string")

#: Census 2021 detailed ethnic group (19) -> NHS ethnic category code: the three Census
#: categories without an NHS code go to the nearest one (Gypsy or Irish Traveller and Roma
#: -> C, Arab -> S), so a Census comparator can be set against 16 NHS codes.
CENSUS_19_TO_NHS_CODE: dict[str, str] = {
    **{
        c19: code
        for code, c19 in zip(ETHNIC_CATEGORIES["code"], ETHNIC_CATEGORIES["census_19"], strict=True)
        if c19 != "Not stated"
    },
    "White: Gypsy or Irish Traveller": "C",
    "White: Roma": "C",
    f"{OTHER}: Arab": "S",
}

_ESR_MAPS: dict[str, dict[str, str]] = {
    "ethnicity_5": {
        str(c): str(g)
        for c, g in zip(ETHNIC_CATEGORIES["code"], ETHNIC_CATEGORIES["group_5"], strict=True)
    },
    "ethnicity_19": {
        str(c): str(g)
        for c, g in zip(ETHNIC_CATEGORIES["code"], ETHNIC_CATEGORIES["census_19"], strict=True)
    },
    "religion": {
        "Atheism": "No religion",
        "Buddhism": "Buddhist",
        "Christianity": "Christian",
        "Hinduism": "Hindu",
        "Islam": "Muslim",
        "Jainism": "Other religion",
        "Judaism": "Jewish",
        "Sikhism": "Sikh",
        "Other": "Other religion",
        "I do not wish to disclose my religion/belief": "Not answered",
        "Unspecified": "Not answered",
    },
    "sexual_orientation": {
        "Heterosexual or Straight": "Straight or Heterosexual",
        "Gay or Lesbian": "Gay or Lesbian",
        "Bisexual": "Bisexual",
        "Other sexual orientation not listed": "All other sexual orientations",
        "Undecided": "Not answered",
        "Not stated (person asked but declined to provide a response)": "Not answered",
        "Unspecified": "Not answered",
    },
    "sexual_orientation_4": {
        "Heterosexual or Straight": "Straight or Heterosexual",
        "Gay or Lesbian": "LGB+",
        "Bisexual": "LGB+",
        "Other sexual orientation not listed": "LGB+",
        "Undecided": "Not answered",
        "Not stated (person asked but declined to provide a response)": "Not answered",
        "Unspecified": "Not answered",
    },
    "marital_status": {
        "Single": _MARITAL[0],
        "Married": _MARITAL[1],
        "Civil Partnership": _MARITAL[2],
        "Legally Separated": _MARITAL[3],
        "Divorced": _MARITAL[4],
        "Widowed": _MARITAL[5],
        "Unknown": "Not stated",
    },
    "disability": {
        "Yes": "Disabled",
        "No": "Not disabled",
        "Not declared": "Not stated",
        "Prefer not to answer": "Not stated",
    },
    "sex": {"Female": "Female", "Male": "Male"},
    "age_band": {a: a for a in _AGE_16_PLUS},
}


def esr_to_census_category(characteristic: str) -> dict[str, str]:
    """Return the map from ESR (workforce record) values to Census 2021 comparator categories.

    Parameters
    ----------
    characteristic : str
        One of ``"ethnicity_5"``, ``"ethnicity_19"`` (keys are NHS ethnic category codes),
        ``"religion"``, ``"sexual_orientation"``, ``"sexual_orientation_4"``,
        ``"marital_status"``, ``"disability"``, ``"sex"``, ``"age_band"``.

    Returns
    -------
    dict of str to str
        ESR value -> the ``category`` used by :func:`comparator` for that characteristic.
        Values with no Census equivalent map to ``"Not stated"`` (the Census imputes missing
        ethnicity, disability, sex, age and marital status, so it has no such category) or to
        ``"Not answered"`` (religion, sexual orientation: voluntary Census questions). Keep
        those rows apart when comparing shares; never drop them silently.

    Raises
    ------
    ValueError
        If the characteristic has no ESR field (e.g. ``"gender_identity"``) or is unknown.

    Notes
    -----
    Religion: Atheism -> No religion; Jainism -> Other religion (Census 2021 records Jain
    under "Other religion"). Sexual orientation: "Undecided" has no Census category and is
    put with "Not answered". Marital status: "Legally Separated" -> the Census's
    "Separated, but still legally married or still legally in a civil partnership"; the Census
    "Divorced" and "Widowed" categories include dissolved and surviving civil partnerships.
    Ethnic codes: see :data:`ETHNIC_CATEGORIES` (Chinese, R, is Asian in Census 2021).

    References
    ----------
    NHS Data Dictionary, "Ethnic Category"; ESR equality field values (NHS Employers);
    ONS Census 2021 classifications TS021, TS030, TS038, TS077, TS002.
    """
    if characteristic not in _ESR_MAPS:
        raise ValueError(
            f"esr_to_census_category: no ESR mapping for {characteristic!r}; expected one of "
            f"{', '.join(sorted(_ESR_MAPS))}"
        )
    return dict(_ESR_MAPS[characteristic])


def categories(characteristic: str, population: Population = "all") -> list[str]:
    """Return the Census 2021 categories of a characteristic, in display order.

    Parameters
    ----------
    characteristic : str
        One of :data:`CHARACTERISTICS`.
    population : {"working_age", "16_plus", "all"}
        Only changes the age bands ("0-15" for ``"all"``; "65-69" and "70+" unless
        ``"working_age"``).

    Returns
    -------
    list of str
        The categories (``"Does not apply"`` is not listed; :func:`comparator` adds it when a
        table has a non-zero count in it).
    """
    _check_args(characteristic, population)
    if characteristic == "age_band":
        return list(
            {"working_age": _AGE_WORKING, "16_plus": _AGE_16_PLUS, "all": _AGE_ALL}[population]
        )
    return list(_CATEGORY_ORDER[characteristic])


def _check_args(characteristic: str, population: str) -> None:
    if characteristic not in _CATEGORY_ORDER:
        raise ValueError(
            f"unknown characteristic {characteristic!r}; expected one of "
            f"{', '.join(CHARACTERISTICS)}"
        )
    if population not in POPULATIONS:
        raise ValueError(
            f"unknown population {population!r}; expected one of {', '.join(POPULATIONS)}"
        )


# --------------------------------------------------------------------------------------
# Table readers (cached): each returns a wide frame, index = LSOA/LAD code, one column per
# category, integer counts.
# --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _lsoa_ethnicity_5() -> pd.DataFrame:
    path = _raw("census2021/ethnic_group_broad_lsoa.csv.gz")
    df = pd.read_csv(path).set_index("lsoa21_code")
    wide = df.rename(columns=_BROAD_LONG_TO_SHORT)[_ETHNICITY_5]
    _check_total(wide, df["total_usual_residents"], path)
    return wide


@lru_cache(maxsize=1)
def _lsoa_disability() -> pd.DataFrame:
    path = _raw("census2021/disability_lsoa.csv.gz")
    df = pd.read_csv(path).set_index("lsoa21_code")
    wide = df.rename(
        columns={
            "Disabled under the Equality Act": "Disabled",
            "Not disabled under the Equality Act": "Not disabled",
        }
    )[_DISABILITY]
    _check_total(wide, df["total_usual_residents"], path)
    return wide


@lru_cache(maxsize=1)
def _lsoa_religion() -> pd.DataFrame:
    path = _raw("census2021/religion_lsoa.csv.gz")
    df = pd.read_csv(path).set_index("lsoa21_code")
    wide = df[_RELIGION]
    _check_total(wide, df["total_usual_residents"], path)
    return wide


@lru_cache(maxsize=1)
def _ltla_ethnicity_19() -> pd.DataFrame:
    path = _raw("census2021/ethnic_group_detailed_ltla.csv")
    df = pd.read_csv(path).set_index("ltla21_code")
    missing = [c for c in _ETHNICITY_19 if c not in df.columns]
    if missing:
        raise InputError.single(path, "the 19 Census 2021 ethnic group columns", value=missing)
    wide = df[_ETHNICITY_19]
    _check_total(wide, df["total_usual_residents"], path)
    return wide


@lru_cache(maxsize=1)
def _ltla_sex() -> pd.DataFrame:
    return pd.read_csv(_raw("census2021/sex_totals_ltla.csv")).set_index("ltla21_code")


_TS007_SINGLE = re.compile(
    r"^Age: Aged (?:(?P<n>\d+) years?|(?P<under>under 1 year)|(?P<top>100 years and over)); "
    r"measures: Value$"
)


@lru_cache(maxsize=1)
def _ltla_single_year_age() -> pd.DataFrame:
    path = _raw("census2021/ts007_age_single_year_ltla.csv")
    df = pd.read_csv(path).set_index("geography code")
    ages: dict[str, int] = {}
    for col in df.columns:
        m = _TS007_SINGLE.match(col)
        if m:
            ages[col] = 0 if m["under"] else 100 if m["top"] else int(m["n"])
    if sorted(ages.values()) != list(range(101)):
        raise InputError.single(path, "single-year age columns for ages 0 to 100+ (TS007)")
    wide = df[list(ages)].rename(columns=ages)
    _check_total(wide, df["Age: Total; measures: Value"], path)
    return wide


def _age_bands(population: str) -> pd.DataFrame:
    single = _ltla_single_year_age()
    edges = {"0-15": (0, 15), "65-69": (65, 69), "70+": (70, 100)}
    for band in _AGE_WORKING:
        lo, hi = band.split("-")
        edges[band] = (int(lo), int(hi))
    bands = categories("age_band", population)  # type: ignore[arg-type]
    return pd.DataFrame({b: single.loc[:, edges[b][0] : edges[b][1]].sum(axis=1) for b in bands})


@cache
def _rm_long(file: str) -> pd.DataFrame:
    path = _raw(f"census2021/{file}")
    df = pd.read_csv(path)
    df = df.rename(columns={df.columns[0]: "ltla_code"})
    if "Observation" not in df.columns:
        raise InputError.single(path, "an ONS long-format table with an 'Observation' column")
    return df


def _rm_wide(
    file: str,
    dimension: str,
    mapping: dict[str, str] | None = None,
    age_codes: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Sum an RM table over every dimension but ``dimension`` (and LAD); relabel categories."""
    df = _rm_long(file)
    col = next(
        (
            c
            for c in df.columns
            if re.match(rf"{re.escape(dimension)}\b", c) and not c.endswith("Code")
        ),
        None,
    )
    if col is None:
        raise InputError.single(_raw(f"census2021/{file}"), f"a column '{dimension} (...)'")
    if age_codes is not None:
        age_col = next(c for c in df.columns if c.startswith("Age") and c.endswith("Code"))
        df = df[df[age_col].isin(list(age_codes))]
    labels = df[col].map(mapping).fillna(df[col]) if mapping else df[col]
    wide = df.groupby([df["ltla_code"], labels])["Observation"].sum().unstack(fill_value=0)
    wide.columns.name = None
    return wide


_RM125_ETHNIC = {
    ASIAN: "Asian",
    BLACK: "Black",
    MIXED: "Mixed",
    "White: English, Welsh, Scottish, Northern Irish or British": "White",
    "White: Irish": "White",
    "White: Gypsy or Irish Traveller, Roma or Other White": "White",
    OTHER: "Other",
}
_RM123_DISABILITY = {
    "Disabled under the Equality Act: Day-to-day activities limited a lot": "Disabled",
    "Disabled under the Equality Act: Day-to-day activities limited a little": "Disabled",
    "Not disabled under the Equality Act": "Not disabled",
}
_RM122_SO4 = {"Lesbian, Gay, Bisexual, or Other (LGB+)": "LGB+"}
_AGE_16_64_CODES = (2, 3, 4, 5, 6)  # RM122/RM163 "Age (D) (8 categories)": 16-24 ... 55-64
_AGE_16_PLUS_CODES = (2, 3, 4, 5, 6, 7, 8)
_AGE_ALL_CODES = (1, 2, 3, 4, 5, 6, 7, 8)


@dataclass(frozen=True)
class _Spec:
    level: Literal["lsoa", "ltla"]
    base: str
    source: str


@lru_cache(maxsize=64)
def _table(characteristic: str, population: str) -> tuple[pd.DataFrame, _Spec]:
    """Return the wide table and its description for a characteristic and population."""
    wa = population == "working_age"
    if characteristic == "ethnicity_5":
        if population == "all":
            return _lsoa_ethnicity_5(), _Spec("lsoa", BASE_ALL, "ONS Census 2021 TS021 (LSOA)")
        base = BASE_16_PLUS + (_NO_1664 if wa else "")
        wide = _rm_wide(
            "rm125_sexual_orientation_by_ethnic_group_ltla.csv.gz", "Ethnic group", _RM125_ETHNIC
        )
        return wide, _Spec("ltla", base, "ONS Census 2021 RM125, summed over sexual orientation")
    if characteristic == "ethnicity_19":
        base = BASE_ALL
        if population != "all":
            base += " (Census has no 16+ table with the 19 ethnic groups)"
        return _ltla_ethnicity_19(), _Spec("ltla", base, "ONS Census 2021 TS021 (LAD)")
    if characteristic == "disability":
        if population == "all":
            return _lsoa_disability(), _Spec("lsoa", BASE_ALL, "ONS Census 2021 TS038 (LSOA)")
        base = BASE_16_PLUS + (_NO_1664 if wa else "")
        wide = _rm_wide(
            "rm123_sexual_orientation_by_disability_ltla.csv.gz", "Disability", _RM123_DISABILITY
        )
        return wide, _Spec("ltla", base, "ONS Census 2021 RM123, summed over sexual orientation")
    if characteristic == "religion":
        if population == "all":
            return _lsoa_religion(), _Spec("lsoa", BASE_ALL, "ONS Census 2021 TS030 (LSOA)")
        base = BASE_16_PLUS + (_NO_1664 if wa else "")
        wide = _rm_wide("rm188_sexual_orientation_by_religion_ltla.csv.gz", "Religion")
        return wide, _Spec("ltla", base, "ONS Census 2021 RM188, summed over sexual orientation")
    if characteristic == "sex":
        sex = _ltla_sex()
        if population == "working_age":
            wide = sex[["females_16_64", "males_16_64"]].set_axis(_SEX, axis=1)
            return wide, _Spec("ltla", BASE_16_64, "ONS Census 2021 TS009 (LAD), ages 16-64")
        if population == "all":
            wide = sex[["total_females", "total_males"]].set_axis(_SEX, axis=1)
            return wide, _Spec("ltla", BASE_ALL, "ONS Census 2021 TS009 (LAD)")
        wide = _rm_wide(
            "rm122_sexual_orientation_by_age_sex_ltla.csv.gz", "Sex", age_codes=_AGE_16_PLUS_CODES
        )
        return wide, _Spec("ltla", BASE_16_PLUS, "ONS Census 2021 RM122, summed over orientation")
    if characteristic == "age_band":
        base = {"working_age": BASE_16_64, "16_plus": BASE_16_PLUS, "all": BASE_ALL}[population]
        return _age_bands(population), _Spec(
            "ltla", base, "ONS Census 2021 TS007 (LAD), single years of age"
        )
    if characteristic in {"sexual_orientation", "marital_status"}:
        base = BASE_16_PLUS + (_NO_1664 if wa else _ONLY_16_PLUS if population == "all" else "")
        if characteristic == "sexual_orientation":
            wide = _rm_wide(
                "rm123_sexual_orientation_by_disability_ltla.csv.gz", "Sexual orientation"
            )
            source = "ONS Census 2021 RM123, summed over disability (TS077 categories)"
        else:
            wide = _rm_wide("rm127_sexual_orientation_by_legal_partnership_ltla.csv.gz", "Marital")
            source = "ONS Census 2021 RM127, summed over sexual orientation (TS002 equivalent)"
        return wide, _Spec("ltla", base, source)
    if characteristic in {"sexual_orientation_4", "gender_identity"}:
        if population == "working_age":
            base, ages, age_text = BASE_16_64, _AGE_16_64_CODES, "ages 16-64"
        else:
            base = BASE_16_PLUS + (_ONLY_16_PLUS if population == "all" else "")
            ages, age_text = _AGE_ALL_CODES, "all ages (16+)"
        if characteristic == "sexual_orientation_4":
            file, dim, mapping = (
                "rm122_sexual_orientation_by_age_sex_ltla.csv.gz",
                "Sexual orientation",
                _RM122_SO4,
            )
            source = f"ONS Census 2021 RM122, {age_text}, summed over sex"
        else:
            file, dim, mapping = "rm163_gender_identity_by_age_sex_ltla.csv.gz", "Gender", None
            source = f"ONS Census 2021 RM163, {age_text}, summed over sex"
        return _rm_wide(file, dim, mapping, age_codes=ages), _Spec("ltla", base, source)
    raise ValueError(f"unknown characteristic {characteristic!r}")  # pragma: no cover


def _check_total(wide: pd.DataFrame, total: pd.Series, path: str) -> None:
    diff = wide.sum(axis=1) - total
    bad = diff[diff != 0]
    if not bad.empty:
        raise InputError.single(
            path,
            "the categories to sum to the total in every row",
            column="total",
            value=f"{len(bad)} rows differ, e.g. {bad.index[0]} by {bad.iloc[0]}",
        )


def _sum_area(wide: pd.DataFrame, spec: _Spec, area: Area) -> tuple[pd.Series, str]:
    if spec.level == "lsoa":
        codes = pd.Index(area.lsoa21_codes)
        missing = codes.difference(wide.index)
        if len(missing):
            raise InputError.single(
                spec.source,
                f"a row for every LSOA 2021 in {area.name}",
                value=f"{len(missing)} missing, e.g. {missing[0]}",
            )
        return wide.loc[codes].sum(axis=0).astype(float), "sum of the area's LSOAs (exact)"
    weights = pd.Series(dict(area.ltla_weights), dtype=float)
    missing = weights.index.difference(wide.index)
    if len(missing):
        raise InputError.single(
            spec.source,
            f"a row for every LAD in {area.name}",
            value=", ".join(missing),
        )
    counts = wide.loc[weights.index].mul(weights, axis=0).sum(axis=0).astype(float)
    if area.apportioned:
        split = ", ".join(weights.index[weights < 1.0])
        method = (
            "sum of LADs; LADs split between ICBs apportioned by their share of the LAD's "
            f"Census 2021 population in the ICB ({split})"
        )
    else:
        method = "sum of whole LADs (exact)"
    return counts, method


def comparator(
    icb_or_lads: str | Org | Area | Iterable[str],
    characteristic: str,
    population: Population = "working_age",
) -> pd.DataFrame:
    """Return the Census 2021 population profile of an area, as a comparator for the workforce.

    Parameters
    ----------
    icb_or_lads : str, Org, Area or iterable of str
        An ICB (E54 code, Q code, name, part of the name or abbreviation, or an
        :class:`~edi_analysis.geography.Org`), ``"England"``, one LAD 2022 code or a list of
        LAD 2022 codes (see :func:`edi_analysis.geography.resolve_area`).
    characteristic : str
        ``"ethnicity_5"`` (Asian, Black, Mixed, White, Other), ``"ethnicity_19"`` (detailed
        Census categories), ``"disability"`` (Disabled / Not disabled under the Equality
        Act), ``"religion"``, ``"sex"``, ``"age_band"``, ``"sexual_orientation"`` (5
        categories), ``"sexual_orientation_4"`` (Straight or Heterosexual, LGB+, Not
        answered), ``"marital_status"`` or ``"gender_identity"``.
    population : {"working_age", "16_plus", "all"}, default "working_age"
        ``"working_age"``: residents aged 16-64 where a Census table gives that split (sex,
        age, sexual_orientation_4, gender_identity), otherwise aged 16 and over; ``"16_plus"``:
        aged 16 and over; ``"all"``: all usual residents where the question covers all ages.
        The ``base`` column states the base actually used.

    Returns
    -------
    pandas.DataFrame
        One row per category, columns ``characteristic``, ``category``, ``count`` (float:
        apportioned counts are not whole), ``share`` (proportion 0-1 of ``base``), ``base``
        (e.g. ``"Usual residents aged 16 to 64"``), ``source`` (ONS table), ``method``
        (how the area was built), ``area_code`` and ``area_name``. A ``"Does not apply"``
        category is kept when its count is non-zero; ``"Not answered"`` is always kept.

    Raises
    ------
    ValueError
        Unknown characteristic, population, ICB or LAD code.
    InputError
        A shipped Census file is missing or inconsistent.

    Notes
    -----
    Tables used (all ONS Census 2021, usual residents):

    ================== ====================== ======================= =====================
    characteristic     working_age            16_plus                 all
    ================== ====================== ======================= =====================
    ethnicity_5        RM125 (16+)            RM125                   TS021 LSOA
    ethnicity_19       TS021 LAD (all ages)   TS021 LAD (all ages)    TS021 LAD
    disability         RM123 (16+)            RM123                   TS038 LSOA
    religion           RM188 (16+)            RM188                   TS030 LSOA
    sex                TS009 16-64            RM122                   TS009
    age_band           TS007 16-64            TS007 16+               TS007 (with 0-15)
    sexual_orientation RM123 (16+)            RM123                   RM123 (16+ only)
    sexual_orient._4   RM122 16-64            RM122                   RM122 (16+ only)
    marital_status     RM127 (16+)            RM127                   RM127 (16+ only)
    gender_identity    RM163 16-64            RM163                   RM163 (16+ only)
    ================== ====================== ======================= =====================

    LSOA tables are summed over the area's LSOAs (exact, including for LADs split between
    ICBs). LAD tables are summed over the area's LADs; for an ICB, a LAD shared with another
    ICB contributes ``count * share_of_ltla_pop`` (its Census 2021 population share in the
    ICB), which assumes the LAD's profile is the same in both parts. Counts carry ONS
    perturbation: totals differ slightly between tables.

    References
    ----------
    ONS Census 2021: TS002, TS007, TS009, TS021, TS030, TS038, TS077 and the custom tables
    RM122, RM123, RM125, RM127, RM163, RM188 (https://www.ons.gov.uk/census).
    """
    _check_args(characteristic, population)
    area = resolve_area(icb_or_lads)
    wide, spec = _table(characteristic, population)
    counts, method = _sum_area(wide, spec, area)

    order = categories(characteristic, population)
    unexpected = [c for c in counts.index if c not in order and c != DOES_NOT_APPLY]
    if unexpected:
        raise InputError.single(spec.source, f"categories {order}", value=unexpected)
    if DOES_NOT_APPLY in counts.index and counts[DOES_NOT_APPLY] != 0:
        order = [*order, DOES_NOT_APPLY]
    counts = counts.reindex(order, fill_value=0.0)
    total = counts.sum()
    out = pd.DataFrame(
        {
            "characteristic": characteristic,
            "category": order,
            "count": counts.to_numpy(dtype=float),
            "share": counts.to_numpy(dtype=float) / total if total > 0 else np.nan,
            "base": spec.base,
            "source": spec.source,
            "method": method,
            "area_code": area.code,
            "area_name": area.name,
        }
    )
    return out


def comparators(
    icb_or_lads: str | Org | Area | Iterable[str],
    characteristics: Iterable[str] | None = None,
    population: Population = "working_age",
) -> pd.DataFrame:
    """Return :func:`comparator` for several characteristics, stacked.

    Parameters
    ----------
    icb_or_lads : str, Org, Area or iterable of str
        As for :func:`comparator`.
    characteristics : iterable of str, optional
        Default: all of :data:`CHARACTERISTICS`.
    population : {"working_age", "16_plus", "all"}, default "working_age"

    Returns
    -------
    pandas.DataFrame
        The comparators, one block per characteristic, same columns as :func:`comparator`.
    """
    area = resolve_area(icb_or_lads)
    chars = list(CHARACTERISTICS if characteristics is None else characteristics)
    return pd.concat([comparator(area, c, population) for c in chars], ignore_index=True)
