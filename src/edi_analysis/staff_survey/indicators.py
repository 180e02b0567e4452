"""WRES indicators and WDES metrics from the survey: their questions and the engagement score.

:data:`WRES_INDICATORS` (5-8) and :data:`WDES_METRICS` (4a(i)-(iii), 4b, 5-8) name the
question behind each indicator (the catalogue's ``wres_indicator`` and ``wdes_metric``
columns take precedence). WDES metric 9a, the staff engagement score, is a mean score
0-10 rather than a %: its columns, notes, and the checking and pooling of its rows are
here too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from edi_analysis.errors import InputError, InputProblem
from edi_analysis.staff_survey.results import OVERALL, RESULT_COLUMNS

__all__ = [
    "ENGAGEMENT_COLUMNS",
    "ENGAGEMENT_DESCRIPTION",
    "ENGAGEMENT_MISSING",
    "WDES_METRICS",
    "WRES6_MISSING",
    "WRES_INDICATORS",
]


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


def _indicator_question(catalogue: pd.DataFrame, indicator_col: str, key: str,
                        default: str) -> str:
    """The question a WRES indicator / WDES metric uses, by the catalogue if it says."""
    column = {"indicator": "wres_indicator", "metric": "wdes_metric"}[indicator_col]
    if column not in catalogue.columns:
        return default
    hits = catalogue.loc[catalogue[column].astype(str).str.strip() == key, "code"]
    return str(hits.iloc[0]) if len(hits) else default


ENGAGEMENT_COLUMNS = [
    "year", "metric", "question", "description", "available",
    "disabled_respondents", "disabled_respondents_symbol", "disabled_score", "disabled_sd",
    "disabled_lower", "disabled_upper", "disabled_suppressed",
    "non_disabled_respondents", "non_disabled_respondents_symbol", "non_disabled_score",
    "non_disabled_sd", "non_disabled_lower", "non_disabled_upper", "non_disabled_suppressed",
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


ENGAGEMENT_DESCRIPTION = ("Staff engagement score (0-10): disabled compared with non-disabled "
                          "staff")


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


def _engagement_code(catalogue: pd.DataFrame) -> str:
    metric = catalogue.get("wdes_metric", pd.Series(dtype=str)).fillna("")
    codes = list(catalogue.loc[metric == "9a", "code"]) or ["engagement"]
    return str(codes[0])


def _engagement_rows(results: pd.DataFrame, code: str, breakdown: str) -> pd.DataFrame:
    """The engagement-score rows of the results, checked (scores 0-10, SDs >= 0)."""
    if not isinstance(results, pd.DataFrame):
        raise ValueError(f"results must be a DataFrame, got {type(results).__name__}.")
    missing = [c for c in RESULT_COLUMNS if c not in results.columns]
    if missing:
        raise InputError([InputProblem("<DataFrame>", c, None, None,
                                       "a column of the survey results") for c in missing])
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
    rows["subgroup"] = rows["subgroup"].astype(str)
    return rows.reset_index(drop=True)
