"""Small staff-record frames shared by several test modules."""

from __future__ import annotations

import pandas as pd


def clustered_staff() -> pd.DataFrame:
    """Clinical staff in Bands 4-7 whose White Band 6 (3) a cluster table gives away.

    White: Band 4 10, Band 5 20, Band 6 3, Band 7 30; Asian (BME): 10, 20, 25, 30. White
    Band 6 is hidden in WRES 1; inside the per-band table its partner cells are in Band 4
    (another cluster), so the seed cluster "Band 5-7" (White 53) less Bands 5 and 7 gives
    it back when the tables are protected apart.
    """
    spec = [("Band 4", "A", 10), ("Band 4", "H", 10), ("Band 5", "A", 20),
            ("Band 5", "H", 20), ("Band 6", "A", 3), ("Band 6", "H", 25),
            ("Band 7", "A", 30), ("Band 7", "H", 30)]
    return pd.DataFrame({
        "pay_band": [b for b, _, k in spec for _ in range(k)],
        "ethnic_category": [c for _, c, k in spec for _ in range(k)],
        "staff_group": "Nursing and Midwifery Registered",
    })
