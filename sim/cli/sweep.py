"""mgz-sim sweep: a sweep file: parameters over a design x replications."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.answer import build_report
from sim.cli.options import experiment_options, worker_count


def add_parser(sub: argparse._SubParsersAction) -> None:
    sw = sub.add_parser("sweep", help="vary parameters over a design x replications (resumable, parallel)",
                        description="Run a sweep file: a base scenario, parameters by path (lists, ranges, grid, "
                                    "Latin hypercube or Sobol design) x replications. Results: one tidy Parquet "
                                    "table; an interrupted sweep resumes when run again.")
    sw.add_argument("sweep", type=Path, help="sweep file (configs/sweeps/*.yaml)")
    experiment_options(sw, "results/sweeps")


def run(args: argparse.Namespace) -> int:
    from sim.experiments.country_experiments import is_country_sweep, run_country_sweep
    from sim.experiments.sweep import run_sweep
    run = run_country_sweep if is_country_sweep(args.sweep) else run_sweep  # a country's base: every region
    folder, table, failures = run(args.sweep, args.out, worker_count(args), args.dask, args.quiet)
    if len(table):
        build_report(folder, args.lang)
    if args.quiet:
        print(folder)
    else:
        import pandas as pd  # only this command needs it here

        from sim.present.printed import sweep_text
        runs = table[["point", "replication"]].drop_duplicates().shape[0] if len(table) else 0
        points = pd.read_parquet(folder / "points.parquet") if len(table) else pd.DataFrame(columns=["point", "kpi"])
        print(sweep_text(points, runs, len(failures), folder, args.lang))
    return 1 if failures else 0
