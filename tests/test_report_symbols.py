"""Tests for edi_analysis.report.symbols and the tables and charts that use it (issue 13).

A hidden count shows its own symbol; a figure worked out from hidden counts shows the
policy's "hidden" mark, never the symbol of another cell; a chart marks each hidden value
in words where its mark would be.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from edi_analysis.report import symbols
from edi_analysis.report import workforce_tables as tables


def _text(table) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table.as_raw_html())))


def test_derived_mark_is_the_policy_hidden_symbol_found_by_name_object_or_symbol() -> None:
    assert symbols.derived_mark("standard") == "*"
    assert symbols.derived_mark("<5") == "*"  # tables passed policy.symbol only
    assert symbols.derived_mark("nhs_digital") == "*"
    with pytest.raises(ValueError, match="neither a disclosure policy"):
        symbols.derived_mark("<7")


def test_cell_symbol_is_the_cells_own_symbol() -> None:
    assert symbols.cell_symbol("<10", "standard") == "<10"
    assert symbols.cell_symbol("", "standard") == "*"
    assert symbols.cell_symbol(np.nan, "standard") == "*"


def test_hidden_words_say_what_the_symbol_means() -> None:
    assert symbols.hidden_words("<5", "standard") == "not shown (fewer than 5)"
    assert symbols.hidden_words("<10", "standard", "staff") == "not shown (fewer than 10 staff)"
    assert symbols.hidden_words("*", "standard") == "not shown (to protect a small number)"
    assert symbols.hidden_words(None, "standard") == "not shown (to protect a small number)"
    assert symbols.hidden_words("*", "nhs_digital") == (
        "not shown (fewer than 8, or to protect a small number)")


def test_band_table_share_of_a_shown_count_is_marked_hidden_not_small() -> None:
    # Band 8a: 27 White of 46, BME hidden to protect the <5 not stated: the White share
    # cannot be shown (it would give BME away), and it must not read "<5" (issue 13)
    wres_1 = pd.DataFrame({
        "band": ["Band 8a"], "workforce": ["Non-clinical"], "White": [27.0],
        "BME": [np.nan], "Not stated": [np.nan], "total": [46.0], "White_share": [np.nan],
        "BME_share": [np.nan], "White_symbol": [""], "BME_symbol": ["*"],
        "Not stated_symbol": ["<5"], "total_symbol": [""], "suppressed": [True]})
    text = _text(tables.band_table(wres_1, ["White", "BME"], "Not stated", "<5",
                                   ["Source: x", "Disclosure: y"]))
    cells = re.search(r"Band 8a (.*?) Source", text).group(1).split()
    assert cells == ["27", "*", "<5", "46", "*", "*"]
    assert "not shown because a count it is worked out from is hidden" in text


def test_indicator_table_assessment_of_hidden_counts_is_words_not_a_count_symbol() -> None:
    # WRES 3: a BME count of 1 to 4 is hidden; the likelihoods, ratio, interval and
    # assessment are worked out from it
    row = {"standard": "WRES", "indicator": "3", "description": "Disciplinary",
           "breakdown": "Overall", "reference": "BME", "comparison": "White",
           "numerator_a": np.nan, "denominator_a": 108.0, "numerator_b": 5.0,
           "denominator_b": 184.0, "value_a": np.nan, "value_b": np.nan, "value": np.nan,
           "lower": np.nan, "upper": np.nan, "unit": "ratio", "non_adverse": pd.NA,
           "available": True, "note": "", "symbol": "<5", "suppressed": True}
    text = _text(tables.indicator_table(pd.DataFrame([row]), ["Source: x", "Key"], "<5"))
    assert "<5" not in text.split("Source")[0]
    assert "not assessed" in text
    assert text.count(" * ") >= 4  # a, b, value, interval


def test_representation_table_count_keeps_its_symbol_and_derived_cells_the_mark() -> None:
    rep = pd.DataFrame({
        "characteristic": ["disability"] * 2, "category": ["Disabled", "Not disabled"],
        "workforce_n": [np.nan, 260.0], "workforce_base": [291.0, 291.0],
        "workforce_share": [np.nan, 0.893], "lower": [np.nan, 0.853],
        "upper": [np.nan, 0.924], "population_share": [0.186, 0.814],
        "difference_pts": [np.nan, 7.9], "representation_ratio": [np.nan, 1.1],
        "flag": [None, "Over-represented"], "compared": [True, True],
        "suppressed": [True, False], "symbol": ["<10", ""]})
    text = _text(tables.representation_table(rep, "<5", ["Source: x", "Key"]))
    disabled = re.search(r"Disabled (.*?) Not disabled", text).group(1).split()
    assert disabled[:3] == ["<10", "*", "*"]
    assert "not assessed" in text.split("Not disabled")[0]


def test_workforce_interval_labels_follow_the_confidence_level() -> None:
    from edi_analysis.report import workforce_charts as charts

    rep = pd.DataFrame({
        "characteristic": ["sex"] * 2, "category": ["Female", "Male"],
        "workforce_n": [200.0, 100.0], "workforce_base": [300.0, 300.0],
        "workforce_share": [0.667, 0.333], "lower": [0.6, 0.27], "upper": [0.73, 0.4],
        "population_share": [0.51, 0.49], "difference_pts": [15.7, -15.7],
        "representation_ratio": [1.31, 0.68], "flag": ["Over", "Under"],
        "compared": [True, True], "suppressed": [False, False], "symbol": ["", ""]})
    chart = charts.representation_chart(rep, "<5", confidence=0.998)
    assert "99.8% interval" in chart.data.columns
    assert "with 99.8% intervals" in chart.alt_text and "95%" not in chart.alt_text
    row = {"standard": "WRES", "indicator": "2", "description": "Appointed",
           "breakdown": "Overall", "reference": "White", "comparison": "BME",
           "value_a": 0.19, "value_b": 0.16, "value": 1.15, "lower": 0.8, "upper": 1.6,
           "unit": "ratio", "non_adverse": True, "available": True, "note": "",
           "symbol": "", "suppressed": False}
    text = _text(tables.indicator_table(pd.DataFrame([row]), ["Key"], "<5", 0.998))
    assert "99.8% interval" in text and "95% interval" not in text
