"""What every service shares: the clock, the requests, the recorder, and the rules every
service applies the same way (queue priority, free time, closing and hand-over, seeing the
patient)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import simpy

from sim.engine.calendar import Calendar
from sim.engine.demand import SEH_REFERRAL, SERVICE, TRAVEL, Requests
from sim.engine.flow import Claim, Step, TakenOver, at
from sim.engine.pool import Pool
from sim.engine.records import DIVERTED, PHYSICIAN, SERVED, TRANSFERRED, Recorder
from sim.engine.roster import INF, FreeTime, StepFunction
from sim.scenario.config import Scenario
from sim.scenario.schema import (
    ACUTE_MAX_URGENCY,
    URGENCIES,
    URGENT_MAX_URGENCY,
    Duration,
    ModalityDurations,
    RosterBlock,
)
from sim.services.norms import meets_norm

TELEPHONE, CONSULT, VISIT = 0, 1, 2
ServiceKey = tuple[str, str]  # (kind, id): ("practice", "P1"), ("hap", "hap"), ("service", "VOORWACHT")


class Service(Protocol):
    """What the region needs of every service: its key, its pools, whether it is open now,
    and the walk of one request through it."""

    key: ServiceKey
    first_line: bool  # settles a share and passes the rest on to the route's next step

    @property
    def pools(self) -> list[Pool]: ...

    def is_open(self) -> bool: ...

    def handle(self, i: int, step: int = 0) -> Generator[object, object, bool]:
        """Serve request i (as the `step`-th first-line step of its route, for a first-line
        service). The generator yields holds and claims (engine/flow.py) and returns True
        when the request's walk ends here: closed, settled, or handed over."""
        ...


class Emergency(Protocol):
    """112 and the ambulance, as services use them (services/ambulance.py)."""

    def dispatch(self, i: int) -> bool:
        """U1 request i reaches a physician service: send the ambulance if its dispatch says
        so (once); False when the ambulance goes alone and no physician is needed."""
        ...

    def instead(self, i: int) -> None:
        """Nobody can go to U1 request i: the ambulance goes (if it has not already) and the
        request ends with it."""
        ...


class Builder(Protocol):
    """What a service type's builder gets from the region (services/registry.py): the
    shared context, and per service its on-duty staff, free time, the requests its routes
    bring and per-request attributes of their locations."""

    ctx: "Context"
    cache: dict[str, Any]  # for what several services of one kind share (the HAPs' draws)

    def duty(self, name: str, roster: list[RosterBlock]) -> StepFunction:
        """Professionals on duty, with sickness absence drawn from the pool's own stream."""
        ...

    def free(self, duty: StepFunction, load_office: float, load_anw: float = 0.0) -> FreeTime | None: ...

    def mask(self, key: ServiceKey) -> np.ndarray:
        """Which requests the routes can bring to this service."""
        ...

    def times(self, spec: ModalityDurations, key: ServiceKey) -> "ServiceTimes": ...

    def per_location(self, attribute: str) -> Sequence[float]:
        """A location attribute per request; 0 for the population."""
        ...

    def travel(self, kind: str) -> Sequence[float]:
        """A location's travel time from a service of this kind (Location.travel_to) per
        request, drawn around its mean; 0 for the population."""
        ...

    def residents(self, key: ServiceKey) -> int:
        """Residents whose routes reach this service."""
        ...

    hap_of: np.ndarray  # per request, the index of the HAP it belongs to (all_spoedposten order)


@dataclass
class Context:
    """What every service of one replication shares: the clock, the scenario and calendar,
    the requests and their per-request values (current and asked urgency, modality, the
    deadline of their norm), the recorder, and who covers a request when its service is
    closed (set by the region)."""

    env: simpy.Environment
    scenario: Scenario
    calendar: Calendar
    requests: Requests
    recorder: Recorder
    replication: int = 0
    urgency: list[int] = field(init=False)  # current urgency: first-line triage may lower it
    asked: list[int] = field(init=False)  # the urgency asked with: the norm that applies
    modality: list[int] = field(init=False)
    deadline: Sequence[float] = field(init=False)  # arrival + the norm of the urgency asked
    # set by the region once its services exist: who covers a request now, and handing it there
    covering: Callable[[int, ServiceKey], ServiceKey | None] = field(init=False)
    hand_over: Callable[[int, ServiceKey], Step] = field(init=False)
    ambulance: "Emergency" = field(init=False)  # 112 and the A1 ambulance (services/ambulance.py)
    escalated: bytearray = field(init=False)  # a first-line professional has escalated it: it goes on at once
    travel_factor: Sequence[float] = field(init=False)  # per request: its drives against their mean
    travel_factors: np.ndarray = field(init=False)  # the same, as an array

    def __post_init__(self) -> None:
        # The event loop reads these per request: Python lists and arrays of doubles, not
        # numpy (much faster element access); column(slot) does the same for the uniform draws.
        self.urgency = self.requests.urgency.tolist()
        self.asked = list(self.urgency)
        self.modality = self.requests.modality.tolist()
        norms = self.scenario.norms
        by_u = np.array([0.0] + [getattr(norms, u) for u in URGENCIES])
        self.deadline = doubles(self.requests.arrival + by_u[self.requests.urgency])
        self.settled_ok = frozenset(URGENCIES.index(u) + 1 for u in norms.settled_without_physician)
        self._columns: dict[int, Sequence[float]] = {}
        shares = self.scenario.pressures.seh_referral
        self.seh_share = [0.0] + [shares[u] for u in URGENCIES]
        self.seh_u = self.column(SEH_REFERRAL)
        self.escalated = bytearray(len(self.requests))
        # lognormal, mean 1 (scenario.travel.cv), from the request's own TRAVEL draw: the same
        # factor at every service it meets, so a scenario's drives differ only where its means do
        self.travel_factors = Duration(mean=1.0, cv=self.scenario.travel.cv).ppf(self.requests.u[:, TRAVEL])
        self.travel_factor = doubles(self.travel_factors)

    def column(self, slot: int) -> Sequence[float]:
        """One uniform slot of every request (doubles)."""
        if slot not in self._columns:
            self._columns[slot] = doubles(self.requests.u[:, slot])
        return self._columns[slot]

    def durations(self, spec: ModalityDurations, mask: np.ndarray | None = None, slot: int = SERVICE) -> np.ndarray:
        """Service time of each request at a service with these durations (CRN: each
        request's own uniform draw, mapped through the service's distribution); NaN for
        requests outside `mask`."""
        out = np.full(len(self.requests), np.nan)
        idx = np.arange(len(self.requests)) if mask is None else np.flatnonzero(mask)
        out[idx] = self.durations_of(spec, idx, slot)
        return out

    def durations_of(self, spec: ModalityDurations, idx: np.ndarray, slot: int = SERVICE) -> np.ndarray:
        """`durations` of the requests `idx` only, in that order (no array over all requests)."""
        out = np.empty(idx.size)
        modality = self.requests.modality[idx]
        u = self.requests.u[idx, slot]
        for m, name in enumerate(("telephone", "consult", "visit")):
            sel = modality == m
            out[sel] = spec.of(name).ppf(u[sel])
        return out

    def draw(self, spec: Duration, slot: int, mask: np.ndarray | None = None) -> np.ndarray:
        out = np.full(len(self.requests), np.nan)
        sel = slice(None) if mask is None else mask
        out[sel] = spec.ppf(self.requests.u[sel, slot])
        return out

    def meets_norm(self, i: int, kind: int, settles: bool = False) -> bool:
        return meets_norm(kind, self.asked[i], self.modality[i], settles, self.settled_ok)

    def must_move(self, i: int, pool: Pool, holds_backlog: bool) -> bool:
        """Request i is at `pool`, which is closed: must it go to whoever covers it now?
        A service that holds no backlog (the HAP) hands everything on; others keep
        non-acute work that can still meet its norm when they reopen (planning, not
        stranding)."""
        if not holds_backlog or self.urgency[i] <= ACUTE_MAX_URGENCY:
            return True
        reopens = pool.next_open()
        # reopening after the horizon: the model cannot tell, so the request stays (censored)
        return self.deadline[i] < reopens < INF


class ServiceTimes(dict[int, float]):
    """Time with the professional per request at one service: drawn up front for the
    requests its routes bring (vectorised), and on demand for one it covers for another
    service (a waarnemende practice), from the same uniform (common random numbers).

    A dict by request index, of just the requests the service can see (memory and set-up
    stay linear in the number of requests): `times[i]` of a known request is a plain dict
    look-up (no Python call: the event loop reads one per contact); a request it does not
    know yet is drawn in __missing__."""

    def __init__(self, ctx: Context, spec: ModalityDurations, mask: np.ndarray):
        idx = np.flatnonzero(mask)
        super().__init__(zip(idx.tolist(), ctx.durations_of(spec, idx).tolist()))
        self.ctx, self.spec = ctx, spec

    def __missing__(self, i: int) -> float:
        modality = ("telephone", "consult", "visit")[self.ctx.modality[i]]
        t = self[i] = float(self.spec.of(modality).ppf(self.ctx.requests.u[i, SERVICE]))
        return t


def doubles(values: np.ndarray) -> array[float]:
    """Numbers per request for the event loop, as an array.array of doubles: read by index
    about as fast as a list, and made with one copy, where a list makes a Python float per
    request up front (about 15 MB of objects for each such list in the large region, most
    of them read once)."""
    out = array("d")
    out.frombytes(np.ascontiguousarray(values, dtype=np.float64).data.cast("B"))
    return out


def per_request(values_per_location: list[float], req: Requests, background: np.ndarray | float) -> np.ndarray:
    """Spread a per-location attribute over the requests (the general population gets its own)."""
    table = np.asarray(values_per_location + [0.0], dtype=float)
    out = table[np.where(req.source < 0, len(values_per_location), req.source)]
    return np.where(req.source < 0, background, out)


def physician_priority(urgency: int, modality: int) -> int:
    """Physician queues: urgent (U1-U2) first, then U3, then telephone, then planned work."""
    if urgency <= URGENT_MAX_URGENCY:
        return 0
    if urgency <= ACUTE_MAX_URGENCY:
        return 1
    return 2 if modality == TELEPHONE else 3


def need(pool: Pool, urgency: int, hold: float) -> float:
    """Free time a claim must wait for: none for urgent work (U1-U2 take a professional off
    other work) or where other work takes no time; the whole job otherwise."""
    return 0.0 if pool.free is None or urgency <= URGENT_MAX_URGENCY else hold


def claim_or_cover(ctx: Context, pool: Pool, key: ServiceKey, i: int, enter: float, priority: int,
                   need_min: float, holds_backlog: bool = True, take: bool = False
                   ) -> Generator[object, object, Claim | None]:
    """Claim a professional of `pool` for request i. When the service is closed (on arrival,
    or when it closes while i waits) and i must not wait for it to reopen, hand i to the
    service that covers it now, with a stage of outcome `transferred`, and return None.
    A request that may wait for the reopening is planned for it (its wait for a
    professional starts then); with nobody open to cover it, it waits here, and the pool
    asks again whenever another service may have opened (Pool.recheck). A U1 that nobody
    can go to gets the ambulance instead (112). `take`: a U1 may take over a less urgent
    claim's professional (a HAP car still on its way)."""
    env, rec = ctx.env, ctx.recorder
    ready = None  # when it was ready to be served here, once it has waited in the queue
    while True:
        claim = pool.request_if_open(priority, i, enter, need_min, take)
        if claim is None:  # closed
            if not ctx.must_move(i, pool, holds_backlog):
                reopens = pool.next_open()
                rec.in_transit[i] = (pool.handler, pool.name, enter, reopens)
                if reopens == float("inf"):  # not within the horizon: it stays open to the end
                    yield float("inf")
                yield reopens - env.now  # planning, not stranding
                del rec.in_transit[i]
                continue
            target = ctx.covering(i, key)
            if target is not None or ctx.urgency[i] == 1:
                now = env.now
                rec.stage(i, pool.handler, pool.name, enter, now if ready is None else ready, now, now, 0.0,
                          TRANSFERRED)
                if target is None:  # nobody open to go to a U1: 112
                    ctx.ambulance.instead(i)
                else:
                    yield from ctx.hand_over(i, target)
                return None
            claim = pool.request(priority, i, enter, need_min, take)  # nobody to cover it: it waits here
        if (yield claim):
            return claim
        ready = claim.ready if ready is None else ready  # moved on at closing: the loop hands it over


def moves_at_close(ctx: Context, pool: Pool, key: ServiceKey, holds_backlog: bool) -> Callable[[Claim], bool]:
    """The pool's closing rule for its waiting claims (see claim_or_cover)."""
    def moves(claim: Claim) -> bool:
        i = claim.i
        return ctx.must_move(i, pool, holds_backlog) and (ctx.urgency[i] == 1 or ctx.covering(i, key) is not None)
    return moves


def physician_goes(ctx: Context, i: int) -> bool:
    """Request i reaches a service that sends a physician: a U1 gets the ambulance now, as
    its dispatch says (services/ambulance.py); False when the ambulance goes alone."""
    return ctx.urgency[i] != 1 or ctx.ambulance.dispatch(i)


def release_later(env: simpy.Environment, pool: Pool, claim: Claim, delay: float) -> None:
    """The professional goes on with this request for `delay` minutes while the request
    moves on (a nurse on the line after escalating, a car driving back): its stage is
    already written, so it leaves the claims in hand."""
    pool.holding.discard(claim)
    if delay > 0:
        at(env, delay, lambda _e: pool.release(claim))
    else:
        pool.release(claim)


RETURNING = 99  # queue priority of a car on its way back: any urgent claim may take it first


def see_patient(ctx: Context, pool: Pool, claim: Claim, i: int, handler: int, travel: float,
                service: float, takeable: bool = False) -> Step:
    """Once a physician is free: travel out (visits), see the patient, travel back, then
    record the stage and close the request. Contact is on arrival at the patient and meets
    the norm (a physician as the request needs); a share of contacts, by urgency, ends in a
    referral to the SEH. `takeable` (a HAP car): until the physician reaches the patient, a
    more urgent claim may take the car over (flow.TakenOver is raised to the caller, which
    queues again; the broken-off drive is a stage of outcome `diverted`); on its way back the
    car may be taken by any claim that may take one (a U1), and this visit simply ends there."""
    env, rec = ctx.env, ctx.recorder
    start = env.now
    claim.contact = start + travel
    if not (takeable and travel > 0):
        rec.contact(i, start + travel, PHYSICIAN, True)
        yield 2 * travel + service
        pool.release(claim)
        _seen(ctx, pool, claim, i, handler, start, start + travel, start + travel + service)
        return
    pool.takeable[claim] = None
    try:
        yield travel
    except TakenOver:
        rec.stage(i, handler, pool.name, claim.enter, claim.ready, start, env.now, env.now - start, DIVERTED,
                  contact=float("nan"), preempt=False)
        raise
    del pool.takeable[claim]
    contact = claim.contact = env.now
    rec.contact(i, contact, PHYSICIAN, True)
    yield service
    claim.priority = RETURNING
    pool.takeable[claim] = None
    try:
        yield travel  # driving back
        del pool.takeable[claim]
        pool.release(claim)
    except TakenOver:
        pass  # turned to a U1 on the way back: the car is the U1's now
    _seen(ctx, pool, claim, i, handler, start, contact, contact + service)


def _seen(ctx: Context, pool: Pool, claim: Claim, i: int, handler: int, start: float, contact: float,
          done: float) -> None:
    """Record a finished contact: its stage (the professional held from start to now), the
    request closed when the contact ended, and an SEH referral for a share by urgency."""
    rec, now = ctx.recorder, ctx.env.now
    rec.stage(i, handler, pool.name, claim.enter, claim.ready, start, now, now - start, SERVED, contact,
              claim.need <= 0.0 and pool.free is not None)  # positional: once per contact
    rec.finish(i, done, handler)
    if ctx.seh_u[i] < ctx.seh_share[ctx.urgency[i]]:
        rec.referred_seh[i] = True
