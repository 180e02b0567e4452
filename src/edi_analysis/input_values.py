"""Values of the input files read as the contract's: "F" -> "Female", "Band 8A" -> "Band 8a".

Each normaliser returns the canonical value of a cell, or the cell unchanged when it is
not recognised, so that validation reports it as found. Values are matched ignoring case,
spaces and punctuation, with the usual synonyms of ESR, Staff Survey and MSDS exports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from edi_analysis import schemas
from edi_analysis.input_headers import norm

__all__ = ["BOOL_DEFAULTS", "CATEGORICAL", "SUPPRESSED_MARKS", "bool_value"]

def _lookup_normaliser(
    allowed: Iterable[str], synonyms: dict[str, str] | None = None, blank: str | None = None
) -> Callable[[object], object]:
    table = {norm(v): v for v in allowed}
    for key, value in (synonyms or {}).items():
        table[norm(key)] = value

    def normalise(value: object) -> object:
        if pd.isna(value):
            return blank if blank is not None else value
        return table.get(norm(value), value)

    return normalise


_SEX = _lookup_normaliser(
    schemas.SEX_VALUES,
    {"f": "Female", "woman": "Female", "women": "Female", "girl": "Female",
     "m": "Male", "man": "Male", "men": "Male", "boy": "Male"},
)  # fmt: skip

_DISABILITY = _lookup_normaliser(
    schemas.DISABILITY_VALUES,
    {
        "y": "Yes", "disabled": "Yes", "yes disabled": "Yes", "true": "Yes",
        "n": "No", "not disabled": "No", "no disability": "No", "false": "No",
        "not known": "Not declared", "unknown": "Not declared", "unspecified": "Not declared",
        "not stated": "Not declared", "not specified": "Not declared",
        "prefer not to say": "Prefer not to answer",
        "i do not wish to disclose": "Prefer not to answer",
        "do not wish to disclose": "Prefer not to answer",
    },
    blank="Not declared",
)  # fmt: skip

_UNDISCLOSED_RELIGION = "I do not wish to disclose my religion/belief"
_RELIGION = _lookup_normaliser(
    schemas.RELIGION_VALUES,
    {
        "atheist": "Atheism", "no religion": "Atheism", "none": "Atheism",
        "buddhist": "Buddhism", "christian": "Christianity", "hindu": "Hinduism",
        "muslim": "Islam", "jain": "Jainism", "jewish": "Judaism", "sikh": "Sikhism",
        "other religion": "Other", "any other religion": "Other",
        "prefer not to say": _UNDISCLOSED_RELIGION, "not declared": _UNDISCLOSED_RELIGION,
        "do not wish to disclose": _UNDISCLOSED_RELIGION, "not stated": _UNDISCLOSED_RELIGION,
        "i do not wish to disclose my religion belief": _UNDISCLOSED_RELIGION,
        "not known": "Unspecified", "unknown": "Unspecified",
    },
    blank="Unspecified",
)  # fmt: skip

_SO_NOT_STATED = "Not stated (person asked but declined to provide a response)"
_SEXUAL_ORIENTATION = _lookup_normaliser(
    schemas.SEXUAL_ORIENTATION_VALUES,
    {
        "heterosexual": "Heterosexual or Straight", "straight": "Heterosexual or Straight",
        "straight heterosexual": "Heterosexual or Straight",
        "gay": "Gay or Lesbian", "lesbian": "Gay or Lesbian", "gay man": "Gay or Lesbian",
        "gay woman": "Gay or Lesbian", "gay woman lesbian": "Gay or Lesbian",
        "gay lesbian": "Gay or Lesbian", "lesbian or gay": "Gay or Lesbian",
        "other": "Other sexual orientation not listed", "not sure": "Undecided",
        "not stated": _SO_NOT_STATED, "prefer not to say": _SO_NOT_STATED,
        "not declared": _SO_NOT_STATED, "declined": _SO_NOT_STATED,
        "i do not wish to disclose my sexual orientation": _SO_NOT_STATED,
        "do not wish to disclose": _SO_NOT_STATED,
        "not known": "Unspecified", "unknown": "Unspecified",
    },
    blank="Unspecified",
)  # fmt: skip

_MARITAL = _lookup_normaliser(
    schemas.MARITAL_STATUS_VALUES,
    {
        "civil partner": "Civil Partnership", "in a civil partnership": "Civil Partnership",
        "separated": "Legally Separated", "widow": "Widowed", "widower": "Widowed",
        "never married": "Single", "not known": "Unknown", "not stated": "Unknown",
        "prefer not to say": "Unknown", "unspecified": "Unknown", "not declared": "Unknown",
        "surviving civil partner": "Widowed", "dissolved civil partnership": "Divorced",
    },
    blank="Unknown",
)  # fmt: skip

_CONTRACT = _lookup_normaliser(
    schemas.CONTRACT_STATUS_VALUES,
    {"full time": "Full-Time", "ft": "Full-Time", "fulltime": "Full-Time", "f t": "Full-Time",
     "part time": "Part-Time", "pt": "Part-Time", "parttime": "Part-Time", "p t": "Part-Time"},
)  # fmt: skip

_OUTCOME = _lookup_normaliser(
    schemas.BIRTH_OUTCOMES,
    {"live": "Live birth", "liveborn": "Live birth", "live born": "Live birth",
     "born alive": "Live birth", "alive": "Live birth", "still birth": "Stillbirth",
     "stillborn": "Stillbirth", "still born": "Stillbirth"},
)  # fmt: skip


def _outcome(value: object) -> object:
    out = _OUTCOME(value)
    if (
        isinstance(out, str)
        and out not in schemas.BIRTH_OUTCOMES
        and norm(out).startswith("still")
    ):
        return "Stillbirth"
    return out


_MSDS_DELIVERY = {
    "0": "Spontaneous", "1": "Spontaneous", "2": "Instrumental", "3": "Instrumental",
    "4": "Instrumental", "5": "Spontaneous", "6": "Instrumental", "7": "Elective caesarean",
    "8": "Emergency caesarean", "9": "Not known",
}  # fmt: skip


def _delivery(value: object) -> object:
    if pd.isna(value):
        return "Not known"
    t = norm(value)
    for canonical in schemas.DELIVERY_METHODS:
        if t == norm(canonical):
            return canonical
    if t in _MSDS_DELIVERY:
        return _MSDS_DELIVERY[t]
    if re.search(r"caes|cesar|c section|\bcs\b|lscs|section", t):
        if re.search(r"elect|planned|category 4|cat 4", t):
            return "Elective caesarean"
        if re.search(r"emerg|unplanned|category [123]|cat [123]", t):
            return "Emergency caesarean"
        return value
    if re.search(r"forceps|ventouse|instrument|assisted|vacuum|breech extraction", t):
        return "Instrumental"
    if re.search(r"spontaneous|normal|vaginal|svd|cephalic|vertex|breech", t):
        return "Spontaneous"
    if t in {"not known", "unknown", "not recorded", "missing"}:
        return "Not known"
    return value


def _pay_band(value: object) -> object:
    if pd.isna(value):
        return value
    t = norm(value)
    for canonical in schemas.PAY_BANDS:
        if t == norm(canonical):
            return canonical
    if "consultant" in t:
        return "Medical - Consultant"
    if re.search(r"career grade|specialty doctor|staff grade|associate specialist|\bsas\b", t):
        return "Medical - Career grade"
    if re.search(r"trainee|foundation|registrar|\bfy[12]\b|core train|specialty train", t):
        return "Medical - Trainee"
    if re.search(r"\bvsm\b|very senior manager|executive senior manager|\besm\b", t):
        return "VSM"
    if re.search(
        r"non afc|non agenda|local pay|^other$|non nhs|non review body|\bgp\b|"
        r"general practitioner|sessional|clinical lead",
        t,
    ):
        return "Non-AfC"
    m = re.fullmatch(
        r"(?:afc |agenda for change |review body |nhs |pay )*(?:band )?(\d)(?: ?range)? ?([a-d])?",
        t.replace("afc band", "band"),
    )
    if m:
        number, letter = m.group(1), m.group(2)
        if number == "8" and letter:
            return f"Band 8{letter}"
        if number != "8" and not letter and number != "0":
            return f"Band {number}"
    return value


def _age_band(value: object) -> object:
    if pd.isna(value):
        return value
    t = norm(value)
    if re.search(r"\b70\b.*(plus|over|100|and above)|^70$|70 \+", t) or str(value).strip() == "70+":
        return "70+"
    if re.search(r"^(under|less than|below) 20\b", t):
        return "16-19"
    m = re.match(r"^(\d{2}) (?:to )?(\d{2,3})\b", t)
    if m:
        low, high = int(m.group(1)), int(m.group(2))
        if low >= 70 and high >= 99:
            return "70+"
        candidate = f"{low}-{high}"
        if candidate in schemas.AGE_BANDS:
            return candidate
    return value


_ETHNIC_SYNONYMS = {
    "not stated": "Z", "prefer not to say": "Z", "not declared": "Z", "declined": "Z",
    "i do not wish to disclose my ethnic origin": "Z", "do not wish to disclose": "Z",
    "not known": "99", "unknown": "99", "not recorded": "99", "unspecified": "99",
}  # fmt: skip


def _ethnic_label_table() -> dict[str, str]:
    """Normalised NHS ethnic category labels -> code, from census.ETHNIC_CATEGORIES."""
    table = dict(_ETHNIC_SYNONYMS)
    try:
        from edi_analysis.census import ETHNIC_CATEGORIES
    except ImportError:  # pragma: no cover - census module not yet available
        return table
    frame = pd.DataFrame(ETHNIC_CATEGORIES)
    if "code" not in frame.columns:
        frame = frame.reset_index().rename(columns={"index": "code"})
    label_columns = [c for c in frame.columns if "label" in c or c == "census_19"]
    tails: dict[str, set[str]] = {}
    for _, row in frame.iterrows():
        code = str(row["code"])
        if code in (schemas.ETHNIC_NOT_STATED, schemas.ETHNIC_NOT_KNOWN):
            continue
        for col in label_columns:
            label = row[col]
            if not isinstance(label, str) or not label:
                continue
            key = norm(label)
            table.setdefault(key, code)
            if key.startswith(norm(code) + " "):
                table.setdefault(key[len(code) + 1 :], code)
            for sep in (" - ", ": "):
                if sep in label:  # "Indian", "Any other White background"
                    tails.setdefault(norm(label.rsplit(sep, 1)[1]), set()).add(code)
    for tail, codes in tails.items():
        if len(codes) == 1:
            table.setdefault(tail, codes.pop())
    return table


_ETHNIC_TABLE: dict[str, str] | None = None


def _ethnic(value: object) -> object:
    global _ETHNIC_TABLE
    if pd.isna(value):
        return schemas.ETHNIC_NOT_KNOWN
    text = str(value).strip()
    if text.upper() in schemas.ETHNIC_CODES:
        return text.upper()
    if re.fullmatch(r"99(\.0)?", text):
        return schemas.ETHNIC_NOT_KNOWN
    m = re.match(r"^([A-Za-z][A-Za-z0-9]?|99)(?:\s*[-:.)]\s*|\s+)(\S.*)$", text)
    if m and m.group(1)[0].upper() in schemas.ETHNIC_CODES and m.group(1)[0].isupper():
        # "A White - British", "CA White English" (extended codes nest under the letter)
        return "99" if m.group(1) == "99" else m.group(1)[0].upper()
    if _ETHNIC_TABLE is None:
        _ETHNIC_TABLE = _ethnic_label_table()
    return _ETHNIC_TABLE.get(norm(text), value)


_TRUE = {"yes", "y", "true", "t", "1", "1 0"}
_FALSE = {"no", "n", "false", "f", "0", "0 0"}
_BOOL_EXTRA: dict[str, tuple[set[str], set[str]]] = {
    "appointed": (
        {"appointed", "successful", "hired", "offered", "offer made", "offer accepted"},
        {"not appointed", "unsuccessful", "rejected", "not successful", "withdrawn",
         "declined", "no offer"},
    ),
    "executive": (
        {"executive", "exec", "executive director", "executive member"},
        {"non executive", "non exec", "non executive director", "non executive member",
         "nonexecutive", "partner member", "associate"},
    ),
    "voting": ({"voting", "voting member"}, {"non voting", "nonvoting", "non voting member"}),
    "accessed": ({"accessed", "attended", "completed"}, {"not accessed", "did not access"}),
    "termination": ({"termination", "top"}, {"not a termination"}),
}  # fmt: skip


def bool_value(column: str, value: object) -> bool | None:
    """True/False, or None when the text is not recognised."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    t = norm(value)
    extra_true, extra_false = _BOOL_EXTRA.get(column, (set(), set()))
    if t in _TRUE or t in extra_true:
        return True
    if t in _FALSE or t in extra_false:
        return False
    return None


CATEGORICAL: dict[str, Callable[[object], object]] = {
    "pay_band": _pay_band,
    "age_band": _age_band,
    "sex": _SEX,
    "ethnic_category": _ethnic,
    "mother_ethnic_category": _ethnic,
    "disability": _DISABILITY,
    "religion_belief": _RELIGION,
    "sexual_orientation": _SEXUAL_ORIENTATION,
    "marital_status": _MARITAL,
    "contract_status": _CONTRACT,
    "outcome": _outcome,
    "delivery_method": _delivery,
}

BOOL_DEFAULTS: dict[str, bool | None] = {
    "full_pay_relevant": True,
    "termination": False,
    "appointed": None,
    "accessed": None,
    "voting": None,
    "executive": None,
    "language_recorded": None,  # derived from mother_language when blank/absent
}

SUPPRESSED_MARKS = {"*", "-", "n a", "na", "suppressed", "s", "c", "x", ""}
