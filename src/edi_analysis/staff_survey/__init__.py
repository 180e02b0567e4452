"""NHS Staff Survey chapter: subgroup comparisons, trends, WRES/WDES survey indicators.

The input is the aggregated shape organisations receive from the survey (one row per
year x question x breakdown x subgroup with ``n_respondents`` and ``pct_positive``, see
``docs/DESIGN.md``), or respondent-level pulse-survey data turned into that shape by
:func:`aggregate_responses`.

Nothing here hides a figure by hand. :class:`SurveyRelease` declares every published
figure to the report's disclosure model (:mod:`edi_analysis.disclosure`): one
population per survey year and question, whose cells are a group's respondents and
those of them giving the counted answers. The release decides what to hide for all
tables at once, and every percentage, interval, rating, test and change is then
computed from what is published, at the precision it is published. Percentages in this
package are percentages 0-100 (columns ``*_pct``) and differences are percentage points
(``*_pts``); WRES/WDES indicator frames follow the shared statistical shape
(proportions 0-1 in ``*value``, ``*lower``, ``*upper``).

Modules
-------
Lowest first; each imports only modules listed above it.

catalogue
    The question catalogue (:func:`load_catalogue`).
results
    The aggregated results: their columns, checks, :func:`aggregate_responses` and
    :func:`select_results`.
nesting
    Nested breakdowns (Directorate within Division): :func:`nesting_table`,
    :func:`nesting_from_responses`, :func:`select_nesting`, :func:`breakdown_chains`.
rules
    The RAG rating (:func:`rag_rating`) and the survey's disclosure rule
    (:func:`survey_policy`, :func:`suppression_threshold`).
groups
    Subgroup labels: :func:`subgroup_order`, :func:`classify_ethnicity`,
    :func:`classify_disability`.
indicators
    WRES indicators 5-8, WDES metrics 4-8 and the engagement score (WDES 9a).
population
    The disclosure population of one survey year and question (:class:`SurveyQuestion`).
publication
    :class:`SurveyRelease`: the chapter's tables declared to a release, and every
    figure derived from what is published.
standalone
    The same tables from a release of the survey alone: :func:`compare_to_overall`,
    :func:`trend_table`, :func:`wres_survey_indicators`, :func:`wdes_survey_metrics`,
    :func:`wdes_engagement_metric`.
findings
    The chapter's sentences: :func:`key_findings`, :func:`indicator_findings`,
    :func:`engagement_findings`, :func:`withheld_notes`, :func:`method_notes`.
"""

from __future__ import annotations

from edi_analysis.staff_survey.catalogue import MEASURES, load_catalogue
from edi_analysis.staff_survey.findings import (
    engagement_findings,
    indicator_findings,
    key_findings,
    method_notes,
    withheld_notes,
)
from edi_analysis.staff_survey.groups import (
    classify_disability,
    classify_ethnicity,
    subgroup_order,
)
from edi_analysis.staff_survey.indicators import (
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_MISSING,
    WDES_METRICS,
    WRES_INDICATORS,
)
from edi_analysis.staff_survey.nesting import (
    NESTING_COLUMNS,
    breakdown_chains,
    nesting_from_responses,
    nesting_table,
    select_nesting,
)
from edi_analysis.staff_survey.population import NOT_ANSWERED, SurveyQuestion
from edi_analysis.staff_survey.publication import (
    COMPARISON_TABLE,
    ENGAGEMENT_TABLE,
    TRENDS_TABLE,
    WDES_TABLE,
    WRES_TABLE,
    SurveyRelease,
)
from edi_analysis.staff_survey.results import (
    BREAKDOWN_COLUMNS,
    OVERALL,
    REPORT_BREAKDOWNS,
    RESULT_COLUMNS,
    aggregate_responses,
    select_results,
)
from edi_analysis.staff_survey.rules import rag_rating, suppression_threshold, survey_policy
from edi_analysis.staff_survey.standalone import (
    compare_to_overall,
    trend_table,
    wdes_engagement_metric,
    wdes_survey_metrics,
    wres_survey_indicators,
)

__all__ = [
    "BREAKDOWN_COLUMNS",
    "COMPARISON_TABLE",
    "ENGAGEMENT_COLUMNS",
    "ENGAGEMENT_MISSING",
    "ENGAGEMENT_TABLE",
    "MEASURES",
    "NESTING_COLUMNS",
    "NOT_ANSWERED",
    "OVERALL",
    "REPORT_BREAKDOWNS",
    "RESULT_COLUMNS",
    "TRENDS_TABLE",
    "WDES_METRICS",
    "WDES_TABLE",
    "WRES_INDICATORS",
    "WRES_TABLE",
    "SurveyQuestion",
    "SurveyRelease",
    "aggregate_responses",
    "breakdown_chains",
    "classify_disability",
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
    "survey_policy",
    "trend_table",
    "wdes_engagement_metric",
    "wdes_survey_metrics",
    "withheld_notes",
    "wres_survey_indicators",
]
