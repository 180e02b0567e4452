"""Workforce Race Equality Standard (WRES): the indicators computed from workforce data.

Indicators 1 (BME representation by pay band, clinical and non-clinical), 2 (appointment
from shortlisting), 3 (entry into the formal disciplinary process), 4 (non-mandatory
training and CPD) and 9 (board membership). Indicators 5-8 come from the NHS Staff
Survey (:mod:`edi_analysis.staff_survey`).

Definitions follow NHS England's WRES technical guidance: BME means every ethnic group
except the White groups (NHS ethnic category codes A, B and C); staff whose ethnicity is
not stated or not known are excluded from the numerator and the denominator of every
indicator. Relative likelihoods are assessed against the 0.80-1.25 band NHS England
treats as "non-adverse" (:data:`edi_analysis.stats.WRES_NON_ADVERSE_RANGE`).

The shared machinery (relative likelihoods with an optional two-year rolling average,
board comparisons, "not available" results) is used by :mod:`wdes` too. The published
indicators are declared to the disclosure model by
:func:`edi_analysis.workforce_publication.build_chapter`, which recomputes every
likelihood from the published counts.

What was checked, and against what (November 2026, with stored copies of public pages)
-------------------------------------------------------------------------------------
* Verified: the nine-indicator structure (four from workforce data, four from the NHS
  Staff Survey, one on board representation) on NHS England's WRES indicators page
  [1]_; the descriptors and ratio directions of indicators 2 ("relative likelihood of
  White applicants being appointed from shortlisting across all posts compared to BME
  applicants"), 3 (BME vs White staff entering the formal disciplinary process) and 4
  (White vs BME staff accessing non-mandatory training and CPD), and indicator 1 being
  reported for clinical and non-clinical staff, as NHS trusts publish them [2]_ [3]_;
  the WDES (modelled on the WRES) defining its board metric by voting and executive
  membership and matching its VSM definition to the WRES [4]_.
* Not verified (no stored copy of the WRES technical guidance itself was found): the
  two-year rolling average of indicator 3 (quoted in :func:`wres_indicator_3`); which
  occupational groups count as clinical or non-clinical (here: by ESR staff group, see
  :data:`NON_CLINICAL_STAFF_GROUPS`); the exclusion of "not stated" from numerators and
  denominators and the 0.80-1.25 non-adverse band (both as stated in the project brief,
  issue 3); indicator 9's split by voting and executive membership (taken from the WDES
  equivalent, metric 10).

References
----------
.. [1] NHS England. *Workforce Race Equality Standard (WRES) indicators*.
   https://www.england.nhs.uk/publication/workforce-race-equality-standard-wres-indicators/
.. [2] Whittington Health NHS Trust. *Workforce Race Equality Standard (WRES)* (lists the
   nine indicators). https://whittington.nhs.uk/default.asp?c=30845
.. [3] North Cumbria Integrated Care NHS FT. *WRES report 2025* (indicator descriptors).
   https://www.ncic.nhs.uk/trust/equality-diversity-and-inclusion/workforce-race-equality-standard-wres-report-2025
.. [4] NHS England (2023). *NHS WDES 2023: Metrics*.
   https://www.england.nhs.uk/long-read/nhs-wdes-2023-metrics/
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from edi_analysis import census, schemas, stats
from edi_analysis.errors import InputError

__all__ = [
    "NON_CLINICAL_STAFF_GROUPS",
    "RESULT_COLUMNS",
    "ethnicity_group",
    "workforce_type",
    "not_available",
    "relative_likelihood_indicator",
    "rolling_counts",
    "rolling_window",
    "previous_year",
    "case_counts",
    "representation_by_band",
    "board_difference",
    "wres_indicator_1",
    "wres_indicator_2",
    "wres_indicator_3",
    "wres_indicator_4",
    "wres_indicator_9",
    "wres_summary",
    "indicator_sentences",
]

WHITE, BME, UNKNOWN = "White", "BME", "Not stated"

#: Staff groups counted as non-clinical in WRES indicator 1 and WDES metric 1. An
#: approximation at ESR staff-group level: the guidance's own occupational split could not
#: be verified (see the module notes); staff on medical grades are always "Medical and
#: dental" and every other staff group counts as clinical.
NON_CLINICAL_STAFF_GROUPS: tuple[str, ...] = ("Administrative and Clerical",
                                              "Estates and Ancillary")

#: Columns of every indicator result (one row per indicator or breakdown).
RESULT_COLUMNS: list[str] = [
    "standard", "indicator", "description", "breakdown", "reference", "comparison",
    "numerator_a", "denominator_a", "numerator_b", "denominator_b", "value_a", "value_b",
    "value", "lower", "upper", "unit", "non_adverse", "available", "note",
]


def ethnicity_group(codes: pd.Series) -> pd.Series:
    """Return "White", "BME" or "Not stated" for NHS ethnic category codes.

    Parameters
    ----------
    codes : pandas.Series
        NHS Data Dictionary ethnic category codes ("A".."S", "Z", "99").

    Returns
    -------
    pandas.Series of str

    Notes
    -----
    The BME flag is :data:`edi_analysis.census.ETHNIC_CATEGORIES` ``bme`` (every code but
    A, B, C); Z (not stated), 99 (not known) and blanks are "Not stated".
    """
    lookup = census.ETHNIC_CATEGORIES
    flag = {str(c): b for c, b in zip(lookup["code"], lookup["bme"], strict=True)
            if not pd.isna(b)}
    key = codes.astype("string").str.strip().str.upper()
    return key.map(lambda c: UNKNOWN if pd.isna(c) or c not in flag
                   else (BME if flag[c] else WHITE)).astype(object)


def workforce_type(staff: pd.DataFrame) -> pd.Series:
    """Return "Non-clinical", "Clinical" or "Medical and dental" per employee.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records with ``pay_band`` and ``staff_group``.

    Returns
    -------
    pandas.Series of str

    Notes
    -----
    WRES indicator 1 and WDES metric 1 split the workforce into non-clinical staff
    (Administrative and Clerical, Estates and Ancillary), clinical staff on AfC and
    medical and dental staff (by grade). Staff on a medical pay band are medical and
    dental whatever their staff group.
    """
    for col in ("pay_band", "staff_group"):
        if col not in staff.columns:
            raise InputError.single("<staff records>", f"a '{col}' column", column=col)
    medical = staff["pay_band"].isin(schemas.MEDICAL_BANDS) | \
        (staff["staff_group"] == "Medical and Dental")
    non_clinical = staff["staff_group"].isin(NON_CLINICAL_STAFF_GROUPS)
    return pd.Series(np.where(medical, "Medical and dental",
                              np.where(non_clinical, "Non-clinical", "Clinical")),
                     index=staff.index)


def not_available(standard: str, indicator: str, description: str, reason: str) -> pd.DataFrame:
    """Return the one-row result saying an indicator cannot be computed, and why.

    Parameters
    ----------
    standard, indicator, description : str
        E.g. "WRES", "2", "Relative likelihood of ...".
    reason : str
        Plain words, e.g. "not available: no recruitment file supplied".

    Returns
    -------
    pandas.DataFrame
        One row with :data:`RESULT_COLUMNS`, ``available`` False and ``note`` = reason.
    """
    row = dict.fromkeys(RESULT_COLUMNS, np.nan)
    row.update(standard=standard, indicator=indicator, description=description,
               breakdown="Overall", reference="", comparison="", unit="",
               non_adverse=pd.NA, available=False, note=reason)
    return pd.DataFrame([row], columns=RESULT_COLUMNS)


def previous_year(label: object) -> object:
    """Return the year before ``label``: "2024-25" -> "2023-24", 2025 -> 2024, "2025" -> "2024".

    Parameters
    ----------
    label : str or int
        A financial year "YYYY-YY" or a calendar year.

    Returns
    -------
    str, int or None
        Same form as ``label``; None when ``label`` is neither form.
    """
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        return int(label) - 1
    text = str(label).strip()
    if schemas.is_financial_year(text):
        start = int(text[:4]) - 1
        return f"{start}-{(start + 1) % 100:02d}"
    if re.fullmatch(r"\d{4}", text):
        return str(int(text) - 1)
    return None


def rolling_window(
    events: pd.DataFrame,
    year_col: str = "year",
    years: int = 2,
    current: object | None = None,
) -> tuple[list[object] | None, str]:
    """The years an indicator's event counts are taken over, and a note saying which.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per person entering the process (or per group and year); optional
        ``year_col``.
    year_col : str
        Column with the year of entry (financial years "2024-25" or calendar years).
    years : int
        Length of the rolling window (2 in the WRES and WDES guidance).
    current : str or int, optional
        The reporting year, which ends the window (e.g. the report's period
        "2025-26"). Default: the latest year in ``events``.

    Returns
    -------
    (list or None, str)
        The window's year labels (None when the file has no years: every row counts)
        and the note for the published table.

    Notes
    -----
    The window is ``current`` and the ``years - 1`` years before it, whether or not
    the file holds rows for each: with record-level data a year without rows is a year
    with no cases (the note names it). When the file holds one year only, and it is in
    the window, that year is used alone (a file of one year cannot show the year
    before), and the note says so.
    """
    if years < 1:
        raise ValueError(f"years must be 1 or more, got {years}.")
    if year_col not in events.columns or not events[year_col].notna().any():
        return None, ("one year only (no year column); the guidance asks for a two-year "
                      "average")
    present = sorted(events[year_col].dropna().unique(), key=str)
    end = present[-1] if current is None else current
    window = [end]
    while len(window) < years and previous_year(window[-1]) is not None:
        window.append(previous_year(window[-1]))
    window = [str(y) if isinstance(end, str) else y for y in reversed(window)]
    labels = events[year_col].map(lambda v: str(v) if isinstance(end, str) else v)
    present_labels = set(labels.dropna())
    if len(present_labels) == 1 and next(iter(present_labels)) in window:
        only = next(iter(present_labels))
        return [only], (f"one year only ({only}): the file holds no other year; the "
                        f"guidance asks for a two-year rolling average")
    missing = [str(y) for y in window if y not in present_labels]
    shown = ", ".join(map(str, window))
    shown = " and ".join(shown.rsplit(", ", 1))
    note = (f"{_NUMBER_WORDS.get(len(window), len(window))}-year rolling average of {shown}"
            if len(window) > 1 else f"one year ({shown})")
    if len(missing) == len(window):
        note += (f"; the file holds no cases for these years (years in the file: "
                 f"{', '.join(sorted(map(str, present_labels)))})")
    elif missing:
        note += f"; no cases recorded in {', '.join(missing)} (counted as zero)"
    return window, note


def rolling_counts(
    events: pd.DataFrame,
    group: pd.Series,
    groups: Sequence[str],
    year_col: str = "year",
    years: int = 2,
    current: object | None = None,
    weights: pd.Series | None = None,
) -> tuple[pd.Series, str]:
    """Count events by group, averaged over a rolling window of years when possible.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per person entering the process (or per group and year with
        ``weights``); optional ``year_col``.
    group : pandas.Series
        Group of each row (same index as ``events``).
    groups : sequence of str
        Groups to count (others ignored).
    year_col, years, current
        See :func:`rolling_window`.
    weights : pandas.Series, optional
        Number of events each row stands for (aggregated files: ``cases``); default 1.

    Returns
    -------
    (pandas.Series, str)
        Counts (floats; per-year averages over the window) indexed by ``groups`` and the
        note of :func:`rolling_window`.
    """
    w = pd.Series(1.0, index=events.index) if weights is None else weights.astype(float)
    order = list(groups)
    window, note = rolling_window(events, year_col, years, current)

    def tally(keep: pd.Series) -> pd.Series:
        return w[keep].groupby(group[keep]).sum().reindex(order, fill_value=0.0).astype(float)

    if window is None:
        return tally(pd.Series(True, index=events.index)), note
    end = window[-1]
    labels = events[year_col].map(lambda v: str(v) if isinstance(end, str) else v)
    return tally(labels.isin(window)) / len(window), note


_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def case_counts(
    counts: pd.DataFrame,
    group_type: str,
    labels: Mapping[str, str],
    groups: Sequence[str],
    current: object | None = None,
    years: int = 2,
) -> tuple[pd.Series, str] | None:
    """Cases by group from an aggregated file, averaged over the rolling window if dated.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``group_type``, ``group``, ``cases`` and optional ``year``
        (:data:`edi_analysis.schemas.DISCIPLINARY_COUNTS_SCHEMA`,
        :data:`~edi_analysis.schemas.CAPABILITY_COUNTS_SCHEMA`).
    group_type : str
        "Ethnicity" or "Disability".
    labels : mapping
        Lower-case group wording -> group ("white" -> "White", "yes" -> "Disabled").
        Groups not in the mapping (e.g. "Not stated") are ignored.
    groups : sequence of str
        Groups to return.
    current : str or int, optional
        Reporting year ending the window (see :func:`rolling_counts`).
    years : int
        Window length.

    Returns
    -------
    (pandas.Series, str) or None
        As :func:`rolling_counts`; None when the file has no rows of ``group_type``.
    """
    rows = counts[counts["group_type"] == group_type]
    if rows.empty:
        return None
    group = rows["group"].astype(str).str.strip().str.lower().map(labels)
    rows, group = rows[group.notna()], group[group.notna()]
    if "year" not in rows.columns:
        tallied = rows["cases"].astype(float).groupby(group).sum()
        return (tallied.reindex(list(groups), fill_value=0.0).astype(float),
                "cases as supplied (aggregated file without a year)")
    return rolling_counts(rows, group, groups, years=years, current=current,
                          weights=rows["cases"])


def relative_likelihood_indicator(
    standard: str,
    indicator: str,
    description: str,
    events: pd.Series,
    denominators: pd.Series,
    reference: str,
    comparison: str,
    note: str = "",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Return a relative likelihood result row from counts by group.

    Parameters
    ----------
    standard, indicator, description : str
        Labels.
    events, denominators : pandas.Series
        Counts indexed by group (e.g. "White", "BME").
    reference, comparison : str
        Group a (numerator of the ratio) and group b.
    note : str
        Appended to the result's note.
    confidence : float
        Interval level.

    Returns
    -------
    pandas.DataFrame
        One row of :data:`RESULT_COLUMNS`: likelihoods ``value_a`` and ``value_b``
        (proportions 0-1), ``value`` = value_a / value_b with its log-normal interval
        and ``non_adverse`` (0.80-1.25), from
        :func:`edi_analysis.stats.relative_likelihood`.
    """
    rl = stats.relative_likelihood(
        float(events.get(reference, 0)), float(denominators.get(reference, 0)),
        float(events.get(comparison, 0)), float(denominators.get(comparison, 0)),
        confidence=confidence,
    )
    row = rl.iloc[0].to_dict()
    out = {c: row.get(c, np.nan) for c in RESULT_COLUMNS}
    out.update(standard=standard, indicator=indicator, description=description,
               breakdown="Overall", reference=reference, comparison=comparison,
               unit="ratio", available=True, non_adverse=row.get("non_adverse", pd.NA),
               note=note)
    if pd.isna(out["value"]):
        out["note"] = "; ".join(x for x in (note, "ratio undefined: a group has no events "
                                            "or no members") if x)
    return pd.DataFrame([out], columns=RESULT_COLUMNS)


def representation_by_band(
    staff: pd.DataFrame, group: pd.Series, groups: Sequence[str], unknown: str,
    band_order: Sequence[str] | None = None, band: pd.Series | None = None,
    kind: pd.Series | None = None,
) -> pd.DataFrame:
    """Headcount by workforce type x pay band x group, with the share of each group.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records with ``pay_band`` and ``staff_group``.
    group : pandas.Series
        Group per employee ("White"/"BME"/"Not stated", or disability groups).
    groups : sequence of str
        The known groups, in column order.
    unknown : str
        The not-stated group label (shown, but excluded from shares).
    band_order : sequence of str, optional
        Order of the band labels (default :data:`edi_analysis.schemas.PAY_BANDS`).
    band : pandas.Series, optional
        Band label per employee (default ``staff["pay_band"]``; WDES passes clusters).
    kind : pandas.Series, optional
        Workforce block per employee (default :func:`workforce_type`); blocks are shown
        in the order non-clinical, clinical, medical and dental, then any other label
        (such as clinical and medical staff shown as one block) in order of appearance.

    Returns
    -------
    pandas.DataFrame
        ``workforce``, ``band``, one count column per group and ``unknown``, ``total``,
        and ``<group>_share`` (proportion 0-1 of staff with a known group) for each known
        group. Rows with no staff are dropped. A "Total" row closes each workforce type
        and an "Overall workforce" block closes the table.
    """
    kind = workforce_type(staff) if kind is None else kind
    band = staff["pay_band"] if band is None else band
    order = list(band_order) if band_order is not None else list(schemas.PAY_BANDS)
    cols = [*groups, unknown]
    frame = pd.crosstab([kind, band], group).reindex(columns=cols, fill_value=0)
    frame.index.names = ["workforce", "band"]
    blocks = []
    standard = ["Non-clinical", "Clinical", "Medical and dental"]
    present = list(dict.fromkeys(frame.index.get_level_values(0)))
    for wtype in [*standard, *[t for t in present if t not in standard]]:
        if wtype not in present:
            continue
        part = frame.loc[wtype]
        part = part.reindex([b for b in order if b in part.index])
        part.loc["Total"] = part.sum()
        part.insert(0, "workforce", wtype)
        blocks.append(part.rename_axis("band").reset_index())
    overall = frame.sum().to_frame().T
    overall.insert(0, "band", "Total")
    overall.insert(0, "workforce", "Overall workforce")
    out = pd.concat([*blocks, overall], ignore_index=True)
    out[cols] = out[cols].astype(int)
    out["total"] = out[cols].sum(axis=1)
    known = out[list(groups)].sum(axis=1)
    for g in groups:
        out[f"{g}_share"] = out[g] / known.where(known > 0)
    return out


def board_difference(
    board: pd.DataFrame,
    board_group: pd.Series,
    workforce_group: pd.Series,
    target: str,
    known: Sequence[str],
    standard: str,
    indicator: str,
    description: str,
) -> pd.DataFrame:
    """Board vs workforce percentage-point difference of one group's share.

    Parameters
    ----------
    board : pandas.DataFrame
        Board members with boolean ``voting`` and ``executive``.
    board_group, workforce_group : pandas.Series
        Group of each board member / employee.
    target : str
        The group whose share is compared ("BME", "Yes").
    known : sequence of str
        Groups counted in the denominator (not-stated excluded).
    standard, indicator, description : str
        Labels.

    Returns
    -------
    pandas.DataFrame
        Rows "Total board", "Voting members", "Executive members", "Non-executive
        members" (of :data:`RESULT_COLUMNS`): ``numerator_a``/``denominator_a`` the
        target group / known board members, ``numerator_b``/``denominator_b`` the same
        for the workforce, ``value_a``, ``value_b`` (proportions 0-1) and ``value`` =
        (value_a - value_b) x 100, in percentage points.
    """
    for col in ("voting", "executive"):
        if col not in board.columns:
            raise InputError.single("<board>", f"a '{col}' column (true/false)", column=col)
    wf_known = workforce_group.isin(list(known))
    wf_n = int((workforce_group == target).sum())
    wf_d = int(wf_known.sum())
    wf_share = wf_n / wf_d if wf_d else np.nan
    subsets = {
        "Total board": pd.Series(True, index=board.index),
        "Voting members": board["voting"].astype(bool),
        "Executive members": board["executive"].astype(bool),
        "Non-executive members": ~board["executive"].astype(bool),
    }
    rows = []
    for label, sel in subsets.items():
        b_known = sel & board_group.isin(list(known))
        n = int((sel & (board_group == target)).sum())
        d = int(b_known.sum())
        share = n / d if d else np.nan
        row = dict.fromkeys(RESULT_COLUMNS, np.nan)
        row.update(standard=standard, indicator=indicator, description=description,
                   breakdown=label, reference="Board", comparison="Overall workforce",
                   numerator_a=n, denominator_a=d, numerator_b=wf_n, denominator_b=wf_d,
                   value_a=share, value_b=wf_share, value=(share - wf_share) * 100.0,
                   unit="percentage points", non_adverse=pd.NA, available=True,
                   note=f"share of {target} among members with a known status")
        rows.append(row)
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


# --------------------------------------------------------------------------------------
# the WRES indicators
# --------------------------------------------------------------------------------------
_DESC = {
    "1": "Percentage of BME staff in each AfC band, VSM and medical grade, non-clinical "
         "and clinical, compared with the overall workforce",
    "2": "Relative likelihood of White applicants being appointed from shortlisting "
         "compared to BME applicants",
    "3": "Relative likelihood of BME staff entering the formal disciplinary process "
         "compared to White staff",
    "4": "Relative likelihood of White staff accessing non-mandatory training and CPD "
         "compared to BME staff",
    "9": "Percentage difference between the board's BME membership and the overall "
         "workforce",
}


def wres_indicator_1(staff: pd.DataFrame) -> pd.DataFrame:
    """WRES indicator 1: White, BME and not-stated headcount by pay band and staff type.

    Parameters
    ----------
    staff : pandas.DataFrame
        Canonical staff records (``pay_band``, ``staff_group``, ``ethnic_category``).

    Returns
    -------
    pandas.DataFrame
        :func:`representation_by_band` with columns ``White``, ``BME``, ``Not stated``,
        ``total``, ``White_share``, ``BME_share`` (proportions 0-1 of staff with a
        stated ethnicity).

    Notes
    -----
    Indicator 1 compares the percentage of BME staff in each AfC band (1-9), VSM
    (including executive board members) and medical and dental grade (consultants,
    non-consultant career grades, trainees), for non-clinical and clinical staff
    separately, with the percentage in the overall workforce. Bank staff are excluded
    (staff records hold substantive staff).

    References
    ----------
    .. [1] NHS England. *NHS Workforce Race Equality Standard (WRES) technical guidance*
       (latest edition; indicator 1). Not verified against a stored copy; the clinical /
       non-clinical reporting and the exclusion of bank staff were checked on trust
       publications and on the WDES 2023 metrics page, which aligned its VSM definition
       and bank-staff exclusion with the WRES (module references).
    """
    group = ethnicity_group(staff["ethnic_category"])
    return representation_by_band(staff, group, [WHITE, BME], UNKNOWN)


def _group_counts(frame: pd.DataFrame, flag: str | None = None) -> pd.Series:
    group = ethnicity_group(frame["ethnic_category"])
    if flag is not None:
        group = group[frame[flag].astype(bool)]
    return group.value_counts().reindex([WHITE, BME], fill_value=0)


def wres_indicator_2(recruitment: pd.DataFrame | None, confidence: float = 0.95) -> pd.DataFrame:
    """WRES indicator 2: White vs BME likelihood of appointment from shortlisting.

    Parameters
    ----------
    recruitment : pandas.DataFrame or None
        One row per shortlisted applicant with ``ethnic_category`` and boolean
        ``appointed`` (:data:`edi_analysis.schemas.RECRUITMENT_SCHEMA`); None when no file
        was supplied.
    confidence : float
        Interval level.

    Returns
    -------
    pandas.DataFrame
        One row of :data:`RESULT_COLUMNS` (``value`` = likelihood for White applicants /
        likelihood for BME applicants; above 1.25 means White applicants are more
        likely to be appointed), or the "not available" row.

    Notes
    -----
    Likelihood = number appointed from shortlisting / number shortlisted, for each
    group; applicants whose ethnicity is not stated are excluded.

    References
    ----------
    .. [1] NHS England. *WRES technical guidance*, indicator 2 ("relative likelihood of
       White applicants being appointed from shortlisting across all posts compared to
       BME applicants"; wording and direction as published by trusts, module references
       2 and 3; the guidance text itself was not checked).
    """
    if recruitment is None:
        return not_available("WRES", "2", _DESC["2"], "not available: no recruitment file "
                             "supplied")
    return relative_likelihood_indicator(
        "WRES", "2", _DESC["2"], _group_counts(recruitment, "appointed"),
        _group_counts(recruitment), WHITE, BME, confidence=confidence)


_ETHNICITY_LABELS = {"white": WHITE, "bme": BME, "bame": BME, "ethnic minority": BME,
                     "minority ethnic": BME, "black and minority ethnic": BME,
                     "black, asian and minority ethnic": BME}


def wres_indicator_3(
    staff: pd.DataFrame,
    disciplinary: pd.DataFrame | None,
    disciplinary_counts: pd.DataFrame | None = None,
    confidence: float = 0.95,
    period: str | None = None,
) -> pd.DataFrame:
    """WRES indicator 3: BME vs White likelihood of entering the formal disciplinary process.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records (the denominators: headcount by ethnicity group).
    disciplinary : pandas.DataFrame or None
        One row per employee entering the formal disciplinary process
        (``ethnic_category``; optional ``year``, financial year "2024-25"), as read by
        :func:`edi_analysis.io.read_disciplinary`. An aggregated frame (with a
        ``cases`` column) is accepted here too.
    disciplinary_counts : pandas.DataFrame, optional
        Aggregated alternative: ``group_type`` "Ethnicity", ``group`` "White"/"BME",
        ``cases`` and optional ``year``. Without a year the cases are taken as supplied
        (already a two-year average if the organisation follows the guidance).
    confidence : float
        Interval level.
    period : str, optional
        The report's financial year ("2025-26"): the rolling window is this year and the
        year before. Default: the latest year in the file.

    Returns
    -------
    pandas.DataFrame
        One row of :data:`RESULT_COLUMNS` (``value`` = likelihood for BME staff /
        likelihood for White staff; above 1.25 means BME staff are more likely to enter
        the process), or the "not available" row. ``note`` says which years were used.

    Notes
    -----
    Entry is measured by entry into a formal disciplinary investigation. The numerator
    is the yearly average of cases over the current and the previous year
    (:func:`rolling_counts`, :func:`case_counts`); a file without years is used as one
    year and the note says so. The denominator is the current headcount of each group
    (the staff records); staff whose ethnicity is not stated are excluded from both.

    The two-year rolling average is taken from the WRES technical guidance as quoted
    below; that wording could not be checked against a stored copy of the guidance when
    this was written (the indicator's name, ratio direction and the nine-indicator
    structure were: see References).

    References
    ----------
    .. [1] NHS England. *NHS Workforce Race Equality Standard (WRES) technical guidance*,
       indicator 3 ("this indicator will be based on data from a two-year rolling
       average of the current year and the previous year").
    .. [2] NHS England. *Workforce Race Equality Standard (WRES) indicators*: nine
       indicators, four from workforce data, four from the NHS Staff Survey and one on
       board representation.
       https://www.england.nhs.uk/publication/workforce-race-equality-standard-wres-indicators/
    """
    if disciplinary is not None and "cases" in disciplinary.columns:
        disciplinary, disciplinary_counts = None, disciplinary
    if disciplinary is None and disciplinary_counts is None:
        return not_available("WRES", "3", _DESC["3"], "not available: no disciplinary file "
                             "supplied")
    heads = _group_counts(staff)
    if disciplinary is not None:
        if "ethnic_category" not in disciplinary.columns:
            raise InputError.single("<disciplinary>", "an 'ethnic_category' column",
                                    column="ethnic_category")
        cases, note = rolling_counts(disciplinary, ethnicity_group(
            disciplinary["ethnic_category"]), [WHITE, BME], current=period)
    else:
        found = case_counts(disciplinary_counts, "Ethnicity", _ETHNICITY_LABELS,
                            [WHITE, BME], current=period)
        if found is None:
            return not_available("WRES", "3", _DESC["3"], "not available: the disciplinary "
                                 "counts file has no ethnicity rows")
        cases, note = found
    return relative_likelihood_indicator("WRES", "3", _DESC["3"], cases, heads, BME, WHITE,
                                         note=note, confidence=confidence)


def wres_indicator_4(
    staff: pd.DataFrame, training: pd.DataFrame | None, confidence: float = 0.95
) -> pd.DataFrame:
    """WRES indicator 4: White vs BME likelihood of accessing non-mandatory training/CPD.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records (denominators: headcount by ethnicity group).
    training : pandas.DataFrame or None
        One row per employee with ``ethnic_category`` and boolean ``accessed``.
    confidence : float
        Interval level.

    Returns
    -------
    pandas.DataFrame
        One row of :data:`RESULT_COLUMNS` (``value`` = likelihood for White staff /
        likelihood for BME staff), or the "not available" row.

    References
    ----------
    .. [1] NHS England. *WRES technical guidance*, indicator 4 (White vs BME staff
       accessing non-mandatory training and CPD; direction as published by trusts, module
       references; whether the denominator is the headcount or the staff who applied was
       not verified: here it is the headcount of each group).
    """
    if training is None:
        return not_available("WRES", "4", _DESC["4"], "not available: no training file "
                             "supplied")
    accessed = _group_counts(training, "accessed")
    heads = _group_counts(staff)
    return relative_likelihood_indicator("WRES", "4", _DESC["4"], accessed, heads, WHITE, BME,
                                         confidence=confidence)


def wres_indicator_9(staff: pd.DataFrame, board: pd.DataFrame | None) -> pd.DataFrame:
    """WRES indicator 9: BME share of the board minus BME share of the workforce.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff records.
    board : pandas.DataFrame or None
        One row per board member (``ethnic_category``, ``voting``, ``executive``).

    Returns
    -------
    pandas.DataFrame
        :func:`board_difference` rows (total, voting, executive, non-executive), or the
        "not available" row.

    References
    ----------
    .. [1] NHS England. *WRES technical guidance*, indicator 9 (board voting membership
       and executive membership compared with the overall workforce). Verified only as
       "the representation of BME people among board members" (trust publications,
       module references); the voting / executive split follows WDES metric 10, whose
       wording was verified, and is not confirmed for the WRES. The "Total board" and
       "Non-executive members" rows are extra context, not part of the indicator.
    """
    if board is None:
        return not_available("WRES", "9", _DESC["9"], "not available: no board file supplied")
    return board_difference(board, ethnicity_group(board["ethnic_category"]),
                            ethnicity_group(staff["ethnic_category"]), BME, [WHITE, BME],
                            "WRES", "9", _DESC["9"])


def wres_summary(
    inputs: Mapping[str, pd.DataFrame | None], confidence: float = 0.95,
    period: str | None = None,
) -> pd.DataFrame:
    """Return WRES indicators 2, 3, 4 and 9 in one table (indicator 1 is a table of its own).

    Parameters
    ----------
    inputs : mapping
        :func:`edi_analysis.inputs.org_inputs` output: ``staff_records`` and the optional
        ``recruitment``, ``disciplinary``, ``disciplinary_counts``, ``training``,
        ``board`` (None or absent when not supplied).
    confidence : float
        Interval level.
    period : str, optional
        Report financial year; ends the two-year window of indicator 3.

    Returns
    -------
    pandas.DataFrame
        Rows of :data:`RESULT_COLUMNS`; indicators without their input say so in ``note``.
    """
    staff = inputs["staff_records"]
    parts = [
        wres_indicator_2(inputs.get("recruitment"), confidence),
        wres_indicator_3(staff, inputs.get("disciplinary"), inputs.get("disciplinary_counts"),
                         confidence, period=period),
        wres_indicator_4(staff, inputs.get("training"), confidence),
        wres_indicator_9(staff, inputs.get("board")),
    ]
    return pd.concat(parts, ignore_index=True)


def indicator_sentences(results: pd.DataFrame) -> list[str]:
    """Neutral sentences on published WRES/WDES results.

    Parameters
    ----------
    results : pandas.DataFrame
        Published rows (``wres_results`` or ``wdes_results`` of
        :func:`edi_analysis.workforce_publication.build_chapter`).

    Returns
    -------
    list of str
        One sentence per available relative likelihood (value, interval, NHS England's
        non-adverse reading) and per unavailable indicator (why); board rows are left to
        the table. Hidden values are never quoted.
    """
    out = []
    for _, r in results.iterrows():
        name = f"{r['standard']} {'metric' if r['standard'] == 'WDES' else 'indicator'} " \
            f"{r['indicator']}"
        if not bool(r["available"]):
            out.append(f"{name} is {r['note']}.")
            continue
        if r["unit"] != "ratio":
            continue
        if bool(r.get("suppressed", False)):
            out.append(f"{name} is not shown: it rests on numbers small enough to identify "
                       "people.")
            continue
        if pd.isna(r["value"]):
            out.append(f"{name} cannot be calculated: {r['note']}.")
            continue
        reading = "within" if bool(r["non_adverse"]) else "outside"
        # name the level only when the results carry it: never a fixed "95%"
        level = (f"{stats.confidence_label(float(r['confidence']))} "
                 if pd.notna(r.get("confidence", np.nan)) else "")
        out.append(
            f"{name}: the relative likelihood ({r['reference']} vs {r['comparison']}) is "
            f"{r['value']:.2f} ({level}interval {r['lower']:.2f} to {r['upper']:.2f}), "
            f"{reading} the 0.80 to 1.25 range NHS England treats as non-adverse."
        )
    return out
