"""One replication: build the region's services on a SimPy clock and run the horizon.

The scenario's routes are compiled first (routing.py); each request then walks its route:
first-line services may settle it or pass it on, the first physician service it reaches
closes it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager

import numpy as np
import simpy

from sim.engine.calendar import MIN_PER_WEEK, OFFICE, Calendar
from sim.engine.demand import HAP_TRIAGE, SPLIT, TRAVEL, Requests, all_requests
from sim.engine.flow import Alarm, Flow
from sim.engine.pool import Pool
from sim.engine.records import HANDLER_CODE, Recorder
from sim.engine.roster import StepFunction, free_time, on_duty
from sim.engine.run import Run
from sim.engine.streams import service_stream
from sim.scenario.arrangements import Behandelteam
from sim.scenario.config import Scenario
from sim.scenario.routes import HAP_KIND, CompiledStep, compile_routes, routing_rows
from sim.services.aanrijdteam import AanrijdteamService
from sim.services.achterwacht import AchterwachtService
from sim.services.base import Context, ServiceKey, ServiceTimes
from sim.services.behandeldienst import PhysicianService
from sim.services.behandelteam import BehandelteamService, prevented, rounds_load
from sim.services.praktijk import Huisartsenpraktijk
from sim.services.seh import SehService
from sim.services.spoedpost import Huisartsenspoedpost
from sim.services.voorwacht import VoorwachtService

OWN_GP: ServiceKey = ("own_gp", "")  # the general population's own GP: a hand-over out of the model


def horizon_days(sc: Scenario) -> int:
    return 7 * (sc.region.warmup_weeks + sc.region.weeks)


def per_request(values_per_location: list[float], req: Requests, background: np.ndarray | float) -> np.ndarray:
    """Spread a per-location attribute over the requests (the general population gets its own)."""
    table = np.asarray(values_per_location + [0.0], dtype=float)
    out = table[np.where(req.source < 0, len(values_per_location), req.source)]
    return np.where(req.source < 0, background, out)


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
    first: list[int] = []
    part: list[np.ndarray] = []
    row = 0
    for loc in sc.locations:
        first.append(row)
        practices = list(loc.practice_shares())
        index = {p: k for k, p in enumerate(practices)}
        part.append(np.array([index[p] for p in loc.resident_practices()] or [0], dtype=np.int64))
        row += max(1, len(practices))
    out = np.full(len(req), -1, dtype=np.int64)
    for li, loc in enumerate(sc.locations):
        mine = np.flatnonzero(req.source == li)
        if mine.size:
            out[mine] = first[li] + part[li][np.minimum(req.client[mine], part[li].size - 1)]
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
        self.env = simpy.Environment()
        self.ctx = Context(self.env, sc, self.cal, req, Recorder(len(req)), replication)
        self.ctx.covering, self.ctx.hand_over = self.covering, self.hand_over
        self.row_of = rows_of_requests(sc, req)  # routing row per request; -1 for the general population
        self._rows = self.row_of.tolist()
        self._source = req.source.tolist()
        self.replication = replication
        self.services: dict[ServiceKey, object] = {}
        self.fte: dict[str, float] = {}
        self.kinds: dict[str, str] = {}
        self.planned: dict[str, float] = {}
        self._build()

    # -- demand that proactive care prevents -------------------------------------------

    def _behandelteams_of(self) -> list[list[Behandelteam]]:
        """Per location, the behandelteams any of its routes passes."""
        teams = {s.id: s for s in self.sc.services if isinstance(s, Behandelteam)}
        ids: list[set[str]] = [set() for _ in self.sc.locations]
        for row, (li, _practice) in enumerate(self.rows):
            ids[li] |= {key[1] for r in set(self.route_table[row]) for step in self.routes[r] for key in step.targets
                        if key[0] == "service" and key[1] in teams}
        return [[teams[i] for i in sorted(mine)] for mine in ids]

    def _apply_prevention(self, req: Requests) -> tuple[Requests, dict[str, int]]:
        per_loc = self._behandelteams_of()
        if not any(per_loc):
            return req, {}
        acute = [max((t.prevents_acute for t in ts), default=0.0) for ts in per_loc]
        anw = [max((t.prevents_anw for t in ts), default=0.0) for ts in per_loc]
        drop = prevented(req, self.cal.period(req.arrival), per_request(acute, req, 0.0), per_request(anw, req, 0.0))
        counts = np.bincount(req.source[drop & (req.source >= 0)], minlength=len(self.sc.locations))
        return req.subset(~drop), {loc.id: int(c) for loc, c in zip(self.sc.locations, counts)}

    # -- services ------------------------------------------------------------------------

    def capacity(self, name: str, roster: list) -> StepFunction:
        """On-duty staff of a pool, thinned by sickness absence from the pool's own stream."""
        absence = self.sc.pressures.sickness_absence
        rng = service_stream(self.sc.region.seed, self.replication, f"absence:{name}") if absence > 0 else None
        return on_duty(roster, self.cal, absence, rng)

    def _register(self, key: tuple[str, str], svc, kind: str, fte_hours: float) -> None:
        self.services[key] = svc
        for pool in svc.pools:
            self.fte[pool.name] = fte_hours
            self.kinds[pool.name] = kind

    def _mask(self, key: ServiceKey) -> np.ndarray:
        """Which requests a service's routes bring: a look-up per routing row (the last
        entry, for the general population, is False)."""
        served = np.zeros(len(self.rows) + 1, dtype=bool)
        served[self.served.get(key, [])] = True
        return served[self.row_of]

    def _build(self) -> None:
        sc, ctx, req, cal = self.sc, self.ctx, self.ctx.requests, self.cal
        locs = sc.locations
        haps = sc.all_spoedposten()
        bg_travel = np.zeros(len(req))
        for k, hp in enumerate(haps):
            mine = req.source == -1 - k
            bg_travel[mine] = ctx.draw(hp.background.travel_min, TRAVEL, mine)[mine]
        travel_hap = per_request([l.travel_min_hap for l in locs], req, bg_travel).tolist()
        # every request can reach one HAP only: its location's (or, for the population, its own)
        hap_index = {hp.id: k for k, hp in enumerate(haps)}
        hap_of_loc = [hap_index[sc.hap_of(l)] for l in locs]
        hap_of_req = np.where(req.source < 0, -1 - req.source, np.asarray(hap_of_loc + [0])[np.maximum(req.source, 0)])
        # one list per kind of draw over all requests: each request belongs to one HAP,
        # which fills in its own requests' draws (a list is cheaper than a dict per HAP)
        triage_min, contact_min = np.full(len(req), np.nan), np.full(len(req), np.nan)
        for k, hp in enumerate(haps):
            mine = hap_of_req == k
            triage_min[mine] = ctx.draw(hp.triage.duration, HAP_TRIAGE, mine)[mine]
            contact_min[mine] = ctx.durations(hp.durations, mine)[mine]
        triage_min, contact_min = triage_min.tolist(), contact_min.tolist()
        self._hap_of = [haps[k].id for k in hap_of_req.tolist()]
        for hp in haps:
            hap = Huisartsenspoedpost(ctx, hp, self.capacity, travel_hap, triage_min, contact_min)
            self._register((HAP_KIND, hp.id), hap, "hap", hp.fte_hours_per_week)

        travel_gp = per_request([l.travel_min_practice for l in locs], req, 0.0).tolist()
        factor = sc.pressures.gp_capacity_factor
        for p in sc.practices:
            duty = self.capacity(p.id, p.roster)
            free = free_time(duty, cal, 1 - factor * (1 - p.regular_load), 1 - factor * (1 - p.regular_load_anw))
            key = ("practice", p.id)
            gp = Huisartsenpraktijk(ctx, p, duty, free, travel_gp, ServiceTimes(ctx, p.durations, self._mask(key)))
            self._register(key, gp, "practice", p.fte_hours_per_week)
        travel_bd = per_request([l.travel_min_behandeldienst for l in locs], req, 0.0).tolist()
        for b in sc.behandeldiensten:
            key = ("behandeldienst", b.id)
            duty = self.capacity(b.id, b.roster)
            svc = PhysicianService(ctx, key, b.discipline, duty, free_time(duty, cal, b.regular_load, b.regular_load_anw),
                                   travel_bd, ServiceTimes(ctx, b.durations, self._mask(key)))
            self._register(key, svc, "behandeldienst", b.fte_hours_per_week)
        travel_team = per_request([l.travel_min_aanrijdteam for l in locs], req, 0.0).tolist()
        for s in sc.services:
            key = ("service", s.id)
            if s.type == "seh":
                self.services[key] = SehService(ctx, s)
                continue
            duty = self.capacity(s.id, s.roster)
            if s.type in ("voorwacht", "triage", "regionale_triage"):
                svc = VoorwachtService(ctx, s, duty)
            elif s.type == "achterwacht":
                svc = AchterwachtService(ctx, s, duty)
            elif s.type == "aanrijdteam":
                svc = AanrijdteamService(ctx, s, duty, travel_team)
            elif s.type == "behandelteam":
                row_residents = self._row_residents()
                residents = sum(row_residents[row] for row in self.served.get(key, []))
                rostered = duty.integral(0, cal.horizon_min) / 60 / (cal.horizon_min / MIN_PER_WEEK)
                load = rounds_load(s, residents, rostered)
                svc = BehandelteamService(ctx, s, duty, free_time(duty, cal, load))
                self.planned[s.id] = s.rounds_min_per_resident_week * residents / 60
            else:  # gzc / artsen
                handler = "gzc" if s.type == "gzc" else s.discipline
                svc = PhysicianService(ctx, key, handler, duty, free_time(duty, cal, s.regular_load, s.regular_load_anw),
                                       [s.travel_min] * len(req), ServiceTimes(ctx, s.durations, self._mask(key)))
            self._register(key, svc, s.type, s.fte_hours_per_week)
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
        src = self._source[i]
        if src < 0:  # a HAP's general population
            if period == OFFICE:
                return OWN_GP
            key = (HAP_KIND, self._hap_of[i])
            return key if key != frm and self.services[key].is_open() else None
        row = self._rows[i]
        last = self.routes[self.route_table[row, period]][-1]
        first = last.targets[0] if len(last.targets) == 1 else last.pick(self.ctx.column(SPLIT)[i])
        practice = self.rows[row][1]
        candidates = [first, *self._covers.get(first, []), (HAP_KIND, self._hap_of[i])]
        if practice is not None:
            candidates.append(("practice", practice))
        for key in candidates:
            if key != frm and self.services[key].is_open():
                return key
        return None

    def hand_over(self, i: int, key: ServiceKey) -> Generator:
        """Request i goes on at `key` (see covering)."""
        if key == OWN_GP:
            self.ctx.recorder.finish(i, self.env.now, HANDLER_CODE["own_gp"])
            return
        yield from self.services[key].handle(i)

    # -- the walk ------------------------------------------------------------------------

    def follow(self, i: int, route: tuple[CompiledStep, ...]) -> Generator:
        ctx = self.ctx
        modality = ctx.modality[i]
        for step in route:
            if step.conditional and not step.applies(ctx.urgency[i], modality):
                continue
            key = step.targets[0] if len(step.targets) == 1 else step.pick(ctx.column(SPLIT)[i])
            svc = self.services[key]
            if svc.is_filter:
                if (yield from svc.handle(i, step.filter_index)):
                    return
            else:
                yield from svc.handle(i)
                return

    def _dispatch(self, arrival: list[float], route: list[int], routes: list[tuple[CompiledStep, ...]]) -> None:
        """Start each request's walk at its arrival time: one alarm, set again for the
        next arrival each time it goes off (one pending event, no dispatcher process)."""
        env, follow, n = self.env, self.follow, len(arrival)
        state = {"i": 0}
        # a route that is one unconditional physician service needs no walk: start it directly
        direct = [self.services[r[0].targets[0]].handle
                  if len(r) == 1 and len(r[0].targets) == 1 and not r[0].conditional
                  and not self.services[r[0].targets[0]].is_filter else None for r in routes]

        def arrive(_alarm: object = None) -> None:
            i = state["i"]
            now = env.now
            while i < n and arrival[i] <= now:  # every request due now
                r = route[i]
                handle = direct[r]
                Flow(env, handle(i) if handle is not None else follow(i, routes[r]))
                i += 1
            state["i"] = i
            if i < n:
                alarm.set(arrival[i] - now)

        alarm = Alarm(env, arrive)
        arrive()

    def run(self) -> None:
        req = self.ctx.requests
        route = route_of_requests(self.route_table, len(self.routes), self.cal, req, self.row_of)
        routes = self.routes + [(CompiledStep(((HAP_KIND, hp.id),), (1.0,), frozenset(), frozenset(), 0),)
                                for hp in self.sc.all_spoedposten()]
        self._dispatch(req.arrival.tolist(), route.tolist(), routes)
        self.env.run(until=self.cal.horizon_min)
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
    with without_cycle_collector():
        t0 = time.perf_counter()
        region = Region(sc, replication)
        t1 = time.perf_counter()
        region.run()
        t2 = time.perf_counter()
    return Run(
        scenario=sc, replication=replication, calendar=region.cal, requests=region.ctx.requests,
        recorder=region.ctx.recorder, urgency_final=np.asarray(region.ctx.urgency, dtype=np.int8), pools=region.pools,
        fte_hours=region.fte, kinds=region.kinds, planned_hours=region.planned,
        prevented_per_location=region.prevented,
        warmup_end=float(sc.region.warmup_weeks * MIN_PER_WEEK), horizon=region.cal.horizon_min,
        timings={"build_s": t1 - t0, "simulate_s": t2 - t1},
    )
