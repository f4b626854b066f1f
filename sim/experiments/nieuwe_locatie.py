"""A new or changed location as a user writes it on the command line: `--add-location
naam=De Eik,bewoners=24,soort=kleinschalig,zorgprofiel=PG,huisarts=De Linde` (Dutch or
English keys), a YAML file of locations, or `--change-location L05:behandeling=ja`. Values are
read the way a region's workbook reads them (regio_termen.py: ja / nee, care profiles, kinds
in Dutch), practices and behandeldiensten are named by id, name or AGB code, and an unknown
key is one clear error naming the keys allowed.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ScenarioError
from sim.scenario.config import Location, Scenario
from sim.scenario.regio_termen import Known, Unclear, find, kind_of, practice_shares, sector_of, yes_no
from sim.scenario.yaml_reading import read_file, read_yaml

# Dutch (and short) keys for a location's fields; every field's own English name works too.
KEY_ALIASES = {
    "naam": "name", "code": "id", "bewoners": "residents", "plaatsen": "residents", "soort": "kind",
    "profiel": "zorgprofiel", "gp": "practice", "huisarts": "practice", "praktijk": "practice",
    "huisartspraktijk": "practice", "bd": "behandeldienst", "reistijd": "travel_min_practice",
    "reistijd_huisarts": "travel_min_practice", "reistijd_hap": "travel_min_hap",
    "reistijd_huisartsenpost": "travel_min_hap", "reistijd_behandeldienst": "travel_min_behandeldienst",
    "huisartsenpost": "spoedpost",
}
FIELDS = tuple(Location.model_fields)
DEFAULT_NAME = "Nieuwe locatie"  # + its number, when the user gives no name


def named(loc: dict[str, Any]) -> str | None:
    """The name the user gave a new location (None when it has the default one)."""
    name = str(loc.get("name") or "")
    return None if not name or name.startswith(DEFAULT_NAME + " ") and name[len(DEFAULT_NAME) + 1:].isdigit() else name


def _key(key: str, option: str) -> str:
    """The Location field a key means; an unknown key names the closest and every key allowed."""
    k = key.strip().lower().replace("-", "_").replace(" ", "_")
    field = KEY_ALIASES.get(k, k)
    if field in FIELDS:
        return field
    every = sorted({*FIELDS, *KEY_ALIASES})
    close = difflib.get_close_matches(k, every, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    dutch = ", ".join(sorted(KEY_ALIASES))
    raise ScenarioError(f"{option}: unknown key '{key.strip()}'{hint} Allowed: {', '.join(FIELDS)}; or in Dutch and short: {dutch}")


def _read(field: str, text: Any, option: str) -> dict[str, Any]:
    """The field(s) one key=value sets: 'zorgprofiel=PG' sets the sector too."""
    try:
        if field == "kind":
            return {"kind": kind_of(text)}
        if field == "behandeling":
            return {"behandeling": yes_no(text)}
        if field == "sector":
            return {"sector": sector_of(text)[0]}
        if field == "zorgprofiel":
            sector, written = sector_of(text)
            return {"zorgprofiel": written, "sector": sector}
        if field == "practice":
            shares = practice_shares(text, separators="/")
            return {"practice": shares[0][0] if len(shares) == 1 and shares[0][1] in (None, 1.0)
                    else {ref: share for ref, share in shares}}
        if field in ("name", "id", "postcode", "behandeldienst", "spoedpost"):
            return {field: str(text).strip()}
    except Unclear as exc:
        raise ScenarioError(f"{option}: {field}={text}: {exc.en}") from None
    return {field: yaml.safe_load(text) if isinstance(text, str) and text else text}


def _pairs(spec: str, option: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        if "=" not in part:
            raise ScenarioError(f"{option}: '{part}' is not key=value (e.g. naam=De Eik,bewoners=24,soort=kleinschalig,"
                                "huisarts=P1)")
        key, value = part.split("=", 1)
        field = _key(key, option)
        extra = _read(field, value.strip(), option)
        out.update({k: v for k, v in extra.items() if not (k == "sector" and "sector" in out and field != "sector")})
    return out


def parse_location(spec: str, n: int) -> dict[str, Any]:
    """`naam=De Eik,bewoners=24,soort=kleinschalig,huisarts=P1` (huisarts / gp: the fixed
    practice; `gp=P1:0.6/P2:0.4` spreads the residents over practices)."""
    return {"id": f"NIEUW{n}", "name": f"{DEFAULT_NAME} {n}", **_pairs(spec, "--add-location")}


def parse_locations(specs: list[str]) -> list[dict[str, Any]]:
    locs: list[dict[str, Any]] = []
    for spec in specs:
        if Path(spec).suffix in (".yaml", ".yml"):
            _, data = read_yaml(read_file(Path(spec)), spec)
            items = data if isinstance(data, list) else (data.get("locations", [data]) if isinstance(data, dict) else None)
            if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
                raise ScenarioError(f"{spec}: give a location mapping, a list of them, or 'locations: [...]'")
            for item in items:
                n = len(locs) + 1
                loc: dict[str, Any] = {"id": f"NIEUW{n}", "name": f"{DEFAULT_NAME} {n}"}
                for key, value in item.items():
                    field = _key(str(key), spec)
                    loc.update(_read(field, value, spec) if isinstance(value, str) else {field: value})
                locs.append(loc)
        else:
            locs.append(parse_location(spec, len(locs) + 1))
    return locs


REMOVE_WORDS = ("remove", "opheffen", "verwijderen")  # `--change-location L05:opheffen`: the location closes


def parse_changes(specs: list[str]) -> dict[str, dict[str, Any]]:
    """`L05:behandeling=ja,behandeldienst=BD-VV` by location id (or name); `L05:opheffen`
    (or `remove`) closes the location: {"remove": True}."""
    out: dict[str, dict[str, Any]] = {}
    for spec in specs:
        if ":" not in spec:
            raise ScenarioError(f"--change-location: '{spec}' should be ID:key=value,... "
                                "(e.g. L05:behandeling=ja,behandeldienst=BD-VV), or ID:opheffen to close it")
        loc_id, rest = spec.split(":", 1)
        if rest.strip().lower() in REMOVE_WORDS:
            out[loc_id.strip()] = {"remove": True}
            continue
        if out.get(loc_id.strip(), {}).get("remove"):
            raise ScenarioError(f"--change-location: {loc_id.strip()} is closed and changed at once; choose one")
        out.setdefault(loc_id.strip(), {}).update(_pairs(rest, "--change-location"))
    return out


def removed(changes: dict[str, dict[str, Any]]) -> list[str]:
    """The locations the changes close."""
    return [loc_id for loc_id, c in changes.items() if c.get("remove")]


def _known(items: list[Any]) -> list[Known]:
    return [Known(i.id, i.name, getattr(i, "agb", None)) for i in items]


def _one(ref: str, known: list[Known], what: str, option: str) -> str:
    if ref in {k.id for k in known}:
        return ref
    try:
        return find(ref, known, (what, what))
    except Unclear as exc:
        message = exc.en if what == "location" else exc.en.replace(f"no {what}", f"unknown {what}", 1)
        raise ScenarioError(f"{option}: {message}") from None


def resolve(base: Scenario, new: list[dict[str, Any]], changes: dict[str, dict[str, Any]]
            ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Practices, behandeldiensten and changed locations named by name or AGB code, as ids."""
    practices, diensten = _known(base.practices), _known(base.behandeldiensten)

    def fix(loc: dict[str, Any], option: str) -> dict[str, Any]:
        loc = dict(loc)
        practice = loc.get("practice")
        if isinstance(practice, str):
            loc["practice"] = _one(practice, practices, "practice", option)
        elif isinstance(practice, dict):
            loc["practice"] = {_one(str(p), practices, "practice", option): s for p, s in practice.items()}
        if isinstance(loc.get("behandeldienst"), str):
            loc["behandeldienst"] = _one(loc["behandeldienst"], diensten, "behandeldienst", option)
        return loc

    locations = _known(base.locations)
    moved = {_one(loc_id, locations, "location", "--change-location"): fix(c, "--change-location")
             for loc_id, c in changes.items()}
    return [fix(loc, "--add-location") for loc in new], moved
