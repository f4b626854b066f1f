"""Paired comparison of two scenarios on common random numbers.

Both scenarios run with the same seed and replication numbers, so every location's
requests are identical where the scenarios agree; the difference per replication then
measures the arrangement, not the noise, and its confidence interval is far narrower than
the two separate intervals suggest. With a precision target, replications are added in
batches until the chosen KPIs' 95% half-widths are within that fraction of their means.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.metrics import aggregate, paired_differences
from sim.experiments.output import atomic_write_json, atomic_write_parquet
from sim.experiments.point_runs import execute, experiment_folder
from sim.experiments.runner import compared_kpis, versions
from sim.scenario.loading import load_scenario

DEFAULT_PRECISION_KPIS = ("handled.gp.wlz_per_week", "hours.physician_per_week")


def _per_replication(table: pd.DataFrame, point: int) -> list[dict[str, float]]:
    sub = table[table["point"] == point]
    return [dict(zip(g["kpi"], g["value"])) for _, g in sub.groupby("replication", sort=True)]


def precise_enough(stats: dict[str, dict[str, float]], kpis: list[str], precision: float) -> tuple[bool, dict[str, float]]:
    """Relative half-width of each chosen KPI; all within `precision`?"""
    rel = {}
    for k in kpis:
        s = stats.get(k)
        if s is None or s["n"] < 2:
            rel[k] = math.inf
            continue
        half = s["ci_high"] - s["mean"]
        rel[k] = 0.0 if half == 0 else (abs(half / s["mean"]) if s["mean"] else math.inf)
    return all(v <= precision for v in rel.values()), rel


def run_compare(path_a: Path, path_b: Path, replications: int, out_root: Path, workers: int = 1,
                dask: str | None = None, quiet: bool = False, precision: float | None = None,
                precision_kpis: list[str] | None = None, max_replications: int = 100,
                overrides: dict[str, Any] | None = None,
                progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """`progress(done, total)`, if given, follows the runs of each batch (experiments/sweep.py execute)."""
    a = load_scenario(path_a, overrides)
    # common random numbers: B runs on A's seed and horizon
    b = load_scenario(path_b, {**(overrides or {}), "region.seed": a.region.seed, "region.weeks": a.region.weeks,
                               "region.warmup_weeks": a.region.warmup_weeks})
    datas = [a.model_dump(mode="json"), b.model_dump(mode="json")]
    labels = [{"scenario": a.scenario, "file": str(path_a)}, {"scenario": b.scenario, "file": str(path_b)}]
    folder = experiment_folder(out_root, f"{a.scenario}-vs-{b.scenario}", datas)
    chosen = list(precision_kpis or DEFAULT_PRECISION_KPIS)
    n = replications
    while True:
        table, failures = execute(datas, labels, n, [], folder, workers, dask, quiet, f"compare ({n} reps)",
                                    progress)
        reps_a, reps_b = _per_replication(table, 0), _per_replication(table, 1)
        stats_a, stats_b = aggregate(reps_a), aggregate(reps_b)
        ok_a, rel_a = precise_enough(stats_a, chosen, precision) if precision else (True, {})
        ok_b, rel_b = precise_enough(stats_b, chosen, precision) if precision else (True, {})
        if (ok_a and ok_b) or n >= max_replications or failures:
            break
        n = min(max_replications, max(n + 2, int(n * 1.5)))
    names = compared_kpis(set(stats_a) | set(stats_b))
    result = {
        "a": labels[0], "b": labels[1], "replications": n, "seed": a.region.seed,
        "method": "paired differences (b minus a) per replication on common random numbers; Student-t 95% CI",
        "precision": None if precision is None else {
            "target": precision, "kpis": chosen, "reached": bool(ok_a and ok_b),
            "relative_half_width": {"a": rel_a, "b": rel_b}, "max_replications": max_replications},
        "kpis": {k: {"a": stats_a.get(k), "b": stats_b.get(k)} for k in names},
        "difference": paired_differences(reps_a, reps_b, names),
        "failures": failures, "versions": versions(),
    }
    atomic_write_parquet(folder / "kpis.parquet", table)
    atomic_write_json(folder / "comparison.json", result)
    result["folder"] = str(folder)
    return result
