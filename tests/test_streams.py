"""Common random numbers: each location has its own stream, so changing one location
leaves every other location's requests identical; same scenario + seed, same output."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.tables import requests_table
from sim.engine.calendar import Calendar
from sim.engine.demand import location_requests
from sim.services.region import horizon_days, simulate

from .conftest import SMALL, scenario


def _requests_of(sc, loc_id, replication=0):
    cal = Calendar.build(sc.calendar, sc.region.start, horizon_days(sc))
    i = next(k for k, loc in enumerate(sc.locations) if loc.id == loc_id)
    return location_requests(sc, cal, sc.locations[i], i, replication)


def _same(a, b):
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("arrival", "client", "urgency", "modality", "u"))


def test_adding_a_location_leaves_the_others_untouched(small):
    bigger = scenario(SMALL + "  - {id: NEW, kind: kleinschalig, residents: 24, practice: P1}\n")
    for loc in ("A", "B", "C"):
        assert _same(_requests_of(small, loc), _requests_of(bigger, loc))


def test_changing_one_location_changes_only_that_location(small):
    changed = scenario(SMALL.replace("residents: 20", "residents: 35"))
    assert not _same(_requests_of(small, "A"), _requests_of(changed, "A"))
    assert _same(_requests_of(small, "B"), _requests_of(changed, "B"))
    assert _same(_requests_of(small, "C"), _requests_of(changed, "C"))


def test_replications_differ_and_seeds_matter(small):
    assert not _same(_requests_of(small, "A", 0), _requests_of(small, "A", 1))
    other = scenario(SMALL, **{"region.seed": 7})
    assert not _same(_requests_of(small, "A"), _requests_of(other, "A"))


def test_same_scenario_and_seed_give_identical_output(small):
    a, b = requests_table(simulate(small, 3)), requests_table(simulate(small, 3))
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=15, deadline=None)
@given(residents=st.lists(st.integers(1, 60), min_size=2, max_size=5),
       changed=st.integers(0, 4), new_size=st.integers(1, 60))
def test_any_change_to_one_location_is_local(residents, changed, new_size):
    changed %= len(residents)

    def build(sizes):
        locs = "".join(f"\n  - {{id: L{i}, kind: thuis, residents: {n}, practice: P}}" for i, n in enumerate(sizes))
        return scenario(f"scenario: h\nregion: {{weeks: 2, warmup_weeks: 0, inhabitants: 20000}}\npractices: [{{id: P}}]\nlocations:{locs}\n")

    sizes = list(residents)
    before = build(sizes)
    sizes[changed] = new_size
    after = build(sizes)
    for i in range(len(sizes)):
        if i != changed:
            assert _same(_requests_of(before, f"L{i}"), _requests_of(after, f"L{i}"))
