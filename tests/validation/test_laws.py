"""Conservation and Little's law on every example scenario.

Conservation: every request appears once, and is either done (with a handler) or still
open at the horizon; a done request was closed by a professional (a stage served or
resolved) or left the model at a hand-over (the general population's own GP, its last stage
transferred); an open one is waiting or in hand at a service (a stage `open`) or waiting
for its planned round.
Little's law per service: the time-average number in the service (queue + service)
equals entry rate x mean time in the service, over the measured window; requests still in
a service at the horizon are in it until the horizon (their `open` rows). The tolerance
(5% + 0.02) covers the window's edges.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis.tables import requests_table, stages_table
from sim.analysis.theory import littles_law
from sim.scenario.loading import load_scenario
from sim.services.region import simulate

from ..conftest import ROOT, region_configs

# the baseline in the everyday run; every other config (and the large region) in the full run
CONFIGS = [pytest.param(p, marks=() if p.stem == "baseline" else pytest.mark.slow)
           for p in region_configs()]


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_conservation_and_littles_law(path: Path):
    sc = load_scenario(path, {"region.weeks": 6, "region.warmup_weeks": 1})
    run = simulate(sc, 0)
    req, st = requests_table(run), stages_table(run)
    assert req["request_id"].is_unique
    done = req["done"].notna()
    assert (done == req["handled_by"].notna()).all()
    assert req.loc[done, "request_id"].isin(st["request_id"]).all()
    outcomes = st.groupby("request_id", observed=True)["outcome"].agg(lambda o: set(o.astype(str)))
    left = req.loc[done & (req["handled_by"] == "own_gp"), "request_id"]
    closed = req.loc[done & (req["handled_by"] != "own_gp"), "request_id"]
    assert outcomes.loc[closed].map(lambda o: bool(o & {"served", "resolved"})).all()
    assert outcomes.loc[left].map(lambda o: "transferred" in o and not o & {"served", "resolved"}).all()
    assert (req.loc[left, "source"] == "background").all()
    still = req.loc[~done, "request_id"]
    at_service = still[still.isin(st["request_id"])]
    assert outcomes.loc[at_service].map(lambda o: "open" in o or "passed_on" in o or "transferred" in o).all()

    origin = np.datetime64(sc.region.start, "ms")
    w0 = origin + np.timedelta64(int(run.warmup_end * 60_000), "ms")
    w1 = origin + np.timedelta64(int(run.horizon * 60_000), "ms")
    checked = 0
    for resource in st["resource"].astype(str).unique():
        L, lam, W = littles_law(st, resource, w0, w1)
        if lam * (w1 - w0).astype(float) < 50:  # too few entries to say much
            continue
        assert abs(L - lam * W) <= 0.05 * L + 0.02, (resource, L, lam * W)
        checked += 1
    assert checked >= 3


def test_check_flags_an_overloaded_service(tmp_path, capsys):
    from sim.cli import main
    bad = tmp_path / "overloaded.yaml"
    bad.write_text(f"extends: {ROOT / 'configs' / 'baseline.yaml'}\nscenario: overloaded\n"
                   "set:\n  practices[P5].regular_load: 0.99\n  demand.rate_per_resident_week.kleinschalig: 2.0\n")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "OVERLOADED" in out and "P5" in out.split("OVERLOADED (rho >= 0.95")[1]
    assert main(["check", str(ROOT / "configs" / "baseline.yaml")]) == 0


@pytest.mark.slow
def test_hap_u1_visits_are_reached_about_as_fast_as_in_dutch_haps():
    """Giesen et al. 2007 (BMC HSR): 68.8% of U1 HAP visits on site within 15 minutes. With
    the default general population (travel to the patient lognormal, mean 12 min) and the
    car leaving after the triagist's ABCD check, the baseline reaches 0.45-0.80 of the U1
    visits a HAP doctor made (not those the ambulance took alone), over three year-long
    replications (about 70 visits): about 55%, below Giesen for the reasons docs/model.md
    gives ("Response times"). A car that waited for the whole triage call, or for a free
    car without taking one on its way back, gives about 25-35%."""
    sc = load_scenario(ROOT / "configs" / "baseline.yaml")
    hits = []
    for r in range(3):
        run = simulate(sc, r)
        req = requests_table(run)
        u1 = req[(req["source"] == "background") & (req["urgency"] == "U1") & (req["modality"] == "visit")
                 & (req["handled_by"] == "hap") & ~req["warmup"]]
        hits += (u1["physician_min"] <= 15).tolist()
    assert len(hits) > 60
    assert 0.45 < np.mean(hits) < 0.80, np.mean(hits)
