"""A scenario built on another: `extends: parent.yaml`, then `set: {path: value}`.

`set_path` sets one value by its path (`practices[P1].regular_load`), `deep_merge` lays a
file over its parent, `resolve_extends` follows the chain of files.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import ScenarioError, reading
from sim.scenario.config import Scenario
from sim.scenario.validation import listing, quote
from sim.scenario.yaml_reading import MAX_DEPTH, MAX_DIGITS, MAX_EXTENDS, file_ref, read_file, read_yaml, short_source

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
            raise ScenarioError(f"{short_source(source)}: extends: {quote(parent_name)} extends itself (a cycle)")
        if len(seen) >= MAX_EXTENDS:
            raise ScenarioError(f"{short_source(source)}: extends: more than {MAX_EXTENDS} files in one chain of "
                                "extends")
        try:
            _, parent = read_yaml(read_file(path), str(path))
            if not isinstance(parent, dict):
                raise ScenarioError(f"{short_source(str(path))}: a scenario must be a mapping of keys")
            parent = resolve_extends(parent, str(path), path.parent, (*seen, str(path)))
        except ScenarioError as exc:  # the message says which file extends which
            raise ScenarioError(f"{short_source(source)}: extends: {exc}") from None
        data = deep_merge(parent, data)
    if not isinstance(settings, dict):
        raise ScenarioError(f"{short_source(source)}: set: give a mapping of path: value")
    # `set` may reach parts the file never wrote (the HAP's default rosters): those parts are
    # filled in from the defaults, and nothing else, so defaults that follow another field
    # (rosters from inhabitants) are still derived after the change
    defaults = with_defaults(data) if settings else None
    for dotted, value in settings.items():
        try:
            with reading(source, f"set: {quote(str(dotted))}"):
                set_path(data, str(dotted), value, defaults)
        except ScenarioError as exc:
            raise ScenarioError(f"{short_source(source)}: set: {exc}") from None
    return data

