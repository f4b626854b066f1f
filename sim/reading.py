"""Reading what a user hands us, within bounds: the pieces every input surface shares.

A user's file reaches no library call that can do anything but return plain data or end
in one ScenarioError naming the file and what is allowed:

- read_bytes / read_text: a regular file only (not a folder, a FIFO, /dev/zero or a socket),
  at most `limit` bytes, even if it grows while being read; text must be UTF-8.
- read_json: the same, then JSON that nests at most MAX_JSON_DEPTH levels (Python's parser
  recurses) and holds no NaN or Infinity literals (our own files never do).
- check_archive: a zip container (an .xlsx workbook is one) opened only if its members,
  unpacked, stay within bounds: no zip bomb reaches a parser.
- bounded_rows: the rows of a table, refused at the first one past the limit (a sheet of a
  million rows is refused after the limit, not after reading it all).
- cell_number / cell_text / cell_date: one cell of a table as the value a field needs, or
  a message naming the cell: a formula, a date where a number belongs, a number where a
  date belongs, text that only looks like a number ('1e3', '²', '0x10'), NaN or infinity.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError

MAX_JSON_DEPTH = 100  # nesting levels of a JSON document; ours have at most 6
SHOWN_CHARS = 80  # characters of a name or a value quoted in a message

_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?")  # ASCII digits only
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A name or value as a message shows it: cut to `limit` characters, with its length."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit // 2]}...{text[-limit // 2:]} ({len(text):,} characters)"


def read_bytes(path: Path, what: str, limit: int, name: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is one
    ScenarioError naming the file (`name`, else the path) and `what` it should be."""
    name = name or shown(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ScenarioError(f"{name}: is a folder, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError(f"{name}: is not a regular file (a device, pipe or socket); give a {what}")
        if info.st_size > limit:
            raise ScenarioError(f"{name}: {info.st_size / 1024**2:,.1f} MB; a {what} is at most {_mb(limit)}")
        with open(path, "rb") as f:
            data = f.read(limit + 1)  # a file that grows, or reports no size (/proc), stays bounded
    except ValueError:  # a NUL character in the name
        raise ScenarioError(f"{name}: not a valid file name (it contains a NUL character)") from None
    except (FileNotFoundError, NotADirectoryError):
        raise ScenarioError(f"{name}: {what} not found") from None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ScenarioError(f"{name}: cannot read the {what} ({reason})") from None
    if len(data) > limit:
        raise ScenarioError(f"{name}: more than {_mb(limit)}; a {what} is at most that")
    return data


def _mb(limit: int) -> str:
    return f"{limit // 1024**2} MB" if limit >= 1024**2 else f"{limit:,} bytes"


def read_text(path: Path, what: str, limit: int, name: str | None = None) -> str:
    """read_bytes, decoded as UTF-8 (a byte-order mark is allowed)."""
    data = read_bytes(path, what, limit, name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(f"{name or shown(path)}, line {line}: not a text (UTF-8) file: byte "
                            f"0x{data[exc.start]:02x} at position {exc.start:,}; save it as UTF-8") from None


def json_depth(text: str) -> int:
    """The deepest nesting of brackets in a JSON text (outside strings), in one pass: no
    recursion, whatever the text."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str, name: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """JSON text as plain data, or one ScenarioError naming `name`: nesting beyond
    `max_depth`, NaN/Infinity literals and syntax errors (with the line) alike."""
    depth = json_depth(text)
    if depth > max_depth:
        raise ScenarioError(f"{name}: nested {depth:,} levels deep; at most {max_depth}")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{name}, line {exc.lineno}: not valid JSON ({exc.msg}); was the file cut short?") from None
    except ValueError as exc:
        raise ScenarioError(f"{name}: not valid JSON ({exc})") from None


def read_json(path: Path, what: str, limit: int, name: str | None = None) -> Any:
    """A JSON file within bounds (read_text, then parse_json)."""
    name = name or shown(path)
    return parse_json(read_text(path, what, limit, name), name)


def check_archive(path: Path, what: str, limit: int, max_members: int = 10_000, max_ratio: float = 200.0,
                  name: str | None = None) -> None:
    """A zip container (an .xlsx workbook) whose members unpack to at most `limit` bytes in
    all, with at most `max_members` members and no member compressed more than `max_ratio`
    times: checked from its directory, before any member is unpacked."""
    name = name or shown(path)
    read_bytes(path, what, limit, name)  # a regular file, not too large itself
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ScenarioError(f"{name}: not a {what} ({type(exc).__name__}: {shown(exc, 60)})") from None
    if len(members) > max_members:
        raise ScenarioError(f"{name}: {len(members):,} parts inside; a {what} has at most {max_members:,}")
    total = sum(m.file_size for m in members)
    if total > limit:
        raise ScenarioError(f"{name}: unpacks to {total / 1024**2:,.0f} MB; a {what} is at most {_mb(limit)}")
    for m in members:
        if m.file_size > 1024**2 and m.file_size > max_ratio * max(m.compress_size, 1):
            raise ScenarioError(f"{name}: part {shown(m.filename, 40)} unpacks {m.file_size / max(m.compress_size, 1):,.0f} "
                                f"times its size (a zip bomb?); a {what} is not packed like that")


def bounded_rows(rows: Iterable[Any], limit: int, name: str, what: str = "rows") -> Iterator[Any]:
    """The rows, one by one, refusing the first one past `limit` (the rest is never read)."""
    for k, row in enumerate(rows):
        if k >= limit:
            raise ScenarioError(f"{name}: more than {limit:,} {what}; at most {limit:,}")
        yield row


def _cell_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


def _formula(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip().startswith("=")


def cell_number(value: Any, where: str, low: float | None = None, high: float | None = None,
                integer: bool = False, decimal_comma: bool = True) -> float | int | None:
    """One cell as a number (None for an empty cell), or one ScenarioError naming `where`
    (e.g. "export.xlsx, sheet Consults, cell C7"). Text is read only if it is a plain
    number in ASCII digits ('12', '-3.5', '2,5' with `decimal_comma`); a formula, a date, a
    time, true/false, NaN, infinity or anything else is refused, as is a value outside
    [low, high] or, with `integer`, a fraction."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if _formula(value):
        raise ScenarioError(f"{where}: a formula ({shown(value, 40)}); save the sheet with values, not formulas")
    number: float | int
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ScenarioError(f"{where}: {_cell_kind(value)} where a number belongs (got {shown(value, 40)})")
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER.fullmatch(text) or (not decimal_comma and "," in text):
            raise ScenarioError(f"{where}: {shown(text, 40)!r} is not a number")
        number = float(text.replace(",", ".")) if any(c in text for c in ".,eE") else int(text)
    else:
        number = value
    if isinstance(number, float) and not math.isfinite(number):
        raise ScenarioError(f"{where}: give a finite number (got {number})")
    if integer:
        if isinstance(number, float) and not number.is_integer():
            raise ScenarioError(f"{where}: give a whole number (got {number:g})")
        number = int(number)
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"from {low:g}" if high is None else f"up to {high:g}" if low is None else f"from {low:g} to {high:g}"
        raise ScenarioError(f"{where}: {number:g} is out of range; give a number {bounds}")
    return number


def cell_text(value: Any, where: str, max_chars: int = 200) -> str | None:
    """One cell as text (None for an empty cell): numbers are written as text (12, not
    12.0); a formula or a date is refused; at most `max_chars` characters."""
    if value is None:
        return None
    if _formula(value):
        raise ScenarioError(f"{where}: a formula ({shown(value, 40)}); save the sheet with values, not formulas")
    if isinstance(value, (dt.date, dt.time, bool)):
        raise ScenarioError(f"{where}: {_cell_kind(value)} where a text belongs (got {shown(value, 40)})")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ScenarioError(f"{where}: {value} where a text belongs")
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, (int, str)):
        text = str(value)
    else:
        raise ScenarioError(f"{where}: {_cell_kind(value)} where a text belongs")
    text = text.strip()
    if len(text) > max_chars:
        raise ScenarioError(f"{where}: {len(text):,} characters; at most {max_chars:,}")
    return text or None


def cell_date(value: Any, where: str, first: dt.date = dt.date(1900, 1, 1),
              last: dt.date = dt.date(2199, 12, 31)) -> dt.date | None:
    """One cell as a date (None for an empty cell): a date, a date and time at midnight or
    ISO text (2025-01-06); a number (a spreadsheet's day count), a formula or other text is
    refused, and so is a date outside [first, last]."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if _formula(value):
        raise ScenarioError(f"{where}: a formula ({shown(value, 40)}); save the sheet with values, not formulas")
    day: dt.date
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ScenarioError(f"{where}: a date and time ({value.isoformat(sep=' ')}) where a date belongs")
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and (found := _DATE.fullmatch(value.strip())):
        try:
            day = dt.date(*(int(g) for g in found.groups()))
        except ValueError as exc:
            raise ScenarioError(f"{where}: {value.strip()!r} is not a date ({exc})") from None
    else:
        raise ScenarioError(f"{where}: {_cell_kind(value)} where a date belongs (got {shown(value, 40)}); write it "
                            "as a date, e.g. 2025-01-06")
    if not first <= day <= last:
        raise ScenarioError(f"{where}: {day} is outside {first} to {last}")
    return day
