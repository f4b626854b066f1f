"""`mgz-sim validate`: run a scenario through the one runner (resumable, atomic, like every
run) and set its outputs beside published Dutch figures (analysis/reality.py).

The results folder is a run's folder (requests, stages, summary, report) with
validation.json in it, written from the folder's own tables before the folder is complete,
so it appears with the run or not at all. `write_validation(folder)` recomputes it from any
run's folder without running anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.reality import RULE, evaluate, tally
from sim.analysis.tables import RunTables
from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_json
from sim.experiments.runner import BeforeRename, RunResult, run_scenario, versions
from sim.scenario.config import Scenario
from sim.scenario.loading import parse_scenario

# 20 year-long replications give about ±2 percentage points on the rarest counted share
# (U1 home visits, ~60 a year in the example region; measured 54.3%, 52.3-56.4) and take
# about 20 s on the two-core development machine.
DEFAULT_REPLICATIONS = 20
VALIDATION = "validation.json"
REQUEST_COLUMNS = ["request_id", "replication", "source", "location_id", "arrival", "urgency", "modality",
                   "first_contact", "warmup"]
STAGE_COLUMNS = ["request_id", "replication", "service", "resource", "start", "contact", "wait_min", "outcome"]


def replications_of(folder: Path, sc: Scenario) -> list[RunTables]:
    """A run folder's requests and stages, one RunTables per replication (only the columns
    the published figures need)."""
    requests = pd.read_parquet(folder / "requests.parquet", columns=REQUEST_COLUMNS)
    stages = pd.read_parquet(folder / "stages.parquet", columns=STAGE_COLUMNS)
    out = []
    for r in sorted(requests["replication"].unique()):
        mine = requests[requests["replication"] == r].reset_index(drop=True)
        if not (mine["request_id"].to_numpy() == range(len(mine))).all():
            raise ScenarioError(f"{folder}: requests.parquet of replication {r} is not in request order")
        out.append(RunTables(sc, int(r), mine, stages[stages["replication"] == r].reset_index(drop=True), [], {}))
    return out


def write_validation(folder: Path) -> dict[str, Any]:
    """validation.json from a run folder's own scenario.yaml and tables."""
    folder = Path(folder)
    missing = [f for f in ("scenario.yaml", "requests.parquet", "stages.parquet") if not (folder / f).exists()]
    if missing:
        raise ScenarioError(f"{folder}: not a run's results folder (missing {', '.join(missing)})")
    sc = parse_scenario((folder / "scenario.yaml").read_text(encoding="utf-8"), str(folder / "scenario.yaml"))
    runs = replications_of(folder, sc)
    rows = evaluate(runs)
    result = {
        "scenario": sc.scenario, "description": sc.describe("en"), "description_nl": sc.describe("nl"),
        "region": sc.region.name,
        "replications": len(runs), "weeks_measured": sc.region.weeks, "warmup_weeks": sc.region.warmup_weeks,
        "seed": sc.region.seed, "rule": RULE,
        "catalogue": "sim/data/reality.yaml", "references": "docs/sources.md (anchors: each figure's 'source')",
        "tally": tally(rows), "figures": rows, "versions": versions(),
    }
    atomic_write_json(folder / VALIDATION, result)
    return result


def run_validation(sc: Scenario, replications: int, out_root: Path, workers: int = 1, quiet: bool = False,
                   source: str = "", dask: str | None = None, lock_timeout: float | None = None,
                   before_rename: BeforeRename | None = None) -> RunResult:
    """Run the scenario (resuming finished replications) and write validation.json into its
    results folder; `before_rename` (runner.run_scenario) adds what the command prints and
    its reports before the folder appears."""

    def finish(partial: Path, summary: dict[str, Any], folder: Path) -> None:
        if not (partial / VALIDATION).exists():  # completed by a plain run sharing the partial folder
            write_validation(partial)
        if before_rename is not None:
            before_rename(partial, summary, folder)

    result = run_scenario(sc, replications, out_root, quiet=quiet, source=source, workers=workers, dask=dask,
                          lock_timeout=lock_timeout, finishing=write_validation, before_rename=finish)
    if not (result.folder / VALIDATION).exists():  # finished by a plain run sharing the partial folder
        write_validation(result.folder)
    return result
