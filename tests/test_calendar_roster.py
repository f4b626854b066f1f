"""Calendar periods, Dutch holidays, and rosters turned into capacity."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calendar import PERIODS, Calendar
from sim.config import CalendarConfig, RosterBlock
from sim.roster import StepFunction, available, on_duty

START = dt.date(2025, 1, 6)  # Monday


@pytest.fixture(scope="module")
def cal():
    return Calendar.build(CalendarConfig(), START, 7 * 54)


def _at(cal, day: dt.date, hh: int, mm: int = 0) -> str:
    t = (day - START).days * 1440 + hh * 60 + mm
    return PERIODS[int(cal.period(np.array([t]))[0])]


@pytest.mark.parametrize("day,hh,expected", [
    (dt.date(2025, 1, 7), 9, "office"),
    (dt.date(2025, 1, 7), 7, "night"),
    (dt.date(2025, 1, 7), 17, "evening"),
    (dt.date(2025, 1, 7), 23, "night"),
    (dt.date(2025, 1, 11), 11, "weekend"),
    (dt.date(2025, 4, 21), 10, "holiday"),  # Tweede Paasdag
    (dt.date(2025, 5, 29), 10, "holiday"),  # Hemelvaartsdag
    (dt.date(2025, 12, 25), 10, "holiday"),
    (dt.date(2025, 4, 18), 10, "office"),  # Goede Vrijdag: excluded by default
])
def test_periods(cal, day, hh, expected):
    assert _at(cal, day, hh) == expected


def test_configurable_hours_and_holidays():
    cfg = CalendarConfig(office_start="07:30", office_end="18:00",
                         holidays={"exclude": [], "extra": [dt.date(2025, 1, 8)]})
    c = Calendar.build(cfg, START, 30)
    assert _at(c, dt.date(2025, 1, 7), 7, 45) == "office"
    assert _at(c, dt.date(2025, 1, 7), 17, 30) == "office"
    assert _at(c, dt.date(2025, 1, 8), 10) == "holiday"


def test_unknown_country_is_a_clear_error():
    from sim.errors import ScenarioError
    with pytest.raises(ScenarioError, match="unknown country code 'XX'"):
        Calendar.build(CalendarConfig(holidays={"country": "XX"}), START, 7)


def test_step_function_integral():
    f = StepFunction(np.array([0.0, 10.0, 30.0]), np.array([2, 0, 1]))
    assert f.integral(0, 40) == 2 * 10 + 1 * 10
    assert f.integral(5, 15) == 10
    assert list(f.at(np.array([0, 9.9, 10, 35]))) == [2, 2, 0, 1]


def test_night_blocks_cross_midnight_and_the_day_before_start_counts(cal):
    night = [RosterBlock(days=["sun", "mon", "tue", "wed", "thu", "fri", "sat", "holiday"],
                         start="23:00", end="08:00", count=1)]
    duty = on_duty(night, cal)
    assert duty.at(0.0) == 1  # Monday 00:00, covered by Sunday's night shift
    assert duty.at(9 * 60.0) == 0 and duty.at(23.5 * 60) == 1


@settings(max_examples=30, deadline=None)
@given(load=st.floats(0.0, 0.95), count=st.integers(1, 4), cycle=st.sampled_from([30.0, 60.0, 90.0]))
def test_regular_load_leaves_the_stated_share_of_rostered_time(cal, load, count, cycle):
    roster = [RosterBlock(days=["mon", "tue", "wed", "thu", "fri"], start="08:00", end="17:00", count=count)]
    duty, free = on_duty(roster, cal), available(roster, cal, load, cycle)
    week = (0.0, 7 * 1440.0)
    expected = (1 - load) * duty.integral(*week)
    # whole cycles fit 540 minutes for these cycle lengths, except the stagger's edges
    assert free.integral(*week) == pytest.approx(expected, rel=0.02, abs=count * cycle * 5)
    t = np.arange(0, 7 * 1440, 7.0)
    assert (free.at(t) <= duty.at(t)).all()
