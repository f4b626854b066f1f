"""The fuzzing harness of tests/test_fuzz.py: seed documents that work, nasty values, the
mutations hypothesis draws from them (Case, cases()), and the check of one document in a
forked child with a time and a memory limit (run_forked) and its verdict (judge).

    MGZ_FUZZ_TIMEOUT=20        seconds per document
    MGZ_FUZZ_MEMORY_GB=3       address space per document, on top of what the tests hold
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
import resource
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from .conftest import MINI, ROOT

TIMEOUT = float(os.environ.get("MGZ_FUZZ_TIMEOUT", "20"))  # seconds per document
MEMORY = int(float(os.environ.get("MGZ_FUZZ_MEMORY_GB", "3")) * 1024**3)  # on top of what the tests hold
MAX_LINES = 9  # at most 8 problems and a '... and N more problems' line
WEEK_REQUESTS = 20_000  # a valid scenario runs a week if it has fewer requests (~1 s); Regio Voorbeeld has 800
MAX_LINE = 500  # characters

SEED_CONFIGS = ["baseline.yaml", "c_voorwacht.yaml", "d_compact_behandelteam.yaml"]

# --------------------------------------------------------------------------- seed documents


SMALL_FULL = """\
scenario: small
description: every kind of block, small
region: {name: Klein, start: 2025-01-06, inhabitants: 20000, weeks: 1, warmup_weeks: 0, seed: 7}
calendar: {office_start: "08:00", office_end: "17:00", evening_end: "23:00", holidays: {country: NL, extra: [2025-01-07]}}
demand:
  rate_per_resident_week: {kleinschalig: 0.2, verpleeghuis: 0.2}
  frailty_shape: 1.0
  urgency_mix: {U1: 0.01, U2: 0.03, U3: 0.10, U4: 0.30, U5: 0.56}
practices:
  - {id: P1, regular_load: 0.8, durations: {telephone: {mean: 8}, consult: {mean: 15, cv: 0.5}, visit: {dist: gamma, mean: 25}}}
  - {id: P2, waarneming: P1, roster: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 1}]}
spoedpost:
  doctors: [{days: [mon, tue, wed, thu, fri], start: "17:00", end: "08:00", count: 1}, {days: [sat, sun, holiday], start: "08:00", end: "08:00", count: 1}]
behandeldiensten:
  - {id: BD, discipline: so}
services:
  - {id: VOORWACHT, type: voorwacht, resolves: {U4: 0.3, U5: 0.5}}
  - {id: SEH, type: seh}
routes:
  - {name: day, match: {behandeling: false, period: [office]}, steps: [VOORWACHT, gp]}
pressures: {demand_growth: 0.1, sickness_absence: 0.05, gp_capacity_factor: 0.9}
norms: {U1: 15, U2: 60}
locations:
  - {id: A, kind: kleinschalig, residents: 20, practice: P1, travel_min_practice: 5}
  - {id: B, kind: geclusterd, sector: GGZ, residents: 30, practice: {P1: 0.5, P2: 0.5}}
  - {id: C, kind: verpleeghuis, residents: 60, behandeling: true, behandeldienst: BD}
"""

SET_CHILD = """\
extends: baseline.yaml
scenario: kind
set:
  spoedpost.doctors[0].count: 1
  practices[P1].regular_load: 0.7
  region.warmup_weeks: 0
"""

TINY_SWEEP = """\
name: tiny
base: ../baseline.yaml
replications: 1
weeks: 1
design: grid
kpis: [handled.gp.wlz_per_week, service.P1.utilisation]
parameters:
  practices[P1].regular_load: [0.5, 0.7]
"""


def _config(name: str) -> str:
    return (ROOT / "configs" / name).read_text(encoding="utf-8")


def scenario_seeds() -> dict[str, str]:
    return {"mini": MINI, "small_full": SMALL_FULL, "set_child": SET_CHILD,
            **{name[:-5]: _config(name) for name in SEED_CONFIGS}}


def _shrunk(data: dict[str, Any]) -> dict[str, Any]:
    """A shipped sweep file made cheap to check: few points."""
    data = {**data, "replications": 1, "weeks": 1}
    if data.get("design") in ("lhs", "sobol"):
        data["samples"] = 4
    params = {}
    for path, p in list(data.get("parameters", {}).items())[:3]:
        params[path] = p[:2] if isinstance(p, list) else {**p, "steps": 2} if isinstance(p, dict) else p
    data["parameters"] = params
    return data


def sweep_seeds() -> dict[str, str]:
    out = {"tiny": TINY_SWEEP}
    for f in sorted((ROOT / "configs" / "sweeps").glob("*.yaml"))[-3:]:
        out[f.stem] = yaml.safe_dump(_shrunk(yaml.safe_load(f.read_text(encoding="utf-8"))), sort_keys=False)
    return out


# --------------------------------------------------------------------------- nasty values


def bomb_text(levels: int) -> str:
    """A 'billion laughs' mapping: x<k> expands to 9**(k+1) strings."""
    inner = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
        f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "{" + ", ".join(inner) + "}"


# Text put into the YAML as it is (a YAML dumper cannot write these itself).
RAW = {
    "@@BIGINT@@": "9" * 5000, "@@NEGBIGINT@@": "-" + "9" * 5000, "@@E12@@": "1.0e+12", "@@E9@@": "1.0e+9",
    "@@DATE_MAX@@": "9999-12-06", "@@DATE_MIN@@": "0001-01-01", "@@DATE_BAD@@": "2025-02-30", "@@NAN@@": ".nan",
    "@@INF@@": ".inf", "@@NEGINF@@": "-.inf", "@@NUL@@": '"a\\0b"', "@@HEXINT@@": "0x7fffffffffffffffffff",
    "@@SEXA@@": "190:20:30", "@@MERGE@@": "{<<: {a: 1}}", "@@TAGGED@@": "!!python/object/apply:os.system [echo x]",
    "@@BINARY@@": "!!binary aGVsbG8=", "@@SET@@": "!!set {a, b}", "@@SELF@@": "&self [*self]",
    **{f"@@BOMB{lv}@@": bomb_text(lv) for lv in (3, 5, 9)},
}

ODD_PATHS = ["baseline.yaml", "../baseline.yaml", "doc.yaml", "./doc.yaml", "", ".", "..", "/", "../configs",
             "sweeps", "/dev/zero", "/dev/null", "/etc/passwd", "/proc/self/status", "a" * 300 + ".yaml",
             "x/" * 200 + "a.yaml", "base\0line.yaml", "nonexistent.yaml", "~/baseline.yaml", " baseline.yaml",
             "baseline.yaml\n", "../../../../../../tmp"]
NAMES = ["..", ".", "...", "a/b", "ok-name", "", " ", "a" * 300, "naïve", "x\0y", "-", "--out", "CON", "a b"]

FIXED = [
    0, -1, 1, 2, -0.0, 0.5, 0.9999999, 1.0000001, 1e-300, 1e300, 1e9, 1e12, 10**7, 10**12, 2**63, 2**64 + 1,
    600000, 10**8, float("nan"), float("inf"), float("-inf"), True, False, None, "", " ", "yes", "null", "NaN",
    "1e12", "24:00", "25:61", "08:00", "9999-12-06", "2025-13-01", "..", "\t", "\u0000", "\ufeff", "é" * 10,
    "x" * 300, "x" * 100_000, "%s%n{0}", "U1", "gp", "hap", "P1", "L1", [], {}, [None], {"a": None}, [[[]]],
    ["U1"] * 50,
] + list(RAW)


def nasty_scalars() -> st.SearchStrategy[Any]:
    fixed = st.sampled_from(FIXED)
    return st.one_of(fixed, fixed, fixed,
                     st.integers(min_value=-(10**20), max_value=10**20),
                     st.integers(min_value=-5, max_value=200),
                     st.floats(allow_nan=True, allow_infinity=True),
                     st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
                     st.sampled_from(ODD_PATHS + NAMES))


def nasty_values() -> st.SearchStrategy[Any]:
    return st.recursive(nasty_scalars(), lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=6)


SCENARIO_PATHS = [
    "scenario", "description", "extends", "region", "region.seed", "region.weeks", "region.warmup_weeks",
    "region.start", "region.inhabitants", "region.name", "calendar.office_start", "calendar.office_end",
    "calendar.evening_end", "calendar.holidays.country", "calendar.holidays.exclude", "calendar.holidays.extra",
    "demand.rate_per_resident_week.kleinschalig", "demand.sector_factor.VV", "demand.frailty_shape",
    "demand.frailty_normalise", "demand.urgency_mix.U1", "demand.urgency_mix", "demand.modality_mix.U2.visit",
    "demand.office_share", "demand.profile.weekday", "demand.profile.day_factor", "practices",
    "practices[0].roster[0].count", "practices[0].roster[0].start", "practices[0].roster[0].end",
    "practices[0].roster[0].days", "practices[0].roster", "practices[0].regular_load",
    "practices[0].regular_load_anw", "practices[0].fte_hours_per_week", "practices[0].planned_cutoff",
    "practices[0].durations.visit.mean", "practices[0].durations.visit.cv", "practices[0].durations.visit.dist",
    "practices[0].waarneming", "practices[0].id", "locations", "locations[0]", "locations[0].residents",
    "locations[0].travel_min_practice", "locations[0].travel_min_hap", "locations[0].practice",
    "locations[0].kind", "locations[0].id", "locations[0].rate_per_resident_week", "locations[0].behandeling",
    "locations[0].spoedpost", "spoedpost.inhabitants", "spoedpost.doctors[0].count", "spoedpost.cars",
    "spoedpost.triage.duration.mean", "spoedpost.background.contacts_per_1000_year", "spoedposten",
    "behandeldiensten", "services", "routes", "routes[0].steps", "baseline_fallback", "pressures.demand_growth",
    "pressures.sickness_absence", "pressures.gp_capacity_factor", "pressures.seh_referral.U1", "norms.U1",
    "norms.settled_without_physician", "set", "set.region.seed",
]
SWEEP_PATHS = ["name", "base", "reference", "description", "replications", "weeks", "kpis", "design", "samples",
               "seed", "method", "trajectories", "levels", "parameters"]

# Values that matter for one field: the known-bad inputs and their neighbours.
TARGETED: dict[str, list[Any]] = {
    "region.seed": ["@@BIGINT@@", -1, 2**64, 2**200, "7", 1.5],
    "region.weeks": [600000, 0, 10**9, "@@BIGINT@@", 1.5, 520, 521],
    "region.warmup_weeks": [600000, -1, 520],
    "region.start": ["@@DATE_MAX@@", "@@DATE_MIN@@", "@@DATE_BAD@@", "9999-12-31", "2199-12-24", "1900-01-01",
                     "2025-1-6", 20250106],
    "region.inhabitants": [10**12, 10**9, 1, 0, "@@E12@@", 20_000_000],
    "locations[0].residents": [10**12, 10**7, "@@E12@@", 0, -5, 1, 100000, 100001, "@@BIGINT@@"],
    "locations[0].travel_min_practice": [1e9, "@@INF@@", "@@NAN@@", -1, 1440],
    "locations[0].rate_per_resident_week": [1e9, 1e-12, "@@INF@@", "@@NAN@@", 50],
    "pressures.demand_growth": [1e9, "@@E9@@", "@@INF@@", "@@NAN@@", 10, -0.1],
    "pressures.sickness_absence": [0.9999999, 0.999999, 1, "@@NAN@@"],
    "pressures.gp_capacity_factor": [1e-12, "@@NAN@@", 1e-300],
    "practices[0].regular_load": [0.999999, 0.9999999, "@@NAN@@"],
    "practices[0].regular_load_anw": [0.999999, 0.9999999999],
    "practices[0].roster": [[{"days": ["holiday"], "start": "08:00", "end": "17:00", "count": 1}],
                            [{"days": ["sat"], "start": "00:00", "end": "00:00", "count": 1}]],
    "practices[0].roster[0].count": [10**7, "@@BIGINT@@", 0, 1000],
    "spoedpost.doctors[0].count": [10**7, 0],
    "spoedpost.inhabitants": [10**12, "@@BIGINT@@", 1],
    "spoedpost.background.contacts_per_1000_year": [1e12, "@@INF@@", "@@NAN@@", 10000],
    "demand.frailty_shape": [1e-300, 1e-12, 1e300, 0.05, "@@NAN@@"],
    "practices[0].durations.visit.mean": [1e-300, 1e300, "@@INF@@", 1440],
    "practices[0].durations.visit.cv": [1e300, "@@INF@@", 100, 10],
    "calendar.holidays.extra": [["@@DATE_MAX@@"], ["2025-02-30"], [f"2025-01-{d:02d}" for d in range(6, 32)]],
    "calendar.holidays.country": ["XX", "", "nl", "\0", "a" * 1000],
    "extends": ODD_PATHS,
    "scenario": NAMES,
    "description": ["@@BOMB5@@", "@@BOMB9@@", "@@SELF@@", "x" * 100_000],
    "set": [{"region.seed": 1}, {"nope[": 1}, {"locations[99].residents": 1}, {"locations[+]": None},
            {"practices[NOPE].regular_load": 0.5}, {"region.weeks.x": 1}, {"": 1}, {"a" * 1000: 1},
            {"locations[0].residents": "@@BIGINT@@"}, {"region": "@@BOMB5@@"}, ["region.seed"]],
}
SWEEP_TARGETED: dict[str, list[Any]] = {
    "replications": [10**9, 0, -1, "@@BIGINT@@", 1.5, 1000],
    "weeks": [600000, 0, "@@BIGINT@@"],
    "samples": [10**9, 0, "@@BIGINT@@", 3, 20001],
    "trajectories": [10**9, 1, 0],
    "seed": ["@@BIGINT@@", -1, 2**64],
    "design": ["grid", "list", "lhs", "sobol", "", None],
    "base": ODD_PATHS,
    "reference": ODD_PATHS,
    "name": NAMES,
    "kpis": [[], ["nope"], "handled.gp.wlz_per_week", ["x" * 10000], None],
    "parameters": [
        {"practices[P1].regular_load": {"range": [0.5, 0.7], "steps": 10**8}},
        {"practices[P1].regular_load": {"range": [0.5, 0.7], "steps": 1000},
         "practices[P2].regular_load": {"range": [0.5, 0.7], "steps": 1000}},
        {"practices[P1].regular_load": {"low": 0.7, "high": 0.5}},
        {"practices[P1].regular_load": {"low": "@@NAN@@", "high": 0.5}},
        {"region.seed": {"low": 0, "high": 1e30, "integer": True}},
        {"locations[0].residents": {"low": 1, "high": 1e12, "integer": True}},
        {"locations[0].residents": [10**7]}, {"pressures.demand_growth": [1e9]}, {"nope.path": [1, 2]},
        {"practices[NOPE].regular_load": [0.5]}, {"locations[99].residents": [5]}, {"": [1]},
        {"region.name": ["@@BOMB3@@"]}, {"region.name": ["@@BOMB9@@"]}, {"region.start": ["@@DATE_MAX@@"]},
        {"region.weeks": [600000]}, {"a": {"values": [1], "range": [0, 1]}}, {"a": {}}, {"a": []}, {}, [],
    ],
}


# --------------------------------------------------------------------------- mutation


def _tokens(path: str) -> list[str | int]:
    return [m.group(1) if m.group(1) is not None else int(m.group(2))
            for m in re.finditer(r"([^.\[\]]+)|\[(\d+)\]", path)]


def put(data: Any, path: str, value: Any) -> Any:
    """Set `value` at `path` (a.b[0].c), creating mappings; a `set.` path is one flat key."""
    if not isinstance(data, dict):
        data = {}
    if path.startswith("set."):
        if not isinstance(data.get("set"), dict):
            data["set"] = {}
        data["set"][path[4:]] = value
        return data
    toks = _tokens(path)
    node = data
    for k, tok in enumerate(toks):
        last = k == len(toks) - 1
        nxt: Any = [] if not last and isinstance(toks[k + 1], int) else {}
        if isinstance(tok, int):
            if not isinstance(node, list):
                return data
            while len(node) <= tok:
                node.append({} if not last else None)
        elif not isinstance(node, dict):
            return data
        if last:
            node[tok] = value
        else:
            current = node[tok] if isinstance(tok, int) else node.get(tok)
            if not isinstance(current, (dict, list)):
                node[tok] = nxt
            node = node[tok]
    return data


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _parent(data: Any, path: tuple) -> Any:
    for p in path[:-1]:
        data = data[p]
    return data


def _typo(word: str, k: int) -> str:
    if len(word) < 3:
        return word + "x"
    i = k % (len(word) - 1)
    return [word[:i] + word[i + 1] + word[i] + word[i + 2:], word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
            word.upper()][k % 4]


class _SeedLoader(yaml.SafeLoader):
    """Like the project's loader: dates stay text."""


_SeedLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
    for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _short(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 60 else s[:40] + f"...({len(s)} chars)"


def _fmt(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "(document)"


@dataclasses.dataclass
class Case:
    kind: str  # scenario | sweep
    seed: str
    text: bytes
    mutations: list[str]
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)  # more files beside it (configs/NAME)

    def describe(self) -> str:
        return f"{self.kind} {self.seed}: {' | '.join(self.mutations) or 'unchanged'}"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    kind = draw(st.sampled_from(["scenario", "scenario", "scenario", "sweep"]))
    seeds = scenario_seeds() if kind == "scenario" else sweep_seeds()
    seed_name = draw(st.sampled_from(sorted(seeds)))
    data = yaml.load(seeds[seed_name], Loader=_SeedLoader)
    targeted = TARGETED if kind == "scenario" else SWEEP_TARGETED
    mutations: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        op = draw(st.integers(min_value=0, max_value=99))
        paths = [p for p in _paths(data) if p]
        if op < 35:  # a known-bad value where it matters
            path = draw(st.sampled_from(sorted(targeted)))
            value = copy.deepcopy(draw(st.sampled_from(targeted[path])))
            data = put(data, path, value)
            mutations.append(f"{path} = {_short(value)}")
        elif op < 55:  # a nasty value at a known path
            path = draw(st.sampled_from(SCENARIO_PATHS if kind == "scenario" else SWEEP_PATHS))
            value = copy.deepcopy(draw(nasty_values()))
            data = put(data, path, value)
            mutations.append(f"{path} = {_short(value)}")
        elif op < 70 and paths:  # a nasty value anywhere
            path = draw(st.sampled_from(paths))
            value = copy.deepcopy(draw(nasty_values()))
            _parent(data, path)[path[-1]] = value
            mutations.append(f"{_fmt(path)} = {_short(value)}")
        elif op < 78 and paths:  # delete a key or an item
            path = draw(st.sampled_from(paths))
            del _parent(data, path)[path[-1]]
            mutations.append(f"delete {_fmt(path)}")
        elif op < 88 and paths:  # a typo in a key
            keyed = [p for p in paths if isinstance(p[-1], str)]
            if keyed:
                path = draw(st.sampled_from(keyed))
                parent, new = _parent(data, path), _typo(path[-1], draw(st.integers(0, 50)))
                if new not in parent:
                    parent[new] = parent.pop(path[-1])
                    mutations.append(f"rename {_fmt(path)} -> {new}")
        elif op < 94 and paths:  # a duplicated list item (duplicate ids), or a value wrapped in a list
            lists = [p for p in paths if isinstance(p[-1], int)]
            path = draw(st.sampled_from(lists or paths))
            parent = _parent(data, path)
            if lists and draw(st.booleans()):
                parent.append(parent[path[-1]])
                mutations.append(f"duplicate item {_fmt(path)}")
            else:
                parent[path[-1]] = [parent[path[-1]]]
                mutations.append(f"wrap {_fmt(path)} in a list")
        else:  # a document of another shape
            other = copy.deepcopy(draw(st.sampled_from([None, [], "text", 5, "wrap", {"locations": []}, {}])))
            data = [data] if other == "wrap" else other
            mutations.append(f"document = {_short(data)}")
    try:
        text = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=4096)
    except yaml.YAMLError:  # a value the dumper cannot write: its repr, which YAML reads somehow
        text = repr(data)
    for key, raw in RAW.items():
        text = text.replace(f"'{key}'", raw).replace(f'"{key}"', raw).replace(key, raw)
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 99)) < 25:  # damage at the level of the text
        op = draw(st.integers(0, 7))
        lines = raw.split(b"\n")
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == 0:
            lines.insert(at, lines[at])
            mutations.append(f"text: line {at + 1} twice (a duplicate key)")
        elif op == 1:
            lines = raw[:draw(st.integers(0, max(0, len(raw) - 1)))].split(b"\n")
            mutations.append("text: truncated")
        elif op == 2:
            junk = draw(st.sampled_from([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\t", b"\x1b[31m", b"\xc3", b"{",
                                         b"]", b"&a", b"*a", b"%YAML 9.9", b"---", b"...", b"? ", b"<<: *a", b"\r",
                                         b"\x85", "\u2028".encode()]))
            lines[at] += junk
            mutations.append(f"text: {junk!r} after line {at + 1}")
        elif op == 3:
            lines = [b"%YAML 1.1", b"---", *lines, b"---", b"second: document"]
            mutations.append("text: two YAML documents")
        elif op == 4:
            lv = draw(st.sampled_from([3, 5, 9]))
            lines.append(f"zz_bomb: {bomb_text(lv)}".encode())
            mutations.append(f"text: an alias bomb of {lv} levels")
        elif op == 5:
            depth = draw(st.sampled_from([40, 60, 1000, 10000]))
            lines.append(b"zz_deep: " + b"[" * depth + b"]" * depth)
            mutations.append(f"text: nesting {depth} deep")
        elif op == 6:
            lines = (b"\xef\xbb\xbf" + raw).split(b"\n")
            mutations.append("text: a byte-order mark")
        else:
            lines = raw.replace(b": ", b":", 1).split(b"\n")
            mutations.append("text: no space after a colon")
        raw = b"\n".join(lines)
    return Case(kind, seed_name, raw, mutations)


# --------------------------------------------------------------------------- checking one document


def check_document(case: Case, folder: Path) -> tuple[str, str]:
    """What the commands do with the file before they run anything, and for a valid scenario
    a week of simulation (unless that week alone is large: valid, but slow for a fuzzer):
    ('ok', '') or ('error', the ScenarioError's message)."""
    from sim.errors import ScenarioError
    from sim.experiments.runner import run_replication
    from sim.experiments.sweep import (
        base_data,
        check_points,
        design_points,
        load_spec,
        reference_data,
    )
    from sim.scenario.loading import load_scenario
    from sim.scenario.validation import run_size

    path = folder / ("configs/sweeps/doc.yaml" if case.kind == "sweep" else "configs/doc.yaml")
    for name, data in case.files.items():  # e.g. the files of an `extends` chain
        (folder / "configs" / name).write_bytes(data)
    path.write_bytes(case.text)
    try:
        if case.kind == "scenario":
            sc = load_scenario(path)
            week = sc.region.model_copy(update={"weeks": 1, "warmup_weeks": 0})
            sc = sc.model_copy(update={"region": week})
            if run_size(sc)["requests"] >= WEEK_REQUESTS:
                return "ok", "large"
            run_replication(sc, 0)
        else:
            spec, _ = load_spec(path)
            base = base_data(spec, path)
            check_points(base, design_points(spec), str(path))
            if spec.reference:
                reference_data(spec, path, base)
    except ScenarioError as exc:
        return "error", str(exc)
    return "ok", ""


def _vsize() -> int:
    return int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()


def run_forked(case: Case, folder: Path, timeout: float = TIMEOUT) -> tuple[str, str, float]:
    """check_document in a forked child with an address-space and a time limit: (outcome,
    detail, seconds); outcome is ok, error, crash, hang or memory."""
    limit = _vsize() + MEMORY
    r, w = os.pipe()
    t0 = time.monotonic()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(r)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            try:
                result = check_document(case, folder)
            except MemoryError:
                result = ("memory", traceback.format_exc()[-3000:])
            except BaseException:  # noqa: BLE001 - exactly what the test looks for
                result = ("crash", traceback.format_exc()[-3000:])
            os.write(w, json.dumps(result).encode())
        except BaseException:  # noqa: BLE001 - the child must reach os._exit
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    chunks, timed_out = [], False
    os.set_blocking(r, False)
    while True:
        try:
            chunk = os.read(r, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        except BlockingIOError:
            if time.monotonic() - t0 > timeout:
                timed_out = True
                os.kill(pid, signal.SIGKILL)  # our own child
                break
            time.sleep(0.002)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - t0
    if timed_out:
        return "hang", f"no answer within {timeout:.0f} s", seconds
    if not chunks:
        return "memory", f"the child died ({os.waitstatus_to_exitcode(status)})", seconds
    outcome, detail = json.loads(b"".join(chunks))
    return outcome, detail, seconds


def judge(case: Case, outcome: str, detail: str) -> None:
    where = f"\n{case.describe()}\n--- document (first 1500 bytes) ---\n{case.text[:1500].decode('utf-8', 'replace')}"
    for name, data in case.files.items():
        where += f"\n--- configs/{name} (first 600 bytes) ---\n{data[:600].decode('utf-8', 'replace')}"
    assert outcome in ("ok", "error"), f"{outcome}: {detail[-2000:]}{where}"
    if outcome == "error":
        lines = detail.splitlines()
        assert lines and "doc.yaml" in lines[0], f"the message does not name the file: {detail[:500]!r}{where}"
        assert len(lines) <= MAX_LINES, f"{len(lines)} lines{where}"
        assert all(len(line) <= MAX_LINE for line in lines), f"a line of {max(map(len, lines))} characters{where}"
