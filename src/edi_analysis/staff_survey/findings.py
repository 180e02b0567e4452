"""The chapter's text: plain-language findings, notes on withheld figures, method notes.

The functions here read the published tables (:meth:`SurveyRelease.comparison`,
:meth:`~SurveyRelease.wres`, :meth:`~SurveyRelease.wdes`,
:meth:`~SurveyRelease.engagement`) and describe them in sentences; withheld figures are
named as not reported, never with numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

from edi_analysis.staff_survey.groups import (
    _NOT_STATED,
    _is_headline_sex,
    _prefix,
    classify_disability,
    classify_ethnicity,
    subgroup_order,
)
from edi_analysis.staff_survey.indicators import ENGAGEMENT_MISSING
from edi_analysis.staff_survey.results import OVERALL, REPORT_BREAKDOWNS
from edi_analysis.staff_survey.rules import _check_threshold

__all__ = [
    "engagement_findings",
    "indicator_findings",
    "key_findings",
    "method_notes",
    "withheld_notes",
]


def engagement_findings(engagement: pd.DataFrame, year: int | None = None) -> list[str]:
    """Plain-language sentence for WDES metric 9a (:func:`wdes_engagement_metric`).

    Parameters
    ----------
    engagement : DataFrame
        Output of :func:`wdes_engagement_metric`.
    year : int, optional
        Default: the latest.

    Returns
    -------
    list of str
        One sentence: both groups' scores (two decimals) and the gap, with whether it is
        statistically significant when an interval could be computed; or why the metric
        is not available or withheld (without figures).
    """
    if engagement.empty:
        return [f"WDES metric 9a (staff engagement score) is {ENGAGEMENT_MISSING}."]
    year = int(engagement["year"].max()) if year is None else int(year)
    part = engagement[engagement["year"] == year]
    if part.empty:
        return []
    row = part.iloc[0]
    head = "WDES metric 9a (staff engagement score, 0-10)"
    if not bool(row["available"]):
        return [f"{head} is {row['note']}."]
    shown = [(name, row[f"{p}_score"]) for p, name in
             (("disabled", "disabled staff"), ("non_disabled", "non-disabled staff"))
             if pd.notna(row[f"{p}_score"])]
    if len(shown) < 2:
        withheld = [name for p, name in (("disabled", "disabled staff"),
                                         ("non_disabled", "non-disabled staff"))
                    if bool(row[f"{p}_suppressed"])]
        why = ("withheld for " + _list_phrase(withheld) + " (too few responses, or it would "
               "reveal a suppressed group)") if withheld else "no score for both groups"
        return [f"{head}: not reported ({why})."]
    text = f"{head}: {shown[0][1]:.2f} for {shown[0][0]} compared with {shown[1][1]:.2f} for " \
           f"{shown[1][0]}"
    if pd.notna(row["p_value"]):
        sig = "statistically significant" if row["significant"] else \
            "not statistically significant"
        text += f", a difference of {row['difference']:+.2f} points that is {sig}."
    else:
        text += (f", a difference of {row['difference']:+.2f} points (no standard deviation "
                 "was supplied, so its precision cannot be assessed).")
    return [text]


# --------------------------------------------------------------------------------------
# key findings
# --------------------------------------------------------------------------------------
_NOUNS = {"Age": "age", "Disability": "disability status", "Ethnicity": "ethnic group",
          "Sex": "sex", "Sexual orientation": "sexual orientation", "Religion": "religion",
          "Division": "division", "Directorate": "directorate"}


def _group_phrase(breakdown: str, subgroup: str) -> str:
    noun = _NOUNS.get(breakdown, breakdown.lower())
    text = str(subgroup).strip()
    if _NOT_STATED.search(text):
        return f"Staff who preferred not to say their {noun}"
    if breakdown == "Ethnicity":
        if classify_ethnicity(text) == "White":
            return "White staff" if text.lower() == "white" else f"Staff in the {text} group"
        return f"Staff from the {text} ethnic group"
    if breakdown == "Age":
        return f"Staff aged {text}"
    if breakdown == "Disability":
        kind = classify_disability(text)
        if kind == "Disabled":
            return "Disabled staff (with a long-term condition or illness)"
        if kind == "Non-disabled":
            return "Non-disabled staff"
    if breakdown in ("Directorate", "Division"):
        return f"Staff in {text}"
    if breakdown in ("Sex", "Sexual orientation", "Religion"):
        low = text.lower()
        if low in ("other", "any other", "other sexual orientation"):
            return f"Staff of another {noun}"
        if low.startswith("any other"):
            return f"Staff of {low}"
        if low.startswith("no "):
            return f"Staff with {low}"
        return f"{text} staff"
    return f"Staff in the {text} group ({breakdown.lower()})"


def _list_phrase(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def key_findings(
    comparison: pd.DataFrame,
    *,
    year: int | None = None,
    breakdowns: Iterable[str] | None = None,
    max_questions: int = 3,
    min_questions: int = 3,
) -> list[str]:
    """Plain-language findings from a :func:`compare_to_overall` result.

    Parameters
    ----------
    comparison : DataFrame
        Output of :func:`compare_to_overall` (already suppressed).
    year : int, optional
        Survey year to describe (default: the latest).
    breakdowns : iterable of str, optional
        Breakdowns to describe, in order (default: :data:`REPORT_BREAKDOWNS` present,
        then any others).
    max_questions : int, default 3
        Questions named per group (the largest differences first).
    min_questions : int, default 3
        A group with fewer Red ratings than this, none statistically reliable, is only
        listed in one summary sentence per breakdown.

    Returns
    -------
    list of str
        Sentences such as "Ethnicity: Staff from the Black ethnic group reported a poorer
        experience than the organisation as a whole (at least 3 points worse) on 5 of 6
        questions, the largest gaps being on q15 (...), q16b and q14a." Red ratings are
        counted among the questions the group is rated on. Suppressed subgroups are named
        only as not reported, never with figures.

    Raises
    ------
    ValueError
        If ``comparison`` lacks the columns of :func:`compare_to_overall`.
    """
    needed = {"year", "breakdown", "subgroup", "rating", "suppressed", "question",
              "better_pts", "reliable", "threshold"}
    if not isinstance(comparison, pd.DataFrame) or needed - set(comparison.columns):
        raise ValueError("comparison must be the output of compare_to_overall().")
    if comparison.empty:
        return []
    year = int(comparison["year"].max()) if year is None else int(year)
    frame = comparison[(comparison["year"] == year) & (comparison["breakdown"] != OVERALL)]
    if breakdowns is None:
        present = list(dict.fromkeys(frame["breakdown"]))
        breakdowns = [b for b in REPORT_BREAKDOWNS if b in present] + [
            b for b in present if b not in REPORT_BREAKDOWNS]
    threshold = float(comparison["threshold"].iloc[0])
    t = f"{threshold:g} point{'s' if threshold != 1 else ''}"
    wording = dict(zip(comparison["question"], comparison["short_wording"], strict=False))
    sentences: list[str] = []
    for breakdown in breakdowns:
        part = frame[frame["breakdown"] == breakdown]
        if part.empty:
            continue
        rated = part[part["rating"].notna()]
        detailed, minor = [], []
        for subgroup in subgroup_order(rated["subgroup"]):
            rows = rated[rated["subgroup"] == subgroup]
            red = rows[rows["rating"] == "Red"].sort_values("better_pts", kind="stable")
            if red.empty:
                continue
            reliable = int(red["reliable"].sum())
            if len(red) < min_questions and not reliable:
                minor.append(str(subgroup))
                continue
            top = red.iloc[0]
            others = list(red["question"].iloc[1:max_questions])
            named = f"{top['question']} ({_plain(wording.get(top['question'], ''))})"
            if others:
                named += f", {_list_phrase(others)}" if len(red) > max_questions else \
                    f" and {_list_phrase(others)}" if len(others) == 1 else \
                    f", {_list_phrase(others)}"
            lead = "the largest gaps being on " if len(red) > 1 else "on "
            text = (f"{breakdown}: {_group_phrase(breakdown, str(subgroup))} reported a poorer "
                    f"experience than the organisation as a whole (at least {t} worse) on "
                    f"{len(red)} of {len(rows)} questions, {lead}{named}.")
            if reliable:
                text += (f" For {_count_phrase(reliable, len(red))} the difference from the "
                         "rest of the organisation is statistically significant.")
            else:
                text += (" None of these differences is statistically significant, so they "
                         "may reflect chance.")
            detailed.append((len(red), text))
        for _, text in sorted(detailed, key=lambda item: -item[0]):
            sentences.append(text)
        if minor:
            phrases = [_group_phrase(breakdown, g) for g in minor]
            phrases = phrases[:1] + [p[0].lower() + p[1:] if p.startswith("Staff") else p
                                     for p in phrases[1:]]
            each = " each" if len(minor) > 1 else ""
            sentences.append(
                f"{breakdown}: {_list_phrase(phrases)} scored at least {t} worse than the "
                f"organisation on at most {min_questions - 1} question"
                f"{'s' if min_questions > 2 else ''}{each}, none statistically significant.")
        if not detailed and not minor and len(rated):
            sentences.append(f"{breakdown}: no group reported an experience at least {t} "
                             "worse than the organisation as a whole on any question.")
        hidden = subgroup_order(sorted(set(part.loc[part["suppressed"], "subgroup"])
                                       - set(rated["subgroup"])))
        if hidden:
            plural = "s" if len(hidden) > 1 else ""
            sentences.append(f"{breakdown}: results for the {_list_phrase(hidden)} group{plural} "
                             "are not reported, to protect the confidentiality of small groups.")
    return sentences


def _plain(text: str) -> str:
    """Short wording in running text: lower-case start, no trailing parenthesis."""
    text = re.sub(r"\s*\([^()]*\)\s*$", "", str(text)).strip()
    return text[:1].lower() + text[1:] if text else text


def _count_phrase(k: int, n: int) -> str:
    return "this question" if n == 1 else f"{k} of these"


def indicator_findings(indicators: pd.DataFrame, kind: str = "wres",
                       year: int | None = None) -> list[str]:
    """Plain-language sentences for WRES indicators 5-8 or WDES survey metrics.

    Parameters
    ----------
    indicators : DataFrame
        Output of :func:`wres_survey_indicators` (``kind="wres"``) or
        :func:`wdes_survey_metrics` (``kind="wdes"``).
    kind : {"wres", "wdes"}
    year : int, optional
        Default: the latest.

    Returns
    -------
    list of str
        One sentence per indicator with both groups' % (to one decimal), which group
        reports the poorer experience and whether the difference is statistically
        significant. Withheld figures are described as not reported, without numbers.

    Raises
    ------
    ValueError
        For an unknown ``kind``.
    """
    if kind == "wres":
        id_col, label, groups = "indicator", "WRES indicator", (
            ("white", "White staff"), ("bme", "BME staff"))
    elif kind == "wdes":
        id_col, label, groups = "metric", "WDES metric", (
            ("disabled", "disabled staff"), ("non_disabled", "non-disabled staff"))
    else:
        raise ValueError(f"kind must be 'wres' or 'wdes', got {kind!r}.")
    if indicators.empty:
        return []
    year = int(indicators["year"].max()) if year is None else int(year)
    out = []
    names = {"White": "White staff", "BME": "BME staff", "Disabled": "disabled staff",
             "Non-disabled": "non-disabled staff"}
    for _, row in indicators[indicators["year"] == year].iterrows():
        head = f"{label} {row[id_col]} ({_plain(row['description'])}, {row['question']})"
        if not bool(row.get("available", True)):
            out.append(f"{head} is {row['note']}.")
            continue
        shown = [(name, row[f"{p}_value"]) for p, name in groups if pd.notna(row[f"{p}_value"])]
        withheld = [name for p, name in groups
                    if pd.isna(row[f"{p}_value"]) and bool(row.get(f"{p}_suppressed", False))]
        note = str(row.get("note") or "")
        reason = ("withheld so that a suppressed group cannot be worked out"
                  if "would reveal" in note else "too few responses")
        if not shown:
            out.append(f"{head}: not reported ({reason if withheld else 'no results'}).")
            continue
        parts = " compared with ".join(f"{v * 100:.1f}% of {name}" for name, v in shown)
        text = f"{head}: {parts}"
        if len(shown) == 2 and isinstance(row["worse_for"], str):
            significance = ("statistically significant" if row["significant"]
                            else "not statistically significant")
            text += (f"; {names.get(row['worse_for'], row['worse_for'])} report the poorer "
                     f"experience, a difference of {abs(row['difference_pts']):.1f} points "
                     f"that is {significance}.")
        else:
            text += "."
        if withheld:
            text += f" The figure for {_list_phrase(withheld)} is not reported ({reason})."
        out.append(text[0].upper() + text[1:])
    return out


def withheld_notes(comparison: pd.DataFrame, wres: pd.DataFrame | None = None,
                   wdes: pd.DataFrame | None = None) -> list[str]:
    """Sentences naming the organisation results and headline comparisons withheld.

    Parameters
    ----------
    comparison : DataFrame
        :meth:`SurveyRelease.comparison`.
    wres, wdes : DataFrame, optional
        :meth:`SurveyRelease.wres` and :meth:`SurveyRelease.wdes`.

    Returns
    -------
    list of str
        The survey years and questions whose organisation result is withheld, and the
        White/BME, disabled/non-disabled and male/female figures withheld, with why
        (no figures).
    """
    out = []
    org = comparison[(comparison["breakdown"] == OVERALL) & comparison["suppressed"]]
    if len(org):
        years = "; ".join(f"{y}: {', '.join(map(str, g['question']))}"
                          for y, g in org.groupby("year", sort=True))
        out.append(
            f"The organisation's result is withheld for {len(org)} survey question"
            f"{'s' if len(org) > 1 else ''} across the years ({years}): with it, the "
            "result of a small "
            "hidden group could be worked out from the published groups (typically when "
            "none, or all, of its few respondents answered one way).")
    else:
        out.append("No organisation result is withheld.")
    sex = comparison[(comparison["breakdown"] == "Sex") & comparison["suppressed"]
                     & comparison["subgroup"].map(lambda g: _is_headline_sex("Sex", g))]
    headline = [(f"{g} staff", r, y, q) for g, r, y, q in zip(
        sex["subgroup"], sex["suppression_reason"], sex["year"], sex["question"],
        strict=True)]
    for frame, groups in ((wres, ("White", "BME")), (wdes, ("Disabled", "Non-disabled"))):
        if frame is None or frame.empty:
            continue
        for g in groups:
            p = _prefix(g)
            hidden = frame[frame[f"{p}_suppressed"].astype(bool)]
            headline += [(f"{g} staff", "primary" if "fewer than" in str(n) else
                          "complementary", y, q) for n, y, q in zip(
                hidden["note"], hidden["year"], hidden["question"], strict=True)]
    if not headline:
        out.append("No White/BME, disabled/non-disabled or male/female figure is withheld.")
        return out
    small = sorted({f"{g} ({y} {q})" for g, r, y, q in headline if r == "primary"})
    other = sorted({f"{g} ({y} {q})" for g, r, y, q in headline if r != "primary"})
    if small:
        out.append("Withheld because fewer than the threshold responded: "
                   + _list_phrase(small) + ".")
    if other:
        out.append("Withheld so that a hidden group cannot be worked out: "
                   + _list_phrase(other) + ".")
    return out


# --------------------------------------------------------------------------------------
# method text
# --------------------------------------------------------------------------------------
def method_notes(threshold: float = 3.0, min_responses: int = 10,
                 confidence: float = 0.95) -> list[str]:
    """Sentences describing the chapter's method with the run's parameters.

    Returns
    -------
    list of str
        For :func:`edi_analysis.report.display.narrative`.
    """
    threshold = _check_threshold(threshold)
    level = f"{confidence * 100:g}%"
    return [
        f"Each group's percentage is compared with the organisation's: Green means at least "
        f"{threshold:g} percentage points better, Red at least {threshold:g} points worse and "
        f"Amber within {threshold:g} points. For questions about harassment, violence, "
        "discrimination and pressure to work when unwell a lower percentage is better.",
        f"Groups with fewer than {min_responses} responses are not shown (*). Where a hidden "
        "group's result could be worked out from the published ones (the organisation, the "
        "other groups, the BME or disabled totals, a division and its directorates, other "
        "years), further results are hidden too, chosen so that the organisation's results "
        "and the White/BME, disabled/non-disabled and male/female comparisons stay shown "
        "wherever possible. As in the NHS Staff Survey's own breakdown reports, staff who "
        "did not answer a question about themselves are not reported as a group.",
        f"Differences of a few points can arise by chance in small groups. Each percentage "
        f"has a {level} Wilson confidence interval, and each group is tested against the "
        "rest of the organisation (two-proportion z test, or Fisher's exact test when counts "
        "are small); † marks Red or Green ratings whose difference is statistically "
        f"significant ({level} confidence). Every figure is worked out from the published "
        "percentages and numbers of respondents.",
    ]
