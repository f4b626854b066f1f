"""Command line: `mgz-sim [run] [SCENARIO] [options]` (also `python run_sim.py ...`).

Bad input of any kind ends with one clear message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ScenarioError
from .output import atomic_write_text
from .runner import run_scenario
from .scenario_io import default_scenario_path, load_scenario, parent_of
from .summary import render

COMMANDS = ("run",)


def _int_at_least(minimum: int):
    """An argparse type: a whole number of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


_positive, _seed = _int_at_least(1), _int_at_least(0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mgz-sim",
        description="Simulate a region's demand for medisch-generalistische zorg (GP, HAP, SO/AVG) "
        "and report load and response times.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="simulate a scenario (the default command)",
                         description="Simulate a scenario and write a results folder.")
    run.add_argument("scenario", nargs="?", default=None,
                     help=f"scenario YAML file (default: the embedded example region, {default_scenario_path().name})")
    run.add_argument("--seed", type=_seed, help="override region.seed (same seed, same results)")
    run.add_argument("--replications", "-r", type=_positive, default=1,
                     help="independent replications, each with its own random streams (default 1)")
    run.add_argument("--weeks", type=_positive, help="override region.weeks, the measured weeks after warm-up")
    run.add_argument("--out", type=Path, default=None,
                     help="parent folder for results (default results/<scenario>/); each run gets a new "
                          "timestamped folder inside it")
    run.add_argument("--quiet", "-q", action="store_true", help="print only the results folder")
    run.add_argument("--no-compare", action="store_true",
                     help="for a scenario that extends another: skip running the parent on the same "
                          "random numbers to show what moved")
    return parser


def _argv_with_default_command(argv: list[str]) -> list[str]:
    if argv and argv[0] in ("-h", "--help"):
        return argv
    if not argv or argv[0] not in COMMANDS:
        return ["run", *argv]
    return argv


def cmd_run(args: argparse.Namespace) -> int:
    overrides = {}
    if args.seed is not None:
        overrides["region.seed"] = args.seed
    if args.weeks is not None:
        overrides["region.weeks"] = args.weeks
    sc = load_scenario(args.scenario, overrides)
    parent_path = None if args.no_compare else parent_of(args.scenario)
    parent = None
    if parent_path is not None:
        # same seed, horizon and replications as the child: common random numbers
        parent = load_scenario(parent_path, {"region.seed": sc.region.seed, "region.weeks": sc.region.weeks,
                                             "region.warmup_weeks": sc.region.warmup_weeks})
    out_root = args.out if args.out is not None else Path("results") / sc.scenario
    if out_root.exists() and not out_root.is_dir():
        raise ScenarioError(f"--out {out_root}: exists and is not a folder")
    result = run_scenario(sc, args.replications, out_root, quiet=args.quiet,
                          source=str(args.scenario or default_scenario_path()), parent=parent)
    text = render(sc, result.summary, str(result.folder))
    atomic_write_text(result.folder / "summary.txt", text + "\n")
    print(result.folder if args.quiet else text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_argv_with_default_command(list(sys.argv[1:] if argv is None else argv)))
    try:
        return cmd_run(args)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\ninterrupted: finished replications are kept; run the same command again to resume",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
