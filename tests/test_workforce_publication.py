"""The workforce chapter's publication (edi_analysis.workforce_publication.build_chapter).

Every table of the chapter is declared to one disclosure model and protected together;
these tests read the published CSV files back as a reader does and run the independent
attacker (:func:`edi_analysis.disclosure.audit.attack_published`) on all of them at once.

Regression tests rebuild the leaks named in issue 11 for the workforce chapter. Each
first republishes the same release in the OLD pattern (what the per-table protection of
the removed ``edi_analysis.suppression`` module published: every figure shown except the
cells it hid, each table checked on its own and only by linear differencing) and shows
that the attacker catches it; then it shows that the new publication gives nothing away:

(a) the bounds give the answer: two "<5" cells whose hidden sum is 8 are both 4;
(b) WRES indicator 1 (band x staff type x White/BME) with the headcount tables gives the
    ethnicity of the only Band 2 employee;
(c) the gender pay gap counts minus the headcount give the staff on reduced or nil pay.

The QK1 demo chapter is built once for the module (it takes a while: hundreds of cells
protected together); the small organisations take seconds.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from edi_analysis import gender_pay_gap, workforce, workforce_publication, wres
from edi_analysis.disclosure import Release, write_release
from edi_analysis.disclosure.attack import Target, reader_bounds
from edi_analysis.disclosure.audit import attack_published
from edi_analysis.disclosure.manifest import Manifest, read_manifest, read_published

PERIOD = "2025-26"
NON_CLINICAL = "Administrative and Clerical"
CLINICAL = "Nursing and Midwifery Registered"
#: Columns that would publish counts of full-pay-relevant staff.
GPG_COUNT_COLUMNS = {"n", "male_n", "female_n", "reference_n", "comparison_n"}


# --------------------------------------------------------------------------------------
# building, writing and attacking a chapter
# --------------------------------------------------------------------------------------
class Built:
    """A chapter built, written to ``root`` and attacked."""

    def __init__(self, root: Path, chapter: workforce_publication.WorkforceChapter):
        self.chapter = chapter
        self.tables = root / "tables"
        self.disclosure = root / "disclosure"
        write_release(chapter.release, self.tables, self.disclosure)
        self.findings, _ = attack_published(self.disclosure, self.tables)
        self.manifest = read_manifest(self.disclosure / "workforce.json.gz")

    def csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.tables / f"{name}.csv")


def _build(root: Path, inputs: Mapping[str, pd.DataFrame | None], policy: str = "standard",
           **options: object) -> Built:
    release = Release(policy, label="workforce", previous=[])
    chapter = workforce_publication.build_chapter(inputs, "QK1", PERIOD, release, **options)
    return Built(root, chapter)


def _small_org(spec: list[tuple[str, str, str, int]], not_full_pay_men: int = 0
               ) -> pd.DataFrame:
    """Staff records from (pay band, staff group, ethnic code, count) rows."""
    rows = [(b, g, c) for b, g, c, k in spec for _ in range(k)]
    staff = pd.DataFrame(rows, columns=["pay_band", "staff_group", "ethnic_category"])
    n = len(staff)
    i = np.arange(n)
    staff.insert(0, "employee_id", [f"T{k:04d}" for k in i])
    staff["sex"] = np.where(i % 3 == 0, "Male", "Female")
    staff["age_band"] = np.array(["25-29", "30-34", "35-39", "40-44", "45-49", "50-54"])[i % 6]
    staff["disability"] = np.where(i % 7 == 0, "Yes", np.where(i % 11 == 0, "Not declared",
                                                               "No"))
    staff["hourly_pay"] = np.round(12.0 + i * 0.21 + (i * 37 % 11) / 20, 2)
    staff["bonus_pay"] = 0.0
    full = np.ones(n, dtype=bool)
    full[np.flatnonzero(staff["sex"] == "Male")[:not_full_pay_men]] = False
    staff["full_pay_relevant"] = full
    return staff


#: A small organisation for the regression tests. Non-clinical: the only Band 2 employee
#: (White); Bands 8a-8b hold 4 Mixed and 4 Black staff (the "<5" pair whose sum is 8).
SMALL = [("Band 2", NON_CLINICAL, "A", 1),
         ("Band 3", NON_CLINICAL, "A", 5), ("Band 3", NON_CLINICAL, "H", 6),
         ("Band 4", NON_CLINICAL, "A", 8), ("Band 4", NON_CLINICAL, "H", 7),
         ("Band 5", CLINICAL, "A", 20), ("Band 5", CLINICAL, "H", 10),
         ("Band 5", CLINICAL, "M", 4), ("Band 5", CLINICAL, "D", 3),
         ("Band 6", CLINICAL, "A", 15), ("Band 6", CLINICAL, "H", 9),
         ("Band 6", CLINICAL, "M", 4), ("Band 6", CLINICAL, "D", 3),
         ("Band 7", CLINICAL, "A", 12), ("Band 7", CLINICAL, "H", 6),
         ("Band 7", CLINICAL, "Z", 6),
         ("Band 8a", NON_CLINICAL, "A", 9), ("Band 8a", NON_CLINICAL, "H", 6),
         ("Band 8a", NON_CLINICAL, "D", 2), ("Band 8a", NON_CLINICAL, "M", 2),
         ("Band 8b", NON_CLINICAL, "A", 7), ("Band 8b", NON_CLINICAL, "H", 5),
         ("Band 8b", NON_CLINICAL, "D", 2), ("Band 8b", NON_CLINICAL, "M", 2)]
SMALL_OPTIONS = {"characteristics": ("ethnic_group", "disability", "sex")}


@pytest.fixture(scope="module")
def qk1(tmp_path_factory: pytest.TempPathFactory) -> Built:
    from edi_analysis.inputs import org_inputs

    return _build(tmp_path_factory.mktemp("qk1"), org_inputs("QK1", PERIOD))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Built:
    staff = _small_org(SMALL, not_full_pay_men=2)
    return _build(tmp_path_factory.mktemp("small"), {"staff_records": staff},
                  **SMALL_OPTIONS)


# --------------------------------------------------------------------------------------
# the old publication pattern, rebuilt on a release's manifest
# --------------------------------------------------------------------------------------
def _row(built: Built, table: str, **labels: str) -> int:
    frame = built.csv(table)
    sel = np.ones(len(frame), dtype=bool)
    for col, value in labels.items():
        sel &= (frame[col].astype(str) == value).to_numpy()
    assert sel.sum() == 1, (table, labels)
    return int(np.flatnonzero(sel)[0])


def _key(built: Built, table: str, row: int, column: str):
    return built.manifest.keys[built.manifest.tables[table].counts[column][row]]


def _republish_old(built: Built, root: Path, table: str, hidden: Mapping[tuple[int, str], str],
                   rows: set[int] | None = None) -> Path:
    """Copy the release's tables, with ``table`` as the old per-table protection showed it.

    In the rows given (all rows by default), every count shows its true value except the
    cells of ``hidden`` ((row, column) -> the symbol printed); the shares and other
    derived columns are left empty. Every other table is as the new release published
    it (so whatever the attacker finds comes from the old pattern).
    """
    man: Manifest = built.manifest
    tm = man.tables[table]
    truth = man.truth()
    out = root / "tables"
    shutil.copytree(built.tables, out)
    with (built.tables / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        header, *body = list(csv.reader(fh))
    col = {c: j for j, c in enumerate(header)}
    derived = set(tm.shares) | set(tm.kinds)
    for i, line in enumerate(body):
        if rows is not None and i not in rows:
            continue
        for c, idx in tm.counts.items():
            if idx[i] is None:
                continue
            sym = tm.symbols.get(c)
            if (i, c) in hidden:
                line[col[c]] = ""
                if sym in col:
                    line[col[sym]] = hidden[(i, c)]
            else:
                line[col[c]] = f"{truth[man.keys[idx[i]]]:g}"
                if sym in col:
                    line[col[sym]] = ""
        for c in derived:
            if c in col:
                line[col[c]] = ""
    with (out / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *body])
    return out


def _pinned(findings: list, key: object) -> bool:
    return any(f.location == str(key) for f in findings)


def _reader_can_reach(built: Built, condition: dict[str, object], true: float,
                      low: float | None, high: float | None) -> bool:
    """Whether a reader of every published table must still allow ``low`` and ``high``."""
    man = built.manifest
    pub = read_published(man, built.tables)
    pop = man.populations[f"staff {PERIOD}"]
    cond = pop.key(**condition).condition
    bound = reader_bounds(pop, [o for o in pub.observations if o.key.population == pop.name],
                          [r for r in pub.ratios if r.numerator.population == pop.name],
                          [Target("figure", cond, true, low, high)])[0]
    return not bound.disclosive


def _not_full_pay_a_reader_can_infer(built: Built) -> dict[str, tuple[set[int], int]]:
    """What a reader infers of the staff not ranked in the pay quarters, from the CSVs.

    An independent reader of the published gender pay gap quarters: it knows the
    statutory rule sizing the quarters (:func:`edi_analysis.gender_pay_gap.quarter_sizes`),
    that each percentage is within 0.05 points of the truth, and the published headcount
    (all staff, men, women). It tries every number of ranked (full-pay-relevant) staff
    and keeps those whose quarters can give every published percentage.

    Returns
    -------
    dict
        ``"all"``, ``"Male"``, ``"Female"`` -> (the numbers of staff not ranked the reader
        cannot rule out, the true number).
    """
    quarters = built.csv("gpg_quarters")
    head = built.csv("workforce_headcount")
    totals = head[(head["cluster"] == "Total") & (head["category"] != "Total")
                  & (head["characteristic"] == "sex")].set_index("category")["count"]
    everyone = head[(head["category"] == "Total") & (head["cluster"] == "Total")]["count"]
    assert everyone.notna().all(), "the headcount is published"
    n_all = int(everyone.iloc[0])

    def fits(pct: float, m: int, n: int) -> bool:  # a hidden percentage fits anything
        return bool(np.isnan(pct)) or abs(100 * m / n - pct) <= 0.05 + 1e-9

    possible: dict[str, set[int]] = {"all": set(), "Male": set(), "Female": set()}
    for ranked in range(4, n_all + 1):
        choices = []
        for n, (_, row) in zip(gender_pay_gap.quarter_sizes(ranked), quarters.iterrows(),
                               strict=True):
            men = [m for m in range(n + 1) if fits(row["male_pct"], m, n)
                   and fits(row["female_pct"], n - m, n)]
            if not men:
                break
            choices.append(men)
        else:
            men_sums = {0}
            for men in choices:
                men_sums = {s + m for s in men_sums for m in men}
            for m in men_sums:
                male = totals.get("Male", np.nan) - m
                female = totals.get("Female", np.nan) - (ranked - m)
                if male < 0 or female < 0:  # more ranked than the published headcount
                    continue
                possible["all"].add(n_all - ranked)
                # a hidden headcount of men or women leaves the reader nothing to subtract
                possible["Male"].update({int(male)} if np.isfinite(male) else
                                        set(range(n_all + 1)))
                possible["Female"].update({int(female)} if np.isfinite(female) else
                                          set(range(n_all + 1)))
    staff = built.chapter.release.populations[f"staff {PERIOD}"].units
    ranked_truth = built.chapter.release.populations[f"pay quarters {PERIOD}"].size
    men_ranked = int((built.chapter.release.populations[f"pay quarters {PERIOD}"]
                      .units["sex"] == "Male").sum())
    true = {"all": len(staff) - ranked_truth,
            "Male": int((staff["sex"] == "Male").sum()) - men_ranked,
            "Female": int((staff["sex"] == "Female").sum()) - (ranked_truth - men_ranked)}
    return {k: (possible[k], true[k]) for k in possible}


def _reduced_pay_disclosed(built: Built) -> list[str]:
    """Small groups of staff not full-pay relevant that the reader pins (protection level 1)."""
    out = []
    level = built.chapter.release.policy.protection_level
    for who, (possible, true) in _not_full_pay_a_reader_can_infer(built).items():
        if not built.chapter.release.policy.is_small_count([true])[0]:
            continue
        if not possible or min(possible) > true - level or max(possible) < true + level:
            out.append(f"{who}: {true} not full-pay relevant, the reader narrows it to "
                       f"{sorted(possible)}")
    return out


# --------------------------------------------------------------------------------------
# the QK1 demo chapter
# --------------------------------------------------------------------------------------
def test_qk1_attacker_finds_nothing_across_all_tables(qk1: Built) -> None:
    assert qk1.findings == [], "\n".join(f"{f.where}: {f.what}" for f in qk1.findings[:10])


def test_qk1_publishes_every_table_declared(qk1: Built) -> None:
    written = {p.stem for p in qk1.tables.glob("*.csv")}
    declared = set(qk1.manifest.tables) | set(qk1.manifest.public)
    assert written == declared
    assert {"workforce_headcount", "workforce_representation", "workforce_declaration",
            "workforce_ethnicity_detailed", "workforce_progression",
            "workforce_senior_likelihood", "workforce_age_sex", "wres_indicator_1",
            "wdes_metric_1", "wres_indicators", "wdes_metrics", "gpg_measures",
            "gpg_quarters", "gpg_by_group", "gpg_peers"} <= written


def test_qk1_both_band_8a_likelihoods_are_shown(qk1: Built) -> None:
    senior = qk1.chapter.section.senior.set_index("reference")
    for ref in ("White", "No"):
        row = senior.loc[ref]
        assert not bool(row["suppressed"]), f"the {ref} vs {row['comparison']} likelihood " \
            f"is withheld ({row['symbol']})"
        assert np.isfinite(row[["value", "lower", "upper"]].astype(float)).all()


def test_qk1_headcount_hides_no_more_than_the_old_protection(qk1: Built) -> None:
    # issue 11: before (per-table protection) 93 of 295 headcount cells were hidden (71
    # small, 22 to protect them); the table now also holds against the bounded attacker
    # and merges sparse categories (so it has fewer rows: the share hidden is about the
    # same, 78 of 240 on 3 December 2026)
    head = qk1.csv("workforce_headcount")
    hidden = int(head["count"].isna().sum())
    small = int((head["symbol"].isin(["<5", "<10"])).sum())
    message = f"{hidden} of {len(head)} headcount cells hidden ({small} small; before 93, 71)"
    assert hidden <= 93 and small <= 71, message


def test_qk1_derived_figures_come_from_the_published_counts(qk1: Built) -> None:
    head = qk1.csv("workforce_headcount")
    shown = head.dropna(subset=["count", "cluster_total", "share"])
    shown = shown[shown["cluster_total"] > 0]
    np.testing.assert_allclose(shown["share"], (shown["count"] / shown["cluster_total"])
                               .round(3), atol=1e-9)
    senior = qk1.chapter.section.senior
    for _, r in senior[~senior["suppressed"].astype(bool)].iterrows():
        ratio = (r["numerator_a"] / r["denominator_a"]) / (r["numerator_b"] / r["denominator_b"])
        assert r["value"] == pytest.approx(ratio, abs=0.005)
    w1 = qk1.csv("wres_indicator_1")
    both = w1.dropna(subset=["White", "BME"])
    both = both[(both["White"] + both["BME"]) > 0]
    np.testing.assert_allclose(both["BME_share"], (both["BME"] / (both["White"] + both["BME"]))
                               .round(3), atol=1e-9)


def test_qk1_gender_pay_gap_publishes_percentages_only(qk1: Built) -> None:
    for name in ("gpg_measures", "gpg_quarters", "gpg_by_group"):
        columns = set(qk1.csv(name).columns)
        assert not columns & GPG_COUNT_COLUMNS, (name, columns & GPG_COUNT_COLUMNS)
        assert not any(c.endswith("_n") for c in columns), (name, columns)


def test_qk1_quarter_percentages_do_not_give_away_staff_on_reduced_pay(qk1: Built) -> None:
    # QK1: 6 staff are not full-pay relevant, 2 men and 4 women (small)
    found = _not_full_pay_a_reader_can_infer(qk1)
    assert (found["Male"][1], found["Female"][1]) == (2, 4)
    assert _reduced_pay_disclosed(qk1) == []


def test_qk1_narrative_quotes_only_published_figures(qk1: Built) -> None:
    section = qk1.chapter.section
    text = " ".join(workforce.overview_sentences(section))
    assert f"covers {section.headcount:,} staff" in text
    head = section.profiles[next(iter(section.profiles))].headcount
    totals = head[(head["category"] == workforce.TOTAL) & (head["cluster"] != workforce.TOTAL)]
    for cluster, count in zip(totals["cluster"], totals["count"], strict=True):
        shown = section.policy.symbol if pd.isna(count) else f"{int(count):,}"
        assert f"{cluster} {shown}" in text
    for key in section.profiles:
        for sentence in workforce.characteristic_sentences(section, key):
            assert "nan" not in sentence.lower(), sentence
    text = " ".join(wres.indicator_sentences(qk1.chapter.wres_results))
    assert "nan" not in text.lower()
    if qk1.chapter.gpg is not None:
        assert "nan" not in " ".join(gender_pay_gap.gap_sentences(qk1.chapter.gpg)).lower()


def test_qk1_withheld_summary_covers_every_table(qk1: Built) -> None:
    summary = qk1.chapter.release.protection.tables.set_index("table")
    assert set(qk1.manifest.tables) <= set(summary.index)
    assert (summary["hidden"] == summary["primary"] + summary["secondary"]).all()


# --------------------------------------------------------------------------------------
# the small organisation: regression tests of the named leaks
# --------------------------------------------------------------------------------------
def test_small_org_new_publication_gives_nothing_away(small: Built) -> None:
    assert small.findings == [], "\n".join(f"{f.where}: {f.what}" for f in small.findings)


def test_small_org_under_nhs_digital_gives_nothing_away(tmp_path: Path) -> None:
    staff = _small_org(SMALL, not_full_pay_men=2)
    built = _build(tmp_path, {"staff_records": staff}, "nhs_digital", **SMALL_OPTIONS)
    head = built.csv("workforce_headcount")
    shown = head["count"].dropna()
    assert (shown % 5 == 0).all()  # rounded to the nearest 5
    assert not ((shown > 0) & (shown <= 7)).any()
    assert built.findings == [], "\n".join(f"{f.where}: {f.what}" for f in built.findings)


def test_bounds_leak_two_small_cells_summing_to_eight(small: Built, tmp_path: Path) -> None:
    """(a) Mixed 4 and Black 4 in Band 8a-9, hidden "<5" beside a published total.

    The old per-table check hid a rectangle (the two 4s and their Band 5-7 partners,
    "*") and accepted it: no row or column has a single hidden cell, so no linear
    combination of the shown figures gives a hidden one. But the column's hidden sum is
    8, and each "<5" is at most 4: both are 4.
    """
    mixed = _row(small, "workforce_headcount", characteristic="ethnic_group",
                 category="Mixed", cluster="Band 8a-9")
    black = _row(small, "workforce_headcount", characteristic="ethnic_group",
                 category="Black", cluster="Band 8a-9")
    mixed57 = _row(small, "workforce_headcount", characteristic="ethnic_group",
                   category="Mixed", cluster="Band 5-7")
    black57 = _row(small, "workforce_headcount", characteristic="ethnic_group",
                   category="Black", cluster="Band 5-7")
    truth = small.manifest.truth()
    keys = {r: _key(small, "workforce_headcount", r, "count")
            for r in (mixed, black, mixed57, black57)}
    assert [truth[keys[r]] for r in (mixed, black)] == [4, 4]
    assert min(truth[keys[r]] for r in (mixed57, black57)) >= 5
    # the old pattern: every ethnic-group figure shown but the rectangle
    head = small.csv("workforce_headcount")
    ethnic = set(np.flatnonzero(head["characteristic"] == "ethnic_group"))
    old = _republish_old(small, tmp_path, "workforce_headcount",
                         {(mixed, "count"): "<5", (black, "count"): "<5",
                          (mixed57, "count"): "*", (black57, "count"): "*"}, rows=ethnic)
    findings, _ = attack_published(small.disclosure, old)
    assert _pinned(findings, keys[mixed]) and _pinned(findings, keys[black])
    assert any("true 4" in f.what and "narrow it to 4" in f.what for f in findings)
    # the new publication: never two "<5" whose hidden sum the reader can pin
    assert small.findings == []
    for key in (keys[mixed], keys[black]):
        cond = dict(key.condition)
        assert _reader_can_reach(small, cond, 4.0, 3.0, None)


def test_lone_band_2_employee_keeps_their_ethnicity(small: Built) -> None:
    """(b) WRES 1 by band and staff type beside the ethnic-group headcount.

    The organisation has one Band 2 employee (White, non-clinical). Published on its
    own, the Band 2 row says White "<5", BME 0, not stated 0: whoever its 1 to 4 people
    are, they are all White (a group disclosure no hiding of counts prevents while zeros
    are shown), and the old per-table protection also left the White "<5" pinned at 1
    by the "*" totals of Band 3. Band 2 is now published combined with Band 3.
    """
    truth = small.manifest.truth()
    w1 = small.csv("wres_indicator_1")
    non_clinical = w1[w1["workforce"] == "Non-clinical"]
    assert "Band 2" not in set(non_clinical["band"])
    merged = _row(small, "wres_indicator_1", band="Band 2-3", workforce="Non-clinical")
    parts = [truth[_key(small, "wres_indicator_1", merged, c)]
             for c in ("White", "BME", "Not stated")]
    assert sum(1 for p in parts if p > 0) >= 2, "the combined row is not all one group"
    assert small.findings == []
    assert len(w1) == len(small.manifest.tables["wres_indicator_1"].counts["White"])


def test_gender_pay_gap_does_not_give_away_staff_on_reduced_pay(small: Built) -> None:
    """(c) Two men are not full-pay relevant (sickness or maternity pay).

    The old tables published the pay-quarter counts: the men's headcount less the men
    ranked in the quarters was those 2 men. The new tables publish percentages only.
    """
    staff = _small_org(SMALL, not_full_pay_men=2)
    quarters = gender_pay_gap.pay_quarters(staff)  # what the old tables showed
    men = int((staff["sex"] == "Male").sum())
    assert men - int(quarters["male_n"].sum()) == 2  # the old leak
    assert len(staff) - int(quarters["n"].sum()) == 2
    for name in ("gpg_measures", "gpg_quarters", "gpg_by_group"):
        columns = set(small.csv(name).columns)
        assert not columns & GPG_COUNT_COLUMNS and not any(c.endswith("_n") for c in columns)
    assert small.findings == []


def test_quarter_percentages_do_not_give_the_quarter_sizes_back(small: Built) -> None:
    """(c, continued) A reader who tries every number of ranked staff against the
    published quarter percentages must not be left with the 2 men alone."""
    found = _not_full_pay_a_reader_can_infer(small)
    assert found["Male"][1] == 2 and found["all"][1] == 2
    assert _reduced_pay_disclosed(small) == []


# --------------------------------------------------------------------------------------
# property: small random organisations
# --------------------------------------------------------------------------------------
_BANDS = ["Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a", "Band 8b",
          "VSM"]
_CODES = ["A", "B", "C", "D", "H", "J", "M", "N", "R", "S", "Z"]


@st.composite
def _organisations(draw: st.DrawFn) -> pd.DataFrame:
    """40 to 200 staff in 3 to 6 bands, each band with a few ethnic groups (some small)."""
    spec = []
    for band in draw(st.lists(st.sampled_from(_BANDS), min_size=3, max_size=6, unique=True)):
        group = draw(st.sampled_from([NON_CLINICAL, CLINICAL]))
        spec.append((band, group, "A", draw(st.integers(5, 25))))
        for code in draw(st.lists(st.sampled_from(_CODES[1:]), min_size=1, max_size=3,
                                  unique=True)):
            spec.append((band, group, code, draw(st.integers(1, 12))))
    staff = _small_org(spec, not_full_pay_men=draw(st.integers(0, 2)))
    assume(len(staff) >= 40)
    return staff


@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(staff=_organisations())
def test_random_small_organisations_give_nothing_away(staff: pd.DataFrame,
                                                      tmp_path_factory) -> None:
    built = _build(tmp_path_factory.mktemp("random"), {"staff_records": staff},
                   **SMALL_OPTIONS)
    assert built.findings == [], "\n".join(f"{f.where}: {f.what}" for f in built.findings)


@pytest.mark.parametrize(("bme_consultants", "folded"), [(2, True), (6, False)])
def test_medical_grades_join_the_clinical_block_when_their_own_totals_are_small(
        tmp_path: Path, bme_consultants: int, folded: bool) -> None:
    """WRES 1's medical and dental block closes with a total row. With 2 BME doctors, that
    total (a block total, got from the organisation's figure less the other blocks') can
    only be protected by hiding totals; shown within the clinical block, as the WRES
    template lays medical grades out, the two are protected by ordinary band cells. With
    6 BME doctors the block stays apart."""
    staff = _small_org(SMALL + [("Medical - Consultant", "Medical and Dental", "A", 7),
                                ("Medical - Consultant", "Medical and Dental", "H",
                                 bme_consultants)])
    built = _build(tmp_path, {"staff_records": staff}, **SMALL_OPTIONS)
    w1 = built.csv("wres_indicator_1")
    blocks = list(dict.fromkeys(w1["workforce"]))
    if folded:
        assert blocks == ["Non-clinical", workforce_publication.CLINICAL_WITH_MEDICAL,
                          "Overall workforce"]
        clinical = w1[w1["workforce"] == workforce_publication.CLINICAL_WITH_MEDICAL]
        assert any("Consultant" in b for b in clinical["band"])
    else:
        assert blocks == ["Non-clinical", "Clinical", "Medical and dental", "Overall workforce"]
    overall = w1[w1["workforce"] == "Overall workforce"].iloc[0]
    assert overall[["White", "BME"]].notna().all(), "the organisation's figures are shown"
    assert built.findings == []


def test_qk1_csvs_carry_no_negative_zero(qk1: Built) -> None:
    """gpg_measures.csv carried change_pts -0.0 where the report shows 0.0."""
    import re

    for path in sorted(qk1.tables.glob("*.csv")):
        assert not re.search(r"(^|,)-0(\.0+)?(,|$)", path.read_text(), re.M), path.name
