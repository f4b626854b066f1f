"""What every command's options share: argparse with clipped messages, whole numbers and
seconds checked as they are read, the override, experiment and language options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

MESSAGE_LIMIT = 600  # characters of an error message's line; a pasted 5000-digit number is not read by anyone
MESSAGE_LINES = 70  # lines of an error message (a workbook's problems, one per line)
MAX_REPLICATIONS = 1_000  # as in a sweep file: every replication is a task and a file
MAX_WORKERS = 1_024


class Parser(argparse.ArgumentParser):
    """argparse with its error messages clipped (a pasted 5000-digit value stays one line)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {clip(message)}\n")


def clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """At most `limit` characters, saying how many were left out."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit} more characters)"


def int_at_least(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number (ASCII digits) of at least `minimum` (and at most `maximum`)."""

    def parse(text: str) -> int:
        if not text.strip().lstrip("+-").isascii() or not text.strip().lstrip("+-").isdigit():
            raise argparse.ArgumentTypeError(f"'{clip(text, 40)}' is not a whole number")
        try:
            value = int(text)
        except ValueError:  # more than 4,300 digits
            raise argparse.ArgumentTypeError(f"'{clip(text, 40)}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {clip(str(value), 40)}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:,}, got {clip(str(value), 40)}")
        return value

    return parse


def seconds(text: str) -> float:
    """An argparse type: a finite number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{clip(text, 40)}' is not a number of seconds") from None
    if not 0 <= value < 10**9:  # NaN fails too
        raise argparse.ArgumentTypeError(f"give a number of seconds from 0 up, got '{clip(text, 40)}'")
    return value


positive, seed = int_at_least(1), int_at_least(0)
replications, workers_n = int_at_least(1, MAX_REPLICATIONS), int_at_least(1, MAX_WORKERS)


def override_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=seed, help="override region.seed")
    p.add_argument("--weeks", type=positive, help="override region.weeks")


def overrides_of(args: argparse.Namespace) -> dict[str, int]:
    """--seed and --weeks as scenario paths (region.seed, region.weeks), where given."""
    return {k: v for k, v in (("region.seed", args.seed), ("region.weeks", args.weeks)) if v is not None}


def experiment_options(p: argparse.ArgumentParser, out_default: str) -> None:
    p.add_argument("--workers", "-w", type=workers_n, default=None,
                   help="local worker processes (default: all cores); results do not depend on it")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run on an existing Dask distributed scheduler, e.g. tcp://127.0.0.1:8786 "
                        "(mgz-sim must be installed on its workers)")
    p.add_argument("--out", type=Path, default=Path(out_default), help=f"results folder (default {out_default})")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar; print only the results folder")
    p.add_argument("--lang", choices=("en", "nl"), default="en", help="language of report.html (default en)")


def worker_count(args: argparse.Namespace) -> int:
    """--workers, or every core."""
    from sim.experiments.executor import default_workers
    workers: int = args.workers or default_workers()
    return workers


def language(args: argparse.Namespace | None) -> str:
    """The language asked for; the `regio` commands speak Dutch unless told otherwise."""
    asked = getattr(args, "lang", None)
    return asked or ("nl" if getattr(args, "command", None) == "regio" else "en")
