"""mgz-sim warmup: KPIs week by week per replication, to choose the warm-up."""

from __future__ import annotations

import argparse

from sim.cli.answer import build_report
from sim.cli.options import experiment_options, positive, replications, worker_count


def add_parser(sub: argparse._SubParsersAction) -> None:
    wu = sub.add_parser("warmup", help="plot KPIs week by week per replication, to choose the warm-up",
                        description="Run without warm-up and plot weekly series per replication (Welch's method).")
    wu.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    wu.add_argument("--replications", "-r", type=replications, default=5,
                    help="replications, each one line in the plot (default 5)")
    wu.add_argument("--weeks", type=positive, default=12, help="weeks to simulate without warm-up (default 12)")
    experiment_options(wu, "results/warmup")


def run(args: argparse.Namespace) -> int:
    import pandas as pd  # only this command needs it here

    from sim.experiments.output import inside
    from sim.experiments.warmup import run_warmup
    from sim.present.printed import warmup_text
    from sim.scenario.loading import load_scenario
    # validated like any run: the weeks asked for, from an empty start
    sc = load_scenario(args.scenario, {"region.weeks": args.weeks, "region.warmup_weeks": 0})
    folder = run_warmup(sc, args.replications, args.weeks, inside(args.out, args.out / sc.scenario), worker_count(args),
                        args.quiet)
    build_report(folder, args.lang, sc)
    print(folder if args.quiet else warmup_text(pd.read_parquet(folder / "warmup.parquet"), folder, args.lang))
    return 0
