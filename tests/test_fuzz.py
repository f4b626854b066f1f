"""Fuzzing the input promise: hypothesis mutates valid scenario and sweep files (wrong
types, huge, negative, NaN and infinite numbers, 5,000-digit integers, long strings, NUL
bytes, odd dates, duplicate keys, alias bombs, odd `extends:` / `base:` paths, typos,
damaged bytes) and every mutated file must give either a valid scenario, which then runs a
week without error, or one clear ScenarioError naming the file: never another exception,
a hang or a memory blow-up.

Two generator families: the first (fuzzing.py) is modelled on our schema (a value where a
field is); the second (fuzzing_hostile.py) on a hostile user: byte-level damage to the
shipped files, every YAML 1.1 scalar form, every tag, Unicode digits and confusables,
`extends` chains that multiply depth, sweeps naming every field with wrong types.

Each document is checked in a forked child of the test process (the package already
imported, so a document costs milliseconds) with a time limit and an address-space limit,
so a hang or a runaway allocation fails the test instead of the machine.

    MGZ_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py   # more documents (default 120 + 80 hostile every day)
    MGZ_FUZZ_HOSTILE_EXAMPLES=500 pytest tests/test_fuzz.py   # more of the second family
    MGZ_FUZZ_MORE_EXAMPLES=5000 pytest -m slow tests/test_fuzz.py   # the full run's sample (1000 + 800 hostile)
    MGZ_FUZZ_HOSTILE_MORE_EXAMPLES=5000 pytest -m slow tests/test_fuzz.py
    MGZ_FUZZ_RANDOM=1                                  # a new random sample each run
    MGZ_FUZZ_CLI_EXAMPLES=50 pytest -m slow tests/test_fuzz.py   # through the real command line

The harness (seed documents, mutations, the forked check) is tests/fuzzing.py. Adapted
from the fuzzing campaign that found the bounds in docs/model.md, "Input bounds".
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings

from hypothesis import strategies as st

from .conftest import MINI, ROOT, region_configs
from .fuzzing import (
    MEMORY,
    TINY_SWEEP,
    Case,
    bomb_text,
    cases,
    check_document,
    judge,
    run_forked,
    scenario_seeds,
    sweep_seeds,
)
from .fuzzing_hostile import FAMILIES, examples_of, family_cases, hostile_cases

# The everyday run (pytest -m "not slow") checks 200 generated documents, the full run (CI)
# 1,800 more: 2,000 in all, 880 of them from the hostile family.
EXAMPLES = int(os.environ.get("MGZ_FUZZ_EXAMPLES", "120"))
HOSTILE_EXAMPLES = int(os.environ.get("MGZ_FUZZ_HOSTILE_EXAMPLES", "80"))
MORE_EXAMPLES = int(os.environ.get("MGZ_FUZZ_MORE_EXAMPLES", "1000"))  # the full run, on top
HOSTILE_MORE_EXAMPLES = int(os.environ.get("MGZ_FUZZ_HOSTILE_MORE_EXAMPLES", "800"))
CLI_EXAMPLES = int(os.environ.get("MGZ_FUZZ_CLI_EXAMPLES", "12"))
RANDOM = os.environ.get("MGZ_FUZZ_RANDOM", "") not in ("", "0")
@pytest.fixture(scope="module")
def sandbox():
    """A folder like the repository's (every small config, for `extends:` and `base:`), and
    this process warmed up: what the commands import lazily and cache (holiday tables, scipy)
    is loaded once here, not again in every forked child."""
    folder = Path(tempfile.mkdtemp(prefix="mgz-fuzz-"))
    (folder / "configs" / "sweeps").mkdir(parents=True)
    for path in (ROOT / "configs").glob("*.yaml"):
        if path.stat().st_size < 100_000 and path in region_configs():  # not the large region, not a country
            shutil.copyfile(path, folder / "configs" / path.name)
    for kind, seeds in (("scenario", scenario_seeds()), ("sweep", sweep_seeds())):
        for name, text in seeds.items():
            check_document(Case(kind, name, text.encode(), []), folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- the tests


def test_the_seed_documents_are_valid(sandbox):
    """The fuzzer mutates documents that work, so a refusal is the mutation's doing."""
    for kind, seeds in (("scenario", scenario_seeds()), ("sweep", sweep_seeds())):
        for name, text in seeds.items():
            outcome, detail, _ = run_forked(Case(kind, name, text.encode(), []), sandbox)
            assert outcome == "ok", (name, outcome, detail[-2000:])


def test_the_harness_catches_a_crash_and_a_hang(sandbox, monkeypatch):
    """The checks above can fail: a crash, a hang and a runaway allocation are each seen."""
    case = Case("scenario", "mini", MINI.encode(), [])
    for effect, expected in (("raise", "crash"), ("hang", "hang"), ("allocate", "memory")):
        def broken(*_a, effect=effect, **_k):
            if effect == "raise":
                raise IndexError("index -1 is out of bounds")
            if effect == "hang":
                time.sleep(60)
            return bytearray(2 * MEMORY)

        monkeypatch.setattr("sim.experiments.runner.run_replication", broken)
        outcome, _, _ = run_forked(case, sandbox, timeout=2)
        assert outcome == expected, (effect, outcome)


def _known(kind: str, text: str, what: str) -> Case:
    return Case(kind, "known", text.encode(), [what])


def _mini(old: str, new: str) -> str:
    assert old in MINI, old
    return MINI.replace(old, new, 1)


# The campaign's findings, checked on every run before the generated documents.
KNOWN = [
    _known("scenario", _mini("seed: 1", "seed: " + "9" * 5000), "a 5,000-digit seed"),
    _known("scenario", "extends: /dev/zero\nscenario: x\n", "extends /dev/zero"),
    _known("scenario", 'extends: "base\\0line.yaml"\nscenario: x\n', "extends with a NUL"),
    _known("scenario", _mini("residents: 24", "residents: 1.0e+12"), "residents 1e12"),
    _known("scenario", _mini("weeks: 1,", "start: 9999-12-06, weeks: 52,"), "start 9999-12-06"),
    _known("scenario", MINI + "pressures: {demand_growth: 1.0e+9}\n", "demand growth 1e9"),
    _known("scenario", _mini("residents: 24", "residents: 24, residents: 5000"), "a duplicate key"),
    _known("scenario", MINI + "description: " + bomb_text(9) + "\n", "an alias bomb"),
    _known("scenario", _mini("[mon, tue, wed, thu, fri]", "[holiday]"), "nobody on duty in the horizon"),
    _known("scenario", MINI + "pressures: {sickness_absence: 0.9999999}\n", "sickness absence 0.9999999"),
    _known("sweep", TINY_SWEEP.replace("[0.5, 0.7]", "{range: [0.5, 0.7], steps: 100000000}"), "steps 1e8"),
    _known("sweep", TINY_SWEEP.replace("design: grid", "design: list").replace(
        "practices[P1].regular_load: [0.5, 0.7]", "region.name:\n    - " + bomb_text(3)), "a small alias bomb"),
]


def _with_known(test):
    for case in KNOWN:
        test = example(case=case)(test)
    return test


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
@_with_known
@given(case=cases())
def test_mutated_documents_give_a_scenario_or_one_clear_error(sandbox, case):
    outcome, detail, _ = run_forked(case, sandbox)
    judge(case, outcome, detail)


@pytest.mark.slow
@settings(max_examples=MORE_EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
          suppress_health_check=list(HealthCheck), phases=[Phase.generate])
@given(case=cases())
def test_more_mutated_documents_in_the_full_run(sandbox, case):
    """The same property over a larger sample (a different one: hypothesis draws it from the
    test's own name), in the full run that CI makes."""
    outcome, detail, _ = run_forked(case, sandbox)
    judge(case, outcome, detail)


# --------------------------------------------------------------------------- the hostile family


def _deep_behind_anchors(levels: int, links: int) -> str:
    text = "{a: " * levels + "{z: 1}" + "}" * levels
    for i in range(1, links):
        text = "{a: " * levels + f"&x{i - 1} " + text + "}" * levels
    return f"  q: {text}\n" + "".join(f"  r{i}: *x{i}\n" for i in reversed(range(links - 1)))


# The independent fuzzer's findings (issue 24), checked on every run before the generated ones.
KNOWN_HOSTILE = [
    _known("scenario", MINI + 'set: {"locations[²].residents": 5}\n', "a set index written as a superscript"),
    _known("scenario", _mini("seed: 1", "seed: 0x_"), "a YAML 1.1 hexadecimal with nothing after"),
    _known("scenario", _mini("seed: 1", "seed: 0b_"), "a YAML 1.1 binary with nothing after"),
    _known("scenario", MINI + "x: !!timestamp 2025-13-01\n", "a timestamp tag, month 13"),
    _known("scenario", MINI + "x: !!timestamp 0000-01-01\n", "a timestamp tag, year 0"),
    _known("scenario", MINI + "x: !!bool\n", "an empty bool tag (KeyError '')"),
    _known("scenario", MINI + 'x: !!int ""\n', "an empty int tag (IndexError)"),
    _known("scenario", MINI + "calendar: {holidays: {country: utils}}\n", "country 'utils'"),
    _known("scenario", _mini("weeks: 1,", "weeks: 1, start: 0000-01-01,"), "start in year 0"),
    _known("scenario", MINI + "demand:\n  extra:\n" + _deep_behind_anchors(40, 24).replace("  ", "    "),
           "nesting hidden behind anchors"),
]


@pytest.mark.parametrize("case", KNOWN_HOSTILE, ids=[c.mutations[0] for c in KNOWN_HOSTILE])
def test_the_independent_fuzzers_findings(sandbox, case):
    outcome, detail, _ = run_forked(case, sandbox)
    judge(case, outcome, detail)


def _check_family(sandbox: Path, family: str, examples: int, name: str) -> None:
    """`examples` documents of one generator, each checked like the first family's."""

    @settings(max_examples=examples, deadline=None, database=None, derandomize=not RANDOM,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(case=family_cases(family))
    def check(case: Case) -> None:
        outcome, detail, _ = run_forked(case, sandbox)
        judge(case, outcome, detail)

    check.__name__ = check.__qualname__ = name  # hypothesis draws a different sample per name
    check()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_hostile_documents_give_a_scenario_or_one_clear_error(sandbox, family):
    _check_family(sandbox, family, examples_of(family, HOSTILE_EXAMPLES), f"everyday_{family}")


@pytest.mark.slow
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_more_hostile_documents_in_the_full_run(sandbox, family):
    _check_family(sandbox, family, examples_of(family, HOSTILE_MORE_EXAMPLES), f"full_{family}")


def test_the_hostile_family_draws_documents_that_pass_too(sandbox):
    """Not every document of the family is refused (a generator whose every document fails
    to parse would test only the parser): some of each damaged kind are valid and run."""
    from hypothesis import find
    for family in ("yaml11", "unicode", "bytes", "scale"):
        find(family_cases(family), lambda c: run_forked(c, sandbox)[0] == "ok",
             settings=settings(database=None, max_examples=200, phases=[Phase.generate],
                               suppress_health_check=list(HealthCheck)))


# --------------------------------------------------------------------------- through the command line


@pytest.mark.slow
@settings(max_examples=CLI_EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
          suppress_health_check=list(HealthCheck), phases=[Phase.generate])
@given(case=st.one_of(cases(), hostile_cases(tuple(f for f in FAMILIES if f != "scale"))))  # a large region: slow
def test_the_command_line_exits_0_or_2_with_one_error(sandbox, case):
    """What a user runs: a fresh `run_sim.py run|sweep` per document, 3 GB, 120 s; exit 0, or 2
    with 'error: ...' naming the file; no traceback; nothing written outside --out. Valid sweeps
    and large valid scenarios are left to the test above (they would only take long)."""
    outcome, detail, _ = run_forked(case, sandbox)
    assume(outcome != "ok" or (case.kind == "scenario" and detail != "large"))
    assume(outcome != "ok" or not case.mutations[0].startswith("["))  # a valid hostile one ran a week above
    folder = Path(tempfile.mkdtemp(prefix="mgz-cli-", dir=sandbox))
    try:
        shutil.copytree(sandbox / "configs", folder / "configs", ignore=shutil.ignore_patterns("doc.yaml"))
        rel = "configs/sweeps/doc.yaml" if case.kind == "sweep" else "configs/doc.yaml"
        for name, data in case.files.items():
            (folder / "configs" / name).write_bytes(data)
        (folder / rel).write_bytes(case.text)
        argv = ([case.kind, rel, "--workers", "1"] if case.kind == "sweep" else ["run", rel, "--weeks", "1"])
        before = {p for p in folder.rglob("*")}

        def limits() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), *argv, "--out", "out", "-q"], check=False, cwd=folder,
                              capture_output=True, text=True, timeout=120, preexec_fn=limits,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        stray = [str(p.relative_to(folder)) for p in set(folder.rglob("*")) - before
                 if not str(p.relative_to(folder)).startswith("out")]
        where = f"\n{case.describe()}\n{proc.stderr[-2000:]}"
        assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, where
        assert proc.returncode in (0, 2), f"exit {proc.returncode}{where}"
        if proc.returncode == 2:
            judge(case, "error", proc.stderr.strip().removeprefix("error: "))
        assert not stray, f"written outside --out: {stray}{where}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
