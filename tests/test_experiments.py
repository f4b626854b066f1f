"""Experiments: confidence intervals that cover, paired comparison, resumable sweeps,
identical results on 1 worker, N workers and a Dask cluster, sensitivity indices."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.metrics import aggregate
from sim.cli import main
from sim.engine.calendar import Calendar
from sim.engine.demand import location_requests
from sim.experiments.compare import run_compare
from sim.experiments.sweep import design_points, load_spec, run_sweep
from sim.services.region import horizon_days

from .conftest import ROOT, scenario

TINY = """\
scenario: tiny
region: {weeks: 2, warmup_weeks: 0, inhabitants: 3000}
practices: [{id: P1}]
locations:
  - {id: A, kind: kleinschalig, residents: 20, practice: P1}
  - {id: B, kind: thuis, residents: 30, practice: P1}
"""


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text)
    return path


@pytest.fixture
def sweep_file(tmp_path):
    _write(tmp_path, "tiny.yaml", TINY)
    return _write(tmp_path, "sweep.yaml", """\
name: tiny
base: tiny.yaml
replications: 2
kpis: [demand.wlz_requests_per_week, handled.gp.wlz_per_week, service.P1.utilisation]
parameters:
  locations[A].residents: [10, 20, 40]
  practices[P1].regular_load: {range: [0.5, 0.8], steps: 2}
""")


def test_confidence_intervals_cover_the_true_mean_at_the_nominal_rate():
    """A KPI whose mean is known exactly: weekly requests of a 20-resident location (4.1).
    Over 300 experiments of 5 replications, the 95% t-interval should cover 4.1 in 95%
    of them; the binomial SE of that rate is 1.26%, so accept 91.2%-98.8% (3 SE)."""
    sc = scenario(TINY)
    cal = Calendar.build(sc.calendar, sc.region.start, horizon_days(sc))
    loc = sc.locations[0]
    covered, experiments, reps = 0, 300, 5
    for e in range(experiments):
        values = [{"rate": len(location_requests(sc, cal, loc, 0, e * reps + r)) / 2} for r in range(reps)]
        ci = aggregate(values)["rate"]
        covered += ci["ci_low"] <= 4.1 <= ci["ci_high"]
    rate = covered / experiments
    se = math.sqrt(0.95 * 0.05 / experiments)
    assert abs(rate - 0.95) <= 3 * se, rate


def test_comparing_a_scenario_with_itself_gives_zero_difference(tmp_path):
    path = _write(tmp_path, "tiny.yaml", TINY)
    result = run_compare(path, path, 3, tmp_path / "cmp", workers=1, quiet=True)
    assert result["difference"]
    for name, d in result["difference"].items():
        if d["n"] == 0:  # undefined in every replication (e.g. no U1 request at all)
            continue
        assert d["mean"] == 0 and (d["sd"] == 0 or math.isnan(d["sd"])), name


def _relative_half_width(values: list[float]) -> float:
    return stats.t.ppf(0.975, len(values) - 1) * np.std(values, ddof=1) / math.sqrt(len(values)) / np.mean(values)


def test_precision_adds_replications_until_the_target_and_stops_there(tmp_path):
    """A target the runs reach (10%): replications grow 2, 4, 6, 9, 13, 19, ... and stop at the
    first count whose 95% half-width is within it, for both scenarios; the count before did
    not reach it. A target they cannot reach in 6 replications (1%) stops at 6, not reached."""
    path = _write(tmp_path, "tiny.yaml", TINY)
    other = _write(tmp_path, "other.yaml", TINY.replace("residents: 30", "residents: 400"))
    kpi = "demand.wlz_requests_per_week"
    # the larger region first: its figures settle sooner, so stopping on one side would show
    result = run_compare(other, path, 2, tmp_path / "cmp", workers=1, quiet=True, precision=0.10,
                         precision_kpis=[kpi], max_replications=40)
    p, n = result["precision"], result["replications"]
    assert p["reached"] and 2 < n < 40
    table = pd.read_parquet(Path(result["folder"]) / "kpis.parquet")
    steps = [2]
    while steps[-1] < n:
        steps.append(max(steps[-1] + 2, int(steps[-1] * 1.5)))
    assert steps[-1] == n
    for side, which in (("a", 0), ("b", 1)):
        values = [dict(zip(g["kpi"], g["value"]))[kpi]
                  for _, g in table[table["point"] == which].groupby("replication", sort=True)]
        assert len(values) == n
        assert p["relative_half_width"][side][kpi] == pytest.approx(_relative_half_width(values), rel=1e-6)
        assert _relative_half_width(values) <= 0.10
    # the count before: at least one side was not precise enough yet
    before = [_relative_half_width([dict(zip(g["kpi"], g["value"]))[kpi] for _, g in
                                    table[(table["point"] == w) & (table["replication"] < steps[-2])]
                                    .groupby("replication", sort=True)]) for w in (0, 1)]
    assert max(before) > 0.10
    short = run_compare(path, other, 2, tmp_path / "cmp2", workers=1, quiet=True, precision=0.01,
                        precision_kpis=[kpi], max_replications=6)
    assert short["replications"] == 6 and not short["precision"]["reached"]
    assert max(short["precision"]["relative_half_width"]["a"][kpi], short["precision"]["relative_half_width"]["b"][kpi]) > 0.01


def test_design_points(sweep_file, tmp_path):
    spec, _ = load_spec(sweep_file)
    points = design_points(spec)
    assert len(points) == 3 * 2 and {p["practices[P1].regular_load"] for p in points} == {0.5, 0.8}
    for design in ("lhs", "sobol"):
        text = sweep_file.read_text().replace("name: tiny", f"name: tiny\ndesign: {design}\nsamples: 8").replace(
            "[10, 20, 40]", "{low: 10, high: 40, integer: true}")
        pts = design_points(load_spec(_write(tmp_path, f"{design}.yaml", text))[0])
        assert len(pts) == 8
        assert all(10 <= p["locations[A].residents"] <= 40 and isinstance(p["locations[A].residents"], int) for p in pts)
        assert all(0.5 <= p["practices[P1].regular_load"] <= 0.8 for p in pts)


@pytest.mark.slow
def test_sweep_table_is_tidy_and_identical_on_1_and_2_workers_and_dask(sweep_file, tmp_path):
    from distributed import LocalCluster
    _, one, f1 = run_sweep(sweep_file, tmp_path / "w1", workers=1, dask=None, quiet=True)
    _, two, f2 = run_sweep(sweep_file, tmp_path / "w2", workers=2, dask=None, quiet=True)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        _, dsk, f3 = run_sweep(sweep_file, tmp_path / "dask", workers=1, dask=cluster.scheduler_address, quiet=True)
    assert not f1 and not f2 and not f3
    assert set(one.columns) >= {"point", "replication", "kpi", "value", "param:locations[A].residents"}
    assert len(one) == 6 * 2 * 3
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, dsk)
    # common random numbers: demand of location B is the same at every design point
    gp = one[one["kpi"] == "demand.wlz_requests_per_week"]
    assert gp.groupby("point")["value"].apply(list).map(len).eq(2).all()


@pytest.mark.slow
def test_killed_sweep_resumes_to_the_same_table(sweep_file, tmp_path):
    _, reference, _ = run_sweep(sweep_file, tmp_path / "ref", workers=1, dask=None, quiet=True)
    out = tmp_path / "killed"
    cmd = [sys.executable, str(ROOT / "run_sim.py"), "sweep", str(sweep_file), "--workers", "1", "--out", str(out), "-q"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*/runs/*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(out.glob("*/runs/*.json")))
    assert 3 <= done < 12, "the sweep should have been killed part-way"
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    (folder,) = list(out.iterdir())
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "sweep.parquet"), reference)


def test_a_failing_run_is_recorded_and_the_others_finish(sweep_file, tmp_path, monkeypatch):
    import sim.experiments.point_runs as sweep_mod  # where a sweep's runs are run
    real = sweep_mod.run_replication

    def flaky(sc, replication):
        if replication == 1 and sc.locations[0].residents == 40:
            raise RuntimeError("boom")
        return real(sc, replication)

    monkeypatch.setattr(sweep_mod, "run_replication", flaky)
    folder, table, failures = run_sweep(sweep_file, tmp_path / "f", workers=1, dask=None, quiet=True)
    assert len(failures) == 2 and all("boom" in f["error"] for f in failures)
    assert table[["point", "replication"]].drop_duplicates().shape[0] == 12 - 2
    assert json.loads((folder / "failures.json").read_text())[0]["error"].startswith("RuntimeError")


def test_sensitivity_ranks_a_parameter_that_matters_above_one_that_does_not(tmp_path, capsys):
    _write(tmp_path, "tiny.yaml", TINY)
    path = _write(tmp_path, "sens.yaml", """\
name: sens
base: tiny.yaml
replications: 1
method: morris
trajectories: 4
kpis: [demand.wlz_requests_per_week]
parameters:
  locations[A].residents: {low: 10, high: 60, integer: true}
  practices[P1].fte_hours_per_week: {low: 30, high: 50}
""")
    assert main(["sensitivity", str(path), "--workers", "1", "--out", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    (folder,) = list((tmp_path / "s").iterdir())
    idx = pd.read_parquet(folder / "sensitivity.parquet").set_index("parameter")
    assert idx.loc["locations[A].residents", "mu_star"] > 1
    assert idx.loc["practices[P1].fte_hours_per_week", "mu_star"] == 0
    assert "ranked by mu_star" in out


@pytest.mark.parametrize("text,fragment", [
    ("parameters:\n  nope.path[X].a: [1, 2]", "no item with id 'X'"),
    ("parameters:\n  locations[A].residents: [-1, 2]", "greater than 0"),
    ("parameters:\n  locations[A].residents: {low: 5}", "both low and high"),
])
def test_bad_sweep_files_are_clear_errors(tmp_path, capsys, text, fragment):
    _write(tmp_path, "tiny.yaml", TINY)
    path = _write(tmp_path, "bad.yaml", f"name: bad\nbase: tiny.yaml\n{text}\n")
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "-q", "-w", "1"]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_sensitivity_answers_say_whether_an_answer_holds():
    from sim.experiments.sensitivity import verdict

    def d(mean, low, high):
        return {"mean": mean, "ci_low": low, "ci_high": high}

    assert verdict([d(-2, -3, -1), d(-1, -2, 0.5)]) == "holds: lower"
    assert verdict([d(-2, -3, 1), d(-1, -2, 0.5)]) == "leans lower"
    assert verdict([d(2, 1, 3), d(-2, -3, -1)]) == "flips"
    assert verdict([d(2, 1, 3), d(-0.5, -2, 1)]) == "depends"
    assert verdict([d(0.2, -1, 1), d(-0.5, -2, 1)]) == "no clear change"


def test_an_assumption_the_reference_shares_is_made_on_both_sides():
    """The office share of demand changes the reference too (else the arrangement's effect
    and the assumption's would mix); a block the reference lacks is left alone."""
    from sim.experiments.sensitivity import reference_points
    from sim.scenario.loading import load_scenario
    reference = load_scenario(ROOT / "configs" / "baseline.yaml").model_dump(mode="json", exclude_none=True)
    points = [{"demand.office_share": s, "services[VOORWACHT].resolves.U5": r} for s, r in
              ((0.7, 0.3), (0.7, 0.6), (0.85, 0.3))]
    scenarios, ref_of = reference_points(reference, points, "test")
    assert ref_of == [0, 0, 1] and len(scenarios) == 2
    assert [s["demand"]["office_share"] for s in scenarios] == [0.7, 0.85]
    assert all(s.get("services", []) == [] for s in scenarios)
