"""Rosters turned into capacity over time: a step function of professionals on duty.

A roster is a list of blocks (days, start, end, count). The capacity a service can give to
the simulated requests is that roster minus the time its professionals spend on other
work (`regular_load`: a GP's own practice list, an SO's rounds), realised as a free window
in every cycle (`regular_cycle_min`) so that someone is free between patients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .calendar import MIN_PER_DAY, Calendar
from .config import DAYS, RosterBlock, clock_minutes


@dataclass(frozen=True)
class StepFunction:
    """level[k] holds from times[k] until times[k+1]; times[0] == 0."""

    times: np.ndarray
    levels: np.ndarray

    @classmethod
    def from_events(cls, t: np.ndarray, delta: np.ndarray, horizon: float) -> "StepFunction":
        t = np.clip(np.asarray(t, dtype=float), 0.0, horizon)
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
    rows = []
    for d in range(-1, cal.n_days):
        dtype = cal.day_type[d] if d >= 0 else (cal.weekday[0] - 1) % 7
        day = DAYS[dtype]
        for b in roster:
            if day in b.days:
                s, e = clock_minutes(b.start), clock_minutes(b.end)
                e = e + MIN_PER_DAY if e <= s else e
                rows.append((d * MIN_PER_DAY + s, d * MIN_PER_DAY + e, b.count))
    out = np.array(rows, dtype=float).reshape(-1, 3)
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


def available(roster: list[RosterBlock], cal: Calendar, regular_load: float, cycle: float,
              duty: StepFunction | None = None) -> StepFunction:
    """Professionals free for the simulated requests: on duty and not on other work.

    Of g professionals on duty, a share `regular_load` of their time goes to other work
    (a GP's own list). In every cycle, k = ceil(g (1 - load)) of them are free for a
    window just long enough that the free professional-minutes are (1 - load) of the
    rostered ones; when g (1 - load) is a whole number, that many are simply free all
    the time. Two capacity changes per cycle at most, whatever the number on duty.
    """
    duty = duty if duty is not None else on_duty(roster, cal)
    if regular_load <= 0:
        return duty
    a, b, g = duty.times, np.r_[duty.times[1:], cal.horizon_min], duty.levels
    on = (g > 0) & (b > a)
    a, b, g = a[on], b[on], g[on]
    free = g * (1.0 - regular_load)
    k = np.ceil(free - 1e-9)
    window = cycle * free / k
    whole = window >= cycle - 1e-9  # a whole number of professionals, free throughout
    # the other segments: a free window at the start of every cycle
    a_p, b_p, k_p, w_p = a[~whole], b[~whole], k[~whole], window[~whole]
    n_cycles = np.ceil((b_p - a_p) / cycle - 1e-9).astype(np.int64)
    seg = np.repeat(np.arange(a_p.size), n_cycles)
    starts = a_p[seg] + cycle * (np.arange(seg.size) - np.repeat(np.cumsum(n_cycles) - n_cycles, n_cycles))
    stops = np.minimum(starts + w_p[seg], b_p[seg])
    t_events = np.r_[a[whole], b[whole], starts, stops]
    deltas = np.r_[k[whole], -k[whole], k_p[seg], -k_p[seg]]
    return StepFunction.from_events(t_events, deltas, cal.horizon_min)


def closing_times(duty: StepFunction, horizon: float) -> np.ndarray:
    """Times at which the service closes (nobody left on duty), ascending, plus the horizon."""
    closes = duty.times[1:][(duty.levels[1:] == 0) & (duty.levels[:-1] > 0)]
    return np.r_[closes, horizon]
