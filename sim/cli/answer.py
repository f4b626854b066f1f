"""What a command leaves behind: the report of a results folder, and an experiment's printed
answer kept beside it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def build_report(folder: Path, lang: str, scenario: Any = None, embed: bool = False) -> Path:
    """The right report for any results folder (plotly is imported only when a report is made)."""
    from sim.present.report import build_report as build
    return build(folder, lang, scenario, embed)


def answer(folder: Path, name: str, text: str, args: argparse.Namespace) -> int:
    """An experiment's printed answer: kept in the folder as `name`, its report written
    beside it, and printed with the report's path (only the folder with --quiet)."""
    from sim.experiments.output import atomic_write_text
    atomic_write_text(folder / name, text + "\n")
    report = build_report(folder, args.lang)
    written = (f"Report: {report}", f"Rapport: {report}")[args.lang == "nl"]
    print(folder if args.quiet else f"{text}\n\n{written}")
    return 0
