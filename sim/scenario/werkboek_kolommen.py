"""The sheets and columns of a region's workbook: their Dutch names (English accepted), what
each holds and how a cell is read. One table used by the import (werkboek.py), the template
and the export (werkboek_schrijven.py) and the explanation sheet, so they cannot drift.

Cells are read after the spreadsheet has read them: calamine gives every number as a float
(20.0 residents is 20; 20.5 is an error), a .csv gives text (a decimal comma is read: 7,5
minutes), an AGB code stored as a number gets its leading zero back, and a date where a
number belongs is an error naming the cell's format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim.scenario.regio_termen import Unclear, agb_code, kind_of, plain_text, sector_of, yes_no
from sim.scenario.schema import KINDS

# --------------------------------------------------------------------------- reading a cell

_TIME_TYPES = (dt.date, dt.datetime, dt.time, dt.timedelta)
_DATE_FOR_NUMBER = Unclear("a date or time where a number belongs: set the cell's format to Number",
                           "een datum of tijd waar een getal hoort: zet de celopmaak op Getal")


def read_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()[:10]
    return str(v).strip()


def read_count(v: Any) -> int:
    """A whole number: 20, 20.0 (every spreadsheet number is a float), '20'; not 20.5, '180.000'."""
    if isinstance(v, bool):
        raise Unclear("a number is needed here, not yes/no", "hier hoort een getal, geen ja/nee")
    if isinstance(v, _TIME_TYPES):
        raise _DATE_FOR_NUMBER
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        raise Unclear(f"{v:g} is not a whole number; give a whole number", f"{v:g} is geen heel getal; geef een "
                      "heel getal".replace(".", ",", 1))
    text = str(v).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d{1,3}([. ,]\d{3})+", text):
        digits = re.sub(r"[. ,]", "", text)
        raise Unclear(f"{text!r}: write {digits} (without a thousands separator)",
                      f"{text!r}: schrijf {digits} (zonder scheidingsteken voor duizendtallen)")
    if re.fullmatch(r"\d+[.,]0+", text):  # a .csv of whole numbers written as 24,0
        return int(re.split(r"[.,]", text)[0])
    if re.fullmatch(r"\d+[.,]\d+", text):
        raise Unclear(f"{text!r} is not a whole number; give a whole number",
                      f"{text!r} is geen heel getal; geef een heel getal")
    raise Unclear(f"{text!r} is not a number; give a whole number, e.g. 24",
                  f"{text!r} is geen getal; geef een heel getal, bijv. 24")


def read_number(v: Any) -> float:
    """A number: 7.5, '7,5' (decimal comma), '7.5'; not '1.234,5' or a date."""
    if isinstance(v, bool):
        raise Unclear("a number is needed here, not yes/no", "hier hoort een getal, geen ja/nee")
    if isinstance(v, _TIME_TYPES):
        raise _DATE_FOR_NUMBER
    if isinstance(v, (int, float)):
        return float(v)
    text = str(v).strip()
    if re.fullmatch(r"\d+([.,]\d+)?", text):
        return float(text.replace(",", "."))
    raise Unclear(f"{text!r} is not a number; write e.g. 7.5 or 7,5",
                  f"{text!r} is geen getal; schrijf bijv. 7,5 of 7.5")


def read_date(v: Any) -> str:
    """A date as ISO text: a date cell, '2025-01-06' or '6-1-2025'."""
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()[:10]
    text = str(v).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            pass
    raise Unclear(f"{read_text(v)!r} is not a date; write e.g. 2025-01-06", f"{read_text(v)!r} is geen datum; "
                  "schrijf bijv. 2025-01-06")


def read_discipline(v: Any) -> str:
    word = plain_text(v)
    if word in ("so", "specialist ouderengeneeskunde", "elderly care physician"):
        return "so"
    if word in ("avg", "arts verstandelijk gehandicapten", "disability physician"):
        return "avg"
    raise Unclear(f"{read_text(v)!r}: write SO or AVG", f"{read_text(v)!r}: schrijf SO of AVG")


READERS: dict[str, Callable[[Any], Any]] = {
    "text": read_text, "count": read_count, "number": read_number, "date": read_date, "yesno": yes_no,
    "kind": kind_of, "sector": sector_of, "agb": agb_code, "discipline": read_discipline,
}


# --------------------------------------------------------------------------- the sheets


@dataclass(frozen=True)
class Column:
    """A column of a sheet (or, on the regio sheet, a row of its 'veld' column)."""

    key: str
    nl: str  # the header the template writes
    en: str  # the English header, also accepted
    kind: str  # a key of READERS
    required: bool
    help_nl: str
    help_en: str
    example: Any = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # a dropdown in the template

    def names(self) -> list[str]:
        """Every header that means this column, as plain text (lower case, no accents, no '(...)')."""
        return [header_key(n) for n in (self.nl, self.en, *self.aliases)]


def header_key(text: Any) -> str:
    """'Huisartsen (FTE)' -> 'huisartsen'; 'Reistijd_HAP' -> 'reistijd hap'."""
    text = re.sub(r"\(.*?\)", " ", plain_text(text))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass(frozen=True)
class Sheet:
    key: str
    nl: str
    en: str
    columns: tuple[Column, ...]
    help_nl: str
    help_en: str
    aliases: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return [header_key(n) for n in (self.nl, self.en, *self.aliases)]


YES_NO = ("ja", "nee")
SECTOR_CHOICES = ("VV", "GHZ", "GGZ")
PROFILE_CHOICES = ("PG", "SOM", "VG", "LVG", "LG", "ZG", "GGZ-W", "GGZ-B")
FTE_NORM = 2350  # patients per FTE GP [lit: Braspenning 2012, docs/sources.md]

REGIO = Sheet("regio", "regio", "region", (
    Column("name", "naam", "name", "text", True, "naam van de regio, in de rapporten", "the region's name, in the "
           "reports", "Regio Noord"),
    Column("inhabitants", "inwoners", "inhabitants", "count", True, "inwoners die de huisartsenpost bedient "
           "(achtergrondvraag en standaardroosters van de HAP); een heel getal zonder punt: 180000",
           "inhabitants the HAP serves (background demand, default HAP rosters); a whole number, no separator: "
           "180000", 180000, ("inwonertal", "population")),
    Column("hap", "huisartsenpost", "out-of-hours post", "text", False, "naam van de huisartsenpost (HAP)",
           "name of the HAP (GP out-of-hours post)", "Huisartsenpost Noord", ("hap", "spoedpost")),
    Column("scenario", "scenario", "scenario", "text", False, "naam van het scenario en de resultatenmap; "
           "standaard de bestandsnaam", "name of the scenario and its results folder; default the file's name"),
    Column("description", "beschrijving", "description", "text", False, "wat het scenario is, in woorden",
           "what the scenario is, in words"),
    Column("weeks", "weken", "weeks", "count", False, "gemeten weken na de inloop (standaard 52)",
           "measured weeks after the warm-up (default 52)", 52),
    Column("warmup_weeks", "inloopweken", "warm-up weeks", "count", False, "weken gesimuleerd vóór het meten "
           "(standaard 2)", "weeks simulated before measuring (default 2)", 2, ("opwarmweken", "warmup weeks")),
    Column("seed", "seed", "seed", "count", False, "startgetal van het toeval; zelfde seed, zelfde uitkomst "
           "(standaard 20250106)", "random seed; same seed, same results (default 20250106)", None,
           ("toevalsgetal",)),
    Column("start", "startdatum", "start date", "date", False, "eerste gesimuleerde dag (standaard 2025-01-06, "
           "een maandag)", "first simulated day (default 2025-01-06, a Monday)", None, ("start",)),
), "Eén waarde per veld: vul de kolom 'waarde'.", "One value per field: fill in the 'value' column.")

PRAKTIJKEN = Sheet("praktijken", "praktijken", "practices", (
    Column("name", "naam", "name", "text", True, "naam van de huisartspraktijk", "the GP practice's name",
           "Huisartsenpraktijk De Linde", ("praktijk", "praktijknaam", "huisartspraktijk")),
    Column("id", "code", "id", "text", False, "korte code in de uitvoer (standaard P1, P2, ...)",
           "short id in the results (default P1, P2, ...)"),
    Column("agb", "AGB", "AGB", "agb", False, "AGB-code (8 cijfers); een locatie mag de praktijk ermee noemen",
           "AGB code (8 digits); a location may name the practice by it", "01234567", ("agb code", "agbcode")),
    Column("list_size", "patiënten", "patients", "count", False, "ingeschreven patiënten; zonder huisartsen "
           "(fte) volgt het rooster hieruit: 2.350 patiënten per fte",
           f"patients on the list; without GPs (FTE) the roster follows from it: {FTE_NORM:,} patients per FTE",
           4700, ("patienten", "praktijkgrootte", "list size", "listsize", "ingeschreven patienten")),
    Column("fte", "huisartsen (fte)", "GPs (FTE)", "number", False, "huisartsen in fte: hele fte's elke werkdag "
           "08:00-17:00, de rest als extra huisarts op de eerste werkdagen (0,5 fte: 3 dagen); leeg: uit de "
           "patiënten", "GPs in FTE: whole FTEs every weekday 08:00-17:00, the rest as an extra GP on the first "
           "weekdays (0.5 FTE: 3 days); empty: from the patients", 2, ("huisartsen", "fte", "gp fte", "gps")),
), "Eén rij per huisartspraktijk.", "One row per GP practice.")

BEHANDELDIENSTEN = Sheet("behandeldiensten", "behandeldiensten", "treatment services", (
    Column("name", "naam", "name", "text", True, "naam van de behandeldienst (SO of AVG van de zorgaanbieder)",
           "the behandeldienst's name (the provider's SO or AVG)", "Behandeldienst Zorggroep Noord (SO)"),
    Column("id", "code", "id", "text", False, "korte code in de uitvoer (standaard BD1, BD2, ...)",
           "short id in the results (default BD1, BD2, ...)"),
    Column("discipline", "discipline", "discipline", "discipline", True, "SO (ouderenzorg, ggz) of AVG "
           "(gehandicaptenzorg)", "SO (elderly care, mental health) or AVG (disability care)", "SO",
           ("arts", "specialisme"), ("SO", "AVG")),
    Column("day", "artsen overdag", "physicians by day", "count", False, "artsen op werkdagen 08:00-17:00 "
           "(standaard 2)", "physicians on weekdays 08:00-17:00 (default 2)", 2, ("overdag",)),
    Column("anw", "artsen anw", "physicians out of hours", "count", False, "artsen in dienst in de avond, nacht "
           "en het weekend (standaard 1)", "physicians on call evenings, nights and weekends (default 1)", 1,
           ("anw", "physicians anw")),
), "Eén rij per behandeldienst; nodig voor locaties met behandeling.",
    "One row per behandeldienst; needed for locations met behandeling.", ("treatment teams",))

LOCATIES = Sheet("locaties", "locaties", "locations", (
    Column("name", "naam", "name", "text", True, "naam van de locatie", "the location's name", "De Eik",
           ("locatie", "locatienaam")),
    Column("id", "code", "id", "text", False, "korte code in de uitvoer (standaard L01, L02, ...)",
           "short id in the results (default L01, L02, ...)"),
    Column("postcode", "postcode", "postcode", "text", False, "postcode (alleen ter herkenning; reistijden staan "
           "in hun eigen kolommen)", "postcode (for recognition only; travel times have their own columns)",
           "1234 AB", ("zip", "postal code")),
    Column("residents", "bewoners", "residents", "count", True, "aantal bewoners (cliënten, plaatsen)",
           "number of residents (clients, places)", 24, ("plaatsen", "clienten", "capaciteit", "places",
                                                        "clients", "aantal bewoners")),
    Column("kind", "soort", "kind", "kind", True, "kleinschalig, verpleeghuis, geclusterd of thuis (vpt)",
           "kleinschalig, verpleeghuis, geclusterd or thuis (at home)", "kleinschalig",
           ("woonvorm", "type", "soort locatie"), KINDS),
    Column("sector", "sector", "sector", "sector", False, "VV, GHZ of GGZ (of vul het zorgprofiel in)",
           "VV, GHZ or GGZ (or give the care profile)", "VV", (), SECTOR_CHOICES),
    Column("profile", "zorgprofiel", "care profile", "sector", False, "PG, SOM -> VV; VG, LVG, LG, ZG -> GHZ; "
           "GGZ-W, GGZ-B -> GGZ; ook ZZP-codes (VV 5)", "PG, SOM -> VV; VG, LVG, LG, ZG -> GHZ; GGZ-W, GGZ-B -> GGZ; "
           "ZZP codes too (VV 5)", "PG", ("profiel", "zzp", "zp", "doelgroep"), PROFILE_CHOICES),
    Column("behandeling", "behandeling", "behandeling", "yesno", False, "ja: met behandeling (de SO/AVG van de "
           "behandeldienst is de arts); nee of leeg: de huisarts", "ja: met behandeling (the behandeldienst's "
           "SO/AVG is the physician); nee or empty: the GP", "nee", ("met behandeling", "treatment"), YES_NO),
    Column("practice", "huisartspraktijk", "GP practice", "text", False, "de praktijk (naam, code of AGB) zonder "
           "behandeling; meerdere met hun deel: 'De Linde: 60%; Het Veld: 40%'", "the practice (name, id or AGB) "
           "without behandeling; several with their share: 'De Linde: 60%; Het Veld: 40%'",
           "Huisartsenpraktijk De Linde", ("huisarts", "praktijk", "gp", "practice")),
    Column("behandeldienst", "behandeldienst", "treatment service", "text", False, "de behandeldienst (naam of "
           "code) met behandeling", "the behandeldienst (name or id) met behandeling", None, ("bd",)),
    Column("travel_min_practice", "reistijd huisarts (min)", "travel GP (min)", "number", False, "reistijd "
           "enkele reis van de praktijk, minuten (standaard 8)", "one-way travel from the practice, minutes "
           "(default 8)", 8, ("reistijd", "reistijd praktijk", "travel practice", "travel")),
    Column("travel_min_hap", "reistijd huisartsenpost (min)", "travel HAP (min)", "number", False, "reistijd "
           "enkele reis van de huisartsenpost, minuten (standaard 15)", "one-way travel from the HAP, minutes "
           "(default 15)", 15, ("reistijd hap", "travel hap")),
    Column("travel_min_behandeldienst", "reistijd behandeldienst (min)", "travel treatment service (min)", "number",
           False, "reistijd enkele reis van de dienstdoende SO/AVG, minuten (standaard 10)", "one-way travel of the "
           "on-call SO/AVG, minutes (default 10)", None, ("reistijd so avg", "travel behandeldienst")),
), "Eén rij per Wlz-locatie.", "One row per Wlz location.")

SHEETS = (REGIO, PRAKTIJKEN, LOCATIES, BEHANDELDIENSTEN)
REGIO_HEADERS = (("veld", "field"), ("waarde", "value"), ("toelichting", "explanation"))
EXAMPLE_PREFIX = "voorbeeld:"  # the template's example rows start with it; they are refused, never imported
