"""mgz-sim sensitivity: global sensitivity indices (Morris or Sobol)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.answer import build_report
from sim.cli.options import experiment_options, worker_count


def add_parser(sub: argparse._SubParsersAction) -> None:
    se = sub.add_parser("sensitivity", help="global sensitivity indices (Morris or Sobol, SALib)",
                        description="Morris elementary effects or Sobol indices of the sweep file's kpis to its "
                                    "parameters (which need low/high bounds).")
    se.add_argument("sweep", type=Path, help="sweep file with method, kpis and bounded parameters")
    experiment_options(se, "results/sensitivity")


def run(args: argparse.Namespace) -> int:
    import pandas as pd  # only this command needs it here

    from sim.experiments.sensitivity import run_sensitivity
    from sim.present.printed import sensitivity_text
    folder, indices = run_sensitivity(args.sweep, args.out, worker_count(args), args.dask, args.quiet)
    build_report(folder, args.lang)
    answers = folder / "answers.parquet"
    verdicts = pd.read_parquet(answers) if answers.exists() else None
    print(folder if args.quiet else sensitivity_text(indices, verdicts, folder, args.lang))
    return 0
