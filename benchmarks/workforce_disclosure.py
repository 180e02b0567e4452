"""Time publishing the workforce tables and re-checking them together (audit rule 6).

Usage: python benchmarks/workforce_disclosure.py [--orgs QK1,QHM,QWO] [--clusters seed,band]

For each demo ICB and pay band cluster preset, prints the seconds to publish the workforce
section with WRES 1 and WDES 1 (all joint protection included), the seconds
:func:`edi_analysis.workforce_disclosure.check_tables` takes on the published CSV text, the
number of count cells in the system, how many are hidden, and what the check found.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", default="QK1,QHM,QWO")
    parser.add_argument("--clusters", default="seed,wdes,band")
    parser.add_argument("--policy", default="standard")
    args = parser.parse_args()

    from edi_analysis import wdes, workforce
    from edi_analysis import workforce_disclosure as wd
    from edi_analysis.inputs import org_inputs

    print(f"{'org':<5}{'clusters':<9}{'staff':>6}{'publish s':>11}{'check s':>9}"
          f"{'cells':>7}{'hidden':>8}{'found':>7}{'unmodelled':>12}")
    for org in args.orgs.split(","):
        inputs = org_inputs(org, "2025-26", None)
        staff = inputs["staff_records"]
        for clusters in args.clusters.split(","):
            t0 = time.perf_counter()
            section = workforce.build_section(staff, org, clusters=clusters,
                                              policy=args.policy,
                                              previous=inputs.get("previous_staff_records"))
            wres_1, wdes_1 = wdes.published_indicator_1_tables(staff, section, args.policy)
            t1 = time.perf_counter()
            frames = section.tables()
            frames["wres_indicator_1"] = wres_1
            frames["wdes_metric_1"] = wdes_1
            result = wd.check_tables(wd.as_published(frames), staff, args.policy, clusters)
            t2 = time.perf_counter()
            figs = result.figures
            print(f"{org:<5}{clusters:<9}{len(staff):>6}{t1 - t0:>11.1f}{t2 - t1:>9.2f}"
                  f"{len(figs):>7}{int(figs['hidden'].sum()):>8}{len(result.disclosive):>7}"
                  f"{len(result.unmodelled):>12}")


if __name__ == "__main__":
    main()
