"""Parameter sweeps: a base scenario, parameters to vary by path, x replications.

Every run (design point x replication) is written atomically as its own file as soon as
it finishes, so an interrupted sweep (Ctrl-C, kill -9, power loss) rerun with the same
command skips what is done and ends with the same table as an uninterrupted one. Runs use
the base seed and their replication number only, so every design point sees the same
random numbers (common random numbers across the sweep) and results do not depend on
the number of workers.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from scipy.stats import qmc

from sim.errors import ScenarioError
from sim.experiments.executor import Outcome
from sim.experiments.output import (
    atomic_write_json,
    atomic_write_parquet,
    atomic_write_text,
    number,
)
from sim.experiments.runner import run_replication, versions
from sim.experiments.store import TaskStore, run_in_store
from sim.scenario.config import Scenario
from sim.scenario.loading import (
    errors_to_message,
    read_file,
    read_yaml,
    resolve_extends,
    set_path,
    validate_data,
    with_defaults,
)


class Param(BaseModel):
    """One swept parameter: explicit values, a range with steps, or bounds for a sampled
    design (lhs, sobol, morris)."""

    model_config = ConfigDict(extra="forbid")
    values: list[Any] | None = None
    range: Annotated[list[float], Field(min_length=2, max_length=2)] | None = None
    steps: Annotated[int, Field(ge=2)] = 5
    low: float | None = None
    high: float | None = None
    integer: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "Param":
        kinds = [self.values is not None, self.range is not None, self.low is not None or self.high is not None]
        if sum(kinds) != 1:
            raise ValueError("give exactly one of: a list of values, range: [a, b] (with steps), or low/high")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high")
        if self.low is not None and self.low >= self.high:
            raise ValueError("low must be below high")
        return self

    def grid(self) -> list[Any]:
        if self.values is not None:
            return list(self.values)
        if self.range is not None:
            vals = np.linspace(self.range[0], self.range[1], self.steps)
        else:
            vals = np.linspace(self.low, self.high, self.steps)
        return [int(round(v)) if self.integer else round(float(v), 12) for v in vals]

    def scale(self, u: np.ndarray) -> list[Any]:
        lo, hi = (self.low, self.high) if self.low is not None else (
            (min(self.range), max(self.range)) if self.range else (None, None))
        if lo is None:
            raise ValueError("sampled designs need low/high or range bounds, not a list of values")
        vals = lo + u * (hi - lo)
        return [int(round(v)) if self.integer else float(v) for v in vals]


class SweepSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    base: str = Field(description="scenario file, relative to the sweep file")
    description: str = ""
    replications: Annotated[int, Field(ge=1)] = 3
    weeks: Annotated[int, Field(ge=1)] | None = None
    kpis: list[str] = Field(default_factory=list, description="KPIs to keep; empty keeps all")
    design: Literal["list", "grid", "lhs", "sobol"] = "grid"
    samples: Annotated[int, Field(ge=1)] = 16
    seed: int = 12345
    parameters: dict[str, Param] = Field(min_length=1)
    reference: str | None = Field(
        None, description="a scenario (relative to the sweep file) every design point is compared with, on the "
        "same random numbers: `sensitivity` then says per KPI whether the answer holds whatever the assumptions")
    # for `sensitivity`
    method: Literal["morris", "sobol"] = "morris"
    trajectories: Annotated[int, Field(ge=2)] = 10
    levels: Annotated[int, Field(ge=2)] = 4


def load_spec(path: Path) -> tuple[SweepSpec, Any]:
    root, data = read_yaml(read_file(path), str(path))
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a sweep file must be a mapping (name, base, parameters, ...)")
    data = {k: ({p: (v if isinstance(v, dict) else {"values": v}) for p, v in val.items()}
                if k == "parameters" and isinstance(val, dict) else val) for k, val in data.items()}
    try:
        return SweepSpec.model_validate(data), root
    except ValidationError as exc:
        raise ScenarioError(errors_to_message(str(path), root, exc.errors())) from None


def base_data(spec: SweepSpec, sweep_path: Path, name: str | None = None) -> dict[str, Any]:
    """The base scenario (or another the sweep file names, relative to it) as plain data with
    every default filled in (so any path works)."""
    path = (sweep_path.parent / (name or spec.base)).resolve()
    _, data = read_yaml(read_file(path), str(path))
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario must be a mapping of keys")
    data = resolve_extends(data, str(path), path.parent)
    if spec.weeks is not None:
        data.setdefault("region", {})["weeks"] = spec.weeks
    return with_defaults(data)


def reference_data(spec: SweepSpec, sweep_path: Path, base: dict[str, Any]) -> dict[str, Any]:
    """The reference scenario on the base's seed and horizon (common random numbers)."""
    data = base_data(spec, sweep_path, spec.reference)
    region = data.setdefault("region", {})
    for key in ("seed", "weeks", "warmup_weeks", "start"):
        if key in base.get("region", {}):
            region[key] = base["region"][key]
    try:
        validate_data(data)
    except ScenarioError as exc:
        raise ScenarioError(f"{sweep_path}: reference: {exc}") from None
    return data


def design_points(spec: SweepSpec) -> list[dict[str, Any]]:
    names = list(spec.parameters)
    params = [spec.parameters[n] for n in names]
    try:
        if spec.design == "grid":
            combos = itertools.product(*(p.grid() for p in params))
            return [dict(zip(names, c)) for c in combos]
        if spec.design == "list":
            columns = [p.grid() for p in params]
            if len({len(c) for c in columns}) != 1:
                raise ScenarioError("design 'list' pairs values by position: give every parameter as many values")
            return [dict(zip(names, row)) for row in zip(*columns)]
        if spec.design == "lhs":
            u = qmc.LatinHypercube(d=len(names), seed=spec.seed).random(spec.samples)
        else:
            u = qmc.Sobol(d=len(names), scramble=True, seed=spec.seed).random(spec.samples)
        cols = [p.scale(u[:, k]) for k, p in enumerate(params)]
        return [dict(zip(names, row)) for row in zip(*cols)]
    except ValueError as exc:
        raise ScenarioError(f"sweep parameters: {exc}") from None


def apply_point(base: dict[str, Any], point: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for dotted, value in point.items():
        set_path(data, dotted, value)
    return data


def check_points(base: dict[str, Any], points: list[dict[str, Any]], source: str) -> None:
    """Every design point must give a valid scenario before anything runs."""
    for k, point in enumerate(points):
        try:
            validate_data(apply_point(base, point))
        except ScenarioError as exc:
            raise ScenarioError(f"{source}: design point {k} {point} is not a valid scenario: {exc}") from None


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


def execute(scenarios: list[dict[str, Any]], points: list[dict[str, Any]], replications: int, kpis: list[str],
            folder: Path, workers: int, dask: str | None, quiet: bool, desc: str) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Run every (point, replication) not yet done in `folder/runs` (experiments/store.py),
    then build the tidy table from the run records. scenarios[k] is design point k's full
    scenario; points[k] its label columns."""
    store = TaskStore(folder / "runs")
    tasks = [(_key(p, r), (scenarios[p], r, kpis)) for p in range(len(points)) for r in range(replications)]

    def keep(key: str, out: Outcome) -> tuple[dict[str, Any], dict]:
        p, r = (int(x[1:]) for x in key.split("-"))
        return {"point": p, "replication": r, "params": points[p], "error": out.error,
                **(out.value or {"kpis": {}, "seconds": None})}, {}

    for _ in run_in_store(store, run_point, tasks, workers, dask, desc, quiet, keep):
        pass
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


def point_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% CI per design point and KPI, over replications."""
    from sim.analysis.metrics import aggregate
    if table.empty:
        return table
    params = [c for c in table.columns if c.startswith("param:")]
    out = []
    for (point, kpi), grp in table.groupby(["point", "kpi"], sort=True):
        agg = aggregate([{kpi: v} for v in grp["value"]])[kpi]
        out.append({"point": point, **{c: grp[c].iloc[0] for c in params}, "kpi": kpi, **agg})
    return pd.DataFrame(out)


def run_sweep(sweep_path: Path, out_root: Path, workers: int, dask: str | None, quiet: bool) -> tuple[Path, pd.DataFrame, list]:
    spec, _ = load_spec(sweep_path)
    base = base_data(spec, sweep_path)
    points = design_points(spec)
    check_points(base, points, str(sweep_path))
    folder = experiment_folder(out_root, spec.name, base, points, spec.replications, spec.kpis)
    t0 = time.perf_counter()
    scenarios = [apply_point(base, p) for p in points]
    table, failures = execute(scenarios, points, spec.replications, spec.kpis, folder, workers, dask, quiet, spec.name)
    write_sweep_results(folder, spec, sweep_path, base, points, table, failures, time.perf_counter() - t0,
                        workers, dask)
    return folder, table, failures


def write_sweep_results(folder: Path, spec: SweepSpec, sweep_path: Path, base: dict[str, Any],
                        points: list[dict[str, Any]], table: pd.DataFrame, failures: list, seconds: float,
                        workers: int, dask: str | None) -> None:
    atomic_write_parquet(folder / "sweep.parquet", table)
    atomic_write_parquet(folder / "points.parquet", point_summary(table))
    atomic_write_text(folder / "base_scenario.yaml", yaml.safe_dump(base, sort_keys=False, allow_unicode=True))
    atomic_write_json(folder / "failures.json", failures)
    atomic_write_json(folder / "provenance.json", {
        "sweep_file": str(sweep_path), "spec": spec.model_dump(), "points": points,
        "seed": base.get("region", {}).get("seed"), "replications": spec.replications,
        "random_numbers": "each run uses the base seed and its replication number only: every design point "
                          "sees the same random numbers (common random numbers)",
        "versions": versions(), "wall_time_s": seconds, "workers": workers, "dask": dask,
        "runs": len(points) * spec.replications, "failed": len(failures),
    })
