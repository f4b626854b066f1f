"""Reading a scenario file into a validated Scenario, and writing the resolved one back.

Every problem becomes a ScenarioError naming the file, the field path
(`locations[3].residents`), the line and what is allowed, so the CLI can print it and
exit with code 2 instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError
from sim.scenario.config import Scenario
from sim.scenario.validation import format_path, problems, validate_data  # noqa: F401 - re-exported

DEFAULT_SCENARIO = "regio_voorbeeld.yaml"


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~6x faster
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that leaves dates as text, so pydantic validates them with a clear
    message (PyYAML itself crashes on a date like 2025-13-01)."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def default_scenario_path() -> Path:
    """The embedded example region, shipped inside the package."""
    return Path(str(resources.files("sim") / "data" / DEFAULT_SCENARIO))


def _yaml_node_at(root: yaml.Node | None, loc: Iterable[Any]) -> tuple[list[Any], yaml.Node | None]:
    """Follow a pydantic error location through the YAML node tree.

    Returns the parts that exist in the file (pydantic adds union/validator tags that do
    not) and the deepest node reached, for its line number.
    """
    parts: list[Any] = []
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
            if match is None:
                key_node = next((k for k, _ in node.value if k.value == str(part)), None)
                if isinstance(part, str) and key_node is None and parts and _is_tag(part):
                    continue
                parts.append(part)
                node = key_node or node
                continue
            parts.append(part)
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            parts.append(part)
            node = node.value[part] if part < len(node.value) else node
        elif isinstance(part, str) and _is_tag(part):
            continue
        else:
            parts.append(part)
    return parts, node


def _is_tag(part: str) -> bool:
    """Pydantic's internal location tags, e.g. 'function-after[...]', 'str', 'none'."""
    return "[" in part or part in {"str", "none", "int", "float", "bool", "date", "list", "dict"}


def _model_at(loc: list[Any]) -> type[BaseModel] | None:
    """The pydantic model that owns the last element of a location (for 'did you mean')."""
    model: Any = Scenario
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model = _unwrap(model.model_fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """list[X] / X | None / Annotated[X, ...] -> X, to find the nested model."""
    for _ in range(5):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
        if not args:
            return tp
        tp = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), args[-1])
    return tp


def _describe(err: dict[str, Any], loc: list[Any]) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        model = _model_at(loc)
        allowed = sorted(model.model_fields) if model else []
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return f"unknown key '{loc[-1]}'{hint} (allowed: {', '.join(allowed)})"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    got = err.get("input")
    if kind not in {"missing"} and not isinstance(got, (dict, list)) and got is not None:
        msg += f" (got {got!r})"
    return msg


def errors_to_message(source: str, root: yaml.Node | None, errors: list[dict[str, Any]]) -> str:
    lines = []
    for err in errors[:8]:
        parts, node = _yaml_node_at(root, err["loc"])
        where = f", line {node.start_mark.line + 1}" if node is not None and parts else ""
        lines.append(f"{source}{where}: {format_path(parts)}: {_describe(err, parts)}")
    if len(errors) > 8:
        lines.append(f"... and {len(errors) - 8} more problems")
    return "\n".join(lines)


_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set a value by path: `region.seed`, `spoedpost.doctors[0].count`, a list item by its
    id: `practices[P1].regular_load`, or append with `locations[+]`. Missing mappings are
    created."""
    tokens = [(m.group(1), m.group(2)) for m in _TOKEN.finditer(dotted)]
    if not tokens or "".join(f".{k}" if k else f"[{i}]" for k, i in tokens).lstrip(".") != dotted:
        raise ScenarioError(f"'{dotted}' is not a path like region.seed or practices[P1].regular_load")
    node: Any = data
    for n, (key, sel) in enumerate(tokens):
        last = n == len(tokens) - 1
        if key is not None:
            if not isinstance(node, dict):
                raise ScenarioError(f"cannot set '{dotted}': '{key}' is inside a {type(node).__name__}, not a mapping")
            if last:
                node[key] = value
                return
            node = node.setdefault(key, [] if tokens[n + 1][1] is not None else {})
            continue
        if not isinstance(node, list):
            raise ScenarioError(f"cannot set '{dotted}': [{sel}] needs a list")
        if sel == "+":
            node.append(value if last else {})
            if last:
                return
            node = node[-1]
            continue
        if sel.lstrip("-").isdigit():
            idx = int(sel)
            if not -len(node) <= idx < len(node):
                raise ScenarioError(f"cannot set '{dotted}': index {idx} is out of range (the list has {len(node)} items)")
        else:
            ids = [item.get("id") for item in node if isinstance(item, dict)]
            if sel not in ids:
                raise ScenarioError(f"cannot set '{dotted}': no item with id '{sel}' (ids: {', '.join(map(str, ids))})")
            idx = ids.index(sel)
        if last:
            node[idx] = value
            return
        node = node[idx]


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on top of `base`: mappings merge key by key, anything else (lists too) replaces."""
    out = dict(base)
    for key, value in over.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def read_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers in messages) and the data built from it."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None else None)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{source}{where}: YAML syntax error: {problem}") from None


def read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: scenario file not found") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a folder, not a scenario file") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a text (UTF-8) file") from None


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
        if not isinstance(parent_name, str):
            raise ScenarioError(f"{source}: extends: give the parent scenario's file name")
        path = ((base_dir or Path(".")) / parent_name).resolve()
        if str(path) in seen:
            raise ScenarioError(f"{source}: extends: '{parent_name}' extends itself (a cycle)")
        _, parent = read_yaml(read_file(path), str(path))
        if not isinstance(parent, dict):
            raise ScenarioError(f"{path}: a scenario must be a mapping of keys")
        data = deep_merge(resolve_extends(parent, str(path), path.parent, (*seen, str(path))), data)
    if not isinstance(settings, dict):
        raise ScenarioError(f"{source}: set: give a mapping of path: value")
    if settings:
        data = with_defaults(data)
    for dotted, value in settings.items():
        try:
            set_path(data, str(dotted), value)
        except ScenarioError as exc:
            raise ScenarioError(f"{source}: set: {exc}") from None
    return data


def parse_scenario(text: str, source: str, overrides: dict[str, Any] | None = None,
                   base_dir: Path | None = None) -> Scenario:
    """Validate scenario text; `overrides` maps paths (region.seed) to values."""
    root, data = read_yaml(text, source)
    if data is None:
        raise ScenarioError(f"{source}: the file is empty; a scenario needs at least 'locations'")
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario must be a mapping of keys (region, locations, ...), "
                            f"not a {type(data).__name__}")
    data = resolve_extends(data, source, base_dir)
    for dotted, value in (overrides or {}).items():
        set_path(data, dotted, value)
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
    if path is None:
        return None
    path = Path(path)
    text = read_file(path)
    if "extends" not in text:  # no need to parse a large region file again
        return None
    _, data = read_yaml(text, str(path))
    parent = data.get("extends") if isinstance(data, dict) else None
    return (path.parent / parent).resolve() if isinstance(parent, str) else None


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario file (the embedded example when path is None)."""
    path = Path(path) if path is not None else default_scenario_path()
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
