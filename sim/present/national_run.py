"""`mgz-sim COUNTRY.yaml`: load the country, run its regions (experiments/country.py), write
each region's summary.txt and report.html (in parallel: a region's report is independent
of the others) and the country's summary.txt and report.html."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.errors import RunError
from sim.experiments.country import CountryResult, run_country
from sim.experiments.executor import kept_workers, run_tasks
from sim.experiments.output import atomic_write_text, inside
from sim.present.national import national_report, national_text
from sim.scenario.config import Scenario
from sim.scenario.country import load_country


def region_report(folder: Path, lang: str, sc: Scenario | None = None) -> str:
    """summary.txt and report.html of one region's folder (a worker task); `sc`, if given,
    saves reading its scenario.yaml again."""
    from sim.present.report import build_report
    from sim.present.summary import render
    from sim.scenario.loading import parse_scenario
    if sc is None:
        sc = parse_scenario((folder / "scenario.yaml").read_text(), str(folder / "scenario.yaml"))
    summary = json.loads((folder / "summary.json").read_text())
    atomic_write_text(folder / "summary.txt", render(sc, summary, str(folder), lang) + "\n")
    build_report(folder, lang, sc)
    return str(folder)


def write_national(folder: Path, lang: str, workers: int, quiet: bool, force: bool = False,
                   scenarios: dict[str, Scenario] | None = None) -> str:
    """Every region's summary.txt and report.html (those not written yet, or all with
    `force`: another language), then the country's; returns the printed text. `scenarios`:
    the regions by name, when they are at hand."""
    regions = sorted(p for p in (folder / "regions").iterdir() if p.is_dir())
    tasks = [(p.name, (p, lang, (scenarios or {}).get(p.name))) for p in regions
             if force or not (p / "report.html").exists()
             or (p / "report.html").stat().st_mtime < (p / "summary.json").stat().st_mtime]
    for outcome in run_tasks(region_report, tasks, workers, desc="reports", quiet=quiet or len(tasks) < 2):
        if outcome.error is not None:
            raise RunError(f"the report of region '{outcome.key}' failed: {outcome.error}")
    summary = json.loads((folder / "summary.json").read_text())
    text = national_text(summary, str(folder), lang)
    atomic_write_text(folder / "summary.txt", text + "\n")
    atomic_write_text(folder / "report.html", national_report(folder, lang))
    return text


def on_workers(fn: Callable[..., Any], args: list[tuple[Any, ...]], workers: int) -> list[Any]:
    """fn(*a) for each of `args` on this machine's worker processes, in the order given."""
    values: dict[int, Any] = {}
    for outcome in run_tasks(fn, list(enumerate(args)), workers, desc="regions read", quiet=True):
        if outcome.error is not None:
            raise RunError(f"reading region {outcome.key + 1} failed: {outcome.error}")
        values[outcome.key] = outcome.value
    return [values[k] for k in range(len(args))]


def run_national(path: Path, overrides: dict, replications: int, out: Path | None, workers: int, dask: str | None,
                 quiet: bool, lang: str, wait: float | None) -> CountryResult:
    """The whole command: a country file in, its results folder out (printed)."""
    with kept_workers():  # the regions read, run, written and reported on the same worker processes
        country = load_country(path, overrides, lambda fn, args: on_workers(fn, args, workers))
        out_root = out if out is not None else inside(Path("results"), Path("results") / country.name)
        result = run_country(country, replications, out_root, workers, dask, quiet, wait)
        text = write_national(result.folder, lang, workers, quiet,
                              scenarios={sc.scenario: sc for sc in country.regions})
    print(result.folder if quiet else text)
    return result
