"""mgz-sim staff: the smallest roster of a service that meets targets."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.answer import answer
from sim.cli.options import experiment_options, int_at_least, override_options, overrides_of, replications, worker_count


def add_parser(sub: argparse._SubParsersAction) -> None:
    st = sub.add_parser("staff", help="the smallest roster of a service that meets targets",
                        description="Find the smallest capacity per roster block that meets every --target with "
                                    "the stated confidence, on common random numbers; prints the curve of the "
                                    "target KPIs against staff and writes staff.html.")
    st.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    st.add_argument("--service", required=True,
                    help="hap.doctors, hap.cars or hap.triage (one spoedpost), spoedposten[ID].doctors / .cars / "
                         ".triage, practices[ID], behandeldiensten[ID] or services[ID]")
    st.add_argument("--target", action="append", default=[],
                    help="e.g. 'U2 p90 response <= 60 min', 'utilisation <= 0.85', 'U4 within norm >= 95%%' "
                         "(repeatable; all must hold)")
    st.add_argument("--confidence", type=float, default=0.95, help="one-sided confidence for targets (default 0.95)")
    st.add_argument("--replications", "-r", type=replications, default=5,
                    help="replications per roster evaluated (default 5)")
    st.add_argument("--uniform-only", action="store_true", help="change every block by the same amount only")
    st.add_argument("--max-extra", type=int_at_least(1, 1_000), default=8, help="most staff added per block (default 8)")
    override_options(st)
    experiment_options(st, "results/staff")


def run(args: argparse.Namespace) -> int:
    from sim.experiments.staffing import run_staffing
    from sim.present.decisions import staff_text
    from sim.present.report import scenario_of
    result = run_staffing(args.scenario, args.service, args.target, args.replications, args.confidence, args.out,
                          worker_count(args), args.dask, args.quiet, not args.uniform_only, args.max_extra,
                          overrides_of(args))
    folder = Path(result["folder"])
    return answer(folder, "staff.txt", staff_text(result, args.lang, scenario_of(folder)), args)
