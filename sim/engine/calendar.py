"""Office hours versus ANW (avond, nacht, weekend, feestdagen) over the simulated horizon.

Simulation time is minutes since 00:00 of the region's start date. Everything here is
vectorised over numpy arrays of such minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays as holidays_lib
import numpy as np

from sim.scenario.region import CalendarConfig
from sim.scenario.schema import PERIODS, HourProfile, clock_minutes
from sim.units import MIN_PER_DAY, MIN_PER_WEEK  # noqa: F401 - the calendar's units, re-exported

OFFICE, EVENING, NIGHT, WEEKEND, HOLIDAY = range(len(PERIODS))
HOLIDAY_DAYTYPE = 7  # day types 0..6 are Monday..Sunday


def public_holidays(cfg: CalendarConfig, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Public holidays between first and last (inclusive), after exclusions and extras."""
    # the country was checked when the scenario loaded (scenario/validation.py)
    table = holidays_lib.country_holidays(cfg.holidays.country, years=range(first.year, last.year + 1))
    excluded = set(cfg.holidays.exclude)
    out = {}
    for day, name in table.items():
        names = {n.strip() for n in name.split(";")}
        if first <= day <= last and not (names & excluded) and day.isoformat() not in excluded:
            out[day] = name
    for day in cfg.holidays.extra:
        if first <= day <= last:
            out[day] = "extra closed day"
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Calendar:
    """The horizon's days, their types, and the office/ANW boundaries."""

    start: dt.date
    n_days: int
    day_type: np.ndarray  # per day index: 0..6 weekday (Mon=0), 7 holiday
    weekday: np.ndarray  # per day index: 0..6, whatever the holiday status
    holidays: dict[dt.date, str]
    office_start: int
    office_end: int
    evening_end: int

    @classmethod
    def build(cls, cfg: CalendarConfig, start: dt.date, n_days: int) -> "Calendar":
        last = start + dt.timedelta(days=n_days - 1)
        hol = public_holidays(cfg, start, last)
        weekday = (np.arange(n_days) + start.weekday()) % 7
        day_type = weekday.copy()
        for day in hol:
            day_type[(day - start).days] = HOLIDAY_DAYTYPE
        return cls(
            start=start,
            n_days=n_days,
            day_type=day_type,
            weekday=weekday,
            holidays=hol,
            office_start=clock_minutes(cfg.office_start),
            office_end=clock_minutes(cfg.office_end),
            evening_end=clock_minutes(cfg.evening_end),
        )

    @property
    def horizon_min(self) -> float:
        return float(self.n_days * MIN_PER_DAY)

    def period(self, t: np.ndarray) -> np.ndarray:
        """Period code (see PERIODS) of each time in minutes."""
        t = np.asarray(t, dtype=float)
        day = np.minimum((t // MIN_PER_DAY).astype(np.int64), self.n_days - 1)
        tod = t - day * MIN_PER_DAY
        dtype = self.day_type[day]
        out = np.full(t.shape, NIGHT, dtype=np.int8)
        out[(tod >= self.office_end) & (tod < self.evening_end)] = EVENING
        out[(tod >= self.office_start) & (tod < self.office_end)] = OFFICE
        out[dtype >= 5] = WEEKEND
        out[dtype == HOLIDAY_DAYTYPE] = HOLIDAY
        return out

    def period_at(self, t: float) -> int:
        """Period code of one time (the scalar form of `period`, for the event loop)."""
        day = min(int(t // MIN_PER_DAY), self.n_days - 1)
        dtype = self.day_type[day]
        if dtype == HOLIDAY_DAYTYPE:
            return HOLIDAY
        if dtype >= 5:
            return WEEKEND
        tod = t - day * MIN_PER_DAY
        if self.office_start <= tod < self.office_end:
            return OFFICE
        return EVENING if self.office_end <= tod < self.evening_end else NIGHT

    def office_boundaries(self) -> list[float]:
        """Every moment office hours begin or end on a working day, in order: when who
        covers a closed service changes (the day route takes over from the HAP, and back)."""
        days = np.flatnonzero(self.day_type < 5) * MIN_PER_DAY
        bounds: list[float] = np.sort(np.r_[days + self.office_start, days + self.office_end]).astype(float).tolist()
        return bounds

    def hour_weights(self, profile: HourProfile, office_share: float | None = None) -> np.ndarray:
        """Relative intensity of each hour of the horizon; a week's hours sum to 1 on
        average. Holidays take Sunday's shape when the profile asks for it. With
        `office_share`, the profile is rescaled so that office hours hold that share of a
        week and the weekend keeps its own (see office_week)."""
        week = profile.hour_of_week().reshape(7, 24)
        if office_share is not None:
            week = self.office_week(week, office_share)
        types = self.weekday.copy()
        if profile.holiday_like_sunday:
            types[self.day_type == HOLIDAY_DAYTYPE] = 6
        hours: np.ndarray = week[types].ravel()
        return hours

    def office_hours_of_week(self) -> np.ndarray:
        """(7, 24) mask of the hours of a plain week that lie in office hours (hours that
        start inside them)."""
        hours = np.arange(24) * 60
        day = (hours >= self.office_start) & (hours < self.office_end)
        return np.vstack([np.tile(day, (5, 1)), np.zeros((2, 24), dtype=bool)])

    def office_week(self, week: np.ndarray, office_share: float) -> np.ndarray:
        """The week's shape with office hours scaled to `office_share` of the week, the other
        weekday hours to the rest after the weekend, which keeps its share."""
        office = self.office_hours_of_week()
        weekday = np.zeros((7, 24), dtype=bool)
        weekday[:5] = True
        total = week.sum()
        now, weekend = week[office].sum() / total, week[~weekday].sum() / total
        rest = 1.0 - now - weekend
        out: np.ndarray = week / total
        out[office] *= office_share / now if now > 0 else 0.0
        out[weekday & ~office] *= (1.0 - office_share - weekend) / rest if rest > 0 else 0.0
        return out

    def timestamps(self, t: np.ndarray) -> np.ndarray:
        """Minutes since start as datetime64[ms] (NaN becomes NaT)."""
        t = np.asarray(t, dtype=float)
        origin = np.datetime64(self.start, "ms")
        ms = np.where(np.isnan(t), 0, np.round(t * 60_000)).astype("int64")
        out = origin + ms.astype("timedelta64[ms]")
        out[np.isnan(t)] = np.datetime64("NaT")
        return out
