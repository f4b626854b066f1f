"""Flows and rostered pools (sim/flow.py, sim/pool.py) against SimPy's own processes and
PriorityResource: same customers, same start times; and the rules SimPy has no counterpart
for (no one pulled out mid-consult, a larger roster serves the queue at once, claims moved
on when the pool closes, non-urgent work waiting for free time while urgent work does not)."""

from __future__ import annotations

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine.flow import Flow
from sim.engine.pool import Pool
from sim.engine.roster import StepFunction


def constant(level: int) -> StepFunction:
    return StepFunction(np.array([0.0]), np.array([level]))


def with_flows(arrivals, services, priorities, servers: int) -> list[float]:
    env = simpy.Environment()
    pool = Pool(env, "p", constant(servers))
    starts = [float("nan")] * len(arrivals)

    def customer(i):
        claim = pool.request(priorities[i])
        yield claim
        starts[i] = env.now
        yield services[i]
        pool.release(claim)

    def arrive(i):
        yield arrivals[i]
        yield from customer(i)

    for i in range(len(arrivals)):
        Flow(env, arrive(i))
    env.run()
    return starts


def with_simpy(arrivals, services, priorities, servers: int) -> list[float]:
    env = simpy.Environment()
    res = simpy.PriorityResource(env, capacity=servers)
    starts = [float("nan")] * len(arrivals)

    def customer(i):
        yield env.timeout(arrivals[i])
        with res.request(priority=priorities[i]) as req:
            yield req
            starts[i] = env.now
            yield env.timeout(services[i])

    for i in range(len(arrivals)):
        env.process(customer(i))
    env.run()
    return starts


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(0, 2**31 - 1), st.integers(1, 60))
def test_flows_start_every_customer_when_simpy_does(servers, seed, n):
    rng = np.random.default_rng(seed)
    arrivals = np.sort(rng.random(n) * 100).tolist()  # distinct times: no ties to order
    services = (rng.exponential(10, n) + 1e-3).tolist()
    priorities = rng.integers(0, 3, n).tolist()
    assert with_flows(arrivals, services, priorities, servers) == with_simpy(arrivals, services, priorities, servers)


def _run_roster(times, levels, arrivals, services, moves=None, needs=None, free=None):
    env = simpy.Environment()
    pool = Pool(env, "p", StepFunction(np.array(times, dtype=float), np.array(levels)), free=free)
    if moves is not None:
        pool.moves_at_close = lambda claim: moves[claim.i]
    log = {}

    def customer(i):
        yield arrivals[i]
        claim = pool.request(0, i, need=0.0 if needs is None else needs[i])
        if not (yield claim):
            log[i] = ("moved", env.now)
            return
        log[i] = ("start", env.now)
        yield services[i]
        pool.release(claim)

    for i in range(len(arrivals)):
        Flow(env, customer(i))
    env.run()
    return log


def test_a_smaller_roster_lets_the_consult_in_hand_finish_and_starts_nobody_new():
    # two on duty until t=10, then one: both consults in hand finish (t=15); the third
    # waits until fewer than one is busy, i.e. until both have finished
    log = _run_roster([0, 10], [2, 1], [0.0, 1.0, 2.0], [15.0, 15.0, 5.0])
    assert log == {0: ("start", 0.0), 1: ("start", 1.0), 2: ("start", 16.0)}


def test_a_larger_roster_serves_the_waiting_queue_at_once():
    # nobody on duty until t=30: both wait, and both start the moment two come on duty
    log = _run_roster([0, 30], [0, 2], [1.0, 2.0], [5.0, 5.0])
    assert log == {0: ("start", 30.0), 1: ("start", 30.0)}


def test_when_the_pool_closes_the_claims_the_service_moves_leave_and_the_others_wait():
    # one professional until t=10, nobody until t=30: at closing the second claim moves on
    # (the service says so), the third may wait and starts when the pool reopens
    log = _run_roster([0, 10, 30], [1, 0, 1], [0.0, 1.0, 2.0], [20.0, 5.0, 5.0], moves=[False, True, False])
    assert log == {0: ("start", 0.0), 1: ("moved", 10.0), 2: ("start", 30.0)}


def test_non_urgent_work_waits_for_free_time_and_urgent_work_does_not():
    import datetime as dt

    from sim.engine.calendar import Calendar
    from sim.engine.roster import FreeTime
    from sim.scenario.region import CalendarConfig
    cal = Calendar.build(CalendarConfig(), dt.date(2025, 1, 6), 7)  # a Monday
    duty = StepFunction(np.array([0.0, 480.0, 1020.0]), np.array([0, 2, 0]))  # two GPs 08:00-17:00
    free = FreeTime(duty, cal, 0.75, 0.0)  # half a GP free: 0.5 free minutes a minute
    # at 08:00 the free time is empty: a 20-minute job waits until 40 minutes are accrued ...
    # (08:40); an urgent claim (no need) at 08:05 starts at once; the next 20-minute job
    # starts once 40 more minutes are free (09:20)
    log = _run_roster(duty.times, duty.levels, [480.0, 485.0, 490.0], [20.0, 10.0, 20.0],
                      needs=[20.0, 0.0, 20.0], free=free)
    assert log[1] == ("start", 485.0)
    assert log[0][1] == pytest.approx(520.0) and log[2][1] == pytest.approx(560.0)


def test_roster_changes_cost_no_events_while_nobody_waits():
    # an agenda that changes every 30 minutes for a year, and one request a day
    env = simpy.Environment()
    times = np.arange(0, 365 * 1440, 30.0)
    pool = Pool(env, "gp", StepFunction(times, np.tile([1, 2], len(times) // 2)))

    def customer(day):
        yield day * 1440.0 + 600
        claim = pool.request(0)
        yield claim
        yield 10.0
        pool.release(claim)

    for day in range(365):
        Flow(env, customer(day))
    steps = 0
    while env.peek() != float("inf"):
        env.step()
        steps += 1
    assert steps == 2 * 365  # the arrival hold and the consult hold; no roster events


@pytest.mark.parametrize("hold", [-1.0, float("nan")])
def test_a_flow_refuses_to_hold_for_a_negative_or_missing_time(hold):
    env = simpy.Environment()

    def bad():
        yield hold

    with pytest.raises(ValueError, match="cannot hold"):
        Flow(env, bad())


def test_a_region_costs_about_three_events_per_request():
    """Speed by design, checked without a clock: an arrival, a hold per service and the
    odd roster wake-up (a simpy.Process per request cost 8.5; benchmarks/README.md)."""
    from sim.scenario.loading import load_scenario
    from sim.services.region import Region

    region = Region(load_scenario(None, {"region.weeks": 8}), 0)
    region.run()
    scheduled = next(region.env._eid)  # every event scheduled took the next number of this counter
    per_request = scheduled / len(region.ctx.requests)
    assert 2.0 < per_request < 3.5, per_request
