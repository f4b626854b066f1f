"""Urgent work as it is done (issue 18): a nurse escalates a U1-U2 after a short check and stays
on the line; 112 sends the ambulance for a share of U1; a U1 takes over a car on its way; the
on-call SO drives from home at night; an emptied shift hands its requests on; overload is
measured on the work offered; defaults that follow another field are derived after `set`.

Each test runs a reduced scenario and checks the rule on the requests and stages tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.metrics import aggregate
from sim.analysis.overload import overload_reasons

from .conftest import ROOT, scenario
from .test_rules import ALL_DAYS, URGENT_MIX, VOORWACHT, region, tables


def minutes(delta: pd.Series) -> pd.Series:
    return delta.dt.total_seconds() / 60


# -- escalation ---------------------------------------------------------------------------------


def test_a_voorwacht_escalates_urgent_work_after_her_check_and_stays_on_the_line():
    _, req, st, _ = tables(region(VOORWACHT, residents=200, **URGENT_MIX))
    u = req.set_index("request_id")
    vw = st[(st["resource"] == "VW") & (st["outcome"] == "passed_on")].set_index("request_id")
    urgent = vw[u.loc[vw.index, "urgency"].isin(["U1", "U2"]).to_numpy()]
    nxt = st[(st["resource"] != "VW") & st["request_id"].isin(urgent.index)].groupby("request_id").first()
    assert len(urgent) > 50
    # the next step (GP, HAP or ambulance) starts 2 minutes into her call, not after it
    np.testing.assert_allclose(minutes(nxt["enter"] - urgent.loc[nxt.index, "start"]), 2.0, atol=1e-3)
    assert (urgent["busy_min"] > 2).mean() > 0.9 and (urgent.loc[nxt.index, "end"] > nxt["enter"]).mean() > 0.9
    # so the norm contact comes no later than the check plus the physician's (or ambulance's)
    # own response, where the next step saw the patient itself (not handed on)
    direct = nxt[nxt["outcome"] == "served"]
    reached = u.loc[direct.index, "arrival"] + pd.to_timedelta(u.loc[direct.index, "norm_min"], "min")
    late = minutes(reached - urgent.loc[direct.index, "start"]) > 2 + minutes(direct["contact"] - direct["enter"]) + 1e-3
    assert len(direct) > 30 and not late.any()
    # what she does not escalate she finishes before passing on
    calm = vw[u.loc[vw.index, "urgency"].isin(["U3", "U4", "U5"]).to_numpy()]
    after = st[(st["resource"] != "VW") & st["request_id"].isin(calm.index)].groupby("request_id").first()
    np.testing.assert_allclose(minutes(after["enter"] - calm.loc[after.index, "end"]), 0.0, atol=1e-3)


def test_escalation_keeps_a_voorwacht_from_costing_u1_its_norm_and_a_full_call_would_not():
    runs = {name: [tables(region(extra, residents=200, **URGENT_MIX, **over), r)[3] for r in range(3)]
            for name, extra, over in (("base", "", {}), ("vw", VOORWACHT, {}),
                                      ("slow", VOORWACHT, {"services[VW].escalation_min": 60.0}))}
    u1 = {name: np.mean([k["response.wlz.U1.within_norm"] for k in ks]) for name, ks in runs.items()}
    # a 2-minute check (and a lone nurse now and then on another call) costs a little; the
    # nurse finishing her whole call first would cost most U1s their norm
    assert u1["base"] - u1["vw"] < 0.15 and u1["vw"] > u1["slow"] + 0.3, u1


def test_a_share_of_urgent_requests_passes_the_voorwacht_by():
    sc = region(VOORWACHT, residents=200, **URGENT_MIX, **{"services[VW].bypass": {"U1": 1.0, "U2": 0.5}})
    _, req, st, _ = tables(sc)
    seen = st.loc[st["resource"] == "VW", "request_id"]
    urg = req.set_index("request_id").loc[seen, "urgency"]
    assert (urg != "U1").all() and 0 < (urg == "U2").sum()
    u2 = req[(req["urgency"] == "U2") & (req["source"] == "wlz")]
    assert 0.35 < u2["request_id"].isin(seen).mean() < 0.65


def test_the_hap_triagist_passes_on_a_nurse_escalated_request_at_once():
    _, req, st, _ = tables(region(VOORWACHT, residents=300, **URGENT_MIX))
    night = req[(req["source"] == "wlz") & (req["period"] != "office") & (req["urgency"] == "U2")
                & (req["handled_by"] == "hap")]["request_id"]
    vw = st[(st["resource"] == "VW") & st["request_id"].isin(night)].set_index("request_id")
    doc = st[st["resource"].isin(["hap:doctor", "hap:car"]) & st["request_id"].isin(night)].groupby("request_id").first()
    tel = req.set_index("request_id").loc[doc.index, "modality"] != "consult"  # a consult travels to the post first
    assert tel.sum() > 5
    np.testing.assert_allclose(minutes(doc.loc[tel, "enter"] - vw.loc[doc.index[tel], "start"]), 2.0, atol=1e-3)


# -- the ambulance for U1 ------------------------------------------------------------------------


def test_a_u1_with_an_ambulance_counts_the_first_of_ambulance_and_physician_on_site():
    _, req, st, k = tables(region(residents=200, weeks=26, **URGENT_MIX))
    u1 = req[(req["urgency"] == "U1")].set_index("request_id")
    rides = st[st["resource"] == "ambulance"].set_index("request_id")
    assert rides.index.isin(u1.index).all() and rides.index.is_unique
    share = rides.index.isin(u1.index).sum() / len(u1)
    assert abs(share - 0.63) < 4 * np.sqrt(0.63 * 0.37 / len(u1))  # Plat 2018: 53% alone + 10% both
    arrived = minutes(rides["contact"] - u1.loc[rides.index, "arrival"])
    first = np.fmin(arrived, u1.loc[rides.index, "physician_min"])
    np.testing.assert_allclose(u1.loc[rides.index, "norm_min"], first, atol=1e-3)
    alone = u1.loc[rides.index][u1.loc[rides.index, "handled_by"] == "ambulance"]
    assert len(alone) > 0.7 * len(rides) and alone["physician_min"].isna().all() and alone["referred_seh"].all()
    # its own response: 95% on site within 15 minutes of the 112 call (the A1 norm)
    assert 0.9 < float((minutes(rides["contact"] - rides["enter"]) <= 15).mean()) <= 1
    assert k["ambulance.wlz_rides_per_week"] > 0


def test_without_ambulance_dispatch_every_u1_waits_for_a_physician():
    sc = region(residents=200, **URGENT_MIX, **{"ambulance.u1_wlz": {"ambulance_only": 0, "both": 0},
                                                "ambulance.u1_background": {"ambulance_only": 0, "both": 0}})
    _, req, st, k = tables(sc)
    assert not (st["resource"] == "ambulance").any() and not (req["handled_by"] == "ambulance").any()


def test_nobody_to_send_to_a_u1_means_112():
    """The HAP's only car is off sick: a U1 visit is not left waiting for the next shift."""
    sc = region(residents=300, **URGENT_MIX, **{"pressures.sickness_absence": 0.5, "ambulance.u1_wlz":
                                                {"ambulance_only": 0, "both": 0}})
    _, req, st, _ = tables(sc)
    moved = st[(st["resource"] == "hap:car") & (st["outcome"] == "transferred")]
    u1 = req.set_index("request_id").loc[moved["request_id"]]
    u1 = u1[u1["urgency"] == "U1"]
    assert len(u1) > 0 and (u1["handled_by"] == "ambulance").all()


# -- where the physician is ----------------------------------------------------------------------


def test_the_on_call_so_drives_from_home_at_night_and_is_on_site_by_day():
    sc = scenario("""
        scenario: so
        region: {weeks: 8, warmup_weeks: 1, inhabitants: 1000}
        travel: {cv: 0}
        demand: {modality_mix: {U1: {visit: 1}, U2: {visit: 1}, U3: {visit: 1}, U4: {visit: 1}, U5: {visit: 1}}}
        behandeldiensten: [{id: BD}]
        locations: [{id: C, kind: verpleeghuis, residents: 300, behandeling: true, behandeldienst: BD,
                     travel_min_behandeldienst: 0}]
        """)
    run, req, st, _ = tables(sc)
    seen = st[(st["resource"] == "BD") & (st["outcome"] == "served")].merge(req[["request_id", "period"]],
                                                                            on="request_id")
    drive = minutes(seen["contact"] - seen["start"])
    origin = np.datetime64(sc.region.start, "ms")
    at = (seen["start"].to_numpy(dtype="datetime64[ms]") - origin).astype(float) / 60_000
    office = pd.Series(run.calendar.period(at) == 0, index=seen.index)  # the calendar's office hours
    assert office.sum() > 50 and (~office).sum() > 20
    np.testing.assert_allclose(drive[office], 0.0, atol=1e-3)
    np.testing.assert_allclose(drive[~office], 20.0, atol=1e-3)  # travel_min_anw


# -- an empty shift is a closed service ----------------------------------------------------------


def test_an_emptied_shift_leaves_no_request_waiting_past_the_next_opening_and_is_reported():
    sc = region(residents=200, inhabitants=60000, **{"pressures.sickness_absence": 0.3})
    run, req, st, k = tables(sc)
    hap = st[st["resource"].astype(str).str.startswith("hap:") & (st["outcome"] != "transferred")]
    # the next office opening after each request was ready there
    cal = run.calendar
    opens = np.array(cal.office_boundaries()[0::2])
    origin = np.datetime64(sc.region.start, "ms")
    ready = (hap["ready"].to_numpy(dtype="datetime64[ms]") - origin).astype(float) / 60_000
    start = (hap["start"].to_numpy(dtype="datetime64[ms]") - origin).astype(float) / 60_000
    nxt = opens[np.minimum(np.searchsorted(opens, ready, side="right"), opens.size - 1)]
    start = np.where(np.isnan(start), cal.horizon_min, start)
    assert not ((start > nxt + 1e-6) & (nxt > ready)).any()  # seen before the day route took over, or handed on
    reasons = overload_reasons(aggregate([k]))
    assert any(why == "unstaffed" for why, _ in reasons.values())
    assert k["service.hap:doctor.unstaffed_hours_per_week"] > 0


# -- overload on offered work --------------------------------------------------------------------

FIXED_120K = """
spoedpost:
  doctors: [{days: [mon, tue, wed, thu, fri], start: "17:00", end: "23:00", count: 2},
            {days: [mon, tue, wed, thu, fri], start: "23:00", end: "08:00", count: 1},
            {days: [sat, sun, holiday], start: "08:00", end: "23:00", count: 3},
            {days: [sat, sun, holiday], start: "23:00", end: "08:00", count: 1}]
"""


def test_250000_inhabitants_on_a_120000_roster_is_overloaded_for_check_and_run(tmp_path, capsys):
    from sim.cli import main
    path = tmp_path / "groot.yaml"
    path.write_text(f"extends: {ROOT / 'configs' / 'baseline.yaml'}\nscenario: groot\n"
                    f"region: {{inhabitants: 250000, weeks: 8}}\n{FIXED_120K}")
    assert main(["check", str(path)]) == 1
    assert "(hap:doctor)" in capsys.readouterr().out.split("OVERLOADED (rho >= 0.95")[1]
    assert main([str(path), "-r", "1", "--out", str(tmp_path / "out"), "--lang", "nl"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("WAARSCHUWING: overbelast") and "Huisartsenspoedpost Voorbeeld - arts" in first


def test_offered_load_counts_what_was_handed_on_unseen():
    sc = region(residents=60, inhabitants=250000, weeks=6, **{"spoedpost.doctors": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "17:00", "end": "08:00", "count": 1},
        {"days": ["sat", "sun", "holiday"], "start": "08:00", "end": "08:00", "count": 2}]})
    _, req, st, k = tables(sc)
    key = "service.hap:doctor"
    assert k[f"{key}.utilisation"] <= 1 and k[f"{key}.offered_load"] > k[f"{key}.utilisation"] + 0.02
    doctor = st[(st["resource"] == "hap:doctor") & ~st["request_id"].isin(req.loc[req["warmup"], "request_id"])]
    handed = doctor[(doctor["outcome"] == "transferred") & (doctor["ready"] < doctor["start"])]
    assert k[f"{key}.handed_on_per_week"] == pytest.approx(len(handed) / 6, rel=0.05)
    # the reason told is the offered load (1.23 here), before the handed-on share it causes
    from sim.analysis.metrics import aggregate
    from sim.analysis.overload import overload_reasons
    assert overload_reasons(aggregate([k]))["hap:doctor"][0] == "offered"
    # `check` counts them as offered too: its entries are the requests seen, still waiting, and handed on
    from sim.analysis.check import check
    from sim.analysis.tables import tables_of
    from sim.services.region import simulate
    row = next(r for r in check(tables_of(simulate(sc, 0))[0]) if r["service"] == "hap:doctor")
    assert row["handed_on"] > 0 and row["flag"] == "OVERLOADED"
    w0 = pd.Timestamp(sc.region.start) + pd.Timedelta(weeks=sc.region.warmup_weeks)
    offered = doctor[(doctor["ready"] >= w0) & ((doctor["outcome"] != "transferred") | (doctor["ready"] < doctor["start"]))]
    assert row["entries"] == len(offered)


# -- defaults derived after `set` ----------------------------------------------------------------


@pytest.mark.parametrize("path, value", [("region.inhabitants", 300000), ("spoedpost.inhabitants", 250000)])
def test_extends_and_set_derive_the_hap_rosters_as_the_full_file_does(tmp_path, path, value):
    from sim.scenario.loading import load_scenario
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {ROOT / 'configs' / 'baseline.yaml'}\nscenario: child\nset: {{{path}: {value}}}\n")
    a = load_scenario(child)
    b = load_scenario(ROOT / "configs" / "baseline.yaml", {path: value})
    for part in ("doctors", "cars"):
        assert getattr(a.spoedpost, part) == getattr(b.spoedpost, part)
    assert a.spoedpost.triage.roster == b.spoedpost.triage.roster
    assert [blk.count for blk in a.spoedpost.doctors] != [2, 1, 3, 1]  # not the 120,000 roster


def test_a_sweep_point_on_the_inhabitants_scales_the_hap_rosters_too():
    from sim.experiments.sweep import apply_point
    from sim.scenario.extends import resolve_extends
    from sim.scenario.yaml_reading import read_file, read_yaml
    from sim.scenario.validation import validate_data
    path = ROOT / "configs" / "c_voorwacht.yaml"
    _, data = read_yaml(read_file(path), str(path))
    base = resolve_extends(data, str(path), path.parent)
    sc = validate_data(apply_point(base, {"region.inhabitants": 300000, "spoedpost.cars[0].count": 4}))
    assert [b.count for b in sc.spoedpost.doctors] == [5, 3, 8, 3] and sc.spoedpost.cars[0].count == 4
    many = scenario(f"""
        scenario: twee
        region: {{inhabitants: 240000}}
        spoedposten: [{{id: A, inhabitants: 120000}}, {{id: B, inhabitants: 120000}}]
        practices: [{{id: P1}}]
        locations: [{{id: L, kind: kleinschalig, residents: 20, practice: P1, spoedpost: B}}]
        set: {{"spoedposten[B].inhabitants": 360000}}
        """)
    assert [b.count for b in many.spoedposten[1].doctors] == [6, 3, 9, 3]


# -- the smaller points --------------------------------------------------------------------------


def test_a_digital_physician_settling_a_u2_visit_does_not_meet_its_norm():
    extra = f"""
        services:
          - {{id: AW, type: achterwacht, roster: [{{days: {ALL_DAYS}, start: "00:00", end: "24:00", count: 2}}],
             resolves: {{U2: 1.0}}, escalates: []}}
        routes:
          - {{match: {{}}, steps: [AW, hap]}}
    """
    _, req, _, _ = tables(region(extra, residents=300, **URGENT_MIX))
    u2 = req[(req["urgency"] == "U2") & (req["handled_by"] == "avg")]
    visits, calls = u2[u2["modality"] == "visit"], u2[u2["modality"] == "telephone"]
    assert len(visits) > 10 and visits["norm_min"].isna().all()  # on site was needed
    assert len(calls) > 0 and calls["norm_min"].notna().all()


def test_every_request_open_at_the_horizon_has_an_open_row_with_its_contact():
    """Planned for a later round, travelling to the post, waiting, or with a professional:
    each request still open at the horizon has a row saying where it is; one whose
    professional had reached it by then carries that contact."""
    sc = region(residents=200, weeks=4, **URGENT_MIX)
    run, req, st, _ = tables(sc)
    open_req = req.loc[req["done"].isna(), "request_id"]
    open_rows = st[st["outcome"] == "open"]
    assert len(open_req) > 0 and open_req.isin(open_rows["request_id"]).all()
    horizon = pd.Timestamp(sc.region.start) + pd.Timedelta(minutes=sc.region.horizon_min)
    assert (open_rows["contact"].dropna() <= horizon).all()
    norm_reached = req.set_index("request_id").loc[open_rows["request_id"], "norm_min"].notna().to_numpy()
    in_hand = open_rows["start"].notna().to_numpy()
    # a request whose norm contact came while it is still in hand shows that contact on its open row
    assert open_rows.loc[in_hand & norm_reached, "contact"].notna().all()


def test_each_phone_line_is_measured_against_its_own_norm():
    _, req, st, k = tables(region(residents=60, inhabitants=60000))
    calls = st[(st["resource"] == "hap:triage") & (st["outcome"] != "transferred") & (st["outcome"] != "open")]
    calls = calls.merge(req[["request_id", "urgency", "warmup"]], on="request_id")
    calls = calls[~calls["warmup"] & (calls["start"] >= calls["start"].min())]
    urgent = calls["urgency"].isin(["U1", "U2"])
    wait = calls["wait_min"]
    start_ok = calls["start"] >= pd.Timestamp(region().region.start) + pd.Timedelta(weeks=1)
    assert k["service.hap:triage.urgent_line_within_norm"] == pytest.approx(
        float((wait[urgent & start_ok] <= 0.5).mean()), abs=0.02)
    assert k["service.hap:triage.other_line_within_norm"] == pytest.approx(
        float((wait[~urgent & start_ok] <= 2).mean()), abs=0.02)
