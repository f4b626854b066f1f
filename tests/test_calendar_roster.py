"""Calendar periods, Dutch holidays, and rosters turned into capacity."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine.calendar import PERIODS, Calendar
from sim.engine.roster import FreeTime, StepFunction, on_duty
from sim.scenario.region import CalendarConfig
from sim.scenario.schema import RosterBlock

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


def test_an_unknown_holiday_country_is_refused_when_the_file_loads(tmp_path, capsys):
    """Before anything runs: one clear line (not a failure inside the run, or N in a sweep)."""
    from sim.cli import main
    path = tmp_path / "xx.yaml"
    path.write_text("scenario: xx\nregion: {inhabitants: 20000}\ncalendar:\n  holidays: {country: XX}\npractices: [{id: P1}]\n"
                    "locations: [{id: A, kind: kleinschalig, residents: 5, practice: P1}]\n")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 4: calendar.holidays.country: unknown country code 'XX'" in err and "Traceback" not in err


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
@given(load=st.floats(0.0, 0.95), anw=st.floats(0.0, 0.95), count=st.integers(1, 4),
       amount=st.floats(0.1, 200.0))
def test_free_time_is_the_stated_share_of_rostered_time_by_day_and_in_anw(cal, load, anw, count, amount):
    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    day = RosterBlock(days=weekdays, start="08:00", end="17:00", count=count)
    night = RosterBlock(days=weekdays, start="17:00", end="08:00", count=1)
    duty = on_duty([day, night], cal)
    free = FreeTime(duty, cal, load, anw)
    week = (7 * 1440.0, 14 * 1440.0)  # a whole week after the first
    office = 5 * 540 * count
    assert free.integral(*week) == pytest.approx((1 - load) * office + (1 - anw) * (duty.integral(*week) - office))
    # a new budget at 08:00 (office hours begin): nothing accrued yet, then it grows at the free rate
    t = 8 * 1440.0 + 8 * 60
    k = free.segment(t)
    assert free.accrued(t, k) == pytest.approx(0.0, abs=1e-9)
    assert free.accrued(t + 30, k) == pytest.approx(30 * count * (1 - load))
    # time_reaching inverts accrued within the budget; beyond it, it names the next budget's start
    when = free.time_reaching(amount, t, k)
    if when < t + 540:
        assert free.accrued(when, free.segment(when, k)) == pytest.approx(amount, rel=1e-9)
    else:
        assert when == t + 540  # 17:00: the ANW budget begins
