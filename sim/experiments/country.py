"""Running a country: every region-replication an independent task on the one executor
(local processes, or a Dask cluster), each region's results folder written the moment its
last replication is in, and the country's key figures over them.

    results/<country>/<stamp>/
        summary.json, regions.csv   the country's key figures and one row per region
        run.json, methods.md        provenance (methods.md last: the folder is complete)
        regions/<region>/           each region's results folder, as `mgz-sim REGION.yaml` writes it

Memory is bounded by one region: a worker holds one region-replication, the parent at most
one region's tables while it merges them (streamed, experiments/output.py). A kill loses
nothing finished: the same command resumes (a region's finished replications in the task
store, a finished region's folder as it is). Results do not depend on the number of
workers, their order or the cluster: each task is a pure function of (region, replication).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.national import national_figures, region_row
from sim.errors import RunError
from sim.experiments.executor import Outcome, check_memory, run_tasks
from sim.experiments.output import (
    COMPLETE,
    atomic_write_json,
    atomic_write_text,
    faults,
    finalise,
    folder_lock,
    inside,
    lock_path,
    make_dir,
    partial_dir,
    remove_stale_tmp,
    scenario_hash,
)
from sim.experiments.runner import (
    raise_fault,
    replication_in_store,
    replication_key,
    replication_task,
    versions,
    write_run_folder,
)
from sim.experiments.store import TaskStore, run_in_store
from sim.scenario.config import Scenario
from sim.scenario.country import Country
from sim.scenario.loading import dump_scenario
from sim.scenario.validation import run_size

REGIONS = "regions"


@dataclass
class CountryResult:
    """A finished country run: its folder, its summary, the regions' rows, what was resumed."""

    folder: Path
    summary: dict[str, Any]
    rows: list[dict[str, Any]]
    resumed: int


def task_key(region: str, replication: int) -> str:
    return f"{region}.{replication_key(replication)}"


def run_country(country: Country, replications: int, out_root: Path, workers: int = 1, dask: str | None = None,
                quiet: bool = False, lock_timeout: float | None = None) -> CountryResult:
    """Run every region's replications, write each region's folder, then the country's
    figures; resumes a killed run of the same country into the same `out_root`."""
    # the partial folder is named after every region as resolved (JSON: fast; the YAML is
    # written into each region's folder by the worker that finishes it)
    digest = scenario_hash("".join(sc.model_dump_json() for sc in country.regions), replications)
    with faults(out_root):
        make_dir(out_root)
        partial = partial_dir(out_root, digest)
        with folder_lock(lock_path(partial), f"another run of '{country.name}' in {partial}", lock_timeout):
            make_dir(partial)
            remove_stale_tmp(partial, owned=True)
            store = TaskStore(inside(out_root, partial / "runs"))
            remove_stale_tmp(store.folder, owned=True)
            resumed = len(country.regions) * replications  # killed while finalising: all was done
            if not (partial / COMPLETE).exists():
                started = time.perf_counter()
                resumed = _run_regions(country, replications, partial, store, workers, dask, quiet)
                _finish_regions(country, replications, partial, store, workers, dask, quiet, started)
                _write_country(country, replications, partial, workers, dask)
            summary = _read_json(partial / "summary.json")
            return CountryResult(finalise(partial, out_root), summary, summary["regions"], resumed)


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def region_folder(partial: Path, sc: Scenario) -> Path:
    return inside(partial, partial / REGIONS / sc.scenario)


def _run_regions(country: Country, replications: int, partial: Path, store: TaskStore, workers: int,
                 dask: str | None, quiet: bool) -> int:
    """Every region-replication not done yet (of regions whose folder is not written),
    largest regions first: the last tasks are then short ones, so workers finish together.
    Each task's tables go to the store the moment it finishes. Returns how many tasks an
    earlier, killed run had finished."""
    size = {sc.scenario: run_size(sc)["requests"] for sc in country.regions}
    # on this machine's cores a worker writes its tables into the store itself (the parent
    # would otherwise spend as long writing them as the workers simulating); a cluster's
    # workers send them back
    fn, local = (replication_task, False) if dask else (replication_in_store, True)
    tasks = [(task_key(sc.scenario, r), ((store.folder, task_key(sc.scenario, r)) if local else ()) + (sc, None, r))
             for sc in sorted(country.regions, key=lambda s: (-size[s.scenario], s.scenario))
             if not (region_folder(partial, sc) / COMPLETE).exists() for r in range(replications)]
    done_before = sum(1 for key, _ in tasks if store.done(key))
    if dask is None and len(tasks) > done_before:
        largest = max(size[key.rsplit(".", 1)[0]] for key, _ in tasks)
        check_memory(largest, min(workers, len(tasks) - done_before), f"'{country.name}'")

    def keep(key: str, out: Outcome) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
        if out.error is not None:
            raise RunError(f"{key} of '{country.name}' failed: {out.error}")
        value = dict(out.value)
        raise_fault(value)  # the disk refused a worker's tables
        return value, value.pop("tables", {})

    for _ in run_in_store(store, fn, tasks, workers, dask, country.name, quiet or len(tasks) < 2, keep):
        pass
    return len(country.regions) * replications - len(tasks) + done_before


def _finish_regions(country: Country, replications: int, partial: Path, store: TaskStore, workers: int,
                    dask: str | None, quiet: bool, started: float) -> None:
    """Every region's results folder, side by side on this machine's cores (the files are
    here, whichever cluster simulated them)."""
    tasks = [(sc.scenario, (sc, replications, region_folder(partial, sc), store.folder, workers, dask, started))
             for sc in country.regions if not (region_folder(partial, sc) / COMPLETE).exists()]
    for outcome in run_tasks(finish_region, tasks, workers, desc="regions", quiet=quiet or len(tasks) < 2):
        if outcome.error is not None:
            raise RunError(f"the results folder of region '{outcome.key}' failed: {outcome.error}")


def finish_region(sc: Scenario, replications: int, folder: Path, store_folder: Path, workers: int,
                  dask: str | None, started: float) -> None:
    """A region's results folder from its replications in the store (a task: the resolved
    scenario.yaml, the tables, summary.json, run.json, methods.md last), then its tables out
    of the store (their records stay: the tasks are done)."""
    store = TaskStore(store_folder)
    keys = [task_key(sc.scenario, r) for r in range(replications)]
    make_dir(folder)
    atomic_write_text(folder / "scenario.yaml", dump_scenario(sc))
    write_run_folder(sc, store, keys, folder, "", None, workers, dask, started, 0)
    for key in keys:
        for table in ("requests", "stages", "resources"):
            store.table_path(key, table).unlink(missing_ok=True)


def rows_of(country: Country, partial: Path) -> list[dict[str, Any]]:
    """One row of key figures per region, in the country file's order."""
    rows = []
    for sc in country.regions:
        summary = _read_json(region_folder(partial, sc) / "summary.json")
        rows.append(region_row(sc.scenario, sc.region.name, sc.region.inhabitants,
                               sum(loc.residents for loc in sc.locations), [h.id for h in sc.all_spoedposten()],
                               summary))
    return rows


def _write_country(country: Country, replications: int, partial: Path, workers: int, dask: str | None) -> None:
    rows = rows_of(country, partial)
    first = country.regions[0].region
    summary = {
        "country": country.name, "name": country.title, "description": country.describe("en"),
        "description_nl": country.describe("nl"), "replications": replications, "weeks_measured": first.weeks,
        "warmup_weeks": first.warmup_weeks, "set": country.settings,
        "national": national_figures(rows),
        "regions": rows,
    }
    atomic_write_json(partial / "summary.json", summary)
    with faults(partial):
        tmp = partial / "regions.csv.tmp"
        pd.DataFrame(rows).to_csv(tmp, index=False)
        os.replace(tmp, partial / "regions.csv")
    timings = [_read_json(region_folder(partial, sc) / "run.json")["timings_per_replication"]
               for sc in country.regions]
    atomic_write_json(partial / "run.json", {
        "versions": versions(), "country_file": str(country.source),
        "regions": [{"region": sc.scenario, "file": str(f), "seed": sc.region.seed, "timings_per_replication": t}
                    for sc, f, t in zip(country.regions, country.files, timings)],
        "workers": workers, "dask": dask,
        "platform": {"machine": platform.machine(), "system": platform.system(), "cpus": os.cpu_count()},
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
    })
    atomic_write_text(partial / COMPLETE, (
        "## Methods\n\n"
        f"{country.title}: {len(country.regions)} regions ({country.inhabitants:,} inhabitants), each simulated as "
        f"its own scenario with {replications} replication(s) of {first.weeks} measured weeks after "
        f"{first.warmup_weeks} warm-up week(s); each region-replication was an independent task with its own "
        "random streams (the region's seed), so a region's results equal those of the region run alone. Each "
        "region's methods are in regions/<region>/methods.md. The country's figures sum the regions' requests "
        "(sim/analysis/national.py).\n"))
