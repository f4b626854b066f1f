"""The huisartsenspoedpost (HAP) in ANW hours: triage line, doctors at the post, cars.

Every request is first answered by a triagist (urgent callers, U1-U2, on the priority
line). The triagist settles part of the telephone questions alone (never U1-U2); the rest
go to a doctor for phone advice, to a consult at the post (the patient travels there
first), or to a visit by car (the car drives out, the doctor sees the patient, the car
drives back). For a U1 visit the car leaves at once, while the triagist takes the call
(Dutch HAPs dispatch alongside the triage call). Doctors and cars take the most urgent
request first. The HAP keeps no backlog: what is still open when it closes (08:00 on
working days) goes to the day route, and the general population to its own GP.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import numpy as np

from sim.engine.demand import HAP_RESOLVE, HAP_TRIAGE, TRAVEL
from sim.engine.flow import Flow
from sim.engine.pool import Pool
from sim.engine.records import (
    PASSED_ON,
    PHONE_LINE,
    RESOLVED,
    TRANSFERRED,
)
from sim.engine.roster import StepFunction
from sim.scenario.config import URGENCIES, URGENT_MAX_URGENCY
from sim.scenario.spoedpost import Spoedpost
from sim.services.base import (
    CONSULT,
    TELEPHONE,
    VISIT,
    Builder,
    Context,
    claim_or_cover,
    moves_at_close,
    per_request,
    see_patient,
)
from sim.services.registry import HANDLER_CODE, builds

HAP = HANDLER_CODE["hap"]


class Huisartsenspoedpost:
    """A HAP: a triage pool, a doctors' pool and a cars' pool, with the routes between them."""

    first_line = False

    def __init__(self, ctx: Context, cfg: Spoedpost, capacity: Callable[[str, list], StepFunction],
                 travel_min: list[float], triage_min: list[float], contact_min: list[float]):
        self.ctx = ctx
        self.cfg = cfg
        self.key = ("hap", cfg.id)
        name = cfg.id  # pools are named <id>:triage, <id>:doctor, <id>:car ("hap:doctor" for one HAP)
        self.triage = Pool(ctx.env, f"{name}:triage", capacity(f"{name}:triage", cfg.triage.roster), HAP)
        self.doctors = Pool(ctx.env, f"{name}:doctor", capacity(f"{name}:doctor", cfg.doctors), HAP)
        self.cars = Pool(ctx.env, f"{name}:car", capacity(f"{name}:car", cfg.cars), HAP)
        for pool in self.pools:
            pool.moves_at_close = moves_at_close(ctx, pool, self.key, holds_backlog=False)
        self.triage.phone_line = True
        self.travel = travel_min  # per request: one-way post <-> patient
        self.triage_dur = triage_min  # per request: time on the phone with the triagist
        self.dur = contact_min  # per request: time with the doctor
        self.resolve_u = ctx.column(HAP_RESOLVE)
        self.resolve_share = cfg.triage.resolves_telephone_share
        self.settles = frozenset(URGENCIES.index(u) + 1 for u in cfg.triage.resolves_urgencies)

    @property
    def pools(self) -> list[Pool]:
        return [self.triage, self.doctors, self.cars]

    def is_open(self) -> bool:
        return self.triage.is_open()

    def _claim(self, pool: Pool, i: int, enter: float, priority: int) -> Generator:
        return claim_or_cover(self.ctx, pool, self.key, i, enter, priority, 0.0, holds_backlog=False)

    def handle(self, i: int, step: int = 0) -> Generator[object, object, bool]:
        """The triage call, then a doctor by phone, at the post or by car; a U1 visit's car
        leaves at once. Handed over when the HAP is closed."""
        ctx, env = self.ctx, self.ctx.env
        urgency, modality = ctx.urgency[i], ctx.modality[i]
        if urgency == 1 and modality == VISIT and self.cars.is_open():
            Flow(env, self._call(i, alongside=True))  # the triagist takes the call meanwhile
            yield from self._doctor(i, self.cars, env.now)
            return True
        settled = yield from self._call(i)
        if settled is None or settled:
            return True
        travel = self.travel[i]
        if modality == CONSULT:
            yield travel  # the patient comes to the post
        yield from self._doctor(i, self.cars if modality == VISIT else self.doctors, env.now)
        return True

    def _call(self, i: int, alongside: bool = False) -> Generator[object, object, bool | None]:
        """The triage call: True if the triagist settled it, False if it goes on to a doctor,
        None if it was handed over. `alongside`: a U1 visit whose car has already left."""
        ctx, env, rec = self.ctx, self.ctx.env, self.ctx.recorder
        urgency, enter = ctx.urgency[i], env.now
        priority = 0 if urgency <= URGENT_MAX_URGENCY else 1
        if alongside:  # the car is on its way: a call the closing post does not hand over
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
        yield self.triage_dur[i]
        self.triage.release(claim)
        rec.stage(i, HAP, self.triage.name, enter, claim.ready, start, env.now, env.now - start,
                  RESOLVED if settled else PASSED_ON)
        if settled:
            rec.finish(i, env.now, HAP)
        return settled

    def _doctor(self, i: int, pool: Pool, enter: float) -> Generator:
        claim = yield from self._claim(pool, i, enter, self.ctx.urgency[i])
        if claim is not None:
            out = self.travel[i] if self.ctx.modality[i] == VISIT else 0.0
            yield from see_patient(self.ctx, pool, claim, i, HAP, out, self.dur[i])


@builds("hap")
def build(b: Builder, hp: Spoedpost) -> Huisartsenspoedpost:
    """A HAP; the draws of all HAPs' requests are made once, in one list per kind of draw
    (each request belongs to one HAP, which fills in its own requests' values)."""
    if "hap" not in b.cache:
        b.cache["hap"] = _draws(b)
    travel, triage, contact = b.cache["hap"]
    return Huisartsenspoedpost(b.ctx, hp, b.duty, travel, triage, contact)


def _draws(b: Builder) -> tuple[list[float], list[float], list[float]]:
    """Per request: one-way travel between its HAP and the patient, time with the triagist,
    time with the doctor (NaN for requests of no HAP)."""
    ctx, req = b.ctx, b.ctx.requests
    haps = ctx.scenario.all_spoedposten()
    bg_travel = np.zeros(len(req))
    for k, hp in enumerate(haps):
        mine = req.source == -1 - k
        bg_travel[mine] = ctx.draw(hp.background.travel_min, TRAVEL, mine)[mine]
    travel = per_request([loc.travel_min_hap for loc in ctx.scenario.locations], req, bg_travel).tolist()
    triage_min, contact_min = np.full(len(req), np.nan), np.full(len(req), np.nan)
    for k, hp in enumerate(haps):
        mine = b.hap_of == k
        triage_min[mine] = ctx.draw(hp.triage.duration, HAP_TRIAGE, mine)[mine]
        contact_min[mine] = ctx.durations(hp.durations, mine)[mine]
    return travel, triage_min.tolist(), contact_min.tolist()
