"""The defaults reproduce seed 000 (Het Gastenhuis): 4.1 GP+HAP consults a week for a
kleinschalige woonvorm of 20 residents, 59% by telephone, 14% acute, 9% in the weekend.

Tolerance: the issue asks for +-5% relative over 52 weeks x 10 replications. For one
20-resident location that is ~2,130 requests: the weekly rate's relative standard error
is 2.2% (5% = 2.3 SE), but the acute share's is 5.4% and the weekend share's 6.9%, so
a 5% bound on those shares would pass or fail by luck. The shares are therefore checked
on 20 such locations (~42,600 requests; 5% >= 3 SE for every share, asserted below),
and the rate on one location, as the issue states it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis.metrics import SEED_000, replication_kpis
from sim.analysis.tables import tables_of
from sim.scenario.demand import LocationDemand
from sim.scenario.schema import MODALITIES, URGENCIES
from sim.services.region import simulate

from .conftest import scenario

REPS, WEEKS = 10, 52


def _kpis(sc, reps=REPS):
    out = []
    for r in range(reps):
        run = simulate(sc, r)
        out.append(replication_kpis(tables_of(run)[0]))
    return out


def _region(n_locations: int):
    locs = "".join(f"\n  - {{id: K{i:02d}, kind: kleinschalig, residents: 20, practice: P1}}"
                   for i in range(n_locations))
    roster = '[{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 3}]'
    return scenario(f"scenario: calibration\nregion: {{weeks: {WEEKS}, inhabitants: 1000}}\n"
                    f"practices: [{{id: P1, roster: {roster}}}]\nlocations:{locs}\n")


def test_default_parameters_hit_the_targets_exactly():
    """The model's expected values (no simulation) equal the seed figures."""
    d = LocationDemand()
    assert d.rate_per_resident_week["kleinschalig"] * 20 == pytest.approx(4.1)
    telephone = sum(d.urgency_mix[u] * d.modality_mix[u]["telephone"] for u in URGENCIES)
    assert telephone == pytest.approx(0.59, abs=1e-4)
    assert sum(d.urgency_mix[u] for u in ("U1", "U2", "U3")) == pytest.approx(0.14)
    w = d.profile.hour_of_week()
    assert w[5 * 24:].sum() == pytest.approx(0.09, abs=1e-4)
    assert all(sum(d.modality_mix[u][m] for m in MODALITIES) == pytest.approx(1) for u in URGENCIES)


def test_shares_reproduce_seed_000_within_5_percent():
    kpis = _kpis(_region(20))
    # requests pooled over 20 locations of 20 residents, all weeks and replications
    n = np.mean([k["calibration.kleinschalig.requests_per_20_residents_week"] for k in kpis]) * 20 * WEEKS * REPS
    for name in ("telephone_share", "acute_share", "weekend_share"):
        target = SEED_000[name]
        values = [k[f"calibration.kleinschalig.{name}"] for k in kpis]
        se = math.sqrt(target * (1 - target) / n)
        assert 0.05 * target >= 3 * se, f"sample too small for a meaningful 5% check of {name}"
        assert abs(np.mean(values) - target) <= 0.05 * target, (name, np.mean(values))


def test_one_location_of_20_gets_4_1_requests_a_week_within_5_percent():
    kpis = _kpis(_region(1))
    rate = np.mean([k["calibration.kleinschalig.requests_per_20_residents_week"] for k in kpis])
    assert abs(rate - 4.1) <= 0.05 * 4.1
    # In the baseline every such request is a GP or HAP contact.
    per_week = np.mean([k.get("handled.gp.wlz_per_week", 0) + k.get("handled.hap.wlz_per_week", 0) for k in kpis])
    assert per_week == pytest.approx(rate, rel=0.01)


def test_hap_background_matches_its_literature_anchors():
    """~250 contacts per 1,000 inhabitants a year; Nivel's time-of-week shares."""
    sc = _region(1)
    w = sc.spoedpost.background.profile.hour_of_week().reshape(7, 24)
    assert w[:5, 18:20].sum() == pytest.approx(0.123, abs=0.003)
    assert w[5:, 10:12].sum() == pytest.approx(0.101, abs=0.003)
    assert w[5:, 4:6].sum() == pytest.approx(0.0085, abs=0.001)
    assert w[:5, 8:17].sum() == 0  # the HAP is closed in office hours
    big = _region(1).model_copy(update={"region": sc.region.model_copy(update={"inhabitants": 100_000})})
    kpis = _kpis(big, reps=2)
    per_year = np.mean([k["demand.background_requests_per_week"] for k in kpis]) * 365.25 / 7
    # Poisson SD of a year's count is ~160 (0.6%); holidays add Sunday-shaped days (~+2%).
    assert per_year == pytest.approx(25_000, rel=0.04)
