"""Rosters turned into capacity over time: a step function of professionals on duty, and
the free time they have for the simulated requests beside their other work (FreeTime).

A roster is a list of blocks (days, start, end, count). Urgent requests (U1-U2) may take
any professional on duty who is not with another simulated patient; other requests wait
for free time, which `regular_load` (a GP's own practice list, an SO's rounds) limits.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from sim.engine.calendar import Calendar
from sim.scenario.schema import DAYS, RosterBlock, clock_minutes
from sim.units import MIN_PER_DAY

INF = float("inf")


@dataclass(frozen=True)
class StepFunction:
    """level[k] holds from times[k] until times[k+1]; times[0] == 0."""

    times: np.ndarray
    levels: np.ndarray

    @classmethod
    def from_events(cls, t: np.ndarray, delta: np.ndarray, horizon: float) -> "StepFunction":
        t = np.clip(np.asarray(t, dtype=float), 0.0, horizon)
        if t.size == 0:  # nobody rostered in the horizon (a roster of holidays only, every day a holiday)
            return cls(np.zeros(1), np.zeros(1, dtype=np.int64))
        order = np.argsort(t, kind="stable")
        t, delta = t[order], np.asarray(delta)[order]
        uniq, first = np.unique(t, return_index=True)
        level = np.cumsum(delta)
        last = np.r_[first[1:], len(t)] - 1  # level after all changes at a time
        times, levels = uniq, level[last]
        if times.size == 0 or times[0] > 0:
            times, levels = np.r_[0.0, times], np.r_[0, levels]
        keep = np.r_[True, np.diff(levels) != 0]  # drop non-changes
        return cls(times[keep], levels[keep].astype(np.int64))

    def at(self, t: float | np.ndarray) -> np.ndarray:
        return self.levels[np.searchsorted(self.times, t, side="right") - 1]

    def integral(self, a: float, b: float) -> float:
        """Professional-minutes available between a and b."""
        edges = np.clip(np.r_[self.times, np.inf], a, b)
        return float(np.sum(self.levels * np.diff(edges)))

    @property
    def peak(self) -> int:
        return int(self.levels.max()) if self.levels.size else 0


def roster_intervals(roster: list[RosterBlock], cal: Calendar) -> np.ndarray:
    """Rows (start, end, count) in minutes for every rostered block in the horizon.

    A block belongs to the day it starts on; the day before the horizon is included so
    a night shift that began on Sunday covers Monday 00:00 at the start.
    """
    if not roster:
        return np.zeros((0, 3))
    day_types = np.r_[(cal.weekday[0] - 1) % 7, cal.day_type]  # the day before the horizon, then each day
    applies = np.array([[DAYS[t] in b.days for b in roster] for t in range(len(DAYS))])  # day type x block
    start = np.array([clock_minutes(b.start) for b in roster], dtype=np.int64)
    end = np.array([clock_minutes(b.end) for b in roster], dtype=np.int64)
    end = np.where(end <= start, end + MIN_PER_DAY, end)  # past midnight
    count = np.array([b.count for b in roster], dtype=np.int64)
    d, k = np.nonzero(applies[day_types])  # by day, then block: the order absence is drawn in
    midnight = (d - 1) * MIN_PER_DAY  # d = 0 is the day before the horizon
    out = np.column_stack([midnight + start[k], midnight + end[k], count[k]]).astype(float)
    out[:, :2] = out[:, :2].clip(0, cal.horizon_min)
    return out[out[:, 1] > out[:, 0]]


def on_duty(roster: list[RosterBlock], cal: Calendar, absence: float = 0.0,
            rng: np.random.Generator | None = None) -> StepFunction:
    """Professionals on duty over time (overlapping blocks add up). With `absence`, each
    rostered professional misses each shift with that chance (sickness, no replacement)."""
    iv = roster_intervals(roster, cal)
    if absence > 0 and rng is not None and len(iv):
        iv[:, 2] = rng.binomial(iv[:, 2].astype(np.int64), 1.0 - absence)
    return StepFunction.from_events(np.r_[iv[:, 0], iv[:, 1]], np.r_[iv[:, 2], -iv[:, 2]], cal.horizon_min)


class FreeTime:
    """The time professionals on duty have for the simulated requests once their other work
    (`regular_load`: a GP's own practice list, an SO's rounds) is done, as a budget.

    Of g professionals on duty, the free time accrues at g (1 - load) professional-minutes per
    minute, with the office-hours load by day and the ANW load otherwise. A non-urgent job may
    start only when the free time accrued and not yet used covers the whole job, so the time
    the locations take from a practice never exceeds what regular_load leaves them. Free time
    does not carry over: the budget starts again at every change between office hours and ANW,
    at midnight and when the service closes (unused free time went to the other work).
    """

    def __init__(self, duty: StepFunction, cal: Calendar, load_office: float, load_anw: float):
        office = _office_hours(cal)
        edges = np.unique(np.r_[duty.times, office.times, np.arange(1, cal.n_days) * MIN_PER_DAY])
        edges = edges[edges < cal.horizon_min]
        g = duty.at(edges).astype(float)
        in_office = office.at(edges) > 0
        rate = g * (1.0 - np.where(in_office, load_office, load_anw))
        # a new budget at midnight, at every office/ANW change and when the service closes
        new = np.r_[True, (np.diff(in_office.astype(int)) != 0) | ((g[1:] == 0) & (g[:-1] > 0))
                    | (edges[1:] % MIN_PER_DAY == 0)]
        epoch = np.cumsum(new) - 1
        length = np.diff(np.r_[edges, cal.horizon_min])
        gained = rate * length
        cum = np.cumsum(gained) - gained  # accrued before each segment, over the whole horizon
        cum -= cum[np.flatnonzero(new)][epoch]  # ... since its budget began
        self.times: list[float] = edges.tolist() + [INF]
        self.rate: list[float] = rate.tolist()
        self.cum: list[float] = cum.tolist()
        self.epoch: list[int] = epoch.tolist()
        self._knots = np.r_[edges, cal.horizon_min]  # accrued free time at each knot, for integrals
        self._total = np.r_[0.0, np.cumsum(gained)]

    def segment(self, t: float, hint: int = 0) -> int:
        """The segment holding time t (time only moves forward: `hint` is where to start)."""
        if self.times[hint + 1] > t >= self.times[hint]:
            return hint
        return bisect_right(self.times, t, hint) - 1

    def accrued(self, t: float, k: int) -> float:
        """Free minutes accrued in segment k's budget by time t."""
        return self.cum[k] + self.rate[k] * (t - self.times[k])

    def time_reaching(self, amount: float, t: float, k: int) -> float:
        """When the budget that holds time t will have accrued `amount` free minutes; if it never
        does, when the next budget begins (the caller looks again then)."""
        j = k
        while True:
            end = self.times[j + 1]
            if self.rate[j] > 0 and self.accrued(end, j) >= amount:
                return max(t, self.times[j] + (amount - self.cum[j]) / self.rate[j])
            j += 1
            if end == INF or self.epoch[j] != self.epoch[k]:
                return end

    def integral(self, a: float, b: float) -> float:
        """Free professional-minutes between a and b (the capacity the requests had)."""
        return float(np.interp(b, self._knots, self._total) - np.interp(a, self._knots, self._total))


def _office_hours(cal: Calendar) -> StepFunction:
    """1 in office hours (working days, office_start to office_end), 0 otherwise."""
    days = np.flatnonzero(cal.day_type < 5)
    starts = days * MIN_PER_DAY + cal.office_start
    ends = days * MIN_PER_DAY + cal.office_end
    return StepFunction.from_events(np.r_[starts, ends], np.r_[np.ones(days.size), -np.ones(days.size)],
                                    cal.horizon_min)


def free_time(duty: StepFunction, cal: Calendar, load_office: float, load_anw: float = 0.0) -> FreeTime | None:
    """The free-time budget of a pool, or None when other work takes none of its time."""
    if load_office <= 0 and load_anw <= 0:
        return None
    return FreeTime(duty, cal, load_office, load_anw)
