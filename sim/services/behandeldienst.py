"""Physician services that see what reaches them, around the clock or by roster:
- the provider's own SO or AVG for locations met behandeling (seed 001), day physicians
  and an ANW on-call physician (A);
- the same pooled across organisations, e.g. a regional ANW rota (H);
- a gezondheidscentrum bijzondere doelgroepen (G) or SO in the first line (I), which are
  physician services of the same kind with their own roster and travel time.
Urgent first, then U3, then telephone, then planned work; non-urgent work waits for free
time beside rounds and planned care (`regular_load`). An office-only service that closes
hands acute and can't-wait work to the ANW route.
"""

from __future__ import annotations

from collections.abc import Generator

from sim.engine.pool import Pool
from sim.engine.records import HANDLER_CODE
from sim.engine.roster import FreeTime, StepFunction
from sim.services.base import (
    VISIT,
    Context,
    ServiceKey,
    ServiceTimes,
    claim_or_cover,
    moves_at_close,
    need,
    physician_priority,
    see_patient,
)


class PhysicianService:
    is_filter = False

    def __init__(self, ctx: Context, key: ServiceKey, handler: str, duty: StepFunction, free: FreeTime | None,
                 travel_min: list[float], durations: ServiceTimes):
        self.ctx = ctx
        self.key = key
        self.handler = HANDLER_CODE[handler]
        self.pool = Pool(ctx.env, key[1], duty, self.handler, free)
        self.pool.moves_at_close = moves_at_close(ctx, self.pool, key, True)
        self.travel = travel_min  # per request
        self.dur = durations  # per request it can see

    @property
    def pools(self) -> list[Pool]:
        return [self.pool]

    def is_open(self) -> bool:
        return self.pool.is_open()

    def handle(self, i: int) -> Generator:
        ctx, env = self.ctx, self.ctx.env
        urgency, modality = ctx.urgency[i], ctx.modality[i]
        travel = self.travel[i] if modality == VISIT else 0.0
        service = self.dur[i]
        claim = yield from claim_or_cover(ctx, self.pool, self.key, i, env.now, physician_priority(urgency, modality),
                                          need(self.pool, urgency, 2 * travel + service))
        if claim is not None:
            yield from see_patient(ctx, self.pool, claim, i, self.handler, travel, service)
