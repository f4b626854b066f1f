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
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.national import national_figures, region_row
from sim.errors import RunError
from sim.experiments.executor import Outcome, check_memory
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
from sim.experiments.runner import replication_key, replication_task, versions, write_run_folder
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
    """Run every region's replications, write each region's folder as it completes, then the
    country's figures; resumes a killed run of the same country into the same `out_root`."""
    resolved = {sc.scenario: dump_scenario(sc) for sc in country.regions}
    digest = scenario_hash("".join(resolved.values()), replications)
    with faults(out_root):
        make_dir(out_root)
        partial = partial_dir(out_root, digest)
        with folder_lock(lock_path(partial), f"another run of '{country.name}' in {partial}", lock_timeout):
            make_dir(partial)
            remove_stale_tmp(partial, owned=True)
            store = TaskStore(inside(out_root, partial / "runs"))
            remove_stale_tmp(store.folder, owned=True)
            if not (partial / COMPLETE).exists():
                _run_regions(country, resolved, replications, partial, store, workers, dask, quiet)
                rows = _write_country(country, replications, partial, workers, dask)
            else:
                rows = pd.read_csv(partial / "regions.csv").to_dict("records")
            summary = _read_json(partial / "summary.json")
            return CountryResult(finalise(partial, out_root), summary, rows, 0)


def _read_json(path: Path) -> dict[str, Any]:
    import json
    return json.loads(path.read_text())


def region_folder(partial: Path, sc: Scenario) -> Path:
    return inside(partial, partial / REGIONS / sc.scenario)


def _run_regions(country: Country, resolved: dict[str, str], replications: int, partial: Path, store: TaskStore,
                 workers: int, dask: str | None, quiet: bool) -> None:
    """Every region-replication not done yet, largest regions first (the last tasks are then
    short ones, so workers finish together); a region's folder as soon as it is complete."""
    started = time.perf_counter()
    by_name = {sc.scenario: sc for sc in country.regions}
    size = {sc.scenario: run_size(sc)["requests"] for sc in country.regions}
    pending: dict[str, set[str]] = {}
    tasks = []
    for sc in sorted(country.regions, key=lambda s: (-size[s.scenario], s.scenario)):
        folder = region_folder(partial, sc)
        if (folder / COMPLETE).exists():
            continue
        make_dir(folder)
        atomic_write_text(folder / "scenario.yaml", resolved[sc.scenario])
        keys = [task_key(sc.scenario, r) for r in range(replications)]
        pending[sc.scenario] = {k for k in keys if not store.done(k)}
        tasks += [(task_key(sc.scenario, r), (sc, None, r)) for r in range(replications)]
    done_before = sum(1 for key, _ in tasks if store.done(key))
    if dask is None and len(tasks) > done_before:
        largest = max(size[name] for name in pending)
        check_memory(largest, min(workers, len(tasks) - done_before), f"'{country.name}'")
    for name in [n for n, left in pending.items() if not left]:  # killed after its last replication
        _finish_region(by_name[name], replications, partial, store, workers, dask, started)

    def keep(key: str, out: Outcome) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
        if out.error is not None:
            raise RunError(f"{key} of '{country.name}' failed: {out.error}")
        value = dict(out.value)
        return value, value.pop("tables")

    for key in run_in_store(store, replication_task, tasks, workers, dask, country.name, quiet or len(tasks) < 2,
                            keep):
        name = key.rsplit(".", 1)[0]
        pending[name].discard(key)
        if not pending[name]:
            _finish_region(by_name[name], replications, partial, store, workers, dask, started)


def _finish_region(sc: Scenario, replications: int, partial: Path, store: TaskStore, workers: int,
                   dask: str | None, started: float) -> None:
    """The region's results folder from its replications, then its tables out of the store
    (their records stay: the tasks are done)."""
    keys = [task_key(sc.scenario, r) for r in range(replications)]
    folder = region_folder(partial, sc)
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


def _write_country(country: Country, replications: int, partial: Path, workers: int,
                   dask: str | None) -> list[dict[str, Any]]:
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
    return rows
