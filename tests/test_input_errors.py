"""Bad input, named case by case: each ends in one clear ScenarioError (the CLI prints it as
`error: ...` and exits with 2) that names the file and the field, quotes at most a short
piece of what was written, and comes at once: never a traceback, a hang or gigabytes of
memory. The bounds themselves are listed in docs/model.md, "Input bounds".

Most cases call the loader in-process (fast); a few run the real command line in a
subprocess with a memory limit, to show the exit code, the single line on stderr and that
nothing is written outside --out.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from sim.engine.roster import StepFunction
from sim.errors import ScenarioError
from sim.experiments.runner import run_replication
from sim.experiments.sweep import (
    MAX_POINTS,
    base_data,
    check_points,
    design_points,
    load_spec,
)
from sim.scenario.loading import load_scenario
from sim.scenario.yaml_reading import MAX_FILE_BYTES, MAX_NODES
from sim.scenario.validation import MAX_REQUESTS, run_size

from .conftest import MINI, ROOT, region_configs


SWEEP = """\
name: tiny
base: ../baseline.yaml
replications: 1
weeks: 1
design: grid
kpis: [handled.gp.wlz_per_week]
parameters:
  practices[P1].regular_load: [0.5, 0.7]
"""

MAX_MESSAGE = 500  # characters
QUICK = 5.0  # seconds: a refusal comes at once


def mini(old: str, new: str) -> str:
    assert old in MINI, old
    return MINI.replace(old, new, 1)


def sweep(old: str, new: str) -> str:
    assert old in SWEEP, old
    return SWEEP.replace(old, new, 1)


def bomb(levels: int) -> str:
    """A 'billion laughs' mapping: x<k> expands to 9**(k+1) strings (levels=9: 3.5 billion,
    in about 700 bytes)."""
    inner = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
        f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "{" + ", ".join(inner) + "}"


@pytest.fixture
def box(tmp_path: Path) -> Path:
    """A folder like the repository's: configs/ with baseline.yaml (to extend), configs/sweeps/."""
    (tmp_path / "configs" / "sweeps").mkdir(parents=True)
    for name in ("baseline.yaml", "large_region.yaml"):
        (tmp_path / "configs" / name).write_bytes((ROOT / "configs" / name).read_bytes())
    return tmp_path


def refused(call, *fragments: str, source: str = "doc.yaml") -> str:
    """Run `call`, expect one ScenarioError: one line, naming `source` and every fragment."""
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        call()
    seconds = time.perf_counter() - t0
    message = str(info.value)
    assert "\n" not in message, message
    assert len(message) < MAX_MESSAGE, (len(message), message[:1000])
    assert source in message, message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert seconds < QUICK, f"refused only after {seconds:.1f} s"
    return message


def load(box: Path, text: str | bytes, name: str = "doc.yaml"):
    path = box / "configs" / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return lambda: load_scenario(path)


def prepare_sweep(box: Path, text: str):
    """What `sweep` does before its first run: read, build and check every design point."""
    path = box / "configs" / "sweeps" / "doc.yaml"
    path.write_text(text, encoding="utf-8")

    def call():
        spec, _ = load_spec(path)
        base = base_data(spec, path)
        check_points(base, design_points(spec), str(path))

    return call


# --------------------------------------------------------------------------- scenario files

# name: (document, fragments the message must hold)
SCENARIO_CASES: dict[str, tuple[str | bytes, list[str]]] = {
    # the fuzzer's findings
    "integer of 5,000 digits": (mini("seed: 1", "seed: " + "9" * 5000), ["line 2", "5,000 digits", "more than 30"]),
    "residents 1e12 (float)": (mini("residents: 24", "residents: 1.0e+12"),
                               ["locations[0].residents", "less than or equal to 100000"]),
    "residents 1e12 (int)": (mini("residents: 24", "residents: 1000000000000"), ["locations[0].residents", "100000"]),
    "residents 10 million": (mini("residents: 24", "residents: 10000000"), ["locations[0].residents", "100000"]),
    "demand growth 1e9": (MINI + "pressures: {demand_growth: 1.0e+9}\n", ["pressures.demand_growth", "10"]),
    "weeks 600000": (mini("weeks: 1,", "weeks: 600000,"), ["region.weeks", "520"]),
    "warm-up 600000": (mini("warmup_weeks: 0", "warmup_weeks: 600000"), ["region.warmup_weeks", "520"]),
    "start 9999-12-06, 52 weeks": (mini("weeks: 1,", "start: 9999-12-06, weeks: 52,"),
                                   ["region", "9999-12-06", "2199-12-31"]),
    "start in the year 1": (mini("weeks: 1,", "start: 0001-01-01, weeks: 1,"), ["region", "1900-01-01"]),
    "duplicate key in a flow mapping": (mini("residents: 24", "residents: 24, residents: 5000"),
                                        ["line 6", "'residents'", "twice"]),
    "duplicate top-level key": (MINI + "region: {name: Second, weeks: 1}\n", ["line 7", "'region'", "line 2"]),
    "scenario named ..": (mini("scenario: mini", 'scenario: ".."'), ["scenario", "results folder", "'..'"]),
    "scenario named .": (mini("scenario: mini", 'scenario: "."'), ["scenario", "results folder"]),
    "scenario with a slash": (mini("scenario: mini", "scenario: ../../etc"), ["scenario", "results folder"]),
    "hidden scenario name": (mini("scenario: mini", "scenario: .hidden"), ["scenario", "not starting with a dot"]),
    "scenario name of 300 characters": (mini("scenario: mini", "scenario: " + "a" * 300),
                                        ["scenario", "at most 100 characters", "(302 characters)"]),
    # numbers that are not numbers, or absurd
    "NaN": (mini("travel_min_practice: 6", "travel_min_practice: .nan"),
            ["locations[0].travel_min_practice", "finite number"]),
    "infinity": (MINI + "pressures: {demand_growth: .inf}\n", ["pressures.demand_growth", "finite number"]),
    "travel 1e9 minutes": (mini("travel_min_practice: 6", "travel_min_practice: 1000000000"),
                           ["locations[0].travel_min_practice", "1440"]),
    "negative duration": (mini("id: P1,", "id: P1, durations: {telephone: {mean: -5}, consult: {mean: 15}, "
                                          "visit: {mean: 25}},"),
                          ["practices[0].durations.telephone.mean", "greater than 0"]),
    "frailty shape 1e-300": (MINI + "demand: {frailty_shape: 1.0e-300}\n", ["demand.frailty_shape", "0.05"]),
    "10 million GPs on duty": (mini("count: 2", "count: 10000000"), ["practices[0].roster[0].count", "1000"]),
    "a trillion inhabitants": (mini("inhabitants: 20000", "inhabitants: 1000000000000"),
                               ["region.inhabitants", "20000000"]),
    "seed beyond 64 bits": (mini("seed: 1", "seed: 99999999999999999999"), ["region.seed"]),
    "impossible date": (mini("weeks: 1,", "start: 2026-02-30, weeks: 1,"), ["region.start", "2026-02-30"]),
    # shapes
    "empty file": ("", ["empty"]),
    "only a comment": ("# nothing here\n", ["empty"]),
    "a list": ("- a\n- b\n", ["mapping", "list"]),
    "a scalar": ("hello\n", ["mapping"]),
    "region is a number": (mini("region: {name: Mini, inhabitants: 20000, weeks: 1, warmup_weeks: 0, seed: 1}",
                                "region: 5"), ["region", "dictionary"]),
    # nothing guessed silently (issue 20): no example region, no count read wrongly
    "no region": (mini("region: {name: Mini, inhabitants: 20000, weeks: 1, warmup_weeks: 0, seed: 1}\n", ""),
                  ["region: missing: add e.g. region: {name:", "inhabitants: 80000}"]),
    "no inhabitants": (mini("inhabitants: 20000, ", ""), ["line 2", "region.inhabitants: required field is missing"]),
    "inhabitants 180.000 (Dutch notation)": (mini("inhabitants: 20000", "inhabitants: 180.000"),
                                             ["line 2", "region.inhabitants", "write 180000 if you meant 180.000"]),
    "residents 20.5": (mini("residents: 24", "residents: 20.5"), ["locations[0].residents", "a whole number"]),
    "a count as text with a thousands point": (mini("count: 2", "count: '1.000'"),
                                               ["practices[0].roster[0].count", "write 1000"]),
    "no locations": ("scenario: x\nregion: {inhabitants: 20000}\nlocations: []\n", ["locations", "at least 1 item"]),
    "empty roster": (mini('roster: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 2}]',
                          "roster: []"), ["practices[0].roster", "at least 1 item"]),
    "a roster block without days": (mini("days: [mon, tue, wed, thu, fri]", "days: []"),
                                    ["practices[0].roster[0].days", "at least 1 item"]),
    "a location that is a string": ("scenario: x\nregion: {inhabitants: 20000}\npractices: [{id: P1}]\nlocations: [L1]\n",
                                    ["locations[0]", "dictionary"]),
    "tabs for indentation": (MINI.replace("  - {id: L1", "\t- {id: L1"), ["line 6", "tabs"]),
    "two documents": (MINI + "---\nfoo: 1\n", ["another document"]),
    "an alias inside itself": (MINI + "description: &a [*a]\n", ["line 7", "alias"]),
    "an alias bomb": (MINI + "description: " + bomb(9) + "\n", ["line 7", "more than 500,000 values"]),
    "nested 60 deep": (MINI + "description: " + "[" * 60 + "]" * 60 + "\n", ["nested more than 50 levels"]),
    "a python tag": (MINI + "description: !!python/object/apply:os.system [echo]\n", ["line 7", "python/object"]),
    "a string of 100,000 characters": (mini("name: Mini", "name: " + "y" * 100_000),
                                       ["region.name", "at most 200 characters", "(100,002 characters)"]),
    "a key of 1,000 characters": (mini("id: L1,", "id: L1, " + "k" * 1_000 + ": 1,"),
                                  ["locations[0]", "unknown key", "(1,002 characters)"]),
    "unknown country": (MINI + "calendar: {holidays: {country: XX}}\n", ["calendar.holidays.country", "'XX'"]),
    "a typo, with a suggestion": (mini("residents:", "residnets:"), ["did you mean 'residents'"]),
    "a typo in a service": (MINI + "services: [{id: V, type: voorwacht, resolvs: {U5: 0.5}}]\n",
                            ["services[0].resolvs", "did you mean 'resolves'"]),
    "set: not a mapping": (MINI + "set: 5\n", ["set", "mapping"]),
    "set: a path of 1,000 characters": (MINI + "set:\n  " + "a." * 499 + "a[: 1\n", ["set", "not a path"]),
    "set: an id that is not there": ("extends: baseline.yaml\nset:\n  practices[NOPE].regular_load: 0.5\n",
                                     ["set", "'NOPE'", "P1"]),
    # extends
    "extends: a NUL byte": ('extends: "base\\0line.yaml"\nscenario: x\n', ["extends", "NUL"]),
    "extends: 300 characters": ("extends: " + "a" * 300 + ".yaml\nscenario: x\n", ["extends", "too long"]),
    "extends: a folder": ("extends: ../configs\nscenario: x\n", ["extends", "is a folder"]),
    "extends: /dev/zero": ("extends: /dev/zero\nscenario: x\n", ["extends", "not a regular file"]),
    "extends: itself": ("extends: doc.yaml\nscenario: x\n", ["extends", "a cycle"]),
    "extends: missing file": ("extends: nope.yaml\nscenario: x\n", ["extends", "not found"]),
    "extends: a number": ("extends: 5\nscenario: x\n", ["extends", "file name"]),
    # bytes
    "latin-1 bytes": (MINI.replace("Mini", "M\xefni").encode("latin-1"), ["line 2", "UTF-8"]),
    "UTF-16": (MINI.encode("utf-16"), ["UTF-8"]),
    "a NUL byte": (MINI.encode() + b"\x00\n", ["line 7", "#x0000"]),
}


@pytest.mark.parametrize("name", sorted(SCENARIO_CASES))
def test_bad_scenario_is_one_clear_error(box, name):
    text, fragments = SCENARIO_CASES[name]
    refused(load(box, text), *fragments)


def test_every_line_of_a_long_message_is_short(box):
    """Eight problems with a 10,000-character value each: still eight short lines."""
    locs = "".join(f"  - {{id: L{i}, kind: kleinschalig, residents: 1, practice: {'x' * 10_000}}}\n" for i in range(12))
    path = box / "configs" / "doc.yaml"
    path.write_text("scenario: x\nregion: {inhabitants: 20000}\npractices: [{id: P1}]\nlocations:\n" + locs)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 9 and lines[-1] == "... and 4 more problems"
    assert all(len(line) < MAX_MESSAGE and "doc.yaml" in line for line in lines[:8]), lines


def test_a_huge_file_is_refused_by_its_size(box):
    path = box / "configs" / "doc.yaml"
    with open(path, "wb") as f:  # sparse: no disk used
        f.truncate(MAX_FILE_BYTES + 1)
    refused(lambda: load_scenario(path), "at most 20 MB")


def test_a_file_of_a_million_values_is_refused_before_parsing(box):
    text = MINI + "description: [" + "1," * (MAX_NODES + 1) + "1]\n"
    refused(load(box, text), f"at most {MAX_NODES:,}")


def test_a_fifo_is_refused_without_blocking(box):
    fifo = box / "configs" / "pipe.yaml"
    os.mkfifo(fifo)
    refused(load(box, "extends: pipe.yaml\nscenario: x\n"), "extends", "not a regular file")


# --------------------------------------------------------------------------- run size


def test_a_run_too_large_names_its_size_and_what_to_change(box):
    text = mini("weeks: 1,", "weeks: 520,").replace("inhabitants: 20000", "inhabitants: 19000000")
    message = refused(load(box, text), "care requests per replication", "at most 5,000,000", "region.weeks")
    # 19 million x 250 / 1000 a year over 520 weeks: ~47.3 million, and the HAP's ~140 holidays in
    # ten years take Sunday's demand (its profile is busiest on Sundays): ~48.6 million
    assert "48,6" in message


def test_too_many_residents_in_all(box):
    locs = "".join(f"  - {{id: L{i}, kind: thuis, residents: 100000, rate_per_resident_week: 0.001, "
                   f"practice: P1}}\n" for i in range(11))
    text = "scenario: x\nregion: {weeks: 1, warmup_weeks: 0, inhabitants: 20000}\npractices: [{id: P1}]\nlocations:\n" + locs
    refused(load(box, text), "locations", "1,100,000 residents", "at most 1,000,000")


def test_too_many_rostered_shifts(box):
    blocks = ", ".join([f'{{days: [mon, tue, wed, thu, fri, sat, sun], start: "{h:02d}:00", end: "{h:02d}:30", '
                        "count: 1}" for h in range(24)] * 4)
    practices = "".join(f"  - {{id: P{k}, roster: [{blocks}]}}\n" for k in range(10))
    text = "scenario: x\nregion: {weeks: 520, inhabitants: 20000}\npractices:\n" + practices + \
           "locations: [{id: L1, kind: thuis, residents: 5, practice: P0}]\n"
    refused(load(box, text), "rostered shifts", "at most 2,000,000")


def test_every_shipped_scenario_is_within_the_run_size():
    for path in region_configs():
        assert run_size(load_scenario(path))["requests"] < MAX_REQUESTS, path


def test_the_large_region_fits_ten_years():
    sc = load_scenario(ROOT / "configs" / "large_region.yaml", {"region.weeks": 520})
    assert 4e6 < run_size(sc)["requests"] < MAX_REQUESTS


# --------------------------------------------------------------------------- what stays valid


@pytest.mark.parametrize("text", [
    "\ufeff" + MINI,  # a byte-order mark (Windows editors write one)
    mini("scenario: mini", "scenario: Mijn regio 2.0"),  # spaces and dots inside a name
    mini("weeks: 1,", "start: 2199-12-24, weeks: 1,"),  # the last week allowed
    mini("[mon, tue, wed, thu, fri]", "&weekdays [mon, tue, wed, thu, fri]").replace(  # aliases are fine
        "locations:", '  - {id: P2, roster: [{days: *weekdays, start: "08:00", end: "12:00", count: 1}]}\nlocations:'),
], ids=["BOM", "name with spaces", "last week", "aliases"])
def test_valid_edge_cases_still_load(box, text):
    assert load(box, text)().locations[0].residents == 24


# --------------------------------------------------------------------------- sweeps

SWEEP_CASES: dict[str, tuple[str, list[str]]] = {
    "samples 1e9": (sweep("design: grid", "design: lhs\nsamples: 1000000000").replace(
        "[0.5, 0.7]", "{low: 0.5, high: 0.7}"), ["samples", "less than or equal to 20000"]),
    "steps 1e8": (sweep("[0.5, 0.7]", "{range: [0.5, 0.7], steps: 100000000}"),
                  ["parameters.practices[P1].regular_load.steps", "1000"]),
    "a grid of 10^15 points": (sweep("  practices[P1].regular_load: [0.5, 0.7]\n", "".join(
        f"  practices[P1].regular_load_anw{'x' * k}: {{range: [0.1, 0.2], steps: 1000}}\n" for k in range(5))),
        ["design 'grid'", "at most 20,000 points"]),
    "points x replications": (sweep("replications: 1", "replications: 1000").replace(
        "[0.5, 0.7]", "{range: [0.5, 0.7], steps: 300}"), ["300 design points x 1000 replications",
                                                           "200,000 runs"]),
    "typo replicatoins": (sweep("replications:", "replicatoins:"), ["did you mean 'replications'"]),
    "typo in a parameter": (sweep("[0.5, 0.7]", "{range: [0.5, 0.7], stpes: 3}"), ["did you mean 'steps'"]),
    "alias bomb of 700 bytes": (sweep("design: grid", "design: list").replace(
        "practices[P1].regular_load: [0.5, 0.7]", "region.name:\n    - " + bomb(9)), ["more than 500,000 values"]),
    "small alias bomb: a short message": (sweep("design: grid", "design: list").replace(
        "practices[P1].regular_load: [0.5, 0.7]", "region.name:\n    - " + bomb(3)),
        ["design point 0", "characters)", "region.name"]),
    "a design point out of bounds": (sweep("practices[P1].regular_load: [0.5, 0.7]",
                                           "locations[0].residents: [10000000]"), ["design point 0", "residents"]),
    "NaN bound": (sweep("[0.5, 0.7]", "{low: .nan, high: 0.5}"), ["finite number"]),
    "bounds beyond any value": (sweep("[0.5, 0.7]", "{low: -1.0e+308, high: 0.5, integer: true}"),
                                ["parameters.practices[P1].regular_load.low", "-1000000000000000000"]),
    "sweep named ..": (sweep("name: tiny", 'name: ".."'), ["name", "results folder"]),
    "base: a folder": (sweep("base: ../baseline.yaml", "base: .."), ["base", "is a folder"]),
    "base: /dev/zero": (sweep("base: ../baseline.yaml", "base: /dev/zero"), ["base", "not a regular file"]),
    "base: /etc/passwd": (sweep("base: ../baseline.yaml", "base: /etc/passwd"), ["base"]),
    "an empty sweep file": ("", ["mapping", "empty"]),
    "duplicate key": (sweep("replications: 1", "replications: 1\nreplications: 2"), ["'replications'", "twice"]),
}


@pytest.mark.parametrize("name", sorted(SWEEP_CASES))
def test_bad_sweep_is_one_clear_error(box, name):
    text, fragments = SWEEP_CASES[name]
    refused(prepare_sweep(box, text), *fragments)


def test_sweep_size_is_checked_before_any_point_is_built(box, monkeypatch):
    """A design of 10^15 points is refused by its count: building the points would never end."""
    import sim.experiments.sweep as sweep_module
    monkeypatch.setattr(sweep_module.itertools, "product", lambda *a: pytest.fail("points were built"))
    text, fragments = SWEEP_CASES["a grid of 10^15 points"]
    refused(prepare_sweep(box, text), *fragments)


def test_shipped_sweeps_pass_and_stay_within_the_limits():
    for path in sorted((ROOT / "configs" / "sweeps").glob("*.yaml")):
        spec, _ = load_spec(path)
        spec.check_size("sensitivity")
        if not path.name.startswith("assumptions_"):  # those are sensitivity files: no design of their own
            assert len(design_points(spec)) <= MAX_POINTS, path


# --------------------------------------------------------------------------- the engine at zero capacity


def test_nobody_rostered_in_the_horizon_is_a_closed_service():
    empty = StepFunction.from_events(np.array([]), np.array([]), 1000.0)
    assert empty.at(500.0) == 0 and empty.peak == 0 and empty.integral(0, 1000) == 0


@pytest.mark.parametrize("change", [
    # a practice only open on public holidays, in a week without any
    'roster: [{days: [holiday], start: "08:00", end: "17:00", count: 2}]',
    "roster: [{days: [mon], start: \"08:00\", end: \"17:00\", count: 1}], regular_load: 0.999999",
], ids=["holidays only", "regular_load 0.999999"])
def test_near_zero_capacity_runs_cleanly(box, change):
    text = mini('roster: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 2}]', change)
    sc = load(box, text + "pressures: {sickness_absence: 0.9999999, gp_capacity_factor: 1.0e-9}\n")()
    assert sc.region.start == dt.date(2025, 1, 6)  # no public holiday in its first week
    result = run_replication(sc, 0)
    assert len(result.tables.requests) > 0  # the requests came, and went somewhere or stayed open
    assert result.kpis["service.P1.capacity_hours_per_week"] < 1


# --------------------------------------------------------------------------- the real command line

GiB = 1024**3


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * GiB, 3 * GiB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# name: (command, where the document goes, document, extra arguments, --out given)
CLI_CASES = {
    "integer of 5,000 digits": ("run", "configs", mini("seed: 1", "seed: " + "9" * 5000), [], True),
    "extends: /dev/zero": ("run", "configs", "extends: /dev/zero\nscenario: x\n", [], True),
    "--weeks 600000": ("run", "configs", MINI, ["--weeks", "600000"], True),
    "alias bomb sweep": ("sweep", "configs/sweeps", SWEEP_CASES["alias bomb of 700 bytes"][0], ["--workers", "1"],
                         True),
    "scenario '..' without --out": ("run", "configs", mini("scenario: mini", 'scenario: ".."'), [], False),
}


@pytest.fixture(scope="module")
def cli_outcomes(tmp_path_factory):
    """Every CLI case at once (each its own process, 3 GB address space, 60 s at most)."""

    def one(name: str):
        command, where, text, extra, out = CLI_CASES[name]
        folder = tmp_path_factory.mktemp("cli")
        (folder / "configs" / "sweeps").mkdir(parents=True)
        (folder / "configs" / "baseline.yaml").write_bytes((ROOT / "configs" / "baseline.yaml").read_bytes())
        (folder / where / "doc.yaml").write_text(text, encoding="utf-8")
        before = _listing(folder)
        argv = [sys.executable, str(ROOT / "run_sim.py"), command, f"{where}/doc.yaml", *extra, "-q",
                *(["--out", "out"] if out else [])]
        t0 = time.perf_counter()
        proc = subprocess.run(argv, check=False, cwd=folder, capture_output=True, text=True, timeout=60, preexec_fn=_limits,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        written = sorted(p for p in _listing(folder) - before if not (p == "out" or p.startswith("out/")))
        return name, (proc, time.perf_counter() - t0, written)

    with ThreadPoolExecutor(len(CLI_CASES)) as pool:
        return dict(pool.map(one, CLI_CASES))


@pytest.mark.parametrize("name", list(CLI_CASES))
def test_command_line_prints_one_error_line_and_exits_2(cli_outcomes, name):
    proc, seconds, written = cli_outcomes[name]
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "doc.yaml" in lines[0], proc.stderr[:1000]
    assert len(proc.stderr) < MAX_MESSAGE, proc.stderr[:1000]
    assert not written, f"written outside --out: {written}"
    assert seconds < 20, f"{seconds:.1f} s"
