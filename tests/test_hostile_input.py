"""What an independent fuzzer found (issue 24), each case a regression test: user text that
reached a library call (the YAML loader's constructors, int() after str.isdigit(), getattr
on the holidays package, recursion in merging) before our own checks, and a run size the
calendar fooled. Every case goes through the command line's top level in this process
(`main`, as `mgz-sim run` does): exit code 2 and one line on stderr naming the file; a few
also in a real process. Where mgz-sim itself still fails, the catch-all says so in one line
with a log file, never a traceback (the last tests here).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main

from .conftest import MINI, ROOT

QUICK = 5.0  # seconds: a refusal comes at once


def _mini(old: str, new: str) -> str:
    assert old in MINI, old
    return MINI.replace(old, new, 1)


# MINI with its region written in block style, so a value can be any YAML at all
BLOCK = _mini("region: {name: Mini, inhabitants: 20000, weeks: 1, warmup_weeks: 0, seed: 1}\n",
              "region:\n  name: Mini\n  inhabitants: 20000\n  weeks: 1\n  warmup_weeks: 0\n  seed: 1\n")


def block(field: str, value: str) -> str:
    """BLOCK with region.<field> (or pressures.<field>) written as `value`, verbatim."""
    if field in ("name", "inhabitants", "weeks", "warmup_weeks", "seed", "start"):
        text = re.sub(rf"^  {field}: .*$", "", BLOCK, flags=re.M) if f"  {field}:" in BLOCK else BLOCK
        return text.replace("region:\n", f"region:\n  {field}: {value}\n", 1)
    return BLOCK + f"pressures:\n  {field}: {value}\n"


def run_cli(tmp_path: Path, capsys, text: str | bytes, *extra: str, name: str = "doc.yaml") -> tuple[int, str]:
    """`mgz-sim run FILE` in this process: (exit code, stderr)."""
    (tmp_path / "configs").mkdir(exist_ok=True)
    path = tmp_path / "configs" / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    for parent in ("baseline.yaml",):
        target = tmp_path / "configs" / parent
        if not target.exists():
            target.write_bytes((ROOT / "configs" / parent).read_bytes())
    capsys.readouterr()
    t0 = time.perf_counter()
    code = main(["run", str(path), "--weeks", "1", "-q", "--out", str(tmp_path / "out"), *extra])
    assert time.perf_counter() - t0 < QUICK + 10
    return code, capsys.readouterr().err


def one_clear_line(code: int, err: str, *fragments: str, source: str = "doc.yaml") -> str:
    lines = err.strip().splitlines()
    assert code == 2, (code, err[-3000:])
    assert len(lines) == 1 and lines[0].startswith("error: "), err[-3000:]
    assert "Traceback" not in err and "bug in mgz-sim" not in err, err
    assert source in lines[0], lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


# --------------------------------------------------------------------------- the loader's own forms

# name: (document, fragments of the one line)
CASES: dict[str, tuple[str, list[str]]] = {
    # `set:` indices: str.isdigit() said yes, int() said no
    "set index written as a superscript": (MINI + 'set: {"locations[²].residents": 5}\n', ["set", "'²'"]),
    "set index in Arabic-Indic digits": (MINI + 'set: {"locations[٣].residents": 5}\n', ["set", "'٣'"]),
    "set index as a circled digit": (MINI + 'set: {"locations[①].residents": 5}\n', ["set", "'①'"]),
    "set index in full-width digits": (MINI + 'set: {"locations[１].residents": 5}\n', ["set", "'１'"]),
    "set index of 40 digits": (MINI + 'set: {"locations[' + "9" * 40 + '].residents": 5}\n', ["set", "no item"]),
    "set path of 2,000 parts": (MINI + 'set:\n  ? "' + ".".join(["a"] * 2000) + '"\n  : 5\n', ["set", "at most 50"]),
    # YAML 1.1 integer forms: text now, which the schema refuses where a number belongs
    "0x with nothing after": (block("seed", "0x"), ["region.seed", "valid integer", "'0x'"]),
    "0b with nothing after": (block("seed", "0b"), ["region.seed", "valid integer", "'0b'"]),
    "0o with nothing after": (block("seed", "0o"), ["region.seed", "valid integer", "'0o'"]),
    "0x_": (block("seed", "0x_"), ["region.seed", "'0x_'"]),
    "0b_": (block("seed", "0b_"), ["region.seed", "'0b_'"]),
    "-0x_": (block("seed", "-0x_"), ["region.seed", "'-0x_'"]),
    "a lone plus": (block("seed", "+"), ["region.seed", "'+'"]),
    "a lone minus": (block("seed", "-"), ["line 3", "YAML syntax error"]),
    "a lone minus in a flow mapping": (_mini("seed: 1", "seed: -"), ["region.seed", "'-'"]),
    "sexagesimal 190:20:30": (block("seed", "190:20:30"), ["region.seed", "'190:20:30'"]),
    "sexagesimal 1:": (block("weeks", "1:"), ["line 3"]),
    "hexadecimal growth": (block("demand_growth", "0x1F"), ["pressures.demand_growth", "'0x1F'"]),
    "a float of 5,000 digits": (block("demand_growth", "1" * 5000 + ".5"), ["5,001 digits", "more than 30"]),
    # dates: text for the schema, never a timestamp the loader builds first
    "start in year 0": (block("start", "0000-01-01"), ["region.start", "year 0 is out of range"]),
    "start in month 13": (block("start", "2025-13-01"), ["region.start", "month", "'2025-13-01'"]),
    "start on 30 February": (block("start", "2025-02-30"), ["region.start", "'2025-02-30'"]),
    "start in the year 10000": (block("start", "10000-01-01"), ["region.start", "'10000-01-01'"]),
    "start with a time of day": (block("start", "2025-01-06T10:30:00"), ["region.start"]),
    "start as a timestamp with a zone": (block("start", "2025-01-06 10:00:00+05:00"), ["region.start"]),
    "an extra holiday in year 0": (MINI + "calendar: {holidays: {extra: [0000-01-01]}}\n",
                                   ["calendar.holidays.extra[0]", "year 0"]),
    # explicit tags: every one a clear error naming the line
    "!!timestamp in month 13": (MINI + "x: !!timestamp 2025-13-01\n", ["line 7", "'!!timestamp'"]),
    "!!timestamp in year 0": (MINI + "x: !!timestamp 0000-01-01\n", ["line 7", "'!!timestamp'"]),
    "!!int of nothing": (block("seed", '!!int ""'), ["line 3", "'!!int'"]),
    "!!int of a sign": (block("seed", '!!int "-"'), ["line 3", "'!!int'"]),
    "!!float of nothing": (block("demand_growth", '!!float ""'), ["'!!float'"]),
    "!!bool of nothing": (block("demand_growth", "!!bool"), ["'!!bool'"]),
    "!!bool of a word": (block("demand_growth", "!!bool maybe"), ["'!!bool'"]),
    "!!null of a word": (block("demand_growth", "!!null x"), ["'!!null'"]),
    "!!str": (block("name", "!!str Mini"), ["line 3", "'!!str'"]),
    "!!binary": (block("name", "!!binary aGVsbG8="), ["'!!binary'"]),
    "!!set": (MINI + "description: !!set {a, b}\n", ["line 7", "'!!set'"]),
    "!!omap": (MINI + "description: !!omap [a: 1]\n", ["line 7", "'!!omap'"]),
    "!!pairs": (MINI + "description: !!pairs [a: 1]\n", ["line 7", "'!!pairs'"]),
    "!!map on a list": (MINI + "description: !!map [1]\n", ["line 7", "'!!map'"]),
    "!!merge": (MINI + "description: !!merge x\n", ["line 7", "'!!merge'"]),
    "!!python/object/apply": (MINI + "description: !!python/object/apply:os.system [echo x]\n",
                              ["line 7", "!!python/object/apply:os.system"]),
    "!!python/name as a key": (MINI + "? !!python/name:os.system\n: 1\n", ["line 7", "!!python/name:os.system"]),
    "a local tag": (MINI + "description: !mine x\n", ["line 7", "'!mine'"]),
    "a verbatim tag": (MINI + "description: !<tag:yaml.org,2002:int> 5\n", ["line 7", "'!!int'"]),
    "a merge key": (MINI + "base: &b {en: a, nl: b}\ndescription: {<<: *b}\n", ["line 8", "merge key"]),
    "a list as a key": (MINI + "? [a, b]\n: 1\n", ["line 7", "a key must be a text or a number"]),
    # the holidays package: a code is checked against its list, never looked up as a name in it
    "country 'utils'": (MINI + "calendar: {holidays: {country: utils}}\n",
                        ["calendar.holidays.country", "unknown country code 'utils'"]),
    "country 'country_holidays'": (MINI + "calendar: {holidays: {country: country_holidays}}\n",
                                   ["calendar.holidays.country", "'country_holidays'"]),
    "country 'HolidayBase'": (MINI + "calendar: {holidays: {country: HolidayBase}}\n",
                              ["calendar.holidays.country", "'HolidayBase'"]),
    "country '__name__'": (MINI + "calendar: {holidays: {country: __name__}}\n",
                           ["calendar.holidays.country", "'__name__'"]),
    "country 'financial'": (MINI + "calendar: {holidays: {country: financial}}\n",
                            ["calendar.holidays.country", "'financial'"]),
}


def _deep_by_aliases(levels_each: int, links: int, key: str = "a") -> str:
    """Mappings nested levels_each x links deep by aliases of aliases, each on one short
    line that nests only `levels_each` levels: no single piece is deeper than the limit."""
    lines = [f"  r0: &r0 " + f"{{{key}: " * levels_each + "{z: 1}" + "}" * levels_each]
    lines += [f"  r{i}: &r{i} " + f"{{{key}: " * levels_each + f"*r{i - 1}" + "}" * levels_each
              for i in range(1, links)]
    return "\n".join(lines)


def _deep_behind_anchors(levels_each: int, links: int, key: str = "a") -> str:
    """What got past the old check: a mapping written levels_each x links deep, cut into
    pieces by anchors, each piece first reached through a shallow alias further down (the
    check walks later keys first, and did not measure a piece it had measured before)."""
    text = f"{{{key}: " * levels_each + "{z: 1}" + "}" * levels_each
    for i in range(1, links):
        text = f"{{{key}: " * levels_each + f"&x{i - 1} " + text + "}" * levels_each
    lines = [f"  q: {text}"] + [f"  r{i}: *x{i}" for i in reversed(range(links - 1))]
    return "\n".join(lines)


def _depth(node) -> int:
    depth = 0
    while isinstance(node, dict) and node:
        node, depth = next(iter(node.values())), depth + 1
    return depth


def test_the_helpers_build_yaml_that_deep():
    import yaml
    assert _depth(yaml.safe_load("x:\n" + _deep_by_aliases(3, 3))["x"]["r2"]) == 10
    assert _depth(yaml.safe_load("x:\n" + _deep_behind_anchors(3, 4))["x"]["q"]) == 13


CASES.update({
    # nesting under the limit in each file, multiplied by aliases and merged through extends
    "nesting multiplied by aliases": (MINI + "defs:\n" + _deep_by_aliases(40, 30) + "\n",
                                      ["nested more than 50 levels deep"]),
    "nesting hidden behind anchors": (MINI + "defs:\n" + _deep_behind_anchors(40, 24) + "\n",
                                      ["nested more than 50 levels deep once its aliases are expanded"]),
})


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_file_is_one_clear_line_and_exit_2(tmp_path, capsys, name):
    text, fragments = CASES[name]
    code, err = run_cli(tmp_path, capsys, text)
    one_clear_line(code, err, *fragments)


def test_deep_data_merged_through_extends_is_refused_not_a_recursion_error(tmp_path, capsys):
    """Parent and child each nest the same keys 960 deep behind anchors; merging them
    recursed past Python's stack. The loader now measures nesting with aliases expanded,
    and merging is iterative (below)."""
    pieces = "\n".join("  " + line for line in _deep_behind_anchors(40, 24).splitlines())
    deep = "demand:\n  extra:\n" + pieces + "\n"
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "parent.yaml").write_text(MINI + deep, encoding="utf-8")
    code, err = run_cli(tmp_path, capsys, "extends: parent.yaml\nscenario: child\n" + deep)
    one_clear_line(code, err, "nested more than 50 levels")


def test_deep_merge_is_iterative_and_leaves_both_sides_alone():
    from sim.scenario.extends import deep_merge
    base: dict = {}
    over: dict = {}
    b, o = base, over
    for _ in range(20_000):  # far past Python's recursion limit
        b["a"], o["a"] = {"keep": 1}, {"new": 2}
        b, o = b["a"], o["a"]
    merged = deep_merge(base, over)
    node, depth = merged, 0
    while "a" in node:
        assert node["a"].get("keep") == 1 and node["a"].get("new") == 2
        node, depth = node["a"], depth + 1
    assert depth == 20_000
    assert "new" not in base["a"] and "keep" not in over["a"]


def test_the_unicode_digits_are_ids_and_an_ascii_index_still_works(tmp_path):
    from sim.scenario.extends import set_path
    data = {"locations": [{"id": "L1", "residents": 1}, {"id": "²", "residents": 2}]}
    set_path(data, "locations[1].residents", 5)
    set_path(data, "locations[-1].residents", 6)
    set_path(data, "locations[²].residents", 7)  # an id like any other
    assert data["locations"][1]["residents"] == 7


# --------------------------------------------------------------------------- YAML 1.2 core, as editors read it

@pytest.mark.parametrize("written, value", [
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("NO", "NO"), ("y", "y"),  # text (1.1 read booleans)
    ("0x1F", "0x1F"), ("0o17", "0o17"), ("0b101", "0b101"), ("1_000", "1_000"), ("190:20:30", "190:20:30"),
    ("2025-01-06", "2025-01-06"), ("2025-01-06 10:00:00", "2025-01-06 10:00:00"), ("=", "="),
    ("true", True), ("False", False), ("TRUE", True), ("null", None), ("~", None), ("", None),
    ("017", 17), ("-5", -5), ("+5", 5), ("1e3", 1000.0), ("1.5", 1.5), (".5", 0.5), ("1.", 1.0),
    ("'5'", "5"), ('"true"', "true"), ("|\n  5\n", "5\n"),
])
def test_plain_values_follow_yaml_1_2_core(written, value):
    from sim.scenario.yaml_reading import read_yaml
    _, data = read_yaml(f"x: {written}\n", "t.yaml")
    assert data["x"] == value and type(data["x"]) is type(value), (written, data["x"])


def test_special_floats_and_their_refusal_by_the_schema():
    import math

    from sim.scenario.yaml_reading import read_yaml
    _, data = read_yaml("a: .inf\nb: -.INF\nc: .nan\n", "t.yaml")
    assert data["a"] == math.inf and data["b"] == -math.inf and math.isnan(data["c"])


def test_the_resolved_scenario_quotes_text_that_yaml_would_read_otherwise(tmp_path):
    """A location id '1e3' or a name 'yes' stays text when the resolved scenario.yaml is read
    back, by us (YAML 1.2) or by any YAML 1.1 reader."""
    import yaml

    from sim.scenario.loading import dump_scenario, load_scenario, parse_scenario
    text = _mini("id: L1,", "id: '1e3',").replace("name: Mini", "name: 'yes'").replace("scenario: mini",
                                                                                       "scenario: '0x10'")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    sc = load_scenario(path)
    dumped = dump_scenario(sc)
    again = parse_scenario(dumped, "resolved.yaml")
    assert again.locations[0].id == "1e3" and again.region.name == "yes" and again.scenario == "0x10"
    old = yaml.safe_load(dumped)  # a YAML 1.1 reader
    assert old["locations"][0]["id"] == "1e3" and old["region"]["name"] == "yes"


def test_anchors_and_aliases_still_work(tmp_path, capsys):
    """The shipped large region uses them (a roster's days): each alias is its own copy."""
    from sim.scenario.yaml_reading import read_yaml
    _, data = read_yaml("a: &d [mon, tue]\nb: *d\n", "t.yaml")
    assert data == {"a": ["mon", "tue"], "b": ["mon", "tue"]} and data["a"] is not data["b"]


def test_a_key_written_once_plain_and_once_quoted_is_a_duplicate(tmp_path, capsys):
    code, err = run_cli(tmp_path, capsys, MINI + "seed_note: 1\n'seed_note': 2\n")
    one_clear_line(code, err, "line 7", "written twice")


def test_the_non_specific_tag_is_the_plain_value_it_marks():
    """`! x` (YAML's non-specific tag) says no more than 'a plain value': read as one."""
    from sim.scenario.yaml_reading import read_yaml
    assert read_yaml("a: ! x\n", "t.yaml")[1] == {"a": "x"}


# --------------------------------------------------------------------------- a real process


REAL = {
    "set index ²": MINI + 'set: {"locations[²].residents": 5}\n',
    "!!timestamp 2025-13-01": MINI + "x: !!timestamp 2025-13-01\n",
    "country utils": MINI + "calendar: {holidays: {country: utils}}\n",
    "nesting hidden behind anchors": MINI + "defs:\n" + _deep_behind_anchors(40, 24) + "\n",
    "!!int of nothing": block("seed", '!!int ""'),
}


@pytest.mark.slow
def test_in_a_real_process_each_is_one_line_and_exit_2(tmp_path):
    procs = {}
    for k, (name, text) in enumerate(REAL.items()):
        (tmp_path / f"doc{k}.yaml").write_text(text, encoding="utf-8")
        procs[name] = subprocess.Popen([sys.executable, str(ROOT / "run_sim.py"), "run", f"doc{k}.yaml", "-q",
                                        "--out", "out"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=60)
        lines = err.strip().splitlines()
        assert proc.returncode == 2, (name, proc.returncode, err[-2000:])
        assert len(lines) == 1 and lines[0].startswith("error: doc") and "Traceback" not in err, (name, err[-2000:])
    assert not (tmp_path / "out").exists()


def test_every_file_mgz_sim_writes_reads_back_the_same():
    """What mgz-sim writes as YAML (a resolved scenario, an imported region, a calibrated
    demand block, an experiment's scenario) goes through one dumper that quotes any text a
    YAML 1.2 reader would take for a number or true/false: an AGB code '01234568' stays text."""
    import yaml

    from sim.scenario import plain_yaml
    from sim.scenario.yaml_reading import read_yaml
    data = {"agb": "01234568", "id": "1e3", "name": "yes", "hex": "0x1F", "n": 5, "x": 1.5, "ok": True, "none": None,
            "nested": [{"id": "017"}, "2025-01-06", "~", "<<"]}
    for options in ({}, {"default_flow_style": True}):
        text = plain_yaml.dump(data, **options)
        assert read_yaml(text, "t.yaml")[1] == data, text
        assert yaml.safe_load(text) == data, text  # and a YAML 1.1 reader
