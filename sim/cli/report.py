"""mgz-sim report: (re)build report.html in a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.answer import build_report


def add_parser(sub: argparse._SubParsersAction) -> None:
    rp = sub.add_parser("report", help="(re)build report.html in a results folder",
                        description="Rebuild the offline HTML report of a run, comparison, sweep or sensitivity "
                                    "results folder. For a run, every KPI is first recomputed from the folder's "
                                    "own tables (summary.json and summary.txt are written again).")
    rp.add_argument("folder", type=Path, help="results folder")
    rp.add_argument("--lang", choices=("en", "nl"), default="en", help="language (default en)")
    rp.add_argument("--pdf", action="store_true",
                    help="also print the report to report.pdf (A4), with the Chromium on this machine")
    rp.add_argument("--self-contained", action="store_true",
                    help="put the chart library inside report.html (one file to send on, +4.6 MB) instead of "
                         "loading the folder's own plotly.min.js")


def run(args: argparse.Namespace) -> int:
    from sim.errors import reading
    from sim.experiments.results_folder import check_results_folder
    folder = Path(args.folder)
    with reading(folder):  # the folder is input like a scenario file: read within bounds, never a traceback
        check_results_folder(folder)
        return _report(folder, args)


def _report(folder: Path, args: argparse.Namespace) -> int:
    from sim.experiments.results_folder import is_country_folder
    if is_country_folder(folder):  # a country: every region's report again, then the country's
        from sim.experiments.executor import default_workers
        from sim.present.national_run import write_national
        write_national(folder, args.lang, default_workers(), quiet=True, force=True)
        print(folder / "report.html")
        return 0
    if (folder / "run.json").exists() and (folder / "resources.parquet").exists():
        # a run's folder: every KPI again from its own tables, then the summary and the report
        from sim.experiments.output import atomic_write_json, atomic_write_text
        from sim.experiments.runner import reanalyse
        from sim.present.summary import render
        from sim.scenario.loading import parse_scenario
        summary = reanalyse(folder)
        sc = parse_scenario((folder / "scenario.yaml").read_text(), str(folder / "scenario.yaml"))
        atomic_write_json(folder / "summary.json", summary)
        atomic_write_text(folder / "summary.txt", render(sc, summary, str(folder), args.lang) + "\n")
        if (folder / "validation.json").exists():  # mgz-sim validate's folder: its figures again too
            from sim.experiments.validate import write_validation
            write_validation(folder)
    report = build_report(folder, args.lang, embed=args.self_contained)
    print(report)
    if args.pdf:
        from sim.present.page import to_pdf
        print(to_pdf(report))
    return 0
