"""Subgroup labels: "not stated" labels, report order, and the groups WRES/WDES compare.

WRES compares White with Black and minority ethnic (BME) staff, WDES disabled with
non-disabled staff, and the chapter's headline sex comparison is male with female staff;
the functions here read those groups off the subgroup labels of the results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["classify_disability", "classify_ethnicity", "subgroup_order"]


_NOT_STATED = re.compile(
    r"not\s*(stated|known|declared|given)|prefer\s*not|unknown|unspecified|do not wish|"
    r"^\s*(z|99)\s*$", re.IGNORECASE)


def subgroup_order(labels: Iterable[str]) -> list[str]:
    """Subgroups in their given order, with "prefer not to say"-style labels moved last."""
    labels = list(dict.fromkeys(labels))
    return ([g for g in labels if not _NOT_STATED.search(str(g))]
            + [g for g in labels if _NOT_STATED.search(str(g))])


def classify_ethnicity(subgroup: str) -> str | None:
    """Return "White", "BME" or None (not stated) for an ethnicity subgroup label.

    Notes
    -----
    WRES compares White staff (all White categories, NHS Data Dictionary codes A-C) with
    Black and minority ethnic (BME) staff (all other stated groups, D-S). Labels starting
    with "White" (or the single codes A, B, C) are White; "not stated"/"prefer not to
    say"/"unknown" style labels (and codes Z, 99) are excluded.
    """
    text = str(subgroup).strip()
    if not text or _NOT_STATED.search(text):
        return None
    if re.match(r"^white\b", text, re.IGNORECASE) or text.upper() in {"A", "B", "C"}:
        return "White"
    return "BME"


def classify_disability(subgroup: str) -> str | None:
    """Return "Disabled", "Non-disabled" or None (not stated) for a disability subgroup.

    Notes
    -----
    The survey asks whether the respondent has a long-lasting physical or mental health
    condition or illness (q31a); WDES counts "Yes" as disabled, "No" as non-disabled.
    """
    text = str(subgroup).strip().lower()
    if not text or _NOT_STATED.search(text):
        return None
    if re.match(r"^(no\b|non[-\s]?disabled|not disabled|without)", text):
        return "Non-disabled"
    if re.match(r"^(yes\b|disabled|with\b|has\b)", text):
        return "Disabled"
    return None


def _prefix(group: str) -> str:
    return re.sub(r"[^a-z]+", "_", group.lower()).strip("_")


_MALE_FEMALE = re.compile(r"^\s*(male|female|man|woman|men|women)\s*$", re.IGNORECASE)


def _is_headline_sex(breakdown: str, subgroup: object) -> bool:
    return breakdown == "Sex" and bool(_MALE_FEMALE.match(str(subgroup)))
