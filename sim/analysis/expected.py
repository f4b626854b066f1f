"""The requests a scenario expects each service to be offered, from its rates, not from a
run: per location its rate (residents x rate per resident-week x sector factor, with the
scenario's demand growth), spread over the week by the demand profile and the scenario's own
calendar (office hours, evenings, nights, weekends, holidays), split over the practices its
residents are with, and sent along the route that location takes in each period; plus each
HAP's general population. Summed over the scenario's measured weeks.

A route's every step counts as offered to its service(s) (a split step by its share): an
upper bound, since a first-line step ahead may settle a request, and a step with a `when`
takes only some urgencies. `check` uses it to tell a service nothing reaches from one a
short pilot happened to leave idle (0.9 requests a week is none in a 4-week pilot now and
then, and 47 over a year).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from sim.engine.calendar import Calendar
from sim.engine.demand import background_rate
from sim.scenario.config import Scenario
from sim.scenario.routes import CompiledStep, compile_routes, routing_rows
from sim.scenario.schema import PERIODS


def _reach(steps: tuple[CompiledStep, ...]) -> dict[str, float]:
    """Service id -> the share of a route's requests offered to it (1 unless a split step)."""
    out: dict[str, float] = {}
    for step in steps:
        shares = np.diff((0.0, *step.cum_shares))
        for (_, sid), share in zip(step.targets, shares):
            out[sid] = max(out.get(sid, 0.0), float(share))
    return out


def expected_requests(sc: Scenario) -> dict[str, float]:
    """Service id -> requests expected over the scenario's measured weeks (see above)."""
    cal = Calendar.build(sc.calendar, sc.region.start, sc.region.horizon_days)
    w0, w1 = int(sc.region.warmup_end_min // 60), int(sc.region.horizon_min // 60)
    period = cal.period(np.arange(w0, w1) * 60.0 + 30.0)
    demand = cal.hour_weights(sc.demand.profile, sc.demand.office_share)[w0:w1]
    weeks = np.bincount(period, weights=demand, minlength=len(PERIODS))  # weeks of demand per period
    growth = 1.0 + sc.pressures.demand_growth
    routes, table = compile_routes(sc)
    out: dict[str, float] = defaultdict(float)
    for row, (li, practice) in enumerate(routing_rows(sc)):
        loc = sc.locations[li]
        share = loc.practice_shares().get(practice, 1.0) if practice is not None else 1.0
        rate = sc.location_rate(loc) * growth * share
        for pi in range(len(PERIODS)):
            for sid, part in _reach(routes[table[row, pi]]).items():
                out[sid] += rate * weeks[pi] * part
    for k, hap in enumerate(sc.all_spoedposten()):  # the general population calls its HAP
        out[hap.id] += background_rate(sc, k) * growth * float(cal.hour_weights(hap.background.profile)[w0:w1].sum())
    return dict(out)


def service_of(pool: str) -> str:
    """The service a pool belongs to: 'hap:doctor' -> 'hap', 'P1' -> 'P1'."""
    return pool.split(":", 1)[0]
