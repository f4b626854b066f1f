"""Every invalid scenario gives one clear message: the file, the field path, what is
allowed; exit code 2; no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from sim.cli import main

from .conftest import ROOT

GOOD = """\
scenario: ok
region: {start: 2025-01-06, weeks: 1, warmup_weeks: 0, inhabitants: 1000}
practices:
  - {id: P1}
demand:
  urgency_mix: {U1: 0.01, U2: 0.03, U3: 0.10, U4: 0.30, U5: 0.56}
locations:
  - id: L1
    kind: kleinschalig
    residents: 20
    practice: P1
  - id: L2
    kind: thuis
    residents: 10
    practice: P1
"""


def _run(tmp_path, capsys, text, *extra):
    path = tmp_path / "scenario.yaml"
    path.write_text(textwrap.dedent(text))
    code = main([str(path), "--out", str(tmp_path / "out"), "--quiet", *extra])
    err = capsys.readouterr().err
    return code, err, str(path)


CASES = {
    # name: (replace this, with this, expected fragments of the message)
    "missing field": ("    residents: 10\n", "", ["locations[1].residents", "required field is missing"]),
    "wrong type": ("residents: 20", "residents: many", ["locations[0].residents", "integer", "'many'"]),
    "negative count": ("residents: 20", "residents: -3", ["locations[0].residents", "greater than 0", "-3"]),
    "zero count": ("residents: 10", "residents: 0", ["locations[1].residents", "greater than 0"]),
    "unknown reference": ("    practice: P1\n  - id: L2", "    practice: P9\n  - id: L2",
                          ["locations[0].practice", "unknown practice 'P9'", "P1"]),
    "mix not summing to 1": ("U5: 0.56", "U5: 0.50", ["demand.urgency_mix", "sum to 1", "0.94"]),
    "bad date": ("start: 2025-01-06", "start: 2025-13-01", ["region.start", "date"]),
    "unknown key with suggestion": ("residents: 20", "residnets: 20",
                                    ["locations[0]", "unknown key 'residnets'", "did you mean 'residents'"]),
    "bad choice": ("kind: thuis", "kind: hotel", ["locations[1].kind", "kleinschalig", "verpleeghuis"]),
    "YAML syntax error": ("  - {id: P1}", "  - {id: P1", ["YAML syntax error", "line"]),
    "bad clock time": ("  - {id: P1}", '  - {id: P1, planned_start: "25:00"}', ["practices[0]", "25:00"]),
}


@pytest.mark.parametrize("name", CASES)
def test_invalid_scenario_is_a_clear_error(tmp_path, capsys, name):
    old, new, fragments = CASES[name]
    assert old in GOOD
    code, err, path = _run(tmp_path, capsys, GOOD.replace(old, new, 1))
    assert code == 2
    assert path in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    assert "Traceback" not in err


def test_line_numbers_point_at_the_field(tmp_path, capsys):
    code, err, _ = _run(tmp_path, capsys, GOOD.replace("residents: 10", "residents: 0"))
    assert "line 14" in err  # the line of `residents: 0`


def test_the_good_scenario_runs(tmp_path, capsys):
    code, err, _ = _run(tmp_path, capsys, GOOD)
    assert code == 0, err


def test_missing_file(tmp_path, capsys):
    code = main([str(tmp_path / "nope.yaml"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "nope.yaml" in err and "not found" in err


def test_empty_and_non_mapping_files(tmp_path, capsys):
    for text, fragment in (("", "empty"), ("- a\n- b\n", "mapping")):
        code, err, _ = _run(tmp_path, capsys, text)
        assert code == 2 and fragment in err


def test_behandeling_needs_a_behandeldienst(tmp_path, capsys):
    text = GOOD.replace("    kind: thuis\n", "    kind: verpleeghuis\n    behandeling: true\n")
    code, err, _ = _run(tmp_path, capsys, text)
    assert code == 2 and "locations[1].behandeldienst" in err


def test_duplicate_ids(tmp_path, capsys):
    code, err, _ = _run(tmp_path, capsys, GOOD.replace("id: L2", "id: L1"))
    assert code == 2 and "locations[1].id" in err and "duplicate" in err


@pytest.mark.parametrize("args", [["--replications", "0"], ["--weeks", "x"], ["--seed", "-1"]])
def test_bad_options_exit_2(tmp_path, capsys, args):
    with pytest.raises(SystemExit) as exc:
        main(["--quiet", *args])
    assert exc.value.code == 2


def test_real_process_prints_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("residents: 20", "residents: -1"))
    proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert "locations[0].residents" in proc.stderr
