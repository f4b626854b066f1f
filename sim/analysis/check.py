"""`run_sim.py check`: analytic sanity checks on a user's own scenario.

A short pilot run measures each service's flow; then, per service: the requests offered
while staffed (those served, those still waiting at the end of the pilot and those
handed on unseen at closing after waiting: an overloaded service serves fewer than it is
offered, and a post that hands its queue on at 08:00 never shows it in its hours), mean service time, mean staff for the
requests on duty, offered load and utilisation rho = lambda E[S] / c. A service with rho near 1 cannot keep up: its queue grows without bound and
every result behind it is meaningless, so it is flagged before any long experiment. The
simulated mean wait is set beside the nearest textbook approximation (M/M/c with the
same lambda, E[S] and c); large gaps point at what the approximation leaves out: rosters
that close, priorities, visit rounds, travel. A service is flagged OVERLOADED from rho 0.95
(or when more than 5% of its requests are handed on unseen), as a run warns.

Whether a service is unused is judged on the requests the scenario expects it to be offered
over its own weeks (analysis/expected.py: rates x weeks along the routes), not on the pilot:
a practice with 0.9 requests a week sees none in a 4-week pilot now and then, yet gets about
47 a year. Such a service is `rare` (too few in the pilot to judge its load), with what was
expected beside it; `unused` is a service no route reaches.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.analysis.expected import expected_requests, service_of
from sim.analysis.metrics import labels
from sim.analysis.overload import HANDED_ON_SHARE, OVERLOAD_UTILISATION
from sim.analysis.tables import RunTables
from sim.analysis.theory import mmc_wait
from sim.scenario.config import Scenario

PILOT_WEEKS = 4
UNUSED_BELOW = 1.0  # requests expected over the scenario's weeks: fewer is a service nothing reaches


def pilot(sc: Scenario, weeks: int = PILOT_WEEKS) -> Scenario:
    """The scenario shortened to a pilot: one warm-up week and `weeks` measured."""
    return sc.model_copy(update={"region": sc.region.model_copy(update={"weeks": weeks, "warmup_weeks": 1})})


def flag(rho: float, handed_on_share: float) -> str:
    """OVERLOADED from an offered load of 0.95 (a queue that hardly ever empties: the same
    threshold as a run's warning, analysis/overload.py) or when more than 5% of what was
    offered was handed on unseen at closing; high from 0.85."""
    if rho >= OVERLOAD_UTILISATION or handed_on_share > HANDED_ON_SHARE:
        return "OVERLOADED"
    return "high" if rho >= 0.85 else "ok"


def idle(entries: int, staffed: bool, expected: float) -> str:
    """The flag of a service the pilot gave nothing to do: `unused` when the scenario expects
    it fewer than UNUSED_BELOW requests over its weeks, else `rare` (or `no staff` when it
    is offered requests but never staffed)."""
    if entries and not staffed:
        return "no staff"
    if expected < UNUSED_BELOW:
        return "unused"
    return "rare" if staffed else "no staff"


def check(run: RunTables, scenario: Scenario | None = None) -> list[dict[str, Any]]:
    """Per pool of a (pilot) run: requests offered while staffed (served, still waiting or
    in hand at the end, not those moved elsewhere unseen), mean service time, staff for the
    requests on duty, and rho = lambda E[S] / c; and the requests `scenario` (the one the
    pilot stands for; default the run's) expects the pool's service over its weeks."""
    scenario = scenario or run.scenario
    expected = expected_requests(scenario)
    weeks = scenario.region.weeks
    st = run.stages
    origin = np.datetime64(run.scenario.region.start, "ms")
    ready = (st["ready"].to_numpy(dtype="datetime64[ms]") - origin).astype("int64") / 60_000
    start = (st["start"].to_numpy(dtype="datetime64[ms]") - origin).astype("int64") / 60_000
    resource = labels(st["resource"])
    outcome = labels(st["outcome"])
    # offered to the staff on duty: everything but what was handed on unseen the moment it
    # arrived at a closed service; what waited and was handed on at closing was offered
    waited = ready < start - 1e-9
    offered = (outcome != "transferred") | waited
    finished = offered & (outcome != "open") & (outcome != "transferred") & (outcome != "diverted")
    w0, w1 = run.warmup_end, run.horizon
    rows = []
    for pool in run.resources:
        staffed = pool.staffed(w0, w1)
        mine = (resource == pool.pool) & (ready >= w0) & (ready < w1)
        n = int((mine & offered).sum())
        done = mine & finished
        due = float(expected.get(service_of(pool.pool), 0.0))
        about = {"expected": due, "expected_per_week": due / weeks, "weeks": weeks}
        if staffed <= 0 or n == 0:
            rows.append({"service": pool.pool, "entries": n, "rho": np.nan, **about,
                         "flag": idle(n, staffed > 0, due)})
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
            "handed_on": int((mine & (outcome == "transferred") & waited).sum()),
            "flag": flag(rho, int((mine & (outcome == "transferred") & waited).sum()) / n), **about,
        })
    return rows
