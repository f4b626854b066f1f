"""Model logic: routing by period and leveringsvorm, the GP-to-HAP handover at closing,
priorities, planned work running into later days, and the HAP triagist's share."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.metrics import percentile
from sim.analysis.tables import requests_table, stages_table
from sim.engine.calendar import Calendar
from sim.engine.roster import on_duty
from sim.scenario.spoedpost import Spoedpost
from sim.services.region import horizon_days, simulate

from .conftest import SMALL, scenario


@pytest.fixture(scope="module")
def small_run():
    run = simulate(scenario(SMALL), 0)
    return run, requests_table(run), stages_table(run)


def test_routing_follows_period_and_leveringsvorm(small_run):
    _, req, _ = small_run
    done = req[req["handled_by"].notna()]
    # a U1 the ambulance takes alone is closed by it wherever it was asked (services/ambulance.py)
    assert (done.loc[done["handled_by"] == "ambulance", "urgency"] == "U1").all()
    done = done[done["handled_by"] != "ambulance"]
    gp_locs = done[done["location_id"].isin(["A", "B"])]
    anw = gp_locs[gp_locs["period"] != "office"]
    # ANW: the HAP, except what it still had open at 08:00, which went to the practice
    assert len(anw) > 0 and (anw["handled_by"] == "hap").mean() > 0.95
    assert anw["handled_by"].isin(["hap", "gp"]).all()
    office = gp_locs[gp_locs["period"] == "office"]
    assert (office["handled_by"] == "gp").mean() > 0.95  # the rest: acute handed over at closing
    assert ((office["handled_by"] == "gp") | office["acute"] | (office["urgency"] == "U4")).all()
    behandeling = done[done["location_id"] == "C"]
    assert len(behandeling) > 0 and (behandeling["handled_by"] == "so").all()
    background = done[done["source"] == "background"]
    assert (background["handled_by"] == "hap").mean() > 0.98  # the rest: to their own GP at 08:00
    assert background["handled_by"].isin(["hap", "own_gp"]).all()


def test_every_stage_belongs_to_a_request_and_busy_time_is_sensible(small_run):
    run, req, st = small_run
    assert st["request_id"].isin(req["request_id"]).all()
    served = st[(st["outcome"] == "served") & (st["resource"] != "ambulance")]
    assert (served["busy_min"] > 0).all()  # the ambulance is no pool of ours: it holds nobody
    # a visit holds the professional for travel both ways on top of the time on site
    gp_visits = served.merge(req[["request_id", "modality", "location_id"]], on="request_id")
    visits_a = gp_visits[(gp_visits["resource"] == "P1") & (gp_visits["modality"] == "visit")]
    assert (visits_a["busy_min"] > 2 * 5).all()


def _crowded(load: float, residents: int = 200):
    return scenario(f"""
        scenario: crowded
        region: {{weeks: 6, warmup_weeks: 1, inhabitants: 1000}}
        practices:
          - {{id: P, regular_load: {load}, roster: [{{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 1}}]}}
        locations:
          - {{id: X, kind: kleinschalig, residents: {residents}, practice: P}}
        """)


def test_short_practice_capacity_pushes_planned_work_into_later_days_and_acute_to_the_hap():
    run = simulate(_crowded(0.9, residents=1000), 0)
    req, st = requests_table(run), stages_table(run)
    wlz = req[~req["warmup"] & (req["source"] == "wlz")]
    at_gp = wlz[(wlz["period"] == "office")]
    planned = at_gp[~at_gp["acute"] & (at_gp["modality"] != "telephone")]
    acute = at_gp[at_gp["acute"] & (at_gp["handled_by"] == "gp")]
    # still waiting at the horizon counts as slower than any answer (censored)
    assert percentile(planned["response_min"].to_numpy(), 50) > 24 * 60
    assert percentile(acute["response_min"].to_numpy(), 50) < 60
    moved = st[(st["outcome"] == "transferred") & (st["resource"] == "P")]
    assert len(moved) > 0
    by_id = req.set_index("request_id")
    assert (by_id.loc[moved["request_id"], "handled_by"] == "hap").all()
    # what the practice passes on at closing is acute, or would miss its norm by the next opening
    late = by_id.loc[moved["request_id"]]
    deadline = late["arrival"] + pd.to_timedelta(late["urgency"].map({"U4": 1440, "U5": 4320}).astype(float), "min")
    # the practice is open Mon-Fri 08:00-17:00: it reopens the next working day at 08:00
    day = moved["end"].to_numpy().astype("datetime64[D]")
    next_open = np.busday_offset(day, 1, roll="forward").astype("datetime64[ms]") + np.timedelta64(8, "h")
    assert (late["acute"].to_numpy() | (deadline.to_numpy() < next_open)).all()


def test_more_gp_time_means_shorter_waits_on_the_same_random_numbers():
    slow, fast = (requests_table(simulate(_crowded(load), 0)) for load in (0.9, 0.5))
    for df in (slow, fast):
        assert len(df) == len(slow)
    np.testing.assert_array_equal(slow["arrival"], fast["arrival"])  # same demand
    gp = (slow["handled_by"] == "gp") & (fast["handled_by"] == "gp") & ~slow["warmup"]
    assert fast.loc[gp, "response_min"].mean() < slow.loc[gp, "response_min"].mean()


def test_hap_triagist_settles_the_configured_share_of_telephone_questions(small_run):
    run, req, _ = small_run
    hap_phone = req[(req["handled_by"] == "hap") & (req["modality"] == "telephone")]
    share = hap_phone["physician_min"].isna().mean()
    p = run.scenario.spoedpost.triage.resolves_telephone_share
    se = math.sqrt(p * (1 - p) / len(hap_phone))
    assert abs(share - p) < 4 * se


def test_default_hap_rosters_cover_every_anw_hour():
    sc = scenario(SMALL)
    cal = Calendar.build(sc.calendar, sc.region.start, horizon_days(sc))
    t = np.arange(0, cal.horizon_min, 15.0)
    anw = cal.period(t) != 0
    hap = Spoedpost()
    for roster in (hap.triage.roster, hap.doctors, hap.cars):
        assert (on_duty(roster, cal).at(t[anw]) > 0).all()


def test_several_spoedposten_each_serve_their_own_locations_and_population():
    sc = scenario("""
        scenario: twee
        region: {weeks: 4, warmup_weeks: 1, inhabitants: 50000}
        spoedposten:
          - {id: noord, inhabitants: 30000}
          - {id: zuid, inhabitants: 10000, doctors: [{days: [mon, tue, wed, thu, fri, sat, sun, holiday], start: "00:00", end: "24:00", count: 1}]}
        practices: [{id: P}]
        locations:
          - {id: N, kind: kleinschalig, residents: 40, practice: P, spoedpost: noord}
          - {id: Z, kind: kleinschalig, residents: 40, practice: P, spoedpost: zuid}
        """)
    run = simulate(sc, 0)
    req, st = requests_table(run), stages_table(run)
    hap_stage = st[st["resource"].astype(str).str.endswith(":triage")].set_index("request_id")["resource"].astype(str)
    wlz = req[(req["source"] == "wlz") & (req["handled_by"] == "hap")].set_index("request_id")
    assert (hap_stage.loc[wlz.index[wlz["location_id"] == "N"]] == "noord:triage").all()
    assert (hap_stage.loc[wlz.index[wlz["location_id"] == "Z"]] == "zuid:triage").all()
    bg = req[(req["source"] == "background") & req["request_id"].isin(hap_stage.index)].set_index("request_id")
    share_noord = (hap_stage.loc[bg.index] == "noord:triage").mean()
    assert abs(share_noord - 0.75) < 0.03  # 30,000 of 40,000 inhabitants
    assert {p.pool for p in run.resources} >= {"noord:doctor", "zuid:doctor", "noord:car", "zuid:car"}
