"""Tables, charts, chapter and notebook of the maternity and service inequalities section."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from edi_analysis import inequalities, maternity
from edi_analysis.disclosure import Release
from edi_analysis.paths import project_root
from edi_analysis.report import maternity_charts as charts
from edi_analysis.report import maternity_tables as tables
from edi_analysis.report.display import figure_bundle
from edi_analysis.report.notebooks import labelled_cells

ROOT = project_root()
NOTEBOOK = ROOT / "notebooks" / "maternity.ipynb"
CHAPTER = ROOT / "chapters" / "_maternity.qmd"


def _births() -> pd.DataFrame:
    """Two years; Black mothers have 3 stillbirths (suppressed) in 2025-26."""
    spec = [  # year, ethnic code, IMD decile, stillbirths, live births
        ("2024-25", "A", 1, 12, 2000),
        ("2024-25", "A", 9, 8, 2500),
        ("2024-25", "N", 1, 9, 900),
        ("2024-25", "N", 9, 6, 700),
        ("2025-26", "A", 1, 14, 2100),
        ("2025-26", "A", 9, 6, 2400),
        ("2025-26", "N", 1, 3, 950),
        ("2025-26", "N", 9, 0, 650),
        ("2025-26", "H", 3, 7, 800),
        ("2025-26", "H", 5, 6, 900),
        ("2025-26", "H", 7, 5, 800),
        ("2024-25", "H", 3, 8, 800),
        ("2024-25", "H", 5, 6, 900),
        ("2024-25", "H", 7, 5, 800),
    ]
    rows = []
    for year, code, decile, still, live in spec:
        rows += [
            dict(
                year=year,
                mother_ethnic_category=code,
                imd_decile=decile,
                outcome="Stillbirth",
                gestation_weeks=30,
            )
        ] * still
        rows += [
            dict(
                year=year,
                mother_ethnic_category=code,
                imd_decile=decile,
                outcome="Live birth",
                gestation_weeks=39,
            )
        ] * live
    frame = pd.DataFrame(rows)
    frame["delivery_method"] = np.where(
        np.arange(len(frame)) % 5 == 0, "Emergency caesarean", "Spontaneous"
    )
    frame.insert(0, "baby_id", [f"b{i}" for i in range(len(frame))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return maternity.prepare_births(frame)


@pytest.fixture(scope="module")
def births() -> pd.DataFrame:
    return _births()


@pytest.fixture(scope="module")
def chapter(births: pd.DataFrame) -> maternity.MaternityChapter:
    """Every table declared to one release, protected and published."""
    release = Release("standard")
    declared = maternity.declare_chapter(release, births)
    release.protect()
    return maternity.publish_chapter(release, declared, sii_method="analytic")


@pytest.fixture(scope="module")
def by_ethnicity(chapter: maternity.MaternityChapter) -> pd.DataFrame:
    return chapter.by_ethnicity


def _text(gt) -> str:
    html = gt.as_raw_html()
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_rate_table_shows_intervals_reference_and_the_suppression_symbol(by_ethnicity) -> None:
    text = _text(tables.rate_table(by_ethnicity, "stillbirth", "ethnic_group"))
    assert "Reference" in text
    assert "&lt;5" in text or "&lt;10" in text  # Black mothers' 3 stillbirths in 2025-26
    assert "95% confidence interval" in text and "MBRRACE-UK" in text
    # White: 20 stillbirths in 4,520 births; Byar 12.211 to 30.890 events -> 2.7 to 6.8.
    assert "White 20 4,520 4.4 2.7 to 6.8" in text
    # a further group is hidden so that Black's <5 cannot be worked out from the total
    assert "*" in text


def test_births_table_has_this_year_and_last_with_percentages(chapter) -> None:
    text = _text(tables.births_table(chapter.births_ethnicity))
    assert "2024-25" in text and "2025-26" in text and "% of total" in text
    assert "100.0%" in text


def test_heat_table_shows_symbols_for_suppressed_cells(chapter) -> None:
    text = _text(tables.heat_table(chapter.by_both, "stillbirth", year=chapter.pooled))
    assert "&lt;5" in text or "&lt;10" in text or "*" in text
    assert "1 (most deprived)" in text and "5 (least deprived)" in text


def test_heat_table_of_rare_outcomes_is_pooled_and_of_common_ones_by_year(chapter) -> None:
    years = set(chapter.by_both.loc[chapter.by_both["indicator"] == "stillbirth", "year"])
    assert years == {chapter.pooled}
    years = set(chapter.by_both.loc[chapter.by_both["indicator"] == "emergency_caesarean",
                                    "year"])
    assert years == set(chapter.years)


def test_gradient_change_quality_population_and_service_tables_render(chapter) -> None:
    assert "Slope index" in _text(tables.gradient_table(chapter.gradient))
    change = chapter.change_ethnicity
    assert "2024-25" in _text(tables.change_table(change, "stillbirth", "ethnic_group"))
    assert "Terminations" in _text(tables.data_quality_table(chapter.quality))
    pop = pd.DataFrame(
        {
            "ethnic_group": ["Asian", "All"] * 5,
            "imd_quintile": np.repeat([1, 2, 3, 4, 5], 2),
            "count": [10, 100] * 5,
            "share_of_group": 0.2,
            "share_of_quintile": [0.1, 1.0] * 5,
        }
    )
    assert "10.0%" in _text(tables.population_table(pop))
    svc = pd.DataFrame(
        {"period": "2025-26", "place": ["X", "Y"], "recovered": [40, 60], "completed": [100, 100]}
    )
    res = inequalities.indicator_by_group(
        svc, "recovered", "completed", by="place", measure="proportion", within="period"
    )
    assert "SYNTHETIC" in _text(
        tables.service_table(res, "place", "Recovery", "Recovered", "Completed")
    )


def test_rate_chart_alt_text_gives_the_numbers_and_names_hidden_groups(by_ethnicity) -> None:
    chart = charts.rate_chart(by_ethnicity, "stillbirth", "ethnic_group")
    assert "overall value" in chart.alt_text and "Black" in chart.alt_text
    assert "Not shown because of small numbers" in chart.alt_text
    black = chart.data[chart.data["ethnic_group"] == "Black"].iloc[0]
    assert black["events"] in ("<5", "<10") and np.isnan(black["value"])
    bundle = figure_bundle(*chart)
    assert 'role="img"' in bundle.html() and "aria-label" in bundle.html()


def test_trend_and_gradient_charts(births, by_ethnicity) -> None:
    trend = charts.trend_chart(by_ethnicity, "stillbirth", "ethnic_group")
    assert "2024-25" in trend.alt_text
    by_q = maternity.maternity_indicators(
        births, "imd_quintile", measures=["stillbirth"], pooled=True
    )
    grad = maternity.gradient_by_quintile(by_q, method="analytic")  # exact: for analysts
    label = maternity.pooled_label(births["year"])
    chart = charts.gradient_chart(by_q, grad, "stillbirth", year=label)
    g = grad[grad["year"] == label].iloc[0]
    if not np.isnan(g["sii"]):
        line = chart.figure.data[1]
        assert list(line.y) == pytest.approx(
            [g["fitted_most_deprived"], g["fitted_least_deprived"]]
        )
        assert "slope index of inequality" in chart.alt_text
    assert chart.data["population_midpoint"].between(0, 1).all()


def test_chapter_embeds_only_labels_that_exist_in_the_notebook() -> None:
    text = CHAPTER.read_text()
    assert text.startswith("# Maternity and service inequalities")
    targets = re.findall(r"\{\{< embed (\S+)#(\S+) >\}\}", text)
    assert targets and {nb for nb, _ in targets} == {"notebooks/maternity.ipynb"}
    labels = set(labelled_cells(NOTEBOOK))
    assert [lab for _, lab in targets if lab not in labels] == []
    assert any(lab.startswith("tbl-svc-") for _, lab in targets)
    assert any(lab.startswith("fig-svc-") for _, lab in targets)


def test_notebook_parameters_and_labels() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])][0].source
    for name in (
        "org",
        "period",
        "data_dir",
        "output_dir",
        "suppression_policy",
        "previous_releases",
        "disclosure_dir",
        "disclosure_costs",
        "imd_quintiles",
        "reference_ethnicity",
        "reference_quintile",
    ):
        assert re.search(rf"^{name} = ", params, flags=re.M), name
    labels = labelled_cells(NOTEBOOK)
    assert all(re.match(r"^(tbl|fig|txt)-(mat|svc)-", lab) for lab in labels)
    assert {
        "tbl-mat-stillbirth-heat",
        "fig-mat-stillbirth-gradient",
        "tbl-svc-place",
        "fig-svc-gradient",
        "tbl-mat-data-quality",
        "tbl-mat-withheld",
        "txt-mat-withheld",
    } <= set(labels)


def test_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(Path(NOTEBOOK), as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


# -- service indicator section (service_activity input) -----------------------------------
def _service(**extra) -> inequalities.ServiceSection:
    rows = [("2025-26", "Recovery", p, q, 40 + 5 * q, 100) for p in ("X", "Y") for q in range(1, 6)]
    data = pd.DataFrame(
        rows, columns=["period", "indicator", "place", "imd_quintile", "numerator", "denominator"]
    ).assign(measure="proportion", multiplier=1.0, **extra)
    return inequalities.service_section(data, sii_method="analytic")


def test_service_section_tables_and_charts_use_the_file_and_label_synthetic_data() -> None:
    real = _service()
    text = _text(tables.service_section_table(real, "place"))
    assert "Recovery" in text and "2025-26" in text and "SYNTHETIC" not in text
    assert "SYNTHETIC" in _text(tables.service_section_table(_service(data_label="SYNTHETIC"),
                                                             "place"))  # fmt: skip
    imd = _text(tables.service_section_table(real, "imd_quintile"))
    assert maternity.QUINTILE_LABELS[1] in imd and maternity.QUINTILE_LABELS[5] in imd
    chart = charts.service_section_chart(real, "place")
    assert "Recovery, 2025-26" in chart.alt_text and "SYNTHETIC" not in chart.alt_text
    grad = charts.service_gradient_chart(real)
    assert "most deprived minus least deprived" in grad.alt_text
    figure_bundle(*grad)


def test_service_outputs_say_when_no_file_or_column_was_supplied() -> None:
    empty = inequalities.service_section(None)
    assert "No service activity file was supplied" in _text(
        tables.service_section_table(empty, "place")
    )
    chart = charts.service_section_chart(empty, "place")
    assert "No service activity file was supplied" in chart.alt_text
    assert "No service activity file" in charts.service_gradient_chart(empty).alt_text
    figure_bundle(*chart)
    real = _service()
    assert "no ethnic group column" in _text(tables.service_section_table(real, "ethnic_group"))


def test_service_by_ethnic_group_is_tabled_and_charted_when_the_file_has_it() -> None:
    rows = [("2025-26", "Recovery", g, n, 100) for g, n in (("Asian", 40), ("White", 55),
                                                            ("Black", 3))]
    data = pd.DataFrame(rows, columns=["period", "indicator", "ethnic_group", "numerator",
                                       "denominator"]).assign(measure="proportion")
    section = inequalities.service_section(data, sii_method="analytic")
    release = Release("standard")
    inequalities.declare_service(release, section)
    release.protect()
    section = inequalities.publish_service(release, section, sii_method="analytic")
    text = _text(tables.service_section_table(section, "ethnic_group"))
    assert "Asian" in text and "White" in text and "Black" in text
    assert "55.0%" in text and "32.7%" in text  # White, and everyone (98 of 300)
    # Black (3 people) is hidden with its percentage, and Asian too: All less White
    # would otherwise give Black's 3 back
    assert "3.0%" not in text and "40.0%" not in text
    assert "&lt;5" in text or "&lt;10" in text
    chart = charts.service_section_chart(section, "ethnic_group")
    assert "Recovery, 2025-26" in chart.alt_text
    figure_bundle(*chart)


def test_notebook_shows_the_service_indicator_by_ethnic_group() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert 'service_section_table(service, "ethnic_group"' in code


def test_notebook_declares_the_service_parameters_and_reads_the_input() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])][0].source
    assert re.search(r"^service_indicator = None ", params, flags=re.M)
    assert re.search(r"^service_period = None ", params, flags=re.M)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert 'org_files["service_activity"]' in code
    assert "demo_service_activity" not in code


def test_a_share_whose_total_is_withheld_is_shown_withheld_not_as_none() -> None:
    """When a year's total is hidden, a shown count's share cannot be published: the
    table prints the withheld symbol there, never "None" (found in the QK1 report)."""
    from edi_analysis.report.maternity_tables import data_quality_table

    dq = pd.DataFrame({
        "year": ["2025-26"] * 3, "item": ["All birth records", "No signs of life", "T"],
        "count": [np.nan, 0.0, np.nan], "count_symbol": ["*", "", "<5"],
        "share_pct": [np.nan, np.nan, np.nan], "treatment": ["Reported", "Excluded", "X"]})
    html = data_quality_table(dq).as_raw_html()
    assert "None" not in html and "nan" not in html
    cells = [c.strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", html)]
    assert cells[:3] == ["*", "*", "Reported"]
    assert cells[3:6] == ["0", "*", "Excluded"]
    assert cells[6:8] == ["&lt;5", "&lt;5"]
