"""The command table: every command's name, its parser builder and what it runs.

A command is one module in sim/cli/ with `add_parser(sub)` (its options) and `run(args)`
(the exit code). Command modules import only argparse at start-up and what they need when
they run (pandas, pydantic, plotly, ...): `--help` and `--version` start in a fraction of a
second (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from sim.cli import (
    app,
    calibrate,
    check,
    compare,
    impact,
    regio,
    report,
    run,
    schema,
    sensitivity,
    staff,
    sweep,
    validate,
    warmup,
)
from sim.cli.options import Parser, clip
from sim.errors import ScenarioError

# In the order `mgz-sim --help` lists them; `region` is `regio` in English.
TABLE: dict[str, ModuleType] = {
    "run": run, "compare": compare, "sweep": sweep, "sensitivity": sensitivity, "warmup": warmup, "impact": impact,
    "staff": staff, "check": check, "validate": validate, "calibrate": calibrate, "app": app, "report": report,
    "schema": schema, "regio": regio, "region": regio,
}
COMMANDS = tuple(TABLE)


def runner(command: str) -> Callable[[argparse.Namespace], int]:
    """What a command runs (its module's `run`)."""
    function: Callable[[argparse.Namespace], int] = TABLE[command].run
    return function


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="mgz-sim",
        description="Simulate a region's demand for medisch-generalistische zorg (GP, HAP, SO/AVG) "
        "and report load and response times. Without a command: run (the embedded example region when no "
        "scenario file is given).",
        epilog="Bad input ends with one line on stderr naming the file and field, and exit code 2; "
               "'mgz-sim COMMAND --help' describes each command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in dict.fromkeys(TABLE.values()):  # each module once (regio also answers to region)
        module.add_parser(sub)
    return parser


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed
    try:
        return installed("mgz-sim")
    except PackageNotFoundError:
        return "(not installed)"


def with_default_command(argv: list[str]) -> list[str]:
    """`mgz-sim scenario.yaml` means `mgz-sim run scenario.yaml`; a misspelt command that is
    no file either ('rnu', 'compre') is refused with the command it was probably meant to be."""
    if argv and argv[0] in ("-h", "--help", "--version"):
        return argv
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-") and not Path(argv[0]).suffix \
            and not Path(argv[0]).exists():
        close = difflib.get_close_matches(argv[0], COMMANDS, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ScenarioError(f"'{clip(argv[0], 60)}' is no command and no scenario file; {hint}"
                            f"commands: {', '.join(COMMANDS)} (mgz-sim --help)")
    if not argv or argv[0] not in COMMANDS:
        return ["run", *argv]
    return argv
