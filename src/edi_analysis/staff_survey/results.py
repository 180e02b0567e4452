"""The aggregated survey results: their shape, their checks, and how a run gets them.

The chapter's input is the aggregated shape organisations receive from the survey (one
row per year x question x breakdown x subgroup with ``n_respondents`` and
``pct_positive``, see ``docs/DESIGN.md``), or respondent-level pulse-survey data turned
into that shape by :func:`aggregate_responses`. :func:`select_results` picks whichever a
run supplies.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from edi_analysis.errors import InputError, InputProblem
from edi_analysis.staff_survey.catalogue import _check_catalogue, _measure, _parse_answer_codes

__all__ = [
    "BREAKDOWN_COLUMNS",
    "ORGANISATION",
    "OVERALL",
    "REPORT_BREAKDOWNS",
    "RESULT_COLUMNS",
    "aggregate_responses",
    "select_results",
]


RESULT_COLUMNS = ["year", "question", "breakdown", "subgroup", "n_respondents", "pct_positive"]
OVERALL = "Overall"
ORGANISATION = "Organisation"

#: Breakdowns reported in the chapter, in report order.
REPORT_BREAKDOWNS: tuple[str, ...] = (
    "Age", "Disability", "Ethnicity", "Sex", "Sexual orientation", "Religion", "Division",
    "Directorate",
)

#: Default respondent-level characteristic column for each breakdown (``aggregate_responses``).
BREAKDOWN_COLUMNS: dict[str, str] = {
    "Age": "age_band",
    "Disability": "disability",
    "Ethnicity": "ethnic_category",
    "Sex": "sex",
    "Sexual orientation": "sexual_orientation",
    "Religion": "religion_belief",
    "Division": "division",
    "Directorate": "directorate",
}


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------
def _validate_results(results: pd.DataFrame, catalogue: pd.DataFrame,
                      scores: bool = False) -> pd.DataFrame:
    if not isinstance(results, pd.DataFrame):
        raise ValueError(f"results must be a DataFrame, got {type(results).__name__}.")
    missing = [c for c in RESULT_COLUMNS if c not in results.columns]
    if missing:
        raise InputError(
            [InputProblem("<DataFrame>", c, None, None, "a column of the survey results "
                          "(year, question, breakdown, subgroup, n_respondents, pct_positive)")
             for c in missing]
        )
    frame = results[RESULT_COLUMNS].copy().reset_index(drop=True)
    problems: list[InputProblem] = []
    n = pd.to_numeric(frame["n_respondents"], errors="coerce")
    pct = pd.to_numeric(frame["pct_positive"], errors="coerce")
    for i in np.flatnonzero((n.isna() | (n < 0)).to_numpy()):
        problems.append(InputProblem("<DataFrame>", "n_respondents", int(i) + 2,
                                     str(frame.at[i, "n_respondents"]), "a count of 0 or more"))
    bad_pct = (pct.isna() & frame["pct_positive"].notna()) | (pct < 0) | (pct > 100)
    for i in np.flatnonzero(bad_pct.to_numpy()):
        problems.append(InputProblem("<DataFrame>", "pct_positive", int(i) + 2,
                                     str(frame.at[i, "pct_positive"]),
                                     "a percentage from 0 to 100, or blank"))
    unknown = sorted(set(frame["question"].astype(str)) - set(catalogue["code"]))
    if unknown:
        warnings.warn(
            f"Ignoring {len(unknown)} question code(s) not in the staff survey question "
            f"catalogue: {', '.join(unknown[:20])}{' ...' if len(unknown) > 20 else ''}. "
            "Add them to the catalogue to report them.", UserWarning, stacklevel=3)
        keep = ~frame["question"].isin(unknown)
        frame, n, pct = frame[keep], n[keep], pct[keep]
    if not scores:
        # mean scores (e.g. the engagement score, WDES 9a) are not percentages: they are
        # reported by wdes_engagement_metric, never rated, tested or trended as a %
        measure = _measure(catalogue)
        keep = ~frame["question"].isin(measure.index[measure == "score"])
        frame, n, pct = frame[keep], n[keep], pct[keep]
    dup = frame.duplicated(["year", "question", "breakdown", "subgroup"], keep="first")
    for i in frame.index[dup.to_numpy()]:
        problems.append(InputProblem("<DataFrame>", None, int(i) + 2,
                                     f"{frame.at[i, 'year']}/{frame.at[i, 'question']}/"
                                     f"{frame.at[i, 'breakdown']}/{frame.at[i, 'subgroup']}",
                                     "one row per year, question, breakdown and subgroup"))
    overall = frame.loc[frame["breakdown"] == OVERALL, ["year", "question"]]
    needed = frame[["year", "question"]].drop_duplicates()
    lacking = needed.merge(overall, how="left", indicator=True).query("_merge == 'left_only'")
    for _, row in lacking.iterrows():
        problems.append(InputProblem("<DataFrame>", "breakdown", None,
                                     f"{row['year']}/{row['question']}",
                                     "an 'Overall' (organisation) row for every year and "
                                     "question"))
    if problems:
        raise InputError(problems)
    frame["n_respondents"] = n.astype("int64")
    frame["pct_positive"] = pct.astype(float)
    frame["year"] = frame["year"].astype("int64")
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# respondent-level data
# --------------------------------------------------------------------------------------
_ETHNIC_CODE_GROUPS = {
    **dict.fromkeys("ABC", "White"), **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian or Asian British"),
    **dict.fromkeys("MNP", "Black or Black British"),
    **dict.fromkeys("RS", "Other ethnic group"), "Z": "Not stated", "99": "Not stated",
}


def _split(value: object) -> set[str]:
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    return {s.strip().lower() for s in text.split(";") if s.strip()}


_WHOLE_NUMBER = re.compile(r"^\s*[+-]?\d+(\.0*)?\s*$")


def _answer_texts(column: pd.Series, code: str, cat: pd.DataFrame,
                  answers: str) -> pd.Series:
    """Answers of one question column as stripped lower-case texts (codes translated)."""
    text = column.astype("string").str.strip()
    blank = text.isna() | (text == "")
    numeric = text.fillna("").str.match(_WHOLE_NUMBER)
    if answers == "text" or (answers == "auto" and not (numeric | blank).all()) \
            or (answers == "auto" and blank.all()):
        return text.str.lower()
    coding = _parse_answer_codes(cat.at[code, "answer_codes"] if "answer_codes" in cat.columns
                                 else "", code)
    problems = []
    if not coding:
        problems.append(InputProblem("<DataFrame>", code, None, None,
                                     f"answer texts: the catalogue gives no answer_codes for "
                                     f"{code}, so numeric answers cannot be translated"))
    else:
        values = pd.to_numeric(text.where(numeric), errors="coerce")
        bad = ~blank & (values.isna() | ~values.isin(list(coding)))
        expected = ", ".join(f"{k} ({v})" for k, v in coding.items())
        for i in np.flatnonzero(bad.to_numpy())[:50]:
            problems.append(InputProblem("<DataFrame>", code, int(i) + 2,
                                         str(column.iloc[i]), f"an answer code: {expected}"))
    if problems:
        raise InputError(problems)
    mapped = values.map(lambda v: coding.get(int(v)) if pd.notna(v) else pd.NA)
    return mapped.astype("string")


def aggregate_responses(
    responses: pd.DataFrame,
    catalogue: pd.DataFrame | None = None,
    breakdowns: Mapping[str, str] | None = None,
    answers: str = "auto",
) -> pd.DataFrame:
    """Aggregate respondent-level answers to the aggregated survey-results shape.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent per year: ``respondent_id``, ``year``, one column per
        question code holding the answer text (blank if not answered), and the
        characteristic columns named in ``breakdowns``.
    catalogue : DataFrame, optional
        Question catalogue (default :func:`load_catalogue`); ``counted_answers``,
        ``excluded_answers`` and ``components`` define each %.
    breakdowns : mapping of str to str, optional
        Breakdown name to characteristic column (default :data:`BREAKDOWN_COLUMNS`,
        keeping those present). Blank characteristics become "Not stated"; ethnic
        categories given as NHS codes are grouped to broad groups.
    answers : {"auto", "text", "codes"}, default "auto"
        How answers are given. "text": answer texts ("Agree", "1-2", "Yes"). "codes":
        numeric answer codes, translated with the catalogue's ``answer_codes`` (e.g.
        ``1=Strongly disagree;...;5=Strongly agree``). "auto": per question column,
        codes when every non-blank answer is a whole number (``4``, ``"4"``, ``4.0``),
        else text (so q17's "1" and "2-5" style texts stay texts).

    Returns
    -------
    DataFrame
        ``year``, ``question``, ``breakdown``, ``subgroup``, ``n_respondents``,
        ``pct_positive`` (0-100) with ``Overall``/``Organisation`` rows: the input of
        :func:`compare_to_overall`, which applies the same suppression as to national
        results.

    Raises
    ------
    InputError
        If ``year`` or ``respondent_id`` is missing, no catalogued question column is
        present, or numeric answer codes cannot be translated (a question without
        ``answer_codes`` in the catalogue, or a code it does not list; every such cell is
        listed with its row).
    ValueError
        For an unknown ``answers``, or malformed ``answer_codes`` in the catalogue.

    Notes
    -----
    For each question the base is the respondents whose answer is not blank and not one
    of ``excluded_answers``; the % is those giving one of ``counted_answers`` (matched
    case-insensitively). A derived measure (``components``, e.g. q14bc) counts a
    respondent who gives a counted answer to any component, among those answering at
    least one. Numeric codes are first translated to the answer texts of the catalogue's
    ``answer_codes`` (this project's coding for pulse surveys: Likert 1 = strongly
    disagree ... 5 = strongly agree, satisfaction 1 = very dissatisfied ... 5 = very
    satisfied, frequency 1 = never, 2 = 1-2, 3 = 3-5, 4 = 6-10, 5 = more than 10, yes/no
    1 = yes, 2 = no); pass a catalogue with other ``answer_codes`` for another coding.
    Score measures (``measure="score"``, e.g. ``engagement``) are not aggregated here.
    """
    catalogue = _check_catalogue(catalogue)
    if not isinstance(responses, pd.DataFrame):
        raise ValueError(f"responses must be a DataFrame, got {type(responses).__name__}.")
    if answers not in ("auto", "text", "codes"):
        raise ValueError(f"answers must be 'auto', 'text' or 'codes', got {answers!r}.")
    problems = [InputProblem("<DataFrame>", c, None, None, "a column of the responses")
                for c in ("respondent_id", "year") if c not in responses.columns]
    measure = _measure(catalogue)
    codes = [c for c in catalogue["code"]
             if c in responses.columns and measure.get(c, "percent") != "score"]
    derived = catalogue[(catalogue["components"].fillna("") != "")
                        & ~catalogue["code"].isin(codes)]
    derived = derived[derived["components"].map(
        lambda s: all(c.strip() in responses.columns for c in str(s).split(";")))]
    if not codes and derived.empty:
        problems.append(InputProblem("<DataFrame>", None, None, None,
                                     "at least one question column named by its catalogue "
                                     "code (e.g. q14a)"))
    if problems:
        raise InputError(problems)
    if breakdowns is None:
        breakdowns = {b: c for b, c in BREAKDOWN_COLUMNS.items() if c in responses.columns}
    missing = [c for c in breakdowns.values() if c not in responses.columns]
    if missing:
        raise InputError([InputProblem("<DataFrame>", c, None, None,
                                       "a characteristic column named in breakdowns")
                          for c in missing])
    cat = catalogue.set_index("code")
    scored = pd.DataFrame({"year": responses["year"].astype(int)}, index=responses.index)
    answered = pd.DataFrame(index=responses.index)
    for code in codes:
        answer = _answer_texts(responses[code], code, cat, answers)
        counted = _split(cat.at[code, "counted_answers"])
        excluded = _split(cat.at[code, "excluded_answers"])
        valid = answer.notna() & (answer != "") & ~answer.isin(excluded)
        answered[code] = valid.fillna(False).astype(bool)
        scored[code] = answer.isin(counted).fillna(False).astype(bool) & answered[code]
    for code, spec in derived.set_index("code").iterrows():
        parts = [c.strip() for c in str(spec["components"]).split(";")]
        answered[code] = answered[parts].any(axis=1)
        scored[code] = scored[parts].any(axis=1)
    all_codes = list(answered.columns)
    groups: dict[str, pd.Series] = {OVERALL: pd.Series(ORGANISATION, index=responses.index)}
    for name, col in breakdowns.items():
        values = responses[col].astype("string").str.strip()
        values = values.mask(values.isna() | (values == ""), "Not stated")
        if name == "Ethnicity" and values.str.fullmatch(r"[A-HJ-NPRSZ]|99").all():
            values = values.map(_ETHNIC_CODE_GROUPS)
        groups[name] = values.astype(str)
    frames = []
    for name, labels in groups.items():
        n = answered.groupby([scored["year"], labels]).sum()
        x = scored[all_codes].where(answered[all_codes], False).groupby(
            [scored["year"], labels]).sum()
        n_long = n.stack().rename("n_respondents")
        x_long = x.stack().rename("x")
        long = pd.concat([n_long, x_long], axis=1).reset_index()
        long.columns = ["year", "subgroup", "question", "n_respondents", "x"]
        long["breakdown"] = name
        frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["pct_positive"] = np.where(out["n_respondents"] > 0,
                                       out["x"] / out["n_respondents"] * 100, np.nan)
    out["n_respondents"] = out["n_respondents"].astype("int64")
    out["year"] = out["year"].astype("int64")
    return out[RESULT_COLUMNS].sort_values(
        ["year", "question", "breakdown", "subgroup"]).reset_index(drop=True)


def select_results(
    inputs: Mapping[str, pd.DataFrame | None],
    years: Iterable[int] | None = None,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The aggregated survey results of a run, from aggregated or respondent-level inputs.

    Parameters
    ----------
    inputs : mapping
        The run's inputs (:func:`edi_analysis.inputs.org_inputs`): ``survey_results``
        (aggregated) is used when present, else ``survey_responses`` is aggregated with
        :func:`aggregate_responses`.
    years : iterable of int, optional
        Survey years to keep (default all).
    catalogue : DataFrame, optional

    Returns
    -------
    DataFrame
        Aggregated results (``RESULT_COLUMNS``, plus the optional ``score`` and
        ``score_sd`` columns of score rows such as ``engagement`` when present), not yet
        suppressed.

    Raises
    ------
    InputError
        If neither input is present, or no results remain for ``years``.
    """
    results = inputs.get("survey_results")
    if results is None:
        responses = inputs.get("survey_responses")
        if responses is None:
            raise InputError.single("<run inputs>", "a survey_results or survey_responses "
                                    "file")
        results = aggregate_responses(responses, catalogue)
    optional = [c for c in ("score", "score_sd") if c in results.columns]
    results = results[RESULT_COLUMNS + optional]
    if years is not None:
        wanted = [int(y) for y in years]
        results = results[results["year"].astype(int).isin(wanted)]
        if results.empty:
            raise InputError.single("survey_results", f"results for the years {wanted}",
                                    column="year")
    return results.reset_index(drop=True)
