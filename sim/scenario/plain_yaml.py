"""YAML read as plain data: the trust boundary between a user's file and the program.

PyYAML (libyaml when available) only parses the text into a tree of nodes. Nothing of
PyYAML's own constructors ever runs on user text: the data is built here, iteratively,
and can only be str, int, float, bool, None, list or dict, read with the YAML 1.2 core
schema (what editors and the JSON Schema assume):

- null: empty, `~`, `null`; booleans: `true`, `false` (also capitalised or in capitals);
- integers: ASCII decimal digits with an optional sign (`017` is 17), at most MAX_DIGITS;
- floats: `1.5`, `.5`, `1e3`, `-2.5E-3`, `.inf`, `-.inf`, `.nan` (the schema then refuses
  infinite and NaN numbers with its own message);
- anything else is text. YAML 1.1's other forms are text too: `yes`/`no`/`on`/`off`,
  `0x1F`, `0o17`, `0b101`, sexagesimal `1:30:00`, `1_000`, dates and timestamps
  (`2025-01-06` is the text a date field then parses). Where a number is expected the
  schema says so ("Input should be a valid integer ... (got '0x1F')").

An explicit tag (`!!timestamp 2025-13-01`, `!!python/object/apply:...`, `!!str x`, `!x`)
and a YAML 1.1 merge key (`<<: *defaults`) are refused with the file and line: a scenario
file holds text, numbers, true/false, lists and mappings, nothing else.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_DIGITS = 30  # digits of an integer; the largest bounded field (a seed) has 19

# Tags the resolver gives nodes written without a tag; any other tag was written explicitly.
PLAIN, QUOTED, SEQUENCE, MAPPING = "mgz:plain", "mgz:quoted", "mgz:sequence", "mgz:mapping"
EXPLICIT = "!"  # the non-specific tag `!`: explicit too

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")  # [0-9]: ASCII digits only (no '²', no Arabic-Indic digits)
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~6x faster
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Refused(Exception):
    """A value the reader refuses while building the data (with the node, for its line)."""

    def __init__(self, message: str, node: yaml.Node):
        super().__init__(message)
        self.node = node


class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Parses and composes the node tree only; every node written without a tag gets one
    of our own tags (so an explicit tag stands out), and PyYAML's YAML 1.1 resolvers never
    run."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:  # called by the composer
        if kind is yaml.ScalarNode:
            plain, quoted = implicit
            return PLAIN if plain else QUOTED if quoted else EXPLICIT
        if not implicit:
            return EXPLICIT
        return SEQUENCE if kind is yaml.SequenceNode else MAPPING


def shown_tag(tag: str) -> str:
    """A tag as the file wrote it: 'tag:yaml.org,2002:timestamp' -> '!!timestamp'."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def plain_value(text: str) -> Any:
    """A plain (unquoted) scalar as YAML 1.2's core schema reads it (scalar() bounds the
    digits first)."""
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if text[0].isalpha() or text[0] == "_":  # most keys and words: no number starts so (.inf starts with '.')
        return text
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text


def scalar(node: yaml.ScalarNode) -> Any:
    """The value of a scalar node, or Refused for an explicit tag or an absurd number."""
    if node.tag == QUOTED:
        return node.value
    if node.tag != PLAIN:
        raise Refused(f"the tag {shown_tag(node.tag)!r} is not read: a scenario file holds only text, numbers, "
                      "true/false, lists and mappings; write the value without a tag", node)
    text = node.value
    if len(text) > MAX_DIGITS and (_INT.fullmatch(text) or _FLOAT.fullmatch(text)):
        digits = sum(ch.isdigit() for ch in text)
        if digits > MAX_DIGITS:
            raise Refused(f"a number of {digits:,} digits; no field takes more than {MAX_DIGITS}", node)
    return plain_value(text)


def _key(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise Refused("a key must be a text or a number, not a list or a mapping", node)
    key = scalar(node)
    if key == "<<" and node.tag == PLAIN:
        raise Refused("a merge key '<<' (YAML 1.1) is not read: write the keys out, or put what is shared in a "
                      "scenario that this one extends", node)
    return key


def build(root: yaml.Node) -> Any:
    """The plain data of a node tree, built iteratively (no recursion limit). An alias is
    built again at every place it appears: the caller has bounded the expanded size and
    refused an alias inside itself (yaml_reading._check_tree), and no two places share a list or
    mapping that a later `set:` could change in both."""
    out: list[Any] = [None]
    stack: list[tuple[yaml.Node, Any, Any]] = [(root, out, 0)]
    while stack:
        node, parent, slot = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            value: Any = scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != SEQUENCE:
                raise Refused(f"the tag {shown_tag(node.tag)!r} is not read; write the list without a tag", node)
            value = [None] * len(node.value)
            stack.extend((child, value, i) for i, child in enumerate(node.value))
        else:
            if node.tag != MAPPING:
                raise Refused(f"the tag {shown_tag(node.tag)!r} is not read; write the mapping without a tag", node)
            value = {}
            for k, v in node.value:
                key = _key(k)
                value[key] = None
                stack.append((v, value, key))
        parent[slot] = value
    return out[0]


class Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Writes text that any YAML reader (1.1 or 1.2) reads back as text: a string that
    either would take for something else ('1e3', 'yes', '0x1F', '2025-01-06') is quoted."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    node = dumper.represent_str(text)
    if node.style is None and (not isinstance(plain_value(text), str) or text == "<<"):
        node.style = "'"
    return node


Dumper.add_representer(str, _represent_str)


def dump(data: Any, default_flow_style: bool | None = False, sort_keys: bool = False, **options: Any) -> str:
    """YAML text of plain data that reads back the same with load (and with any YAML 1.1
    reader): what every file mgz-sim writes for itself or a user to read again uses.

    The text is what yaml.dump(data, Dumper=Dumper, ...) writes, character for character
    (tests/test_plain_yaml_dump.py), but each distinct scalar is represented once: PyYAML
    represents and resolves every scalar anew in Python, 0.3-0.4 s for the large region's
    resolved scenario (40,000 scalars, most of them repeated keys and numbers); the events
    go to libyaml's emitter as they would from yaml.dump. `options`: yaml.emit's (width,
    allow_unicode, indent)."""
    events = _Events(Dumper(None), default_flow_style, sort_keys).of(data)
    stream = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(explicit=False), *events,
              yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    return yaml.emit(stream, Dumper=Dumper, **{"allow_unicode": True, **options})


class _Events:
    """The event stream yaml.dump's serializer would produce for plain data (no aliases:
    plain data written by mgz-sim never shares a list or mapping)."""

    def __init__(self, dumper: yaml.SafeDumper, default_flow_style: bool | None, sort_keys: bool):
        self.dumper, self.flow, self.sort = dumper, default_flow_style, sort_keys
        self.scalars: dict[tuple[type, Any], yaml.ScalarEvent] = {}
        self.events: list[yaml.Event] = []

    def of(self, data: Any) -> list[yaml.Event]:
        """The events of one document's content."""
        self._node(data)
        return self.events

    def _node(self, data: Any) -> None:
        if isinstance(data, dict):
            items = list(data.items())
            if self.sort:
                try:  # as PyYAML: keys that do not compare keep their order
                    items = sorted(items)
                except TypeError:
                    pass
            flat = [x for kv in items for x in kv]
            self._collection(yaml.MappingStartEvent, flat, yaml.MappingEndEvent())
        elif isinstance(data, list):
            self._collection(yaml.SequenceStartEvent, data, yaml.SequenceEndEvent())
        else:
            self.events.append(self.scalar(data))

    def _collection(self, start: type, children: list[Any], end: yaml.Event) -> None:
        # the representer's choice: the default flow style if set, else flow when every
        # child is a scalar written plain (PyYAML's 'best style')
        flow = self.flow
        if flow is None:
            flow = all(not isinstance(c, (dict, list)) and self.scalar(c).style is None for c in children)
        self.events.append(start(None, None, True, flow_style=flow))
        for child in children:
            self._node(child)
        self.events.append(end)

    def scalar(self, value: Any) -> yaml.ScalarEvent:
        """The event of one scalar, as the serializer makes it: the representer's text and
        style, and whether a YAML 1.1 reader would read the text back as its type."""
        key = (type(value), repr(value) if isinstance(value, float) else value)  # -0.0 == 0.0, nan != nan
        event = self.scalars.get(key)
        if event is None:
            node = self.dumper.represent_data(value)
            if not isinstance(node, yaml.ScalarNode):  # a set or a tuple: not plain data
                raise yaml.representer.RepresenterError(f"not plain data: {type(value).__name__}")
            implicit = (node.tag == self.dumper.resolve(yaml.ScalarNode, node.value, (True, False)),
                        node.tag == self.dumper.resolve(yaml.ScalarNode, node.value, (False, True)))
            event = self.scalars[key] = yaml.ScalarEvent(None, None, implicit, node.value, style=node.style)
        return event
