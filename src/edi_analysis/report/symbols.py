"""What a table cell or chart shows for a figure that disclosure control hid: one place.

Disclosure control (:mod:`edi_analysis.disclosure`) decides which counts are hidden and
gives each hidden count its symbol (``"<5"``: 1 to 4; ``"*"``: hidden to protect
another). The report then has three kinds of cell to fill:

* a **count** that is hidden shows *its own* symbol, from its ``*_symbol`` column;
* a **figure worked out from counts** (a percentage, likelihood, ratio, interval or
  difference) that is blank because one of its counts is hidden shows
  :func:`derived_mark` (the policy's "hidden" symbol, ``"*"``): never the symbol of
  another cell, since a "<5" beside a percentage of 27 staff, or beside a count of 31,
  states something false;
* a **word** (an assessment such as "Under-represented") of a hidden figure reads
  :data:`NOT_ASSESSED`.

Charts mark a hidden value where its mark would be with :func:`hidden_words` ("not
shown (fewer than 5)"), so an empty place never reads as zero or as missing data.
"""

from __future__ import annotations

import math

from edi_analysis.disclosure import get_policy
from edi_analysis.disclosure.policy import POLICIES, SuppressionPolicy

__all__ = [
    "NOT_APPLICABLE",
    "NOT_ASSESSED",
    "cell_symbol",
    "derived_mark",
    "derived_note",
    "hidden_words",
    "is_blank",
]

#: No figure exists (not applicable, no result): not a hidden figure.
NOT_APPLICABLE = "–"
#: An assessment (a word) whose figures are hidden.
NOT_ASSESSED = "not assessed"


def _policy(policy: str | SuppressionPolicy) -> SuppressionPolicy:
    """A policy from itself, its name, or its primary symbol (tables that are passed
    only ``policy.symbol``, e.g. "<5", find the preset policy that uses it)."""
    if isinstance(policy, SuppressionPolicy):
        return policy
    if policy in POLICIES:
        return get_policy(policy)
    for preset in POLICIES.values():
        if preset.symbol == policy:
            return preset
    raise ValueError(f"{policy!r} is neither a disclosure policy nor a policy's symbol; "
                     f"policies: {sorted(POLICIES)}.")


def is_blank(value: object) -> bool:
    """True for None, NaN and pandas' missing values."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def derived_mark(policy: str | SuppressionPolicy) -> str:
    """The mark of a figure not shown because a count it is worked out from is hidden.

    Parameters
    ----------
    policy : str or SuppressionPolicy
        A policy, its name, or its primary symbol (``"<5"`` finds ``standard``).

    Returns
    -------
    str
        The policy's symbol for a cell hidden to protect another (``"*"`` in every
        preset policy): it says "hidden", and nothing about the figure's size.
    """
    return _policy(policy).complement_symbol


def cell_symbol(symbol: object, policy: str | SuppressionPolicy) -> str:
    """The symbol a hidden count shows: its own, or the policy's "hidden" mark.

    Parameters
    ----------
    symbol : str or None
        The count's ``*_symbol`` value from the published table.
    policy : str or SuppressionPolicy

    Returns
    -------
    str
        ``symbol`` when it is one, else :func:`derived_mark` (a count hidden with no
        symbol recorded is still hidden).
    """
    if isinstance(symbol, str) and symbol.strip():
        return symbol
    return derived_mark(policy)


def hidden_words(symbol: object, policy: str | SuppressionPolicy,
                 unit: str = "") -> str:
    """A hidden value in words, for a chart label: "not shown (fewer than 5)".

    Parameters
    ----------
    symbol : str or None
        The hidden count's symbol (None or "" for a figure worked out from hidden
        counts).
    policy : str or SuppressionPolicy
    unit : str, optional
        What is counted ("responses"), appended to a "fewer than" range.

    Returns
    -------
    str
        "not shown (fewer than k [unit])" for a range symbol ``"<k"`` or a policy's
        primary symbol with a count rule; "not shown (to protect a small number)"
        otherwise.
    """
    pol = _policy(policy)
    text = symbol.strip() if isinstance(symbol, str) else ""
    tail = f" {unit}" if unit else ""
    if text.startswith("<") and text[1:].strip().isdigit():
        return f"not shown (fewer than {int(text[1:].strip())}{tail})"
    if text and text == pol.symbol and pol.symbol != pol.complement_symbol:
        if pol.min_count:
            return f"not shown (fewer than {pol.min_count}{tail})"
        return f"not shown ({pol.symbol.lower()})"
    if text and text == pol.symbol and pol.min_count:
        return f"not shown (fewer than {pol.min_count}{tail}, or to protect a small number)"
    return "not shown (to protect a small number)"


def derived_note(policy: str | SuppressionPolicy) -> str:
    """The sentence under a table that uses :func:`derived_mark` for derived figures."""
    return (f"{derived_mark(policy)} also marks a percentage, ratio, interval or difference "
            "that is not shown because a count it is worked out from is hidden; "
            f"'{NOT_ASSESSED}': its assessment is not shown for the same reason.")
