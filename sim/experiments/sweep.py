"""Parameter sweeps: a base scenario, parameters to vary by path, x replications.

A sweep file names its base scenario and the parameters it varies (lists, ranges, a grid,
a Latin hypercube or Sobol design); every design point is checked before the first run.
Every run (design point x replication) is written atomically as its own file as soon as
it finishes (experiments/point_runs.py), so an interrupted sweep (Ctrl-C, kill -9, power
loss) rerun with the same command skips what is done and ends with the same table as an
uninterrupted one. Runs use the base seed and their replication number only, so every
design point sees the same random numbers (common random numbers across the sweep) and
results do not depend on the number of workers.
"""

from __future__ import annotations

import copy
import itertools
import math
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from scipy.stats import qmc

from sim.errors import ScenarioError, reading
from sim.experiments.output import atomic_write_json, atomic_write_parquet, atomic_write_text
from sim.experiments.point_runs import execute, experiment_folder
from sim.experiments.runner import versions
from sim.scenario import plain_yaml
from sim.scenario.extends import resolve_extends, set_path, with_defaults
from sim.scenario.messages import errors_to_message
from sim.scenario.schema import FolderName, Seed, Text, Weeks
from sim.scenario.validation import quote, validate_data
from sim.scenario.yaml_reading import file_ref, read_file, read_yaml

# How large a sweep may be, checked before any design point is built. Every point is a
# whole scenario held in memory (~45 KB for Regio Voorbeeld) and validated before the
# first run (~4 ms each), and every run is a task and a file. 20,000 points (~1 GB, ~80 s
# of checks) and 200,000 runs are far beyond any useful sweep (a Morris screening of 20
# parameters with 20 trajectories is 420 points); the largest shipped design, the default
# 5-step grid of assumptions_d_behandelteam.yaml's six parameters, is 15,625.
MAX_POINTS = 20_000
MAX_RUNS = 200_000  # design points x replications


# A bound of a swept range: any scenario value fits (seeds aside), and high - low stays a
# finite number, so every point between them is one.
Bound = Annotated[float, Field(ge=-1e18, le=1e18)]


class Param(BaseModel):
    """One swept parameter: explicit values, a range with steps, or bounds for a sampled
    design (lhs, sobol, morris)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    values: Annotated[list[Any], Field(min_length=1, max_length=MAX_POINTS)] | None = None
    range: Annotated[list[Bound], Field(min_length=2, max_length=2)] | None = None
    steps: Annotated[int, Field(ge=2, le=1_000, description="grid steps over a range or low/high, 2 to 1,000")] = 5
    low: Bound | None = None
    high: Bound | None = None
    integer: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "Param":
        kinds = [self.values is not None, self.range is not None, self.low is not None or self.high is not None]
        if sum(kinds) != 1:
            raise ValueError("give exactly one of: a list of values, range: [a, b] (with steps), or low/high")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high")
        if self.low is not None and self.high is not None and self.low >= self.high:  # both or neither, above
            raise ValueError("low must be below high")
        return self

    def grid_size(self) -> int:
        """How many values grid() gives, without building them."""
        return len(self.values) if self.values is not None else self.steps

    def grid(self) -> list[Any]:
        if self.values is not None:
            return list(self.values)
        if self.range is not None:
            vals = np.linspace(self.range[0], self.range[1], self.steps)
        else:
            assert self.low is not None and self.high is not None  # one of the three, checked on reading
            vals = np.linspace(self.low, self.high, self.steps)
        return [int(round(v)) if self.integer else round(float(v), 12) for v in vals]

    def scale(self, u: np.ndarray) -> list[Any]:
        lo, hi = (self.low, self.high) if self.low is not None else (
            (min(self.range), max(self.range)) if self.range else (None, None))
        if lo is None or hi is None:
            raise ValueError("sampled designs need low/high or range bounds, not a list of values")
        vals = lo + u * (hi - lo)
        return [int(round(v)) if self.integer else float(v) for v in vals]


class SweepSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: FolderName = Field(description="the sweep's name, part of its results folder")
    base: str = Field(max_length=1_000, description="scenario file, relative to the sweep file")
    description: Text = ""
    replications: Annotated[int, Field(ge=1, le=1_000)] = 3
    weeks: Weeks | None = None
    kpis: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=1_000, description="KPIs to keep; empty keeps all")
    design: Literal["list", "grid", "lhs", "sobol"] = "grid"
    samples: Annotated[int, Field(ge=1, le=MAX_POINTS)] = 16
    seed: Seed = 12345
    parameters: dict[str, Param] = Field(min_length=1, max_length=50)
    reference: str | None = Field(
        None, max_length=1_000,
        description="a scenario (relative to the sweep file) every design point is compared with, on the "
        "same random numbers: `sensitivity` then says per KPI whether the answer holds whatever the assumptions")
    # for `sensitivity`
    method: Literal["morris", "sobol"] = "morris"
    trajectories: Annotated[int, Field(ge=2, le=1_000)] = 10
    levels: Annotated[int, Field(ge=2, le=100)] = 4
    _source: str = PrivateAttr("the sweep file")  # the file it was read from, for messages

    @property
    def source(self) -> str:
        """The sweep file this spec was read from (load_spec), for messages."""
        return self._source

    def design_size(self, command: str = "sweep") -> int:
        """Design points `sweep` (its design) or `sensitivity` (its method) will build,
        counted without building them."""
        d = len(self.parameters)
        if command == "sensitivity":
            return self.trajectories * (d + 1) if self.method == "morris" else self.samples * (d + 2)
        if self.design == "grid":
            return math.prod(p.grid_size() for p in self.parameters.values())
        if self.design == "list":
            return max(p.grid_size() for p in self.parameters.values())
        return self.samples

    def check_size(self, command: str = "sweep") -> None:
        """At most MAX_POINTS design points and MAX_RUNS runs (points x replications)."""
        points = self.design_size(command)
        runs = points * self.replications
        what = (f"design '{self.design}'" if command == "sweep" else
                f"sensitivity method '{self.method}'")
        if points > MAX_POINTS or runs > MAX_RUNS:
            shown = f"{points:,}" if points < 10**15 else f"about 10^{len(str(points)) - 1}"
            raise ScenarioError(
                f"{self._source}: the {what} gives {shown} design points x {self.replications} replications; at "
                f"most {MAX_POINTS:,} points and {MAX_RUNS:,} runs. Use fewer parameters, values, steps, samples or "
                "trajectories, or fewer replications")


def load_spec(path: Path) -> tuple[SweepSpec, Any]:
    with reading(path):
        return _load_spec(path)


def _load_spec(path: Path) -> tuple[SweepSpec, Any]:
    root, data = read_yaml(read_file(path, "sweep file"), str(path))
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}"
        raise ScenarioError(f"{path}: a sweep file must be a mapping (name, base, parameters, ...), not {what}")
    data = {k: ({p: (v if isinstance(v, dict) else {"values": v}) for p, v in val.items()}
                if k == "parameters" and isinstance(val, dict) else val) for k, val in data.items()}
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(errors_to_message(str(path), root, exc.errors(), model=SweepSpec)) from None
    spec._source = str(path)
    return spec, root


def base_data(spec: SweepSpec, sweep_path: Path, name: str | None = None) -> dict[str, Any]:
    """The base scenario (or another the sweep file names, relative to it) as plain data, as
    written: a point's paths reach the defaults through apply_point, and every default that
    follows another field (the HAP's rosters from the inhabitants) is derived after it."""
    field = "reference" if name else "base"
    path = file_ref(name or spec.base, str(sweep_path), field, sweep_path.parent)
    try:
        with reading(path):
            _, data = read_yaml(read_file(path), str(path))
            if not isinstance(data, dict):
                raise ScenarioError(f"{path}: a scenario must be a mapping of keys")
            data = resolve_extends(data, str(path), path.parent)
    except ScenarioError as exc:  # the message names the sweep file too
        raise ScenarioError(f"{sweep_path}: {field}: {exc}") from None
    if spec.weeks is not None and isinstance(data.setdefault("region", {}), dict):
        data["region"]["weeks"] = spec.weeks
    return data


def reference_data(spec: SweepSpec, sweep_path: Path, base: dict[str, Any]) -> dict[str, Any]:
    """The reference scenario on the base's seed and horizon (common random numbers)."""
    data = base_data(spec, sweep_path, spec.reference)
    region, base_region = data.setdefault("region", {}), base.get("region", {})
    for key in ("seed", "weeks", "warmup_weeks", "start"):
        if isinstance(region, dict) and isinstance(base_region, dict) and key in base_region:
            region[key] = base_region[key]
    try:
        validate_data(data)
    except ScenarioError as exc:
        raise ScenarioError(f"{sweep_path}: reference: {exc}") from None
    return data


def design_points(spec: SweepSpec) -> list[dict[str, Any]]:
    with reading(spec.source, "parameters"):
        return _design_points(spec)


def _design_points(spec: SweepSpec) -> list[dict[str, Any]]:
    spec.check_size("sweep")  # before a single point is built
    names = list(spec.parameters)
    params = [spec.parameters[n] for n in names]
    try:
        if spec.design == "grid":
            combos = itertools.product(*(p.grid() for p in params))
            return [dict(zip(names, c)) for c in combos]
        if spec.design == "list":
            columns = [p.grid() for p in params]
            if len({len(c) for c in columns}) != 1:
                raise ScenarioError(f"{spec._source}: design 'list' pairs values by position: give every parameter "
                                    "as many values")
            return [dict(zip(names, row)) for row in zip(*columns)]
        if spec.design == "lhs":
            u = qmc.LatinHypercube(d=len(names), seed=spec.seed).random(spec.samples)
        else:
            u = qmc.Sobol(d=len(names), scramble=True, seed=spec.seed).random(spec.samples)
        cols = [p.scale(u[:, k]) for k, p in enumerate(params)]
        return [dict(zip(names, row)) for row in zip(*cols)]
    except (ValueError, OverflowError) as exc:
        raise ScenarioError(f"{spec._source}: parameters: {exc}") from None


_DEFAULTS: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}  # id(base) -> (base, base with its defaults)


def _defaults_of(base: dict[str, Any]) -> dict[str, Any]:
    """The base with every default filled in, computed once per base (a sweep applies many
    points to one base)."""
    hit = _DEFAULTS.get(id(base))
    if hit is None or hit[0] is not base:
        if len(_DEFAULTS) > 8:
            _DEFAULTS.clear()
        hit = _DEFAULTS[id(base)] = (base, with_defaults(copy.deepcopy(base)))
    return hit[1]


def apply_point(base: dict[str, Any], point: dict[str, Any]) -> dict[str, Any]:
    """The base with a design point's values set (scenario/loading.py set_path: only the
    parts on each path are written)."""
    data = copy.deepcopy(base)
    defaults = _defaults_of(base) if point else None
    for dotted, value in point.items():
        set_path(data, dotted, value, defaults)
    return data


def check_points(base: dict[str, Any], points: list[dict[str, Any]], source: str) -> None:
    """Every design point must give a valid scenario before anything runs (and there are
    at most MAX_POINTS of them)."""
    if len(points) > MAX_POINTS:
        raise ScenarioError(f"{source}: {len(points):,} design points; at most {MAX_POINTS:,}. Use fewer parameters, "
                            "values, steps, samples or trajectories")
    for k, point in enumerate(points):
        try:
            with reading(source, f"design point {k} {quote(point)}"):
                validate_data(apply_point(base, point))
        except ScenarioError as exc:
            raise ScenarioError(f"{source}: design point {k} {quote(point)} is not a valid scenario: {exc}") from None


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
    atomic_write_text(folder / "base_scenario.yaml", plain_yaml.dump(base))
    atomic_write_json(folder / "failures.json", failures)
    atomic_write_json(folder / "provenance.json", {
        "sweep_file": str(sweep_path), "spec": spec.model_dump(), "points": points,
        "seed": base.get("region", {}).get("seed"), "replications": spec.replications,
        "random_numbers": "each run uses the base seed and its replication number only: every design point "
                          "sees the same random numbers (common random numbers)",
        "versions": versions(), "wall_time_s": seconds, "workers": workers, "dask": dask,
        "runs": len(points) * spec.replications, "failed": len(failures),
    })
