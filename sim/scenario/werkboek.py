"""A region's own spreadsheet as a scenario: the sheets `regio`, `praktijken`, `locaties`
(and `behandeldiensten` when a location has behandeling) of an .xlsx / .ods workbook, or one
.csv per sheet, read into scenario data, validated like a scenario file, every problem at once
with its sheet, row and column (WorkbookError).

What the import decides is written down, never guessed silently: the GP roster from FTE (or
from the list size at 2,350 patients per FTE, docs/sources.md), the sector from a care profile
(sim/data/zorgprofielen.yaml), generated ids, travel times left to their defaults. Each such
note goes with its practice or location (Imported.notes) into the comments of the imported
YAML (regio_yaml.py). docs/model.md, 'Your own region', describes the workbook.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.fmt import number, plain
from sim.scenario.config import Scenario
from sim.scenario.extends import set_path
from sim.scenario.regio_termen import Known, Unclear, find, practice_shares
from sim.scenario.validation import problems as reference_problems
from sim.scenario.werkboek_cellen import read_tables, region_stem
from sim.scenario.werkboek_kolommen import BEHANDELDIENSTEN, FTE_NORM, LOCATIES, PRAKTIJKEN, REGIO, SHEETS
from sim.scenario.werkboek_lezen import Problem, Reader, Record, WorkbookError
from sim.scenario.werkboek_roosters import MAX_FTE, MIN_FTE, behandeldienst_roster, fte_roster, roster_words

Note = tuple[str, str]  # (English, Dutch)
TRAVEL_WORDS = {"travel_min_practice": ("from the practice", "van de huisarts"),
                "travel_min_hap": ("from the HAP", "van de huisartsenpost"),
                "travel_min_behandeldienst": ("of the SO/AVG", "van de SO/AVG")}


@dataclass
class Imported:
    """The scenario read from a workbook, with what the import decided for each item."""

    scenario: Scenario
    data: dict[str, Any]
    source: str
    notes: dict[tuple[str, int], list[Note]] = field(default_factory=dict)  # ("locations", 3) -> notes
    general: list[Note] = field(default_factory=list)
    rows: dict[tuple[str, int], int] = field(default_factory=dict)  # ("locations", 3) -> its row in its sheet


# --------------------------------------------------------------------------- the scenario


def _ids(records: list[Record], prefix: str, width: int, reader: Reader, sheet: str) -> list[str]:
    """Each row's id: its own, or prefix + number (skipping ids already taken)."""
    taken: dict[str, int] = {}
    for rec in records:
        given = rec.values.get("id")
        if given is not None:
            if given in taken:
                reader.problem(sheet, rec.row, rec.columns.get("id"), Unclear(
                    f"code {given!r} is used twice (also row {taken[given]})", f"code {given!r} komt twee keer voor "
                    f"(ook rij {taken[given]})"))
            taken.setdefault(given, rec.row)
    out, n = [], 0
    for rec in records:
        if rec.values.get("id") is not None:
            out.append(rec.values["id"])
            continue
        n += 1
        while f"{prefix}{n:0{width}d}" in taken:
            n += 1
        out.append(f"{prefix}{n:0{width}d}")
    return out


def _unique_names(records: list[Record], reader: Reader, sheet: str) -> None:
    seen: dict[str, int] = {}
    for rec in records:
        name = rec.values.get("name")
        if isinstance(name, str):
            key = " ".join(name.lower().split())
            if key in seen:
                reader.problem(sheet, rec.row, rec.columns.get("name"), Unclear(
                    f"{name!r} is named twice (also row {seen[key]}); a location names it, so it must be unique",
                    f"{name!r} komt twee keer voor (ook rij {seen[key]}); een locatie noemt de naam, dus die moet "
                    "uniek zijn"))
            seen.setdefault(key, rec.row)


@dataclass
class _Build:
    reader: Reader
    notes: dict[tuple[str, int], list[Note]] = field(default_factory=dict)

    def note(self, item: tuple[str, int], en: str, nl: str) -> None:
        self.notes.setdefault(item, []).append((en, nl))

    def practice(self, k: int, rec: Record, pid: str) -> dict[str, Any]:
        v = rec.values
        item: dict[str, Any] = {"id": pid, "name": v.get("name", "")}
        if "agb" in v:
            item["agb"] = v["agb"]
        fte: Any = v.get("fte")  # a number, or None when not given
        patients: Any = v.get("list_size")
        if fte is None and patients is None:
            if not rec.failed & {"fte", "list_size"}:
                self.reader.problem(PRAKTIJKEN.nl, rec.row, rec.columns.get("fte") or rec.columns.get("name"), Unclear(
                    "give the GPs (FTE) or the patients; the GP roster follows from them",
                    "geef de huisartsen (fte) of de patiënten; het huisartsenrooster volgt daaruit"))
            return item
        derived = fte if fte is not None else patients / FTE_NORM
        if not MIN_FTE <= derived <= MAX_FTE:
            where = rec.columns.get("fte" if fte is not None else "list_size")
            self.reader.problem(PRAKTIJKEN.nl, rec.row, where, Unclear(
                f"{derived:.2f} FTE; a practice has {MIN_FTE:g} to {MAX_FTE:g} FTE of GPs (half a day a week at least)",
                f"{plain(round(derived, 2), 'nl')} fte; een praktijk heeft {plain(MIN_FTE, 'nl')} tot "
                f"{plain(MAX_FTE, 'nl')} fte huisartsen (minstens een halve dag per week)"))
            return item
        item["list_size"] = patients if patients is not None else max(1, round(derived * FTE_NORM))
        item["roster"] = fte_roster(derived)
        at = ("practices", k)
        if fte is None:
            self.note(at, f"{patients:,} patients at {FTE_NORM:,} per FTE = {derived:.2f} FTE",
                      f"{number(patients, 0, 'nl')} patiënten à {number(FTE_NORM, 0, 'nl')} per fte = "
                      f"{number(derived, 2, 'nl')} fte")
        elif patients is None:
            self.note(at, f"list size {item['list_size']:,} from {fte:g} FTE at {FTE_NORM:,} per FTE (informational)",
                      f"praktijkgrootte {number(item['list_size'], 0, 'nl')} uit {plain(fte, 'nl')} fte à "
                      f"{number(FTE_NORM, 0, 'nl')} per fte (ter informatie)")
        self.note(at, f"GP roster: {roster_words(item['roster'], 'en')}",
                  f"huisartsenrooster: {roster_words(item['roster'], 'nl')}")
        return item

    def behandeldienst(self, rec: Record, bid: str) -> dict[str, Any]:
        v = rec.values
        item: dict[str, Any] = {"id": bid, "name": v.get("name", ""), "discipline": v.get("discipline", "so")}
        if "day" in v or "anw" in v:
            item["roster"] = behandeldienst_roster(v.get("day", 2), v.get("anw", 1))
        return item

    def location(self, k: int, rec: Record, lid: str, practices: list[Known], diensten: list[Known]) -> dict[str, Any]:
        v, cols, where = rec.values, rec.columns, ("locations", k)
        problem = self.reader.problem
        item: dict[str, Any] = {"id": lid, "name": v.get("name", "")}
        for key in ("postcode", "kind", "residents"):
            if key in v:
                item[key] = v[key]
        sector: Any = v.get("sector")  # (sector, ...) as read, or None
        profile: Any = v.get("profile")
        if sector is None and profile is None and not rec.failed & {"sector", "profile"}:
            problem(LOCATIES.nl, rec.row, cols.get("sector") or cols.get("profile") or cols.get("name"), Unclear(
                "give the sector (VV, GHZ, GGZ) or the care profile (PG, SOM, VG, ...)",
                "geef de sector (VV, GHZ, GGZ) of het zorgprofiel (PG, SOM, VG, ...)"))
        elif sector and profile and sector[0] != profile[0]:
            problem(LOCATIES.nl, rec.row, cols.get("profile"), Unclear(
                f"care profile {profile[1]} belongs to sector {profile[0]}, but the sector column says {sector[0]}",
                f"zorgprofiel {profile[1]} hoort bij sector {profile[0]}, maar de kolom sector zegt {sector[0]}"))
        if sector or profile:
            item["sector"] = (sector or profile)[0]
        if profile:
            item["zorgprofiel"] = profile[1]
            if not sector:
                self.note(where, f"care profile {profile[1]} -> sector {profile[0]}",
                          f"zorgprofiel {profile[1]} -> sector {profile[0]}")
        behandeling = v.get("behandeling", False)
        if "behandeling" in rec.failed:
            pass  # reported; which physician the location needs is not known
        elif behandeling:
            item["behandeling"] = True
            if v.get("practice"):
                problem(LOCATIES.nl, rec.row, cols.get("practice"), Unclear(
                    "met behandeling the behandeldienst's SO/AVG is the physician: leave the GP practice empty",
                    "met behandeling is de SO/AVG van de behandeldienst de arts: laat de huisartspraktijk leeg"))
            if "behandeldienst" in v:
                self._refer(rec, "behandeldienst", lambda text: find(text, diensten, ("behandeldienst", "behandeldienst")),
                            item)
            elif "behandeldienst" not in rec.failed:
                problem(LOCATIES.nl, rec.row, cols.get("behandeldienst") or cols.get("behandeling"), Unclear(
                    "met behandeling: name the behandeldienst (sheet behandeldiensten)",
                    "met behandeling: noem de behandeldienst (blad behandeldiensten)"))
        else:
            if v.get("behandeldienst"):
                problem(LOCATIES.nl, rec.row, cols.get("behandeldienst"), Unclear(
                    "a behandeldienst only serves a location met behandeling: write ja under behandeling, or leave "
                    "the behandeldienst empty", "een behandeldienst dient alleen een locatie met behandeling: schrijf "
                    "ja bij behandeling, of laat de behandeldienst leeg"))
            if "practice" in v:
                self._refer(rec, "practice", lambda text: _practices(text, practices), item)
            elif "practice" not in rec.failed:
                problem(LOCATIES.nl, rec.row, cols.get("practice") or cols.get("name"), Unclear(
                    "without behandeling: name the GP practice (sheet praktijken), or write ja under behandeling",
                    "zonder behandeling: noem de huisartspraktijk (blad praktijken), of schrijf ja bij behandeling"))
        used = ("travel_min_behandeldienst", "travel_min_hap") if behandeling else ("travel_min_practice", "travel_min_hap")
        defaults = {"travel_min_practice": 8, "travel_min_hap": 15, "travel_min_behandeldienst": 10}
        for key in defaults:
            if key in v:
                item[key] = v[key]
        missing = [key for key in used if key not in v]
        if missing:
            self.note(where, "travel time not given, default: " + ", ".join(
                f"{TRAVEL_WORDS[key][0]} {defaults[key]} min" for key in missing),
                "reistijd niet gegeven, standaard: " + ", ".join(
                f"{TRAVEL_WORDS[key][1]} {defaults[key]} min" for key in missing))
        return item

    def _refer(self, rec: Record, key: str, read: Any, item: dict[str, Any]) -> None:
        try:
            item[key] = read(rec.values[key])
        except Unclear as exc:
            self.reader.problem(LOCATIES.nl, rec.row, rec.columns.get(key), exc)


def _practices(text: str, known: list[Known]) -> str | dict[str, float]:
    """One practice's id, or {id: share} for residents spread over several."""
    shares = practice_shares(text)
    ids = [(find(ref, known), share) for ref, share in shares]
    if len(ids) == 1 and ids[0][1] in (None, 1.0):
        return ids[0][0]
    out: dict[str, float] = {}
    for pid, share in ids:
        out[pid] = out.get(pid, 0.0) + float(share or 0.0)
    return out


# --------------------------------------------------------------------------- reading a workbook

# The column a scenario field is read from, per list of the scenario (for a problem the
# schema finds after reading, e.g. residents beyond their bound).
FIELD_COLUMN = {
    "region": {"name": "name", "inhabitants": "inhabitants", "weeks": "weeks", "warmup_weeks": "warmup_weeks",
               "seed": "seed", "start": "start"},
    "practices": {"roster": "fte", "list_size": "list_size", "agb": "agb", "name": "name", "id": "id"},
    "behandeldiensten": {"roster": "day", "discipline": "discipline", "name": "name", "id": "id"},
    "locations": {"sector": "sector", "zorgprofiel": "profile", "residents": "residents", "kind": "kind",
                  "practice": "practice", "behandeldienst": "behandeldienst", "behandeling": "behandeling",
                  "travel_min_practice": "travel_min_practice", "travel_min_hap": "travel_min_hap",
                  "travel_min_behandeldienst": "travel_min_behandeldienst", "postcode": "postcode", "name": "name",
                  "id": "id"},
}
_DUTCH_BOUNDS = {"less_than_equal": ("le", "mag hoogstens {} zijn"), "less_than": ("lt", "moet kleiner zijn dan {}"),
                 "greater_than": ("gt", "moet groter zijn dan {}"), "greater_than_equal": ("ge", "moet minstens {} zijn")}


def read_workbook(path: str | Path, overrides: dict[str, Any] | None = None) -> Imported:
    """The scenario a region's workbook describes (WorkbookError with every problem otherwise)."""
    path = Path(path)
    tables = read_tables(path)
    reader = Reader(path.name)
    sheets = reader.sheets(tables, SHEETS, {"regio", "praktijken", "locaties"})
    region = reader.fields(sheets["regio"], REGIO) if "regio" in sheets else None
    recs = {spec.key: reader.records(sheets[spec.key], spec) if spec.key in sheets else []
            for spec in (PRAKTIJKEN, BEHANDELDIENSTEN, LOCATIES)}
    build = _Build(reader)
    prac_ids = _ids(recs["praktijken"], "P", 1, reader, PRAKTIJKEN.nl)
    bd_ids = _ids(recs["behandeldiensten"], "BD", 1, reader, BEHANDELDIENSTEN.nl)
    loc_ids = _ids(recs["locaties"], "L", max(2, len(str(len(recs["locaties"])))), reader, LOCATIES.nl)
    _unique_names(recs["praktijken"], reader, PRAKTIJKEN.nl)
    _unique_names(recs["behandeldiensten"], reader, BEHANDELDIENSTEN.nl)
    practices = [build.practice(k, rec, pid) for k, (rec, pid) in enumerate(zip(recs["praktijken"], prac_ids))]
    diensten = [build.behandeldienst(rec, bid) for rec, bid in zip(recs["behandeldiensten"], bd_ids)]
    known_p = [Known(p["id"], p.get("name", ""), p.get("agb")) for p in practices]
    known_b = [Known(b["id"], b.get("name", "")) for b in diensten]
    locations = [build.location(k, rec, lid, known_p, known_b)
                 for k, (rec, lid) in enumerate(zip(recs["locaties"], loc_ids))]
    if "locaties" in sheets and not locations:
        reader.problem(sheets["locaties"].name, None, None, Unclear("no locations: fill in one row per location",
                                                                    "geen locaties: vul een rij per locatie in"))
    values = region.values if region is not None else {}
    data: dict[str, Any] = {"scenario": values.get("scenario") or _scenario_name(path)}
    if values.get("description"):
        data["description"] = values["description"]
    data["region"] = {k: values[k] for k in FIELD_COLUMN["region"] if k in values}
    if values.get("hap"):
        data["spoedpost"] = {"name": values["hap"]}
    data.update(practices=practices, behandeldiensten=diensten, locations=locations)
    if not diensten:
        del data["behandeldiensten"]
    general = [(f"not read (unknown): {', '.join(reader.ignored)}", f"niet gelezen (onbekend): "
                f"{', '.join(reader.ignored)}")] if reader.ignored else []
    given = [k for k in ("weeks", "warmup_weeks", "seed", "start") if k in values]
    if len(given) < 4:
        general.append(("weeks, warm-up, seed and start not given are the defaults (52, 2, 20250106, 2025-01-06)",
                        "niet gegeven weken, inloop, seed en start zijn de standaard (52, 2, 20250106, 2025-01-06)"))
    if reader.problems:
        raise WorkbookError(path.name, reader.problems)
    for dotted, value in (overrides or {}).items():
        set_path(data, dotted, value)
    origin = {"region": [region] if region is not None else [], "practices": recs["praktijken"],
              "behandeldiensten": recs["behandeldiensten"], "locations": recs["locaties"]}
    sheet_of = {"region": REGIO.nl, "practices": PRAKTIJKEN.nl, "behandeldiensten": BEHANDELDIENSTEN.nl,
                "locations": LOCATIES.nl}
    errors: list[Any]  # pydantic's errors, or ours in the same shape
    try:
        scenario = Scenario.model_validate(data)
        errors = reference_problems(scenario)
    except ValidationError as exc:
        errors = exc.errors()
    if errors:
        raise WorkbookError(path.name, [_problem(err, origin, sheet_of) for err in errors])
    rows = {(group, k): rec.row for group, recs_ in origin.items() if group != "region" for k, rec in enumerate(recs_)}
    return Imported(scenario, data, path.name, build.notes, general, rows)


def load_workbook(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """load_scenario for a workbook (.xlsx, .ods, .csv, a folder of .csv files)."""
    return read_workbook(path, overrides).scenario


def _scenario_name(path: Path) -> str:
    """The region's file name as a scenario name (letters, digits, '-', '_', '.', spaces)."""
    stem = region_stem(path).name
    name = re.sub(r"[^A-Za-z0-9 _.-]", "_", stem).strip(" .") or "regio"
    return name.lstrip("._ ")[:100] or "regio"


def _problem(err: Mapping[str, Any], origin: dict[str, list[Record]], sheet_of: dict[str, str]) -> Problem:
    """A problem the schema found, at the sheet, row and column its value came from."""
    loc = list(err.get("loc", ()))
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    bound = _DUTCH_BOUNDS.get(err.get("type", ""))
    nl = bound[1].format(err.get("ctx", {}).get(bound[0])) if bound else msg
    if loc and loc[0] == "region" and origin["region"]:
        row, column = origin["region"][0].where(FIELD_COLUMN["region"].get(str(loc[1]) if len(loc) > 1 else ""))
        return Problem(REGIO.nl, row, column, msg, nl)
    if len(loc) >= 2 and loc[0] in sheet_of and isinstance(loc[1], int) and loc[1] < len(origin[loc[0]]):
        rec = origin[loc[0]][loc[1]]
        row, column = rec.where(FIELD_COLUMN[loc[0]].get(str(loc[2])) if len(loc) > 2 else None)
        return Problem(sheet_of[loc[0]], row, column, msg, nl)
    where = ".".join(str(p) for p in loc)
    return Problem(REGIO.nl, None, None, f"{where}: {msg}" if where else msg, f"{where}: {nl}" if where else nl)
