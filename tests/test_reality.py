"""`mgz-sim validate`: the model beside published Dutch figures.

The catalogue (sim/data/reality.yaml) is complete and cites only docs/sources.md; each
counting function counts what it says on tables made by hand; the verdict rule; and a short
validation through the command line writes validation.json, validation.txt and
validation.html, in which every input and calibration target the run can count agrees (the
bookkeeping). Independent figures are reported, not asserted: they are the test of the model,
and a test of ours that demanded they agree would hide what the report exists to show.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.reality import AGREES, DIFFERS, NOT_COMPARABLE, catalogue, verdict
from sim.analysis.reality_counts import MEASURES, Counted
from sim.analysis.tables import RunTables
from sim.cli import main
from sim.engine.records import CONTACT_KINDS, STAGE_OUTCOMES
from sim.scenario.schema import MODALITIES, URGENCIES
from sim.scenario.loading import load_scenario
from sim.services.registry import HANDLERS

from .conftest import ROOT

ROW_KEYS = {"id", "kind", "label", "published", "unit", "year", "source", "source_short", "counts", "measure",
            "model", "per_replication", "verdict", "reason", "interval", "tolerance", "note", "also"}


def test_the_catalogue_has_enough_figures_each_with_a_source_in_the_repository():
    figures = catalogue()
    assert len(figures) >= 8
    assert sum(f.kind == "independent" and f.measure is not None for f in figures) >= 4
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', (ROOT / "docs" / "sources.md").read_text()))
    for f in figures:
        assert f.source in anchors, f"{f.id}: source '{f.source}' is no anchor in docs/sources.md"
        assert f.label.en != f.label.nl and f.counts.en != f.counts.nl, f.id  # really in both languages
    text = (ROOT / "sim" / "data" / "reality.yaml").read_text()
    assert "shared" not in text and "seeds/" not in text  # the product cites its own docs only
    # every counting function is used by a figure, so none is dead
    used = {f.measure for f in figures} | {a.measure for f in figures for a in f.also}
    assert set(MEASURES) <= used, set(MEASURES) - used


@pytest.mark.parametrize("stats, expected", [
    ({"mean": 0.60, "ci_low": 0.55, "ci_high": 0.70}, AGREES),  # the published 0.688 lies in the interval
    ({"mean": 0.60, "ci_low": 0.58, "ci_high": 0.62}, DIFFERS),
    ({"mean": 0.60, "ci_low": math.nan, "ci_high": math.nan}, DIFFERS),  # one replication: no interval
    ({"mean": math.nan}, NOT_COMPARABLE),
    (None, NOT_COMPARABLE),
])
def test_the_verdict_rule(stats, expected):
    giesen = next(f for f in catalogue() if f.id == "u1_visits_15")
    assert verdict(giesen, stats) == expected


def test_a_source_interval_and_a_tolerance_let_a_close_figure_agree():
    visits = next(f for f in catalogue() if f.id == "visits_60")  # 88.7% (87.9-89.5)
    assert verdict(visits, {"mean": 0.890, "ci_low": 0.8905, "ci_high": 0.8908}) == AGREES
    assert verdict(visits, {"mean": 0.900, "ci_low": 0.899, "ci_high": 0.901}) == DIFFERS
    contacts = next(f for f in catalogue() if f.id == "hap_contacts")  # 250 ±5%
    assert verdict(contacts, {"mean": 262.0, "ci_low": 261.0, "ci_high": 263.0}) == AGREES
    assert verdict(contacts, {"mean": 263.0, "ci_low": 262.9, "ci_high": 263.1}) == DIFFERS


# ---------------------------------------------------------------- counting, on tables made by hand

START = pd.Timestamp("2025-01-06")  # a Monday


def _cat(values, categories):
    return pd.Categorical(values, categories=list(categories))


def _at(minutes: list[float]) -> np.ndarray:
    return (START + pd.to_timedelta(minutes, unit="min")).to_numpy().astype("datetime64[ms]")


def hand_made(requests: list[dict], stages: list[dict]) -> Counted:
    """A replication's tables as the output contract writes them, from a few rows."""
    sc = load_scenario(None, {"region.weeks": 1, "region.warmup_weeks": 0})
    n = len(requests)
    req = pd.DataFrame({
        "request_id": np.arange(n), "replication": 0,
        "source": _cat([r.get("source", "background") for r in requests], ["wlz", "background"]),
        "location_id": _cat([r.get("location") for r in requests], [loc.id for loc in sc.locations]),
        "arrival": _at([r["arrival"] for r in requests]),
        "urgency": _cat([r.get("urgency", "U3") for r in requests], URGENCIES),
        "modality": _cat([r.get("modality", "telephone") for r in requests], MODALITIES),
        "first_contact": _cat([r.get("first") for r in requests], CONTACT_KINDS),
        "warmup": np.array([r.get("warmup", False) for r in requests]),
    })
    st = pd.DataFrame({
        "request_id": [s["request"] for s in stages], "replication": 0,
        "service": _cat([s.get("service", "hap") for s in stages], HANDLERS),
        "resource": _cat([s["pool"] for s in stages], sorted({s["pool"] for s in stages})),
        "start": _at([s.get("start", np.nan) for s in stages]),
        "contact": _at([s.get("contact", np.nan) for s in stages]),
        "wait_min": [s.get("wait", 0.0) for s in stages],
        "outcome": _cat([s.get("outcome", "served") for s in stages], STAGE_OUTCOMES),
    })
    return Counted(RunTables(sc, 0, req, st, [], {}))


def test_home_visits_count_from_the_call_to_the_car_at_the_patient():
    c = hand_made(
        [{"arrival": 1200, "urgency": "U1", "modality": "visit"},  # on site after 14 min
         {"arrival": 1300, "urgency": "U1", "modality": "visit", "source": "wlz", "location": "L01"},  # 16 min
         {"arrival": 1400, "urgency": "U1", "modality": "visit"},  # still waiting for a car: not a visit made
         {"arrival": 1500, "urgency": "U2", "modality": "visit"},  # 61 min
         {"arrival": 100, "urgency": "U1", "modality": "visit", "warmup": True}],  # in the warm-up: left out
        [{"request": 0, "pool": "hap:car", "start": 1200, "contact": 1214},
         {"request": 1, "pool": "hap:car", "start": 1300, "contact": 1316},
         {"request": 2, "pool": "hap:car", "outcome": "open"},
         {"request": 3, "pool": "hap:car", "start": 1540, "contact": 1561},
         {"request": 4, "pool": "hap:car", "start": 100, "contact": 101}])
    assert MEASURES["u1_visits_within_15_min"](c) == 0.5
    assert MEASURES["u2_visits_within_60_min"](c) == 0.0
    assert MEASURES["urgent_visits_within_60_min"](c) == pytest.approx(2 / 3)
    assert MEASURES["visit_mean_minutes"](c) == pytest.approx((14 + 16 + 61) / 3)


def test_the_triage_line_counts_answered_calls_by_line_and_hour():
    c = hand_made(
        [{"arrival": 18 * 60, "urgency": "U1"}, {"arrival": 18 * 60, "urgency": "U4"},
         {"arrival": 18 * 60, "urgency": "U5"}, {"arrival": 24 * 60 + 2 * 60, "urgency": "U5"},
         {"arrival": 24 * 60 + 3 * 60, "urgency": "U4"}, {"arrival": 19 * 60, "urgency": "U2"}],
        [{"request": 0, "pool": "hap:triage", "start": 18 * 60, "wait": 0.25, "outcome": "passed_on"},
         {"request": 1, "pool": "hap:triage", "start": 18 * 60 + 2, "wait": 2.0, "outcome": "resolved"},
         {"request": 2, "pool": "hap:triage", "start": 18 * 60 + 4, "wait": 4.0, "outcome": "passed_on"},
         {"request": 3, "pool": "hap:triage", "start": 26 * 60, "wait": 0.0, "outcome": "resolved"},
         {"request": 4, "pool": "hap:triage", "start": 27 * 60, "wait": 0.0, "outcome": "resolved"},
         {"request": 5, "pool": "hap:triage", "start": 19 * 60, "wait": 9.0, "outcome": "transferred"}])  # not answered
    assert MEASURES["urgent_line_mean_wait_s"](c) == pytest.approx(15.0)
    assert MEASURES["regular_line_mean_wait_s"](c) == pytest.approx((120 + 240 + 0 + 0) / 4)
    assert MEASURES["triagist_alone_share"](c) == pytest.approx(3 / 5)
    assert MEASURES["triagist_alone_night_ratio"](c) == pytest.approx(1.0 / (1 / 3))


def test_an_ambulance_is_found_however_the_run_records_it():
    requests = [{"arrival": 1200, "urgency": "U1", "modality": "visit"},
                {"arrival": 1300, "urgency": "U1", "modality": "telephone"},
                {"arrival": 1400, "urgency": "U1", "modality": "visit"},
                {"arrival": 1500, "urgency": "U3"}]
    hap = [{"request": i, "pool": "hap:triage", "start": 1200 + 100 * i, "outcome": "passed_on"} for i in range(4)]
    assert math.isnan(MEASURES["u1_ambulance_share"](hand_made(requests, hap)))  # no ambulance at all: no rule
    first = [*requests[:2], {**requests[2], "first": "ambulance"}, requests[3]]
    assert MEASURES["u1_ambulance_share"](hand_made(first, hap)) == pytest.approx(1 / 3)  # its first contact
    pool = hand_made(requests, hap + [{"request": 0, "pool": "hap:ambulance", "contact": 1210}])
    assert MEASURES["u1_ambulance_share"](pool) == pytest.approx(1 / 3)  # a stage on an ambulance pool (issue 18)
    seh = hand_made(requests, hap + [{"request": 1, "pool": "SEH", "service": "seh", "contact": 1310},
                                     {"request": 3, "pool": "SEH", "service": "seh", "contact": 1510}])
    assert MEASURES["u1_ambulance_share"](seh) == pytest.approx(1 / 3)  # the U3's ambulance is no U1's


def test_hap_use_counts_the_general_population_per_inhabitant_and_hour_of_the_week():
    # Saturday 10:30 (weekend 10-12), Monday 18:30 (weekday 18-20), Sunday 04:10, and a Wlz request
    arrivals = [5 * 1440 + 630, 18 * 60 + 30, 6 * 1440 + 250, 6 * 1440 + 260]
    c = hand_made([{"arrival": a, "modality": m} for a, m in zip(arrivals[:3], ["telephone", "visit", "consult"])]
                  + [{"arrival": arrivals[3], "source": "wlz", "location": "L01"}],
                  [{"request": 3, "pool": "hap:triage", "start": arrivals[3], "outcome": "passed_on"}])
    assert MEASURES["hap_share_weekend_10_12"](c) == MEASURES["hap_share_weekday_18_20"](c) == pytest.approx(1 / 3)
    assert MEASURES["hap_share_weekend_04_06"](c) == pytest.approx(1 / 3)
    assert MEASURES["hap_telephone_share"](c) == MEASURES["hap_visit_share"](c) == pytest.approx(1 / 3)
    per_year = 3 / (7 / 365.25) / 120_000 * 1000  # one week measured, Regio Voorbeeld's 120,000 inhabitants
    assert MEASURES["hap_contacts_per_1000"](c) == pytest.approx(per_year)
    assert MEASURES["hap_contacts_per_1000_with_wlz"](c) == pytest.approx(per_year / 3)  # only the Wlz one reached it
    assert math.isnan(MEASURES["regional_triage_settled_share"](c))  # no regional triage in this scenario


# ---------------------------------------------------------------- a short validation, end to end


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("validate")
    assert main(["validate", "--weeks", "4", "-r", "2", "-w", "1", "--out", str(out), "-q"]) == 0
    (folder,) = (out / "baseline").iterdir()
    return folder


def test_a_short_validation_writes_its_json_and_reproduces_every_input_and_calibration_target(validated):
    result = json.loads((validated / "validation.json").read_text())
    assert result["scenario"] == "baseline" and result["replications"] == 2 and result["weeks_measured"] == 4
    assert {"rule", "tally", "figures", "versions", "seed"} <= set(result)
    assert [r["id"] for r in result["figures"]] == [f.id for f in catalogue()]
    for row in result["figures"]:
        assert ROW_KEYS <= set(row), row["id"]
        assert row["verdict"] in (AGREES, DIFFERS, NOT_COMPARABLE)
        assert len(row["per_replication"]) == (2 if row["measure"] else 0)
        if row["verdict"] != AGREES:
            assert row["reason"]["en"] and row["reason"]["nl"], row["id"]  # every differs and n/c says why
        if row["kind"] in ("input", "calibration") and row["verdict"] != NOT_COMPARABLE:
            assert row["verdict"] == AGREES, (row["id"], row["model"], row["published"])
    # what the example region cannot count: no persons, no regional triage, no ambulance (before issue 18)
    assert {r["id"] for r in result["figures"] if r["verdict"] == NOT_COMPARABLE} <= \
        {"persons_with_contact", "regional_triage_settled", "u1_ambulance"}
    counted = [r for r in result["figures"] if r["kind"] == "independent" and r["verdict"] != NOT_COMPARABLE]
    assert len(counted) >= 4
    assert sum(result["tally"]["independent"].values()) == sum(r["kind"] == "independent" for r in result["figures"])


def test_the_validation_is_printed_and_its_report_rebuilt_in_dutch(validated, capsys):
    text = (validated / "validation.txt").read_text()
    assert "Giesen 2007" in text and "InEen 2022" in text and "agrees" in text
    assert main(["report", str(validated), "--lang", "nl"]) == 0
    page = (validated / "validation.html").read_text()
    assert '<html lang="nl">' in page and 'id="key-figures"' in page and "komt overeen" in page
    assert "Onafhankelijk" in page and "Giesen 2007" in page


def test_validation_json_appears_with_the_folder_and_a_killed_validation_resumes(tmp_path, monkeypatch):
    import sim.experiments.validate as validate
    sc = load_scenario(None, {"region.weeks": 2, "region.warmup_weeks": 1})

    def killed(folder):
        raise KeyboardInterrupt  # the process dies while it counts the figures

    monkeypatch.setattr(validate, "write_validation", killed)
    with pytest.raises(KeyboardInterrupt):
        validate.run_validation(sc, 2, tmp_path, quiet=True)
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith(".")]  # no folder without its figures
    monkeypatch.undo()
    result = validate.run_validation(sc, 2, tmp_path, quiet=True)
    assert result.resumed == 2  # the replications were kept; only the counting ran again
    assert (result.folder / "validation.json").exists() and (result.folder / "summary.json").exists()
