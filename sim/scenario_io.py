"""Reading a scenario file into a validated Scenario, and writing the resolved one back.

Every problem becomes a ScenarioError naming the file, the field path
(`locations[3].residents`), the line and what is allowed, so the CLI can print it and
exit with code 2 instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .config import Scenario
from .errors import ScenarioError

DEFAULT_SCENARIO = "regio_voorbeeld.yaml"


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so pydantic validates them with a clear
    message (PyYAML itself crashes on a date like 2025-13-01)."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def default_scenario_path() -> Path:
    """The embedded example region, shipped inside the package."""
    return Path(str(resources.files("sim") / "data" / DEFAULT_SCENARIO))


def format_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


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


def _errors_to_message(source: str, root: yaml.Node | None, errors: list[dict[str, Any]]) -> str:
    lines = []
    for err in errors[:8]:
        parts, node = _yaml_node_at(root, err["loc"])
        where = f", line {node.start_mark.line + 1}" if node is not None and parts else ""
        lines.append(f"{source}{where}: {format_path(parts)}: {_describe(err, parts)}")
    if len(errors) > 8:
        lines.append(f"... and {len(errors) - 8} more problems")
    return "\n".join(lines)


def _reference_errors(sc: Scenario) -> list[dict[str, Any]]:
    """Cross-references pydantic cannot see: ids that must exist and be unique."""
    errs: list[dict[str, Any]] = []

    def add(loc: tuple[Any, ...], msg: str) -> None:
        errs.append({"loc": loc, "type": "reference", "msg": msg})

    for group in ("locations", "practices", "behandeldiensten"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(sc, group)):
            if item.id in seen:
                add((group, i, "id"), f"duplicate id '{item.id}' (also {group}[{seen[item.id]}])")
            seen.setdefault(item.id, i)
    practices = {p.id for p in sc.practices}
    diensten = {b.id for b in sc.behandeldiensten}
    for i, loc in enumerate(sc.locations):
        if loc.behandeling:
            if loc.behandeldienst is None:
                add(("locations", i, "behandeldienst"),
                    "a location met behandeling needs a behandeldienst (its provider's SO/AVG); "
                    f"known: {', '.join(sorted(diensten)) or 'none defined'}")
            elif loc.behandeldienst not in diensten:
                add(("locations", i, "behandeldienst"), f"unknown behandeldienst '{loc.behandeldienst}'; "
                    f"known: {', '.join(sorted(diensten)) or 'none defined'}")
        else:
            if loc.practice is None:
                add(("locations", i, "practice"),
                    "a location without behandeling needs its fixed GP practice "
                    f"(Convenant MGZ); known: {', '.join(sorted(practices)) or 'none defined'}")
            elif loc.practice not in practices:
                guess = difflib.get_close_matches(loc.practice, sorted(practices), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                add(("locations", i, "practice"), f"unknown practice '{loc.practice}'{hint} "
                    f"(known: {', '.join(sorted(practices)) or 'none defined'})")
    return errs


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    node = data
    *parents, last = dotted.split(".")
    for key in parents:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ScenarioError(f"cannot set '{dotted}': '{key}' is not a mapping")
    node[last] = value


def parse_scenario(text: str, source: str, overrides: dict[str, Any] | None = None) -> Scenario:
    """Validate scenario text; `overrides` maps dotted paths (region.seed) to values."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{source}{where}: YAML syntax error: {problem}") from None
    if data is None:
        raise ScenarioError(f"{source}: the file is empty; a scenario needs at least 'locations'")
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario must be a mapping of keys (region, locations, ...), "
                            f"not a {type(data).__name__}")
    for dotted, value in (overrides or {}).items():
        _set_dotted(data, dotted, value)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_errors_to_message(source, root, exc.errors())) from None
    ref_errors = _reference_errors(scenario)
    if ref_errors:
        raise ScenarioError(_errors_to_message(source, root, ref_errors))
    return scenario


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario file (the embedded example when path is None)."""
    path = Path(path) if path is not None else default_scenario_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: scenario file not found") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a folder, not a scenario file") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a text (UTF-8) file") from None
    return parse_scenario(text, str(path), overrides)


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def dump_scenario(sc: Scenario) -> str:
    """The fully resolved scenario (every default filled in) as YAML."""
    return yaml.safe_dump(_plain(sc.model_dump(mode="python")), sort_keys=False, allow_unicode=True, width=100)
