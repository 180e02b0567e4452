"""Workforce Disability Equality Standard (WDES): the metrics computed from workforce data.

Metrics 1 (disabled staff by pay band cluster, non-clinical, clinical and medical), 2
(appointment from shortlisting), 3 (entry into the formal capability process) and 10
(board membership). Metrics 4-9 come from the NHS Staff Survey
(:mod:`edi_analysis.staff_survey`).

Groups: "Disabled" (ESR disability "Yes"), "Non-disabled" ("No") and "Unknown"
("Not declared", "Prefer not to answer"), which is excluded from numerators and
denominators, as in the WDES technical guidance.

What was checked (November 2026, stored copies of public pages): the ten-metric structure
and the 2023 changes to metric 1 (bank staff excluded, VSM defined as in the WRES) on NHS
England's WDES 2023 metrics page; the wording and direction of metrics 2 ("non-disabled
compared to disabled staff being appointed from shortlisting across all posts") and 3
("entering the formal capability process, as measured by entry into the formal
capability procedure") on NHS England South East's page; capability meaning performance,
not ill health (NHS England's WDES 2021 report as reported by HSJ); metric 10's split by
board voting and executive membership and metric 1's clusters (AfC 1-4, 5-7, 8a-8b,
8c-9 and VSM; consultants, non-consultant career grades, trainees) as trusts publish
them. Not verified: the two-year rolling average of metric 3 (no stored copy of the
technical guidance's metric sections was found) and the clinical / non-clinical
occupational split (approximated by ESR staff group,
:data:`edi_analysis.wres.NON_CLINICAL_STAFF_GROUPS`).

References
----------
.. [1] NHS England (2023). *NHS WDES 2023: Metrics* (B1710-ii).
   https://www.england.nhs.uk/long-read/nhs-wdes-2023-metrics/
.. [2] NHS England (2023). *NHS WDES 2023 technical guidance*, version 5.
   https://www.england.nhs.uk/long-read/nhs-wdes-2023-technical-guidance/
.. [3] NHS England South East. *Advancing disability equality* (metrics 1, 2, 3).
   https://www.england.nhs.uk/south-east/health-equalities/workforce-equality-and-diversity/advancing-race-disability-and-lgbtq-equality/advancing-disability-equality/
.. [4] Kent and Medway NHS and Social Care Partnership Trust. *WDES 2019-2022, metric 10*
   (board voting and executive membership).
.. [5] London North West University Healthcare NHS Trust. *Workforce metrics* (WDES
   metric 1 clusters). https://www.lnwh.nhs.uk/workforce-metrics
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from edi_analysis import workforce
from edi_analysis.errors import InputError
from edi_analysis.wres import (
    board_difference,
    case_counts,
    not_available,
    relative_likelihood_indicator,
    representation_by_band,
    rolling_counts,
)

__all__ = [
    "disability_group",
    "wdes_metric_1",
    "wdes_metric_2",
    "wdes_metric_3",
    "wdes_metric_10",
    "wdes_summary",
]

DISABLED, NON_DISABLED, UNKNOWN = "Disabled", "Non-disabled", "Unknown"
_MAP = {"Yes": DISABLED, "No": NON_DISABLED, "Not declared": UNKNOWN,
        "Prefer not to answer": UNKNOWN}

_DESC = {
    "1": "Percentage of disabled staff in each pay band cluster (AfC 1-4, 5-7, 8a-8b, "
         "8c-9 and VSM; medical grades), non-clinical and clinical, compared with the "
         "overall workforce",
    "2": "Relative likelihood of non-disabled applicants being appointed from shortlisting "
         "compared to disabled applicants",
    "3": "Relative likelihood of disabled staff entering the formal capability process "
         "compared to non-disabled staff",
    "10": "Percentage difference between the board's disabled membership and the overall "
          "workforce",
}


def disability_group(values: pd.Series) -> pd.Series:
    """Return "Disabled", "Non-disabled" or "Unknown" for ESR disability values.

    Parameters
    ----------
    values : pandas.Series
        "Yes", "No", "Not declared", "Prefer not to answer" (blank = unknown).

    Returns
    -------
    pandas.Series of str
    """
    return values.map(lambda v: _MAP.get(v, UNKNOWN)).astype(object)


def _counts(frame: pd.DataFrame, flag: str | None = None) -> pd.Series:
    group = disability_group(frame["disability"])
    if flag is not None:
        group = group[frame[flag].astype(bool)]
    return group.value_counts().reindex([DISABLED, NON_DISABLED], fill_value=0)


def wdes_metric_1(staff: pd.DataFrame) -> pd.DataFrame:
    """WDES metric 1: disabled, non-disabled and unknown headcount by cluster and staff type.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records (``pay_band``, ``staff_group``, ``disability``).

    Returns
    -------
    pandas.DataFrame
        :func:`edi_analysis.wres.representation_by_band` on the WDES clusters
        (:data:`edi_analysis.workforce.BAND_CLUSTER_PRESETS` "wdes"), with columns
        ``Disabled``, ``Non-disabled``, ``Unknown``, ``total``, ``Disabled_share`` and
        ``Non-disabled_share`` (proportions 0-1 of staff with a known status).

    Notes
    -----
    Metric 1 compares the percentage of disabled staff in AfC pay band clusters
    (1: bands under 1 to 4; 2: 5-7; 3: 8a-8b; 4: 8c-9 and VSM) and medical and dental
    subgroups (consultants, non-consultant career grades, trainee grades) with the
    percentage in the overall workforce, separately for non-clinical and clinical staff.

    References
    ----------
    .. [1] NHS England (2023). *NHS Workforce Disability Equality Standard (WDES) 2023
       technical guidance*, version 5, metric 1.
       https://www.england.nhs.uk/long-read/nhs-wdes-2023-technical-guidance/
    """
    clusters = workforce.assign_clusters(staff, "wdes").astype(str)
    return representation_by_band(
        staff, disability_group(staff["disability"]), [DISABLED, NON_DISABLED], UNKNOWN,
        band_order=list(workforce.BAND_CLUSTER_PRESETS["wdes"]), band=clusters)


def wdes_metric_2(recruitment: pd.DataFrame | None, confidence: float = 0.95) -> pd.DataFrame:
    """WDES metric 2: non-disabled vs disabled likelihood of appointment from shortlisting.

    Parameters
    ----------
    recruitment : pandas.DataFrame or None
        One row per shortlisted applicant with ``disability`` and boolean ``appointed``.
    confidence : float
        Interval level.

    Returns
    -------
    pandas.DataFrame
        One row of :data:`edi_analysis.wres.RESULT_COLUMNS` (``value`` = likelihood for
        non-disabled applicants / likelihood for disabled applicants), or the "not
        available" row.

    References
    ----------
    .. [1] NHS England (2023). *WDES 2023 technical guidance*, metric 2 ("relative
       likelihood of non-disabled staff compared to Disabled staff being appointed from
       shortlisting across all posts", as worded on NHS England South East's page; module
       references).
    """
    if recruitment is None:
        return not_available("WDES", "2", _DESC["2"], "not available: no recruitment file "
                             "supplied")
    return relative_likelihood_indicator(
        "WDES", "2", _DESC["2"], _counts(recruitment, "appointed"), _counts(recruitment),
        NON_DISABLED, DISABLED, confidence=confidence)


_DISABILITY_LABELS = {"yes": DISABLED, "disabled": DISABLED, "no": NON_DISABLED,
                      "non-disabled": NON_DISABLED, "non disabled": NON_DISABLED,
                      "not disabled": NON_DISABLED}


def wdes_metric_3(
    staff: pd.DataFrame,
    capability: pd.DataFrame | None,
    confidence: float = 0.95,
    period: str | None = None,
) -> pd.DataFrame:
    """WDES metric 3: disabled vs non-disabled likelihood of entering the capability process.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records (denominators: headcount by disability group).
    capability : pandas.DataFrame or None
        One row per employee entering the formal capability process on the grounds of
        performance (``disability``; optional ``year``, financial year "2024-25"), as
        read by :func:`edi_analysis.io.read_capability`; or its aggregated form
        (``group_type`` "Disability", ``group`` "Yes"/"No" or "Disabled"/"Non-disabled",
        ``cases``, optional ``year``). None when no file was supplied.
    confidence : float
        Interval level.
    period : str, optional
        The report's financial year: the rolling window is this year and the year
        before. Default: the latest year in the file.

    Returns
    -------
    pandas.DataFrame
        One row of :data:`edi_analysis.wres.RESULT_COLUMNS` (``value`` = likelihood for
        disabled staff / likelihood for non-disabled staff; above 1.25 means disabled
        staff are more likely to enter the process), or the "not available" row (only
        when no capability data was supplied or it has no disability rows).

    Notes
    -----
    Measured by entry into the formal capability procedure on the grounds of
    performance, not ill health; the disciplinary process is a different measure (WRES
    indicator 3). Numerators are the yearly average of the current and previous year
    when the file has a ``year`` (:func:`edi_analysis.wres.rolling_counts`,
    :func:`edi_analysis.wres.case_counts`), otherwise the one year given (the note says
    so). Denominators are the current headcount by disability; "Unknown" (not declared,
    prefer not to answer) is excluded from both.

    The metric's wording and the performance-not-ill-health scope were checked against
    NHS England's 2023 metrics summary [2]_ and NHS England's regional page [3]_; the
    two-year rolling average follows the WDES technical guidance [1]_ but its wording
    could not be checked against a stored copy of the guidance when this was written.

    References
    ----------
    .. [1] NHS England (2023). *NHS Workforce Disability Equality Standard (WDES) 2023
       technical guidance*, version 5, metric 3.
       https://www.england.nhs.uk/long-read/nhs-wdes-2023-technical-guidance/
    .. [2] NHS England (2023). *NHS WDES 2023: Metrics* (B1710-ii).
       https://www.england.nhs.uk/long-read/nhs-wdes-2023-metrics/
    .. [3] NHS England South East. *Advancing disability equality*: metric 3 "relative
       likelihood of Disabled staff entering the formal capability process, as measured
       by entry into the formal capability procedure".
    """
    if capability is None:
        return not_available("WDES", "3", _DESC["3"], "not available: no capability file "
                             "supplied")
    if "cases" in capability.columns:
        found = case_counts(capability, "Disability", _DISABILITY_LABELS,
                            [DISABLED, NON_DISABLED], current=period)
        if found is None:
            return not_available("WDES", "3", _DESC["3"], "not available: the capability "
                                 "counts file has no disability rows")
        cases, note = found
    else:
        if "disability" not in capability.columns:
            raise InputError.single("<capability>", "a 'disability' column",
                                    column="disability")
        cases, note = rolling_counts(capability, disability_group(capability["disability"]),
                                     [DISABLED, NON_DISABLED], current=period)
    return relative_likelihood_indicator("WDES", "3", _DESC["3"], cases, _counts(staff),
                                         DISABLED, NON_DISABLED, note=note,
                                         confidence=confidence)


def wdes_metric_10(staff: pd.DataFrame, board: pd.DataFrame | None) -> pd.DataFrame:
    """WDES metric 10: disabled share of the board minus disabled share of the workforce.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records.
    board : pandas.DataFrame or None
        One row per board member (``disability``, ``voting``, ``executive``).

    Returns
    -------
    pandas.DataFrame
        :func:`edi_analysis.wres.board_difference` rows, or the "not available" row.

    References
    ----------
    .. [1] NHS England (2023). *WDES 2023 technical guidance*, metric 10: percentage
       difference between the board's voting membership and the overall workforce,
       disaggregated by voting and by executive membership (wording as published by
       trusts, module references). "Total board" and "Non-executive members" are extra
       context rows.
    """
    if board is None:
        return not_available("WDES", "10", _DESC["10"], "not available: no board file "
                             "supplied")
    return board_difference(board, disability_group(board["disability"]),
                            disability_group(staff["disability"]), DISABLED,
                            [DISABLED, NON_DISABLED], "WDES", "10", _DESC["10"])


def wdes_summary(
    inputs: Mapping[str, pd.DataFrame | None], confidence: float = 0.95,
    period: str | None = None,
) -> pd.DataFrame:
    """Return WDES metrics 2, 3 and 10 in one table (metric 1 is a table of its own).

    Parameters
    ----------
    inputs : mapping
        :func:`edi_analysis.inputs.org_inputs` output. Metric 3 uses ``capability``
        (:func:`edi_analysis.io.read_capability`) when given, otherwise rows of a
        record-level ``disciplinary`` file whose ``process`` column says "capability"
        (older files); it is "not available" only when neither exists.
    confidence : float
        Interval level.
    period : str, optional
        Report financial year; ends the two-year window of metric 3.

    Returns
    -------
    pandas.DataFrame
        Rows of :data:`edi_analysis.wres.RESULT_COLUMNS`.
    """
    staff = inputs["staff_records"]
    capability = inputs.get("capability")
    disc = inputs.get("disciplinary")
    if capability is None and disc is not None and "process" in disc.columns \
            and "disability" in disc.columns and "cases" not in disc.columns:
        is_cap = disc["process"].astype(str).str.lower().str.contains("capability")
        capability = disc[is_cap] if is_cap.any() else None
    parts = [
        wdes_metric_2(inputs.get("recruitment"), confidence),
        wdes_metric_3(staff, capability, confidence, period=period),
        wdes_metric_10(staff, inputs.get("board")),
    ]
    return pd.concat(parts, ignore_index=True)


