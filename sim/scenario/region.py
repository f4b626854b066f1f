"""The region of a scenario: its simulated period, its population and its calendar (office
hours against ANW, the public holidays). Defaults as in config.py: [seed NNN], [lit] or
[assumption], listed in docs/sources.md."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator

from sim.scenario.schema import (
    MAX_INHABITANTS,
    MAX_WEEKS,
    ClockTime,
    Count,
    Inhabitants,
    Name,
    Seed,
    Strict,
    Weeks,
    clock_minutes,
)
from sim.units import MIN_PER_DAY, MIN_PER_WEEK

# The simulated period lies within these dates: the holiday tables cover them, and a start
# such as 9999-12-06 cannot run past the last date Python knows.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


class Region(Strict):
    name: Name = Field("", description="the region's name in reports; default the scenario's name")
    start: dt.date = Field(dt.date(2025, 1, 6), description="first simulated day (00:00); the warm-up and the "
                           f"measured weeks lie between {FIRST_DAY} and {LAST_DAY}")
    weeks: Weeks = Field(52, description=f"measured weeks after the warm-up, at most {MAX_WEEKS} (ten years)")
    warmup_weeks: Annotated[int, Count, Field(ge=0, le=MAX_WEEKS)] = Field(
        2,
        description="weeks simulated before measuring, so GP backlogs are not empty at "
        "the start [assumption: planned work waits at most days, two weeks is ample]; "
        f"at most {MAX_WEEKS}",
    )
    seed: Seed = Field(20250106, description="random seed, 0 to 2**63-1")
    inhabitants: Inhabitants = Field(
        description="population the HAP serves, for its background demand (required: no example figure is "
        f"assumed); at most {MAX_INHABITANTS:,} (more than the Netherlands)"
    )

    @model_validator(mode="after")
    def _within_dates(self) -> "Region":
        if self.start < FIRST_DAY:
            raise ValueError(f"start: {self.start} is before {FIRST_DAY}; the simulated period must lie between "
                             f"{FIRST_DAY} and {LAST_DAY}")
        last = self.start.toordinal() + self.horizon_days - 1  # as a number: a date past 9999 cannot exist
        if last > LAST_DAY.toordinal():
            ends = (f"on {dt.date.fromordinal(last)}" if last <= dt.date.max.toordinal() else "after the year 9999")
            raise ValueError(f"the simulated period ({self.warmup_weeks} warm-up + {self.weeks} weeks from "
                             f"{self.start}) would end {ends}; it must lie between {FIRST_DAY} and {LAST_DAY}: "
                             "start earlier or simulate fewer weeks")
        return self

    @property
    def horizon_days(self) -> int:
        """Days simulated: the warm-up and the measured weeks."""
        return 7 * (self.warmup_weeks + self.weeks)

    @property
    def warmup_end_min(self) -> float:
        """Minute at which measuring begins."""
        return float(self.warmup_weeks * MIN_PER_WEEK)

    @property
    def horizon_min(self) -> float:
        """Minute at which the run ends."""
        return float(self.horizon_days * MIN_PER_DAY)


class Holidays(Strict):
    country: str = Field("NL", max_length=20, description="country code for the `holidays` package")
    exclude: list[Name] = Field(
        default_factory=lambda: ["Good Friday"], max_length=1_000,
        description="holiday names or ISO dates that are ordinary working days "
        "[assumption: GP practices are open on Goede Vrijdag]",
    )
    extra: list[dt.date] = Field(default_factory=list, max_length=10_000, description="extra closed days")


class CalendarConfig(Strict):
    """Office hours vs ANW (avond, nacht, weekend and public holidays)."""

    office_start: ClockTime = Field("08:00", description="[lit] GP practice opening, LHV")
    office_end: ClockTime = Field("17:00", description="[lit] HAP takes over at 17:00")
    evening_end: ClockTime = Field("23:00", description="evening ends, night begins")
    holidays: Holidays = Field(default_factory=Holidays)

    @model_validator(mode="after")
    def _ordered(self) -> "CalendarConfig":
        a, b, c = (clock_minutes(x) for x in (self.office_start, self.office_end, self.evening_end))
        if not a < b <= c <= 24 * 60:
            raise ValueError("need office_start < office_end <= evening_end <= 24:00")
        return self
