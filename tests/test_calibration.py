"""The defaults reproduce seed 000 (Het Gastenhuis): 4.1 GP+HAP consults a week for a
kleinschalige woonvorm of 20 residents, 59% by telephone, 14% acute, 9% in the weekend.

Tolerance: the issue asks for +-5% relative over 52 weeks x 10 replications. For one
20-resident location that is ~2,130 requests: the weekly rate's relative standard error
is 2.2% (5% = 2.3 SE), but the acute share's is 5.4% and the weekend share's 6.9%, so
a 5% bound on those shares would pass or fail by luck. The shares are therefore checked
on 20 such locations (~42,600 requests; 5% >= 3 SE for every share, asserted below),
and the rate with them.

That check holds by construction (the defaults were set from seed 000), so beside it: the
calibration KPIs are counted from the requests table as an outsider would, and the
generator is held against theory (gamma-Poisson dispersion per resident), not against its
own inputs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.metrics import SEED_000, replication_kpis
from sim.analysis.tables import tables_of
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


def test_the_calibration_kpis_count_what_the_requests_table_holds():
    """The calibration figures a report compares with seed 000 are counted from the requests
    table as an outsider would: measured weeks only, the Wlz requests of each kind of
    location (with and without behandeling apart), per 20 residents, Saturday and Sunday as
    the weekend."""
    sc = scenario("""
        scenario: calibration-count
        region: {weeks: 10, warmup_weeks: 2, inhabitants: 1000, start: 2025-03-31}
        practices: [{id: P1}]
        behandeldiensten: [{id: BD}]
        locations:
          - {id: K1, kind: kleinschalig, residents: 20, practice: P1}
          - {id: K2, kind: kleinschalig, residents: 35, practice: P1}
          - {id: V1, kind: verpleeghuis, residents: 60, behandeling: true, behandeldienst: BD}
          - {id: V2, kind: verpleeghuis, residents: 40, practice: P1}
        """)
    run = simulate(sc, 3)
    tables = tables_of(run)[0]
    k = replication_kpis(tables)
    req = tables.requests
    measured = req[(req["source"] == "wlz") & ~req["warmup"]]
    weeks = sc.region.weeks  # measured weeks, after the warm-up
    for name, ids, residents in [("kleinschalig", ["K1", "K2"], 55), ("verpleeghuis", ["V2"], 40),
                                 ("verpleeghuis_met_behandeling", ["V1"], 60)]:
        mine = measured[measured["location_id"].isin(ids)]
        assert len(mine) > 100, name
        assert k[f"calibration.{name}.requests_per_20_residents_week"] == pytest.approx(
            len(mine) / weeks / residents * 20, rel=1e-12)
        assert k[f"calibration.{name}.telephone_share"] == pytest.approx((mine["modality"] == "telephone").mean())
        assert k[f"calibration.{name}.acute_share"] == pytest.approx(mine["urgency"].isin(["U1", "U2", "U3"]).mean())
        assert k[f"calibration.{name}.weekend_share"] == pytest.approx(
            (mine["arrival"].dt.day_of_week >= 5).mean())  # Easter Monday and King's Day are in it: not weekend


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
    rate = np.mean([k["calibration.kleinschalig.requests_per_20_residents_week"] for k in kpis])
    assert abs(rate - SEED_000["requests_per_20_residents_week"]) <= 0.05 * SEED_000["requests_per_20_residents_week"]
    # In the baseline every such request is a GP or HAP contact.
    per_week = np.mean([k.get("handled.gp.wlz_per_week", 0) + k.get("handled.hap.wlz_per_week", 0) for k in kpis])
    assert per_week == pytest.approx(rate * 20, rel=0.01)


def _per_client_dispersion(shape: float) -> tuple[float, float]:
    """Index of dispersion (variance / mean) of the requests per resident over a year, 100
    locations of 20 residents, frailty not rescaled per location; and the mean."""
    locs = "".join(f"\n  - {{id: K{i:03d}, kind: kleinschalig, residents: 20, practice: P1}}" for i in range(100))
    sc = scenario(f"scenario: frailty\nregion: {{weeks: {WEEKS}, warmup_weeks: 0, inhabitants: 1000}}\n"
                  f"demand: {{frailty_shape: {shape}, frailty_normalise: false}}\n"
                  f"practices: [{{id: P1}}]\nlocations:{locs}\n")
    req = tables_of(simulate(sc, 0))[0].requests
    wlz = req[req["source"] == "wlz"]
    counts = wlz.groupby(["location_id", "client"], observed=True).size()
    counts = counts.reindex(pd.MultiIndex.from_product([[f"K{i:03d}" for i in range(100)], range(20)]), fill_value=0)
    return float(counts.var() / counts.mean()), float(counts.mean())


def test_requests_per_resident_are_poisson_mixed_over_a_gamma_frailty():
    """The generator against theory rather than against its own inputs: given a resident's
    frailty f (gamma, shape k, mean 1) her requests are Poisson with mean m*f, so over the
    residents the counts have variance m + m^2/k: an index of dispersion 1 + m/k. With k = 0.5
    and m ~ 10.7 a year that is ~22; with no frailty (k = 10^6), 1. Tolerance: the sample
    variance of 2,000 gamma-mixed counts has a relative standard error of ~8% at k = 0.5
    (kurtosis 6/k), ~3% for the Poisson case: 30% and 0.15 are more than 3.5 of those."""
    d, m = _per_client_dispersion(0.5)
    assert 9 < m < 12.5
    assert d == pytest.approx(1 + m / 0.5, rel=0.30), (d, m)
    d, m = _per_client_dispersion(1e6)
    assert d == pytest.approx(1.0, abs=0.15), (d, m)


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
