"""Calibration recovers the parameters the simulator was given, from the simulator's own
logs, and a run of the calibrated scenario reproduces the input's volume, mix and weekend
share. Tolerances: 3 standard errors of each estimate (Poisson for the rate, binomial for
shares), computed from the counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.analysis.tables import requests_table
from sim.cli import main
from sim.experiments.calibrate import export_requests, fit, read_export, run_calibrate
from sim.scenario.loading import load_scenario
from sim.services.region import simulate

from ..conftest import ROOT

TRUTH = """\
scenario: truth
region: {weeks: 52, warmup_weeks: 0, inhabitants: 1000}
practices: [{id: P1}]
demand:
  rate_per_resident_week: {kleinschalig: 0.3}
  urgency_mix: {U1: 0.02, U2: 0.06, U3: 0.12, U4: 0.3, U5: 0.5}
  frailty_shape: 0.5
locations:
"""


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cal")
    locs = "".join(f"  - {{id: K{i}, kind: kleinschalig, residents: 20, practice: P1}}\n" for i in range(10))
    path = tmp / "truth.yaml"
    path.write_text(TRUTH + locs)
    sc = load_scenario(path)
    req = requests_table(simulate(sc, 0))
    csv = tmp / "consults.csv"
    export_requests(req, {l.id: l.residents for l in sc.locations}).to_csv(csv, index=False)
    return tmp, path, sc, csv


def test_recovers_the_parameters_it_was_given(export):
    tmp, _, sc, csv = export
    report = fit(read_export(csv), "kleinschalig")
    n = report["rows"]
    rate = report["rate_per_resident_week"]["value"]
    assert abs(rate - 0.3) < 3 * math.sqrt(n) / (200 * report["weeks"])
    for u, p in sc.demand.urgency_mix.items():
        assert abs(report["urgency_mix"][u] - p) < 3 * math.sqrt(p * (1 - p) / n), u
    telephone = sum(sc.demand.urgency_mix[u] * sc.demand.modality_mix[u]["telephone"] for u in sc.demand.urgency_mix)
    assert abs(report["modality"]["telephone"]["share"] - telephone) < 3 * math.sqrt(telephone * (1 - telephone) / n)
    assert abs(report["weekend_share"]["value"] - 0.09) < 3 * math.sqrt(0.09 * 0.91 / n)
    lo, hi = report["rate_per_resident_week"]["ci95"]
    assert lo < rate < hi
    # dispersion: a frailty shape of 0.5 is recovered roughly (method of moments on 200 clients)
    assert 0.3 < report["frailty_shape"] < 0.8


def test_the_calibrated_scenario_reproduces_the_input(export):
    tmp, truth_path, sc, csv = export
    out = tmp / "calibrated.yaml"
    run_calibrate(csv, "kleinschalig", out, base=truth_path.name)
    calibrated = load_scenario(out)
    data = read_export(csv)
    again = requests_table(simulate(calibrated, 7))
    sim = export_requests(again, {l.id: l.residents for l in calibrated.locations})
    n_in, n_sim = len(data), len(sim)
    assert abs(n_sim - n_in) < 3 * math.sqrt(2 * n_in)
    for share_in, share_sim in [((data["type"] == "telephone").mean(), (sim["type"] == "telephone").mean()),
                                (data["acute"].mean(), sim["urgency"].isin(["U1", "U2", "U3"]).mean()),
                                ((data["timestamp"].dt.day_of_week >= 5).mean(),
                                 (pd.to_datetime(sim["timestamp"]).dt.day_of_week >= 5).mean())]:
        assert abs(share_in - share_sim) < 3 * math.sqrt(2 * share_in * (1 - share_in) / n_in)


def _edit_row(text: str, row: int, column: int, value: str) -> str:
    lines = text.splitlines()
    cells = lines[row].split(",")
    cells[column] = value
    lines[row] = ",".join(cells)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("edit,fragment", [
    (lambda t: _edit_row(t, 1, 1, "phone call"), "row 2: column 'type'"),
    (lambda t: t.replace("timestamp,", "time,", 1), "missing column(s) timestamp"),
    (lambda t: _edit_row(t, 1, 2, "U9"), "row 2: column 'urgency'"),
    (lambda t: _edit_row(t, 2, 0, "yesterday"), "row 3: column 'timestamp'"),
    (lambda t: _edit_row(t, 3, 4, "-3"), "row 4: column 'residents'"),
    (lambda t: "", "empty"),
])
def test_bad_exports_are_clear_errors(tmp_path, capsys, edit, fragment):
    text = (ROOT / "configs" / "examples" / "consults_example.csv").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text(edit(text))
    assert main(["calibrate", str(bad), "--out", str(tmp_path / "d.yaml")]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_the_example_export_calibrates(tmp_path, capsys):
    assert main(["calibrate", str(ROOT / "configs" / "examples" / "consults_example.csv"),
                 "--out", str(tmp_path / "d.yaml")]) == 0
    assert "rate per resident per week" in capsys.readouterr().out
