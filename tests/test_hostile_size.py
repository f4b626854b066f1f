"""Work too large or too slow for its size (issue 24), each case a regression test: a run
whose size the calendar fooled (all demand on Sunday, every day a holiday: the estimate
said 840,000 requests, the run drew 5.7 million and died), `-r 100000000`, and scenarios
within every bound whose checking took minutes (routes searched per location and step,
a 'did you mean' for every unknown practice), found by the hostile fuzzer family; and the
consult export read within bounds like any other file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time

import pytest

from sim.cli import main

from .conftest import MINI
from .test_hostile_input import QUICK, one_clear_line, run_cli


# --------------------------------------------------------------------------- the run's real size


def _sunday_everywhere(weeks: int, residents: int, locations: int) -> str:
    days = ", ".join(str(dt.date(2025, 1, 6) + dt.timedelta(days=i)) for i in range(7 * weeks))
    flat = "[" + ", ".join(["1"] * 24) + "]"
    locs = "".join(f"  - {{id: L{i}, kind: kleinschalig, sector: VV, residents: {residents}, practice: P1}}\n"
                   for i in range(locations))
    return (f"scenario: sunday\nregion: {{name: S, inhabitants: 20000, weeks: {weeks}, warmup_weeks: 0, seed: 1}}\n"
            f"calendar: {{holidays: {{extra: [{days}]}}}}\n"
            f"demand:\n  profile: {{weekday: {flat}, weekend: {flat}, day_factor: [0, 0, 0, 0, 0, 0, 1], "
            f"holiday_like_sunday: true}}\n"
            f"practices:\n  - {{id: P1}}\nlocations:\n{locs}")


def test_all_demand_on_sunday_and_every_day_a_holiday_is_counted_seven_times(tmp_path, capsys):
    """The reproducer: within every bound, the old estimate said ~840,000 requests, the run
    made 5.7 million and died of MemoryError. Now the run size counts what the calendar
    makes of the profile, and the run is refused before anything is built."""
    text = _sunday_everywhere(weeks=4, residents=100_000, locations=10)
    code, err = run_cli(tmp_path, capsys, text, "--weeks", "4")
    line = one_clear_line(code, err, "the run is too large", "holidays with Sunday's demand", "at most 5,000,000")
    requests = int(re.search(r"about ([\d,]+) care requests", line).group(1).replace(",", ""))
    assert 5_600_000 < requests < 5_900_000, line


def test_the_run_size_is_what_the_run_generates():
    """The estimate against the requests one replication really draws (mean of 5), for the
    plain week, all demand on Sunday with every day a holiday, and an office share."""
    from sim.engine.calendar import Calendar
    from sim.engine.demand import all_requests
    from sim.scenario.loading import parse_scenario
    from sim.scenario.validation import run_size
    for text in (_sunday_everywhere(weeks=4, residents=500, locations=4),
                 _sunday_everywhere(weeks=4, residents=500, locations=4).replace("holiday_like_sunday: true",
                                                                                 "holiday_like_sunday: false"),
                 MINI.replace("weeks: 1,", "weeks: 8,")):
        sc = parse_scenario(text, "t.yaml")
        cal = Calendar.build(sc.calendar, sc.region.start, sc.region.horizon_days)
        drawn = sum(len(all_requests(sc, cal, r)) for r in range(5)) / 5
        expected = run_size(sc)["requests"]
        assert abs(drawn - expected) < 4 * (expected / 5) ** 0.5 + 5, (drawn, expected)


def test_replications_are_bounded(tmp_path, capsys):
    """`run -r 100000000` built a hundred million tasks (2.1 GB) before anything ran."""
    (tmp_path / "doc.yaml").write_text(MINI, encoding="utf-8")
    for args in (["-r", "100000000"], ["-w", "100000"], ["--wait", "nan"], ["--wait", "-1"], ["-r", "²"],
                 ["-r", "9" * 5000]):
        t0 = time.perf_counter()
        with pytest.raises(SystemExit) as info:  # an option error: argparse's usage and one error line
            main(["run", str(tmp_path / "doc.yaml"), *args, "--out", str(tmp_path / "out")])
        assert info.value.code == 2 and time.perf_counter() - t0 < QUICK, args
        err = capsys.readouterr().err
        last = err.strip().splitlines()[-1]
        assert "Traceback" not in err and err.count("error:") == 1 and last.startswith("mgz-sim run: error:"), err
        assert len(last) < 300, last
        if args[1] == "100000000":
            assert "--replications" in err and "at most 1,000" in err, err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- no hang


def test_many_routes_for_many_locations_are_checked_in_seconds(tmp_path, capsys):
    """Found by the hostile fuzzer family: every location was tried against every route
    (and each route's list of ids searched as a list): 20,000 locations and 1,000 routes,
    each within its bound, took minutes. Now the first match is looked up, not searched."""
    locs = "".join(f"  - {{id: L{i}, kind: kleinschalig, residents: 1, practice: P1}}\n" for i in range(4000))
    named = ", ".join(f"L{i}" for i in range(0, 4000, 40))
    routes = "".join(f"  - {{name: r{i}, match: {{locations: [{named}], period: [holiday]}}, steps: [gp]}}\n"
                     for i in range(600))
    text = f"scenario: many\nregion: {{weeks: 1, warmup_weeks: 0, inhabitants: 20000}}\npractices:\n  - {{id: P1}}\nroutes:\n{routes}" \
           f"locations:\n{locs}"
    t0 = time.perf_counter()
    code, err = run_cli(tmp_path, capsys, text)
    one_clear_line(code, err, "routes[1].match", "never used")
    assert time.perf_counter() - t0 < 15, f"{time.perf_counter() - t0:.1f} s"


def test_a_route_of_many_steps_for_many_locations_is_compiled_in_seconds(tmp_path, capsys):
    """Found by the hostile family too: a valid scenario (2,000 locations, 1,000
    behandeldiensten, one route of 60 steps; each within its bound) took minutes to check:
    each step of each location's route searched every service. Now a route compiles once
    per practice, HAP and behandeldienst, and names are looked up in a dict."""
    locs = "".join(f"  - {{id: L{i}, kind: kleinschalig, residents: 1, practice: P1}}\n" for i in range(2000))
    bds = "".join(f"  - {{id: BD{i}, discipline: so}}\n" for i in range(1000))
    steps = ", ".join(f"{{service: BD{999 - k}, when: {{urgency: [U1]}}}}" for k in range(60)) + ", gp"
    text = (f"scenario: many\nregion: {{weeks: 1, warmup_weeks: 0, inhabitants: 20000}}\npractices:\n  - {{id: P1}}\n"
            f"behandeldiensten:\n{bds}routes:\n  - {{name: r, steps: [{steps}]}}\nlocations:\n{locs}")
    from sim.scenario.loading import parse_scenario
    t0 = time.perf_counter()
    sc = parse_scenario(text, "doc.yaml")
    assert len(sc.routes[0].steps) == 61 and time.perf_counter() - t0 < 15, f"{time.perf_counter() - t0:.1f} s"


def test_thousands_of_unknown_practices_are_refused_in_seconds(tmp_path, capsys):
    """Found by the hostile family: each location naming an unknown practice was compared
    with every practice for a 'did you mean' (difflib) and the known ones sorted again:
    2,000 such locations and 1,000 practices took ~20 s, 20,000 minutes. Now a guess is
    made only for the problems a message shows."""
    locs = "".join(f"  - {{id: L{i}, kind: kleinschalig, residents: 1, practice: Q{i}}}\n" for i in range(2000))
    practices = "".join(f"  - {{id: P{i}}}\n" for i in range(1000))
    text = f"scenario: many\nregion: {{weeks: 1, warmup_weeks: 0, inhabitants: 20000}}\npractices:\n{practices}locations:\n{locs}"
    from sim.scenario.loading import parse_scenario
    t0 = time.perf_counter()
    with pytest.raises(Exception) as info:
        parse_scenario(text, "doc.yaml")
    assert "locations[0].practice: unknown practice 'Q0'" in str(info.value) and "more problems" in str(info.value)
    assert time.perf_counter() - t0 < 8, f"{time.perf_counter() - t0:.1f} s"


def test_a_consult_export_is_read_within_bounds(tmp_path, capsys):
    """The same pattern on the other file a user hands over: `calibrate /dev/zero` read
    forever; a FIFO blocked."""
    os.mkfifo(tmp_path / "fifo.csv")
    for export in ("/dev/zero", str(tmp_path / "fifo.csv"), str(tmp_path), str(tmp_path / "missing.csv")):
        t0 = time.perf_counter()
        code = main(["calibrate", export, "--out", str(tmp_path / "demand.yaml")])
        err = capsys.readouterr().err
        assert code == 2 and time.perf_counter() - t0 < QUICK, (export, err)
        assert len(err.strip().splitlines()) == 1 and "consult export" in err, err
