"""A region's workbook read sheet by sheet into records: the header row matched to the known
columns (Dutch or English, any case, with 'did you mean' for a misspelt one), then every row
read cell by cell. Nothing stops at the first problem: every bad cell of every sheet becomes a
Problem naming its sheet, row and column, in English and Dutch, and all are reported at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.regio_termen import Unclear, plain_text
from sim.scenario.werkboek_cellen import Table, column_letter
from sim.scenario.werkboek_kolommen import (
    EXAMPLE_PREFIX,
    READERS,
    REGIO_HEADERS,
    Column,
    Sheet,
    header_key,
)

MAX_SHOWN = 60  # problems printed; the rest are counted
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!",
                "#CALC!", "Err:502", "Err:504", "Err:511")  # as a .csv or a text cell shows them


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the workbook, where it is and what is allowed, in English and Dutch."""

    sheet: str
    row: int | None  # as the spreadsheet numbers it (1 = the first row)
    column: str | None  # the header as written, with its letter: "bewoners (C)"
    en: str
    nl: str

    def text(self, lang: str) -> str:
        nl = lang == "nl"
        where = [("blad " if nl else "sheet ") + self.sheet]
        if self.row is not None:
            where.append(("rij " if nl else "row ") + str(self.row))
        if self.column:
            where.append(("kolom " if nl else "column ") + self.column)
        return f"{', '.join(where)}: {self.nl if nl else self.en}"


class WorkbookError(ScenarioError):
    """Every problem of a workbook at once; printed in the language asked (text(lang))."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source, self.problems = source, problems
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        n = len(self.problems)
        head = (f"{self.source}: {n} {'fout' if n == 1 else 'fouten'} in het werkboek; er is niets ingelezen:"
                if lang == "nl" else
                f"{self.source}: {n} {'problem' if n == 1 else 'problems'} in the workbook; nothing was read:")
        lines = [f"  {p.text(lang)}" for p in self.problems[:MAX_SHOWN]]
        if n > MAX_SHOWN:
            lines.append(f"  ... en nog {n - MAX_SHOWN}" if lang == "nl" else f"  ... and {n - MAX_SHOWN} more")
        return "\n".join([head, *lines])


@dataclass
class Record:
    """One row of a sheet: its number, the values read (by column key) and where each column is.
    The regio sheet is one record whose fields each have their own row (rows)."""

    row: int
    values: dict[str, Any]
    columns: dict[str, str]  # column key -> "bewoners (C)"
    rows: dict[str, int] = field(default_factory=dict)  # column key -> its row, where it differs
    failed: set[str] = field(default_factory=set)  # columns whose cell was a problem (already reported)

    def where(self, key: str | None) -> tuple[int, str | None]:
        """(row, column label) of a value, for a problem found after reading."""
        return self.rows.get(key or "", self.row), self.columns.get(key or "")


@dataclass
class Reader:
    """Reads sheets into records and collects every problem on the way."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns and sheets nobody reads, to say so

    def problem(self, sheet: str, row: int | None, column: str | None, unclear: Unclear) -> None:
        self.problems.append(Problem(sheet, row, column, unclear.en, unclear.nl))

    # ------------------------------------------------------------------ sheets

    def sheets(self, tables: dict[str, Table], specs: tuple[Sheet, ...], required: set[str]) -> dict[str, Table]:
        """The tables by sheet key; a missing required sheet is a problem (with the closest name)."""
        found: dict[str, Table] = {}
        for name, table in tables.items():
            spec = next((s for s in specs if header_key(name) in s.names()), None)
            if spec is None:
                continue
            if spec.key in found:
                self.problem(name, None, None, Unclear(f"a second sheet for {spec.nl!r} (also {found[spec.key].name!r})",
                                                       f"een tweede blad voor {spec.nl!r} (ook {found[spec.key].name!r})"))
            found.setdefault(spec.key, table)
        for spec in specs:
            if spec.key in required and spec.key not in found:
                close = difflib.get_close_matches(header_key(spec.nl), [header_key(n) for n in tables], n=1, cutoff=0.6)
                guess = next((n for n in tables if close and header_key(n) == close[0]), None)
                hint = (f"; is {guess!r} meant?", f"; is {guess!r} bedoeld?") if guess else ("", "")
                self.problem(spec.nl, None, None, Unclear(
                    f"no sheet {spec.nl!r} ({spec.en}){hint[0]} (sheets: {', '.join(tables) or 'none'})",
                    f"geen blad {spec.nl!r}{hint[1]} (bladen: {', '.join(tables) or 'geen'})"))
        return found

    def _headers(self, table: Table, columns: tuple[Column, ...]) -> tuple[int, dict[int, Column]]:
        """The header row (the first row with anything in it) and the column each header means."""
        start = next((r for r, row in enumerate(table.values) if any(v is not None for v in row)), None)
        if start is None:
            return -1, {}
        known = {name: col for col in columns for name in col.names()}
        mapped: dict[int, Column] = {}
        for c, header in enumerate(table.values[start]):
            if header is None:
                continue
            col = known.get(header_key(header))
            label = f"{header} ({column_letter(c)})"
            if col is None:
                close = difflib.get_close_matches(header_key(header), list(known), n=1, cutoff=0.75)
                if close:
                    right = known[close[0]]
                    self.problem(table.name, start + 1, label, Unclear(
                        f"unknown column {str(header)!r}; did you mean {right.nl!r} ({right.en})?",
                        f"onbekende kolom {str(header)!r}; bedoelt u {right.nl!r}?"))
                else:
                    self.ignored.append(f"{table.name}: {header}")
                continue
            twice = next((k for k, other in mapped.items() if other is col), None)
            if twice is not None:
                self.problem(table.name, start + 1, label, Unclear(
                    f"a second column for {col.nl!r} (also column {column_letter(twice)})",
                    f"een tweede kolom voor {col.nl!r} (ook kolom {column_letter(twice)})"))
                continue
            mapped[c] = col
        for col in columns:
            if col.required and col not in mapped.values():
                self.problem(table.name, start + 1, None, Unclear(
                    f"no column {col.nl!r} ({col.en}): {col.help_en}", f"geen kolom {col.nl!r}: {col.help_nl}"))
        return start, mapped

    def _cell(self, table: Table, r: int, c: int, col: Column, label: str) -> tuple[bool, Any]:
        """(read, value) of one cell; a problem (and read False) for a mark, an empty required
        cell or a value its column cannot read."""
        row = table.values[r]
        value = row[c] if c < len(row) else None
        mark = table.marks.get((r, c))
        if mark is None and isinstance(value, str) and value in EXCEL_ERRORS:  # a .csv keeps the error's text
            mark, value = value, None
        where = (table.name, r + 1, label)
        if mark is not None and (value is None or mark.startswith("merged")):
            if mark == "formula":
                self.problem(*where, Unclear("a formula without a computed value: open and save the file in Excel or "
                                             "LibreOffice, or type the value",
                                             "een formule zonder berekende waarde: open en bewaar het bestand in "
                                             "Excel of LibreOffice, of typ de waarde"))
            elif mark.startswith("merged"):
                span = mark.removeprefix("merged ")
                self.problem(*where, Unclear(f"merged cells ({span}): unmerge them and fill in every row",
                                             f"samengevoegde cellen ({span}): maak ze los en vul elke rij in"))
            else:
                self.problem(*where, Unclear(f"the cell shows an error ({mark}): put a value in it",
                                             f"de cel toont een fout ({mark}): vul een waarde in"))
            return False, None
        if value is None:
            if col.required:
                self.problem(*where, Unclear(f"empty; required: {col.help_en}", f"leeg; verplicht: {col.help_nl}"))
            return False, None
        try:
            return True, READERS[col.kind](value)
        except Unclear as exc:
            self.problem(*where, exc)
            return False, None

    def _read_into(self, rec: Record, table: Table, r: int, c: int, col: Column, label: str) -> None:
        before = len(self.problems)
        ok, value = self._cell(table, r, c, col, label)
        if ok:
            rec.values[col.key] = value
        elif len(self.problems) > before:
            rec.failed.add(col.key)

    # ------------------------------------------------------------------ tables

    def records(self, table: Table, spec: Sheet) -> list[Record]:
        """Every row under the header that has anything in it, read."""
        start, mapped = self._headers(table, spec.columns)
        out: list[Record] = []
        if start < 0:
            return out
        labels = {c: f"{table.values[start][c]} ({column_letter(c)})" for c in mapped}
        for r in range(start + 1, len(table.values)):
            if not any(table.values[r][c] is not None or (r, c) in table.marks
                       for c in mapped if c < len(table.values[r])):
                continue
            rec = Record(r + 1, {}, {})
            for c, col in mapped.items():
                rec.columns[col.key] = labels[c]
                self._read_into(rec, table, r, c, col, labels[c])
            values, columns = rec.values, rec.columns
            name = values.get("name")
            if isinstance(name, str) and plain_text(name).startswith(EXAMPLE_PREFIX):
                self.problem(table.name, r + 1, columns.get("name"), Unclear(
                    "the template's example row: replace it with your own or delete it",
                    "de voorbeeldrij van het sjabloon: vervang hem door uw eigen gegevens of verwijder hem"))
            out.append(rec)
        return out

    def fields(self, table: Table, spec: Sheet) -> Record:
        """The regio sheet: one value per field, in a 'veld' and a 'waarde' column."""
        header_cols = (Column("field", "veld", "field", "text", True, "", "", None, REGIO_HEADERS[0]),
                       Column("value", "waarde", "value", "text", True, "", "", None, REGIO_HEADERS[1]),
                       Column("note", "toelichting", "explanation", "text", False, "", "", None, REGIO_HEADERS[2]))
        start, mapped = self._headers(table, header_cols)
        record = Record(start + 1, {}, {})
        by_key = {c.key: k for k, c in mapped.items()}
        if start < 0 or "field" not in by_key or "value" not in by_key:
            if start < 0:
                self.problem(table.name, None, None, Unclear("the sheet is empty; it needs a column 'veld' and a "
                                                             "column 'waarde'", "het blad is leeg; het heeft een "
                                                             "kolom 'veld' en een kolom 'waarde' nodig"))
            return record
        fc, vc = by_key["field"], by_key["value"]
        known = {name: col for col in spec.columns for name in col.names()}
        rows: dict[str, int] = {}
        for r in range(start + 1, len(table.values)):
            row = table.values[r]
            name = row[fc] if fc < len(row) else None
            if name is None:
                continue
            col = known.get(header_key(name))
            if col is None:
                close = difflib.get_close_matches(header_key(name), list(known), n=1, cutoff=0.75)
                if close:
                    self.problem(table.name, r + 1, f"{table.values[start][fc]} ({column_letter(fc)})", Unclear(
                        f"unknown field {str(name)!r}; did you mean {known[close[0]].nl!r}?",
                        f"onbekend veld {str(name)!r}; bedoelt u {known[close[0]].nl!r}?"))
                else:
                    self.ignored.append(f"{table.name}: {name}")
                continue
            label = f"{table.values[start][vc]} ({column_letter(vc)})"
            if col.key in rows:
                self.problem(table.name, r + 1, label, Unclear(f"{col.nl!r} a second time (also row {rows[col.key]})",
                                                               f"{col.nl!r} nog eens (ook rij {rows[col.key]})"))
                continue
            rows[col.key] = record.rows[col.key] = r + 1
            record.columns[col.key] = label
            self._read_into(record, table, r, vc, col, label)
        for col in spec.columns:
            if col.required and col.key not in rows:
                self.problem(table.name, None, None, Unclear(f"no row {col.nl!r} ({col.en}): {col.help_en}",
                                                             f"geen rij {col.nl!r}: {col.help_nl}"))
        return record
