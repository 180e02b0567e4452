"""Time one organisation's report build, split into notebook execution and rendering.

Usage: python benchmarks/build_time.py [--org QK1] [--period 2025-26] [--repeat 1]

Prints one line per notebook and the render time. Builds into a temporary folder, so the
published demo report is not touched.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", default="QK1")
    parser.add_argument("--period", default="2025-26")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--renderer", default="auto")
    args = parser.parse_args()

    from edi_analysis.geography import resolve_org
    from edi_analysis.pipeline import RunConfig, build_report

    org = resolve_org(args.org)
    print(f"edi-report build benchmark: {org.name}, {args.period}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            config = RunConfig(org=org.nhs_code, org_name=org.name, period=args.period,
                               output_dir=str(Path(tmp) / "out"),
                               renderer=args.renderer)
            started = time.perf_counter()
            result = build_report(config, build_root=Path(tmp) / "build")
            total = time.perf_counter() - started
        print(f"run {i + 1}: total {total:6.1f} s = execute {result.seconds_execute:6.1f} s "
              f"+ render {result.seconds_render:6.1f} s + audit {result.seconds_audit:5.1f} s "
              f"({result.renderer}"
              f"{', with PDF' if result.pdf else ', no PDF'})")
        for name, seconds in result.seconds_by_notebook.items():
            print(f"    execute {name:<14}{seconds:6.1f} s")


if __name__ == "__main__":
    main()
