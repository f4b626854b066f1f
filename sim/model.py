"""One replication: build the region's services on a SimPy clock and run the horizon."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import simpy

from .behandeldienst import BehandeldienstService
from .calendar import MIN_PER_WEEK, Calendar
from .config import Scenario
from .context import Context
from .demand import BACKGROUND, Requests, all_requests
from .pool import Pool
from .praktijk import Huisartsenpraktijk
from .records import Recorder
from .routing import first_service
from .spoedpost import Huisartsenspoedpost


@dataclass
class Run:
    """Everything one replication produced, before it is turned into tables."""

    scenario: Scenario
    replication: int
    calendar: Calendar
    requests: Requests
    recorder: Recorder
    pools: list[Pool]
    fte_hours: dict[str, float]  # pool name -> hours per FTE-week, for FTE equivalents
    warmup_end: float
    horizon: float
    timings: dict[str, float] = field(default_factory=dict)


def horizon_days(sc: Scenario) -> int:
    return 7 * (sc.region.warmup_weeks + sc.region.weeks)


def per_request(values_per_location: list[float], req: Requests, background: np.ndarray | float) -> np.ndarray:
    """Spread a per-location attribute over the requests (background gets its own)."""
    table = np.asarray(values_per_location + [0.0], dtype=float)
    out = table[np.where(req.source == BACKGROUND, len(values_per_location), req.source)]
    return np.where(req.source == BACKGROUND, background, out)


def _dispatch(env: simpy.Environment, arrival: list[float], route: list[int], handlers: list):
    for i, (t, target) in enumerate(zip(arrival, route)):
        if t > env.now:
            yield env.timeout(t - env.now)
        env.process(handlers[target](i))


def simulate(sc: Scenario, replication: int) -> Run:
    t0 = time.perf_counter()
    cal = Calendar.build(sc.calendar, sc.region.start, horizon_days(sc))
    req = all_requests(sc, cal, replication)
    env = simpy.Environment()
    ctx = Context(env, sc, cal, req, Recorder(len(req)))
    t1 = time.perf_counter()

    locs = sc.locations
    bg_travel = ctx.draw(sc.spoedpost.background.travel_min, req.u_travel)
    hap = Huisartsenspoedpost(ctx, sc.spoedpost, per_request([l.travel_min_hap for l in locs], req, bg_travel))
    travel_gp = per_request([l.travel_min_practice for l in locs], req, 0.0)
    travel_bd = per_request([l.travel_min_behandeldienst for l in locs], req, 0.0)
    handlers, pools, fte = [hap.handle], list(hap.pools), {p.name: sc.spoedpost.fte_hours_per_week for p in hap.pools}
    for p in sc.practices:
        mine = np.isin(req.source, [k for k, l in enumerate(locs) if l.practice == p.id and not l.behandeling])
        gp = Huisartsenpraktijk(ctx, p, travel_gp, ctx.durations(p.durations, mine), hap.handle)
        handlers.append(gp.handle)
        pools.append(gp.pool)
        fte[gp.pool.name] = p.fte_hours_per_week
    for b in sc.behandeldiensten:
        mine = np.isin(req.source, [k for k, l in enumerate(locs) if l.behandeling and l.behandeldienst == b.id])
        bd = BehandeldienstService(ctx, b, travel_bd, ctx.durations(b.durations, mine))
        handlers.append(bd.handle)
        pools.append(bd.pool)
        fte[bd.pool.name] = b.fte_hours_per_week
    route = first_service(sc, cal, req)
    env.process(_dispatch(env, req.arrival.tolist(), route.tolist(), handlers))
    t2 = time.perf_counter()
    env.run(until=cal.horizon_min)
    t3 = time.perf_counter()
    return Run(
        scenario=sc, replication=replication, calendar=cal, requests=req, recorder=ctx.recorder,
        pools=pools, fte_hours=fte, warmup_end=float(sc.region.warmup_weeks * MIN_PER_WEEK),
        horizon=cal.horizon_min,
        timings={"generate_s": t1 - t0, "build_s": t2 - t1, "simulate_s": t3 - t2},
    )
