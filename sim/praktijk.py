"""The GP practice (huisartsenpraktijk) by day.

Acute requests (U1-U3) go first and must be seen before the practice closes; if not,
the practice's phone passes them to the HAP at closing time, as in reality. Telephone
requests come next. Non-acute consults and visits are planned: into today's visit round
when asked before the cut-off, otherwise the next day's, and then wait for free GP time,
so they run into later days when a practice is short of capacity.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Generator

from .calendar import MIN_PER_DAY
from .config import ACUTE_MAX_URGENCY, Practice, clock_minutes
from .context import TELEPHONE, VISIT, Context, physician_priority, see_patient
from .pool import Pool
from .records import HANDLER_CODE
from .roster import StepFunction, closing_times

GP = HANDLER_CODE["gp"]
TRANSFERRED = 1  # records.STAGE_OUTCOMES


class Huisartsenpraktijk:
    is_filter = False

    def __init__(self, ctx: Context, practice: Practice, duty: StepFunction, capacity: StepFunction,
                 travel_min: list[float], durations: dict[int, float], transfer: Callable[[int], Generator]):
        self.ctx = ctx
        self.practice = practice
        self.duty = duty
        self.capacity = capacity
        self.pool = Pool(ctx.env, practice.id, self.capacity)
        self._closes = closing_times(self.duty, ctx.calendar.horizon_min).tolist()
        self._duty_times, self._duty_levels = duty.times.tolist(), duty.levels.tolist()
        self.travel = travel_min  # per request: one-way practice <-> location
        self.dur = durations  # per request of its own locations: time with the GP
        self.transfer = transfer
        self.cutoff = clock_minutes(practice.planned_cutoff)
        self.round_start = clock_minutes(practice.planned_start)

    @property
    def pools(self) -> list[Pool]:
        return [self.pool]

    def planned_for(self, t: float) -> float:
        """Earliest start of a non-acute consult or visit asked at time t."""
        day = t // MIN_PER_DAY
        if t - day * MIN_PER_DAY >= self.cutoff:
            day += 1
        return max(t, day * MIN_PER_DAY + self.round_start)

    def next_close(self, t: float) -> float | None:
        """When the practice closes next, or None if it is closed now."""
        k = bisect_right(self._duty_times, t) - 1
        if self._duty_levels[k] == 0:
            return None
        return self._closes[bisect_right(self._closes, t)]

    def handle(self, i: int) -> Generator:
        ctx, env = self.ctx, self.ctx.env
        urgency, modality = ctx.urgency[i], ctx.modality[i]
        enter = env.now
        if urgency > ACUTE_MAX_URGENCY and modality != TELEPHONE:
            planned = self.planned_for(enter)
            if planned > enter:
                yield planned - enter
        closes = self.next_close(enter) if urgency <= ACUTE_MAX_URGENCY else None
        req = self.pool.request(physician_priority(urgency, modality), until=closes)
        if not (yield req):  # still waiting when the practice closed
            ctx.recorder.stage(i, GP, self.practice.id, enter, env.now, env.now, 0.0, TRANSFERRED)
            yield from self.transfer(i)
            return
        travel = self.travel[i] if modality == VISIT else 0.0
        yield from see_patient(ctx, self.pool, req, i, enter, GP, travel, self.dur[i])
