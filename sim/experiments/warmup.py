"""Choosing the warm-up: plot a KPI week by week per replication (Welch's method).

The model starts empty: no backlog at the practices, nobody waiting at the HAP. Run a few
replications without warm-up, look at the weekly series (and their moving average over
replications), and take as warm-up the first weeks before the curve settles. The
default of 2 weeks comes from this plot for Regio Voorbeeld (docs/model.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.metrics import labels
from sim.analysis.tables import requests_table, stages_table
from sim.experiments.executor import run_tasks
from sim.experiments.output import atomic_write_parquet
from sim.scenario.config import Scenario
from sim.services.region import simulate
from sim.units import MIN_PER_WEEK

SERIES = {  # name -> (title in English, in Dutch, y axis in English, in Dutch)
    "gp_wait_min": ("Mean wait for a free GP at the practices, by week", "Gemiddelde wachttijd op een vrije huisarts, per week",
                    "minutes", "minuten"),
    "hap_doctor_wait_min": ("Mean wait for a HAP doctor or car, by week", "Gemiddelde wachttijd op een HAP-arts of -auto, per week",
                            "minutes", "minuten"),
    "open_requests": ("Requests still open at the end of each week", "Zorgvragen nog open aan het eind van elke week",
                      "requests", "zorgvragen"),
}


def suggest_warmup(table: pd.DataFrame, smooth: int = 3) -> tuple[int, dict[str, int]]:
    """Welch's method, made explicit: per series the mean over replications, as a moving
    average over `smooth` weeks; the series has settled from the first week after which the
    average stays within the band of the second half of the run (its range there, widened by
    10% of its mean). The suggestion is the latest of the series, at least one week."""
    per_series = {}
    for name in SERIES:
        mean = table.groupby("week")[name].mean().rolling(smooth, center=True, min_periods=1).mean().dropna()
        if len(mean) < 4:
            per_series[name] = 1
            continue
        later = mean.iloc[len(mean) // 2:]
        pad = 0.1 * abs(float(later.mean()))
        low, high = float(later.min()) - pad, float(later.max()) + pad
        outside = [w for w, v in mean.items() if not low <= v <= high]
        per_series[name] = int(max(outside)) if outside else 0
    return max(1, max(per_series.values())), per_series


def weekly_series(sc: Scenario, replication: int) -> pd.DataFrame:
    run = simulate(sc, replication)
    req, st = requests_table(run), stages_table(run)
    origin = np.datetime64(sc.region.start, "ms")
    week = ((st["enter"].to_numpy(dtype="datetime64[ms]") - origin).astype("int64") / 60_000 // MIN_PER_WEEK).astype(int)
    resource = labels(st["resource"])
    practices = np.isin(resource, [p.id for p in sc.practices])
    hap = np.char.endswith(resource.astype(str), ":doctor") | np.char.endswith(resource.astype(str), ":car")
    weeks = int(run.horizon // MIN_PER_WEEK)
    out = []
    arrival = (req["arrival"].to_numpy(dtype="datetime64[ms]") - origin).astype("int64") / 60_000
    done = (req["done"].to_numpy(dtype="datetime64[ms]") - origin).astype("float64") / 60_000
    done[req["done"].isna().to_numpy()] = np.inf
    for w in range(weeks):
        end = (w + 1) * MIN_PER_WEEK
        sel = week == w
        out.append({
            "replication": replication, "week": w + 1,
            "gp_wait_min": float(np.nanmean(st["wait_min"].to_numpy()[sel & practices])) if (sel & practices).any() else np.nan,
            "hap_doctor_wait_min": float(np.nanmean(st["wait_min"].to_numpy()[sel & hap])) if (sel & hap).any() else np.nan,
            "open_requests": int(((arrival < end) & (done > end)).sum()),
        })
    return pd.DataFrame(out)


def run_warmup(sc: Scenario, replications: int, weeks: int, out: Path, workers: int, quiet: bool) -> Path:
    """Weekly series per replication without warm-up, in out/warmup.parquet (the report draws them)."""
    sc = sc.model_copy(update={"region": sc.region.model_copy(update={"warmup_weeks": 0, "weeks": weeks})})
    frames = [o.value for o in run_tasks(weekly_series, [(r, (sc, r)) for r in range(replications)], workers,
                                         desc="warm-up", quiet=quiet) if o.error is None]
    table = pd.concat(frames).sort_values(["replication", "week"]).reset_index(drop=True)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_parquet(out / "warmup.parquet", table)
    return out
