"""great-tables builders for the report's overview and methods sections."""

from __future__ import annotations

import pandas as pd
from great_tables import GT

from edi_analysis.report.theme import style_table

__all__ = ["population_profile_table", "data_sources_table"]


def population_profile_table(profile: pd.DataFrame, org_name: str) -> GT:
    """Return the population context table (Census 2021 counts and shares by characteristic).

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`edi_analysis.overview.population_profile`.
    org_name : str
        Organisation name for the source note.
    """
    bases = "; ".join(
        f"{c}: {b}" for c, b in profile.groupby("characteristic", sort=False)["base"].first()
        .items()
    )
    table = (
        GT(profile[["characteristic", "category", "count", "share"]],
           rowname_col="category", groupname_col="characteristic")
        .cols_label(count="Residents", share="% of residents")
        .fmt_integer(columns="count")
        .fmt_percent(columns="share", decimals=1)
    )
    return style_table(table, [
        f"Source: Census 2021, Office for National Statistics, for the area of {org_name}. "
        "Contains public sector information licensed under the Open Government Licence v3.0.",
        f"Population bases: {bases}. Counts carry ONS cell-key perturbation.",
    ])


def data_sources_table(sources: pd.DataFrame) -> GT:
    """Return the data sources table for the methods section."""
    table = GT(sources).cols_label(
        source="Data", publisher="Publisher", used_for="Used for", licence="Licence"
    )
    return style_table(table)
