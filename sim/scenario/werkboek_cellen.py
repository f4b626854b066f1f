"""Reading a region's spreadsheet into plain cells, within bounds, before anything is
interpreted: an .xlsx or .ods workbook (python-calamine, fast, in Rust), or a folder of .csv
files, one per sheet. What a cell holds that is no value is marked, so the import can say so
per row instead of reading it as empty: an error (#DIV/0!), a formula nobody computed (a file
written by a script and never opened), a merged cell.

Bounds, checked in this order so a wrong file is refused at once: the file's size on disk,
the size of its parts unpacked (an .xlsx or .ods is a zip file: no zip bomb), and the rows
and columns of each sheet.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sim.errors import ScenarioError

WORKBOOK_SUFFIXES = (".xlsx", ".ods", ".csv")
MAX_WORKBOOK_BYTES = 10 * 1024**2  # a region of 20,000 locations is about 2 MB as .xlsx (1,000: 100 KB)
MAX_UNPACKED_BYTES = 100 * 1024**2  # an .xlsx / .ods unpacked: ~0.7 s for calamine to read
MAX_ROWS = 20_000  # rows of one sheet: as many locations as a scenario may have
MAX_COLUMNS = 60  # columns of one sheet: a location has 13, a region's own list a few more


def is_workbook(path: str | Path) -> bool:
    """A spreadsheet of a region (.xlsx, .ods, .csv, or a folder of .csv files) rather than YAML."""
    path = Path(path)
    return path.suffix.lower() in WORKBOOK_SUFFIXES or path.is_dir()


def region_stem(path: str | Path) -> Path:
    """Where a region's workbook lives without its suffix: mijnregio.xlsx -> mijnregio; a folder
    of .csv files -> the folder's own path; noord-locaties.csv -> noord (its prefix); locaties.csv
    -> its folder. The imported YAML is this + '.yaml', the scenario's default name its name."""
    path = Path(path)
    if path.is_dir():
        return path
    if path.suffix.lower() == ".csv":
        cut = max(path.stem.rfind("-"), path.stem.rfind("_"))
        return path.parent / path.stem[:cut] if cut > 0 else path.parent.resolve()
    return path.with_suffix("")


@dataclass
class Table:
    """One sheet: its values by row and column from A1 (None for an empty cell; text stripped),
    and the cells that hold no value, each with what they hold instead."""

    name: str
    values: list[list[Any]]
    marks: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> '#DIV/0!', 'formula', 'merged A4:A5'


def column_letter(col: int) -> str:
    """0 -> A, 27 -> AB."""
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _refuse(path: Path, en: str) -> ScenarioError:
    return ScenarioError(f"{path}: {en}")


def _check_file(path: Path) -> None:
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise _refuse(path, "file not found") from None
    except (OSError, ValueError) as exc:
        raise _refuse(path, f"cannot be read ({type(exc).__name__})") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, "is not a regular file; give a workbook (.xlsx, .ods) or a .csv file")
    if info.st_size > MAX_WORKBOOK_BYTES:
        raise _refuse(path, f"{info.st_size / 1024**2:,.1f} MB; a region's workbook is at most "
                            f"{MAX_WORKBOOK_BYTES // 1024**2} MB (20,000 locations take about 2 MB)")


def read_tables(path: str | Path) -> dict[str, Table]:
    """Every sheet of a workbook, or every .csv of a region (see csv_files), by name."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".csv":
        return {name: _read_csv(name, file) for name, file in csv_files(path).items()}
    _check_file(path)
    if path.suffix.lower() not in (".xlsx", ".ods"):
        raise _refuse(path, "give a workbook (.xlsx, .ods) or a .csv file")
    parts = _zip_parts(path)
    try:
        from python_calamine import CalamineWorkbook
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        tables = {}
        for name in names:
            sheet = book.get_sheet_by_name(name)
            _check_size(path, name, sheet.end)
            tables[name] = Table(name, [[_value(v) for v in row] for row in sheet.to_python(skip_empty_area=False)])
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
                _mark_merged(tables[name], r0, c0, r1, c1)
    except ScenarioError:
        raise
    except Exception as exc:  # calamine's own errors: a damaged or password-protected file
        raise _refuse(path, f"cannot be read as a workbook ({type(exc).__name__}: {str(exc)[:200]})") from None
    marks = _xlsx_marks(parts) if path.suffix.lower() == ".xlsx" else _ods_marks(parts)
    for name, found in marks.items():
        if name in tables:
            for (r, c), mark in found.items():
                tables[name].marks.setdefault((r, c), mark)
                if r < len(tables[name].values) and c < len(tables[name].values[r]):
                    tables[name].values[r][c] = None  # an error's number (ods gives 0) is no value
    return tables


def _value(v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def _check_size(path: Path, sheet: str, end: tuple[int, int] | None) -> None:
    if end is None:
        return
    rows, cols = end[0] + 1, end[1] + 1
    if rows > MAX_ROWS + 1:
        raise _refuse(path, f"sheet {sheet!r} has {rows:,} rows; a sheet holds at most {MAX_ROWS:,} (and its header)")
    if cols > MAX_COLUMNS:
        raise _refuse(path, f"sheet {sheet!r} has {cols:,} columns; a sheet holds at most {MAX_COLUMNS}")


def _mark_merged(table: Table, r0: int, c0: int, r1: int, c1: int) -> None:
    span = f"merged {column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
    for r in range(r0, min(r1, MAX_ROWS + 1) + 1):
        for c in range(c0, min(c1, MAX_COLUMNS) + 1):
            table.marks[(r, c)] = span


# --------------------------------------------------------------------------- zip parts


def _zip_parts(path: Path) -> dict[str, zipfile.ZipInfo | zipfile.ZipFile]:
    """The workbook's parts by name (and the open zip under ''), after checking their unpacked size."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _refuse(path, f"is not an {path.suffix.lower()} workbook (not a zip file inside); save it again as "
                            "Excel (.xlsx) or OpenDocument (.ods)") from None
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(path, f"unpacks to {unpacked / 1024**2:,.0f} MB; a region's workbook unpacks to at most "
                            f"{MAX_UNPACKED_BYTES // 1024**2} MB (a sheet of many thousands of rows?)")
    return {"": archive, **{info.filename: info for info in archive.infolist()}}


def _read_part(parts: dict[str, Any], name: str) -> bytes | None:
    return parts[""].read(name) if name in parts else None


_CELL = re.compile(rb'<c\b([^>]*?)(?<!/)>(.*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb'<v>([^<]*)</v>')


def _xlsx_marks(parts: dict[str, Any]) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells (t="e") and formulas without a computed value, per sheet, from the sheet XML
    (calamine reads both as empty)."""
    book, rels = _read_part(parts, "xl/workbook.xml"), _read_part(parts, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    ns_r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(rels)}
    out: dict[str, dict[tuple[int, int], str]] = {}
    for sheet in ET.fromstring(book).iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        target = targets.get(sheet.get(ns_r), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        xml = _read_part(parts, part)
        if xml is None or (b't="e"' not in xml and b"<f" not in xml):
            continue
        found: dict[tuple[int, int], str] = {}
        for attrs, body in _CELL.findall(xml):
            is_error, is_formula = b't="e"' in attrs, b"<f" in body
            if not (is_error or is_formula):
                continue
            ref, value = _REF.search(attrs), _VALUE.search(body)
            if ref is None:
                continue
            at = (int(ref.group(2)) - 1, _column_index(ref.group(1).decode()))
            if is_error:
                found[at] = value.group(1).decode(errors="replace") if value else "#ERROR"
            elif value is None or not value.group(1):
                found[at] = "formula"
        out[sheet.get("name", "")] = found
    return out


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"}


def _ods_marks(parts: dict[str, Any]) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells and merged cells per sheet of an .ods (calamine gives an error's stored
    number, often 0, and does not report merged cells for .ods)."""
    xml = _read_part(parts, "content.xml")
    if xml is None:
        return {}
    t, calc = f"{{{_ODS['table']}}}", f"{{{_ODS['calcext']}}}"
    out: dict[str, dict[tuple[int, int], str]] = {}
    found: dict[tuple[int, int], str] = {}
    row = col = 0
    for event, el in ET.iterparse(io.BytesIO(xml), events=("start", "end")):
        if event == "start" and el.tag == f"{t}table":
            found, row = {}, 0
            out[el.get(f"{t}name", "")] = found
        elif event == "start" and el.tag == f"{t}table-row":
            col = 0
        elif event == "end" and el.tag == f"{t}table-row":
            row += int(el.get(f"{t}number-rows-repeated", "1"))
        elif event == "end" and el.tag in (f"{t}table-cell", f"{t}covered-table-cell"):
            repeat = int(el.get(f"{t}number-columns-repeated", "1"))
            if row <= MAX_ROWS and col < MAX_COLUMNS:
                rows, cols = int(el.get(f"{t}number-rows-spanned", "1")), int(el.get(f"{t}number-columns-spanned", "1"))
                if el.get(f"{calc}value-type") == "error":
                    found[(row, col)] = "".join(el.itertext()).strip() or "#ERROR"
                if rows > 1 or cols > 1:
                    span = f"merged {column_letter(col)}{row + 1}:{column_letter(col + cols - 1)}{row + rows}"
                    for r in range(row, row + min(rows, MAX_ROWS)):
                        for c in range(col, col + min(cols, MAX_COLUMNS)):
                            found[(r, c)] = span
            col += repeat
            el.clear()
    return out


# --------------------------------------------------------------------------- csv


def csv_files(path: Path) -> dict[str, Path]:
    """The .csv files of one region, by sheet name: in a folder, every NAME.csv (regio.csv,
    praktijken.csv, locaties.csv, ...); given one file PREFIXNAME.csv whose stem has a '-' or
    '_' (noord-locaties.csv), every PREFIX*.csv beside it (noord-regio.csv, ...), else every
    .csv in its folder without such a prefix."""
    if path.is_dir():
        folder, prefix = path, ""
    else:
        _check_file(path)
        folder = path.parent
        cut = max(path.stem.rfind("-"), path.stem.rfind("_"))
        prefix = path.stem[:cut + 1] if cut >= 0 else ""
    try:
        found = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.stem.startswith(prefix))
    except OSError as exc:
        raise _refuse(folder, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    files = {p.stem[len(prefix):]: p for p in found
             if prefix or ("-" not in p.stem and "_" not in p.stem)}
    if not files:
        raise _refuse(path, "no .csv files of a region here; write one per sheet: regio.csv, praktijken.csv, "
                            "locaties.csv (docs/model.md, 'Your own region')")
    return files


def _read_csv(name: str, path: Path) -> Table:
    """A .csv as Excel and LibreOffice write it: separated by ';' (Dutch settings), ',' or tabs,
    in UTF-8 or Windows-1252; every cell is text (read as numbers later, a decimal comma too)."""
    _check_file(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    rows: list[list[Any]] = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(rows) > MAX_ROWS:
            raise _refuse(path, f"more than {MAX_ROWS:,} rows; a sheet holds at most {MAX_ROWS:,} (and its header)")
        if len(row) > MAX_COLUMNS:
            raise _refuse(path, f"row {len(rows) + 1} has {len(row)} columns; a sheet holds at most {MAX_COLUMNS}")
        rows.append([_value(v) for v in row])
    return Table(name, rows)
