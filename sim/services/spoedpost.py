"""The huisartsenspoedpost (HAP) in ANW hours: triage line, doctors at the post, cars.

Every request is first answered by a triagist (urgent callers, U1-U2, on the priority
line). The triagist settles part of the telephone questions alone (never U1-U2); the rest
go to a doctor for phone advice, to a consult at the post (the patient travels there
first), or to a visit by car (the car drives out, the doctor sees the patient, the car
drives back). A U1-U2 call goes on after the triagist's ABCD check (`escalation_min`),
while she finishes the call: the car leaves then for a U1 visit, and 112 is called for
the U1s the ambulance goes to (services/ambulance.py). A request a first-line nurse has
already escalated goes on at once, the triagist taking the call alongside. Doctors and
cars take the most urgent request first; a U1 that finds no car free takes over a car
still on its way to a less urgent visit (that visit queues again). The HAP keeps no
backlog: what is still open when it closes (08:00 on working days) goes to the day route,
and the general population to its own GP.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence

import numpy as np

from sim.engine.demand import HAP_RESOLVE, HAP_TRIAGE, TRAVEL
from sim.engine.flow import Claim, Flow, Step, TakenOver
from sim.engine.pool import Pool
from sim.engine.records import PASSED_ON, PHONE_LINE, RESOLVED, TRANSFERRED
from sim.engine.roster import StepFunction
from sim.scenario.schema import URGENCIES, URGENT_MAX_URGENCY, RosterBlock
from sim.scenario.spoedpost import Spoedpost
from sim.services.base import (
    CONSULT,
    TELEPHONE,
    VISIT,
    Builder,
    Context,
    claim_or_cover,
    doubles,
    moves_at_close,
    per_request,
    physician_goes,
    release_later,
    see_patient,
)
from sim.services.registry import HANDLER_CODE, builds

HAP = HANDLER_CODE["hap"]


class Huisartsenspoedpost:
    """A HAP: a triage pool, a doctors' pool and a cars' pool, with the routes between them."""

    first_line = False

    def __init__(self, ctx: Context, cfg: Spoedpost, capacity: Callable[[str, list[RosterBlock]], StepFunction],
                 travel_min: Sequence[float], triage_min: Sequence[float], contact_min: Sequence[float]):
        self.ctx = ctx
        self.cfg = cfg
        self.key = ("hap", cfg.id)
        name = cfg.id  # pools are named <id>:triage, <id>:doctor, <id>:car ("hap:doctor" for one HAP)
        self.triage = Pool(ctx.env, f"{name}:triage", capacity(f"{name}:triage", cfg.triage.roster), HAP)
        self.doctors = Pool(ctx.env, f"{name}:doctor", capacity(f"{name}:doctor", cfg.doctors), HAP)
        self.cars = Pool(ctx.env, f"{name}:car", capacity(f"{name}:car", cfg.cars), HAP)
        for pool in self.pools:
            pool.moves_at_close = moves_at_close(ctx, pool, self.key, holds_backlog=False)
        self.extras = {self.triage.name: {"phone_line": True}}  # KPI: the phone-answer norms
        self.travel = travel_min  # per request: one-way post <-> patient
        self.triage_dur = triage_min  # per request: time on the phone with the triagist
        self.dur = contact_min  # per request: time with the doctor
        self.resolve_u = ctx.column(HAP_RESOLVE)
        self.resolve_share = cfg.triage.resolves_telephone_share
        self.settles = frozenset(URGENCIES.index(u) + 1 for u in cfg.triage.resolves_urgencies)
        self.escalation_min = cfg.triage.escalation_min

    @property
    def pools(self) -> list[Pool]:
        return [self.triage, self.doctors, self.cars]

    def is_open(self) -> bool:
        return self.triage.is_open()

    def _claim(self, pool: Pool, i: int, enter: float, priority: int, take: bool = False
               ) -> Generator[object, object, Claim | None]:
        return claim_or_cover(self.ctx, pool, self.key, i, enter, priority, 0.0, holds_backlog=False, take=take)

    def handle(self, i: int, step: int = 0) -> Generator[object, object, bool]:
        """The triage call, then a doctor by phone, at the post or by car; urgent calls go on
        after the ABCD check, escalated ones at once. Handed over when the HAP is closed."""
        ctx, env = self.ctx, self.ctx.env
        if ctx.escalated[i] and ctx.urgency[i] <= URGENT_MAX_URGENCY and self.is_open():
            Flow(env, self._call(i, alongside=True))  # the triagist takes the nurse's call meanwhile
        else:
            settled = yield from self._call(i)
            if settled is None or settled:
                return True
        if not physician_goes(ctx, i):  # a U1 the ambulance takes alone
            return True
        modality = ctx.modality[i]
        if modality == CONSULT:
            enter = env.now
            ctx.recorder.in_transit[i] = (HAP, self.doctors.name, enter, enter + self.travel[i])
            yield self.travel[i]  # the patient comes to the post
            del ctx.recorder.in_transit[i]
        yield from self._doctor(i, self.cars if modality == VISIT else self.doctors, env.now)
        return True

    def _call(self, i: int, alongside: bool = False) -> Generator[object, object, bool | None]:
        """The triage call: True if the triagist settled it, False if it goes on to a doctor,
        None if it was handed over. Urgent calls return after the ABCD check, the triagist
        still on the line. `alongside`: a request that has gone on already (a first-line
        nurse escalated it): the triagist takes the call meanwhile."""
        ctx, env, rec = self.ctx, self.ctx.env, self.ctx.recorder
        urgency, enter = ctx.urgency[i], env.now
        priority = 0 if urgency <= URGENT_MAX_URGENCY else 1
        claim: Claim | None
        if alongside:  # the request is on its way: a call the closing post does not hand over
            claim = self.triage.request(priority, i, enter)
            if not (yield claim):
                rec.stage(i, HAP, self.triage.name, enter, enter, env.now, env.now, 0.0, TRANSFERRED)
                return None
        else:
            claim = yield from self._claim(self.triage, i, enter, priority)
            if claim is None:
                return None
        start = env.now
        settled = (not alongside and ctx.modality[i] == TELEPHONE and urgency in self.settles
                   and self.resolve_u[i] < self.resolve_share)
        rec.contact(i, start, PHONE_LINE, ctx.meets_norm(i, PHONE_LINE, settled))
        duration = self.triage_dur[i]
        if not alongside and not settled and urgency <= URGENT_MAX_URGENCY:  # the ABCD check, then on at once
            check = min(self.escalation_min, duration)
            yield check
            rec.stage(i, HAP, self.triage.name, enter, claim.ready, start, start + duration, duration, PASSED_ON)
            release_later(env, self.triage, claim, duration - check)  # she finishes the call
            return False
        yield duration
        self.triage.release(claim)
        rec.stage(i, HAP, self.triage.name, enter, claim.ready, start, env.now, env.now - start,
                  RESOLVED if settled else PASSED_ON)
        if settled:
            rec.finish(i, env.now, HAP)
        return settled

    def _doctor(self, i: int, pool: Pool, enter: float) -> Step:
        """A doctor at the post, or a car; a U1 may take over a car on its way to a less
        urgent visit, which then queues again from where it was."""
        ctx = self.ctx
        by_car = pool is self.cars
        take = by_car and ctx.urgency[i] == 1
        while True:
            claim = yield from self._claim(pool, i, enter, ctx.urgency[i], take)
            if claim is None:
                return
            out = self.travel[i] if ctx.modality[i] == VISIT else 0.0
            try:
                yield from see_patient(ctx, pool, claim, i, HAP, out, self.dur[i], takeable=by_car)
                return
            except TakenOver:
                continue  # the car turned to a U1: wait for the next one


@builds("hap")
def build(b: Builder, hp: Spoedpost) -> Huisartsenspoedpost:
    """A HAP; the draws of all HAPs' requests are made once, in one list per kind of draw
    (each request belongs to one HAP, which fills in its own requests' values)."""
    if "hap" not in b.cache:
        b.cache["hap"] = _draws(b)
    travel, triage, contact = b.cache["hap"]
    return Huisartsenspoedpost(b.ctx, hp, b.duty, travel, triage, contact)


def _draws(b: Builder) -> tuple[Sequence[float], Sequence[float], Sequence[float]]:
    """Per request: one-way travel between its HAP and the patient, time with the triagist,
    time with the doctor (NaN for requests of no HAP)."""
    ctx, req = b.ctx, b.ctx.requests
    haps = ctx.scenario.all_spoedposten()
    bg_travel = np.zeros(len(req))
    for k, hp in enumerate(haps):  # index arrays, not masks over all requests: a HAP has a third of them
        mine = np.flatnonzero(req.source == -1 - k)
        bg_travel[mine] = hp.background.travel_min.ppf(req.u[mine, TRAVEL])
    travel = doubles(per_request([loc.travel_to("hap") for loc in ctx.scenario.locations], req, bg_travel))
    triage_min, contact_min = np.full(len(req), np.nan), np.full(len(req), np.nan)
    for k, hp in enumerate(haps):
        mine = np.flatnonzero(b.hap_of == k)
        triage_min[mine] = hp.triage.duration.ppf(req.u[mine, HAP_TRIAGE])
        contact_min[mine] = ctx.durations_of(hp.durations, mine)
    return travel, doubles(triage_min), doubles(contact_min)
