"""Writing a region's workbook (.xlsx, with openpyxl): the empty template to fill in, with its
headers, an example row, dropdowns (data validation) for the columns with a fixed set of
values and a sheet that explains every column in Dutch and English; and any scenario written
back out as a workbook, so a region round-trips: import(export(s)) is s for everything the
workbook can hold. What it cannot hold (arrangements, routes, demand parameters, rosters of
another form, ...) is found by importing the written workbook again and comparing, and said.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from sim.errors import ScenarioError
from sim.scenario.config import Scenario
from sim.scenario.regio_termen import profile_table
from sim.scenario.schema import Translated
from sim.scenario.werkboek_kolommen import BEHANDELDIENSTEN, LOCATIES, PRAKTIJKEN, REGIO, REGIO_HEADERS, Sheet
from sim.scenario.werkboek_roosters import behandeldienst_counts, roster_fte

VALIDATED_ROWS = 2_000  # rows under the header that get the dropdowns
BOLD, HEAD_FILL = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
TEXT_COLUMNS = ("agb", "id", "postcode")  # stored as text: an AGB code keeps its leading zero
STRICT_CHOICES = ("kind", "sector", "behandeling", "discipline")  # other lists only suggest (zorgprofiel: ZZP codes too)

EXAMPLES = {
    "praktijken": [{"name": "Voorbeeld: Huisartsenpraktijk De Linde", "agb": "01234567", "list_size": 4700, "fte": 2}],
    "behandeldiensten": [{"name": "Voorbeeld: Behandeldienst Zorggroep Noord", "discipline": "SO", "day": 2, "anw": 1}],
    "locaties": [{"name": "Voorbeeld: De Eik", "postcode": "1234 AB", "residents": 24, "kind": "kleinschalig",
                  "profile": "PG", "behandeling": "nee",
                  "practice": "Voorbeeld: Huisartsenpraktijk De Linde",
                  "travel_min_practice": 6, "travel_min_hap": 12}],
}


def _refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise ScenarioError(f"{path}: exists; it is not overwritten (give another name, or --force to replace it)")
    if path.suffix.lower() != ".xlsx":
        raise ScenarioError(f"{path}: a workbook is written as .xlsx (LibreOffice opens it too)")


def _save(book: Workbook, path: Path) -> None:
    """Written beside its place and renamed into it: never half a workbook."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent or ".")
    os.close(fd)
    try:
        book.save(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as any file the user writes, not mkstemp's owner-only
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _table(book: Workbook, spec: Sheet, rows: list[dict[str, Any]], example: bool) -> None:
    ws = book.create_sheet(spec.nl)
    for c, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=c, value=col.nl)
        cell.font, cell.fill = BOLD, HEAD_FILL
        cell.comment = Comment(f"{col.help_nl}\n\n{col.en}: {col.help_en}", "mgz-sim", width=300, height=160)
        ws.column_dimensions[cell.column_letter].width = max(12, min(40, len(col.nl) + 4))
        if col.key in TEXT_COLUMNS:
            for r in range(2, VALIDATED_ROWS + 2):
                ws.cell(row=r, column=c).number_format = "@"
        if col.choices:
            strict = col.key in STRICT_CHOICES
            check = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True,
                                   showErrorMessage=strict, errorTitle=col.nl,
                                   error=f"{col.help_nl} / {col.help_en}")
            check.add(f"{cell.column_letter}2:{cell.column_letter}{VALIDATED_ROWS + 1}")
            ws.add_data_validation(check)
    ws.freeze_panes = "A2"
    for r, row in enumerate(rows, start=2):
        for c, col in enumerate(spec.columns, start=1):
            cell = ws.cell(row=r, column=c, value=row.get(col.key))
            if example:
                cell.font = EXAMPLE_FONT


def _regio(book: Workbook, values: dict[str, Any]) -> None:
    ws = book.active
    ws.title = REGIO.nl
    for c, (nl, _) in enumerate(REGIO_HEADERS, start=1):
        cell = ws.cell(row=1, column=c, value=nl)
        cell.font, cell.fill = BOLD, HEAD_FILL
    for r, col in enumerate(REGIO.columns, start=2):
        ws.cell(row=r, column=1, value=col.nl).font = BOLD if col.required else Font()
        ws.cell(row=r, column=2, value=values.get(col.key))
        example = f" (bijv. {col.example})" if col.example is not None else ""
        ws.cell(row=r, column=3, value=f"{'verplicht; ' if col.required else ''}{col.help_nl}{example}. {col.en}: "
                                       f"{col.help_en}")
    for letter, width in (("A", 18), ("B", 28), ("C", 110)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def _explanation(book: Workbook) -> None:
    """The sheet 'uitleg': how to fill in the workbook and what every column means."""
    ws = book.create_sheet("uitleg")
    lines = [
        ("Uw eigen regio voor mgz-sim / Your own region for mgz-sim",),
        ("1. Vul het blad regio in (naam, inwoners), dan een rij per huisartspraktijk, per locatie en per "
         "behandeldienst. Verwijder de grijze voorbeeldrijen.",),
        ("2. Reken door: mgz-sim run BESTAND.xlsx; of lees in als scenario: mgz-sim regio importeer BESTAND.xlsx",),
        ("1. Fill in the regio sheet (name, inhabitants), then one row per GP practice, location and "
         "behandeldienst. Delete the grey example rows. 2. Run: mgz-sim run FILE.xlsx",),
        ("Kolommen met vet zijn verplicht. Fouten worden per blad, rij en kolom gemeld. Details: docs/model.md, "
         "'Your own region'.",),
        (),
        ("blad / sheet", "kolom", "column", "verplicht / required", "betekenis", "meaning", "voorbeeld / example"),
    ]
    for spec in (REGIO, PRAKTIJKEN, LOCATIES, BEHANDELDIENSTEN):
        lines += [(spec.nl, col.nl, col.en, "ja" if col.required else "nee", col.help_nl, col.help_en,
                   "" if col.example is None else str(col.example)) for col in spec.columns]
    lines += [(), ("zorgprofiel (familie) / care profile", "sector", "betekenis", "meaning")]
    for family, row in profile_table()["families"].items():
        lines.append((family, row["sector"], row["nl"], row["en"]))
    headings = {1, 7, len(lines) - len(profile_table()["families"])}  # the title and the two tables' headers
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            ws.cell(row=r, column=c, value=value).font = BOLD if r in headings else Font()
    for letter, width in zip("ABCDEFG", (22, 28, 28, 12, 60, 60, 30)):
        ws.column_dimensions[letter].width = width


def write_template(path: Path, force: bool = False) -> None:
    """An empty region workbook to fill in: headers, example rows, dropdowns, explanation."""
    _refuse_existing(path, force)
    book = Workbook()
    _regio(book, {})
    for spec in (PRAKTIJKEN, LOCATIES, BEHANDELDIENSTEN):
        _table(book, spec, EXAMPLES[spec.nl], example=True)
    _explanation(book)
    _save(book, path)


# --------------------------------------------------------------------------- a scenario back out


def workbook_rows(sc: Scenario) -> dict[str, Any]:
    """The workbook's values for a scenario: the regio fields and one row per item."""
    d = sc.model_dump(mode="json")
    p_names = _names(d["practices"])
    b_names = _names(d["behandeldiensten"])
    hap = sc.spoedpost.name if not sc.spoedposten else None
    description = sc.description.text("nl") if isinstance(sc.description, Translated) else sc.description
    regio = {"name": sc.region.name, "inhabitants": sc.region.inhabitants, "hap": hap or None,
             "scenario": sc.scenario, "description": description or None, "weeks": sc.region.weeks,
             "warmup_weeks": sc.region.warmup_weeks, "seed": sc.region.seed, "start": sc.region.start.isoformat()}
    practices = []
    for p in d["practices"]:
        fte = roster_fte(p["roster"])
        if fte is None:  # another form: its weekday office hours as FTE (said by the export)
            fte = round(sum(b["count"] * len(b["days"]) for b in p["roster"]) / 5, 1)
        practices.append({"name": p_names[p["id"]], "id": p["id"], "agb": p.get("agb"), "list_size": p["list_size"],
                          "fte": fte})
    diensten = []
    for b in d["behandeldiensten"]:
        day, anw = behandeldienst_counts(b["roster"]) or (None, None)
        diensten.append({"name": b_names[b["id"]], "id": b["id"], "discipline": b["discipline"].upper(),
                         "day": day, "anw": anw})
    locations = []
    for loc in d["locations"]:
        shares = loc.get("practice")
        practice = (p_names.get(shares, shares) if isinstance(shares, str) else
                    "; ".join(f"{p_names.get(pid, pid)}: {share * 100:.15g}%" for pid, share in shares.items())
                    if shares else None)
        locations.append({
            "name": loc["name"] or loc["id"], "id": loc["id"], "postcode": loc.get("postcode"),
            "residents": loc["residents"], "kind": loc["kind"], "sector": loc["sector"],
            "profile": loc.get("zorgprofiel"), "behandeling": "ja" if loc["behandeling"] else "nee",
            "practice": practice if not loc["behandeling"] else None,
            "behandeldienst": b_names.get(loc.get("behandeldienst"), loc.get("behandeldienst"))
            if loc["behandeling"] else None,
            **{f"travel_min_{kind}": loc.get("travel_min", {}).get(kind, loc[f"travel_min_{kind}"])
               for kind in ("practice", "hap", "behandeldienst")}})
    return {"regio": regio, "praktijken": practices, "behandeldiensten": diensten, "locaties": locations}


def _names(items: list[dict[str, Any]]) -> dict[str, str]:
    """The name a location names each practice by: its own when it has one nobody else has, else its id."""
    counts: dict[str, int] = {}
    for item in items:
        key = " ".join(str(item.get("name", "")).lower().split())
        counts[key] = counts.get(key, 0) + 1
    return {item["id"]: item["name"] if item.get("name") and counts[" ".join(item["name"].lower().split())] == 1
            else item["id"] for item in items}


def write_scenario(sc: Scenario, path: Path, force: bool = False) -> list[str]:
    """The scenario as a region workbook; returns what the workbook cannot hold (field paths whose
    value an import of it would not give back)."""
    _refuse_existing(path, force)
    rows = workbook_rows(sc)
    book = Workbook()
    _regio(book, rows["regio"])
    for spec in (PRAKTIJKEN, LOCATIES, BEHANDELDIENSTEN):
        _table(book, spec, rows[spec.nl], example=False)
    _explanation(book)
    _save(book, path)
    from sim.scenario.werkboek import read_workbook  # it reads what this module writes
    back = read_workbook(path).scenario
    return collapsed(differences(sc.model_dump(mode="json"), back.model_dump(mode="json")))


def collapsed(paths: list[str]) -> list[str]:
    """locations[0].spoedpost ... locations[999].spoedpost -> 'locations[*].spoedpost (1000x)'."""
    counts: dict[str, list[str]] = {}
    for p in paths:
        counts.setdefault(re.sub(r"\[\d+\]", "[*]", p), []).append(p)
    return [found[0] if len(found) == 1 else f"{key} ({len(found)}x)" for key, found in counts.items()]


def differences(a: Any, b: Any, path: str = "", depth: int = 3) -> list[str]:
    """The paths (at most `depth` deep) where two dumped scenarios differ; a name left empty in `a`
    and filled with the id in `b` is no difference (the workbook needs a name)."""
    if a == b:
        return []
    if depth and isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in dict.fromkeys([*a, *b]):
            if key == "name" and not a.get("name"):
                continue
            out += differences(a.get(key), b.get(key), f"{path}.{key}" if path else str(key), depth - 1)
        return out
    if depth and isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for k, (x, y) in enumerate(zip(a, b)) for p in differences(x, y, f"{path}[{k}]", depth - 1)]
    return [path]

