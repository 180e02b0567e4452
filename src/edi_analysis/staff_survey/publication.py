"""The staff survey chapter's published tables, declared to the report's disclosure model.

Nothing here hides a figure by hand. :class:`SurveyRelease` declares every published
figure to a :class:`~edi_analysis.disclosure.Release`: one population per survey year
and question (:mod:`edi_analysis.staff_survey.population`), whose cells are a group's
respondents and those of them giving the counted answers. The release decides what to
hide for all tables at once, and every percentage, interval, rating, test and change is
then computed from what is published, at the precision it is published: the subgroup
comparison, the trends, WRES indicators 5-8, the WDES survey metrics and the
engagement score (WDES 9a).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from edi_analysis import stats
from edi_analysis.disclosure import CellKey, Release, Role, SuppressionPolicy
from edi_analysis.staff_survey.catalogue import _check_catalogue
from edi_analysis.staff_survey.groups import (
    _is_headline_sex,
    _prefix,
    classify_disability,
    classify_ethnicity,
)
from edi_analysis.staff_survey.indicators import (
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_DESCRIPTION,
    ENGAGEMENT_MISSING,
    WDES_METRICS,
    WRES6_MISSING,
    WRES_INDICATORS,
    _engagement_code,
    _engagement_rows,
    _indicator_question,
    _pool,
)
from edi_analysis.staff_survey.nesting import nesting_table
from edi_analysis.staff_survey.population import (
    OTHER,
    POSITIVE,
    SurveyQuestion,
    _cannot_be_protected,
    _positives,
    _question_population,
    _SurveyPopulation,
    _TooFew,
)
from edi_analysis.staff_survey.results import OVERALL, REPORT_BREAKDOWNS, _validate_results
from edi_analysis.staff_survey.rules import (
    _check_confidence,
    _check_threshold,
    rag_rating,
    survey_policy,
)

__all__ = [
    "COMPARISON_KINDS",
    "COMPARISON_TABLE",
    "ENGAGEMENT_TABLE",
    "TREND_KINDS",
    "TRENDS_TABLE",
    "WDES_TABLE",
    "WRES_TABLE",
    "SurveyRelease",
]


COMPARISON_TABLE = "staff_survey_comparison"
TRENDS_TABLE = "staff_survey_trends"
WRES_TABLE = "staff_survey_wres"
WDES_TABLE = "staff_survey_wdes"
ENGAGEMENT_TABLE = "staff_survey_wdes_engagement"

#: Published precision of the comparison's derived columns.
COMPARISON_KINDS: dict[str, str] = {
    **dict.fromkeys(["lower_pct", "upper_pct", "overall_pct", "difference_pts", "better_pts",
                     "rest_pct", "diff_vs_rest_pts", "diff_vs_rest_lower_pts",
                     "diff_vs_rest_upper_pts", "threshold"], "percent"),
    "p_value": "p_value", "confidence": "proportion",
}
TREND_KINDS: dict[str, str] = {
    **dict.fromkeys(["change_pts", "change_better_pts", "change_since_first_pts"], "percent"),
    "change_p_value": "p_value",
}


_TWO_GROUP_METHOD = "wilson; two-proportion z test"


def _linked(n: str, positive: str, other: str) -> list[tuple[str, str]]:
    """A group's respondents and result, shown or hidden together.

    Declared as every pair of the three columns rather than one triple: the same
    constraint, and the optimiser's master programme, which keeps only the linked
    cells one step away from those a cut names, then sees the whole group whichever
    of the three a cut names (a triple links them in a chain, two steps apart).
    """
    return [(n, positive), (positive, other), (other, n)]


class SurveyRelease:
    """The staff survey chapter's tables, declared to a disclosure release.

    Every published figure is a cell of a :class:`~edi_analysis.disclosure.Release`:
    the respondents of a group to one question in one year (a count), and those of
    them giving the counted answers (published only through the %). The comparison,
    the trends and the WRES and WDES tables name the same cells for the same people,
    so the release hides or shows them together; :meth:`Release.protect` decides what
    to hide for all of them at once, and the methods below compute every derived
    figure from what is published.

    Parameters
    ----------
    release : Release
        The notebook's release (not yet protected).
    results : DataFrame
        Aggregated survey results (:func:`select_results`): ``year``, ``question``,
        ``breakdown``, ``subgroup``, ``n_respondents``, ``pct_positive`` (0-100, blank
        if suppressed at source), an ``Overall`` row for every year and question, and
        optionally ``score``/``score_sd`` for score rows (``engagement``).
    threshold : float, default 3.0
        Percentage points of difference rated Green/Red.
    min_responses : int or None, default 10
        Groups with fewer respondents are hidden; None uses the policy's threshold.
    policy : str or SuppressionPolicy, default "staff_survey"
        The survey rule (:func:`survey_policy`; ``"national_survey"``: 11).
    confidence : float, default 0.95
        Level of intervals and tests.
    catalogue : DataFrame, optional
        Question catalogue (default :func:`load_catalogue`).
    nesting : DataFrame, optional
        Nested breakdowns (:func:`nesting_table`): a parent's respondents are the
        union of its children's (and of its own respondents in no child).
    wres_breakdown, wdes_breakdown : str
        Breakdowns of WRES 5-8 ("Ethnicity") and the WDES metrics ("Disability").
    wres_classify, wdes_classify : callable
        Subgroup label -> "White"/"BME" (:func:`classify_ethnicity`) and
        "Disabled"/"Non-disabled" (:func:`classify_disability`), None to leave out.
    chart_series : sequence of (str, str), default (("q14a", "Ethnicity"),)
        (question, breakdown) drawn across the years as a chart's main series.

    Notes
    -----
    **Populations.** One per year and question, ``"survey <year> <question>"``, with
    an attribute per breakdown and ``answer`` ("positive"/"other"). Respondents in no
    group of a breakdown (they skipped the demographic question) are its
    ``"Not answered"`` category. As in the NHS Staff Survey's breakdown reports, which
    publish the groups of those who answered and do not report the rest [1]_, they are
    not a group to protect, unless the policy's ``protect_non_respondents`` says so. A
    nested breakdown's parent (Division) is a set of the child's categories
    (Directorates), with a "Not answered (<parent>)" category for its respondents in no
    child. A breakdown whose groups add up to more than the organisation's respondents
    (several ticks allowed) gives one yes/no attribute per group.

    **Roles.** The organisation row is a total; White and BME, disabled and
    non-disabled, male and female are headline comparisons; the latest year's groups
    (drawn in the heatmaps) and ``chart_series`` are chart series; others are detail.

    **Rule.** A group with fewer than ``min_responses`` respondents is hidden (*) with
    its result, and further groups are hidden where a hidden group's respondents or
    result (including a result of 0% or 100%) could otherwise be worked out within one
    person. With the policy's ``survey_strict`` a shown group's result that reveals 1
    to 4 people answering one way is hidden too. A result blank at source is hidden
    and protected in the same way (its positive answers are unknown; they are
    estimated from the rest of the breakdown for the model). The disclosure model
    takes a reader to know how many answered each question (the population's size), so
    a question answered by fewer than ``min_responses`` is not published at all, nor is
    one barely above it whose small group answered all one way and could never be
    protected (:func:`_cannot_be_protected`).

    **Published figures.** Percentages, intervals, differences, ratings, tests and
    changes are computed from the published (rounded) figures after protection and
    rounded as published: percentages and points to one decimal, proportions to three,
    p-values to three, scores to two.

    References
    ----------
    .. [1] NHS Staff Survey Coordination Centre. *Technical guide* and breakdown
       reports: results are not reported for groups of fewer than 11 (10 in local
       reports) respondents; respondents who did not answer a demographic question
       are not reported as a group.
    """

    def __init__(
        self,
        release: Release,
        results: pd.DataFrame,
        threshold: float = 3.0,
        *,
        min_responses: int | None = 10,
        policy: str | SuppressionPolicy = "staff_survey",
        confidence: float = 0.95,
        catalogue: pd.DataFrame | None = None,
        nesting: pd.DataFrame | None = None,
        wres_breakdown: str = "Ethnicity",
        wres_classify: Callable[[str], str | None] | None = None,
        wdes_breakdown: str = "Disability",
        wdes_classify: Callable[[str], str | None] | None = None,
        chart_series: Sequence[tuple[str, str]] = (("q14a", "Ethnicity"),),
    ):
        self.release = release
        self.threshold = _check_threshold(threshold)
        self.confidence = _check_confidence(confidence)
        self.catalogue = _check_catalogue(catalogue)
        self.policy = survey_policy(policy, min_responses, release.policy)
        self.min_responses = int(self.policy.min_count or 1)
        self.nesting = nesting_table(nesting)
        self.chart_series = {(str(q), str(b)) for q, b in chart_series}
        self.indicators = {
            "wres": dict(name=WRES_TABLE, breakdown=wres_breakdown,
                         classify=wres_classify or classify_ethnicity,
                         groups=("White", "BME"), focus="BME", specs=WRES_INDICATORS,
                         id_col="indicator", only_first=set()),
            "wdes": dict(name=WDES_TABLE, breakdown=wdes_breakdown,
                         classify=wdes_classify or classify_disability,
                         groups=("Disabled", "Non-disabled"), focus="Disabled",
                         specs=WDES_METRICS, id_col="metric", only_first={"8"}),
        }
        frame = _validate_results(results, self.catalogue)
        frame["subgroup"] = frame["subgroup"].astype(str)
        frame["blank"] = frame["pct_positive"].isna() & (frame["n_respondents"] > 0)
        frame["x"] = np.where(frame["n_respondents"] > 0,
                              _positives(frame["pct_positive"], frame["n_respondents"]), 0.0)
        self.frame = frame
        self.questions: dict[tuple[int, str], SurveyQuestion | _TooFew] = {}
        self.too_few: set[tuple[int, str]] = set()
        for (year, question), part in frame.groupby(["year", "question"], sort=False):
            where = (int(year), str(question))
            total = part.loc[part["breakdown"] == OVERALL, "n_respondents"]
            if 0 < float(total.iloc[0]) < self.min_responses or _cannot_be_protected(
                    part, self.nesting, self.min_responses, self.policy.protection_level):
                self.questions[where] = _TooFew()
                self.too_few.add(where)
                continue
            sq = _question_population(f"survey {year} {question}", part, self.nesting,
                                      self.policy)
            release.add_population(sq.population)
            self.questions[where] = sq
        self.adjusted = [f"{y} {q}: {b}" for (y, q), sq in self.questions.items()
                         for b in sq.adjusted]
        if self.adjusted:
            warnings.warn(
                "Survey results that do not add up (rounded at source): positive answers "
                "were moved by one or more to match the organisation's in "
                + "; ".join(self.adjusted[:10]) + (" ..." if len(self.adjusted) > 10 else ""),
                UserWarning, stacklevel=2)
        self.engagement_code = _engagement_code(self.catalogue)
        self.engagement_rows = _engagement_rows(results, self.engagement_code, wdes_breakdown)
        self.engagement_years = sorted(
            pd.to_numeric(results["year"], errors="coerce").dropna().astype(int).unique())
        self.scores: dict[int, SurveyQuestion | _TooFew] = {}
        for year, part in self.engagement_rows.groupby("year"):
            if not (part["breakdown"] == wdes_breakdown).any():
                continue
            total = part.loc[part["breakdown"] == OVERALL, "n_respondents"]
            if len(total) and 0 < float(total.iloc[0]) < self.min_responses:
                self.scores[int(year)] = _TooFew()
                continue
            sq = _question_population(f"survey {year} {self.engagement_code}", part,
                                      nesting_table(None), self.policy, answer=False)
            release.add_population(sq.population)
            self.scores[int(year)] = sq
        self._declare_comparison()
        self._declare_trends()
        for kind in ("wres", "wdes"):
            self._declare_indicators(kind)
        self._declare_engagement()
        for spec in release.tables.values():
            for _, _, key in spec.keys():
                pop = release.populations[key.population]
                if isinstance(pop, _SurveyPopulation):
                    pop.published.add(key.condition)

    # ------------------------------------------------------------------ declaring
    def _meta(self) -> pd.DataFrame:
        return self.catalogue[["code", "short_wording", "theme", "higher_is_better"]].rename(
            columns={"code": "question"})

    def _row_keys(self, frame: pd.DataFrame) -> tuple[list, list, list]:
        n, pos, oth = [], [], []
        for year, q, b, s in zip(frame["year"], frame["question"], frame["breakdown"],
                                 frame["subgroup"], strict=True):
            sq = self.questions[(int(year), str(q))]
            n.append(sq.key(b, [s]))
            pos.append(sq.key(b, [s], POSITIVE))
            oth.append(sq.key(b, [s], OTHER))
        return n, pos, oth

    def _roles(self, frame: pd.DataFrame) -> list[Role]:
        latest = int(self.frame["year"].max()) if len(self.frame) else 0
        out = []
        for year, q, b, s in zip(frame["year"], frame["question"], frame["breakdown"],
                                 frame["subgroup"], strict=True):
            if b == OVERALL:
                out.append(Role.TOTAL)
            elif _is_headline_sex(b, s):
                out.append(Role.HEADLINE)
            elif int(year) == latest or (str(q), str(b)) in self.chart_series:
                out.append(Role.CHART)
            else:
                out.append(Role.DETAIL)
        return out

    def _declare_rows(self, name: str, frame: pd.DataFrame, kinds: Mapping[str, str],
                      linked: bool = True) -> None:
        """Declare rows of groups: respondents (count) and positive answers (virtual).

        ``linked`` declares each group's respondents, positive and other answers as shown
        or hidden together; the trends table repeats the comparison's cells, so the link
        is declared once, with the comparison (the decision is per cell either way).
        """
        n, pos, oth = self._row_keys(frame)
        roles = self._roles(frame)
        blank = frame["blank"].to_numpy(dtype=bool)
        self.release.force_hidden(k for keys in (n, pos, oth)
                                  for k, b in zip(keys, blank, strict=True) if b and k)
        self.release.add_table(
            # the % is published only as the share of the cells (nothing where no cell)
            name, frame.drop(columns=["blank", "x"]).assign(pct_positive=np.nan),
            counts={"n_respondents": n},
            virtual={"positive": pos, "other": oth} if linked else {"positive": pos},
            shares={"pct_positive": ("positive", "n_respondents", "percent", 100.0)},
            roles={"n_respondents": roles, "positive": roles, "other": roles} if linked
            else {"n_respondents": roles, "positive": roles},
            symbols={"n_respondents": "n_respondents_symbol"},
            together=_linked("n_respondents", "positive", "other") if linked else (),
            kinds=kinds)

    def _declare_comparison(self) -> None:
        frame = self.frame.merge(self._meta(), on="question", how="left")
        frame["_order"] = (frame["breakdown"] != OVERALL).astype(int)
        frame = frame.sort_values(["year", "_order", "breakdown", "question"], kind="stable")
        cols = ["year", "question", "short_wording", "theme", "higher_is_better", "breakdown",
                "subgroup", "n_respondents", "pct_positive", "blank", "x"]
        self.comparison_rows = frame[cols].reset_index(drop=True)
        self._declare_rows(COMPARISON_TABLE, self.comparison_rows, COMPARISON_KINDS)

    def _declare_trends(self) -> None:
        frame = self.frame.merge(self._meta(), on="question", how="left")
        order = {b: i for i, b in enumerate((OVERALL, *REPORT_BREAKDOWNS))}
        frame["_b"] = frame["breakdown"].map(order).fillna(len(order))
        frame = frame.sort_values(["_b", "breakdown", "subgroup", "question", "year"],
                                  kind="stable")
        cols = ["question", "short_wording", "higher_is_better", "breakdown", "subgroup",
                "year", "n_respondents", "pct_positive", "blank", "x"]
        self.trend_rows = frame[cols].reset_index(drop=True)
        self._declare_rows(TRENDS_TABLE, self.trend_rows, TREND_KINDS, linked=False)

    def _declare_indicators(self, kind: str) -> None:
        spec = self.indicators[kind]
        breakdown, classify = spec["breakdown"], spec["classify"]
        id_col, groups = spec["id_col"], spec["groups"]
        hib = dict(zip(self.catalogue["code"], self.catalogue["higher_is_better"],
                       strict=True))
        sub = self.frame[self.frame["breakdown"] == breakdown].copy()
        sub["group"] = sub["subgroup"].map(classify)
        sub = sub[sub["group"].isin(groups)]
        rows, keys, notes = [], {}, []
        prefixes = [_prefix(g) for g in groups]
        for p in prefixes:
            for col in ("n", "pos", "oth", "few"):
                keys[(p, col)] = []
        years = sorted(self.frame["year"].astype(int).unique())
        for year in years:
            for ind, info in spec["specs"].items():
                q = _indicator_question(self.catalogue, id_col, ind, info["question"])
                part = sub[(sub["year"] == year) & (sub["question"] == q)]
                sq = self.questions.get((int(year), q))
                row: dict[str, object] = {"year": year, id_col: ind, "question": q,
                                          "description": info["description"],
                                          "higher_is_better": hib.get(q, np.nan)}
                row_notes = []
                for g, p in zip(groups, prefixes, strict=True):
                    members = part[part["group"] == g]
                    known = members[~members["blank"]]
                    wanted = len(known) and sq is not None and not (
                        g == groups[1] and ind in spec["only_first"])
                    k = [sq.key(breakdown, known["subgroup"], a) if wanted else None
                         for a in (None, POSITIVE, OTHER)]
                    few = bool(wanted) and isinstance(sq, _TooFew) \
                        and known["n_respondents"].sum() > 0
                    if wanted and k[0] is None and not few:
                        row_notes.append(f"{g} figure not available: its groups overlap")
                    keys[(p, "few")].append(few)
                    keys[(p, "n")].append(k[0])
                    keys[(p, "pos")].append(k[1])
                    keys[(p, "oth")].append(k[2])
                    row[f"{p}_respondents"] = float(known["n_respondents"].sum()) \
                        if k[0] is not None else np.nan
                    row[f"{p}_value"] = np.nan
                    if len(known) < len(members):
                        row_notes.append(f"{g} figure excludes groups suppressed at source")
                rows.append(row)
                notes.append(row_notes)
        columns = ["year", id_col, "question", "description", "higher_is_better",
                   *[f"{p}_{c}" for p in prefixes for c in ("respondents", "value")]]
        frame = pd.DataFrame(rows, columns=columns)
        spec["notes"] = notes
        spec["present"] = {(int(y), q) for y, q in zip(sub["year"], sub["question"],
                                                        strict=True)}
        spec["keys"] = keys
        roles = [Role.HEADLINE] * len(frame)
        kinds = {"difference_pts": "percent", "p_value": "p_value",
                 "confidence": "proportion"}
        for p in prefixes:
            kinds[f"{p}_lower"] = kinds[f"{p}_upper"] = "proportion"
        self.release.add_table(
            spec["name"], frame,
            counts={f"{p}_respondents": keys[(p, "n")] for p in prefixes},
            virtual={**{f"{p}_positive": keys[(p, "pos")] for p in prefixes},
                     **{f"{p}_other": keys[(p, "oth")] for p in prefixes}},
            shares={f"{p}_value": (f"{p}_positive", f"{p}_respondents", "proportion", 1.0)
                    for p in prefixes},
            roles={c: roles for p in prefixes for c in (f"{p}_respondents", f"{p}_positive",
                                                        f"{p}_other")},
            symbols={f"{p}_respondents": f"{p}_respondents_symbol" for p in prefixes},
            flag=None,
            together=[pair for p in prefixes for pair in _linked(
                f"{p}_respondents", f"{p}_positive", f"{p}_other")],
            kinds=kinds)

    def _declare_engagement(self) -> None:
        spec = self.indicators["wdes"]
        breakdown, classify = spec["breakdown"], spec["classify"]
        rows, keys, pools = [], {"disabled": [], "non_disabled": []}, []
        self.engagement_few: list[tuple[int, str, bool]] = []
        for year in self.engagement_years:
            part = self.engagement_rows[self.engagement_rows["year"] == year]
            subs = part[part["breakdown"] == breakdown].assign(
                group=lambda d: d["subgroup"].map(classify))
            sq = self.scores.get(int(year))
            row: dict[str, object] = {"year": year, "metric": "9a",
                                      "question": self.engagement_code,
                                      "description": ENGAGEMENT_DESCRIPTION,
                                      "available": sq is not None}
            pool = {}
            for group, p in (("Disabled", "disabled"), ("Non-disabled", "non_disabled")):
                members = subs[subs["group"] == group]
                known = members[members["score"].notna()]
                k = sq.key(breakdown, known["subgroup"]) if sq is not None and len(known) \
                    else None
                self.engagement_few.append(
                    (int(year), p, isinstance(sq, _TooFew) and
                     known["n_respondents"].sum() > 0))
                keys[p].append(k)
                row[f"{p}_respondents"] = float(known["n_respondents"].sum()) \
                    if k is not None else np.nan
                pool[p] = (known, len(known) < len(members))
            rows.append(row)
            pools.append(pool)
        frame = pd.DataFrame(rows, columns=["year", "metric", "question", "description",
                                            "available", "disabled_respondents",
                                            "non_disabled_respondents"])
        self.engagement_pools = pools
        self.engagement_keys = keys
        score_cols = ["disabled_score", "disabled_sd", "disabled_lower", "disabled_upper",
                      "non_disabled_score", "non_disabled_sd", "non_disabled_lower",
                      "non_disabled_upper", "difference", "lower", "upper"]
        kinds = {**dict.fromkeys(score_cols, "score"), "p_value": "p_value",
                 "confidence": "proportion"}
        self.release.add_table(
            ENGAGEMENT_TABLE, frame,
            counts={f"{p}_respondents": keys[p] for p in keys},
            roles={f"{p}_respondents": Role.HEADLINE for p in keys},
            symbols={f"{p}_respondents": f"{p}_respondents_symbol" for p in keys},
            flag=None, kinds=kinds)

    # ------------------------------------------------------------------ published
    def _hidden(self, key: CellKey | None) -> bool:
        return key is not None and self.release.cell(key).hidden

    def _too_few_rows(self, rows: pd.DataFrame) -> np.ndarray:
        """Rows of questions too few answered: nothing of them is published."""
        return np.array([(int(y), str(q)) in self.too_few for y, q in zip(
            rows["year"], rows["question"], strict=True)], dtype=bool)

    def _reasons(self, name: str, rows: pd.DataFrame) -> np.ndarray:
        spec = self.release.tables[name]
        blank = rows["blank"].to_numpy(dtype=bool)
        few = self._too_few_rows(rows)
        out = []
        for k_n, k_x, b, f in zip(spec.counts["n_respondents"], spec.virtual["positive"],
                                  blank, few, strict=True):
            if f:
                out.append("primary")
            elif b:
                out.append("source")
            elif not self._hidden(k_n):
                out.append(None)
            elif self.release.cell(k_n).primary or (k_x is not None
                                                    and self.release.cell(k_x).primary):
                out.append("primary")
            else:
                out.append("complementary")
        return np.array(out, dtype=object)

    def comparison(self) -> pd.DataFrame:
        """Every group compared with its organisation, from the published figures.

        Returns
        -------
        DataFrame
            One row per year x question x breakdown x subgroup (Overall rows first):
            ``year``, ``question``, ``short_wording``, ``theme``, ``higher_is_better``,
            ``breakdown``, ``subgroup``, ``n_respondents`` (blank where hidden) and
            ``n_respondents_symbol`` ("*"), ``pct_positive`` (one decimal),
            ``lower_pct``/``upper_pct`` (Wilson), ``overall_pct``, ``difference_pts``
            (group - organisation), ``better_pts`` (positive = better experience),
            ``rating`` (Green/Amber/Red; None for Overall and hidden rows),
            ``rest_pct``, ``diff_vs_rest_pts`` with ``diff_vs_rest_lower_pts`` /
            ``diff_vs_rest_upper_pts`` (Newcombe), ``p_value`` (against the rest of
            the organisation), ``significant``, ``reliable`` (a Red/Green rating whose
            difference from the rest is significant), ``suppressed``,
            ``suppression_reason`` ("primary": fewer respondents than the threshold,
            or with ``survey_strict`` a result revealing a few people;
            "complementary": hidden so that a hidden group cannot be worked out;
            "source": blank in the results), ``threshold``, ``confidence``. Every
            figure is computed from the published counts and percentages and rounded
            as published.
        """
        pub = self.release.published_table(COMPARISON_TABLE)
        pub["suppression_reason"] = self._reasons(COMPARISON_TABLE, self.comparison_rows)
        pub.loc[self._too_few_rows(self.comparison_rows), "n_respondents_symbol"] = \
            self.policy.symbol
        pub["suppressed"] = pub["suppression_reason"].notna()
        is_overall = pub["breakdown"] == OVERALL
        overall = pub.loc[is_overall, ["year", "question", "n_respondents", "pct_positive"]]
        overall = overall.rename(columns={"n_respondents": "_overall_n",
                                          "pct_positive": "overall_pct"})
        out = pub.merge(overall, on=["year", "question"], how="left")
        out["difference_pts"] = np.where(is_overall, np.nan,
                                         out["pct_positive"] - out["overall_pct"])
        out["better_pts"] = np.where(out["higher_is_better"].astype(bool),
                                     out["difference_pts"], -out["difference_pts"])
        out["rating"] = rag_rating(out["difference_pts"].round(1),
                                   out["higher_is_better"].astype(bool), self.threshold)
        n = out["n_respondents"]
        ok = out["pct_positive"].notna() & (n > 0)
        x = _positives(out["pct_positive"], n)
        out["lower_pct"] = out["upper_pct"] = np.nan
        if ok.any():
            ci = stats.proportion_ci(x[ok].astype(float), n[ok].astype(float),
                                     confidence=self.confidence)
            out.loc[ok, "lower_pct"] = ci["lower"].to_numpy() * 100
            out.loc[ok, "upper_pct"] = ci["upper"].to_numpy() * 100
        big_x = _positives(out["overall_pct"], out["_overall_n"])
        rest_n = out["_overall_n"] - n
        rest_x = big_x - x
        testable = (ok & ~is_overall & out["overall_pct"].notna() & (rest_n > 0)
                    & (rest_x >= 0) & (rest_x <= rest_n))
        for col in ("rest_pct", "diff_vs_rest_pts", "diff_vs_rest_lower_pts",
                    "diff_vs_rest_upper_pts", "p_value"):
            out[col] = np.nan
        if testable.any():
            a_x, a_n = x[testable].astype(float), n[testable].astype(float)
            b_x, b_n = rest_x[testable].astype(float), rest_n[testable].astype(float)
            diff = stats.proportion_difference(a_x, a_n, b_x, b_n, confidence=self.confidence)
            test = stats.two_proportion_test(a_x, a_n, b_x, b_n, method="auto")
            out.loc[testable, "rest_pct"] = (b_x / b_n * 100).to_numpy()
            out.loc[testable, "diff_vs_rest_pts"] = diff["value"].to_numpy() * 100
            out.loc[testable, "diff_vs_rest_lower_pts"] = diff["lower"].to_numpy() * 100
            out.loc[testable, "diff_vs_rest_upper_pts"] = diff["upper"].to_numpy() * 100
            out.loc[testable, "p_value"] = test["p_value"].to_numpy()
        out["significant"] = (out["p_value"] < 1 - self.confidence).fillna(False).astype(bool)
        out["reliable"] = out["significant"] & out["rating"].isin(["Green", "Red"])
        out["threshold"] = self.threshold
        out["confidence"] = self.confidence
        columns = [
            "year", "question", "short_wording", "theme", "higher_is_better", "breakdown",
            "subgroup", "n_respondents", "n_respondents_symbol", "pct_positive", "lower_pct",
            "upper_pct", "overall_pct", "difference_pts", "better_pts", "rating", "rest_pct",
            "diff_vs_rest_pts", "diff_vs_rest_lower_pts", "diff_vs_rest_upper_pts", "p_value",
            "significant", "reliable", "suppressed", "suppression_reason", "threshold",
            "confidence",
        ]
        return self.release.finish(COMPARISON_TABLE, _whole(out[columns], ["n_respondents"]))

    def trends(self) -> pd.DataFrame:
        """Percentages per question and group across the survey years, with the change.

        Returns
        -------
        DataFrame
            One row per question x breakdown x subgroup x year (organisation first):
            ``question``, ``short_wording``, ``higher_is_better``, ``breakdown``,
            ``subgroup``, ``year``, ``n_respondents`` (blank where hidden),
            ``n_respondents_symbol``, ``pct_positive``, ``suppressed``,
            ``previous_year``, ``change_pts`` (this year minus the previous year
            supplied, both published), ``change_better_pts`` (positive = improvement),
            ``change_since_first_pts`` (since the group's first published year),
            ``change_p_value`` (the two years as
            independent samples: pooled z test, Fisher's exact test where an expected
            count is below 5) and ``change_significant``.
        """
        pub = self.release.published_table(TRENDS_TABLE)
        frame = pub.copy()
        keys = ["question", "breakdown", "subgroup"]
        grouped = frame.groupby(keys, sort=False)
        frame["previous_year"] = grouped["year"].shift(1).astype("Int64")
        prev_pct = grouped["pct_positive"].shift(1)
        prev_n = grouped["n_respondents"].shift(1)
        shown = frame["pct_positive"].notna()
        first = shown.astype(int).groupby([frame[k] for k in keys], sort=False).cumsum()
        first_pct = frame["pct_positive"].where(shown & (first == 1)).groupby(
            [frame[k] for k in keys], sort=False).transform("max")
        frame["change_pts"] = frame["pct_positive"] - prev_pct
        frame["change_better_pts"] = np.where(frame["higher_is_better"].astype(bool),
                                              frame["change_pts"], -frame["change_pts"])
        # since the first year the group's result is published
        frame["change_since_first_pts"] = frame["pct_positive"] - first_pct
        frame.loc[first <= 1, "change_since_first_pts"] = np.nan
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
        frame["change_significant"] = (frame["change_p_value"] < 1 - self.confidence) \
            .fillna(False).astype(bool)
        frame["suppressed"] = self._reasons(TRENDS_TABLE, self.trend_rows) != None  # noqa: E711
        frame.loc[self._too_few_rows(self.trend_rows), "n_respondents_symbol"] = \
            self.policy.symbol
        columns = ["question", "short_wording", "higher_is_better", "breakdown", "subgroup",
                   "year", "n_respondents", "n_respondents_symbol", "pct_positive",
                   "suppressed", "previous_year", "change_pts", "change_better_pts",
                   "change_since_first_pts", "change_p_value", "change_significant"]
        return self.release.finish(TRENDS_TABLE, _whole(frame[columns], ["n_respondents"]))

    def _indicator_table(self, kind: str) -> pd.DataFrame:
        spec = self.indicators[kind]
        groups, focus = spec["groups"], spec["focus"]
        prefixes = [_prefix(g) for g in groups]
        pub = self.release.published_table(spec["name"])
        out = pub.copy()
        for p in prefixes:
            n = out[f"{p}_respondents"]
            value = out[f"{p}_value"]
            x = (value * n).round()
            ok = value.notna() & (n > 0)
            out[f"{p}_lower"] = out[f"{p}_upper"] = np.nan
            if ok.any():
                ci = stats.proportion_ci(x[ok].astype(float), n[ok].astype(float),
                                         confidence=self.confidence)
                out.loc[ok, f"{p}_lower"] = ci["lower"].to_numpy()
                out.loc[ok, f"{p}_upper"] = ci["upper"].to_numpy()
            few = np.array(spec["keys"][(p, "few")], dtype=bool)
            out[f"{p}_suppressed"] = [self._hidden(k) or f for k, f in zip(
                spec["keys"][(p, "n")], few, strict=True)]
            out.loc[few, f"{p}_respondents_symbol"] = self.policy.symbol
            out[f"_{p}_x"] = x
        f = _prefix(focus)
        c = prefixes[1] if prefixes[0] == f else prefixes[0]
        out["difference_pts"] = (out[f"{f}_value"] - out[f"{c}_value"]) * 100
        out["p_value"] = np.nan
        testable = out["difference_pts"].notna() & (out[f"{f}_respondents"] > 0) \
            & (out[f"{c}_respondents"] > 0)
        if testable.any():
            test = stats.two_proportion_test(
                out.loc[testable, f"_{f}_x"].astype(float),
                out.loc[testable, f"{f}_respondents"].astype(float),
                out.loc[testable, f"_{c}_x"].astype(float),
                out.loc[testable, f"{c}_respondents"].astype(float))
            out.loc[testable, "p_value"] = test["p_value"].to_numpy()
        out["significant"] = (out["p_value"] < 1 - self.confidence).fillna(False).astype(bool)
        comparator = groups[1] if groups[0] == focus else groups[0]
        better = np.where(out["higher_is_better"].fillna(True).astype(bool),
                          out["difference_pts"], -out["difference_pts"])
        out["worse_for"] = [None if pd.isna(b) or round(b, 10) == 0 else
                            (focus if b < 0 else comparator) for b in better]
        out["confidence"] = self.confidence
        out["method"] = _TWO_GROUP_METHOD
        notes, available = [], []
        for i, row in out.iterrows():
            row_notes = list(spec["notes"][i])
            for g, p in zip(groups, prefixes, strict=True):
                k = spec["keys"][(p, "n")][i]
                if spec["keys"][(p, "few")][i]:
                    row_notes.insert(0, f"{g} figure withheld: fewer than "
                                        f"{self.min_responses} responses")
                elif self._hidden(k):
                    cell = self.release.cell(k)
                    row_notes.insert(0, f"{g} figure withheld: " + (
                        f"fewer than {self.min_responses} responses" if cell.primary else
                        "it would reveal a hidden group"))
            ok = (int(row["year"]), row["question"]) in spec["present"]
            available.append(ok)
            if not ok:
                notes.append(WRES6_MISSING if row["question"] == "q14bc" else
                             f"not available: question {row['question']} by "
                             f"{spec['breakdown'].lower()} is not in the results")
            else:
                notes.append("; ".join(row_notes) if row_notes else None)
        out["note"] = notes
        out["available"] = available
        columns = ["year", spec["id_col"], "question", "description", "higher_is_better"]
        for p in prefixes:
            columns += [f"{p}_respondents", f"{p}_respondents_symbol", f"{p}_suppressed"]
        for p in prefixes:
            columns += [f"{p}_value", f"{p}_lower", f"{p}_upper"]
        columns += ["difference_pts", "p_value", "significant", "worse_for", "confidence",
                    "method", "note", "available"]
        return self.release.finish(spec["name"], _whole(
            out[columns], [f"{p}_respondents" for p in prefixes]))

    def wres(self) -> pd.DataFrame:
        """WRES indicators 5-8 for White and BME staff per year, from the published cells.

        Returns
        -------
        DataFrame
            One row per year x indicator: ``indicator``, ``question``, ``description``,
            ``higher_is_better``; for ``white_`` and ``bme_``: ``respondents`` (blank
            where hidden) with ``respondents_symbol``, ``suppressed``, ``value``
            (proportion 0-1, three decimals), ``lower``, ``upper`` (Wilson); then
            ``difference_pts`` (BME - White, points), ``p_value`` (two-proportion z
            test), ``significant``, ``worse_for`` ("BME"/"White"), ``confidence``,
            ``method``, ``note``, ``available`` (False when the question is not in the
            results by ethnicity; ``note`` then says why, for indicator 6 that the
            combined q14bc figure must come from the survey contractor).

        Notes
        -----
        BME is the set of all non-White stated ethnic groups: one cell, the same people
        as the ethnic groups it holds, so it is shown or hidden consistently with them.
        Groups blank at source are left out of it (noted).
        """
        return self._indicator_table("wres")

    def wdes(self) -> pd.DataFrame:
        """WDES survey metrics 4a(i)-(iii), 4b and 5-8: disabled vs non-disabled staff.

        Returns
        -------
        DataFrame
            As :meth:`wres` with column ``metric`` and prefixes ``disabled_`` and
            ``non_disabled_``; ``difference_pts`` is disabled minus non-disabled.
            Metric 8 (reasonable adjustments) is reported for disabled staff only.
        """
        return self._indicator_table("wdes")

    def engagement(self) -> pd.DataFrame:
        """WDES metric 9a: staff engagement score (0-10), disabled vs non-disabled staff.

        Returns
        -------
        DataFrame
            One row per survey year (:data:`ENGAGEMENT_COLUMNS`): ``metric`` ("9a"),
            ``available`` (False when the score by disability is not in the results),
            for ``disabled_`` and ``non_disabled_``: ``respondents`` (blank where
            hidden) with ``respondents_symbol``, ``score`` (mean 0-10), ``sd``,
            ``lower``/``upper`` (t interval of the mean, when an SD is given) and
            ``suppressed``; ``difference`` (disabled minus non-disabled, score points),
            ``lower``/``upper`` and ``p_value`` (Welch's t, when both SDs are given),
            ``significant``, ``worse_for``, ``confidence``, ``method``, ``note``.

        Notes
        -----
        A score is a mean, not a count: it is shown only for a group whose number of
        respondents is shown (the same rule, the same cell). Subgroups classed as
        disabled (or non-disabled) are combined as the n-weighted mean, with the SD of
        the combined respondents (within- plus between-subgroup variation). Scores and
        SDs are rounded to two decimals as published, and the intervals and Welch's
        test (Welch-Satterthwaite degrees of freedom) are computed from those.
        """
        from scipy import stats as sps

        pub = self.release.published_table(ENGAGEMENT_TABLE)
        conf = self.confidence
        rows = []
        for i, base in pub.iterrows():
            row = base.to_dict()
            row["confidence"] = conf
            if not bool(row["available"]):
                row["note"] = ENGAGEMENT_MISSING
                rows.append(row)
                continue
            notes = []
            for group, p in (("Disabled", "disabled"), ("Non-disabled", "non_disabled")):
                known, partial = self.engagement_pools[i][p]
                key = self.engagement_keys[p][i]
                few = (int(row["year"]), p, True) in self.engagement_few
                hidden = self._hidden(key) or few
                if few:
                    row[f"{p}_respondents_symbol"] = self.policy.symbol
                n = row[f"{p}_respondents"]
                total, mean, sd = _pool(known)
                if partial:
                    notes.append(f"{group} figure excludes groups without a score")
                if hidden:
                    primary = few or self.release.cell(key).primary
                    notes.append(f"{group} figure withheld: " + (
                        f"fewer than {self.min_responses} responses" if primary else
                        "it would reveal a hidden group"))
                shown = key is not None and not hidden and pd.notna(n) and n > 0
                mean = round(mean, 2) if shown and pd.notna(mean) else np.nan
                sd = round(sd, 2) if shown and pd.notna(sd) else np.nan
                lo = hi = np.nan
                if shown and pd.notna(sd) and n >= 2:
                    half = sps.t.ppf(0.5 + conf / 2, n - 1) * sd / np.sqrt(n)
                    lo, hi = mean - half, mean + half
                row[f"{p}_score"], row[f"{p}_sd"] = mean, sd
                row[f"{p}_lower"], row[f"{p}_upper"] = lo, hi
                row[f"{p}_suppressed"] = hidden
            a, b = row["disabled_score"], row["non_disabled_score"]
            row["difference"] = a - b if pd.notna(a) and pd.notna(b) else np.nan
            row["lower"] = row["upper"] = row["p_value"] = np.nan
            sd_a, sd_b = row["disabled_sd"], row["non_disabled_sd"]
            n_a, n_b = row["disabled_respondents"], row["non_disabled_respondents"]
            if pd.notna(row["difference"]) and pd.notna(sd_a) and pd.notna(sd_b) \
                    and n_a >= 2 and n_b >= 2:
                va, vb = sd_a**2 / n_a, sd_b**2 / n_b
                se = float(np.sqrt(va + vb))
                if se > 0:
                    df = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
                    half = sps.t.ppf(0.5 + conf / 2, df) * se
                    row["lower"] = row["difference"] - half
                    row["upper"] = row["difference"] + half
                    row["p_value"] = float(2 * sps.t.sf(abs(row["difference"]) / se, df))
                row["method"] = "t interval of each mean; Welch's t interval and test"
            elif pd.notna(row["difference"]):
                row["method"] = "point difference (no standard deviation supplied)"
            else:
                row["method"] = None
            row["significant"] = bool(pd.notna(row["p_value"]) and row["p_value"] < 1 - conf)
            diff = row["difference"]
            row["worse_for"] = (None if pd.isna(diff) or round(diff, 10) == 0
                                else ("Disabled" if diff < 0 else "Non-disabled"))
            row["note"] = "; ".join(notes) if notes else None
            rows.append(row)
        out = pd.DataFrame(rows).reindex(columns=ENGAGEMENT_COLUMNS)
        for col in ("disabled_suppressed", "non_disabled_suppressed", "significant",
                    "available"):
            out[col] = out[col].eq(True)
        out["year"] = out["year"].astype("int64")
        return self.release.finish(ENGAGEMENT_TABLE, _whole(
            out, ["disabled_respondents", "non_disabled_respondents"]))


def _whole(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Counts as whole numbers (blank where hidden) for display and CSV."""
    return frame.astype({c: "Int64" for c in columns})
