"""Global sensitivity of chosen KPIs to chosen parameters (SALib: Morris or Sobol), so a
researcher sees which assumptions drive the answer (triage resolve shares, prevention,
GP capacity, ...). Uses a sweep file; its parameters need low/high bounds and its kpis
list names the outputs. Each sample is run `replications` times on common random
numbers and averaged; runs are resumable and parallel like a sweep."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.analysis.metrics import aggregate
from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_json, atomic_write_parquet
from sim.experiments.point_runs import execute, experiment_folder
from sim.experiments.runner import versions
from sim.experiments.sweep import apply_point, base_data, check_points, load_spec, reference_data


def problem(spec) -> dict[str, Any]:
    bounds = []
    for name, p in spec.parameters.items():
        if p.low is None and p.range is None:
            raise ScenarioError(f"{spec.source}: parameters.{name}: sensitivity needs low/high (or range) bounds, "
                                "not a list of values")
        bounds.append([p.low, p.high] if p.low is not None else sorted(p.range))
    return {"num_vars": len(bounds), "names": list(spec.parameters), "bounds": bounds}


def samples(spec, prob: dict[str, Any]) -> np.ndarray:
    if spec.method == "morris":
        return morris_sample.sample(prob, N=spec.trajectories, num_levels=spec.levels, seed=spec.seed)
    return sobol_sample.sample(prob, N=spec.samples, calc_second_order=False, seed=spec.seed)


def run_sensitivity(path: Path, out_root: Path, workers: int, dask: str | None, quiet: bool) -> tuple[Path, pd.DataFrame]:
    spec, _ = load_spec(path)
    spec.check_size("sensitivity")  # points x replications, before SALib draws a single sample
    if not spec.kpis:
        raise ScenarioError(f"{path}: kpis: name the KPIs to analyse (e.g. handled.gp.wlz_per_week)")
    prob = problem(spec)
    X = samples(spec, prob)
    points = []
    for row in X:
        point = {}
        for name, value in zip(prob["names"], row):
            point[name] = int(round(value)) if spec.parameters[name].integer else float(value)
        points.append(point)
    base = base_data(spec, path)
    check_points(base, points, str(path))
    reference = reference_data(spec, path, base) if spec.reference else None
    folder = experiment_folder(out_root, f"{spec.name}-{spec.method}", base, points, spec.replications, spec.kpis,
                               reference)
    t0 = time.perf_counter()
    table, failures = execute([apply_point(base, p) for p in points], points, spec.replications, spec.kpis,
                              folder, workers, dask, quiet, f"{spec.name} ({spec.method})")
    if reference is not None:
        refs, ref_of = reference_points(reference, points, str(path))
        ref_table, ref_failures = execute(refs, [{}] * len(refs), spec.replications, spec.kpis, folder / "reference",
                                          workers, dask, quiet, f"{spec.name} (reference)")
        failures += ref_failures
    if failures:
        raise ScenarioError(f"{len(failures)} sensitivity runs failed (first: {failures[0]['error']}); "
                            f"see {folder / 'runs'}; rerun to retry them")
    means = table.groupby(["point", "kpi"])["value"].mean().unstack("kpi").sort_index()
    rows = []
    for kpi in spec.kpis:
        Y = means[kpi].to_numpy()
        if spec.method == "morris":
            res = morris_analyze.analyze(prob, X, Y, num_levels=spec.levels, seed=spec.seed)
            for k, name in enumerate(prob["names"]):
                rows.append({"kpi": kpi, "parameter": name, "mu_star": float(res["mu_star"][k]),
                             "mu_star_conf": float(res["mu_star_conf"][k]), "sigma": float(res["sigma"][k])})
        else:
            res = sobol_analyze.analyze(prob, Y, calc_second_order=False, seed=spec.seed)
            for k, name in enumerate(prob["names"]):
                rows.append({"kpi": kpi, "parameter": name, "S1": float(res["S1"][k]), "S1_conf": float(res["S1_conf"][k]),
                             "ST": float(res["ST"][k]), "ST_conf": float(res["ST_conf"][k])})
    indices = pd.DataFrame(rows)
    atomic_write_parquet(folder / "sweep.parquet", table)
    atomic_write_parquet(folder / "sensitivity.parquet", indices)
    reference_name = str(reference.get("scenario") or Path(str(spec.reference)).stem) if reference is not None else None
    verdicts = answers(table, ref_table, ref_of, spec.kpis, str(reference_name)) if reference is not None else None
    if verdicts is not None:
        atomic_write_parquet(folder / "answers.parquet", verdicts)
    atomic_write_json(folder / "sensitivity.json", {
        "name": spec.name, "description": spec.description, "reference_scenario": reference_name,
        "method": spec.method, "problem": prob, "samples": len(points), "replications": spec.replications,
        "reference": spec.reference, "base": spec.base, "indices": rows,
        "answers": None if verdicts is None else verdicts.to_dict(orient="records"),
        "versions": versions(), "wall_time_s": time.perf_counter() - t0})
    return folder, indices


def reference_points(reference: dict[str, Any], points: list[dict[str, Any]],
                     source: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The reference scenarios to compare the design points with: the reference with every
    swept parameter that it has too (the office share of demand, say), at the point's value,
    so both sides of a comparison make the same assumption and the difference is the
    arrangement's. Returns the distinct reference scenarios and, per point, which one."""
    def applies(name: str) -> bool:
        try:
            apply_point(reference, {name: points[0][name]})
            return True
        except ScenarioError:  # e.g. a block the reference does not have
            return False

    shared = [name for name in points[0] if applies(name)] if points else []
    scenarios: list[dict[str, Any]] = []
    index: dict[tuple, int] = {}
    ref_of = []
    for point in points:
        key = tuple(point[n] for n in shared)
        if key not in index:
            index[key] = len(scenarios)
            scenarios.append(apply_point(reference, {n: point[n] for n in shared}))
        ref_of.append(index[key])
    check_points(reference, [{n: p[n] for n in shared} for p in points], f"{source}: reference")
    return scenarios, ref_of


def verdict(diffs: list[dict[str, float]]) -> str:
    """Whether an answer holds over the design points, from each point's paired difference
    with the reference and its 95% interval:
    - "holds: higher/lower": every point moves the same way, and at least one clearly;
    - "leans higher/lower": every point moves the same way, none clearly on its own;
    - "flips": some points clearly up and others clearly down;
    - "depends": clearly one way at some points, the other way (or not at all) at others;
    - "no clear change": no point moves clearly, and their means differ in sign."""
    up = sum(d["ci_low"] > 0 for d in diffs)
    down = sum(d["ci_high"] < 0 for d in diffs)
    higher = all(d["mean"] > 0 for d in diffs)
    lower = all(d["mean"] < 0 for d in diffs)
    if up and down:
        return "flips"
    if higher or lower:
        word = "higher" if higher else "lower"
        return f"holds: {word}" if (up if higher else down) else f"leans {word}"
    return "depends" if up or down else "no clear change"


def answers(table: pd.DataFrame, ref: pd.DataFrame, ref_of: list[int], kpis: list[str],
            reference: str) -> pd.DataFrame:
    """Per KPI: does the answer against the reference hold whatever the assumptions? For each
    design point the paired difference with its reference (replication by replication, on
    common random numbers) and its 95% interval, then `verdict`."""
    rows = []
    for kpi in kpis:
        mine = table[table["kpi"] == kpi]
        theirs = ref[ref["kpi"] == kpi]
        diffs, refs = [], []
        for point, grp in mine.groupby("point"):
            r = theirs[theirs["point"] == ref_of[point]].set_index("replication")["value"]
            d = (grp.set_index("replication")["value"] - r).dropna()
            refs.append(float(r.mean()))
            if len(d):
                diffs.append(aggregate([{kpi: v} for v in d])[kpi])
        diffs = [d for d in diffs if not np.isnan(d["mean"])]
        if not diffs:
            continue
        means = [d["mean"] for d in diffs]
        rows.append({"kpi": kpi, "reference": reference, "reference_mean": float(np.nanmean(refs)),
                     "difference_min": float(min(means)), "difference_max": float(max(means)),
                     "points": len(diffs), "higher": int(sum(d["ci_low"] > 0 for d in diffs)),
                     "lower": int(sum(d["ci_high"] < 0 for d in diffs)), "verdict": verdict(diffs)})
    return pd.DataFrame(rows)
