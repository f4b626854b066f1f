"""mgz-sim compare: two scenarios on common random numbers, with paired differences."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.answer import answer
from sim.cli.options import experiment_options, override_options, overrides_of, replications, worker_count
from sim.errors import ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> None:
    cmp = sub.add_parser("compare", help="two scenarios on common random numbers, with paired differences",
                         description="Run scenarios A and B on the same random numbers and report each KPI's mean "
                                     "with its 95% CI and the paired difference B - A with its CI, significant "
                                     "changes first.")
    cmp.add_argument("a", type=Path, help="scenario A (the reference)")
    cmp.add_argument("b", type=Path, help="scenario B")
    cmp.add_argument("--replications", "-r", type=replications, default=5, help="replications to start with (default 5)")
    cmp.add_argument("--precision", type=float, default=None,
                     help="add replications until the 95%% half-width of the --kpi KPIs is within this fraction "
                          "of their mean, e.g. 0.05")
    cmp.add_argument("--kpi", action="append", default=None,
                     help="KPI for --precision (repeatable; default handled.gp.wlz_per_week and "
                          "hours.physician_per_week)")
    cmp.add_argument("--max-replications", type=replications, default=100, help="cap for --precision (default 100)")
    override_options(cmp)
    experiment_options(cmp, "results/compare")


def run(args: argparse.Namespace) -> int:
    from sim.experiments.compare import run_compare
    from sim.present.changes import compare_text
    from sim.scenario.loading import load_scenario
    overrides = overrides_of(args)
    if args.precision is not None and not 0 < args.precision < 1:
        raise ScenarioError(f"--precision: give a fraction between 0 and 1, e.g. 0.05 (got {args.precision})")
    from sim.scenario.country import is_country_file
    if is_country_file(args.a):  # two countries, region by region (experiments/country_experiments.py)
        from sim.experiments.country_experiments import run_country_compare
        from sim.present.national_compare import country_compare_text
        result = run_country_compare(args.a, args.b, args.replications, args.out, worker_count(args), args.dask,
                                     args.quiet, overrides)
        return answer(Path(result["folder"]), "summary.txt", country_compare_text(result, args.lang), args)
    result = run_compare(args.a, args.b, args.replications, args.out, worker_count(args), args.dask, args.quiet,
                         args.precision, args.kpi, args.max_replications, overrides)
    return answer(Path(result["folder"]), "summary.txt", compare_text(result, args.lang, load_scenario(args.b, overrides)),
                   args)
