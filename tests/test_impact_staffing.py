"""The two everyday questions: a new location's impact, and staffing to a target."""

from __future__ import annotations

import json

import math
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.impact import run_impact
from sim.experiments.staffing import Search, parse_target, service_roster
from sim.scenario.demand import LocationDemand
from sim.scenario.loading import load_scenario

REGION = """\
scenario: dorp
region: {weeks: 8, warmup_weeks: 1, inhabitants: 30000}
practices: [{id: P1}, {id: P2}]
behandeldiensten: [{id: BD, discipline: so}]
locations:
  - {id: A, kind: kleinschalig, residents: 20, practice: P1}
  - {id: B, kind: thuis, residents: 30, practice: P2}
  - {id: C, kind: kleinschalig, residents: 16, practice: P1}
"""


@pytest.fixture
def region_file(tmp_path):
    path = tmp_path / "dorp.yaml"
    path.write_text(REGION)
    return path


def _office_share() -> float:
    w = LocationDemand().profile.hour_of_week().reshape(7, 24)
    return float(w[:5, 8:17].sum())


def test_adding_20_residents_adds_about_4_1_consults_and_leaves_other_practices_alone(region_file, tmp_path):
    reps = 10
    result = run_impact(region_file, ["residents=20,kind=kleinschalig,sector=VV,gp=P1"], [], reps,
                        tmp_path / "imp", workers=2, quiet=True)
    d = result["difference"]["met"]
    extra_p1 = d["service.P1.handled_per_week"]["mean"]
    extra_hap = d["handled.hap.wlz_per_week"]["mean"]
    # Poisson: the SD of one replication's weekly mean is sqrt(4.1 / 8 weeks); of the mean over reps /sqrt(reps)
    se = math.sqrt(4.1 / 8 / reps)
    assert abs(extra_p1 + extra_hap - 4.1) < 4 * se
    assert abs(extra_p1 - 4.1 * _office_share()) < 4 * se
    # same random numbers: practice P2's daytime load is exactly unchanged
    table = pd.read_parquet(f"{result['folder']}/kpis.parquet")
    p2 = table[table["kpi"] == "service.P2.handled_per_week"].pivot(index="replication", columns="point", values="value")
    assert (p2[0] == p2[1]).all()
    assert result["practices"] == ["P1"]
    assert {"met + voorwacht", "met + behandelteam"} <= set(result["difference"])
    # the voorwacht and the behandelteam each take load off P1 compared with plain 'met'
    for variant in ("met + voorwacht", "met + behandelteam"):
        assert result["difference"][variant]["service.P1.handled_per_week"]["mean"] < extra_p1
    from sim.present.report import build_report
    page = build_report(Path(result["folder"]), "nl").read_text()
    assert 'id="key-figures"' in page and "Extra zorgvragen per week" in page


def test_moving_a_location_to_behandeling_and_several_new_locations(region_file, tmp_path):
    moved = run_impact(region_file, [], ["A:behandeling=true,behandeldienst=BD"], 3, tmp_path / "m", quiet=True)
    d = moved["difference"]["met"]
    assert d["service.P1.handled_per_week"]["mean"] < -2  # A's ~3.2 daytime requests a week leave P1
    assert d["handled.hap.wlz_per_week"]["mean"] < 0  # ... and its ANW requests leave the HAP
    assert "met + behandelteam" not in moved["difference"]  # not applicable met behandeling
    two = run_impact(region_file, ["residents=12,kind=kleinschalig,gp=P1", "residents=30,kind=geclusterd,gp=P2"], [],
                     3, tmp_path / "t", quiet=True)
    assert two["practices"] == ["P1", "P2"]
    assert two["difference"]["met"]["service.P2.handled_per_week"]["mean"] > \
        two["difference"]["met"]["service.P1.handled_per_week"]["mean"]


@pytest.mark.parametrize("args,fragment", [
    (["--add-location", "residents=20,kind=kleinschalig,gp=P9"], "unknown practice 'P9'"),
    (["--add-location", "residents20"], "is not key=value"),
    (["--change-location", "ZZ:residents=3"], "no location 'ZZ'"),
    ([], "at least one --add-location"),
])
def test_bad_impact_input(region_file, tmp_path, capsys, args, fragment):
    assert main(["impact", str(region_file), "-r", "1", "-q", "--out", str(tmp_path), *args]) == 2
    assert fragment in capsys.readouterr().err


def _search(region_file, tmp_path, targets):
    sc = load_scenario(region_file)
    data = sc.model_dump(mode="json", exclude_none=True)
    path, pool = service_roster(data, "hap.doctors")
    return Search(data, path, [parse_target(t, pool) for t in targets], 3, 0.95, tmp_path / "s", 1, None, True)


def test_staffing_search_equals_exhaustive_search_and_is_monotone(region_file, tmp_path):
    targets = ["background U3 p90 physician <= 45 min", "utilisation <= 0.6"]
    search = _search(region_file, tmp_path, targets)
    found = search.uniform(max_extra=4)
    lowest = -(max(search.base) - 1)
    exhaustive = [d for d in range(lowest, 5) if search.evaluate(search.shifted(d))["ok"]]
    assert exhaustive and found == min(exhaustive)
    assert all(d in exhaustive for d in range(found, 5))  # monotone: more staff keeps meeting the targets
    util = [search.evaluate(search.shifted(d))["targets"]["utilisation <= 0.6"]["mean"] for d in range(lowest, 5)]
    assert all(a > b for a, b in zip(util, util[1:]))
    refined = search.refine(search.shifted(found))
    assert search.evaluate(refined)["ok"]
    for b in range(len(refined)):  # minimal: no single block can go lower
        if refined[b] > 1:
            lower = tuple(c - (k == b) for k, c in enumerate(refined))
            assert not search.evaluate(lower)["ok"]


def test_staff_command_writes_its_curve(region_file, tmp_path, capsys):
    assert main(["staff", str(region_file), "--service", "hap.cars", "--target", "wait p90 <= 40 min",
                 "-r", "2", "-w", "1", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "needed" in out and "Rosters evaluated" in out
    assert list(tmp_path.glob("*/report.html")) and list(tmp_path.glob("*/staff.txt"))


@pytest.mark.parametrize("target,fragment", [
    ("U2 p90 response", "write a target as"),
    ("U2 p90 response <= 60 kg", "write a target as"),
    ("utilisation <= 60 min", "is not a time"),
    ("U2 p90 response <= 50%", "is not a share"),
    ("happiness >= 3", "unknown measure"),
    ("U2 p90 physician <= 60 min", None),
    ("U4 within norm >= 95%", None),
])
def test_target_language(target, fragment):
    from sim.errors import ScenarioError
    if fragment is None:
        t = parse_target(target, "hap:doctor")
        assert t.kpi.startswith("response.wlz.")
        assert t.threshold in (60, 0.95)
    else:
        with pytest.raises(ScenarioError, match=fragment):
            parse_target(target, "hap:doctor")


def test_unknown_service_is_a_clear_error(region_file, tmp_path, capsys):
    assert main(["staff", str(region_file), "--service", "practices[P9]", "--target", "utilisation <= 0.8",
                 "-q", "--out", str(tmp_path)]) == 2
    assert "no practices item 'P9'" in capsys.readouterr().err


TWO_HAPS = """
scenario: twee
region: {weeks: 3, warmup_weeks: 1, inhabitants: 50000}
spoedposten:
  - {id: noord, inhabitants: 30000}
  - {id: zuid, inhabitants: 20000}
practices: [{id: P}]
locations:
  - {id: N, kind: kleinschalig, residents: 40, practice: P, spoedpost: noord}
  - {id: Z, kind: kleinschalig, residents: 40, practice: P, spoedpost: zuid}
"""


def test_staffing_names_one_of_several_spoedposten(tmp_path, capsys):
    path = tmp_path / "twee.yaml"
    path.write_text(TWO_HAPS)
    from sim.experiments.staffing import service_roster
    from sim.scenario.loading import load_scenario
    data = load_scenario(path).model_dump(mode="json", exclude_none=True)
    assert service_roster(data, "spoedposten[zuid].cars") == (["spoedposten", 1, "cars"], "zuid:car")
    assert service_roster(data, "spoedposten[noord].triage") == (["spoedposten", 0, "triage", "roster"], "noord:triage")
    # the bare form would be ambiguous: a clear error that names the choices
    assert main(["staff", str(path), "--service", "hap.doctors", "--target", "utilisation <= 0.8",
                 "-q", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "2 spoedposten" in err and "spoedposten[noord].doctors" in err and "spoedposten[zuid].doctors" in err
    # a real search on the named post's pool
    assert main(["staff", str(path), "--service", "spoedposten[zuid].doctors", "--target", "utilisation <= 0.9",
                 "-r", "2", "-w", "1", "-q", "--out", str(tmp_path / "o")]) == 0
    staff = json.loads(next((tmp_path / "o").glob("*/staff.json")).read_text())
    assert staff["pool"] == "zuid:doctor" and all(t["kpi"] == "service.zuid:doctor.utilisation" for t in staff["targets"])
