"""Reading a scenario or sweep file's YAML within bounds: the text, the node tree, the data.

Reading is bounded before anything is built: a file's size, its number of YAML nodes (also
after aliases expand: no 'billion laughs'), its nesting depth (also after aliases expand)
and the digits of a number; a key written twice in one mapping is an error, not silently
the last one. The data is built by plain_yaml (YAML 1.2 core, plain types only, no tags):
no library constructor sees user text. Every problem is one ScenarioError naming the file
and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.errors import ScenarioError
from sim.reading import read_text
from sim.scenario import plain_yaml
from sim.scenario.validation import QUOTE_CHARS, quote

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


def short_source(source: str) -> str:
    """A file name as shown in a message: a very long one keeps its start and its end."""
    return source if len(source) <= 2 * QUOTE_CHARS else f"{source[:QUOTE_CHARS]}...{source[-QUOTE_CHARS:]}"


def cap_line(line: str) -> str:
    """One line of a message, at most MAX_LINE_CHARS characters."""
    return line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 30] + f"... ({len(line):,} characters)"


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
                raise ScenarioError(f"{short_source(source)}, line {node.start_mark.line + 1}: nested more than "
                                    f"{MAX_DEPTH} levels deep once its aliases are expanded; a scenario needs about 8")
            if expanded[key] > MAX_NODES:
                raise ScenarioError(f"{short_source(source)}, line {node.start_mark.line + 1}: the YAML expands to "
                                    f"more than {MAX_NODES:,} values (aliases of aliases?); a scenario has far fewer")
            continue
        if key in expanded:
            continue
        line = node.start_mark.line + 1
        if key in open_:
            raise ScenarioError(f"{short_source(source)}, line {line}: an alias refers to the value that contains it")
        if depth > MAX_DEPTH:
            raise ScenarioError(f"{short_source(source)}, line {line}: nested more than {MAX_DEPTH} levels deep; a "
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
            raise ScenarioError(f"{short_source(source)}, line {b.line + 1}: key {quote(k.value)} is written twice "
                                f"in the same mapping (also at {also}); keep one")


def read_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers in messages) and the data built from it."""
    rough = _count_nodes_roughly(text)
    if rough > MAX_NODES:
        raise ScenarioError(f"{short_source(source)}: about {rough:,} YAML values; a scenario or sweep file holds at "
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
        raise ScenarioError(f"{short_source(source)}, line {exc.node.start_mark.line + 1}: {exc}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a NUL, a control character)
        line = text[: exc.position].count("\n") + 1
        raise ScenarioError(f"{short_source(source)}, line {line}: character #x{exc.character:04x} is not allowed "
                            "in a YAML file (a control character)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        if mark is not None and "\t" in (text.splitlines()[mark.line:mark.line + 1] or [""])[0]:
            problem += " (indent with spaces, not tabs)"
        raise ScenarioError(cap_line(f"{short_source(source)}{where}: YAML syntax error: {problem}")) from None
    except RecursionError:  # the pure-Python parser, without libyaml, recurses per level
        raise ScenarioError(f"{short_source(source)}: nested too deeply; a scenario needs about 8 levels") from None


def read_file(path: Path, what: str = "scenario file") -> str:
    """The text of a scenario or sweep file: a regular UTF-8 file (a byte-order mark is
    allowed) of at most MAX_FILE_BYTES; anything else is one clear ScenarioError."""
    return read_text(path, what, MAX_FILE_BYTES, short_source(str(path)))


def file_ref(name: Any, source: str, field: str, base_dir: Path | None) -> Path:
    """The file a field names (extends, a sweep's base or reference), relative to the
    file that names it; a clear error when the name cannot be a file name."""
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(f"{short_source(source)}: {field}: give a scenario file name, relative to this file "
                            f"(got {quote(name)})")
    if "\0" in name:
        raise ScenarioError(f"{short_source(source)}: {field}: {quote(name)} is not a valid file name (it contains a "
                            "NUL character)")
    try:
        return ((base_dir or Path(".")) / name).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a name too long for the system
        raise ScenarioError(f"{short_source(source)}: {field}: {quote(name)} cannot be resolved "
                            f"({type(exc).__name__})") from None

