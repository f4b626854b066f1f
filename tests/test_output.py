"""The results folder is the contract other tools rely on: its files and columns, never
overwriting, and resuming an interrupted run to the same answer."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from sim.cli import main
from sim.experiments.output import partial_dir, scenario_hash
from sim.experiments.runner import replication_key, replication_task, run_scenario
from sim.experiments.store import TaskStore
from sim.scenario.loading import dump_scenario, load_scenario, parse_scenario

from .conftest import SMALL

REQUEST_COLUMNS = ["request_id", "replication", "location_id", "arrival", "period", "urgency", "acute",
                   "modality", "handled_by", "response_min", "first_contact", "physician_min", "norm_min", "done",
                   "warmup"]
STAGE_COLUMNS = ["request_id", "replication", "service", "resource", "enter", "ready", "start", "end",
                 "planning_min", "wait_min", "busy_min", "outcome", "preempt"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("res")
    path = out / "small.yaml"
    path.write_text(SMALL)
    assert main([str(path), "--replications", "2", "--out", str(out / "runs"), "--quiet"]) == 0
    (folder,) = [p for p in (out / "runs").iterdir() if not p.name.startswith(".")]
    return folder


def test_results_folder_holds_the_contract_files(results):
    for name in ("requests.parquet", "stages.parquet", "resources.parquet", "summary.json", "scenario.yaml", "run.json",
                 "summary.txt"):
        assert (results / name).is_file(), name
    assert not (results / "runs").exists() and not list(results.parent.glob(".partial-*"))


def test_requests_table_columns_and_values(results):
    req = pd.read_parquet(results / "requests.parquet")
    assert set(REQUEST_COLUMNS) <= set(req.columns)
    assert set(req["replication"]) == {0, 1}
    assert set(req["urgency"].dropna()) <= {"U1", "U2", "U3", "U4", "U5"}
    assert set(req["modality"]) <= {"telephone", "consult", "visit"}
    assert set(req["period"]) <= {"office", "evening", "night", "weekend", "holiday"}
    assert set(req["handled_by"].dropna()) <= {"gp", "hap", "so", "own_gp", "ambulance"}
    assert (req.loc[req["handled_by"] == "ambulance", "urgency"] == "U1").all()
    assert (req.loc[req["handled_by"] == "own_gp", "source"] == "background").all()
    # the norm's contact is never before the first contact, and is a physician's unless the
    # request was settled without one (a nurse or triagist settling U3-U5, an ambulance)
    normed = req["norm_min"].notna()
    assert (req.loc[normed, "norm_min"] >= req.loc[normed, "response_min"] - 1e-9).all()
    assert (req["acute"] == req["urgency"].isin(["U1", "U2", "U3"])).all()
    answered = req["response_min"].notna()
    assert (req.loc[answered, "response_min"] >= 0).all()
    both = answered & req["physician_min"].notna()
    assert (req.loc[both, "physician_min"] >= req.loc[both, "response_min"] - 1e-9).all()
    # conservation: each request once; done or still open, and a handler exactly when done
    assert not req.duplicated(["replication", "request_id"]).any()
    assert (req["done"].notna() == req["handled_by"].notna()).all()
    assert req["warmup"].any() and (~req["warmup"]).any()


def test_stages_table(results):
    st = pd.read_parquet(results / "stages.parquet")
    assert set(STAGE_COLUMNS) <= set(st.columns)
    started = st["start"].notna()
    assert (st["ready"] >= st["enter"]).all() and (st.loc[started, "start"] >= st.loc[started, "ready"]).all()
    finished = st["end"].notna()
    assert (st.loc[finished, "end"] >= st.loc[finished, "start"]).all()
    assert st.loc[~finished, "outcome"].eq("open").all()  # only work still open at the horizon has no end
    assert set(st["resource"]) >= {"hap:triage", "P1", "BD"}


def test_summary_and_resolved_scenario(results):
    summary = json.loads((results / "summary.json").read_text())
    kpi = summary["kpis"]["calibration.kleinschalig.requests_per_20_residents_week"]
    assert kpi["n"] == 2 and kpi["ci_low"] <= kpi["mean"] <= kpi["ci_high"]
    run = json.loads((results / "run.json").read_text())
    assert run["versions"]["simpy"] and run["seed"] == 20250106
    # the resolved scenario loads back to the very same scenario, every default filled in
    resolved = (results / "scenario.yaml").read_text()
    assert "rate_per_resident_week" in resolved and "resolves_telephone_share" in resolved
    assert parse_scenario(resolved, "resolved") == parse_scenario(SMALL, "small")


def test_a_second_run_never_overwrites(results):
    path = results.parent.parent / "small.yaml"
    assert main([str(path), "--out", str(results.parent), "--quiet", "--weeks", "1"]) == 0
    folders = [p for p in results.parent.iterdir() if not p.name.startswith(".")]
    assert len(folders) == 2 and results.exists()


def test_interrupted_run_resumes_to_the_same_answer(tmp_path, small):
    reps = 3
    full = run_scenario(small, reps, tmp_path / "full", quiet=True)
    # Simulate an interruption after replication 0: only its files are in the partial folder.
    partial = partial_dir(tmp_path / "resumed", scenario_hash(dump_scenario(small), reps))
    value = replication_task(small, None, 0)
    TaskStore(partial / "runs").save(replication_key(0), value, value.pop("tables"))
    resumed = run_scenario(small, reps, tmp_path / "resumed", quiet=True)
    assert resumed.resumed == 1
    assert json.dumps(resumed.summary["kpis"], sort_keys=True) == json.dumps(full.summary["kpis"], sort_keys=True)
    pd.testing.assert_frame_equal(pd.read_parquet(full.folder / "requests.parquet"),
                                  pd.read_parquet(resumed.folder / "requests.parquet"))


def test_embedded_example_is_the_baseline_config():
    from sim.scenario.loading import default_scenario_path

    from .conftest import ROOT
    def body(path):  # the same region; only the editor's schema line differs (a relative path)
        return path.read_text().split("\n", 1)[1]
    assert body(default_scenario_path()) == body(ROOT / "configs" / "baseline.yaml")
    sc = load_scenario()
    assert sc.region.name == "Regio Voorbeeld" and len(sc.locations) >= 24 and len(sc.practices) >= 4
    assert {loc.kind for loc in sc.locations} == {"kleinschalig", "verpleeghuis", "geclusterd", "thuis"}
    assert yaml.safe_load(dump_scenario(sc))["region"]["seed"] == sc.region.seed


def test_a_value_beyond_the_horizon_survives_the_json_files(tmp_path):
    """A percentile still open at the horizon is infinite: written as "inf" (JSON has no
    infinity) and read back as infinity, not dropped from the mean as a missing value."""
    import math

    from sim.analysis.metrics import aggregate
    from sim.experiments.output import number
    store = TaskStore(tmp_path)
    store.save("rep-0000", {"kpis": {"wait": float("inf"), "gone": float("nan"), "ok": 2.0}})
    kpis = {k: number(v) for k, v in store.load("rep-0000")["kpis"].items()}
    assert kpis["wait"] == math.inf and math.isnan(kpis["gone"]) and kpis["ok"] == 2.0
    assert aggregate([kpis, {"wait": 10.0, "ok": 1.0}])["wait"]["mean"] == math.inf


def test_a_results_folder_analyses_itself_again_to_the_same_summary(tmp_path):
    """`report DIR` recomputes every KPI from the folder's own files (tables, resources,
    run.json, parent.json): the same summary.json the run wrote, comparison included."""
    from .conftest import ROOT
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {ROOT / 'configs' / 'c_voorwacht.yaml'}\nscenario: child\n")
    assert main([str(child), "--weeks", "4", "-r", "2", "--out", str(tmp_path / "out"), "-q", "-w", "1"]) == 0
    (folder,) = [p for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")]
    written = (folder / "summary.json").read_text()
    (folder / "summary.json").unlink()
    assert main(["report", str(folder)]) == 0
    assert (folder / "summary.json").read_text() == written
    assert "comparison" in json.loads(written) and (folder / "report.html").exists()
