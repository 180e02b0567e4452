"""NHS Staff Survey chapter: subgroup comparisons, trends, WRES/WDES survey indicators.

The input is the aggregated shape organisations receive from the survey (one row per
year x question x breakdown x subgroup with ``n_respondents`` and ``pct_positive``, see
``docs/DESIGN.md``), or respondent-level pulse-survey data turned into that shape by
:func:`aggregate_responses`.

Every subgroup goes through :func:`edi_analysis.suppression.suppress_small_groups` before
anything is rated, tested, trended or written. Percentages in this module are
percentages 0-100 (columns ``*_pct``) and differences are percentage points (``*_pts``);
WRES/WDES indicator frames follow the shared statistical shape (proportions 0-1 in
``*value``, ``*lower``, ``*upper``).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from edi_analysis import stats, suppression
from edi_analysis.errors import InputError, InputProblem

__all__ = [
    "BREAKDOWN_COLUMNS",
    "REPORT_BREAKDOWNS",
    "WDES_METRICS",
    "WRES_INDICATORS",
    "ENGAGEMENT_COLUMNS",
    "MEASURES",
    "aggregate_responses",
    "breakdown_chains",
    "classify_disability",
    "chain_design",
    "classify_ethnicity",
    "compare_to_overall",
    "engagement_findings",
    "indicator_findings",
    "key_findings",
    "load_catalogue",
    "method_notes",
    "nesting_from_responses",
    "nesting_table",
    "rag_rating",
    "select_nesting",
    "select_results",
    "subgroup_order",
    "suppression_threshold",
    "trend_table",
    "wdes_engagement_metric",
    "wdes_survey_metrics",
    "wres_survey_indicators",
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

#: WRES survey indicators (Workforce Race Equality Standard technical guidance).
WRES_INDICATORS: dict[str, dict[str, str]] = {
    "5": {"question": "q14a", "description": "Harassment, bullying or abuse from patients, "
          "relatives or the public in the last 12 months"},
    "6": {"question": "q14bc", "description": "Harassment, bullying or abuse from staff "
          "(managers or other colleagues) in the last 12 months"},
    "7": {"question": "q15", "description": "Believe the organisation provides equal "
          "opportunities for career progression or promotion"},
    "8": {"question": "q16b", "description": "Personally experienced discrimination at work "
          "from a manager, team leader or other colleagues in the last 12 months"},
}

#: WDES survey-based metrics (Workforce Disability Equality Standard technical guidance).
#: Numbered as in NHS England's WDES metrics: 4a(i)-(iii) harassment, bullying or abuse by
#: source and 4b reporting it. Metric 9a (engagement score) is :func:`wdes_engagement_metric`.
WDES_METRICS: dict[str, dict[str, str]] = {
    "4a(i)": {"question": "q14a", "description": "Harassment, bullying or abuse from "
              "patients, service users, their relatives or the public in the last 12 months"},
    "4a(ii)": {"question": "q14b", "description": "Harassment, bullying or abuse from "
               "managers in the last 12 months"},
    "4a(iii)": {"question": "q14c", "description": "Harassment, bullying or abuse from other "
                "colleagues in the last 12 months"},
    "4b": {"question": "q14d", "description": "The last time they experienced harassment, "
           "bullying or abuse, they or a colleague reported it"},
    "5": {"question": "q15", "description": "Believe the organisation provides equal "
          "opportunities for career progression or promotion"},
    "6": {"question": "q11e", "description": "Felt pressure from their manager to come to "
          "work despite not feeling well enough to perform their duties"},
    "7": {"question": "q4b", "description": "Satisfied with the extent to which the "
          "organisation values their work"},
    "8": {"question": "q31b", "description": "Employer has made adequate adjustment(s) to "
          "enable them to carry out their work (disabled staff only)"},
}

_TOL_DECIMALS = 10
_EMPTY_MARKERS = {"", "nan", "none"}


# --------------------------------------------------------------------------------------
# catalogue
# --------------------------------------------------------------------------------------
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


def _check_threshold(threshold: float) -> float:
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        raise ValueError(
            f"threshold must be a positive number of points, got {threshold!r}.") from None
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"threshold must be a positive number of points, got {threshold!r}.")
    return value


# --------------------------------------------------------------------------------------
# rating
# --------------------------------------------------------------------------------------
def rag_rating(
    difference_pts: float | Sequence[float] | np.ndarray | pd.Series,
    higher_is_better: bool | Sequence[bool] | np.ndarray | pd.Series,
    threshold: float = 3.0,
) -> np.ndarray:
    """Rate subgroup-minus-organisation differences Green, Amber or Red.

    Parameters
    ----------
    difference_pts : array-like of float
        Subgroup % minus organisation % in percentage points (NaN for no rating).
    higher_is_better : bool or array-like of bool
        The question's direction (catalogue ``higher_is_better``).
    threshold : float, default 3.0
        Points of difference that count as better or worse.

    Returns
    -------
    ndarray of object
        "Green" (at least ``threshold`` points better), "Red" (at least ``threshold``
        points worse), "Amber" (within ``threshold``) or None where the difference is NaN.

    Raises
    ------
    ValueError
        If ``threshold`` is not a positive number.

    Notes
    -----
    "Better" is the difference when a higher % is better and minus the difference when a
    higher % is worse (e.g. "experienced harassment at least once"). The boundary counts:
    a difference of exactly ``threshold`` points is Green or Red. The difference is
    rounded to 10 decimal places before comparing, so inputs given to one decimal (75.3
    vs 72.3, whose float difference is 2.99999999999999) rate as intended.
    """
    threshold = round(_check_threshold(threshold), _TOL_DECIMALS)
    diff = np.atleast_1d(np.asarray(difference_pts, dtype=float))
    hib = np.broadcast_to(np.atleast_1d(np.asarray(higher_is_better, dtype=bool)), diff.shape)
    better = np.round(np.where(hib, diff, -diff), _TOL_DECIMALS)
    rating = np.select(
        [np.isnan(better), better >= threshold, better <= -threshold],
        [None, "Green", "Red"],
        default="Amber",
    ).astype(object)
    rating[np.isnan(better)] = None
    return rating


# --------------------------------------------------------------------------------------
# suppression
# --------------------------------------------------------------------------------------
def _policy(policy: str | suppression.SuppressionPolicy,
            min_responses: int | None) -> suppression.SuppressionPolicy:
    if min_responses is None:
        return suppression.get_policy(policy)
    if isinstance(min_responses, bool) or int(min_responses) != min_responses \
            or min_responses < 1:
        raise ValueError(f"min_responses must be a whole number of at least 1, got "
                         f"{min_responses!r}.")
    return suppression.get_policy(policy, min_count=int(min_responses))


def suppression_threshold(policy: str | suppression.SuppressionPolicy = "staff_survey",
                          min_responses: int | None = 10) -> int:
    """Smallest number of responses whose result is published.

    Parameters
    ----------
    policy : str or SuppressionPolicy, default "staff_survey"
    min_responses : int or None, default 10
        Overrides the policy's threshold; None keeps it (``national_survey``: 11).

    Returns
    -------
    int

    Raises
    ------
    ValueError
        For an unknown policy or a ``min_responses`` that is not a whole number >= 1.
    """
    return int(_policy(policy, min_responses).min_count or 1)


def _suppress(frame: pd.DataFrame, policy: suppression.SuppressionPolicy) -> pd.DataFrame:
    """Apply the project's disclosure control to subgroup rows (Overall rows kept).

    Adds ``suppressed`` (bool) and ``suppression_reason`` ("primary", "complementary" or
    "source"); blanks ``pct_positive`` where suppressed. A result already blank at source
    is treated as a small group so that it cannot be worked out from the others either.
    """
    threshold = int(policy.min_count or 1)
    source = frame["pct_positive"].isna()
    is_overall = frame["breakdown"] == OVERALL
    # A result blank at source counts as hidden: give it fewer than `threshold` respondents
    # and take the difference off a per-breakdown copy of the Overall row, so the
    # breakdown still adds up and its complement is hidden too.
    subs = frame[~is_overall].assign(_key=lambda d: d["breakdown"], _row=lambda d: d.index)
    over_src = source & (frame["n_respondents"] >= threshold) & ~is_overall
    subs["_n"] = np.where(over_src[~is_overall], threshold - 1, subs["n_respondents"])
    subs["_cut"] = subs["n_respondents"] - subs["_n"]
    cut = subs.groupby(["year", "question", "_key"], as_index=False)["_cut"].sum()
    overall_rows = frame[is_overall].assign(_row=lambda d: d.index)
    keyed = overall_rows.merge(cut, on=["year", "question"], how="left")
    keyed["_key"] = keyed["_key"].fillna(OVERALL)
    keyed["_n"] = keyed["n_respondents"] - keyed["_cut"].fillna(0)
    work = pd.concat([keyed, subs], ignore_index=True)
    work["_n"] = work["_n"].astype("int64")
    published = suppression.suppress_small_groups(
        work[["year", "question", "_key", "breakdown", "_n", "pct_positive"]],
        n_col="_n",
        value_cols=["pct_positive"],
        policy=policy,
        group_cols=["year", "question", "_key", "breakdown"],
    )
    flags = published["suppressed"].groupby(work["_row"].to_numpy()).any()
    published = pd.DataFrame({"suppressed": flags.reindex(frame.index).fillna(False)})
    out = frame.copy()
    hidden = published["suppressed"].to_numpy(dtype=bool)
    small = (frame["n_respondents"] < threshold).to_numpy()
    out["suppressed"] = hidden | source.to_numpy()
    out["suppression_reason"] = np.select(
        [source.to_numpy(), hidden & small, hidden], ["source", "primary", "complementary"],
        default=None).astype(object)
    out.loc[~out["suppressed"], "suppression_reason"] = None
    out.loc[out["suppressed"], "pct_positive"] = np.nan
    return out


# --------------------------------------------------------------------------------------
# nested breakdowns (e.g. Directorate within Division)
# --------------------------------------------------------------------------------------
NESTING_COLUMNS = ["breakdown", "subgroup", "parent_breakdown", "parent_subgroup"]


def nesting_table(nesting: pd.DataFrame | None,
                  source: str = "survey_nesting") -> pd.DataFrame:
    """Check a nesting table: which subgroup of one breakdown lies within which of another.

    Parameters
    ----------
    nesting : DataFrame or None
        One row per subgroup of a nested breakdown: ``breakdown`` and ``subgroup`` (e.g.
        "Directorate", "Finance"), ``parent_breakdown`` and ``parent_subgroup`` (e.g.
        "Division", "Corporate"). None gives an empty table.
    source : str, default "survey_nesting"
        The file named in error messages.

    Returns
    -------
    DataFrame
        The four :data:`NESTING_COLUMNS` as text, duplicates dropped.

    Raises
    ------
    InputError
        If a column is missing or blank, a subgroup has two parents, a breakdown is
        nested in itself or in two breakdowns, or a breakdown has two nested
        breakdowns (each breakdown may hold at most one finer breakdown, as in
        Division > Directorate > Team).
    """
    if nesting is None:
        return pd.DataFrame(columns=NESTING_COLUMNS, dtype=object)
    where = source
    missing = [c for c in NESTING_COLUMNS if c not in nesting.columns]
    if missing:
        raise InputError.single(where, f"the columns {NESTING_COLUMNS}",
                                column=", ".join(missing), value="(missing)")
    table = nesting[NESTING_COLUMNS].astype("string").apply(lambda s: s.str.strip())
    problems = []
    for col in NESTING_COLUMNS:
        for row in np.flatnonzero(table[col].isna() | table[col].eq("")):
            problems.append(InputProblem(where, col, int(row) + 2, "(blank)", "a name"))
    if problems:
        raise InputError(problems)
    table = table.astype(object).drop_duplicates().reset_index(drop=True)
    twice = table[table.duplicated(["breakdown", "subgroup"], keep=False)]
    if len(twice):
        first = twice.iloc[0]
        raise InputError.single(
            where, "one parent subgroup per subgroup", column="parent_subgroup",
            value=f"{first['breakdown']} '{first['subgroup']}' has parents "
                  + ", ".join(sorted(twice.loc[twice["subgroup"] == first["subgroup"],
                                               "parent_subgroup"])))
    pairs = table[["breakdown", "parent_breakdown"]].drop_duplicates()
    checks = [
        (pairs["breakdown"] == pairs["parent_breakdown"], "breakdown",
         "a breakdown nested in a different breakdown"),
        (pairs.duplicated("breakdown", keep=False), "parent_breakdown",
         "each breakdown nested in one breakdown only"),
        (pairs.duplicated("parent_breakdown", keep=False), "breakdown",
         "at most one breakdown nested in each breakdown (a chain such as Division > "
         "Directorate > Team)"),
    ]
    for bad, column, expected in checks:
        if bad.any():
            raise InputError.single(where, expected, column=column,
                                    value=", ".join(sorted(set(pairs.loc[bad, column]))))
    return table


def nesting_from_responses(responses: pd.DataFrame,
                           breakdowns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Find breakdowns of respondent-level data whose groups lie within another's.

    Parameters
    ----------
    responses : DataFrame
        Respondent-level survey data as for :func:`aggregate_responses`.
    breakdowns : mapping of str to str, optional
        Breakdown name to column (default :data:`BREAKDOWN_COLUMNS`, those present).

    Returns
    -------
    DataFrame
        A nesting table (:func:`nesting_table`): breakdown A is nested in B when A has
        more groups than B and every respondent's A group determines their B group
        (e.g. a Team column within a Directorate column). Each breakdown gets its
        closest parent (the candidate with most groups); a breakdown that would be the
        parent of two is kept for the finer one only.

    Notes
    -----
    Nesting matters for disclosure: a Directorate result hidden as a small group can be
    worked out from its Division's result minus the Division's other Directorates.
    Blank characteristics count as one more group ("Not stated"), as in
    :func:`aggregate_responses`.
    """
    cols = {b: c for b, c in (breakdowns or BREAKDOWN_COLUMNS).items()
            if c in responses.columns}
    frame = pd.DataFrame({b: responses[c].astype("string").fillna("Not stated")
                          for b, c in cols.items()})
    groups = {b: frame[b].nunique() for b in frame.columns}
    parents: dict[str, str] = {}
    for child in frame.columns:
        candidates = [p for p in frame.columns if p != child and groups[p] < groups[child]
                      and (frame.groupby(child)[p].nunique() == 1).all()]
        if candidates:
            parents[child] = max(candidates, key=lambda p: (groups[p], p))
    kept: dict[str, str] = {}
    for child, parent in sorted(parents.items(), key=lambda kv: -groups[kv[0]]):
        if parent not in kept.values():
            kept[child] = parent
    rows = [frame[[child, parent]].drop_duplicates().set_axis(
                ["subgroup", "parent_subgroup"], axis=1).assign(
                breakdown=child, parent_breakdown=parent)
            for child, parent in kept.items()]
    if not rows:
        return nesting_table(None)
    return nesting_table(pd.concat(rows, ignore_index=True)[NESTING_COLUMNS])


def breakdown_chains(table: pd.DataFrame, present: Iterable[str],
                     singles: bool = False) -> list[list[str]]:
    """Chains of nested breakdowns among those present, root first.

    Parameters
    ----------
    table : DataFrame
        Nesting table (:func:`nesting_table`; its breakdowns form chains).
    present : iterable of str
        Breakdowns in the results; absent middle levels are skipped (Division > Team
        when Directorate is absent).
    singles : bool, default False
        Also return every other present breakdown (not Overall) as a chain of one.

    Returns
    -------
    list of list of str
        E.g. ``[["Division", "Directorate"]]`` (with ``singles``: plus ``[["Age"]]``...).
    """
    present = set(present) - {OVERALL}
    child = dict(zip(table["parent_breakdown"], table["breakdown"], strict=False))
    chains = []
    for root in sorted(set(child) - set(child.values())):
        chain, node = [], root
        while node is not None:
            if node in present:
                chain.append(node)
            node = child.get(node)
        if len(chain) > 1:
            chains.append(chain)
    if singles:
        nested = {b for chain in chains for b in chain}
        chains += [[b] for b in sorted(present - nested)]
    return chains


def chain_design(rows: pd.DataFrame, chain: Sequence[str],
                 table: pd.DataFrame) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Write the results of one chain of nested breakdowns as sums of disjoint units.

    Parameters
    ----------
    rows : DataFrame
        One year x question: the Overall row first, then every row of the breakdowns in
        ``chain`` (``breakdown``, ``subgroup``, ``n_respondents``).
    chain : sequence of str
        Breakdowns, root first (e.g. ["Division", "Directorate"]); a single breakdown
        gives the plain breakdown-within-Overall case.
    table : DataFrame
        Nesting table (:func:`nesting_table`).

    Returns
    -------
    design : ndarray, shape (len(rows), n_units)
        0/1 rows: the units each result adds up (the respondents of a subgroup that no
        finer subgroup covers, and through the tree, its descendants' units). Units
        with no respondents are left out, so a parent whose children cover it exactly
        is the sum of its children.
    children : dict of int to list of int
        Positions of each row's child rows (0 = Overall).

    Raises
    ------
    InputError
        If a subgroup has no parent among the rows, or a parent has fewer respondents
        than its children together.
    """
    rows = rows.reset_index(drop=True)
    n = rows["n_respondents"].to_numpy(dtype=float)
    parent_of = {(b, g): (pb, pg) for b, g, pb, pg in table[NESTING_COLUMNS].itertuples(
        index=False)}
    where = f"({rows['year'].iloc[0]}, {rows['question'].iloc[0]})" \
        if {"year", "question"} <= set(rows.columns) else ""
    children: dict[int, list[int]] = {k: [] for k in range(len(rows))}
    key = {(b, g): k for k, (b, g) in enumerate(zip(rows["breakdown"], rows["subgroup"],
                                                     strict=True)) if k}
    for k in range(1, len(rows)):
        b, g = rows.at[k, "breakdown"], rows.at[k, "subgroup"]
        if b == chain[0]:
            children[0].append(k)
            continue
        up = parent_of.get((b, g))
        while up is not None and up[0] not in chain:  # skip a level absent from the rows
            up = parent_of.get(up)
        if up is None or up not in key:
            raise InputError.single(
                "survey_nesting", f"a parent in a present breakdown for every {b} subgroup "
                f"{where}", column="parent_subgroup", value=f"{b} '{g}'")
        children[key[up]].append(k)
    own = np.zeros((len(rows), len(rows)))
    for k in range(len(rows)):
        rest = n[k] - sum(n[c] for c in children[k])
        if rest < 0:
            raise InputError.single(
                "survey_results", "a nested breakdown whose subgroups add up to no more "
                f"than their parent {where}", column="n_respondents",
                value=f"{rows.at[k, 'breakdown']} '{rows.at[k, 'subgroup']}' has "
                      f"{n[k]:.0f}, its subgroups {n[k] - rest:.0f}")
        own[k, k] = float(rest > 0)
    depth = [len(chain) if k == 0 else -chain.index(rows.at[k, "breakdown"])
             for k in range(len(rows))]
    design = own.copy()
    for k in sorted(range(len(rows)), key=lambda k: depth[k]):
        for c in children[k]:
            design[k] += design[c]
    return (design[:, design.any(axis=0)] > 0).astype(float), children


def _protect_nested(frame: pd.DataFrame, table: pd.DataFrame,
                    policy: suppression.SuppressionPolicy) -> pd.DataFrame:
    """Hide more subgroups until no hidden one follows from a nested breakdown's parent.

    For each year x question and chain of nested breakdowns present, every published
    figure (Overall, each parent and child subgroup) is written as a sum of disjoint
    units: each subgroup's respondents that no finer subgroup covers, and each finer
    subgroup. :func:`edi_analysis.suppression.protect_with_constraints` then hides
    further subgroups (finest first) until no hidden result is a linear combination of
    shown ones; and a shown subgroup whose shown children leave fewer than the
    threshold of its respondents unaccounted for (a small group's result by
    subtraction) has one more child hidden. Rows it hides get reason "complementary".
    """
    if table.empty or not policy.secondary:
        return frame
    threshold = int(policy.min_count or 1)
    out = frame.copy()
    for _, part in out.groupby(["year", "question"], sort=False):
        overall = part[part["breakdown"] == OVERALL]
        if len(overall) != 1:
            continue
        for chain in breakdown_chains(table, part["breakdown"]):
            rows = part[part["breakdown"].isin(chain)]
            idx = list(overall.index) + list(rows.index)
            n = out.loc[idx, "n_respondents"].to_numpy(dtype=float)
            design, children = chain_design(out.loc[idx], chain, table)
            hidden = np.r_[False, out.loc[rows.index, "suppressed"].to_numpy(dtype=bool)]
            free = np.r_[False, np.ones(len(rows), dtype=bool)]
            depth = np.r_[-1, [chain.index(b) for b in rows["breakdown"]]]
            prefer = depth == depth.max()
            while True:
                hidden = suppression.protect_with_constraints(
                    design, n, hidden, free, policy, prefer=prefer)
                extra = None
                for k, kids in children.items():
                    if hidden[k] or not kids:
                        continue
                    shown = [c for c in kids if not hidden[c] and n[c] > 0]
                    if 0 < n[k] - sum(n[c] for c in shown) < threshold:
                        extra = min(shown, key=lambda c: (n[c], c)) if shown else k
                        break
                if extra is None:
                    break
                hidden[extra] = True
            new = [idx[k] for k in np.flatnonzero(hidden) if k and not out.loc[idx[k],
                                                                                "suppressed"]]
            out.loc[new, "suppressed"] = True
            out.loc[new, "suppression_reason"] = "complementary"
            out.loc[new, "pct_positive"] = np.nan
    return out


# --------------------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------------------
def _positives(pct: pd.Series, n: pd.Series) -> pd.Series:
    """Reconstruct whole numbers of positive answers from a % and its base."""
    return (pct / 100 * n).round()


def compare_to_overall(
    results: pd.DataFrame,
    threshold: float = 3.0,
    *,
    min_responses: int | None = 10,
    policy: str | suppression.SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    nesting: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compare every subgroup with its organisation: difference, RAG rating, interval, test.

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results (``year``, ``question``, ``breakdown``, ``subgroup``,
        ``n_respondents``, ``pct_positive`` as a percentage 0-100, blank if suppressed at
        source), with an ``Overall`` row for every year and question.
    threshold : float, default 3.0
        Percentage points of difference rated Green/Red ("points", not relative %).
    min_responses : int or None, default 10
        Subgroups with fewer respondents are suppressed. None uses the policy's own
        threshold (``"national_survey"``: 11).
    policy : str, default "staff_survey"
        Disclosure-control policy of :mod:`edi_analysis.suppression`.
    confidence : float, default 0.95
        Level of the Wilson interval, the Newcombe interval of the difference from the
        rest of the organisation, and of the test (significance level 1 - confidence).
    catalogue : DataFrame, optional
        Question catalogue (default :func:`load_catalogue`).
    nesting : DataFrame, optional
        Breakdowns whose subgroups lie within another breakdown's (e.g. Directorate
        within Division; :func:`nesting_table`, the ``survey_nesting`` input, or
        :func:`nesting_from_responses`). Hidden subgroups are then also protected
        against subtraction from their parent.

    Returns
    -------
    DataFrame
        One row per year x question x breakdown x subgroup (Overall rows first):
        the input columns (``pct_positive`` blank where suppressed), ``short_wording``,
        ``theme``, ``higher_is_better``, ``overall_n``, ``overall_pct``,
        ``difference_pts`` (subgroup - organisation), ``better_pts`` (positive = better
        experience), ``rating`` (Green/Amber/Red, None for Overall and suppressed rows),
        ``suppressed``, ``suppression_reason``, ``lower_pct``/``upper_pct`` (Wilson),
        ``rest_n``, ``rest_pct``, ``diff_vs_rest_pts`` with ``diff_vs_rest_lower_pts`` /
        ``diff_vs_rest_upper_pts`` (Newcombe), ``p_value`` (two-proportion z test
        against the rest), ``significant`` and ``reliable`` (a Red/Green rating whose
        difference from the rest is significant), ``threshold``, ``confidence``.

    Raises
    ------
    InputError
        If columns are missing, counts or % are invalid, rows are duplicated or an
        Overall row is missing.
    ValueError
        If ``threshold``, ``min_responses``, ``policy`` or ``confidence`` is invalid.

    Warns
    -----
    UserWarning
        Questions not in the catalogue are ignored (national result files hold many more
        questions than the chapter reports), naming them.

    Notes
    -----
    Rating: see :func:`rag_rating` (direction-aware; exactly ``threshold`` points counts).
    Suppression (before anything else): :func:`edi_analysis.suppression.suppress_small_groups`
    within each year x question x breakdown, so when one subgroup of a breakdown is hidden
    a second one is too and the hidden value cannot be worked out from the Overall;
    then, with ``nesting``, across nested breakdowns (:func:`_protect_nested`).
    Numbers positive are reconstructed as ``round(pct / 100 * n)`` (exact when the % is
    given to one decimal and n < 1000; otherwise within rounding). The rest of the
    organisation is Overall minus the subgroup (``N - n`` respondents, ``X - x``
    positive). The interval for the subgroup % is Wilson's score interval; the difference
    from the rest has Newcombe's hybrid score interval and a test
    (:func:`edi_analysis.stats.two_proportion_test` with ``method="auto"``: pooled z test,
    Fisher's exact test where an expected count is below 5); a rating is *reliable* when
    it is Red or Green and ``p < 1 - confidence``.

    References
    ----------
    .. [1] Newcombe RG (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. *Stat Med* 17:873-890.
    .. [2] NHS Staff Survey Coordination Centre. *Technical guide*: results are not
       reported for groups of fewer than 11 respondents.
    """
    threshold = _check_threshold(threshold)
    catalogue = _check_catalogue(catalogue)
    frame = _validate_results(results, catalogue)
    pol = _policy(policy, min_responses)
    frame = _protect_nested(_suppress(frame, pol), nesting_table(nesting), pol)
    is_overall = frame["breakdown"] == OVERALL
    overall = frame.loc[is_overall, ["year", "question", "n_respondents", "pct_positive"]]
    overall = overall.rename(columns={"n_respondents": "overall_n",
                                      "pct_positive": "overall_pct"})
    meta = catalogue[["code", "short_wording", "theme", "higher_is_better"]].rename(
        columns={"code": "question"})
    out = frame.merge(overall, on=["year", "question"], how="left").merge(
        meta, on="question", how="left")
    # an unpublishable organisation figure hides its subgroups' ratings
    out["difference_pts"] = np.where(out["breakdown"] == OVERALL, np.nan,
                                     out["pct_positive"] - out["overall_pct"])
    out["better_pts"] = np.where(out["higher_is_better"], out["difference_pts"],
                                 -out["difference_pts"])
    out["rating"] = rag_rating(out["difference_pts"], out["higher_is_better"].astype(bool),
                               threshold)

    ok = out["pct_positive"].notna() & (out["n_respondents"] > 0)
    x = _positives(out["pct_positive"], out["n_respondents"])
    ci = stats.proportion_ci(x[ok].astype(float), out.loc[ok, "n_respondents"].astype(float),
                             confidence=confidence)
    out["lower_pct"] = np.nan
    out["upper_pct"] = np.nan
    out.loc[ok, "lower_pct"] = ci["lower"].to_numpy() * 100
    out.loc[ok, "upper_pct"] = ci["upper"].to_numpy() * 100

    big_x = _positives(out["overall_pct"], out["overall_n"])
    rest_n = out["overall_n"] - out["n_respondents"]
    rest_x = big_x - x
    testable = (ok & (out["breakdown"] != OVERALL) & out["overall_pct"].notna()
                & (rest_n > 0) & (rest_x >= 0) & (rest_x <= rest_n))
    out["rest_n"] = np.where(out["breakdown"] == OVERALL, np.nan, rest_n).astype(float)
    out["rest_pct"] = np.nan
    for col in ("diff_vs_rest_pts", "diff_vs_rest_lower_pts", "diff_vs_rest_upper_pts",
                "p_value"):
        out[col] = np.nan
    if testable.any():
        a_x, a_n = x[testable].astype(float), out.loc[testable, "n_respondents"].astype(float)
        b_x, b_n = rest_x[testable].astype(float), rest_n[testable].astype(float)
        diff = stats.proportion_difference(a_x, a_n, b_x, b_n, confidence=confidence)
        test = stats.two_proportion_test(a_x, a_n, b_x, b_n, method="auto")
        out.loc[testable, "rest_pct"] = (b_x / b_n * 100).to_numpy()
        out.loc[testable, "diff_vs_rest_pts"] = diff["value"].to_numpy() * 100
        out.loc[testable, "diff_vs_rest_lower_pts"] = diff["lower"].to_numpy() * 100
        out.loc[testable, "diff_vs_rest_upper_pts"] = diff["upper"].to_numpy() * 100
        out.loc[testable, "p_value"] = test["p_value"].to_numpy()
    alpha = 1 - float(confidence)
    out["significant"] = (out["p_value"] < alpha).fillna(False).astype(bool)
    out["reliable"] = out["significant"] & out["rating"].isin(["Green", "Red"])
    out["threshold"] = threshold
    out["confidence"] = float(confidence)
    out["_order"] = (~is_overall).astype(int)
    out = out.sort_values(["year", "_order", "breakdown", "question"], kind="stable")
    columns = [
        "year", "question", "short_wording", "theme", "higher_is_better", "breakdown",
        "subgroup", "n_respondents", "pct_positive", "overall_n", "overall_pct",
        "difference_pts", "better_pts", "rating", "suppressed", "suppression_reason",
        "lower_pct", "upper_pct", "rest_n", "rest_pct", "diff_vs_rest_pts",
        "diff_vs_rest_lower_pts", "diff_vs_rest_upper_pts", "p_value", "significant",
        "reliable", "threshold", "confidence",
    ]
    return out[columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# trends
# --------------------------------------------------------------------------------------
def trend_table(
    results: pd.DataFrame,
    *,
    include_subgroups: bool = True,
    min_responses: int | None = 10,
    policy: str | suppression.SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    nesting: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Percentages per question across the survey years supplied, with the change.

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results as for :func:`compare_to_overall`.
    include_subgroups : bool, default True
        Also trend each subgroup (its % is blank in years where it is suppressed).
    min_responses, policy, confidence, catalogue, nesting
        As for :func:`compare_to_overall`.

    Returns
    -------
    DataFrame
        One row per question x breakdown x subgroup x year: ``n_respondents``,
        ``pct_positive``, ``previous_year``, ``change_pts`` (this year minus the previous
        year supplied), ``change_better_pts`` (positive = improvement, direction-aware),
        ``change_since_first_pts``, ``change_p_value`` (the two years as independent
        samples: pooled z test, Fisher's exact test where an expected count is below 5)
        and ``change_significant``.

    Raises
    ------
    InputError, ValueError
        As for :func:`compare_to_overall`.

    Notes
    -----
    Changes are computed only between published (unsuppressed) figures.
    """
    comparison = compare_to_overall(results, min_responses=min_responses, policy=policy,
                                    confidence=confidence, catalogue=catalogue,
                                    nesting=nesting)
    frame = comparison if include_subgroups else comparison[comparison["breakdown"] == OVERALL]
    keys = ["question", "breakdown", "subgroup"]
    frame = frame.sort_values([*keys, "year"], kind="stable").reset_index(drop=True)
    grouped = frame.groupby(keys, sort=False)
    frame["previous_year"] = grouped["year"].shift(1)
    prev_pct = grouped["pct_positive"].shift(1)
    prev_n = grouped["n_respondents"].shift(1)
    first_pct = grouped["pct_positive"].transform("first")
    frame["change_pts"] = frame["pct_positive"] - prev_pct
    frame["change_better_pts"] = np.where(frame["higher_is_better"], frame["change_pts"],
                                          -frame["change_pts"])
    frame["change_since_first_pts"] = frame["pct_positive"] - first_pct
    frame.loc[grouped.cumcount() == 0, "change_since_first_pts"] = np.nan
    frame["change_p_value"] = np.nan
    ok = frame["change_pts"].notna() & (frame["n_respondents"] > 0) & (prev_n > 0)
    if ok.any():
        test = stats.two_proportion_test(
            _positives(frame.loc[ok, "pct_positive"], frame.loc[ok, "n_respondents"]),
            frame.loc[ok, "n_respondents"].astype(float),
            _positives(prev_pct[ok], prev_n[ok]),
            prev_n[ok].astype(float),
            method="auto",
        )
        frame.loc[ok, "change_p_value"] = test["p_value"].to_numpy()
    frame["change_significant"] = (frame["change_p_value"] < 1 - confidence).fillna(False)
    columns = ["question", "short_wording", "higher_is_better", "breakdown", "subgroup",
               "year", "n_respondents", "pct_positive", "suppressed", "previous_year",
               "change_pts", "change_better_pts", "change_since_first_pts",
               "change_p_value", "change_significant"]
    order = {b: i for i, b in enumerate((OVERALL, *REPORT_BREAKDOWNS))}
    frame["_b"] = frame["breakdown"].map(order).fillna(len(order))
    frame = frame.sort_values(["_b", "breakdown", "subgroup", "question", "year"],
                              kind="stable")
    return frame[columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# WRES / WDES
# --------------------------------------------------------------------------------------
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


def _two_group(
    results: pd.DataFrame,
    *,
    breakdown: str,
    classify: Callable[[str], str | None],
    groups: tuple[str, str],
    indicators: Mapping[str, Mapping[str, str]],
    indicator_col: str,
    only_first: set[str],
    min_responses: int | None,
    policy: str,
    confidence: float,
    catalogue: pd.DataFrame | None,
    nesting: pd.DataFrame | None = None,
) -> pd.DataFrame:
    catalogue = _check_catalogue(catalogue)
    table = nesting_table(nesting)
    if isinstance(results, pd.DataFrame) and "breakdown" in results.columns:
        # the breakdowns nested with this one decide which of its subgroups are hidden
        kept = {OVERALL, breakdown}
        for chain in breakdown_chains(table, results["breakdown"]):
            if breakdown in chain:
                kept |= set(chain)
        results = results[results["breakdown"].isin(kept)]
    comparison = compare_to_overall(results, min_responses=min_responses, policy=policy,
                                    confidence=confidence, catalogue=catalogue,
                                    nesting=table)
    threshold = int(_policy(policy, min_responses).min_count or 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # already warned by the comparison
        raw = _validate_results(results, catalogue)
    raw = raw[raw["breakdown"] == breakdown].copy()
    hidden = comparison.loc[comparison["breakdown"] == breakdown,
                            ["year", "question", "subgroup", "suppressed"]]
    raw = raw.merge(hidden, on=["year", "question", "subgroup"], how="left")
    raw["group"] = raw["subgroup"].map(classify)
    raw = raw[raw["group"].isin(groups)]
    raw["x"] = _positives(raw["pct_positive"], raw["n_respondents"])
    present = {int(y): set(g["question"]) for y, g in raw.groupby("year")}
    hib = dict(zip(catalogue["code"], catalogue["higher_is_better"], strict=True))
    years = sorted(results["year"].astype(int).unique())
    rows = []
    for year in years:
        for key, spec in indicators.items():
            q = _indicator_question(catalogue, indicator_col, key, spec["question"])
            sub = raw[(raw["year"] == year) & (raw["question"] == q)]
            row: dict[str, object] = {"year": year, indicator_col: key, "question": q,
                                      "description": spec["description"],
                                      "higher_is_better": hib.get(q, np.nan)}
            notes = []
            for g in groups:
                prefix = _prefix(g)
                members = sub[sub["group"] == g]
                known = members[members["pct_positive"].notna()]
                num, den = float(known["x"].sum()), float(known["n_respondents"].sum())
                hidden_rows = members[members["suppressed"].fillna(False).astype(bool)]
                publish = den >= threshold and not (g == groups[1] and key in only_first)
                if len(hidden_rows) and publish:
                    # the group total minus its published members must not reveal a small
                    # or single hidden subgroup
                    publish = (len(hidden_rows) >= 2
                               and hidden_rows["n_respondents"].sum() >= threshold)
                    if not publish:
                        notes.append(f"{g} figure withheld: it would reveal a suppressed "
                                     "subgroup")
                if len(known) < len(members):
                    notes.append(f"{g} figure excludes groups suppressed at source")
                if raw.empty and not notes:
                    notes.append(f"no {breakdown} breakdown in the results")
                elif q not in set(raw["question"]) and not notes:
                    notes.append(f"question {q} not in the results")
                row[f"{prefix}_numerator"] = num if publish else np.nan
                row[f"{prefix}_denominator"] = den if publish else np.nan
                row[f"{prefix}_suppressed"] = bool(den > 0 and not publish)
            rows.append((row, notes))
    out_rows = []
    for row, notes in rows:
        a, b = (_prefix(g) for g in groups)
        for p in (a, b):
            num, den = row[f"{p}_numerator"], row[f"{p}_denominator"]
            if pd.notna(den) and den > 0:
                ci = stats.proportion_ci(num, den, confidence=confidence)
                row[f"{p}_value"] = float(ci["value"].iloc[0])
                row[f"{p}_lower"] = float(ci["lower"].iloc[0])
                row[f"{p}_upper"] = float(ci["upper"].iloc[0])
            else:
                row[f"{p}_value"] = row[f"{p}_lower"] = row[f"{p}_upper"] = np.nan
        row["difference_pts"] = (row[f"{b}_value"] - row[f"{a}_value"]) * 100
        row["p_value"] = np.nan
        if pd.notna(row["difference_pts"]):
            test = stats.two_proportion_test(row[f"{b}_numerator"], row[f"{b}_denominator"],
                                             row[f"{a}_numerator"], row[f"{a}_denominator"])
            row["p_value"] = float(test["p_value"].iloc[0])
        row["significant"] = bool(pd.notna(row["p_value"]) and row["p_value"] < 1 - confidence)
        better = row["difference_pts"] if row["higher_is_better"] else -row["difference_pts"]
        row["worse_for"] = (None if pd.isna(better) or better == 0
                            else (groups[1] if better < 0 else groups[0]))
        row["confidence"] = float(confidence)
        row["method"] = "wilson; two-proportion z test"
        row["note"] = "; ".join(notes) if notes else None
        row["available"] = row["question"] in present.get(row["year"], set())
        if not row["available"]:
            row["note"] = (WRES6_MISSING if row["question"] == "q14bc" else
                           f"not available: question {row['question']} by "
                           f"{breakdown.lower()} is not in the results")
        out_rows.append(row)
    return pd.DataFrame(out_rows)


def _indicator_question(catalogue: pd.DataFrame, indicator_col: str, key: str,
                        default: str) -> str:
    """The question a WRES indicator / WDES metric uses, by the catalogue if it says."""
    column = {"indicator": "wres_indicator", "metric": "wdes_metric"}[indicator_col]
    if column not in catalogue.columns:
        return default
    hits = catalogue.loc[catalogue[column].astype(str).str.strip() == key, "code"]
    return str(hits.iloc[0]) if len(hits) else default


def _prefix(group: str) -> str:
    return re.sub(r"[^a-z]+", "_", group.lower()).strip("_")


def wres_survey_indicators(
    results: pd.DataFrame,
    *,
    breakdown: str = "Ethnicity",
    classify: Callable[[str], str | None] = classify_ethnicity,
    min_responses: int | None = 10,
    policy: str | suppression.SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    nesting: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """WRES indicators 5-8 (survey-based) for White and BME staff, per year.

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results including the ``breakdown`` (default "Ethnicity").
        Indicator 6 needs the combined measure ``q14bc`` (managers *or* colleagues), as
        supplied with the survey's WRES results by the survey contractor or made by
        :func:`aggregate_responses` from respondent-level data. It cannot be derived
        from aggregated q14b and q14c (the same respondents can answer both, so the
        combined % lies anywhere between the larger of the two and their sum); without
        it indicator 6 is reported as not available, never estimated.
    breakdown : str, default "Ethnicity"
    classify : callable, default :func:`classify_ethnicity`
        Maps a subgroup label to "White", "BME" or None (excluded).
    min_responses, policy, confidence, catalogue, nesting
        As for :func:`compare_to_overall`.

    Returns
    -------
    DataFrame
        One row per year x indicator: ``indicator``, ``question``, ``description``,
        ``higher_is_better``, for each of ``white_`` and ``bme_``: ``numerator``,
        ``denominator``, ``value`` (proportion 0-1), ``lower``, ``upper`` (Wilson),
        ``suppressed``; then ``difference_pts`` (BME - White, points), ``p_value``
        (two-proportion z test), ``significant``, ``worse_for`` ("BME"/"White"),
        ``confidence``, ``method``, ``note``, ``available`` (False when the question is
        not in the results by ``breakdown``; ``note`` then says why, for indicator 6
        that the combined q14bc figure must come from the survey contractor).

    Raises
    ------
    InputError, ValueError
        As for :func:`compare_to_overall`.

    Notes
    -----
    BME subgroups are combined by adding their respondents and reconstructed positive
    answers (``round(pct/100*n)``), i.e. the n-weighted mean %. A group figure is withheld
    when under the suppression threshold, or when subtracting its published subgroups
    would reveal a suppressed one (only one hidden member, or hidden members totalling
    fewer than the threshold). Groups suppressed at source cannot be included (noted).

    References
    ----------
    .. [1] NHS England. *NHS Workforce Race Equality Standard: technical guidance*
       (indicators 5-8 from the NHS Staff Survey).
    """
    return _two_group(results, breakdown=breakdown, classify=classify,
                      groups=("White", "BME"), indicators=WRES_INDICATORS,
                      indicator_col="indicator", only_first=set(),
                      min_responses=min_responses, policy=policy, confidence=confidence,
                      catalogue=catalogue, nesting=nesting)


def wdes_survey_metrics(
    results: pd.DataFrame,
    *,
    breakdown: str = "Disability",
    classify: Callable[[str], str | None] = classify_disability,
    min_responses: int | None = 10,
    policy: str | suppression.SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
    nesting: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """WDES survey-based metrics 4a(i)-(iii), 4b, 5, 6, 7 and 8: disabled vs non-disabled.

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results including the ``breakdown`` (default "Disability").
    breakdown : str, default "Disability"
    classify : callable, default :func:`classify_disability`
    min_responses, policy, confidence, catalogue, nesting
        As for :func:`compare_to_overall`.

    Returns
    -------
    DataFrame
        As :func:`wres_survey_indicators` with column ``metric`` and prefixes
        ``disabled_`` and ``non_disabled_``; ``difference_pts`` is disabled minus
        non-disabled. Metric 8 (reasonable adjustments) is reported for disabled staff only.

    Raises
    ------
    InputError, ValueError
        As for :func:`compare_to_overall`.

    Notes
    -----
    Metric 9a (staff engagement score, 0-10) is a score, not a %: see
    :func:`wdes_engagement_metric`. Metric 4a is harassment, bullying or abuse by source
    (i patients/public q14a, ii managers q14b, iii other colleagues q14c) and 4b its
    reporting (q14d), numbered as in NHS England's WDES metrics. Combination and
    withholding rules as :func:`wres_survey_indicators`.

    References
    ----------
    .. [1] NHS England. *NHS Workforce Disability Equality Standard: technical guidance*
       (metrics 4-9 from the NHS Staff Survey).
    """
    out = _two_group(results, breakdown=breakdown, classify=classify,
                     groups=("Disabled", "Non-disabled"), indicators=WDES_METRICS,
                     indicator_col="metric", only_first={"8"},
                     min_responses=min_responses, policy=policy, confidence=confidence,
                     catalogue=catalogue, nesting=nesting)
    if len(out):
        # disabled minus non-disabled: the group of interest minus the comparator, as WRES
        out["difference_pts"] = -out["difference_pts"]
        eight = out["metric"] == "8"
        out.loc[eight, "non_disabled_suppressed"] = False
    return out


ENGAGEMENT_COLUMNS = [
    "year", "metric", "question", "description", "available",
    "disabled_respondents", "disabled_score", "disabled_sd", "disabled_lower",
    "disabled_upper", "disabled_suppressed",
    "non_disabled_respondents", "non_disabled_score", "non_disabled_sd",
    "non_disabled_lower", "non_disabled_upper", "non_disabled_suppressed",
    "difference", "lower", "upper", "p_value", "significant", "worse_for", "confidence",
    "method", "note",
]

ENGAGEMENT_MISSING = (
    "not available: the staff engagement score by disability (question code "
    "'engagement', a 0-10 score) is not in the results; it is published with the "
    "organisation's NHS Staff Survey results (WDES metric 9a)"
)

WRES6_MISSING = (
    "not available: indicator 6 needs the combined figure for harassment, bullying or "
    "abuse from managers or other colleagues (q14bc: q14b or q14c), which the survey "
    "contractor supplies with the WRES results; it cannot be worked out from the q14b "
    "and q14c results because the same staff can report both"
)


def _score_column(results: pd.DataFrame) -> pd.Series:
    """The score of each row: ``score`` where given, else ``pct_positive``."""
    value = pd.to_numeric(results["pct_positive"], errors="coerce")
    if "score" in results.columns:
        score = pd.to_numeric(results["score"], errors="coerce")
        value = score.where(score.notna(), value)
    return value


def _pool(members: pd.DataFrame) -> tuple[float, float, float]:
    """n, mean and standard deviation of combined subgroups (SD NaN unless all given).

    The combined SD is the square root of (sum (n_i - 1) s_i^2 + sum n_i (m_i - m)^2)
    / (N - 1): within- plus between-subgroup variation of the respondents' scores.
    """
    n = members["n_respondents"].to_numpy(dtype=float)
    m = members["score"].to_numpy(dtype=float)
    total = float(n.sum())
    if total <= 0:
        return 0.0, np.nan, np.nan
    mean = float((n * m).sum() / total)
    sd = members["score_sd"].to_numpy(dtype=float)
    if np.isnan(sd).any() or total < 2:
        return total, mean, np.nan
    ss_ = float(((n - 1) * sd**2).sum() + (n * (m - mean) ** 2).sum())
    return total, mean, float(np.sqrt(ss_ / (total - 1)))


def wdes_engagement_metric(
    results: pd.DataFrame,
    *,
    breakdown: str = "Disability",
    classify: Callable[[str], str | None] = classify_disability,
    min_responses: int | None = 10,
    policy: str | suppression.SuppressionPolicy = "staff_survey",
    confidence: float = 0.95,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """WDES metric 9a: staff engagement score (0-10), disabled vs non-disabled staff.

    Parameters
    ----------
    results : DataFrame
        Aggregated survey results (``year``, ``question``, ``breakdown``, ``subgroup``,
        ``n_respondents``, ``pct_positive``). The engagement score is a row with the
        catalogue's score code (``engagement``, ``measure="score"``, WDES metric 9a)
        whose value 0-10 is in ``score`` when that column is present, else in
        ``pct_positive``; an optional ``score_sd`` gives the standard deviation of the
        respondents' scores in the subgroup.
    breakdown : str, default "Disability"
    classify : callable, default :func:`classify_disability`
    min_responses, policy, confidence, catalogue
        As for :func:`compare_to_overall`.

    Returns
    -------
    DataFrame
        One row per survey year in ``results`` (:data:`ENGAGEMENT_COLUMNS`): ``metric``
        ("9a"), ``available`` (False when the score is not in the results, with the
        reason in ``note``), for ``disabled_`` and ``non_disabled_``: ``respondents``,
        ``score`` (mean 0-10), ``sd``, ``lower``/``upper`` (t interval of the mean, when
        an SD is given) and ``suppressed``; ``difference`` (disabled minus non-disabled,
        score points), ``lower``/``upper`` and ``p_value`` (Welch's t, when both SDs are
        given, else NaN: the point difference only), ``significant``, ``worse_for``,
        ``confidence``, ``method``, ``note``. Scores are unrounded.

    Raises
    ------
    InputError
        If a score is outside 0-10, an SD is negative, or a count is invalid.
    ValueError
        For invalid ``min_responses``, ``policy`` or ``confidence``.

    Notes
    -----
    The same disclosure control as the % questions: subgroups under the threshold are
    hidden with complementary suppression within the breakdown (Overall row as the
    total), and a group figure is withheld when under the threshold or when it would
    reveal a hidden subgroup. Subgroups classed as disabled (or non-disabled) are
    combined as the n-weighted mean, with the SD of the combined respondents (within- plus
    between-subgroup variation). With SDs, the interval of each mean is
    ``mean ± t(n-1) * sd / sqrt(n)`` and the difference has Welch's interval and test
    (Welch-Satterthwaite degrees of freedom); scores are means of several items, so for
    groups of 10 or more the t approximation is adequate. Without an SD only the point
    difference is reported (no interval can be computed from means and counts alone).

    References
    ----------
    .. [1] NHS England (2023). *NHS Workforce Disability Equality Standard 2023: Metrics*
       (metric 9a: staff engagement score for disabled staff compared with non-disabled
       staff and the overall engagement score for the organisation).
    .. [2] Welch BL (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika* 34:28-35.
    """
    from scipy import stats as sps

    catalogue = _check_catalogue(catalogue)
    confidence = float(confidence)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}.")
    pol = _policy(policy, min_responses)
    threshold = int(pol.min_count or 1)
    if not isinstance(results, pd.DataFrame):
        raise ValueError(f"results must be a DataFrame, got {type(results).__name__}.")
    missing = [c for c in RESULT_COLUMNS if c not in results.columns]
    if missing:
        raise InputError([InputProblem("<DataFrame>", c, None, None,
                                       "a column of the survey results") for c in missing])
    metric = catalogue.get("wdes_metric", pd.Series(dtype=str)).fillna("")
    codes = list(catalogue.loc[metric == "9a", "code"]) or ["engagement"]
    code = codes[0]
    years = sorted(pd.to_numeric(results["year"], errors="coerce").dropna().astype(int).unique())
    rows = results[(results["question"] == code)
                   & results["breakdown"].isin([OVERALL, breakdown])].copy()
    problems: list[InputProblem] = []
    rows["score"] = _score_column(rows)
    rows["score_sd"] = (pd.to_numeric(rows["score_sd"], errors="coerce")
                        if "score_sd" in rows.columns else np.nan)
    n = pd.to_numeric(rows["n_respondents"], errors="coerce")
    for i in rows.index[(n.isna() | (n < 0)).to_numpy()]:
        problems.append(InputProblem("<DataFrame>", "n_respondents", int(i) + 2,
                                     str(rows.at[i, "n_respondents"]), "a count of 0 or more"))
    for i in rows.index[((rows["score"] < 0) | (rows["score"] > 10)).to_numpy()]:
        problems.append(InputProblem("<DataFrame>", "score", int(i) + 2,
                                     str(rows.at[i, "score"]),
                                     "an engagement score from 0 to 10, or blank"))
    for i in rows.index[(rows["score_sd"] < 0).to_numpy()]:
        problems.append(InputProblem("<DataFrame>", "score_sd", int(i) + 2,
                                     str(rows.at[i, "score_sd"]),
                                     "a standard deviation of 0 or more, or blank"))
    if problems:
        raise InputError(problems)
    rows["n_respondents"] = n.astype("int64")
    rows["year"] = rows["year"].astype("int64")
    out_rows = []
    description = ("Staff engagement score (0-10): disabled compared with non-disabled "
                   "staff")
    for year in years:
        part = rows[rows["year"] == year].reset_index(drop=True)
        row: dict[str, object] = {"year": year, "metric": "9a", "question": code,
                                  "description": description, "confidence": confidence}
        subs = part[part["breakdown"] == breakdown]
        if subs.empty:
            row.update(available=False, note=ENGAGEMENT_MISSING)
            out_rows.append(row)
            continue
        flags = _suppress(part[RESULT_COLUMNS].assign(pct_positive=part["score"]), pol)
        part["suppressed"] = flags["suppressed"].to_numpy()
        part["group"] = part["subgroup"].map(classify)
        notes = []
        for group, prefix in (("Disabled", "disabled"), ("Non-disabled", "non_disabled")):
            members = part[(part["breakdown"] == breakdown) & (part["group"] == group)]
            known = members[members["score"].notna()]
            total, mean, sd = _pool(known)
            hidden = members[members["suppressed"]]
            publish = total >= threshold
            if publish and len(hidden):
                publish = len(hidden) >= 2 and hidden["n_respondents"].sum() >= threshold
                if not publish:
                    notes.append(f"{group} figure withheld: it would reveal a suppressed "
                                 "subgroup")
            if len(known) < len(members):
                notes.append(f"{group} figure excludes groups without a score")
            lo = hi = np.nan
            if publish and pd.notna(sd) and total >= 2:
                half = sps.t.ppf(0.5 + confidence / 2, total - 1) * sd / np.sqrt(total)
                lo, hi = mean - half, mean + half
            row[f"{prefix}_respondents"] = total if publish else np.nan
            row[f"{prefix}_score"] = mean if publish else np.nan
            row[f"{prefix}_sd"] = sd if publish else np.nan
            row[f"{prefix}_lower"] = lo
            row[f"{prefix}_upper"] = hi
            row[f"{prefix}_suppressed"] = bool(total > 0 and not publish)
        a, b = row["disabled_score"], row["non_disabled_score"]
        row["difference"] = a - b if pd.notna(a) and pd.notna(b) else np.nan
        row["lower"] = row["upper"] = row["p_value"] = np.nan
        sd_a, sd_b = row["disabled_sd"], row["non_disabled_sd"]
        n_a, n_b = row["disabled_respondents"], row["non_disabled_respondents"]
        if pd.notna(row["difference"]) and pd.notna(sd_a) and pd.notna(sd_b):
            va, vb = sd_a**2 / n_a, sd_b**2 / n_b
            se = float(np.sqrt(va + vb))
            if se > 0:
                df = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
                half = sps.t.ppf(0.5 + confidence / 2, df) * se
                row["lower"], row["upper"] = row["difference"] - half, row["difference"] + half
                row["p_value"] = float(2 * sps.t.sf(abs(row["difference"]) / se, df))
            row["method"] = "t interval of each mean; Welch's t interval and test"
        elif pd.notna(row["difference"]):
            row["method"] = "point difference (no standard deviation supplied)"
        else:
            row["method"] = None
        row["significant"] = bool(pd.notna(row["p_value"])
                                  and row["p_value"] < 1 - confidence)
        diff = row["difference"]
        row["worse_for"] = (None if pd.isna(diff) or diff == 0
                            else ("Disabled" if diff < 0 else "Non-disabled"))
        row["available"] = True
        row["note"] = "; ".join(notes) if notes else None
        out_rows.append(row)
    out = pd.DataFrame(out_rows, columns=ENGAGEMENT_COLUMNS)
    for col in ("disabled_suppressed", "non_disabled_suppressed", "significant", "available"):
        out[col] = out[col].eq(True)
    return out


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


def select_nesting(inputs: Mapping[str, pd.DataFrame | None]) -> pd.DataFrame | None:
    """The run's nested breakdowns: the ``survey_nesting`` input, else found in responses.

    Parameters
    ----------
    inputs : mapping
        The run's inputs (:func:`edi_analysis.inputs.org_inputs`).

    Returns
    -------
    DataFrame or None
        The ``survey_nesting`` table when given; otherwise, when the results come from
        respondent-level data, :func:`nesting_from_responses`; else None (aggregated
        results carry no membership, so nesting must be declared).
    """
    declared = inputs.get("survey_nesting")
    if declared is not None:
        return nesting_table(declared)
    responses = inputs.get("survey_responses")
    if inputs.get("survey_results") is None and responses is not None:
        return nesting_from_responses(responses)
    return None


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
        f"Groups with fewer than {min_responses} responses are not shown (*); where hiding "
        "one group would let it be worked out from the others and the organisation figure, "
        "a second group is hidden too.",
        f"Differences of a few points can arise by chance in small groups. Each percentage "
        f"has a {level} Wilson confidence interval, and each group is tested against the "
        "rest of the organisation (two-proportion z test, or Fisher's exact test when counts "
        "are small); † marks Red or Green ratings whose difference is statistically "
        f"significant ({level} confidence).",
    ]
