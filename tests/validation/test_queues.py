"""Reduce the model to queues with known answers and check the simulation against them:
M/M/c (Erlang C), a two-class non-preemptive priority queue (Cobham), a tandem of triage
then physician (Jackson), and the same networks in ciw, an independent engine.

Tolerance: the formula (or ciw's estimate) must lie in the 99.7% t-interval of the mean
over replications (the standard error is itself estimated from REPS replications, so the
interval is t(0.9985, REPS - 1) = 4.4 standard errors wide for 8, not the normal 3), so
7 independent checks all pass by chance with probability ~98%; the seeds are fixed, so
the outcome is reproducible.
"""

from __future__ import annotations

import math

import ciw
import numpy as np
import pytest
from scipy.special import stdtrit

from sim.analysis.tables import requests_table, stages_table
from sim.analysis.theory import cobham_waits, mmc_wait, mmc_wait_exceeds
from sim.services.region import simulate

from ..conftest import scenario

pytestmark = pytest.mark.slow  # the everyday run is pytest -m "not slow"

REPS, WEEKS = 8, 20
FLAT = "[" + ", ".join(["1"] * 24) + "]"


def queue_scenario(lam_per_hour: float, mean_min: float, servers: int, urgency_mix: str = "{U5: 1.0}",
                   voorwacht: str = "", route: str = "[DOC]", weeks: int = WEEKS) -> str:
    exp = f"{{dist: exponential, mean: {mean_min}}}"
    return f"""
scenario: queue
region: {{weeks: {weeks}, warmup_weeks: 1, inhabitants: 1000}}
demand:
  rate_per_resident_week: {{kleinschalig: 1.0}}
  urgency_mix: {urgency_mix}
  modality_mix: {{U1: {{telephone: 1}}, U2: {{telephone: 1}}, U3: {{telephone: 1}}, U4: {{telephone: 1}}, U5: {{telephone: 1}}}}
  profile: {{weekday: {FLAT}, weekend: {FLAT}}}
spoedpost: {{background: {{contacts_per_1000_year: 0}}}}
practices: [{{id: P1}}]
services:
  - {{id: DOC, type: artsen, discipline: gp, regular_load: 0,
     roster: [{{days: [mon, tue, wed, thu, fri, sat, sun, holiday], start: "00:00", end: "24:00", count: {servers}}}],
     durations: {{telephone: {exp}, consult: {exp}, visit: {exp}}}}}
{voorwacht}
routes: [{{match: {{}}, steps: {route}}}]
locations:
  - {{id: X, kind: kleinschalig, residents: {int(round(lam_per_hour * 168))}, practice: P1}}
"""


def waits_by_rep(text: str, resource: str, by_urgency: bool = False):
    out = []
    for r in range(REPS):
        run = simulate(scenario(text), r)
        st = stages_table(run)
        req = requests_table(run).set_index("request_id")
        st = st[(st["resource"] == resource) & (st["outcome"] != "open") & ~req.loc[st["request_id"], "warmup"].to_numpy()]
        if by_urgency:
            urg = req.loc[st["request_id"], "urgency"].astype(str).to_numpy()
            out.append({u: st["wait_min"].to_numpy()[urg == u] for u in ("U3", "U5")})
        else:
            out.append(st["wait_min"].to_numpy())
    return out


def within(values: list[float], expected: float, confidence: float = 0.997) -> tuple[bool, float, float]:
    x = np.asarray(values, dtype=float)
    mean, se = x.mean(), x.std(ddof=1) / math.sqrt(x.size)
    k = stdtrit(x.size - 1, 0.5 + confidence / 2)
    return abs(mean - expected) <= k * se, mean, se


def test_mmc_mean_wait_and_tail_match_erlang_c():
    lam, mean, c = 3 / 60, 30.0, 2  # per minute; rho = 0.75
    # a replication's mean wait at rho = 0.75 is right-skewed (long busy periods): 60 weeks
    # per replication keeps the replication means close enough to normal for a t-interval
    waits = waits_by_rep(queue_scenario(3, mean, c, weeks=60), "DOC")
    ok, m, se = within([w.mean() for w in waits], mmc_wait(lam, 1 / mean, c))
    assert ok, (m, se, mmc_wait(lam, 1 / mean, c))
    for t in (10.0, 60.0):
        ok, m, se = within([(w > t).mean() for w in waits], mmc_wait_exceeds(lam, 1 / mean, c, t))
        assert ok, (t, m, se)


def test_two_class_priority_queue_matches_cobham():
    lam, mean = 1.5 / 60, 24.0  # rho = 0.6, one server; U3 (acute) 30% goes first
    waits = waits_by_rep(queue_scenario(1.5, mean, 1, "{U3: 0.3, U5: 0.7}"), "DOC", by_urgency=True)
    expected = cobham_waits([0.3 * lam, 0.7 * lam], [mean, mean], [2 * mean**2, 2 * mean**2])
    for u, e in zip(("U3", "U5"), expected):
        ok, m, se = within([w[u].mean() for w in waits], e)
        assert ok, (u, m, se, e)


def test_triage_then_physician_is_a_jackson_network():
    vw = """  - {id: VW, type: voorwacht, resolves: {U5: 0.4},
     roster: [{days: [mon, tue, wed, thu, fri, sat, sun, holiday], start: "00:00", end: "24:00", count: 1}],
     duration: {dist: exponential, mean: 12}}"""
    text = queue_scenario(3, 30.0, 2, voorwacht=vw, route="[VW, DOC]")
    lam = 3 / 60
    ok, m, se = within([w.mean() for w in waits_by_rep(text, "VW")], mmc_wait(lam, 1 / 12, 1))
    assert ok, ("triage", m, se)
    ok, m, se = within([w.mean() for w in waits_by_rep(text, "DOC")], mmc_wait(0.6 * lam, 1 / 30, 2))
    assert ok, ("physician", m, se)


def ciw_waits(lam: float, mean: float, c: int, tandem: tuple[float, float, float] | None = None) -> list[list[float]]:
    """Mean wait per replication in ciw: M/M/c, or a tandem (mean1, c1 = 1, resolve share)."""
    horizon, warm = (WEEKS + 1) * 7 * 1440, 7 * 1440
    out = []
    for r in range(REPS):
        ciw.seed(1000 + r)
        if tandem is None:
            net = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(rate=lam)],
                                     service_distributions=[ciw.dists.Exponential(rate=1 / mean)],
                                     number_of_servers=[c])
        else:
            m1, _, resolve = tandem
            net = ciw.create_network(
                arrival_distributions=[ciw.dists.Exponential(rate=lam), None],
                service_distributions=[ciw.dists.Exponential(rate=1 / m1), ciw.dists.Exponential(rate=1 / mean)],
                number_of_servers=[1, c], routing=[[0.0, 1 - resolve], [0.0, 0.0]])
        sim = ciw.Simulation(net)
        sim.simulate_until_max_time(horizon)
        recs = [rec for rec in sim.get_all_records() if rec.arrival_date > warm]
        out.append([float(np.mean([x.waiting_time for x in recs if x.node == node]))
                    for node in ((1,) if tandem is None else (1, 2))])
    return out


@pytest.mark.parametrize("case", ["mmc", "tandem"])
def test_same_answers_as_ciw(case):
    lam = 3 / 60
    if case == "mmc":
        ours = [[w.mean()] for w in waits_by_rep(queue_scenario(3, 30.0, 2), "DOC")]
        theirs = ciw_waits(lam, 30.0, 2)
    else:
        vw = """  - {id: VW, type: voorwacht, resolves: {U5: 0.4},
     roster: [{days: [mon, tue, wed, thu, fri, sat, sun, holiday], start: "00:00", end: "24:00", count: 1}],
     duration: {dist: exponential, mean: 12}}"""
        text = queue_scenario(3, 30.0, 2, voorwacht=vw, route="[VW, DOC]")
        ours = list(zip((w.mean() for w in waits_by_rep(text, "VW")), (w.mean() for w in waits_by_rep(text, "DOC"))))
        theirs = ciw_waits(lam, 30.0, 2, tandem=(12.0, 1, 0.4))
    a, b = np.asarray(ours), np.asarray(theirs)
    for k in range(a.shape[1]):
        se = math.sqrt(a[:, k].var(ddof=1) / len(a) + b[:, k].var(ddof=1) / len(b))
        assert abs(a[:, k].mean() - b[:, k].mean()) <= 3 * se, (k, a[:, k].mean(), b[:, k].mean(), se)
