"""mgz-sim impact: what a new or changed location does to its practice and the HAP."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.answer import answer
from sim.cli.options import experiment_options, override_options, overrides_of, replications, worker_count


def add_parser(sub: argparse._SubParsersAction) -> None:
    im = sub.add_parser("impact", help="what a new (or changed) location does to its practice and the HAP",
                        description="Run the region with and without new or changed locations on common random "
                                    "numbers, and with a voorwacht or a compact behandelteam for them; print a "
                                    "one-page summary and write impact.html.")
    im.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    im.add_argument("--add-location", action="append", default=[], metavar="SPEC",
                    help="key=value list, e.g. residents=24,kind=kleinschalig,sector=VV,gp=P1 (gp: its "
                         "practice; gp=P1:0.6/P2:0.4 spreads the residents over practices), or a YAML file "
                         "with one or more locations; repeatable")
    im.add_argument("--change-location", action="append", default=[], metavar="ID:SPEC",
                    help="change an existing location, e.g. L05:behandeling=true,behandeldienst=BD-VV, or close it: "
                         "L05:opheffen (or L05:remove); repeatable")
    im.add_argument("--replications", "-r", type=replications, default=10,
                    help="replications on common random numbers (default 10)")
    im.add_argument("--region", default=None,
                    help="for a country file (configs/nederland.yaml): the region the locations are in, by its "
                         "file's name (e.g. groningen-1); the other regions do not change")
    override_options(im)
    experiment_options(im, "results/impact")


def run(args: argparse.Namespace) -> int:
    from sim.experiments.impact import run_impact
    from sim.present.decisions import impact_text
    from sim.present.report import scenario_of
    from sim.scenario.country import is_country_file, load_region
    # a country: the question is about one region; the other regions are the same either way
    region = load_region(args.scenario, args.region, overrides_of(args)) if is_country_file(args.scenario) else None
    result = run_impact(args.scenario, args.add_location, args.change_location, args.replications, args.out,
                        worker_count(args), args.dask, args.quiet, overrides_of(args), base=region)
    folder = Path(result["folder"])
    return answer(folder, "impact.txt", impact_text(result, args.lang, scenario_of(folder)), args)
