"""A validation error as the user reads it: 'file, line N: field.path: what is wrong'.

Pydantic's error locations are followed through the YAML node tree and the schema together,
so a message names the field as written in the file (not pydantic's union tags), its line,
and for an unknown key the field it was probably meant to be.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml
from pydantic import BaseModel

from sim.scenario.config import Scenario
from sim.scenario.validation import format_path, quote
from sim.scenario.yaml_reading import cap_line, short_source



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
    node, holder = root, None
    tp: Any = model
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


def _describe(err: Mapping[str, Any], loc: list[Any], holder: Any) -> str:
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



def errors_to_message(source: str, root: yaml.Node | None, errors: Sequence[Mapping[str, Any]],
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
        lines.append(cap_line(f"{short_source(source)}{where}: {format_path(parts)}: {what}" if parts
                          else f"{short_source(source)}: {what}"))
    if len(kept) > 8:
        lines.append(f"... and {len(kept) - 8} more problems")
    return "\n".join(lines)


def _type_mismatch(err: Mapping[str, Any]) -> bool:
    """An error that only says the value is of another type (string_type, dict_type, ...)."""
    return str(err.get("type", "")).endswith(("_type", "_parsing"))

