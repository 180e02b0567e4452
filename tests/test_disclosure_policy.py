"""Tests for edi_analysis.disclosure.policy: the printed rules and what they tell a reader.

Ported from the tests of the old ``edi_analysis.suppression`` module: the policy presets,
``get_policy`` and its overrides stay; the per-table suppression functions they also
tested are gone (protection is :meth:`edi_analysis.disclosure.Release.protect`, tested in
``test_disclosure_protect.py`` and the domain tests).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edi_analysis import disclosure
from edi_analysis.disclosure.policy import (
    KIND_DECIMALS,
    POLICIES,
    SuppressionPolicy,
    get_policy,
)


# --------------------------------------------------------------------------------------
# presets
# --------------------------------------------------------------------------------------
def test_presets_have_the_documented_thresholds_and_symbols():
    std = POLICIES["standard"]
    assert (std.min_count, std.max_suppressed, std.symbol, std.complement_symbol,
            std.wide_symbol) == (5, 4, "<5", "*", "<10")
    nhsd = POLICIES["nhs_digital"]
    assert (nhsd.min_count, nhsd.max_suppressed, nhsd.rounding_base, nhsd.symbol,
            nhsd.complement_symbol) == (8, 7, 5, "*", "*")
    u5 = POLICIES["under_5_percent"]
    assert (u5.min_share, u5.symbol, u5.suppress_zeros, u5.min_count) == (
        0.05, "Under 5%", False, None)
    assert (POLICIES["staff_survey"].min_count,
            POLICIES["staff_survey"].survey_min_respondents) == (10, 10)
    assert "fewer than 10 responses" in POLICIES["staff_survey"].key_text
    assert (POLICIES["national_survey"].min_count,
            POLICIES["national_survey"].survey_min_respondents) == (11, 11)
    assert all(p.key_text for p in POLICIES.values())
    assert all(name == p.name for name, p in POLICIES.items())


def test_presets_default_to_one_person_of_protection_and_report_precision():
    for p in POLICIES.values():
        assert p.protection_level == 1
        assert (p.percent_decimals, p.rate_decimals, p.ratio_decimals) == (1, 1, 2)
        assert p.secondary
        assert not p.protect_non_respondents  # NHS Staff Survey practice
        assert not p.survey_strict


def test_the_package_exports_the_policy_api():
    assert disclosure.get_policy is get_policy
    assert disclosure.POLICIES is POLICIES
    assert disclosure.SuppressionPolicy is SuppressionPolicy


# --------------------------------------------------------------------------------------
# get_policy
# --------------------------------------------------------------------------------------
def test_get_policy_overrides_rederive_the_other_threshold():
    p = get_policy("standard", min_count=10)
    assert (p.min_count, p.max_suppressed, p.symbol) == (10, 9, "<5")
    q = get_policy("standard", max_suppressed=7)
    assert (q.min_count, q.max_suppressed) == (8, 7)
    assert get_policy(p) is p
    assert get_policy("NHS_Digital").name == "nhs_digital"
    assert get_policy(" standard ") is POLICIES["standard"]
    assert get_policy() is POLICIES["standard"]
    # the preset itself is untouched
    assert POLICIES["standard"].min_count == 5


def test_get_policy_overrides_other_fields():
    p = get_policy("standard", survey_strict=True, protection_level=2, percent_decimals=0)
    assert (p.survey_strict, p.protection_level, p.percent_decimals) == (True, 2, 0)
    assert p.decimals_for("proportion") == 2


def test_get_policy_rejects_unknown_names_and_fields():
    with pytest.raises(ValueError, match="Unknown suppression policy 'strict'"):
        get_policy("strict")
    with pytest.raises(ValueError, match="Unknown policy field"):
        get_policy("standard", threshold=3)
    with pytest.raises(ValueError, match="must be a name or SuppressionPolicy"):
        get_policy(5)


@pytest.mark.parametrize("kwargs, message", [
    ({"min_count": 5, "max_suppressed": 2}, "max_suppressed"),
    ({"min_count": -1}, "non-negative whole number"),
    ({"min_count": 2.5}, "non-negative whole number"),
    ({"rounding_base": 0}, "rounding_base must be at least 1"),
    ({"min_count": None, "min_share": 1.5}, "min_share must be between 0 and 1"),
    ({"min_count": None}, "hides nothing"),
    ({"protection_level": -1}, "protection_level"),
    ({"percent_decimals": 1.5}, "percent_decimals"),
])
def test_invalid_policies_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SuppressionPolicy("odd", **kwargs)


def test_a_policy_given_one_threshold_derives_the_other():
    assert SuppressionPolicy("a", min_count=None, max_suppressed=9).min_count == 10
    assert SuppressionPolicy("b", min_count=3).max_suppressed == 2
    assert SuppressionPolicy("c", min_count=0, suppress_zeros=True).max_suppressed == 0


# --------------------------------------------------------------------------------------
# primary rules
# --------------------------------------------------------------------------------------
def test_is_small_count_is_one_to_max_suppressed_and_zeros_shown():
    std = POLICIES["standard"]
    got = std.is_small_count(np.array([0, 1, 4, 5, 40]))
    assert got.tolist() == [False, True, True, False, False]
    nhsd = POLICIES["nhs_digital"]
    assert nhsd.is_small_count(np.array([7, 8])).tolist() == [True, False]
    zeros = get_policy("standard", suppress_zeros=True)
    assert zeros.is_small_count(np.array([0, 5])).tolist() == [True, False]
    # 2-d input keeps its shape
    assert std.is_small_count(np.array([[1, 6], [0, 3]])).shape == (2, 2)


def test_is_small_share_uses_the_column_total():
    u5 = POLICIES["under_5_percent"]
    got = u5.is_small_share(np.array([0, 4, 5, 10]), np.array([100, 100, 100, 0]))
    # 0 is never small; 4% is; exactly 5% is shown; an empty total gives no share
    assert got.tolist() == [False, True, False, False]
    assert not POLICIES["standard"].is_small_share(np.array([1]), np.array([100])).any()


# --------------------------------------------------------------------------------------
# rounding
# --------------------------------------------------------------------------------------
def test_round_counts_half_up_to_the_nearest_five():
    nhsd = POLICIES["nhs_digital"]
    got = nhsd.round_counts(np.array([8, 10, 12, 12.5, 13, 17, 22, 23]))
    assert got.tolist() == [10, 10, 10, 15, 15, 15, 20, 25]
    series = nhsd.round_counts(pd.Series([8.0, 13.0], index=["a", "b"]))
    assert isinstance(series, pd.Series)
    assert series.to_dict() == {"a": 10.0, "b": 15.0}
    frame = nhsd.round_counts(pd.DataFrame({"x": [22.0]}))
    assert frame.at[0, "x"] == 20.0
    values = np.array([3, 7])
    assert POLICIES["standard"].round_counts(values) is values


# --------------------------------------------------------------------------------------
# the reader's knowledge: shown and symbol intervals
# --------------------------------------------------------------------------------------
def test_shown_interval_exact_without_rounding():
    assert POLICIES["standard"].shown_interval(17) == (17.0, 17.0)


def test_shown_interval_under_rounding_excludes_hidden_counts():
    nhsd = POLICIES["nhs_digital"]
    assert nhsd.shown_interval(10) == (8.0, 12.0)  # 1 to 7 are hidden, so not 7
    assert nhsd.shown_interval(15) == (13.0, 17.0)
    assert nhsd.shown_interval(0) == (0.0, 0.0)
    # a plain base-5 rounding without a count rule: 3 to 7 for a shown 5
    plain = SuppressionPolicy("plain", min_count=None, min_share=0.5, rounding_base=5)
    assert plain.shown_interval(5) == (3.0, 7.0)


@given(st.integers(min_value=8, max_value=5000))
def test_a_rounded_count_lies_in_the_interval_its_shown_value_states(count):
    nhsd = POLICIES["nhs_digital"]
    shown = float(nhsd.round_counts(np.array([count]))[0])
    lo, hi = nhsd.shown_interval(shown)
    assert lo <= count <= hi


def test_symbol_interval_standard():
    std = POLICIES["standard"]
    assert std.symbol_interval("<5") == (1.0, 4.0)
    assert std.symbol_interval("*") == (5.0, math.inf)
    assert std.symbol_interval("*", upper=40) == (5.0, 40)
    assert std.symbol_interval("<10") == (1.0, 9.0)
    with pytest.raises(ValueError, match="not one of policy 'standard'"):
        std.symbol_interval("?")


def test_symbol_interval_shared_symbol_means_either():
    nhsd = POLICIES["nhs_digital"]
    # "*" marks both a small count and one hidden to protect it
    assert nhsd.symbol_interval("*", upper=120) == (1.0, 120)
    assert nhsd.symbol_interval("*") == (1.0, math.inf)


def test_symbol_interval_zeros_and_share_rules():
    zeros = get_policy("standard", suppress_zeros=True)
    assert zeros.symbol_interval("<5") == (0.0, 4.0)
    u5 = POLICIES["under_5_percent"]
    assert u5.symbol_interval("Under 5%", upper=30) == (1.0, 30)


@given(st.integers(min_value=1, max_value=4))
def test_a_small_count_lies_in_its_symbol_interval(count):
    std = POLICIES["standard"]
    assert std.is_small_count(np.array([count]))[0]
    lo, hi = std.symbol_interval(std.symbol)
    assert lo <= count <= hi


# --------------------------------------------------------------------------------------
# published precision
# --------------------------------------------------------------------------------------
def test_decimals_by_kind():
    std = POLICIES["standard"]
    got = {k: std.decimals_for(k) for k in ("percent", "proportion", "rate", "ratio",
                                            "p_value", "score", "money", "integer", "count")}
    assert got == {"percent": 1, "proportion": 3, "rate": 1, "ratio": 2, "p_value": 3,
                   "score": 2, "money": 2, "integer": 0, "count": 0}
    assert set(KIND_DECIMALS) == {"p_value", "score", "money", "integer", "count",
                                  "percent_whole"}
    assert std.decimals_for("percent_whole") == 0
    finer = get_policy("standard", percent_decimals=2, rate_decimals=2, ratio_decimals=3)
    assert (finer.decimals_for("percent"), finer.decimals_for("proportion"),
            finer.decimals_for("rate"), finer.decimals_for("ratio")) == (2, 4, 2, 3)
    with pytest.raises(ValueError, match="Unknown kind 'odds'"):
        std.decimals_for("odds")
