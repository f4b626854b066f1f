"""Design points x replications run as tasks in an experiment's folder, and the tidy table
of their KPIs (for sweeps, sensitivity, comparisons, impact and staffing questions).

Every run (design point x replication) is written atomically as its own file as soon as it
finishes (experiments/store.py), so an interrupted experiment rerun with the same command
skips what is done and ends with the same table as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.executor import Outcome, check_memory
from sim.experiments.output import faults, folder_lock, number
from sim.experiments.runner import run_replication
from sim.experiments.store import TaskStore, run_in_store
from sim.scenario.config import Scenario
from sim.scenario.validation import run_size


def run_point(data: dict[str, Any], replication: int, kpis: list[str]) -> dict[str, Any]:
    """One sweep run (a worker task): returns its KPIs and how long it took."""
    t0 = time.perf_counter()
    sc = Scenario.model_validate(data)
    values = run_replication(sc, replication).kpis
    if kpis:
        values = {k: values.get(k, float("nan")) for k in kpis}
    return {"kpis": values, "seconds": time.perf_counter() - t0}


def experiment_folder(out_root: Path, name: str, *content: Any) -> Path:
    """A folder named after the experiment's content, so the same command finds it again."""
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:10]
    return out_root / f"{name}-{digest}"


def _key(point: int, rep: int) -> str:
    return f"p{point:05d}-r{rep:04d}"


def largest_run(scenarios: list[dict[str, Any]], sample: int = 5) -> float:
    """Care requests of the largest of a few design points (evenly spread; the points of a
    design differ little in size, and validating thousands of them here would cost time)."""
    step = max(1, len(scenarios) // sample)
    return max(run_size(Scenario.model_validate(data))["requests"] for data in scenarios[::step][:sample + 1])


def execute(scenarios: list[dict[str, Any]], points: list[dict[str, Any]], replications: int, kpis: list[str],
            folder: Path, workers: int, dask: str | None, quiet: bool, desc: str,
            progress: Callable[[int, int], None] | None = None) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Run every (point, replication) not yet done in `folder/runs` (experiments/store.py),
    then build the tidy table from the run records. scenarios[k] is design point k's full
    scenario; points[k] its label columns. `progress(done, total)`, if given, is called
    before the first run and after each (runs resumed from the folder count as done)."""
    store = TaskStore(folder / "runs")
    tasks = [(_key(p, r), (scenarios[p], r, kpis)) for p in range(len(points)) for r in range(replications)]
    if dask is None and tasks:  # a remote cluster's memory is its own
        check_memory(largest_run(scenarios), min(workers, len(tasks)), desc)

    def keep(key: str, out: Outcome) -> tuple[dict[str, Any], dict]:
        p, r = (int(x[1:]) for x in key.split("-"))
        return {"point": p, "replication": r, "params": points[p], "error": out.error,
                **(out.value or {"kpis": {}, "seconds": None})}, {}

    folder.parent.mkdir(parents=True, exist_ok=True)
    # one process at a time per experiment folder: the same command started twice waits for the
    # first (which may finish the work) instead of running every task twice
    with faults(folder.parent), folder_lock(folder.with_name(folder.name + ".lock"), f"another '{desc}' in {folder}"):
        done = sum(store.done(key) for key, _ in tasks) if progress else 0
        if progress:
            progress(done, len(tasks))
        for _ in run_in_store(store, run_point, tasks, workers, dask, desc, quiet, keep):
            done += 1
            if progress:
                progress(done, len(tasks))
        return collect(folder, points, replications)


def collect(folder: Path, points: list[dict[str, Any]], replications: int) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    store = TaskStore(folder / "runs")
    rows, failures = [], []
    for p, point in enumerate(points):
        for r in range(replications):
            rec = store.load(_key(p, r)) or {"error": "not run"}
            if rec.get("error"):
                failures.append({"point": p, "replication": r, "params": point, "error": rec["error"]})
                continue
            for kpi, value in sorted(rec["kpis"].items()):
                rows.append({"point": p, "replication": r, **{f"param:{k}": v for k, v in point.items()},
                             "kpi": kpi, "value": number(value)})
    return pd.DataFrame(rows), failures
