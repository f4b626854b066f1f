"""Reading a scenario file into a validated Scenario, and writing the resolved one back.

Every problem becomes a ScenarioError naming the file, the field path
(`locations[3].residents`), the line and what is allowed, so the CLI can print it and
exit with code 2 instead of a traceback. Reading is bounded before anything is built: a
file's size, its number of YAML nodes (also after aliases expand: no 'billion laughs'),
its nesting depth (also after aliases expand) and the digits of a number; a key written
twice in one mapping is an error, not silently the last one. The data is built by
plain_yaml (YAML 1.2 core, plain types only, no tags): no library constructor sees user
text.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError, reading
from sim.reading import read_text
from sim.scenario import plain_yaml
from sim.scenario.config import Scenario
from sim.scenario.validation import (  # noqa: F401 - re-exported
    QUOTE_CHARS,
    format_path,
    listing,
    problems,
    quote,
    validate_data,
)
from sim.scenario.werkboek_cellen import is_workbook

DEFAULT_SCENARIO = "regio_voorbeeld.yaml"

# --------------------------------------------------------------------------- reading limits
# A scenario or sweep file is read only within these limits, so a wrong file (/dev/zero, a
# database dump, an alias bomb) is refused at once rather than after minutes or gigabytes.
# The large region (configs/large_region.yaml, 1,000 locations) is 180 KB with ~25,000 nodes.
MAX_FILE_BYTES = 20 * 1024 * 1024  # a hundred times the largest region anyone could write
MAX_NODES = 500_000  # YAML nodes, before and after aliases expand (~2 s to parse; 20,000 locations fit)
MAX_DEPTH = 50  # nesting levels; a scenario needs about 8
MAX_DIGITS = plain_yaml.MAX_DIGITS  # digits of an integer; the largest bounded field (a seed) has 19
MAX_EXTENDS = 20  # files in one chain of `extends:`
MAX_LINE_CHARS = 400  # characters of one line of a message


_Loader, _Dumper, _Refused = plain_yaml.Loader, plain_yaml.Dumper, plain_yaml.Refused


def default_scenario_path() -> Path:
    """The embedded example region, shipped inside the package."""
    return Path(str(resources.files("sim") / "data" / DEFAULT_SCENARIO))


# --------------------------------------------------------------------------- messages


def _is_tag(part: Any) -> bool:
    """Pydantic's internal location tags, e.g. 'function-after[...]', 'constrained-str',
    'dict[str,float]', '[key]', 'str', 'none'."""
    return isinstance(part, str) and (
        "[" in part or part in {"str", "none", "int", "float", "bool", "date", "list", "dict"}
        or re.fullmatch(r"[a-z]+(-[a-z]+)+", part) is not None)


def _members(tp: Any) -> list[Any]:
    """The alternatives of a type: Annotated[X, ...] -> [X]; X | Y | None -> [X, Y]."""
    for _ in range(10):
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        break
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(tp) if a is not type(None) for m in _members(a)]
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _union_member(tp: Any, part: Any) -> Any | None:
    """The member of a union of models a discriminator value (e.g. 'voorwacht') names."""
    if not isinstance(part, str):
        return None
    for m in _members(tp):
        if _is_model(m) and "type" in m.model_fields and part in typing.get_args(m.model_fields["type"].annotation):
            return m
    return None


def _descend(tp: Any, part: Any) -> Any | None:
    """The type one location part further down (a model's field, a list's item, a dict's value)."""
    members = _members(tp)
    for m in members:
        if _is_model(m) and isinstance(part, str) and part in m.model_fields:
            return m.model_fields[part].annotation
    for m in members:
        if typing.get_origin(m) in (list, tuple) and isinstance(part, int):
            return typing.get_args(m)[0]
    for m in members:
        if typing.get_origin(m) is dict:
            return typing.get_args(m)[1]
    return None


def _child(node: yaml.Node | None, part: Any) -> tuple[yaml.Node | None, bool]:
    """The node one part further down, and whether the file has it."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                return v, True
        return node, False
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return (node.value[part], True) if 0 <= part < len(node.value) else (node, False)
    return node, False


def _locate(root: yaml.Node | None, loc: Iterable[Any], model: type[BaseModel]) -> tuple[list[Any], yaml.Node | None, Any]:
    """Follow a pydantic error location through the YAML node tree and the schema together.

    Returns the parts that exist in the file (pydantic adds union tags that do not), the
    deepest node reached (for its line number) and the type that holds the last part."""
    parts: list[Any] = []
    node, tp, holder = root, model, None
    for part in loc:
        member = _union_member(tp, part) if tp is not None else None
        _, in_file = _child(node, part)
        if member is not None and not in_file:  # a discriminated union's tag, e.g. services[0].voorwacht
            tp = member
            continue
        if _is_tag(part) and not in_file:
            continue
        parts.append(part)
        node, _ = _child(node, part)
        holder, tp = tp, (_descend(tp, part) if tp is not None else None)
    return parts, node, holder


def _model_of(tp: Any) -> type[BaseModel] | None:
    models = [m for m in _members(tp) if _is_model(m)] if tp is not None else []
    return models[0] if len(models) == 1 else None


def _close_field(loc: list[Any], holder: Any) -> str | None:
    """The field an unknown key was probably meant to be (difflib against the model's own fields)."""
    model = _model_of(holder)
    guess = difflib.get_close_matches(str(loc[-1]), sorted(model.model_fields), n=1) if model and loc else []
    return guess[0] if guess else None


def _describe(err: dict[str, Any], loc: list[Any], holder: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        model = _model_of(holder)
        allowed = sorted(model.model_fields) if model else []
        guess = _close_field(loc, holder)
        hint = f"; did you mean '{guess}'?" if guess else ""
        return f"unknown key {quote(str(loc[-1]))}{hint}" + (f" (allowed: {', '.join(allowed)})" if allowed else "")
    msg = err["msg"]
    msg = msg.removeprefix("Value error, ")
    got = err.get("input")
    if kind not in {"missing", "reference", "run_size"} and not isinstance(got, (dict, list)) and got is not None:
        msg += f" (got {quote(got)})"
    return msg


def _cap(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 30] + f"... ({len(line):,} characters)"


def errors_to_message(source: str, root: yaml.Node | None, errors: list[dict[str, Any]],
                      model: type[BaseModel] = Scenario) -> str:
    """One line per problem (at most 8): 'file, line N: field.path: what is wrong'. `model`
    is the schema the file follows (for 'did you mean' on an unknown key)."""
    located = [(err, *_locate(root, err["loc"], model)) for err in errors[:100]]
    # A typo (`residnets: 24`) is an unknown key and a missing field at once: the unknown key,
    # with its 'did you mean', says it all.
    typos = {format_path([*parts[:-1], guess]) for err, parts, _, holder in located
             if err["type"] == "extra_forbidden" and (guess := _close_field(parts, holder))}
    located = [item for item in located if not (item[0]["type"] == "missing" and format_path(item[1]) in typos)]
    # A value that fits no member of a union (`practice: P1 | {P1: 0.6, ...}`) gets one error per
    # member; the one that says what is wrong with the member the value was meant for is kept.
    best: dict[str, tuple[Any, ...]] = {}
    for item in located:
        path = format_path(item[1])
        if path not in best or (_type_mismatch(best[path][0]) and not _type_mismatch(item[0])):
            best[path] = item
    kept = [item for item in located if best[format_path(item[1])] is item] + [None] * (len(errors) - len(located))
    lines = []
    for err, parts, node, holder in (item for item in kept[:8] if item is not None):
        where = f", line {node.start_mark.line + 1}" if node is not None and parts else ""
        what = _describe(err, parts, holder)
        lines.append(_cap(f"{_short_source(source)}{where}: {format_path(parts)}: {what}" if parts
                          else f"{_short_source(source)}: {what}"))
    if len(kept) > 8:
        lines.append(f"... and {len(kept) - 8} more problems")
    return "\n".join(lines)


def _type_mismatch(err: dict[str, Any]) -> bool:
    """An error that only says the value is of another type (string_type, dict_type, ...)."""
    return str(err.get("type", "")).endswith(("_type", "_parsing"))


def _short_source(source: str) -> str:
    return source if len(source) <= 2 * QUOTE_CHARS else f"{source[:QUOTE_CHARS]}...{source[-QUOTE_CHARS:]}"


# --------------------------------------------------------------------------- paths and merging

_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")
_INDEX = re.compile(r"-?[0-9]{1,%d}" % MAX_DIGITS)  # ASCII digits: str.isdigit() takes '²', which int() refuses


def set_path(data: dict[str, Any], dotted: str, value: Any, defaults: Any = None) -> None:
    """Set a value by path: `region.seed`, `spoedpost.doctors[0].count`, a list item by its
    id: `practices[P1].regular_load`, or append with `locations[+]`. A part the data does not
    hold yet is copied from `defaults` (the same data with every default filled in) where it
    has it, and created empty otherwise: only the parts on the path become written, so every
    other default is still derived after the change (the HAP's rosters from the inhabitants).
    At most MAX_DEPTH parts: a path cannot nest the data deeper than a file may."""
    tokens = [(m.group(1), m.group(2)) for m in _TOKEN.finditer(dotted)]
    if not tokens or "".join(f".{k}" if k else f"[{i}]" for k, i in tokens).lstrip(".") != dotted:
        raise ScenarioError(f"{quote(dotted)} is not a path like region.seed or practices[P1].regular_load")
    if len(tokens) > MAX_DEPTH:
        raise ScenarioError(f"{quote(dotted)} has {len(tokens):,} parts; a path has at most {MAX_DEPTH}")
    shown = quote(dotted)
    node: Any = data
    shadow: Any = defaults  # the same place in `defaults`, while it has one
    for n, (key, sel) in enumerate(tokens):
        last = n == len(tokens) - 1
        if key is not None:
            if not isinstance(node, dict):
                raise ScenarioError(f"cannot set {shown}: {quote(key)} is inside a {type(node).__name__}, not a mapping")
            if last:
                node[key] = value
                return
            shadow = shadow.get(key) if isinstance(shadow, dict) else None
            if key not in node:
                empty: Any = [] if tokens[n + 1][1] is not None else {}
                node[key] = copy.deepcopy(shadow) if isinstance(shadow, type(empty)) else empty
            node = node[key]
            continue
        if not isinstance(node, list):
            raise ScenarioError(f"cannot set {shown}: [{quote(sel)[1:-1]}] needs a list")
        if sel == "+":
            node.append(value if last else {})
            if last:
                return
            node, shadow = node[-1], None
            continue
        if _INDEX.fullmatch(sel):
            idx = int(sel)
            if not -len(node) <= idx < len(node):
                raise ScenarioError(f"cannot set {shown}: index {idx} is out of range (the list has {len(node)} items)")
        else:
            ids = [item.get("id") for item in node if isinstance(item, dict)]
            if sel not in ids:
                raise ScenarioError(f"cannot set {shown}: no item with id {quote(sel)} (ids: {listing(ids)})")
            idx = ids.index(sel)
        if last:
            node[idx] = value
            return
        node = node[idx]
        shadow = shadow[idx] if isinstance(shadow, list) and -len(shadow) <= idx < len(shadow) else None


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on top of `base`: mappings merge key by key, anything else (lists too) replaces.
    Iterative: however deep both are, no recursion limit is reached."""
    out = dict(base)
    stack = [(out, over)]
    while stack:
        into, top = stack.pop()
        for key, value in top.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                into[key] = dict(into[key])  # a copy: `base` itself is never changed
                stack.append((into[key], value))
            else:
                into[key] = value
    return out


# --------------------------------------------------------------------------- reading


def _count_nodes_roughly(text: str) -> int:
    """An upper estimate of the YAML nodes a text holds, in C-speed passes over it: each
    node needs a separator (a comma, a new line, '- ', ': ', an opening bracket)."""
    return sum(text.count(sep) for sep in (",", "\n", "- ", ": ", "[", "{")) + 1


def _check_tree(root: yaml.Node, source: str) -> None:
    """What the composed node tree may not hold: a key written twice in one mapping, more
    than MAX_DEPTH levels (also once aliases expand: an alias of a deep list inside a deep
    list), more than MAX_NODES nodes once aliases expand, an alias inside itself. Iterative
    (no recursion limit), and linear in the distinct nodes: an alias bomb of a few hundred
    bytes is measured, never expanded."""
    expanded: dict[int, int] = {}  # id(node) -> its size with every alias expanded
    height: dict[int, int] = {}  # id(node) -> its levels with every alias expanded
    open_: set[int] = set()  # nodes whose children are being measured (a cycle comes back to one)
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            open_.discard(key)
            expanded[key] = 1 + sum(expanded[id(c)] for c in children)
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            if depth - 1 + height[key] > MAX_DEPTH:
                raise ScenarioError(f"{_short_source(source)}, line {node.start_mark.line + 1}: nested more than "
                                    f"{MAX_DEPTH} levels deep once its aliases are expanded; a scenario needs about 8")
            if expanded[key] > MAX_NODES:
                raise ScenarioError(f"{_short_source(source)}, line {node.start_mark.line + 1}: the YAML expands to "
                                    f"more than {MAX_NODES:,} values (aliases of aliases?); a scenario has far fewer")
            continue
        if key in expanded:
            continue
        line = node.start_mark.line + 1
        if key in open_:
            raise ScenarioError(f"{_short_source(source)}, line {line}: an alias refers to the value that contains it")
        if depth > MAX_DEPTH:
            raise ScenarioError(f"{_short_source(source)}, line {line}: nested more than {MAX_DEPTH} levels deep; a "
                                "scenario needs about 8")
        if isinstance(node, yaml.MappingNode):
            _duplicates(node, source)
        open_.add(key)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in expanded)


def _duplicates(node: yaml.MappingNode, source: str) -> None:
    """A key written twice in one mapping: YAML would keep the last one silently."""
    seen: dict[Any, yaml.Node] = {}
    for k, _ in node.value:
        if not isinstance(k, yaml.ScalarNode):
            continue
        first = seen.setdefault(plain_yaml.scalar(k), k)  # `a` and `'a'` are one key
        if first is not k:
            a, b = first.start_mark, k.start_mark
            also = f"line {a.line + 1}" + (f", column {a.column + 1}" if a.line == b.line else "")
            raise ScenarioError(f"{_short_source(source)}, line {b.line + 1}: key {quote(k.value)} is written twice "
                                f"in the same mapping (also at {also}); keep one")


def read_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers in messages) and the data built from it."""
    rough = _count_nodes_roughly(text)
    if rough > MAX_NODES:
        raise ScenarioError(f"{_short_source(source)}: about {rough:,} YAML values; a scenario or sweep file holds at "
                            f"most {MAX_NODES:,} (the large region of 1,000 locations has ~25,000)")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, None
            _check_tree(node, source)
            return node, plain_yaml.build(node)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise ScenarioError(f"{_short_source(source)}, line {exc.node.start_mark.line + 1}: {exc}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a NUL, a control character)
        line = text[: exc.position].count("\n") + 1
        raise ScenarioError(f"{_short_source(source)}, line {line}: character #x{exc.character:04x} is not allowed "
                            "in a YAML file (a control character)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        if mark is not None and "\t" in (text.splitlines()[mark.line:mark.line + 1] or [""])[0]:
            problem += " (indent with spaces, not tabs)"
        raise ScenarioError(_cap(f"{_short_source(source)}{where}: YAML syntax error: {problem}")) from None
    except RecursionError:  # the pure-Python parser, without libyaml, recurses per level
        raise ScenarioError(f"{_short_source(source)}: nested too deeply; a scenario needs about 8 levels") from None


def read_file(path: Path, what: str = "scenario file") -> str:
    """The text of a scenario or sweep file: a regular UTF-8 file (a byte-order mark is
    allowed) of at most MAX_FILE_BYTES; anything else is one clear ScenarioError."""
    return read_text(path, what, MAX_FILE_BYTES, _short_source(str(path)))


def file_ref(name: Any, source: str, field: str, base_dir: Path | None) -> Path:
    """The file a field names (extends, a sweep's base or reference), relative to the
    file that names it; a clear error when the name cannot be a file name."""
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(f"{_short_source(source)}: {field}: give a scenario file name, relative to this file "
                            f"(got {quote(name)})")
    if "\0" in name:
        raise ScenarioError(f"{_short_source(source)}: {field}: {quote(name)} is not a valid file name (it contains a "
                            "NUL character)")
    try:
        return ((base_dir or Path(".")) / name).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a name too long for the system
        raise ScenarioError(f"{_short_source(source)}: {field}: {quote(name)} cannot be resolved "
                            f"({type(exc).__name__})") from None


def with_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """Fill in every default, so `set` paths can reach parts the file never wrote (e.g.
    the HAP's default rosters). If the data is not valid yet, it is used as it is."""
    try:
        return Scenario.model_validate(data).model_dump(mode="json", exclude_none=True)
    except ValidationError:
        return data


def resolve_extends(data: dict[str, Any], source: str, base_dir: Path | None, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """Apply `extends: parent.yaml` (relative to this file) and then `set: {path: value}`."""
    data = dict(data)
    parent_name = data.pop("extends", None)
    settings = data.pop("set", None) or {}
    if parent_name is not None:
        path = file_ref(parent_name, source, "extends", base_dir)
        if str(path) in seen:
            raise ScenarioError(f"{_short_source(source)}: extends: {quote(parent_name)} extends itself (a cycle)")
        if len(seen) >= MAX_EXTENDS:
            raise ScenarioError(f"{_short_source(source)}: extends: more than {MAX_EXTENDS} files in one chain of "
                                "extends")
        try:
            _, parent = read_yaml(read_file(path), str(path))
            if not isinstance(parent, dict):
                raise ScenarioError(f"{_short_source(str(path))}: a scenario must be a mapping of keys")
            parent = resolve_extends(parent, str(path), path.parent, (*seen, str(path)))
        except ScenarioError as exc:  # the message says which file extends which
            raise ScenarioError(f"{_short_source(source)}: extends: {exc}") from None
        data = deep_merge(parent, data)
    if not isinstance(settings, dict):
        raise ScenarioError(f"{_short_source(source)}: set: give a mapping of path: value")
    # `set` may reach parts the file never wrote (the HAP's default rosters): those parts are
    # filled in from the defaults, and nothing else, so defaults that follow another field
    # (rosters from inhabitants) are still derived after the change
    defaults = with_defaults(data) if settings else None
    for dotted, value in settings.items():
        try:
            with reading(source, f"set: {quote(str(dotted))}"):
                set_path(data, str(dotted), value, defaults)
        except ScenarioError as exc:
            raise ScenarioError(f"{_short_source(source)}: set: {exc}") from None
    return data


def parse_scenario(text: str, source: str, overrides: dict[str, Any] | None = None,
                   base_dir: Path | None = None) -> Scenario:
    """Validate scenario text; `overrides` maps paths (region.seed) to values."""
    root, data = read_yaml(text, source)
    shown = _short_source(source)
    if data is None:
        raise ScenarioError(f"{shown}: the file is empty; a scenario needs at least 'locations'")
    if not isinstance(data, dict):
        raise ScenarioError(f"{shown}: a scenario must be a mapping of keys (region, locations, ...), "
                            f"not a {type(data).__name__}")
    data = resolve_extends(data, source, base_dir)
    for dotted, value in (overrides or {}).items():
        try:
            set_path(data, dotted, value)
        except ScenarioError as exc:
            raise ScenarioError(f"{shown}: {exc}") from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(errors_to_message(source, root, exc.errors())) from None
    ref_errors = problems(scenario)
    if ref_errors:
        raise ScenarioError(errors_to_message(source, root, ref_errors))
    return scenario


def parent_of(path: str | Path | None) -> Path | None:
    """The file a scenario extends, if any (for comparing a scenario with its parent)."""
    if path is None or is_workbook(path):
        return None
    path = Path(path)
    text = read_file(path)
    if "extends" not in text:  # no need to parse a large region file again
        return None
    _, data = read_yaml(text, str(path))
    parent = data.get("extends") if isinstance(data, dict) else None
    return (path.parent / parent).resolve() if isinstance(parent, str) else None


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario file (the embedded example when path is None); a region's
    workbook (.xlsx, .ods, .csv or a folder of them) is read by scenario/werkboek.py."""
    path = Path(path) if path is not None else default_scenario_path()
    with reading(path):  # anything but a ScenarioError from here on is a bug, and names this file
        if is_workbook(path):
            from sim.scenario.werkboek import load_workbook  # it builds on this module
            return load_workbook(path, overrides)
        from sim.scenario.country import refuse_country  # it builds on this module
        refuse_country(path)
        return parse_scenario(read_file(path), str(path), overrides, path.parent)


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


RESOLVED_HEADER = """\
# The fully resolved scenario: every parameter, defaults filled in, seed included. It runs
# as it is (run_sim.py scenario.yaml). Where each default comes from ([seed NNN], [lit] or
# [assumption]) is listed in the mgz-sim repository: docs/model.md, section 3, and the
# sources themselves in docs/sources.md; `mgz-sim schema` prints every field's description.
"""


def dump_scenario(sc: Scenario) -> str:
    """The fully resolved scenario (every default filled in) as YAML, with a header that
    says where the defaults come from."""
    return RESOLVED_HEADER + yaml.dump(_plain(sc.model_dump(mode="python")), Dumper=_Dumper, sort_keys=False,
                                       allow_unicode=True, width=100)
