"""Everything that makes a scenario invalid beyond its single fields, checked when it loads,
before anything runs: ids that must exist and be unique, practice shares, waarneming,
routes (compiled here, so a route no location reaches is an error too) and the calendar's
holiday country. `validate_data` validates scenario data built in code (the app, impact,
sweep points) the same way as a file.
"""

from __future__ import annotations

import difflib
from typing import Any

import holidays as holidays_lib
from pydantic import ValidationError

from sim.errors import ScenarioError
from sim.scenario.config import Scenario
from sim.scenario.routes import RouteError, compile_routes


def format_path(loc: Any) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def problems(sc: Scenario) -> list[dict[str, Any]]:
    """What pydantic cannot see in one field: ids that must exist and be unique, practice
    shares, routes (compiled, so every route problem is found here), and the calendar (the
    holiday country). Each problem is {loc, type, msg}; an empty list is a valid scenario."""
    errs: list[dict[str, Any]] = []

    def add(loc: tuple[Any, ...], msg: str) -> None:
        errs.append({"loc": loc, "type": "reference", "msg": msg})

    for group in ("locations", "practices", "behandeldiensten"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(sc, group)):
            if item.id in seen:
                add((group, i, "id"), f"duplicate id '{item.id}' (also {group}[{seen[item.id]}])")
            seen.setdefault(item.id, i)
    seen_ids: dict[str, str] = {}
    for group in ("behandeldiensten", "services"):
        for i, item in enumerate(getattr(sc, group)):
            if item.id in seen_ids and seen_ids[item.id] != f"{group}[{i}]":
                add((group, i, "id"), f"id '{item.id}' is also used by {seen_ids[item.id]}; route names must be unique")
            seen_ids.setdefault(item.id, f"{group}[{i}]")
    practices = {p.id for p in sc.practices}
    diensten = {b.id for b in sc.behandeldiensten}
    haps = [h.id for h in sc.all_spoedposten()]
    for k, h in enumerate(sc.spoedposten):
        if haps.index(h.id) != k:
            add(("spoedposten", k, "id"), f"duplicate spoedpost id '{h.id}'")
    for i, loc in enumerate(sc.locations):
        if loc.spoedpost is not None and loc.spoedpost not in haps:
            add(("locations", i, "spoedpost"), f"unknown spoedpost '{loc.spoedpost}' (known: {', '.join(haps)})")
    for i, loc in enumerate(sc.locations):
        if loc.behandeling:
            if loc.behandeldienst is None:
                add(("locations", i, "behandeldienst"),
                    "a location met behandeling needs a behandeldienst (its provider's SO/AVG); "
                    f"known: {', '.join(sorted(diensten)) or 'none defined'}")
            elif loc.behandeldienst not in diensten:
                add(("locations", i, "behandeldienst"), f"unknown behandeldienst '{loc.behandeldienst}'; "
                    f"known: {', '.join(sorted(diensten)) or 'none defined'}")
        else:
            if loc.practice is None:
                add(("locations", i, "practice"),
                    "a location without behandeling needs its fixed GP practice "
                    f"(Convenant MGZ); known: {', '.join(sorted(practices)) or 'none defined'}")
            for pid in loc.practice_shares():
                if pid not in practices:
                    guess = difflib.get_close_matches(pid, sorted(practices), n=1)
                    hint = f"; did you mean '{guess[0]}'?" if guess else ""
                    where = ("locations", i, "practice") + (() if isinstance(loc.practice, str) else (pid,))
                    add(where, f"unknown practice '{pid}'{hint} (known: {', '.join(sorted(practices)) or 'none defined'})")
    for k, prac in enumerate(sc.practices):
        if prac.waarneming is not None and prac.waarneming not in practices - {prac.id}:
            add(("practices", k, "waarneming"), f"'{prac.waarneming}' is not another practice of the scenario "
                f"(known: {', '.join(sorted(practices - {prac.id})) or 'none'})")
    country = sc.calendar.holidays.country
    try:
        holidays_lib.country_holidays(country)
    except NotImplementedError:
        add(("calendar", "holidays", "country"), f"unknown country code '{country}' (use an ISO code the `holidays` "
            "package knows, e.g. NL, BE, DE)")
    if not errs:
        try:
            compile_routes(sc)
        except RouteError as exc:
            add(exc.loc, exc.msg)
    return errs


def validate_data(data: dict[str, Any]) -> Scenario:
    """Validate scenario data built in code (what-if, impact, sweep points): the first
    problem as 'field.path: message', schema and cross-references alike."""
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ScenarioError(f"{format_path(first['loc'])}: {first['msg']}") from None
    errs = problems(sc)
    if errs:
        raise ScenarioError(f"{format_path(errs[0]['loc'])}: {errs[0]['msg']}")
    return sc


