"""mgz-sim check: offered load against capacity per service (rho), overload flags, M/M/c."""

from __future__ import annotations

import argparse

from sim.errors import RunError


def add_parser(sub: argparse._SubParsersAction) -> None:
    ck = sub.add_parser("check", help="offered load vs capacity per service (rho), overload flags, M/M/c comparison",
                        description="A 4-week pilot run; per service the offered load against the staff on duty "
                                    "(rho), a flag for rho >= 1, and the simulated wait beside the M/M/c "
                                    "approximation. Exit code 1 if any service is overloaded.")
    ck.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    ck.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the printed check (default en)")


def run(args: argparse.Namespace) -> int:
    from sim.analysis.check import check, pilot
    from sim.experiments.executor import run_tasks
    from sim.experiments.runner import run_replication
    from sim.present.printed import check_text
    from sim.scenario.loading import load_scenario
    sc = load_scenario(args.scenario)
    (outcome,) = run_tasks(run_replication, [("pilot", (pilot(sc), 0))], quiet=True)  # the one executor, inline
    if outcome.error is not None:
        raise RunError(f"the pilot run of '{sc.scenario}' failed: {outcome.error}")
    rows = check(outcome.value.tables, sc)  # "unused" judged on what sc expects over its weeks, not the pilot
    print(check_text(sc, rows, args.lang))
    return 1 if any(r["flag"] == "OVERLOADED" for r in rows) else 0
