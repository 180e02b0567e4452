"""The headers each input file may use for its columns: ESR, Staff Survey and MSDS exports.

Headers are matched ignoring case, spaces and punctuation (:func:`normalise_header`);
the readers of :mod:`edi_analysis.io` rename recognised headers to the canonical
snake_case names of :mod:`edi_analysis.schemas`.
"""

from __future__ import annotations

import re

__all__ = ["HEADER_ALIASES", "alias_index", "norm", "normalise_header", "question_code"]

_CHARACTERISTIC_ALIASES: dict[str, list[str]] = {
    "ethnic_category": [
        "Ethnic Origin", "Ethnic Category", "Ethnicity", "Ethnic Group", "Ethnic Category Code",
        "Ethnic Origin Code", "Race",
    ],
    "disability": [
        "Disability Flag", "Disability", "Disabled", "Disability Status",
        "Disability Declaration", "Disability (Y/N)", "Long-term condition or illness",
    ],
    "sex": ["Gender", "Sex", "Legal Sex", "Sex at birth"],
    "religion_belief": [
        "Religious Belief", "Religion", "Religion or Belief", "Religion/Belief", "Religion Belief",
        "Faith",
    ],
    "sexual_orientation": ["Sexual Orientation", "Sexuality"],
    "age_band": ["Age Band", "Ageband", "Age Group", "Age Range"],
    "directorate": [
        "Directorate", "Org L3", "Organisation L3", "Org Level 3", "Organisation Level 3",
        "Department",
    ],
    "division": [
        "Division", "Org L2", "Organisation L2", "Org Level 2", "Organisation Level 2",
    ],
}  # fmt: skip

_YEAR_ALIASES: list[str] = [
    "Year", "Financial Year", "Reporting Year", "Year of Entry", "Case Year", "Period",
]  # fmt: skip

#: Formal cases (disciplinary, capability): one row per person, or counts by group.
_CASE_RECORDS: dict[str, list[str]] = {
    "employee_id": ["Employee Number", "Employee ID", "Assignment Number", "ID"],
    "year": _YEAR_ALIASES,
    **_CHARACTERISTIC_ALIASES,
}
_CASE_COUNTS: dict[str, list[str]] = {
    "group_type": ["Group Type", "Characteristic", "Breakdown"],
    "group": ["Group", "Subgroup", "Category"],
    "cases": ["Cases", "Count", "Number", "Number of Cases", "Formal Cases"],
    "year": _YEAR_ALIASES,
}

HEADER_ALIASES: dict[str, dict[str, list[str]]] = {
    "staff_records": {
        "employee_id": [
            "Employee Number", "Employee No", "Employee ID", "Assignment Number", "Person ID",
            "Staff ID", "Pseudonymised ID", "ID",
        ],
        "pay_band": ["Pay Band", "Payband", "Grade", "Band", "AfC Band", "Pay Grade", "Grade Code"],
        "age": ["Age", "Age in Years", "Age (Years)"],
        "marital_status": ["Marital Status", "Marriage and Civil Partnership", "Marital"],
        "contract_status": [
            "Full/Part Time", "Full Part Time", "FT/PT", "Full Time/Part Time",
            "Working Pattern", "Contract Type", "Assignment Category",
        ],
        "staff_group": [
            "Staff Group", "Occupation Group", "Occupational Group", "Staff Group Name",
        ],
        "hourly_pay": [
            "Hourly Rate", "Hourly Pay", "Ordinary Hourly Pay", "Ordinary Pay per Hour",
            "Hourly Rate of Pay", "Basic Hourly Rate",
        ],
        "bonus_pay": ["Bonus", "Bonus Pay", "Bonus Paid", "Total Bonus", "Bonus Amount"],
        "full_pay_relevant": ["Full Pay Relevant", "Full-pay Relevant Employee", "FPRE"],
        "fte": ["FTE", "WTE", "Contracted WTE", "Whole Time Equivalent", "Full Time Equivalent"],
        "snapshot_date": [
            "Snapshot Date", "Extract Date", "Effective Date", "Report Date", "Census Date",
            "As At Date", "As At",
        ],
        **_CHARACTERISTIC_ALIASES,
    },
    "survey_results": {
        "year": ["Year", "Survey Year"],
        "question": ["Question", "Question Number", "Question Code", "Question No", "Q"],
        "breakdown": ["Breakdown", "Breakdown Type", "Characteristic", "Group Type", "Split"],
        "subgroup": ["Subgroup", "Sub-group", "Group", "Breakdown Value", "Category"],
        "n_respondents": [
            "n", "Responses", "Respondents", "Number of Responses", "Number of Respondents",
            "Base", "Base Size", "Count",
        ],
        "pct_positive": [
            "Score", "Percentage", "Percent", "%", "Value", "Result", "Pct", "% Positive",
            "Percentage Positive",
        ],
    },
    "survey_nesting": {
        "breakdown": ["Breakdown", "Breakdown Type", "Characteristic", "Level"],
        "subgroup": ["Subgroup", "Sub-group", "Group", "Breakdown Value", "Name"],
        "parent_breakdown": ["Parent Breakdown", "Parent Level", "Parent Type"],
        "parent_subgroup": ["Parent Subgroup", "Parent", "Parent Group", "Parent Name"],
    },
    "survey_responses": {
        "respondent_id": ["Respondent ID", "Response ID", "Respondent", "ID", "Record ID"],
        "year": ["Year", "Survey Year"],
        **_CHARACTERISTIC_ALIASES,
    },
    "births": {
        "baby_id": [
            "Baby ID", "Baby Identifier", "Person ID Baby", "Birth ID", "Record ID", "ID",
        ],
        "year": ["Year", "Financial Year", "Reporting Year", "Year of Birth", "Birth Year"],
        "mother_ethnic_category": [
            "Mother Ethnic Category", "Ethnic Category Mother", "EthnicCategoryMother",
            "Mother's Ethnicity", "Mothers Ethnicity", "Maternal Ethnicity", "Ethnic Category",
            "Ethnicity", "Ethnic Origin",
        ],
        "lsoa_code": [
            "LSOA", "LSOA Code", "LSOA 2021", "LSOA21", "LSOA21CD", "LSOA 2011", "LSOA11",
            "LSOA11CD", "LSOAMother2011", "LSOA Mother", "Mother LSOA",
        ],
        "imd_decile": [
            "IMD Decile", "IMD", "Index of Multiple Deprivation Decile", "Deprivation Decile",
        ],
        "gestation_weeks": [
            "Gestation", "Gestation Weeks", "Gestation (Weeks)", "Gestational Age",
            "Gestation Length (Weeks)", "Gestational Age (Weeks)",
        ],
        "outcome": ["Outcome", "Birth Outcome", "Pregnancy Outcome", "Birth Status"],
        "termination": ["Termination", "Termination of Pregnancy", "TOP"],
        "delivery_method": [
            "Delivery Method", "Mode of Delivery", "Method of Delivery", "DeliveryMethodCode",
            "Delivery Method Code", "Delivery Mode",
        ],
        "mother_language": [
            "Mother Language", "Mother's Language", "Language", "First Language",
            "Main Language", "Preferred Language", "Main Spoken Language",
        ],
        "language_recorded": ["Language Recorded"],
    },
    "birth_counts": {
        "year": ["Year", "Financial Year", "Period"],
        "group_type": ["Group Type", "Breakdown", "Characteristic"],
        "group": ["Group", "Subgroup", "Category"],
        "measure": ["Measure", "Indicator", "Outcome"],
        "events": ["Events", "Numerator", "Count", "Cases"],
        "denominator": ["Denominator", "Total", "Births", "Total Births"],
    },
    "recruitment": {
        "applicant_id": ["Applicant ID", "Candidate ID", "Application ID", "ID"],
        "appointed": [
            "Appointed", "Outcome", "Hired", "Successful", "Appointed (Y/N)", "Offer Made",
        ],
        "pay_band": ["Pay Band", "Job Band", "Band", "Vacancy Band", "Grade"],
        **_CHARACTERISTIC_ALIASES,
    },
    "disciplinary": _CASE_RECORDS,
    "disciplinary_counts": _CASE_COUNTS,
    "capability": _CASE_RECORDS,
    "capability_counts": _CASE_COUNTS,
    "training": {
        "employee_id": ["Employee Number", "Employee ID", "Assignment Number", "ID"],
        "accessed": [
            "Accessed", "Accessed Training", "Non-mandatory Training", "Accessed CPD", "CPD",
            "Training Accessed",
        ],
        **_CHARACTERISTIC_ALIASES,
    },
    "board": {
        "member_id": ["Member ID", "Board Member", "Name", "ID"],
        "voting": ["Voting", "Voting Member", "Voting Rights", "Voting Member (Y/N)"],
        "executive": [
            "Executive", "Executive Member", "Exec", "Executive/Non-executive", "Role Type",
        ],
        **_CHARACTERISTIC_ALIASES,
    },
    "service_activity": {
        "period": [
            "Period", "Month", "Reporting Period", "Reporting Month", "Financial Year", "Year",
            "Date",
        ],
        "indicator": ["Indicator", "Metric", "Indicator Name", "Measure Name", "KPI"],
        "measure": ["Measure", "Measure Type", "Value Type", "Indicator Type"],
        "multiplier": ["Multiplier", "Per", "Rate Per", "Rate Multiplier", "Scale"],
        "place": [
            "Place", "Locality", "Sub-ICB Location", "Sub ICB Location", "Sub-ICB", "SICBL",
            "Local Authority", "Area", "Neighbourhood",
        ],
        "imd_quintile": [
            "IMD Quintile", "Deprivation Quintile", "Index of Multiple Deprivation Quintile",
            "IMD", "Quintile",
        ],
        "ethnic_group": ["Ethnic Group", "Ethnicity", "Ethnic Category", "Ethnic Origin"],
        "lsoa_code": [
            "LSOA", "LSOA Code", "LSOA 2021", "LSOA21", "LSOA21CD", "LSOA 2011", "LSOA11",
            "LSOA11CD", "Patient LSOA",
        ],
        "numerator": ["Numerator", "Events", "Count", "Cases", "Number", "Recovered"],
        "denominator": [
            "Denominator", "Total", "Population", "Base", "Eligible", "Completed",
            "Completed Treatment",
        ],
    },
}  # fmt: skip
"""For each input, canonical column -> accepted headers (matched ignoring case and punctuation).
The canonical name itself is always accepted. Earlier aliases win when several are present."""


def normalise_header(text: object) -> str:
    """Lower-case ``text`` and reduce every run of non-alphanumerics to one space."""
    return re.sub(r"[^0-9a-z%]+", " ", str(text).lower()).strip()


def norm(text: object) -> str:
    """Lower-case ``text``, every run of other characters than letters and digits one space."""
    return re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()


def alias_index(kind: str) -> dict[str, tuple[str, int]]:
    """Normalised header -> (canonical name, priority) for an input kind; lower wins."""
    index: dict[str, tuple[str, int]] = {}
    for canonical, aliases in HEADER_ALIASES[kind].items():
        index.setdefault(normalise_header(canonical), (canonical, -1))
        for i, alias in enumerate(aliases):
            index.setdefault(normalise_header(alias), (canonical, i))
    return index


def question_code(header: str) -> str | None:
    """The staff survey question code a header names ("Q14b ..." -> "q14b"), or None."""
    m = re.match(r"^\s*q\s*(\d+)\s*([a-z]{0,2})\b", str(header).lower().replace("_", " "))
    if m is None:
        return None
    return f"q{m.group(1)}{m.group(2)}"
