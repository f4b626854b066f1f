"""The second generator family of tests/test_fuzz.py, modelled on a hostile user rather than
on our schema (issue 24: an independent fuzzer found what the first family, which mutates
values where the schema has fields, never made). Each draw is one of:

- bytes: byte-level damage to a shipped config or sweep file as it is on disk (comments,
  flow style and all): flipped, deleted, doubled and inserted bytes, swapped lines, a cut;
- yaml11: a value rewritten in one of YAML 1.1's scalar forms (0x, 0o, 0b, sexagesimal,
  1_000, yes/no/on/off, timestamps, .nan, a lone sign, '<<', '=' ...);
- tag: a value, a list or a mapping given a tag: every YAML and Python tag, local and
  verbatim tags, %TAG directives, undefined handles;
- unicode: Unicode digits in numbers and in `set:` indices, confusable letters (Cyrillic,
  Greek, full-width), zero-width and direction characters in keys, ids and paths;
- extends: chains of files that extend each other, each nesting the same keys close to the
  limit (some behind anchors reached first through an alias), with `set:` paths, cycles
  and odd targets: what merging multiplies;
- sweep: sweep files whose parameters name fields all over the resolved baseline with
  values of the wrong type (and odd paths);
- scale: regions at the size of the bounds (thousands of locations, hundreds of routes of
  many steps, a thousand practices), some references wrong: checking one takes seconds.

Every case is checked like the first family's (fuzzing.run_forked, fuzzing.judge).
"""

from __future__ import annotations

import random
import re
from functools import cache
from typing import Any

import yaml
from hypothesis import strategies as st

from .conftest import ROOT
from .fuzzing import Case

# --------------------------------------------------------------------------- seeds: the shipped files


@cache
def shipped_scenarios() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ROOT / "configs").glob("*.yaml")) if p.stat().st_size < 100_000}


def _cheap_sweep(text: str) -> str:
    """A shipped sweep, still as written, made cheap to check: one replication of one week,
    two steps per range, four samples (a valid 15,625-point grid would only take long)."""
    text = re.sub(r"(?m)^replications: *\d+", "replications: 1", text)
    text = re.sub(r"(?m)^weeks: *\d+", "weeks: 1", text)
    text = re.sub(r"(?m)^samples: *\d+", "samples: 4", text)
    text = re.sub(r"(?m)^trajectories: *\d+", "trajectories: 2", text)
    return re.sub(r"\{(low: [^}]*)\}", r"{\1, steps: 2}", text)


@cache
def shipped_sweeps() -> dict[str, bytes]:
    return {p.name: _cheap_sweep(p.read_text(encoding="utf-8")).encode()
            for p in sorted((ROOT / "configs" / "sweeps").glob("*.yaml"))}


@cache
def baseline_leaves() -> list[tuple[str, Any]]:
    """Every leaf of the resolved baseline (defaults filled in) as (set: path, value), lists
    by index: the fields a hostile sweep may name."""
    from sim.scenario.loading import load_scenario
    data = load_scenario(ROOT / "configs" / "baseline.yaml").model_dump(mode="json", exclude_none=True)
    out: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict) and node:
            stack += [(f"{path}.{k}" if path else str(k), v) for k, v in node.items()]
        elif isinstance(node, list) and node and len(path) < 120:
            stack += [(f"{path}[{i}]", v) for i, v in enumerate(node[:3])]
        if path:
            out.append((path, node))
    return sorted(out, key=lambda pv: pv[0])


# --------------------------------------------------------------------------- the catalogues

YAML11 = [
    "0x", "0x_", "0x1F", "-0x1F", "+0x1", "0x-1", "0b", "0b_", "0b101", "-0b1", "0o", "0o_", "0o17", "017", "0_1",
    "1_000", "1__", "190:20:30", "1:", "1:00", "-1:30", "1:60", "+", "-", "+.", ".", "._", "1._5", "1e3", "1E+3",
    "1.0e+12", "1e400", "-1e400", "12e-400", "1.5e", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "~", "null", "NULL",
    "Null", "yes", "no", "on", "off", "y", "n", "Y", "N", "True", "TRUE", "FALSE", "2025-13-01", "0000-01-01",
    "2025-01-06T10:00:00Z", "2001-12-14t21:59:43.10-05:00", "2002-12-14", "9999-12-31 23:59:59", "2025-1-6",
    "<<", "=", "!", "&", "*", "|", ">", "%", "@x", "`x", "'", '"', "? x", "- x", "[", "{", "}", "]", ",",
]

TAGS = [
    *(f"!!{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "binary", "omap", "pairs", "set", "seq",
                          "map", "merge", "value", "yaml")),
    *(f"!!python/{t}" for t in ("none", "bool", "str", "unicode", "bytes", "int", "long", "float", "complex", "list",
                                 "tuple", "dict", "name:os.system", "module:os", "object:os.system",
                                 "object/new:os.system", "object/apply:os.system")),
    "!", "!local", "!x!y", "!<tag:yaml.org,2002:int>", "!<tag:example.com,2000:x>", "!<!>", "!e!undefined",
]
TAG_DIRECTIVES = ["%TAG !e! tag:example.com,2000:\n---\n", "%TAG !! tag:evil.example,2000:\n---\n",
                  "%YAML 1.1\n---\n", "%YAML 1.2\n---\n", "%YAML 2.0\n---\n", "%FOO bar\n---\n"]

UNICODE_DIGITS = {d: alts for d, alts in zip("0123456789", zip(
    "⁰¹²³⁴⁵⁶⁷⁸⁹", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "०१२३४५६७८९", "⓪①②③④⑤⑥⑦⑧⑨"))}
CONFUSABLES = {"a": "аɑα", "e": "еε", "o": "оοօ", "p": "рρ", "c": "сϲ", "i": "іι", "s": "ѕ", "x": "хχ",
               "y": "у", "P": "РΡ", "L": "Լ", "1": "l|ǀ", "0": "OΟ", ":": "：꞉", "-": "‐‑–−", "_": "＿"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u00a0", "\u00ad", "\u0301"]

INTERESTING_BYTES = [b"\x00", b"\xff", b"\xfe", b"\xc3", b"\xe2\x80", b"\t", b"\r", b"\r\n", b"\x85", b"\x1b[2J",
                     b":", b": ", b"-", b"- ", b"[", b"]", b"{", b"}", b",", b"&a", b"*a", b"!", b"!!", b"|", b">",
                     b"%", b"@", b"`", b"#", b"'", b'"', b"\\", b"? ", b"---", b"...", b"<<: *a",
                     "\u2028".encode(), "\ufeff".encode(), b"9" * 40, b"\n  ", b"\n- "]

_VALUE = re.compile(r"(?<=: )(?![&*!|>'\"{\[])([^\s,{}\[\]#][^,{}\[\]#\n]*?)(?=\s*(?:[,}\]]|#|$))", re.M)
_KEY = re.compile(r"(?m)(?:^[ \t-]*|[{,] *)([A-Za-z_][A-Za-z0-9_]*)(?=:)")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in pattern.finditer(text)]


def _put_at(text: str, span: tuple[int, int], new: str) -> str:
    return text[: span[0]] + new + text[span[1]:]


# --------------------------------------------------------------------------- the draws


def _bytes_case(draw: st.DrawFn) -> Case:
    kind = draw(st.sampled_from(["scenario", "scenario", "sweep"]))
    seeds = shipped_scenarios() if kind == "scenario" else shipped_sweeps()
    name = draw(st.sampled_from(sorted(seeds)))
    data, done = bytearray(seeds[name]), []
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.integers(0, 7))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == 0 and data:
            bit = 1 << draw(st.integers(0, 7))
            data[at] ^= bit
            done.append(f"flip bit {bit} at {at}")
        elif op == 1:
            n = draw(st.integers(1, 40))
            del data[at:at + n]
            done.append(f"delete {n} bytes at {at}")
        elif op == 2:
            n = draw(st.integers(1, 200))
            data[at:at] = data[at:at + n] * draw(st.integers(1, 3))
            done.append(f"repeat {n} bytes at {at}")
        elif op == 3:
            junk = draw(st.sampled_from(INTERESTING_BYTES))
            data[at:at] = junk
            done.append(f"insert {junk!r} at {at}")
        elif op == 4:
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
            done.append(f"swap lines {i + 1} and {j + 1}")
        elif op == 5:
            data = data[:at]
            done.append(f"cut at {at}")
        elif op == 6:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = draw(st.sampled_from([b" ", b"  ", b"\t", b"- "])) + lines[i]
            data = bytearray(b"\n".join(lines))
            done.append(f"indent line {i + 1}")
        else:
            data[at:at] = bytes([draw(st.integers(0, 255))])
            done.append(f"insert a random byte at {at}")
    return Case(kind, name, bytes(data), done)


def _text_seed(draw: st.DrawFn) -> tuple[str, str, str]:
    kind = draw(st.sampled_from(["scenario", "scenario", "scenario", "sweep"]))
    seeds = shipped_scenarios() if kind == "scenario" else shipped_sweeps()
    name = draw(st.sampled_from(sorted(seeds)))
    return kind, name, seeds[name].decode("utf-8")


def _yaml11_case(draw: st.DrawFn) -> Case:
    kind, name, text = _text_seed(draw)
    done = []
    for _ in range(draw(st.integers(1, 3))):
        spans = _spans(_VALUE, text)
        if not spans:
            break
        span, form = draw(st.sampled_from(spans)), draw(st.sampled_from(YAML11))
        done.append(f"{text[span[0]:span[1]]!r} -> {form!r}")
        text = _put_at(text, span, form)
    return Case(kind, name, text.encode("utf-8"), done)


def _tag_case(draw: st.DrawFn) -> Case:
    kind, name, text = _text_seed(draw)
    done = []
    for _ in range(draw(st.integers(1, 2))):
        tag = draw(st.sampled_from(TAGS))
        where = draw(st.sampled_from(["value", "value", "key", "collection", "directive"]))
        if where == "value" and (spans := _spans(_VALUE, text)):
            span = draw(st.sampled_from(spans))
            value = draw(st.sampled_from([text[span[0]:span[1]], "", "''", "x", "-", "2025-13-01", "[a, b]", "{a: 1}"]))
            text = _put_at(text, span, f"{tag} {value}")
            done.append(f"value tagged {tag} {value!r}")
        elif where == "key" and (spans := _spans(_KEY, text)):
            span = draw(st.sampled_from(spans))
            text = _put_at(text, (span[0], span[0]), f"{tag} ")
            done.append(f"key tagged {tag}")
        elif where == "collection" and (found := [m.start() for m in re.finditer(r"(?<=: )[\[{]", text)]):
            at = draw(st.sampled_from(found))
            text = text[:at] + f"{tag} " + text[at:]
            done.append(f"collection tagged {tag}")
        else:
            directive = draw(st.sampled_from(TAG_DIRECTIVES))
            text = directive + text
            done.append(f"directive {directive.splitlines()[0]}")
    return Case(kind, name, text.encode("utf-8"), done)


def _unicode_case(draw: st.DrawFn) -> Case:
    kind, name, text = _text_seed(draw)
    done = []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.integers(0, 4))
        if op == 0 and (digits := [m.start() for m in re.finditer(r"[0-9]", text)]):
            at = draw(st.sampled_from(digits))
            new = draw(st.sampled_from(UNICODE_DIGITS[text[at]]))
            done.append(f"digit {text[at]!r} at {at} as {new!r}")
            text = text[:at] + new + text[at + 1:]
        elif op == 1 and (letters := [m.start() for m in re.finditer("[" + re.escape("".join(CONFUSABLES)) + "]",
                                                                          text)]):
            at = draw(st.sampled_from(letters))
            new = draw(st.sampled_from(CONFUSABLES[text[at]]))
            done.append(f"{text[at]!r} at {at} as {new!r} (U+{ord(new):04X})")
            text = text[:at] + new + text[at + 1:]
        elif op == 2 and (spans := _spans(_KEY, text)):
            span = draw(st.sampled_from(spans))
            at = draw(st.integers(span[0], span[1]))
            mark = draw(st.sampled_from(INVISIBLE))
            text = text[:at] + mark + text[at:]
            done.append(f"U+{ord(mark):04X} in a key at {at}")
        elif op == 3:
            index = draw(st.sampled_from(["²", "٣", "１", "①", "𝟎", "-０", "0²", "۱", "1\u200b", "١٠"]))
            path = draw(st.sampled_from(["locations[{}].residents", "practices[{}].regular_load",
                                         "spoedpost.doctors[{}].count", "services[{}].resolves.U5"]))
            value = draw(st.sampled_from(["5", "0.5", "x", "[1]"]))
            sep = "\n" if text.endswith("\n") else "\n\n"
            if kind == "sweep":
                text = re.sub(r"(?m)^parameters:\n", f"parameters:\n  \"{path.format(index)}\": [{value}]\n", text)
            else:
                text += f"{sep}set:\n  \"{path.format(index)}\": {value}\n"
            done.append(f"path {path.format(index)!r}")
        else:
            mark = draw(st.sampled_from(INVISIBLE + ["\u2028", "\u0085", "\u2029"]))
            spans = _spans(_VALUE, text)
            if spans:
                span = draw(st.sampled_from(spans))
                text = _put_at(text, (span[1], span[1]), mark)
                done.append(f"U+{ord(mark):04X} after a value")
    return Case(kind, name, text.encode("utf-8"), done)


def _nest(levels: int, inner: str = "{z: 1}", key: str = "x") -> str:
    return f"{{{key}: " * levels + inner + "}" * levels


def _extends_case(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 5))
    names = [f"chain{i}.yaml" for i in range(n)]
    field = draw(st.sampled_from(["region", "demand", "calendar", "pressures", "norms", "spoedpost", "zz_extra"]))
    files, done = {}, [f"{n} files, each nesting under {field}"]
    last = draw(st.sampled_from(["baseline.yaml", "baseline.yaml", "c_voorwacht.yaml", "doc.yaml", "chain0.yaml",
                                 "sweeps/tiny.yaml", "README.md", "sweeps", "nope.yaml", "../configs/baseline.yaml"]))
    done.append(f"the last extends {last}")
    every = draw(st.sampled_from([None, None, "behind"]))  # one style for the whole chain: merging multiplies it
    for i in range(n + 1):
        target = names[i] if i < n else last
        levels = draw(st.integers(10, 60))
        style = every or draw(st.sampled_from(["plain", "anchors", "set", "aliases", "behind"]))
        if style == "behind":  # written deeper than the limit in pieces, each reached first through an alias
            links = draw(st.sampled_from([2, 12, 24, 24]))  # 40 x 24 levels: near libyaml's own limit of 1,000
            text = _nest(40, key="y")
            for k in range(1, links):
                text = _nest(40, f"&p{k - 1} {text}", key="y")
            body = f"{field}: {text}\n" + "".join(f"zz_r{k}: *p{k}\n" for k in reversed(range(links - 1)))
            levels = 40 * links
        elif style == "plain":
            body = f"{field}: {_nest(levels)}\n"
        elif style == "anchors":  # a piece first reached through an alias further down
            inner = _nest(levels, key="y")
            body = f"{field}: {_nest(levels, '&deep ' + inner)}\nzz_alias: *deep\n"
        elif style == "set":
            path = ".".join([field] + ["x"] * draw(st.integers(1, 120)))
            body = f"set:\n  {path}: {_nest(draw(st.integers(0, 40)))}\n"
        else:
            body = (f"zz_a: &a {_nest(levels)}\nzz_b: &b {_nest(levels, '*a')}\n"
                    f"{field}: {_nest(draw(st.integers(1, 40)), '*b')}\n")
        done.append(f"{'doc' if i == 0 else names[i - 1]}: {style} {levels}")
        text = f"extends: {target}\nscenario: chain\n{body}"
        if i == 0:
            doc = text
        else:
            files[names[i - 1]] = text.encode()
    files.setdefault("sweeps/tiny.yaml", b"name: tiny\nbase: ../baseline.yaml\nparameters: {region.seed: [1]}\n")
    return Case("scenario", "extends-chain", doc.encode(), done, files)


def _wrong(draw: st.DrawFn, value: Any) -> Any:
    """A value of another type than `value` (or an absurd one of the same)."""
    if isinstance(value, bool):
        options = ["yes", 2, [], {"a": 1}, None, "true"]
    elif isinstance(value, (int, float)):
        options = ["many", "0x10", "1_000", "²", "12", [value], {"v": value}, None, True, 10**40, -10**18,
                   float("nan"), float("inf"), 1e308, -0.0, "", "1e400"]
    elif isinstance(value, str):
        options = [5, 0.5, [value], {"x": value}, None, True, "x" * 10_000, "\u202e" + value, value + "\u200b", ""]
    elif isinstance(value, list):
        options = ["a", 5, {"0": value}, [None], [[[[]]]], [value, value], [{"x": 1}] * 50]
    else:
        options = ["a", 5, [value], None, {}]
    return draw(st.sampled_from(options))


def _sweep_case(draw: st.DrawFn) -> Case:
    leaves = baseline_leaves()
    params: dict[str, Any] = {}
    done = []
    for _ in range(draw(st.integers(1, 6))):
        path, value = draw(st.sampled_from(leaves))
        if draw(st.integers(0, 9)) == 0:  # an odd path for a real field
            path = draw(st.sampled_from([path + "[+]", path + ".x", path.replace("[0]", "[²]"),
                                         path.replace("[0]", "[P1]"), path.replace(".", "..", 1), path + "[0]",
                                         "[0]." + path, path.upper()]))
        shape = draw(st.sampled_from(["values", "values", "range", "bounds"]))
        wrong = _wrong(draw, value)
        if shape == "values":
            params[path] = [wrong] * draw(st.integers(1, 2))
        elif shape == "range":
            params[path] = {"range": [wrong, wrong], "steps": 2}
        else:
            params[path] = {"low": wrong, "high": _wrong(draw, value)}
        done.append(f"{path} <- {str(params[path])[:60]}")
    design = draw(st.sampled_from(["list", "grid", "lhs"]))
    spec = {"name": "hostile", "base": draw(st.sampled_from(["../baseline.yaml", "../c_voorwacht.yaml"])),
            "replications": 1, "weeks": 1, "design": design, "samples": 2, "parameters": params}
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=4096)
    return Case("sweep", f"hostile-{design}", text.encode("utf-8", "surrogatepass"), done)


def _scale_case(draw: st.DrawFn) -> Case:
    """A region at the size of the bounds, not of a test: thousands of locations, hundreds
    of routes of many steps, a thousand practices or behandeldiensten, some references
    wrong. Within every bound, checking it must take seconds (it took minutes: routes were
    searched per location and step, each unknown practice compared with all)."""
    n_loc = draw(st.sampled_from([300, 1000, 3000]))
    n_prac = draw(st.sampled_from([1, 40, 1000]))
    n_bd = draw(st.sampled_from([0, 10, 1000]))
    n_hap = draw(st.sampled_from([0, 3, 200]))
    n_routes = draw(st.sampled_from([0, 5, 300]))
    n_steps = draw(st.sampled_from([1, 8, 60]))
    wrong = draw(st.sampled_from([0.0, 0.001, 0.5]))  # share of locations naming what is not there
    rnd = random.Random(draw(st.integers(0, 2**32)))  # thousands of choices: not each from hypothesis' buffer
    done = [f"{n_loc} locations, {n_prac} practices, {n_bd} behandeldiensten, {n_hap} HAPs, "
            f"{n_routes} routes of {n_steps} steps, {wrong:.1%} wrong references"]
    lines = ["scenario: scale", "region: {weeks: 1, warmup_weeks: 0, inhabitants: 20000}", "practices:"]
    lines += [f"  - {{id: P{i}" + (f", waarneming: P{rnd.randrange(n_prac)}" if n_prac > 1 and rnd.random() < 0.3
                                   else "") + "}" for i in range(n_prac)]
    if n_bd:
        lines += ["behandeldiensten:"] + [f"  - {{id: BD{i}, discipline: so}}" for i in range(n_bd)]
    if n_hap:
        lines += ["spoedposten:"] + [f"  - {{id: H{i}, inhabitants: 1000}}" for i in range(n_hap)]
    if n_routes:
        lines.append("routes:")
        targets = ["gp"] + [f"BD{i}" for i in range(min(n_bd, 50))]
        for r in range(n_routes):
            named = ", ".join(f"L{rnd.randrange(n_loc)}" for _ in range(rnd.choice([0, 3, 50])))
            match = f"{{locations: [{named}]}}" if named else "{period: [anw]}" if rnd.random() < 0.5 else "{}"
            steps = [f"{{service: {rnd.choice(targets)}, when: {{urgency: [U1]}}}}" for _ in range(n_steps - 1)]
            lines.append(f"  - {{name: r{r}, match: {match}, steps: [{', '.join(steps + ['gp'])}]}}")
    lines.append("locations:")
    for i in range(n_loc):
        bad = rnd.random() < wrong
        if n_bd and rnd.random() < 0.3:
            loc = f"behandeling: true, behandeldienst: {'NOPE' if bad else f'BD{rnd.randrange(n_bd)}'}"
        else:
            loc = f"practice: {f'Q{i}' if bad else f'P{rnd.randrange(n_prac)}'}"
        hap = f", spoedpost: {'HX' if bad else f'H{rnd.randrange(n_hap)}'}" if n_hap and rnd.random() < 0.5 else ""
        lines.append(f"  - {{id: L{i}, kind: kleinschalig, residents: 1, {loc}{hap}}}")
    return Case("scenario", "scale", ("\n".join(lines) + "\n").encode(), done)


FAMILIES = {"bytes": _bytes_case, "yaml11": _yaml11_case, "tag": _tag_case, "unicode": _unicode_case,
            "extends": _extends_case, "sweep": _sweep_case, "scale": _scale_case}


# each generator's share of the examples: a region at scale costs a second or two to check, a document of
# the others a tenth (a valid one runs a week of its region)
WEIGHTS = {"bytes": 12, "yaml11": 12, "tag": 12, "unicode": 12, "extends": 12, "sweep": 12, "scale": 1}


def family_cases(family: str) -> st.SearchStrategy[Case]:
    """The documents of one generator of the family."""

    @st.composite
    def draw_one(draw: st.DrawFn) -> Case:
        case = FAMILIES[family](draw)
        case.mutations.insert(0, f"[{family}]")
        return case

    return draw_one()


def hostile_cases(families: tuple[str, ...] | None = None) -> st.SearchStrategy[Case]:
    """Any of them (test_fuzz.py checks each generator with its own share of the examples:
    hypothesis' choice between strategies is far from even)."""
    return st.one_of(*(family_cases(f) for f in sorted(families or FAMILIES)))


def examples_of(family: str, total: int) -> int:
    """The examples `family` gets of `total`, by WEIGHTS."""
    return max(1, round(total * WEIGHTS[family] / sum(WEIGHTS.values())))
