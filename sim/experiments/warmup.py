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
import plotly.graph_objects as go

from sim.analysis.metrics import labels
from sim.analysis.tables import requests_table, stages_table
from sim.experiments.executor import run_tasks
from sim.experiments.output import atomic_write_parquet, atomic_write_text
from sim.scenario.config import Scenario
from sim.services.region import simulate
from sim.units import MIN_PER_WEEK

SERIES = {
    "gp_wait_min": "mean wait at the GP practices (minutes), by week of request",
    "hap_doctor_wait_min": "mean wait for a HAP doctor or car (minutes), by week of request",
    "open_requests": "requests still waiting at the end of the week",
}


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
            "gp_wait_min": float(st["wait_min"].to_numpy()[sel & practices].mean()) if (sel & practices).any() else np.nan,
            "hap_doctor_wait_min": float(st["wait_min"].to_numpy()[sel & hap].mean()) if (sel & hap).any() else np.nan,
            "open_requests": int(((arrival < end) & (done > end)).sum()),
        })
    return pd.DataFrame(out)


def run_warmup(sc: Scenario, replications: int, weeks: int, out: Path, workers: int, quiet: bool) -> Path:
    sc = sc.model_copy(update={"region": sc.region.model_copy(update={"warmup_weeks": 0, "weeks": weeks})})
    frames = [o.value for o in run_tasks(weekly_series, [(r, (sc, r)) for r in range(replications)], workers,
                                         desc="warm-up", quiet=quiet) if o.error is None]
    table = pd.concat(frames).sort_values(["replication", "week"]).reset_index(drop=True)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_parquet(out / "warmup.parquet", table)
    fig = go.Figure()
    for name, title in SERIES.items():
        visible = name == "gp_wait_min"
        for r, grp in table.groupby("replication"):
            fig.add_trace(go.Scatter(x=grp["week"], y=grp[name], mode="lines", line={"width": 1},
                                     opacity=0.4, name=f"replication {r}", legendgroup=name, visible=visible))
        mean = table.groupby("week")[name].mean()
        smooth = mean.rolling(3, center=True, min_periods=1).mean()
        fig.add_trace(go.Scatter(x=smooth.index, y=smooth.values, mode="lines", line={"width": 4},
                                 name="mean over replications (3-week moving average)", visible=visible))
    buttons = []
    per = replications + 1
    for k, (name, title) in enumerate(SERIES.items()):
        vis = [False] * (per * len(SERIES))
        vis[k * per:(k + 1) * per] = [True] * per
        buttons.append({"label": name, "method": "update", "args": [{"visible": vis}, {"title": title}]})
    fig.update_layout(title=SERIES["gp_wait_min"], xaxis_title="week", updatemenus=[{"buttons": buttons}],
                      template="plotly_white")
    atomic_write_text(out / "warmup.html", fig.to_html(include_plotlyjs=True, full_html=True))
    return out / "warmup.html"
