"""The huisartsenspoedpost (HAP) in ANW hours: triage line, doctors at the post, cars.

Every request is first answered by a triagist (urgent callers, U1-U2, on the priority
line). The triagist settles part of the telephone questions alone; the rest go to a
doctor for phone advice, to a consult at the post (the patient travels there first), or
to a visit by car (the car drives out, the doctor sees the patient, the car drives back).
Doctors and cars take the most urgent request first.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from .config import Spoedpost
from .context import CONSULT, TELEPHONE, VISIT, Context, see_patient
from .demand import HAP_RESOLVE
from .eerstelijn import PASSED_ON, RESOLVED, URGENT_LINE_MAX
from .pool import Pool
from .records import HANDLER_CODE
from .roster import StepFunction

HAP = HANDLER_CODE["hap"]


class Huisartsenspoedpost:
    is_filter = False

    def __init__(self, ctx: Context, cfg: Spoedpost, capacity: Callable[[str, list], StepFunction],
                 travel_min: list[float], triage_min: list[float], contact_min: list[float]):
        self.ctx = ctx
        self.cfg = cfg
        name = cfg.id  # pools are named <id>:triage, <id>:doctor, <id>:car ("hap:doctor" for one HAP)
        self.triage = Pool(ctx.env, f"{name}:triage", capacity(f"{name}:triage", cfg.triage.roster))
        self.doctors = Pool(ctx.env, f"{name}:doctor", capacity(f"{name}:doctor", cfg.doctors))
        self.cars = Pool(ctx.env, f"{name}:car", capacity(f"{name}:car", cfg.cars))
        self.travel = travel_min  # per request: one-way post <-> patient
        self.triage_dur = triage_min  # per request: time on the phone with the triagist
        self.dur = contact_min  # per request: time with the doctor
        self.resolve_u = ctx.column(HAP_RESOLVE)
        self.resolve_share = cfg.triage.resolves_telephone_share

    @property
    def pools(self) -> list[Pool]:
        return [self.triage, self.doctors, self.cars]

    def handle(self, i: int) -> Generator:
        ctx, env, rec = self.ctx, self.ctx.env, self.ctx.recorder
        urgency, modality = ctx.urgency[i], ctx.modality[i]

        enter = env.now
        req = self.triage.request(0 if urgency <= URGENT_LINE_MAX else 1)
        yield req
        start = env.now
        rec.contact(i, start, False)  # the triagist: not a physician
        yield self.triage_dur[i]
        self.triage.release(req)
        settled = modality == TELEPHONE and self.resolve_u[i] < self.resolve_share
        rec.stage(i, HAP, self.triage.name, enter, start, env.now, env.now - start, RESOLVED if settled else PASSED_ON)
        if settled:
            rec.finish(i, env.now, HAP)
            return

        pool = self.cars if modality == VISIT else self.doctors
        travel = self.travel[i]
        if modality == CONSULT:
            yield travel  # the patient comes to the post
        enter = env.now
        req = pool.request(urgency)
        yield req
        out = travel if modality == VISIT else 0.0
        yield from see_patient(ctx, pool, req, i, enter, HAP, out, self.dur[i])
