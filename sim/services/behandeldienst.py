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

from collections.abc import Generator, Sequence

from sim.engine.calendar import OFFICE
from sim.engine.pool import Pool
from sim.engine.roster import FreeTime, StepFunction
from sim.scenario.arrangements import Artsenpost
from sim.scenario.config import Behandeldienst
from sim.services.base import (
    VISIT,
    Builder,
    Context,
    ServiceKey,
    ServiceTimes,
    claim_or_cover,
    doubles,
    moves_at_close,
    need,
    physician_goes,
    physician_priority,
    see_patient,
)
from sim.services.registry import HANDLER_CODE, builds


class PhysicianService:
    """One pool of physicians that sees whatever reaches it (priorities as at a practice)."""

    first_line = False

    def __init__(self, ctx: Context, key: ServiceKey, handler: str, duty: StepFunction, free: FreeTime | None,
                 travel_min: Sequence[float], durations: ServiceTimes, travel_min_anw: float | None = None):
        self.ctx = ctx
        self.key = key
        self.handler = HANDLER_CODE[handler]
        self.pool = Pool(ctx.env, key[1], duty, self.handler, free)
        self.pool.moves_at_close = moves_at_close(ctx, self.pool, key, True)
        self.travel = travel_min  # per request, drawn around the location's mean
        self.travel_anw = travel_min_anw  # the physician on call drives from home in ANW hours
        self.dur = durations  # per request it can see

    def travel_now(self, i: int) -> float:
        """One-way drive to request i's location now: from the service by day, from home
        (travel_min_anw, around its mean) in ANW hours."""
        if self.travel_anw is not None and self.ctx.calendar.period_at(self.ctx.env.now) != OFFICE:
            return self.travel_anw * self.ctx.travel_factor[i]
        return self.travel[i]

    @property
    def pools(self) -> list[Pool]:
        return [self.pool]

    def is_open(self) -> bool:
        return self.pool.is_open()

    def handle(self, i: int, step: int = 0) -> Generator[object, object, bool]:
        """Wait for a physician and see request i, or hand it over when closed."""
        ctx, env = self.ctx, self.ctx.env
        urgency, modality = ctx.urgency[i], ctx.modality[i]
        if not physician_goes(ctx, i):  # a U1 the ambulance takes alone
            return True
        travel = self.travel_now(i) if modality == VISIT else 0.0
        service = self.dur[i]
        claim = yield from claim_or_cover(ctx, self.pool, self.key, i, env.now, physician_priority(urgency, modality),
                                          need(self.pool, urgency, 2 * travel + service))
        if claim is not None:
            if modality == VISIT and self.travel_anw is not None:
                travel = self.travel_now(i)  # from where the physician is when she leaves (home at night)
            yield from see_patient(ctx, self.pool, claim, i, self.handler, travel, service)
        return True


@builds("behandeldienst")
def build_behandeldienst(b: Builder, cfg: Behandeldienst) -> PhysicianService:
    """The provider's own SO/AVG: day physicians with rounds (regular_load), ANW on call."""
    key = ("behandeldienst", cfg.id)
    duty = b.duty(cfg.id, cfg.roster)
    return PhysicianService(b.ctx, key, cfg.discipline, duty, b.free(duty, cfg.regular_load, cfg.regular_load_anw),
                            b.travel("behandeldienst"), b.times(cfg.durations, key), cfg.travel_min_anw)


@builds("gzc", "artsen")
def build_artsenpost(b: Builder, cfg: Artsenpost) -> PhysicianService:
    """A GZC or another physician pool (SO on consult basis, SO in the first line, a rota),
    with one travel time to every location."""
    key = ("service", cfg.id)
    duty = b.duty(cfg.id, cfg.roster)
    return PhysicianService(b.ctx, key, "gzc" if cfg.type == "gzc" else cfg.discipline, duty,
                            b.free(duty, cfg.regular_load, cfg.regular_load_anw),
                            doubles(cfg.travel_min * b.ctx.travel_factors), b.times(cfg.durations, key),
                            cfg.travel_min_anw)
