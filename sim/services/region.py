"""One replication: build the region's services on a SimPy clock and run the horizon.

The scenario's routes are compiled first (scenario/routes.py) and the care requests drawn
(engine/demand.py); every service the scenario names is built through its registered
builder (services/registry.py), with the region as the builder; each request then walks
its route: first-line services may settle it or pass it on, the first physician service it
reaches closes it. When a service is closed, the region says who covers a request
(`covering`). `simulate` is the entry point: scenario and replication in, a Run out.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from sim.engine.calendar import OFFICE, Calendar
from sim.engine.clock import Clock, run_until
from sim.engine.demand import SPLIT, Requests, all_requests
from sim.engine.flow import Alarm, Flow, Step
from sim.engine.pool import Pool
from sim.engine.records import Recorder
from sim.engine.roster import FreeTime, StepFunction, free_time, on_duty
from sim.engine.run import PoolRole, Resource, Run
from sim.engine.streams import service_stream
from sim.scenario.config import SERVICE_SCHEMAS, Scenario
from sim.scenario.routes import HAP_KIND, CompiledStep, compile_routes, routing_rows
from sim.scenario.schema import ModalityDurations, RosterBlock
from sim.services.base import Context, Service, ServiceKey, ServiceTimes, doubles, per_request
from sim.services.registry import HANDLER_CODE, builder, demand_hooks

OWN_GP: ServiceKey = ("own_gp", "")  # the general population's own GP: a hand-over out of the model


def horizon_days(sc: Scenario) -> int:
    """Days simulated (warm-up and measured weeks)."""
    return sc.region.horizon_days


def served_rows(routes: list[tuple[CompiledStep, ...]], route_table: np.ndarray) -> dict[ServiceKey, list[int]]:
    """Service key -> the routing rows whose routes can reach it."""
    served: dict[ServiceKey, list[int]] = {}
    for row, mine in enumerate(route_table):
        for key in sorted({k for r in set(mine) for step in routes[r] for k in step.targets}):
            served.setdefault(key, []).append(row)
    return served


def rows_of_requests(sc: Scenario, req: Requests) -> np.ndarray:
    """Per request its routing row: the location's row for the practice of the resident who
    asked (-1 for the general population)."""
    first: list[int] = []  # per location: its first routing row ...
    start: list[int] = []  # ... where its residents begin in `practice_of` ...
    size: list[int] = []  # ... and how many entries it has there
    practice_of: list[int] = []  # per resident, the index of its practice among its location's
    row = 0
    for loc in sc.locations:
        practices = list(loc.practice_shares())
        index = {p: k for k, p in enumerate(practices)}
        part = [index[p] for p in loc.resident_practices()] or [0]
        first.append(row)
        start.append(len(practice_of))
        size.append(len(part))
        practice_of += part
        row += max(1, len(practices))
    out = np.full(len(req), -1, dtype=np.int64)
    mine = np.flatnonzero(req.source >= 0)  # one look-up for all locations' requests at once
    li = req.source[mine]
    resident = np.minimum(req.client[mine], np.asarray(size, dtype=np.int64)[li] - 1)
    out[mine] = np.asarray(first, dtype=np.int64)[li] + np.asarray(practice_of, dtype=np.int64)[
        np.asarray(start, dtype=np.int64)[li] + resident]
    return out


def route_of_requests(table: np.ndarray, n_routes: int, cal: Calendar, req: Requests, rows: np.ndarray) -> np.ndarray:
    """Per request the index of its compiled route. The general population of HAP k
    (source -1 - k) follows route n_routes + k: straight to that HAP."""
    period = cal.period(req.arrival)
    route = table[np.maximum(rows, 0), period]
    return np.where(req.source < 0, n_routes - 1 - req.source, route)


class Region:
    """The services of one replication and the walk of each request along its route."""

    def __init__(self, sc: Scenario, replication: int):
        self.sc = sc
        self.cal = Calendar.build(sc.calendar, sc.region.start, horizon_days(sc))
        self.routes, self.route_table = compile_routes(sc)
        self.rows = routing_rows(sc)
        self.served = served_rows(self.routes, self.route_table)
        req = all_requests(sc, self.cal, replication)
        req, self.prevented = self._apply_prevention(req)
        self.env = Clock()
        self.ctx = Context(self.env, sc, self.cal, req, Recorder(len(req)), replication)
        self.ctx.covering, self.ctx.hand_over = self.covering, self.hand_over
        self.row_of = rows_of_requests(sc, req)  # routing row per request; -1 for the general population
        self.replication = replication
        self.cache: dict[str, Sequence[float]] = {}  # per-request values the services share
        # every request can reach one HAP only: its location's (or, for the population, its own)
        haps = sc.all_spoedposten()
        index = {hp.id: k for k, hp in enumerate(haps)}
        of_loc = np.asarray([index[sc.hap_of(loc)] for loc in sc.locations] + [0])
        self.hap_of = np.where(req.source < 0, -1 - req.source, of_loc[np.maximum(req.source, 0)])
        self._hap_of = np.asarray([hp.id for hp in haps], dtype=object)[self.hap_of].tolist()
        self.services: dict[ServiceKey, Service] = {}
        self.roles: dict[str, PoolRole] = {}  # pool name -> what it is, for the tables and KPIs
        self._planned: dict[str, StepFunction] = {}  # rosters before sickness absence, by pool name
        self._build()

    # -- demand that proactive care prevents -------------------------------------------

    def _blocks_of(self, kind: str) -> list[list[Any]]:
        """Per location, the blocks of a kind that any of its routes passes."""
        teams = {s.id: s for s in self.sc.services if s.type == kind}
        ids: list[set[str]] = [set() for _ in self.sc.locations]
        for row, (li, _practice) in enumerate(self.rows):
            ids[li] |= {key[1] for r in set(self.route_table[row]) for step in self.routes[r] for key in step.targets
                        if key[0] == "service" and key[1] in teams}
        return [[teams[i] for i in sorted(mine)] for mine in ids]

    def _apply_prevention(self, req: Requests) -> tuple[Requests, dict[str, int]]:
        """The demand the services change (their hooks, services/registry.py), before any
        request arrives: the requests left, and how many each location no longer asks."""
        drop: np.ndarray | None = None
        for kind, hook in demand_hooks().items():
            per_loc = self._blocks_of(kind)
            if not any(per_loc):
                continue
            mine: np.ndarray = hook(req, self.cal.period(req.arrival), per_loc)
            drop = mine if drop is None else drop | mine
        if drop is None:
            return req, {}
        counts = np.bincount(req.source[drop & (req.source >= 0)], minlength=len(self.sc.locations))
        return req.subset(~drop), {loc.id: int(c) for loc, c in zip(self.sc.locations, counts)}

    # -- services: built through the registry (services/registry.py) ----------------------

    def duty(self, name: str, roster: list[RosterBlock]) -> StepFunction:
        """On-duty staff of a pool, thinned by sickness absence from the pool's own stream."""
        absence = self.sc.pressures.sickness_absence
        if absence <= 0:
            return on_duty(roster, self.cal, 0.0, None)
        self._planned[name] = on_duty(roster, self.cal, 0.0, None)  # to tell an emptied shift from a closed one
        rng = service_stream(self.sc.region.seed, self.replication, f"absence:{name}")
        return on_duty(roster, self.cal, absence, rng)

    def free(self, duty: StepFunction, load_office: float, load_anw: float = 0.0) -> FreeTime | None:
        return free_time(duty, self.cal, load_office, load_anw)

    def mask(self, key: ServiceKey) -> np.ndarray:
        """Which requests a service's routes bring: a look-up per routing row (the last
        entry, for the general population, is False)."""
        served = np.zeros(len(self.rows) + 1, dtype=bool)
        served[self.served.get(key, [])] = True
        out: np.ndarray = served[self.row_of]
        return out

    def times(self, spec: ModalityDurations, key: ServiceKey) -> ServiceTimes:
        return ServiceTimes(self.ctx, spec, self.mask(key))

    def per_location(self, attribute: str) -> Sequence[float]:
        if attribute not in self.cache:
            values = [getattr(loc, attribute) for loc in self.sc.locations]
            self.cache[attribute] = doubles(per_request(values, self.ctx.requests, 0.0))
        return self.cache[attribute]

    def travel(self, kind: str) -> Sequence[float]:
        """A location's one-way travel time from a service of this kind (Location.travel_to)
        per request, drawn around its mean (Context.travel_factor); 0 for the population."""
        key = f"travel:{kind}"
        if key not in self.cache:
            means = per_request([loc.travel_to(kind) for loc in self.sc.locations], self.ctx.requests, 0.0)
            self.cache[key] = doubles(means * self.ctx.travel_factors)
        return self.cache[key]

    def residents(self, key: ServiceKey) -> int:
        per_row = self._row_residents()
        return sum(per_row[row] for row in self.served.get(key, []))

    def _build(self) -> None:
        """Every service the scenario names, in a fixed order (HAPs, practices,
        behandeldiensten, blocks): the order of the pools, and of the KPIs' sums."""
        sc = self.sc
        ambulance = builder("ambulance")(self, sc.ambulance)
        self.ctx.ambulance = ambulance
        self.services[ambulance.key] = ambulance
        configs: list[tuple[str, Any]] = [
            *(("hap", hp) for hp in sc.all_spoedposten()), *(("practice", p) for p in sc.practices),
            *(("behandeldienst", bd) for bd in sc.behandeldiensten), *((s.type, s) for s in sc.services)]
        recheck = self.cal.office_boundaries()
        for kind, cfg in configs:
            svc = builder(kind)(self, cfg)
            self.services[svc.key] = svc
            schema = SERVICE_SCHEMAS[kind]
            extras: dict[str, dict[str, Any]] = getattr(svc, "extras", {})  # what its KPIs measure besides load
            for pool in svc.pools:
                self.roles[pool.name] = PoolRole(kind, schema.category, schema.first_line, cfg.fte_hours_per_week,
                                                 **extras.get(pool.name, {}))
                pool.planned = self._planned.get(pool.name)
                pool.recheck = recheck
        self._covers = self._cover_candidates()

    def _row_residents(self) -> list[int]:
        """Residents per routing row (those with the row's practice)."""
        out = []
        for li, practice in self.rows:
            loc = self.sc.locations[li]
            out.append(loc.residents if practice is None else loc.resident_practices().count(practice))
        return out

    # -- who covers a request when its service is closed -----------------------------------

    def _cover_candidates(self) -> dict[ServiceKey, list[ServiceKey]]:
        """For a practice: the practice named as its waarneming, then every other practice
        in the order listed after it (the first that is open covers); others: none."""
        ids = [p.id for p in self.sc.practices]
        out: dict[ServiceKey, list[ServiceKey]] = {}
        for k, p in enumerate(self.sc.practices):
            order = ([p.waarneming] if p.waarneming else []) + ids[k + 1:] + ids[:k]
            out[("practice", p.id)] = [("practice", q) for q in dict.fromkeys(order) if q != p.id]
        return out

    def covering(self, i: int, frm: ServiceKey) -> ServiceKey | None:
        """The open service that covers request i now, other than `frm`: the physician step of
        its route in the current period (a waarnemende practice when that practice is
        closed), else its HAP or its own practice; the general population's own GP in
        office hours. None when nobody is open to take it."""
        period = self.cal.period_at(self.env.now)
        # covering is asked on hand-overs only (a few per cent of the requests): it reads the
        # numpy columns, rather than lists over all requests made for it
        src = int(self.ctx.requests.source[i])
        if src < 0:  # a HAP's general population
            if period == OFFICE:
                return OWN_GP
            key = (HAP_KIND, self._hap_of[i])
            return key if key != frm and self.services[key].is_open() else None
        row = int(self.row_of[i])
        last = self.routes[self.route_table[row, period]][-1]
        first = last.targets[0] if len(last.targets) == 1 else last.pick(self.ctx.column(SPLIT)[i])
        practice = self.rows[row][1]
        candidates = [first, *self._covers.get(first, []), (HAP_KIND, self._hap_of[i])]
        if practice is not None:
            candidates.append(("practice", practice))
        for key in candidates:
            if key != frm and self.services[key].is_open():
                found: ServiceKey = key
                return found
        return None

    def hand_over(self, i: int, key: ServiceKey) -> Step:
        """Request i goes on at `key` (see covering)."""
        if key == OWN_GP:
            self.ctx.recorder.finish(i, self.env.now, HANDLER_CODE["own_gp"])
            return
        yield from self.services[key].handle(i)

    # -- the walk ------------------------------------------------------------------------

    def follow(self, i: int, route: tuple[CompiledStep, ...]) -> Step:
        ctx = self.ctx
        modality = ctx.modality[i]
        for step in route:
            if step.conditional and not step.applies(ctx.urgency[i], modality):
                continue
            key = step.targets[0] if len(step.targets) == 1 else step.pick(ctx.column(SPLIT)[i])
            svc = self.services[key]
            if (yield from svc.handle(i, step.filter_index)):
                return

    def _dispatch(self, arrival: Sequence[float], route: list[int], routes: list[tuple[CompiledStep, ...]]) -> None:
        """Start each request's walk at its arrival time: one alarm, set again for the
        next arrival each time it goes off (one pending event, no dispatcher process)."""
        env, follow, n = self.env, self.follow, len(arrival)
        due = 0  # the next request to start
        # a route that is one unconditional physician service needs no walk: start it directly
        direct = [self.services[r[0].targets[0]].handle
                  if len(r) == 1 and len(r[0].targets) == 1 and not r[0].conditional
                  and not self.services[r[0].targets[0]].first_line else None for r in routes]

        def arrive(_alarm: object = None) -> None:
            nonlocal due
            i, now = due, env.now
            while i < n:  # every request due now, then wake up at the next one's arrival
                t = arrival[i]
                if t > now:
                    alarm.set(t - now)
                    break
                r = route[i]
                handle = direct[r]
                Flow(env, handle(i) if handle is not None else follow(i, routes[r]))
                i += 1
            due = i

        alarm = Alarm(env, arrive)
        arrive()

    def run(self) -> None:
        req = self.ctx.requests
        route = route_of_requests(self.route_table, len(self.routes), self.cal, req, self.row_of)
        routes = self.routes + [(CompiledStep(((HAP_KIND, hp.id),), (1.0,), frozenset(), frozenset(), 0),)
                                for hp in self.sc.all_spoedposten()]
        self._dispatch(doubles(req.arrival), route.tolist(), routes)
        run_until(self.env, self.cal.horizon_min)
        self.ctx.recorder.open_stages(self.pools, self.cal.horizon_min)

    @property
    def pools(self) -> list[Pool]:
        return [p for svc in self.services.values() for p in svc.pools]


@contextmanager
def without_cycle_collector() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. A run keeps ~10^6 live objects (flows,
    generators, per-request values); every full collection would walk all of them, for
    nothing: what a run frees, reference counting frees. Measured on the large region:
    build + simulate 1.4 s faster (benchmarks/README.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def simulate(sc: Scenario, replication: int) -> Run:
    """One replication of a validated scenario: build the region, run its horizon on SimPy's
    clock, and return what happened (the requests, the records, the resources). The same
    scenario and replication give the same Run, bit for bit, on any machine or worker."""
    with without_cycle_collector():
        t0 = time.perf_counter()
        region = Region(sc, replication)
        t1 = time.perf_counter()
        region.run()
        t2 = time.perf_counter()
    return Run(
        scenario=sc, replication=replication, calendar=region.cal, requests=region.ctx.requests,
        recorder=region.ctx.recorder, urgency_final=np.asarray(region.ctx.urgency, dtype=np.int8),
        resources=[Resource.of(pool, region.roles[pool.name]) for pool in region.pools], prevented_per_location=region.prevented,
        warmup_end=sc.region.warmup_end_min, horizon=sc.region.horizon_min,
        timings={"build_s": t1 - t0, "simulate_s": t2 - t1},
    )
