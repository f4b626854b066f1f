"""Running a scenario: replications, progress, results folder, summary.

Data flows one way: validated Scenario -> simulate() per replication -> tables ->
KPIs per replication -> aggregated summary -> files.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import pandas as pd

from sim import __version__
from sim.analysis.metrics import (
    SEED_000,
    aggregate,
    paired_differences,
    replication_kpis,
)
from sim.analysis.overload import overloaded
from sim.analysis.tables import RunTables, resources_of, tables_of
from sim.errors import FaultError, RunError, ScenarioError, fault_error
from sim.experiments.executor import Outcome, check_memory
from sim.experiments.output import (
    COMPLETE,
    atomic_write_json,
    atomic_write_text,
    faults,
    finalise,
    folder_lock,
    free_folder,
    inside,
    lock_path,
    make_dir,
    merge_tables,
    number,
    partial_dir,
    remove_stale_tmp,
    scenario_hash,
)
from sim.experiments.store import TaskStore, run_in_store
from sim.scenario.config import Scenario
from sim.scenario.loading import dump_scenario, parse_scenario
from sim.scenario.validation import run_size
from sim.services.region import simulate

LIBRARIES = ("simpy", "numpy", "scipy", "pandas", "pyarrow", "pydantic", "holidays", "pyyaml")


@dataclass
class RunResult:
    """A finished run: its results folder, its summary, and how many replications it resumed."""

    folder: Path
    summary: dict[str, Any]
    resumed: int


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[tuple[str, str], ...]:
    out = {"mgz-sim": __version__, "python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = "not installed"
    return tuple(out.items())


def versions() -> dict[str, str]:
    """mgz-sim's, Python's and the libraries' versions, for provenance (looked up once: a
    country writes them for each of its regions)."""
    return dict(_versions())


@dataclass
class Replication:
    """One replication's results: its tables, its resources as a table, KPIs and timings."""

    tables: RunTables
    resources: pd.DataFrame
    kpis: dict[str, float]
    timings: dict[str, float]


def run_replication(sc: Scenario, replication: int,
                    tables_ready: Callable[[dict[str, pd.DataFrame]], None] | None = None) -> Replication:
    """Simulate one replication and reduce it to tables and KPIs (a pure function of its
    inputs). `tables_ready(tables)`, if given, is handed the tables before the KPIs are
    computed (to write them meanwhile)."""
    run = simulate(sc, replication)
    t0 = time.perf_counter()
    tables, resources = tables_of(run)
    t1 = time.perf_counter()
    if tables_ready is not None:
        tables_ready({"requests": tables.requests, "stages": tables.stages, "resources": resources})
    kpis = replication_kpis(tables)
    t2 = time.perf_counter()
    timings = dict(run.timings, record_s=t1 - t0, metrics_s=t2 - t1, requests=len(tables.requests))
    return Replication(tables, resources, kpis, timings)


COMPARED_PREFIXES = ("handled.", "hours.", "seh.", "prevented.", "demand.wlz", "wlz.hap_share", "gp.transfers")
COMPARED_RESPONSE = (".within_norm", ".p90_min", ".physician_p90_min", ".norm_p90_min")
COMPARED_SERVICE = (".utilisation", ".wait_p90_min", ".hours_per_week")


def compared_kpis(names: set[str]) -> list[str]:
    """The KPIs that show how load and response moved compared with a parent scenario."""
    return sorted(n for n in names if n.startswith(COMPARED_PREFIXES)
                  or (n.startswith("response.") and n.endswith(COMPARED_RESPONSE))
                  or (n.startswith("service.") and n.endswith(COMPARED_SERVICE)))


def comparison(parent: str, mine: list[dict[str, float]], theirs: list[dict[str, float]]) -> dict[str, Any]:
    """The comparison with the parent scenario: its KPIs and the paired differences."""
    names = compared_kpis(set().union(*mine, *theirs))
    return {
        "parent": parent,
        "method": "paired differences per replication on common random numbers (this minus parent)",
        "parent_kpis": aggregate([{n: r.get(n, 0.0) for n in names} for r in theirs]),
        "difference": paired_differences(theirs, mine, names),
    }


def replication_key(replication: int) -> str:
    return f"rep-{replication:04d}"


def replication_task(sc: Scenario, parent: Scenario | None, replication: int) -> dict[str, Any]:
    """A worker task (experiments/executor.py): one replication's tables, KPIs and timings,
    and its parent's KPIs on the same random numbers when there is a parent."""
    result = run_replication(sc, replication)
    out = {"kpis": result.kpis, "timings": result.timings, "prevented": result.tables.prevented,
           "tables": {"requests": result.tables.requests, "stages": result.tables.stages,
                      "resources": result.resources}}
    if parent is not None:
        out["parent_kpis"] = run_replication(parent, replication).kpis
    return out


def replication_in_store(store_folder: Path, key: str, sc: Scenario, parent: Scenario | None,
                         replication: int) -> dict[str, Any]:
    """replication_task on this machine's cores: the worker writes the tables into the store
    itself, in a thread while it computes the KPIs (pyarrow encodes and writes without holding
    the GIL), and returns the rest for the record. A parent process that wrote every worker's
    tables would be as busy as the workers."""
    store, writing = TaskStore(store_folder), []
    with ThreadPoolExecutor(1) as writer:
        result = run_replication(sc, replication,
                                 lambda tables: writing.append(writer.submit(store.save_tables, key, tables)))
        try:
            for done in writing:
                done.result()
        except FaultError as exc:  # the disk refused: the parent says so as it would (exit 2), not as a failed run
            cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else OSError(exc.errno, str(exc))
            return {"fault": [cause.errno, cause.strerror or str(cause), str(exc.folder)]}
    out = {"kpis": result.kpis, "timings": result.timings, "prevented": result.tables.prevented}
    if parent is not None:
        out["parent_kpis"] = run_replication(parent, replication).kpis
    return out


def raise_fault(value: dict[str, Any]) -> None:
    """A worker's write the disk refused (replication_in_store), raised here as if the parent
    had written: a FaultError naming the outermost results folder (experiments/output.py)."""
    if "fault" in value:
        code, reason, folder = value["fault"]
        cause = OSError(code, reason) if code is not None else OSError(reason)
        raise fault_error(cause, Path(folder)) from cause


TABLES = ("requests", "stages", "resources")

# What a command adds to a complete run before its folder is renamed into place (the printed
# summary and the report): before_rename(partial folder, summary, the folder it will become).
BeforeRename = Callable[[Path, dict[str, Any], Path], None]


def complete(partial: Path, out_root: Path, summary: dict[str, Any], before_rename: BeforeRename | None) -> Path:
    """Finish a complete partial folder and rename it into place: the results folder appears
    whole (summary.txt and report.html included) or not at all. Killed or interrupted
    before the rename, the same command finds the partial folder complete and does only this
    again (run_scenario)."""
    target = free_folder(out_root)
    if before_rename is not None:
        with faults(out_root):
            before_rename(partial, summary, target)
    folder = finalise(partial, out_root, target=target)
    if before_rename is not None and folder != target:  # another run took the name meanwhile: say the right one
        with faults(out_root):
            before_rename(folder, summary, folder)
    return folder


def run_scenario(sc: Scenario, replications: int, out_root: Path, quiet: bool = False,
                 source: str = "", parent: Scenario | None = None, workers: int = 1,
                 dask: str | None = None, lock_timeout: float | None = None,
                 finishing: Callable[[Path], object] | None = None,
                 before_rename: BeforeRename | None = None) -> RunResult:
    """Run all replications (on `workers` local cores or a Dask cluster, resuming finished
    ones), aggregate, write the results folder. With a parent scenario, each replication
    also runs the parent on the same random numbers, and the summary shows what moved.
    `finishing(folder)`, if given, writes more files from the finished tables into the
    folder before it is complete (e.g. validate's validation.json), so they appear with it.

    One process at a time works in the scenario's partial folder (experiments/output.py): a
    second run of the same scenario into the same `out_root` waits for the first (at most
    `lock_timeout` seconds, then BusyError), then runs in a partial folder of its own. A disk
    that refuses a write is a FaultError naming `out_root`; the same command resumes.
    `before_rename` writes what the command adds (summary.txt, report.html) before the rename."""
    resolved = dump_scenario(sc)
    parent_yaml = dump_scenario(parent) if parent is not None else ""
    digest = scenario_hash(resolved + parent_yaml, replications)
    with faults(out_root):
        make_dir(out_root)
        partial = partial_dir(out_root, digest)
        with folder_lock(lock_path(partial), f"another run of '{sc.scenario}' in {partial}", lock_timeout):
            make_dir(partial)
            remove_stale_tmp(partial, owned=True)  # we hold the lock: left by a killed run
            if (partial / COMPLETE).exists():  # killed while finalising: only the rename is left
                if not quiet:
                    print(f"Resuming: {replications} of {replications} runs already done in {partial}", file=sys.stderr)
                summary = reanalyse(partial)
                return RunResult(folder=complete(partial, out_root, summary, before_rename), summary=summary,
                                 resumed=replications)
            store = TaskStore(inside(out_root, partial / "runs"))
            remove_stale_tmp(store.folder, owned=True)
            return _run_in_partial(sc, resolved, replications, out_root, partial, store, quiet, source, parent,
                                   workers, dask, finishing, before_rename)


def _run_in_partial(sc: Scenario, resolved: str, replications: int, out_root: Path, partial: Path,
                    store: TaskStore, quiet: bool, source: str, parent: Scenario | None, workers: int,
                    dask: str | None, finishing: Callable[[Path], object] | None = None,
                    before_rename: BeforeRename | None = None) -> RunResult:
    """run_scenario's work, holding the partial folder's lock."""
    atomic_write_text(partial / "scenario.yaml", resolved)
    started = time.perf_counter()
    keys = [replication_key(r) for r in range(replications)]
    done_before = sum(store.done(k) for k in keys)

    def keep(key: str, out: Outcome) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
        if out.error is not None:
            raise RunError(f"replication {int(key[4:])} of '{sc.scenario}' failed: {out.error}")
        value = dict(out.value)
        raise_fault(value)
        return value, value.pop("tables", {})

    # on this machine the workers write their own tables; a cluster's send them back
    fn = replication_task if dask else replication_in_store
    tasks = [(key, (sc, parent, r) if dask else (store.folder, key, sc, parent, r)) for r, key in enumerate(keys)]
    if dask is None and done_before < replications:  # a remote cluster's memory is its own
        requests = max(run_size(sc)["requests"], run_size(parent)["requests"] if parent else 0.0)
        check_memory(requests, min(workers, replications - done_before), f"'{sc.scenario}'")
    for _ in run_in_store(store, fn, tasks, workers, dask, sc.scenario, quiet or replications < 2, keep):
        pass
    summary = write_run_folder(sc, store, keys, partial, source, parent, workers, dask, started, done_before,
                               finishing)
    folder = complete(partial, out_root, summary, before_rename)
    return RunResult(folder=folder, summary=summary, resumed=done_before)


def write_run_folder(sc: Scenario, store: TaskStore, keys: list[str], partial: Path, source: str,
                     parent: Scenario | None, workers: int, dask: str | None, started: float, done_before: int,
                     finishing: Callable[[Path], object] | None = None) -> dict[str, Any]:
    """A run's results folder from its finished replications in the store (the tables merged,
    summary.json, parent.json, run.json, methods.md last): one region's, or one region of a
    country's (experiments/country.py). Returns the summary."""
    replications = len(keys)
    records = cast(list[dict[str, Any]], [store.load(k) for k in keys])  # every key is finished here
    per_rep = [{k: number(v) for k, v in rec["kpis"].items()} for rec in records]
    parent_rep = [{k: number(v) for k, v in rec["parent_kpis"].items()} for rec in records] if parent else []
    for name in TABLES:
        merge_tables([store.table_path(k, name) for k in keys], partial / f"{name}.parquet")
    summary = build_summary(sc, per_rep, parent.scenario if parent else None, parent_rep)
    atomic_write_json(partial / "summary.json", summary)
    if parent is not None:
        atomic_write_json(partial / "parent.json", {"scenario": parent.scenario, "per_replication": parent_rep,
                                                    "description": parent.model_dump(mode="json")["description"]})
    atomic_write_json(partial / "run.json", {
        "versions": versions(),
        "scenario_file": source,
        "seed": sc.region.seed,
        "replications": [{"replication": r, "prevented": rec["prevented"]} for r, rec in enumerate(records)],
        "random_streams": "numpy SeedSequence(entropy=seed, spawn_key=(replication, blake2b64(stream name))) "
                          "with one stream per location ('location:<id>') and per service "
                          "('service:spoedpost:background'); PCG64",
        "warmup": f"{sc.region.warmup_weeks} weeks simulated and excluded from every KPI "
                  "(requests flagged warmup=true in requests.parquet)",
        "wall_time_s": time.perf_counter() - started,
        "workers": workers, "dask": dask,
        "resumed_replications": done_before,
        "timings_per_replication": [rec["timings"] for rec in records],
        "platform": {"machine": platform.machine(), "system": platform.system(), "cpus": os.cpu_count()},
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
    })
    if finishing is not None:
        finishing(partial)
    # written last: its presence says the partial folder is complete (see run_scenario)
    atomic_write_text(partial / COMPLETE, methods_text(sc, replications, time.perf_counter() - started, parent))
    return summary


def build_summary(sc: Scenario, per_rep: list[dict[str, float]], parent: str | None = None,
                  parent_rep: list[dict[str, float]] | None = None) -> dict[str, Any]:
    """summary.json: every KPI per replication and aggregated, the services that cannot
    keep up, and the comparison with the parent when there is one."""
    summary: dict[str, Any] = {
        "scenario": sc.scenario,
        "description": sc.describe("en"),
        "region": sc.region.name,
        "replications": len(per_rep),
        "weeks_measured": sc.region.weeks,
        "warmup_weeks": sc.region.warmup_weeks,
        "seed": sc.region.seed,
        "calibration_targets": {"source": "seed 000 (Het Gastenhuis)", **SEED_000},
        "kpis": aggregate(per_rep),
        "per_replication": per_rep,
    }
    summary["overloaded"] = overloaded(summary["kpis"])
    if parent is not None:
        summary["comparison"] = comparison(parent, per_rep, parent_rep or [])
    return summary


def reanalyse(folder: Path) -> dict[str, Any]:
    """summary.json again, from the results folder's own files (scenario.yaml, the requests,
    stages and resources tables, run.json and parent.json): every KPI recomputed without
    running anything. On an untouched folder it equals what the run wrote."""
    folder = Path(folder)
    missing = [f for f in ("scenario.yaml", "run.json", *(f"{t}.parquet" for t in TABLES)) if not (folder / f).exists()]
    if missing:
        raise ScenarioError(f"{folder}: not a run's results folder (missing {', '.join(missing)})")
    sc = parse_scenario((folder / "scenario.yaml").read_text(), str(folder / "scenario.yaml"))
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    run = json.loads((folder / "run.json").read_text())
    per_rep = []
    for entry in run["replications"]:
        r = entry["replication"]
        mine = {name: df[df["replication"] == r].reset_index(drop=True) for name, df in tables.items()}
        per_rep.append(replication_kpis(RunTables(sc, r, mine["requests"], mine["stages"],
                                                  resources_of(mine["resources"]), entry["prevented"])))
    parent = json.loads((folder / "parent.json").read_text()) if (folder / "parent.json").exists() else None
    parent_rep = [{k: number(v) for k, v in rep.items()} for rep in parent["per_replication"]] if parent else None
    return build_summary(sc, per_rep, parent["scenario"] if parent else None, parent_rep)


def methods_text(sc: Scenario, replications: int, wall_s: float, parent: Scenario | None) -> str:
    """A methods paragraph a researcher can paste into a paper (and adapt)."""
    v = versions()
    cpu = platform.processor() or platform.machine()
    compare = (f" Each replication of the scenario was paired with a replication of the reference scenario "
               f"'{parent.scenario}' on the same random numbers, and differences are reported as paired "
               "differences with Student-t 95% confidence intervals." if parent is not None else "")
    return (
        f"## Methods\n\n"
        f"Demand for medisch-generalistische zorg in {sc.region.name} ({len(sc.locations)} Wlz care locations, "
        f"{sum(l.residents for l in sc.locations):,} residents, {len(sc.practices)} GP practices, "
        f"{_haps(sc)}) was simulated with mgz-sim "
        f"{v['mgz-sim']}, a discrete-event simulation in Python {v['python']} with SimPy {v['simpy']}, NumPy "
        f"{v['numpy']}, SciPy {v['scipy']} and pandas {v['pandas']}. Care requests arrive per location as a "
        "non-homogeneous Poisson process over an hour-of-week profile with gamma-distributed per-resident "
        "frailty, calibrated to 4.1 GP consults per week per 20 residents, 59% by telephone, 14% acute and 9% "
        "in the weekend (Het Gastenhuis); every parameter, its value and its source are listed in the "
        f"resolved scenario file. Each of {replications} independent replication(s) simulated "
        f"{sc.region.warmup_weeks} warm-up week(s), excluded from all results (chosen by inspecting weekly "
        f"series per replication, Welch's method), followed by {sc.region.weeks} measured weeks starting "
        f"{sc.region.start.isoformat()}. Random numbers came from PCG64 generators seeded by "
        f"numpy.random.SeedSequence(entropy={sc.region.seed}, spawn_key=(replication, stream)), with one "
        "independent stream per care location and per service (common random numbers). Results are "
        "reported as the mean over replications with a Student-t 95% confidence interval." + compare +
        f" The run took {wall_s:.0f} s on a {os.cpu_count()}-core {cpu} machine "
        f"({platform.system()}).\n")


def _haps(sc: Scenario) -> str:
    """'one huisartsenspoedpost serving 120,000 inhabitants', or several with their own."""
    haps = sc.all_spoedposten()
    if len(haps) == 1:
        return f"one huisartsenspoedpost serving {haps[0].inhabitants or sc.region.inhabitants:,} inhabitants"
    return f"{len(haps)} huisartsenspoedposten serving " + ", ".join(
        f"{h.inhabitants or sc.region.inhabitants:,}" for h in haps) + " inhabitants"
