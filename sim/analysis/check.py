"""`run_sim.py check`: analytic sanity checks on a user's own scenario.

A short pilot run measures each service's flow; then, per service: the requests offered
while staffed (those served and those still waiting at the end of the pilot: an
overloaded service serves fewer than it is offered), mean service time, mean staff for the
requests on duty, offered load and utilisation rho = lambda E[S] / c. A service with rho >= 1 cannot keep up: its queue grows without bound and
every result behind it is meaningless, so it is flagged before any long experiment. The
simulated mean wait is set beside the nearest textbook approximation (M/M/c with the
same lambda, E[S] and c); large gaps point at what the approximation leaves out: rosters
that close, priorities, visit rounds, travel.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.analysis.metrics import labels
from sim.analysis.tables import RunTables
from sim.analysis.theory import mmc_wait
from sim.scenario.config import Scenario

PILOT_WEEKS = 4


def pilot(sc: Scenario, weeks: int = PILOT_WEEKS) -> Scenario:
    """The scenario shortened to a pilot: one warm-up week and `weeks` measured."""
    return sc.model_copy(update={"region": sc.region.model_copy(update={"weeks": weeks, "warmup_weeks": 1})})


def check(run: RunTables) -> list[dict[str, Any]]:
    """Per pool of a (pilot) run: requests offered while staffed (served, still waiting or
    in hand at the end, not those moved elsewhere unseen), mean service time, staff for the
    requests on duty, and rho = lambda E[S] / c."""
    st = run.stages
    origin = np.datetime64(run.scenario.region.start, "ms")
    ready = (st["ready"].to_numpy(dtype="datetime64[ms]") - origin).astype("int64") / 60_000
    resource = labels(st["resource"])
    outcome = labels(st["outcome"])
    offered = outcome != "transferred"
    finished = offered & (outcome != "open")
    w0, w1 = run.warmup_end, run.horizon
    rows = []
    for pool in run.resources:
        staffed = pool.staffed(w0, w1)
        mine = (resource == pool.pool) & (ready >= w0) & (ready < w1)
        n = int((mine & offered).sum())
        done = mine & finished
        if staffed <= 0 or n == 0:
            rows.append({"service": pool.pool, "entries": n, "rho": np.nan, "flag": "no staff" if n else "unused"})
            continue
        servers = pool.capacity(w0, w1) / staffed
        lam = n / staffed  # per minute while staffed
        service = float(st["busy_min"].to_numpy()[done].mean()) if done.any() else np.nan
        rho = lam * service / servers if servers > 0 else np.inf
        c = max(1, int(round(servers)))
        rows.append({
            "service": pool.pool, "entries": n, "per_hour": lam * 60, "mean_service_min": service,
            "staff_on_duty": servers, "rho": rho,
            "sim_wait_min": float(st["wait_min"].to_numpy()[done].mean()) if done.any() else np.nan,
            "mmc_wait_min": float(mmc_wait(lam, 1 / service, c)) if service > 0 else np.nan,
            "still_waiting": int((mine & (outcome == "open")).sum()),
            "flag": "OVERLOADED" if rho >= 1 else ("high" if rho >= 0.85 else "ok"),
        })
    return rows
