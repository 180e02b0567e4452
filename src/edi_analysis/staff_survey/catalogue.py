"""The NHS Staff Survey question catalogue: loading and checking it.

The catalogue (``catalogue/staff_survey_questions.csv``, or an analyst's own copy) names
every question the chapter reports: its wording, theme, which answers count towards the
%, its direction, the WRES indicator or WDES metric it serves, whether it is a % or a
mean score, and how numeric answer codes of respondent-level files translate to answer
texts.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from edi_analysis.errors import InputError, InputProblem

__all__ = ["MEASURES", "load_catalogue"]


#: Kinds of measure in the catalogue's ``measure`` column.
MEASURES = ("percent", "score")


_CATALOGUE_COLUMNS = [
    "code", "short_wording", "theme", "reported_as", "counted_answers", "excluded_answers",
    "higher_is_better", "wres_indicator", "wdes_metric", "components", "population",
    "measure", "answer_codes", "source",
]  # fmt: skip


def _read_catalogue(file: str | os.PathLike, name: str) -> pd.DataFrame:
    frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    missing = [c for c in _CATALOGUE_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError.single(name, f"the catalogue columns {_CATALOGUE_COLUMNS}",
                                column=", ".join(missing), value="(missing)")
    higher = frame["higher_is_better"].str.strip().str.lower().map(
        {"true": True, "false": False})
    problems = [
        InputProblem(name, col, int(i) + 2, str(raw), expected)
        for col, bad, expected in (
            ("higher_is_better", higher.isna(), "True or False"),
            ("measure", ~frame["measure"].isin(MEASURES), "'percent' or 'score'"),
            ("code", ~frame["code"].str.fullmatch(r"q\d+[a-z]{0,2}|engagement"),
             "a question code such as 'q14b'"),
            ("code", frame["code"].duplicated(), "each code once"),
        )
        for i, raw in frame.loc[bad, col].items()
    ]
    if problems:
        raise InputError(problems)
    frame["higher_is_better"] = higher
    for code, text in zip(frame["code"], frame["answer_codes"], strict=True):
        _parse_answer_codes(text, code)  # fail at load time on a malformed coding
    return frame


@lru_cache(maxsize=1)
def _catalogue_cached() -> pd.DataFrame:
    path = resources.files("edi_analysis") / "catalogue" / "staff_survey_questions.csv"
    with resources.as_file(path) as file:
        return _read_catalogue(file, "staff_survey_questions.csv")


def load_catalogue(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return the NHS Staff Survey question catalogue (bundled, or an analyst's own copy).

    Parameters
    ----------
    path : str or path-like, optional
        A catalogue CSV with the same columns as the bundled one (e.g. a copy edited
        when the national questionnaire renumbers a question, or for a local pulse
        survey). Default: the catalogue bundled with the package. WRES/WDES survey
        indicators follow its ``wres_indicator`` and ``wdes_metric`` columns.

    Raises
    ------
    InputError
        For a missing column, a ``higher_is_better`` other than True/False, an unknown
        ``measure``, a malformed or repeated ``code`` or ``answer_codes``, naming the
        file, column and row.

    Returns
    -------
    DataFrame
        One row per question code: ``code``, ``short_wording``, ``theme`` (People Promise
        element or theme), ``reported_as`` (what ``pct_positive`` measures),
        ``counted_answers`` and ``excluded_answers`` (``;``-separated answer texts: the
        answers counted in the % and those removed from its base), ``higher_is_better``
        (bool; False for harassment, violence, discrimination and pressure questions,
        where the % reports a poor experience), ``wres_indicator``, ``wdes_metric``,
        ``components`` (``;``-separated codes a derived measure combines, e.g. ``q14bc``
        = q14b or q14c), ``population`` (who is asked), ``measure`` ("percent": the
        result is a % 0-100; "score": a mean score, e.g. ``engagement`` 0-10),
        ``answer_codes`` (``;``-separated ``code=answer text`` pairs: how numeric answer
        codes of respondent-level files translate to answer texts, see
        :func:`aggregate_responses`) and ``source`` (what was verified, against which
        reference below, and what is marked UNVERIFIED).

    Notes
    -----
    Codes follow the national NHS Staff Survey core questionnaire numbering used from
    2023 (q17a/b on unwanted behaviour of a sexual nature were added in 2023 [5]_).
    WRES indicators 5-8 and WDES metrics 4a(i)-(iii), 4b, 5-8 and 9a map to questions
    as in the NHS England WRES and WDES definitions [1]_ [2]_ [3]_. Numbers verified from
    a published 2024 benchmark report's question mapping [4]_: q4b, q15, q16a, q16b,
    q21, q25c; from code that reads the survey's official detailed spreadsheets (2021-2025)
    [6]_: q13a-c, q14a-d, q16a/b, q17a/b, q21, q25e. Wording checked against an NHS
    analyst's transcription of the questionnaire [7]_ where ``source`` says so. Not
    verified (marked UNVERIFIED in ``source``): the numbers and wording of q11e and q31b,
    the answer categories of q14d and q17a/b, and the items of the engagement score.
    The ``answer_codes`` are this project's coding for local pulse surveys (1 = the most
    negative/least frequent answer, Likert 1-5), not the national data files' coding:
    check them against the survey tool's codebook.

    ``engagement`` (WDES metric 9a) is a ``measure="score"`` row: in aggregated results
    its value is a mean score 0-10 (in ``pct_positive``, the results' only value column,
    or in an optional ``score`` column), with an optional ``score_sd`` (standard
    deviation of respondents' scores). Score rows are used only by
    :func:`wdes_engagement_metric`; the % comparisons, trends and ratings ignore them.

    References
    ----------
    .. [1] WDES23: NHS England (2023). *NHS Workforce Disability Equality Standard (WDES)
       2023: Metrics*, https://www.england.nhs.uk/long-read/nhs-wdes-2023-metrics/, and
       *WDES 2023 technical guidance*,
       https://www.england.nhs.uk/long-read/nhs-wdes-2023-technical-guidance/.
    .. [2] WDES-TRUSTS: the WDES metric descriptors as published by trusts, e.g.
       https://www.ncic.nhs.uk/trust/equality-diversity-and-inclusion/workforce-disability-equality-standard-wdes-report-2025
       (4a(i)-(iii) by source, 4b reporting) and https://whittington.nhs.uk/default.asp?c=41237
       (metrics 5-9).
    .. [3] WRES-TRUSTS: the WRES indicator descriptors as published by trusts, e.g.
       https://whittington.nhs.uk/default.asp?c=30845 and the KMPT WRES 2020-2022
       indicator pages (indicator 8 quotes the question: discrimination "from
       manager/team leaders or other colleagues").
    .. [4] BM24: Leeds Community Healthcare NHS Trust, *NHS Staff Survey Benchmark report
       2024* (People Promise mapping: Q4b in "We are recognised and rewarded"; Q15, Q16a,
       Q16b, Q21 in "Diversity and equality"; Q6a, Q25a-d in "Compassionate culture").
    .. [5] CSJ24: *Clinical Services Journal*, May 2024, on the 2023 NHS Staff Survey (new
       question on unwanted behaviour of a sexual nature from patients and the public or
       from colleagues).
    .. [6] NSSXLS: code reading the NHS Staff Survey *detailed spreadsheets,
       organisational results*: GitHub ``ebmgt/NHS-Gender``, ``Code/11. Datafile creation
       from org type download file (Benchmarking_Group) - NHS-Gender.R`` (2021-2025
       files: Q13a-c physical violence, Q14a-c harassment, bullying or abuse by source,
       Q16a/b discrimination), and public analysis code for the 2024 file (sheets
       "HEALTH WELLBEING SAFETY Q13-14" and "Q15-17": Q13d/Q14d reporting, Q15, Q16a/b,
       Q17a/b, Q21, Q25e).
    .. [7] NSSWORD: GitHub ``Krsetyi/Y3_EPA_NHS-Staff-Survey_NLP-Hybrid-Workflow``,
       ``mapping/question_theme_mapping.csv`` (question wording by People Promise theme).
    """
    if path is not None:
        return _read_catalogue(path, str(path))
    return _catalogue_cached().copy()


def _parse_answer_codes(text: object, code: str = "") -> dict[int, str]:
    """``"1=Yes;2=No"`` -> ``{1: "yes", 2: "no"}`` (answer texts lower-cased)."""
    out: dict[int, str] = {}
    raw = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    for part in (p.strip() for p in raw.split(";")):
        if not part:
            continue
        key, sep, answer = part.partition("=")
        if not sep or not re.fullmatch(r"\s*-?\d+\s*", key) or not answer.strip():
            raise ValueError(f"answer_codes of {code or 'a question'} must be "
                             f"'code=answer' pairs separated by ';', got {part!r}.")
        out[int(key)] = answer.strip().lower()
    return out


def _measure(catalogue: pd.DataFrame) -> pd.Series:
    """The catalogue's ``measure`` per code ("percent" when the column is absent)."""
    if "measure" not in catalogue.columns:
        return pd.Series("percent", index=catalogue["code"].to_numpy())
    return pd.Series(catalogue["measure"].replace("", "percent").fillna("percent").to_numpy(),
                     index=catalogue["code"].to_numpy())


def _check_catalogue(catalogue: pd.DataFrame | None) -> pd.DataFrame:
    if catalogue is None:
        return load_catalogue()
    needed = {"code", "short_wording", "higher_is_better"}
    missing = needed - set(catalogue.columns)
    if missing:
        raise ValueError(f"catalogue lacks column(s) {sorted(missing)}.")
    return catalogue
