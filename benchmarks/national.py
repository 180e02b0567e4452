"""Time splitting national files into per-organisation inputs, against reading them whole.

Generates a SYNTHETIC national staff extract (every ICB's demo staff, repeated with new
employee ids up to the size asked for, with an ``Org Code`` column) and national birth
records (every ICB's demo births, by LSOA of residence), then prints:

* the time and peak memory of ``split_national`` (read once, split by organisation);
* the time for one organisation's build to read its own slice (after the split) and the
  naive way (read the national file, keep the organisation's rows), at two national
  sizes: the slice's time should not grow with the national file, the naive way's does.

Usage::

    python benchmarks/national.py                 # 150,000 and 1,500,000 staff rows
    python benchmarks/national.py --sizes 50000   # quicker
"""

from __future__ import annotations

import argparse
import platform
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _national_staff(rows: int) -> pd.DataFrame:
    from edi_analysis import demo
    from edi_analysis.geography import icb_table

    codes = list(icb_table()["icb24_code_nhs"])
    per_org = [demo.demo_staff_records(code).drop(columns=["data_label"]) for code in codes]
    base = pd.concat([f.assign(**{"Org Code": c}) for f, c in zip(per_org, codes, strict=True)],
                     ignore_index=True)
    reps = int(np.ceil(rows / len(base)))
    out = pd.concat([base] * reps, ignore_index=True).iloc[:rows].copy()
    out["employee_id"] = [f"N{i:08d}" for i in range(len(out))]
    return out


def _national_births(scale: float) -> pd.DataFrame:
    from edi_analysis import demo
    from edi_analysis.geography import icb_table

    frames = [demo.demo_births(code, scale=scale).drop(columns=["data_label"])
              for code in icb_table()["icb24_code_nhs"]]
    return pd.concat(frames, ignore_index=True)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150_000, 1_500_000],
                        help="national staff rows to generate (default 150,000 and 1,500,000)")
    parser.add_argument("--births-scale", type=float, default=0.2,
                        help="scale of each ICB's demo births (default 0.2)")
    parser.add_argument("--org", default="QK1", help="organisation whose slice is read")
    args = parser.parse_args()

    from edi_analysis.national import split_national

    print(f"national split benchmark on {platform.node()} ({platform.processor() or '?'}), "
          f"{__import__('os').cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        births = _national_births(args.births_scale)
        births_path = tmp / "births.parquet"
        births.to_parquet(births_path)
        for rows in args.sizes:
            staff = _national_staff(rows)
            staff_path = tmp / f"staff_{rows}.csv"
            staff.to_csv(staff_path, index=False)
            size_mb = staff_path.stat().st_size / 1e6
            out = tmp / f"out_{rows}"
            t0 = time.perf_counter()
            summary = split_national({"staff_records": staff_path, "births": births_path}, out)
            split_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            mine = pd.read_csv(out / args.org / "staff_records.csv")
            slice_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            whole = pd.read_csv(staff_path)
            naive = whole[whole["Org Code"] == args.org]
            naive_s = time.perf_counter() - t0
            assert len(naive) == len(mine), (len(naive), len(mine))
            print(f"{rows:>10,} staff rows ({size_mb:,.0f} MB) + {len(births):,} births: "
                  f"split {split_s:5.1f} s for {len(summary.rows)} organisations; "
                  f"{args.org} reads its {len(mine):,} rows in {slice_s:.2f} s "
                  f"(naive: whole file then filter, {naive_s:.2f} s); "
                  f"peak memory so far {_peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
