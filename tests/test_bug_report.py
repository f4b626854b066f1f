"""When mgz-sim itself fails (issue 24): the command line's catch-all turns any unexpected
exception into one line naming the file (and field) being read, "this is a bug in mgz-sim,
please report it" and the path of a log file with the traceback; exit 2 while reading an
input, 1 after. Never a traceback on the screen.
"""

from __future__ import annotations

import re
from pathlib import Path

from sim.cli import main

from .conftest import MINI, ROOT
from .test_hostile_input import run_cli


# --------------------------------------------------------------------------- the catch-all


def test_a_bug_while_reading_is_one_line_naming_the_file_and_a_log(tmp_path, capsys, monkeypatch):
    """If mgz-sim itself fails while reading a scenario (here a check made to raise), the
    user gets one line naming the file, that it is a bug, and a log with the traceback."""
    from sim.scenario import loading
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)

    def broken(sc):
        raise TypeError("'module' object is not callable")

    monkeypatch.setattr(loading, "problems", broken)
    code, err = run_cli(tmp_path, capsys, MINI)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert "doc.yaml" in lines[0] and "unexpected TypeError while reading it" in lines[0]
    assert "this is a bug in mgz-sim, please report it" in lines[0]
    log = Path(re.search(r"the details are in (\S+)\)", lines[0]).group(1))
    assert log.parent == tmp_path and "Traceback" in log.read_text() and "broken" in log.read_text()


def test_a_bug_in_a_set_path_names_the_field(tmp_path, capsys, monkeypatch):
    from sim.scenario import extends
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setattr(extends, "set_path", lambda *a: 1 / 0)
    code, err = run_cli(tmp_path, capsys, MINI + "set: {region.seed: 5}\n")
    assert code == 2 and "doc.yaml: set: 'region.seed': unexpected ZeroDivisionError while reading it" in err, err


def test_a_bug_in_a_sweep_point_names_the_point(tmp_path, capsys, monkeypatch):
    from sim.experiments import sweep
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    (tmp_path / "configs" / "sweeps").mkdir(parents=True)
    (tmp_path / "configs" / "baseline.yaml").write_bytes((ROOT / "configs" / "baseline.yaml").read_bytes())
    path = tmp_path / "configs" / "sweeps" / "s.yaml"
    path.write_text("name: s\nbase: ../baseline.yaml\nreplications: 1\nweeks: 1\nparameters:\n"
                    "  practices[P1].regular_load: [0.5]\n", encoding="utf-8")
    monkeypatch.setattr(sweep, "validate_data", lambda data: [][1])
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "s.yaml: design point 0" in err and "unexpected IndexError while reading it" in err, err


def test_a_bug_after_reading_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch):
    from sim.experiments import runner  # the command line imports it when `run` runs
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setattr(runner, "run_scenario", lambda *a, **k: {}["no such key"])
    code, err = run_cli(tmp_path, capsys, MINI)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1, err
    assert lines[0].startswith("error: unexpected KeyError in mgz-sim run") and "please report it" in lines[0]


def test_no_log_file_still_gives_the_line(tmp_path, capsys, monkeypatch):
    from sim.scenario import loading

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.mkstemp", full_disk)
    monkeypatch.setattr(loading, "problems", lambda sc: 1 / 0)
    code, err = run_cli(tmp_path, capsys, MINI)
    assert code == 2 and "no log could be written" in err and len(err.strip().splitlines()) == 1
