"""The GP practice (huisartsenpraktijk) by day.

Urgent requests (U1-U2) take any GP on duty who is not with another simulated patient;
everything else waits for the GPs' free time beside their own practice list
(`regular_load`, roster.FreeTime). Acute requests go first, then telephone requests.
Non-acute consults and visits are planned: into today's visit round when asked before the
cut-off, otherwise the next round, unless that round would miss the request's norm (then
today's, or the first moment the practice is open). When the practice closes, or is
closed when a request comes in, acute work and whatever cannot wait for the next opening
go to the service that covers the location then (the HAP in ANW hours, a waarnemende
practice in office hours); the rest waits for the practice to reopen.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Generator, Sequence

from sim.engine.pool import Pool
from sim.engine.roster import FreeTime, StepFunction
from sim.scenario.config import Practice
from sim.scenario.schema import ACUTE_MAX_URGENCY, clock_minutes
from sim.services.base import (
    TELEPHONE,
    VISIT,
    Builder,
    Context,
    ServiceTimes,
    claim_or_cover,
    moves_at_close,
    need,
    physician_goes,
    physician_priority,
    see_patient,
)
from sim.services.registry import HANDLER_CODE, builds
from sim.units import MIN_PER_DAY

GP = HANDLER_CODE["gp"]
PLANNING_DAYS = 14  # how far ahead to look for a visit round when the practice is closed for days


class Huisartsenpraktijk:
    """A GP practice's GPs as one pool, with the practice's planning rule (see above)."""

    first_line = False

    def __init__(self, ctx: Context, practice: Practice, duty: StepFunction, free: FreeTime | None,
                 travel_min: Sequence[float], durations: ServiceTimes):
        self.ctx = ctx
        self.practice = practice
        self.key = ("practice", practice.id)
        self.pool = Pool(ctx.env, practice.id, duty, GP, free)
        self.pool.moves_at_close = moves_at_close(ctx, self.pool, self.key, True)
        self._duty_times: list[float] = duty.times.tolist()
        self._duty_levels: list[int] = duty.levels.tolist()
        self.travel = travel_min  # per request: one-way practice <-> location
        self.dur = durations  # per request: time with the GP
        self.cutoff = clock_minutes(practice.planned_cutoff)
        self.round_start = clock_minutes(practice.planned_start)
        self._rounds: dict[int, float | None] = {}  # day -> when its round can start (None: closed all day)

    @property
    def pools(self) -> list[Pool]:
        return [self.pool]

    def is_open(self) -> bool:
        return self.pool.is_open()

    def _open_from(self, t: float, until: float) -> float | None:
        """The first moment in [t, until) at which a GP is on duty, or None."""
        k = bisect_right(self._duty_times, t) - 1
        while k < len(self._duty_levels):
            start = max(t, self._duty_times[k])
            if start >= until:
                return None
            if self._duty_levels[k] > 0:
                return start
            k += 1
        return None

    def next_round(self, t: float, day: int) -> float:
        """The first visit round from `day` on (not before t) at which the practice is open."""
        for d in range(day, day + PLANNING_DAYS):
            begin = d * MIN_PER_DAY + self.round_start
            if t <= begin:  # the round itself: the same answer for every request, kept per day
                if d not in self._rounds:
                    self._rounds[d] = self._open_from(begin, (d + 1) * MIN_PER_DAY)
                start = self._rounds[d]
            else:
                start = self._open_from(t, (d + 1) * MIN_PER_DAY)
            if start is not None:
                return start
        return max(t, day * MIN_PER_DAY + self.round_start)

    def planned_for(self, i: int, t: float) -> float:
        """When a non-acute consult or visit asked at time t is planned: the round after the
        cut-off rule, or earlier when that round would miss the request's norm."""
        day = int(t // MIN_PER_DAY)
        planned = self.next_round(t, day if t - day * MIN_PER_DAY < self.cutoff else day + 1)
        if planned > self.ctx.deadline[i]:
            soonest = self._open_from(t, planned)
            if soonest is not None:
                planned = soonest
        return planned

    def handle(self, i: int, step: int = 0) -> Generator[object, object, bool]:
        """Plan request i if it is non-acute planned work, wait for a GP (urgent work takes
        one off other work; the rest waits for free time), see the patient: or hand the
        request over if the practice is closed and it cannot wait."""
        ctx, env = self.ctx, self.ctx.env
        urgency, modality = ctx.urgency[i], ctx.modality[i]
        enter = env.now
        if not physician_goes(ctx, i):  # a U1 the ambulance takes alone
            return True
        if urgency > ACUTE_MAX_URGENCY and modality != TELEPHONE:
            planned = self.planned_for(i, enter)
            if planned > enter:
                ctx.recorder.in_transit[i] = (GP, self.pool.name, enter, planned)
                yield planned - enter
                del ctx.recorder.in_transit[i]
        travel = self.travel[i] if modality == VISIT else 0.0
        service = self.dur[i]
        claim = yield from claim_or_cover(ctx, self.pool, self.key, i, enter, physician_priority(urgency, modality),
                                          need(self.pool, urgency, 2 * travel + service))
        if claim is not None:
            yield from see_patient(ctx, self.pool, claim, i, GP, travel, service)
        return True


@builds("practice")
def build(b: Builder, p: Practice) -> Huisartsenpraktijk:
    """A practice's GPs: their roster, and the free time `regular_load` and the GP shortage
    (pressures.gp_capacity_factor) leave for the locations."""
    factor = b.ctx.scenario.pressures.gp_capacity_factor
    duty = b.duty(p.id, p.roster)
    free = b.free(duty, 1 - factor * (1 - p.regular_load), 1 - factor * (1 - p.regular_load_anw))
    key = ("practice", p.id)
    return Huisartsenpraktijk(b.ctx, p, duty, free, b.travel("practice"), b.times(p.durations, key))
