"""mgz-sim run: simulate a scenario and write a results folder (the default command)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.answer import build_report
from sim.cli.options import positive, replications, seconds, seed, worker_count, workers_n
from sim.errors import ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> None:
    rn = sub.add_parser("run", help="simulate a scenario (the default command)",
                       description="Simulate a scenario and write a results folder.")
    rn.add_argument("scenario", nargs="?", default=None,
                    help="scenario YAML file, a region's workbook, or a country file listing regions (default: the "
                         "embedded example region)")
    rn.add_argument("--seed", type=seed, help="override region.seed (same seed, same results)")
    rn.add_argument("--replications", "-r", type=replications, default=1,
                    help="independent replications, each with its own random streams (default 1)")
    rn.add_argument("--weeks", type=positive, help="override region.weeks, the measured weeks after warm-up")
    rn.add_argument("--out", type=Path, default=None,
                    help="parent folder for results (default results/<scenario>/); each run gets a new "
                         "timestamped folder inside it")
    rn.add_argument("--quiet", "-q", action="store_true", help="print only the results folder")
    rn.add_argument("--lang", choices=("en", "nl"), default="en", help="language of report.html (default en)")
    rn.add_argument("--wait", type=seconds, default=None, metavar="SECONDS",
                    help="if the same run is already writing to --out, wait at most this long for it "
                         "(default: until it finishes)")
    rn.add_argument("--no-compare", action="store_true",
                    help="for a scenario that extends another: skip running the parent on the same "
                         "random numbers to show what moved")
    rn.add_argument("--workers", "-w", type=workers_n, default=None,
                    help="local worker processes for the replications (default: all cores); results do not "
                         "depend on it")
    rn.add_argument("--dask", metavar="ADDRESS", default=None,
                    help="run the replications on an existing Dask distributed scheduler, e.g. "
                         "tcp://127.0.0.1:8786 (mgz-sim must be installed on its workers)")


def run(args: argparse.Namespace) -> int:
    from sim.experiments.output import atomic_write_text, inside
    from sim.experiments.runner import run_scenario
    from sim.present.summary import render
    from sim.scenario.loading import default_scenario_path, load_scenario, parent_of
    overrides = {}
    if args.seed is not None:
        overrides["region.seed"] = args.seed
    if args.weeks is not None:
        overrides["region.weeks"] = args.weeks
    from sim.scenario.country import is_country_file
    if is_country_file(args.scenario):  # several regions, each its own unit of work (experiments/country.py)
        from sim.present.national_run import run_national
        run_national(Path(args.scenario), overrides, args.replications, args.out, worker_count(args), args.dask,
                     args.quiet, args.lang, args.wait)
        return 0
    sc = load_scenario(args.scenario, overrides)
    parent_path = None if args.no_compare else parent_of(args.scenario)
    parent = None
    if parent_path is not None:
        # same seed, horizon and replications as the child: common random numbers
        parent = load_scenario(parent_path, {"region.seed": sc.region.seed, "region.weeks": sc.region.weeks,
                                             "region.warmup_weeks": sc.region.warmup_weeks})
    # a scenario's name becomes a folder: it must stay inside results/ (or --out)
    out_root = args.out if args.out is not None else inside(Path("results"), Path("results") / sc.scenario)
    if out_root.exists() and not out_root.is_dir():
        raise ScenarioError(f"--out {out_root}: exists and is not a folder")

    def before_rename(partial: Path, summary: dict, folder: Path) -> None:  # so the folder appears whole
        atomic_write_text(partial / "summary.txt", render(sc, summary, str(folder), args.lang) + "\n")
        build_report(partial, args.lang, sc)

    result = run_scenario(sc, args.replications, out_root, quiet=args.quiet,
                          source=str(args.scenario or default_scenario_path()), parent=parent,
                          workers=worker_count(args), dask=args.dask, lock_timeout=args.wait,
                          before_rename=before_rename)
    print(result.folder if args.quiet else render(sc, result.summary, str(result.folder), args.lang))
    return 0
