"""Contracts of the organisation inputs (pandera, pandas backend).

Each schema describes one input table in its *canonical* form: snake_case column names
and the allowed values listed in ``docs/DESIGN.md`` ("Organisation input contracts").
The readers in :mod:`edi_analysis.io` map real-world headers and spellings onto this
form before validating, so these schemas are strict about content only.

The allowed category lists are module constants, in their reporting order; other modules
use them to order table rows and chart axes.

Every column's ``description`` says in plain words what is expected; the readers quote it
in :class:`edi_analysis.errors.InputError` messages.
"""

from __future__ import annotations

import re

import pandera.pandas as pa

__all__ = [
    "AFC_BANDS",
    "AGE_BANDS",
    "BIRTH_OUTCOMES",
    "BOARD_SCHEMA",
    "CAPABILITY_COUNTS_BY_YEAR_SCHEMA",
    "CAPABILITY_COUNTS_SCHEMA",
    "CAPABILITY_SCHEMA",
    "BIRTHS_SCHEMA",
    "BIRTH_COUNTS_SCHEMA",
    "CONTRACT_STATUS_VALUES",
    "DELIVERY_METHODS",
    "DISABILITY_VALUES",
    "DISCIPLINARY_COUNTS_BY_YEAR_SCHEMA",
    "DISCIPLINARY_COUNTS_SCHEMA",
    "DISCIPLINARY_SCHEMA",
    "ETHNIC_CODES",
    "ETHNIC_NOT_KNOWN",
    "ETHNIC_NOT_STATED",
    "FINANCIAL_YEAR_PATTERN",
    "MARITAL_STATUS_VALUES",
    "MAX_BIRTHS",
    "MAX_BONUS",
    "MAX_CASES",
    "MAX_RESPONDENTS",
    "MAX_SERVICE_COUNT",
    "MEDICAL_BANDS",
    "PAY_BANDS",
    "PAY_BAND_CLUSTERS",
    "RECRUITMENT_SCHEMA",
    "RELIGION_VALUES",
    "SCHEMAS",
    "SERVICE_ACTIVITY_SCHEMA",
    "SERVICE_GROUP_COLUMNS",
    "SERVICE_MEASURES",
    "SEX_VALUES",
    "SEXUAL_ORIENTATION_VALUES",
    "STAFF_GROUPS",
    "STAFF_RECORDS_SCHEMA",
    "SURVEY_BREAKDOWNS",
    "SURVEY_QUESTION_PATTERN",
    "SURVEY_NESTING_SCHEMA",
    "SURVEY_RESPONSES_SCHEMA",
    "SURVEY_RESULTS_SCHEMA",
    "TRAINING_SCHEMA",
    "age_band_of",
    "is_financial_year",
    "pay_band_cluster",
]

# --------------------------------------------------------------------------------------
# Allowed values (reporting order)
# --------------------------------------------------------------------------------------
AFC_BANDS: list[str] = [
    "Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7",
    "Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9",
]  # fmt: skip
"""Agenda for Change pay bands, lowest first."""

MEDICAL_BANDS: list[str] = ["Medical - Consultant", "Medical - Career grade", "Medical - Trainee"]
"""Medical and dental pay groupings (not on Agenda for Change)."""

PAY_BANDS: list[str] = [*AFC_BANDS, "VSM", *MEDICAL_BANDS, "Non-AfC"]
"""Every allowed ``pay_band``, in reporting order (AfC bands, VSM, medical, other Non-AfC)."""

PAY_BAND_CLUSTERS: dict[str, list[str]] = {
    "Band 1 - 4": ["Band 1", "Band 2", "Band 3", "Band 4"],
    "Band 5 - 7": ["Band 5", "Band 6", "Band 7"],
    "Band 8a - 9": ["Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9"],
    "Non-AfC": ["VSM", *MEDICAL_BANDS, "Non-AfC"],
}
"""The four pay band clusters used in ICB workforce profiles (as in the LLR ICB 2025 report)."""

AGE_BANDS: list[str] = [
    "16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70+",
]  # fmt: skip
"""ESR five-year age bands; "70+" is ESR's "70 - 100 Years Old"."""

SEX_VALUES: list[str] = ["Female", "Male"]

ETHNIC_NOT_STATED = "Z"
ETHNIC_NOT_KNOWN = "99"
ETHNIC_CODES: list[str] = [
    "A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S",
    ETHNIC_NOT_STATED, ETHNIC_NOT_KNOWN,
]  # fmt: skip
"""NHS Data Dictionary ethnic category codes (2001 Census based). "Z" = not stated (asked,
declined), "99" = not known. Labels, broad groups and BME flags are in
``edi_analysis.census.ETHNIC_CATEGORIES``."""

DISABILITY_VALUES: list[str] = ["Yes", "No", "Not declared", "Prefer not to answer"]

RELIGION_VALUES: list[str] = [
    "Atheism", "Buddhism", "Christianity", "Hinduism", "Islam", "Jainism", "Judaism",
    "Sikhism", "Other", "I do not wish to disclose my religion/belief", "Unspecified",
]  # fmt: skip

SEXUAL_ORIENTATION_VALUES: list[str] = [
    "Heterosexual or Straight",
    "Gay or Lesbian",
    "Bisexual",
    "Other sexual orientation not listed",
    "Undecided",
    "Not stated (person asked but declined to provide a response)",
    "Unspecified",
]

MARITAL_STATUS_VALUES: list[str] = [
    "Married", "Single", "Civil Partnership", "Divorced", "Legally Separated", "Widowed",
    "Unknown",
]  # fmt: skip

CONTRACT_STATUS_VALUES: list[str] = ["Full-Time", "Part-Time"]

STAFF_GROUPS: list[str] = [
    "Administrative and Clerical",
    "Nursing and Midwifery Registered",
    "Medical and Dental",
    "Allied Health Professionals",
    "Additional Clinical Services",
    "Professional Scientific and Technical",
    "Additional Professional Scientific and Technical",
    "Healthcare Scientists",
    "Estates and Ancillary",
    "Students",
]
"""NHS occupational staff groups (ESR). ``staff_group`` is free text; this is the usual list."""

SURVEY_BREAKDOWNS: list[str] = [
    "Overall", "Age", "Disability", "Ethnicity", "Sex", "Sexual orientation", "Religion",
    "Division", "Directorate", "Staff group", "Occupation group", "Pay band",
]  # fmt: skip
"""Usual NHS Staff Survey breakdowns, in reporting order (other breakdowns are allowed)."""

SURVEY_QUESTION_PATTERN = r"^(q\d+[a-z]{0,2}|engagement)$"
"""Canonical question codes: lower-case "q" + number + optional letters (q4b, q14bc, q25c),
or ``engagement`` for the staff engagement score (0-10; WDES metric 9a)."""

BIRTH_OUTCOMES: list[str] = ["Live birth", "Stillbirth"]

DELIVERY_METHODS: list[str] = [
    "Spontaneous", "Instrumental", "Elective caesarean", "Emergency caesarean", "Not known",
]  # fmt: skip


#: Plausible upper bounds of counts and amounts: larger values are typing or export errors.
MAX_RESPONDENTS = 1_500_000  # more than the NHS in England employs
MAX_BIRTHS = 1_000_000  # England has about 600,000 births a year
MAX_CASES = 100_000
MAX_SERVICE_COUNT = 100_000_000  # more than the population of England
MAX_BONUS = 1_000_000


def _one_of(values: list[str]) -> str:
    return "one of: " + ", ".join(f"'{v}'" for v in values)


def pay_band_cluster(pay_band: str) -> str | None:
    """Return the pay band cluster ("Band 1 - 4", ...) of a canonical pay band, or None."""
    for cluster, bands in PAY_BAND_CLUSTERS.items():
        if pay_band in bands:
            return cluster
    return None


def age_band_of(age: float) -> str | None:
    """Return the ESR age band of an age in whole years (None for missing or under 16)."""
    if age is None or age != age or age < 16:  # NaN check without numpy
        return None
    if age >= 70:
        return "70+"
    if age < 20:
        return "16-19"
    low = int(age // 5 * 5)
    return f"{low}-{low + 4}"


# --------------------------------------------------------------------------------------
# Column builders
# --------------------------------------------------------------------------------------
def _cat(values: list[str], *, nullable: bool = False, required: bool = True, what: str = ""):
    desc = _one_of(values) + (f" ({what})" if what else "")
    return pa.Column(
        str, pa.Check.isin(values), nullable=nullable, required=required, description=desc
    )


def _text(*, nullable: bool = True, required: bool = True, what: str = "text", unique=False):
    return pa.Column(
        str,
        pa.Check.str_length(min_value=1),
        nullable=nullable,
        required=required,
        unique=unique,
        description=what,
    )


def _bool(*, required: bool = True, nullable: bool = False, what: str = ""):
    return pa.Column(
        bool,
        nullable=nullable,
        required=required,
        description="Yes or No (also accepted: True/False, Y/N, 1/0)"
        + (f"; {what}" if what else ""),
    )


def _ethnic(required: bool = True) -> pa.Column:
    return _cat(
        ETHNIC_CODES,
        required=required,
        what="an NHS ethnic category code, or text such as 'A White - British' or "
        "'White - British'; 'Z' = not stated, '99' = not known",
    )


def _disability(required: bool = True) -> pa.Column:
    return _cat(DISABILITY_VALUES, required=required)


_ID_UNIQUE = "a unique identifier (each value may appear only once)"

# --------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------
STAFF_RECORDS_SCHEMA = pa.DataFrameSchema(
    {
        "employee_id": _text(nullable=False, unique=True, what=_ID_UNIQUE),
        "pay_band": _cat(PAY_BANDS),
        "age": pa.Column(
            "Int64",
            pa.Check.in_range(16, 100),
            nullable=True,
            required=False,
            description="a whole number of years from 16 to 100",
        ),
        "age_band": _cat(AGE_BANDS, nullable=True),
        "sex": _cat(SEX_VALUES),
        "ethnic_category": _ethnic(),
        "disability": _disability(),
        "religion_belief": _cat(RELIGION_VALUES),
        "sexual_orientation": _cat(SEXUAL_ORIENTATION_VALUES),
        "marital_status": _cat(MARITAL_STATUS_VALUES),
        "contract_status": _cat(CONTRACT_STATUS_VALUES),
        "directorate": _text(what="the directorate name (free text; blank allowed)"),
        "staff_group": _text(what="the NHS occupational staff group (free text; blank allowed)"),
        "hourly_pay": pa.Column(
            float,
            pa.Check.in_range(0, 1000),
            nullable=True,
            required=False,
            description="ordinary pay per hour in pounds, a number from 0 to 1000",
        ),
        "bonus_pay": pa.Column(
            float,
            pa.Check.in_range(0, MAX_BONUS),
            nullable=True,
            required=False,
            description=f"bonus pay in pounds in the 12 months to the snapshot, from 0 to "
            f"{MAX_BONUS:,}",
        ),
        "full_pay_relevant": _bool(required=False, what="full-pay relevant employee"),
        "fte": pa.Column(
            float,
            pa.Check.in_range(0, 1.5),
            nullable=True,
            required=False,
            description="full-time equivalent, a number from 0 to 1.5",
        ),
        "snapshot_date": pa.Column(
            str,
            pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"),
            nullable=True,
            required=False,
            description="the date of the extract's snapshot, such as 31/03/2025 or 2025-03-31",
        ),
    },
    name="staff records",
    strict=False,
)
"""One row per employee (ESR-style extract at the snapshot date). ``age_band`` is derived
from ``age`` by the reader when absent; blank protected characteristics are recoded by the
reader to the explicit unknown value ("99", "Not declared", "Unspecified", "Unknown")."""

SURVEY_RESULTS_SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(
            int, pa.Check.in_range(2003, 2100), description="a survey year such as 2024"
        ),
        "question": pa.Column(
            str,
            pa.Check.str_matches(SURVEY_QUESTION_PATTERN),
            description="a question code such as 'q14b' (see the question catalogue)",
        ),
        "breakdown": _text(
            nullable=False, what="a breakdown name such as 'Overall' or 'Ethnicity'"
        ),
        "subgroup": _text(nullable=False, what="a subgroup name ('Organisation' for Overall)"),
        "n_respondents": pa.Column(
            int, pa.Check.in_range(0, MAX_RESPONDENTS),
            description=f"a whole number of respondents, from 0 to {MAX_RESPONDENTS:,}",
        ),
        "pct_positive": pa.Column(
            float,
            pa.Check.in_range(0, 100),
            nullable=True,
            description="a percentage from 0 to 100 (blank when suppressed at source)",
        ),
        "score": pa.Column(
            float, pa.Check.in_range(0, 10), nullable=True, required=False,
            description="the engagement score from 0 to 10 (rows with question 'engagement')",
        ),
        "score_sd": pa.Column(
            float, pa.Check.ge(0), nullable=True, required=False,
            description="the standard deviation of the engagement score, 0 or more",
        ),
    },
    unique=["year", "question", "breakdown", "subgroup"],
    name="staff survey results",
    strict=False,
)
"""Aggregated NHS Staff Survey results: one row per year x question x breakdown x subgroup.
``pct_positive`` is the percentage (0-100) giving the catalogue's counted answers
(``reported_as`` in the question catalogue), whatever the question's direction."""

SURVEY_NESTING_SCHEMA = pa.DataFrameSchema(
    {
        "breakdown": _text(nullable=False, what="the nested breakdown, e.g. 'Directorate'"),
        "subgroup": _text(nullable=False, what="a subgroup of that breakdown"),
        "parent_breakdown": _text(nullable=False, what="the breakdown it lies within, e.g. "
                                  "'Division'"),
        "parent_subgroup": _text(nullable=False, what="the subgroup it lies within"),
    },
    name="survey nesting",
    strict=False,
)
"""Which subgroup of a survey breakdown lies within which subgroup of another (e.g.
Directorate within Division), so that a hidden subgroup cannot be worked out from its
parent."""

SURVEY_RESPONSES_SCHEMA = pa.DataFrameSchema(
    {
        "respondent_id": _text(nullable=False, what=_ID_UNIQUE),
        "year": pa.Column(
            int, pa.Check.in_range(2003, 2100), description="a survey year such as 2024"
        ),
        SURVEY_QUESTION_PATTERN: pa.Column(
            str,
            nullable=True,
            regex=True,
            required=False,
            description="the answer text or answer code (blank if not answered)",
        ),
        "age_band": _text(required=False, what="the respondent's age band"),
        "sex": _text(required=False, what="the respondent's sex"),
        "ethnic_category": _text(required=False, what="the respondent's ethnic group"),
        "disability": _text(required=False, what="the respondent's disability answer"),
        "sexual_orientation": _text(required=False, what="the respondent's sexual orientation"),
        "religion_belief": _text(required=False, what="the respondent's religion"),
        "directorate": _text(required=False, what="the respondent's directorate"),
        "division": _text(required=False, what="the respondent's division"),
    },
    unique=["year", "respondent_id"],
    name="staff survey responses",
    strict=False,
)
"""Respondent-level staff survey extract: one row per respondent per year, one column per
question code (q4b, q14a, ...) holding the answer text or code, plus characteristic columns."""

BIRTHS_SCHEMA = pa.DataFrameSchema(
    {
        "baby_id": _text(nullable=False, unique=True, what=_ID_UNIQUE),
        "year": pa.Column(
            str,
            pa.Check.str_matches(r"^\d{4}(-\d{2})?$"),
            description="a calendar year such as '2024' or a financial year such as '2024-25'",
        ),
        "mother_ethnic_category": _ethnic(),
        "lsoa_code": pa.Column(
            str,
            pa.Check.str_matches(r"^[EW]010\d{5}$"),
            nullable=True,
            required=False,
            description="an LSOA 2011 or 2021 code such as 'E01025633' (blank if not known)",
        ),
        "imd_decile": pa.Column(
            "Int64",
            pa.Check.in_range(1, 10),
            nullable=True,
            required=False,
            description="an IMD decile, a whole number from 1 (most deprived) to 10",
        ),
        "gestation_weeks": pa.Column(
            "Int64",
            pa.Check.in_range(20, 45),
            nullable=True,
            required=False,
            description="completed weeks of gestation, a whole number from 20 to 45",
        ),
        "outcome": _cat(BIRTH_OUTCOMES),
        "termination": _bool(required=False, what="termination of pregnancy"),
        "delivery_method": _cat(DELIVERY_METHODS),
        "mother_language": _text(required=False, what="the mother's first language"),
        "language_recorded": _bool(required=False, what="whether the language was recorded"),
    },
    name="births",
    strict=False,
)
"""One row per baby (MSDS-style). Terminations of pregnancy are flagged, not dropped."""

BIRTH_COUNTS_SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(
            str,
            pa.Check.str_matches(r"^\d{4}(-\d{2})?$"),
            description="a calendar year such as '2024' or a financial year such as '2024-25'",
        ),
        "group_type": _text(
            nullable=False, what="the grouping, e.g. 'Ethnicity' or 'IMD quintile'"
        ),
        "group": _text(nullable=False, what="the group within the grouping, e.g. 'Black'"),
        "measure": _text(nullable=False, what="the measure, e.g. 'stillbirth' or 'preterm'"),
        "events": pa.Column(int, pa.Check.in_range(0, MAX_BIRTHS),
                            description=f"a whole number of events, from 0 to {MAX_BIRTHS:,}"),
        "denominator": pa.Column(
            int, pa.Check.in_range(0, MAX_BIRTHS),
            description=f"a whole number (the denominator), from 0 to {MAX_BIRTHS:,}",
        ),
    },
    checks=[
        pa.Check(
            lambda df: df["events"] <= df["denominator"],
            name="events_le_denominator",
            error="events must not exceed the denominator",
        )
    ],
    unique=["year", "group_type", "group", "measure"],
    name="birth counts",
    strict=False,
)
"""Pre-aggregated maternity counts: events and denominator by year, grouping and measure."""

RECRUITMENT_SCHEMA = pa.DataFrameSchema(
    {
        "applicant_id": _text(required=False, what="the applicant identifier"),
        "ethnic_category": _ethnic(),
        "disability": _disability(),
        "appointed": _bool(what="whether the shortlisted applicant was appointed"),
        "pay_band": _cat(PAY_BANDS, nullable=True, required=False),
    },
    name="recruitment",
    strict=False,
)
"""One row per shortlisted applicant (WRES indicator 2, WDES metric 2)."""

FINANCIAL_YEAR_PATTERN = r"^(\d{4})-(\d{2})$"
"""A financial year "YYYY-YY" whose second part is the year after the first ("2024-25")."""


def is_financial_year(value: object) -> bool:
    """Return True for a financial year "YYYY-YY" with consecutive years ("2024-25")."""
    match = re.fullmatch(FINANCIAL_YEAR_PATTERN, value) if isinstance(value, str) else None
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def _financial_year(*, required: bool = False, what: str = "") -> pa.Column:
    return pa.Column(
        str,
        pa.Check(is_financial_year, element_wise=True, error="financial year YYYY-YY"),
        nullable=False,
        required=required,
        description="a financial year such as '2024-25'" + (f" ({what})" if what else ""),
    )


DISCIPLINARY_SCHEMA = pa.DataFrameSchema(
    {
        "employee_id": _text(required=False, what="the employee identifier"),
        "ethnic_category": _ethnic(),
        "disability": _disability(required=False),
        "year": _financial_year(what="the year the employee entered the formal process"),
    },
    name="disciplinary cases",
    strict=False,
)
"""One row per employee entering the formal disciplinary process (WRES indicator 3).
``year`` (optional, financial year "2024-25") lets the indicator use the two-year rolling
average of the current and previous year; without it the file is read as one year."""


def _group_counts_schema(name: str, group_types: list[str], *, by_year: bool) -> pa.DataFrameSchema:
    columns = {
        "group_type": _cat(group_types),
        "group": _text(nullable=False, what="the group, e.g. 'White', 'BME', 'Yes', 'No'"),
        "cases": pa.Column(int, pa.Check.in_range(0, MAX_CASES),
                           description=f"a whole number of cases, from 0 to {MAX_CASES:,}"),
    }
    if by_year:
        columns["year"] = _financial_year(required=True, what="the year of the cases")
    unique = ["year", "group_type", "group"] if by_year else ["group_type", "group"]
    return pa.DataFrameSchema(columns, unique=unique, name=name, strict=False)


DISCIPLINARY_COUNTS_SCHEMA = _group_counts_schema(
    "disciplinary counts", ["Ethnicity", "Disability"], by_year=False)
"""Alternative, aggregated form of the disciplinary input: cases by group (one year)."""

DISCIPLINARY_COUNTS_BY_YEAR_SCHEMA = _group_counts_schema(
    "disciplinary counts", ["Ethnicity", "Disability"], by_year=True)
"""Aggregated disciplinary cases by financial year and group (one row per year x group)."""

CAPABILITY_SCHEMA = pa.DataFrameSchema(
    {
        "employee_id": _text(required=False, what="the employee identifier"),
        "disability": _disability(),
        "ethnic_category": _ethnic(required=False),
        "year": _financial_year(what="the year the employee entered the formal process"),
    },
    name="capability cases",
    strict=False,
)
"""One row per employee entering the formal capability process on the grounds of
performance (not ill health) (WDES metric 3). ``year`` (optional, financial year) as for
:data:`DISCIPLINARY_SCHEMA`."""

CAPABILITY_COUNTS_SCHEMA = _group_counts_schema(
    "capability counts", ["Disability", "Ethnicity"], by_year=False)
"""Aggregated capability cases by group (one year)."""

CAPABILITY_COUNTS_BY_YEAR_SCHEMA = _group_counts_schema(
    "capability counts", ["Disability", "Ethnicity"], by_year=True)
"""Aggregated capability cases by financial year and group."""

TRAINING_SCHEMA = pa.DataFrameSchema(
    {
        "employee_id": _text(required=False, what="the employee identifier"),
        "ethnic_category": _ethnic(),
        "disability": _disability(required=False),
        "accessed": _bool(what="whether the employee accessed non-mandatory training or CPD"),
    },
    name="non-mandatory training",
    strict=False,
)
"""One row per employee: accessed non-mandatory training/CPD in the year (WRES indicator 4)."""

BOARD_SCHEMA = pa.DataFrameSchema(
    {
        "member_id": _text(required=False, what="the board member identifier"),
        "ethnic_category": _ethnic(),
        "disability": _disability(),
        "voting": _bool(what="voting member of the board"),
        "executive": _bool(what="executive member of the board"),
        "sex": _cat(SEX_VALUES, required=False),
    },
    name="board members",
    strict=False,
)
"""One row per board member (WRES indicator 9, WDES metric 10)."""

SERVICE_MEASURES: list[str] = ["proportion", "rate"]
"""``measure`` values of the service activity input."""

SERVICE_GROUP_COLUMNS: list[str] = ["place", "imd_quintile", "ethnic_group"]
"""Group columns of the service activity input (at least one, or ``lsoa_code``)."""


def _service_period_ok(value) -> bool:
    """A calendar year "2025", a month "2025-07" or a financial year "2025-26"."""
    text = str(value)
    if len(text) == 4:
        return text.isdigit()
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
        return False
    start, end = int(text[:4]), int(text[5:])
    return 1 <= end <= 12 or (start + 1) % 100 == end


def _service_numerator_le_denominator(df):
    if not {"numerator", "denominator"} <= set(df.columns):
        return True
    proportion = df["measure"].eq("proportion") if "measure" in df.columns else True
    return ~proportion | (df["numerator"] <= df["denominator"])


SERVICE_ACTIVITY_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(
            str,
            pa.Check(_service_period_ok, element_wise=True, name="service_period"),
            description="a month such as '2025-07', a financial year such as '2025-26' or a "
            "calendar year such as '2025'",
        ),
        "indicator": _text(
            nullable=False, what="the indicator's name, e.g. 'Talking Therapies recovery'"
        ),
        "measure": _cat(
            SERVICE_MEASURES,
            what="'proportion': the numerator is part of the denominator (shown as %); "
            "'rate': events per multiplier of the denominator",
        ),
        "multiplier": pa.Column(
            float,
            pa.Check.gt(0),
            nullable=True,
            required=False,
            description="for rates, per how many of the denominator, e.g. 1000 (blank: 1,000 "
            "for rates; ignored for proportions)",
        ),
        "place": _text(
            required=False, what="the place, e.g. a sub-ICB location or local authority"
        ),
        "imd_quintile": pa.Column(
            "Int64",
            pa.Check.in_range(1, 5),
            nullable=True,
            required=False,
            description="an IMD quintile, a whole number from 1 (most deprived) to 5 (least "
            "deprived); blank if not known",
        ),
        "ethnic_group": _text(required=False, what="the ethnic group, e.g. 'Asian' or 'White'"),
        "lsoa_code": pa.Column(
            str,
            pa.Check.str_matches(r"^[EW]010\d{5}$"),
            nullable=True,
            required=False,
            description="an LSOA 2011 or 2021 code such as 'E01025633' (blank if not known)",
        ),
        "numerator": pa.Column(
            int,
            pa.Check.in_range(0, MAX_SERVICE_COUNT),
            description=f"a whole number from 0 to {MAX_SERVICE_COUNT:,}: the people or events "
            "counted (e.g. people who recovered)",
        ),
        "denominator": pa.Column(
            int,
            pa.Check.in_range(0, MAX_SERVICE_COUNT),
            description=f"a whole number from 0 to {MAX_SERVICE_COUNT:,}: the people or events "
            "the numerator is out of (e.g. people who completed treatment)",
        ),
    },
    checks=[
        pa.Check(
            _service_numerator_le_denominator,
            name="service_numerator_le_denominator",
            error="a numerator not more than its denominator when the measure is 'proportion'",
        )
    ],
    name="service activity",
    strict=False,
)
"""Service indicator counts by period, indicator and group (place, IMD quintile and/or
ethnic group), pre-aggregated as dashboards export them, or one row per person with
``lsoa_code`` (the engine then assigns IMD quintiles). Rows with the same period, indicator
and groups are added together."""

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "staff_records": STAFF_RECORDS_SCHEMA,
    "survey_results": SURVEY_RESULTS_SCHEMA,
    "survey_responses": SURVEY_RESPONSES_SCHEMA,
    "survey_nesting": SURVEY_NESTING_SCHEMA,
    "births": BIRTHS_SCHEMA,
    "birth_counts": BIRTH_COUNTS_SCHEMA,
    "recruitment": RECRUITMENT_SCHEMA,
    "disciplinary": DISCIPLINARY_SCHEMA,
    "disciplinary_counts": DISCIPLINARY_COUNTS_SCHEMA,
    "capability": CAPABILITY_SCHEMA,
    "capability_counts": CAPABILITY_COUNTS_SCHEMA,
    "training": TRAINING_SCHEMA,
    "board": BOARD_SCHEMA,
    "service_activity": SERVICE_ACTIVITY_SCHEMA,
}
"""Every input schema, keyed by the input's conventional file stem."""
