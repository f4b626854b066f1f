"""The build's vectorised and lazy forms give exactly what the plain forms give: the
uniforms put in arrival order per column when read, the routing row of each request, the
roster blocks placed on the days, and per-request numbers kept as arrays of doubles."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.calendar import Calendar
from sim.engine.demand import N_SLOTS, Requests, Uniforms, all_requests, location_requests
from sim.engine.roster import roster_intervals
from sim.scenario.schema import DAYS, clock_minutes
from sim.services.base import doubles
from sim.services.region import horizon_days, rows_of_requests
from sim.units import MIN_PER_DAY

from .conftest import SMALL, scenario


def _calendar(sc):
    return Calendar.build(sc.calendar, sc.region.start, horizon_days(sc))


def test_uniforms_read_as_the_matrix_stacked_and_reordered():
    rng = np.random.default_rng(3)
    blocks = [rng.random((n, N_SLOTS)) for n in (5, 0, 8, 3)]
    stacked = np.concatenate(blocks)
    order = rng.permutation(len(stacked))
    u = Uniforms(blocks, order)
    assert len(u) == len(stacked)
    for slot in range(N_SLOTS):
        assert np.array_equal(u[:, slot], stacked[order, slot])
        assert u[4, slot] == stacked[order[4], slot]
    assert np.array_equal(np.asarray(u), stacked[order])
    keep = rng.random(len(stacked)) < 0.5
    assert np.array_equal(np.asarray(u.take(keep)), stacked[order][keep])
    with pytest.raises(ValueError):  # shared by every reader: nobody writes into a column
        u.column(0)[0] = 1.0


def test_requests_concat_orders_the_uniforms_with_the_requests(small):
    cal = _calendar(small)
    parts = [location_requests(small, cal, loc, i, 0) for i, loc in enumerate(small.locations)]
    merged = Requests.concat(parts)
    # the eager form: every part's rows, stacked, then put in arrival order (ties: lower source)
    stacked = np.concatenate([np.asarray(p.u) for p in parts])
    order = np.lexsort((np.concatenate([p.source for p in parts]), np.concatenate([p.arrival for p in parts])))
    assert np.array_equal(np.asarray(merged.u), stacked[order])
    # a subset of a merge of merges, as prevention and growth make them
    twice = Requests.concat([merged, parts[0]])
    keep = np.arange(len(twice)) % 3 != 0
    expected = np.concatenate([stacked[order], np.asarray(parts[0].u)])
    again = np.lexsort((np.r_[merged.source, parts[0].source], np.r_[merged.arrival, parts[0].arrival]))
    assert np.array_equal(np.asarray(twice.subset(keep).u), expected[again][keep])


def test_routing_rows_as_the_plain_loop_makes_them():
    sc = scenario(SMALL.replace("practice: P1, travel_min_practice: 5", "practice: {P1: 0.6, P2: 0.4}"))
    req = all_requests(sc, _calendar(sc), 0)
    rows = rows_of_requests(sc, req)
    first, row = [], 0
    for loc in sc.locations:
        first.append(row)
        row += max(1, len(loc.practice_shares()))
    for i in range(len(req)):
        src = int(req.source[i])
        if src < 0:
            assert rows[i] == -1
            continue
        loc = sc.locations[src]
        practices = list(loc.practice_shares())
        per_resident = [practices.index(p) for p in loc.resident_practices()] or [0]
        assert rows[i] == first[src] + per_resident[min(int(req.client[i]), len(per_resident) - 1)]
    assert len(set(rows[req.source == 0].tolist())) == 2  # both practices of the shared location


def test_roster_blocks_placed_on_the_days_as_the_plain_loop_does(small):
    cal = _calendar(small)
    roster = small.practices[1].roster + small.behandeldiensten[0].roster
    expected = []
    for d in range(-1, cal.n_days):  # the day before the horizon too (a night that began on Sunday)
        day = DAYS[cal.day_type[d] if d >= 0 else (cal.weekday[0] - 1) % 7]
        for b in roster:
            if day in b.days:
                s, e = clock_minutes(b.start), clock_minutes(b.end)
                e = e + MIN_PER_DAY if e <= s else e
                expected.append((d * MIN_PER_DAY + s, d * MIN_PER_DAY + e, b.count))
    out = np.array(expected, dtype=float)
    out[:, :2] = out[:, :2].clip(0, cal.horizon_min)
    assert np.array_equal(roster_intervals(roster, cal), out[out[:, 1] > out[:, 0]])
    assert roster_intervals([], cal).shape == (0, 3)


def test_doubles_keep_every_value_bit_for_bit():
    values = np.array([0.1, -2.5, np.nan, np.inf, 1e-300, 7.0])
    assert [v.hex() for v in doubles(values)] == [float(v).hex() for v in values]
    assert [v.hex() for v in doubles(values[::2])] == [float(v).hex() for v in values[::2]]  # a strided view
