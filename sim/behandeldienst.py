"""Physician services that see what reaches them, around the clock or by roster:
- the provider's own SO or AVG for locations met behandeling (seed 001), day physicians
  and an ANW on-call physician (A);
- the same pooled across organisations, e.g. a regional ANW rota (H);
- a gezondheidscentrum bijzondere doelgroepen (G) or SO in the first line (I), which are
  physician services of the same kind with their own roster and travel time.
Acute first, then telephone, then planned work.
"""

from __future__ import annotations

from collections.abc import Generator

from .context import VISIT, Context, physician_priority, see_patient
from .pool import Pool
from .records import HANDLER_CODE
from .roster import StepFunction


class PhysicianService:
    is_filter = False

    def __init__(self, ctx: Context, name: str, handler: str, capacity: StepFunction,
                 travel_min: list[float], durations: dict[int, float]):
        self.ctx = ctx
        self.handler = HANDLER_CODE[handler]
        self.capacity = capacity
        self.pool = Pool(ctx.env, name, capacity)
        self.travel = travel_min  # per request
        self.dur = durations  # per request it can see

    @property
    def pools(self) -> list[Pool]:
        return [self.pool]

    def handle(self, i: int) -> Generator:
        ctx, env = self.ctx, self.ctx.env
        urgency, modality = ctx.urgency[i], ctx.modality[i]
        enter = env.now
        req = self.pool.request(physician_priority(urgency, modality))
        yield req
        travel = self.travel[i] if modality == VISIT else 0.0
        yield from see_patient(ctx, self.pool, req, i, enter, self.handler, travel, self.dur[i])
