"""Everything that makes a scenario invalid beyond its single fields, checked when it loads,
before anything runs: ids that must exist and be unique, practice shares, waarneming,
routes (compiled here, so a route no location reaches is an error too) and the calendar's
holiday country. `validate_data` validates scenario data built in code (the app, impact,
sweep points) the same way as a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import holidays as holidays_lib
from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError
from sim.scenario.config import Location, Scenario
from sim.scenario.routes import RouteError, compile_routes
from sim.scenario.schema import HourProfile, RosterBlock

# A message quotes at most this many characters of what the file wrote (a 5,000-digit
# number or a 100,000-character string is shown by its start and its length).
QUOTE_CHARS = 80


def quote(value: Any, limit: int = QUOTE_CHARS) -> str:
    """`value` as a message shows it: its repr, cut to `limit` characters with its length."""
    if isinstance(value, int) and abs(value) >= 10**limit:  # its repr alone may be thousands of digits
        return f"<an integer of more than {limit} digits>"
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # a list that holds itself
        return f"<a {type(value).__name__}>"
    return text if len(text) <= limit else f"{text[:limit - 3]}... ({len(text):,} characters)"


def listing(items: Iterable[Any], limit: int = 10) -> str:
    """Items joined by commas, at most `limit` of them ('... and N more')."""
    items = [str(i) if len(str(i)) <= QUOTE_CHARS else quote(str(i)) for i in items]
    more = f", ... and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def format_path(loc: Any) -> str:
    out = ""
    for part in loc:
        if not isinstance(part, int) and len(str(part)) > QUOTE_CHARS:
            part = quote(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


# --------------------------------------------------------------------------- run size
# What one replication may ask for, estimated from the scenario before anything is built.
# Measured: the large region (configs/large_region.yaml, 1 million inhabitants, 1,000
# locations) makes 486,538 requests in 54 weeks, peaks at 0.8 GB and takes ~23 s; memory
# and time grow in proportion. MAX_REQUESTS is ten times that (about 6 GB, 4 minutes per
# replication): the large region over ten years fits, a typo of an extra zero or two does not.
MAX_REQUESTS = 5_000_000
MAX_RESIDENTS_TOTAL = 1_000_000  # one frailty per resident; ~3x all Dutch Wlz clients
MAX_SHIFTS = 2_000_000  # rostered shifts over the horizon (one row each); the large region has ~60,000
GUESSES = 20  # problems that get a 'did you mean' (a message shows at most 8)


def _roster_blocks(node: Any) -> Iterator[RosterBlock]:
    """Every roster block in a scenario object (any service, any depth)."""
    if isinstance(node, RosterBlock):
        yield node
    elif isinstance(node, BaseModel) and not isinstance(node, Location):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if isinstance(value, (BaseModel, list, tuple, dict)):
                yield from _roster_blocks(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            if isinstance(item, (BaseModel, list, tuple, dict)):
                yield from _roster_blocks(item)
    elif isinstance(node, dict):
        yield from _roster_blocks(list(node.values()))


@functools.cache
def supported_countries() -> frozenset[str]:
    """The country codes the `holidays` package has tables for (e.g. NL, BE, DE, NLD). A
    code is checked against this list, never looked up as a name in the package (where
    'utils' or 'country_holidays' would be found too). The codes come from the package's
    registry, where list_supported_countries() takes them from too, without loading every
    country's subdivisions (0.06 s at every run; tests/test_schema.py holds the two equal)."""
    try:
        from holidays.registry import EntityLoader
        return frozenset(EntityLoader.get_country_codes(include_aliases=True))
    except (ImportError, AttributeError):  # a holidays release without that registry
        return frozenset(holidays_lib.list_supported_countries())


@functools.lru_cache(maxsize=64)
def _closed_days(country: str, first: dt.date, last: dt.date, extra: tuple[dt.date, ...]) -> tuple[dt.date, ...]:
    """Public holidays and extra closed days between first and last (exclusions not taken
    off: the run size is an upper bound). The calendar itself is engine/calendar.py."""
    days = {d for d in extra if first <= d <= last}
    if country in supported_countries():
        table = holidays_lib.country_holidays(country, years=range(first.year, last.year + 1))
        days |= {d for d in table if first <= d <= last}
    return tuple(sorted(days))


def holiday_weeks(sc: Scenario, profile: HourProfile, office_share: float | None = None) -> float:
    """How many weeks of demand the holidays add under `profile`: none, unless holidays take
    Sunday's shape (`holiday_like_sunday`), and then each holiday adds Sunday's share of the
    week less its own day's (all of Sunday's when `office_share` rescales the weekdays: an
    upper bound). A profile with all demand on Sunday and every day an extra holiday is
    seven times its weekly rate, not one: the run size counts it."""
    if not profile.holiday_like_sunday:
        return 0.0
    share = profile.hour_of_week().reshape(7, 24).sum(axis=1)
    last = sc.region.start + dt.timedelta(days=sc.region.horizon_days - 1)
    days = _closed_days(sc.calendar.holidays.country, sc.region.start, last, tuple(sc.calendar.holidays.extra))
    own = [0.0 if office_share is not None and d.weekday() < 5 else float(share[d.weekday()]) for d in days]
    return sum(max(0.0, float(share[6]) - w) for w in own)


def run_size(sc: Scenario) -> dict[str, float]:
    """Expected size of one replication: care requests (the locations' residents and the
    HAPs' general population, with demand growth, over warm-up and measured weeks and what
    holidays with Sunday's demand add), residents (one frailty each) and rostered shifts
    (one row per block per day)."""
    weeks = sc.region.warmup_weeks + sc.region.weeks
    growth = 1.0 + sc.pressures.demand_growth
    wlz = sum(sc.location_rate(loc) for loc in sc.locations)
    haps = [((h.inhabitants or sc.region.inhabitants) * h.background.contacts_per_1000_year / 1000 / (365.25 / 7),
             holiday_weeks(sc, h.background.profile)) for h in sc.all_spoedposten()]
    background = sum(rate for rate, _ in haps)
    wlz_weeks = weeks + (holiday_weeks(sc, sc.demand.profile, sc.demand.office_share) if wlz > 0 else 0.0)
    requests = (wlz * wlz_weeks + sum(rate * (weeks + extra) for rate, extra in haps)) * growth
    others = [getattr(sc, name) for name in type(sc).model_fields if name not in ("spoedpost", "locations")]
    blocks = list(_roster_blocks([others, sc.all_spoedposten()]))
    days = sc.region.horizon_days + 1  # the day before the horizon is rostered too (a night shift into it)
    shifts = sum(days * min(1.0, len(set(b.days)) / 7) for b in blocks)
    return {"weeks": weeks, "wlz_per_week": wlz * growth, "background_per_week": background * growth,
            "holiday_weeks": max([wlz_weeks - weeks, *(extra for _, extra in haps)]),
            "requests": requests, "residents": sum(loc.residents for loc in sc.locations), "shifts": shifts}


def run_size_problems(sc: Scenario) -> list[dict[str, Any]]:
    """The run-size limits above, checked before anything is built: each problem says the
    estimated size and what to change."""
    size = run_size(sc)
    errs = []
    if size["requests"] > MAX_REQUESTS:
        errs.append({"loc": (), "type": "run_size", "msg": (
            f"the run is too large: about {size['requests']:,.0f} care requests per replication "
            f"({size['wlz_per_week']:,.0f} a week from the locations and {size['background_per_week']:,.0f} from "
            f"the HAPs' general population, demand growth included, over {size['weeks']} weeks with the warm-up"
            + (f" and {size['holiday_weeks']:,.0f} more for holidays with Sunday's demand"
               if size["holiday_weeks"] >= 0.1 * size["weeks"] else "") + "); "
            f"at most {MAX_REQUESTS:,} (about 6 GB of memory). Simulate fewer weeks (region.weeks, "
            f"region.warmup_weeks) or check residents, rates, inhabitants and pressures.demand_growth")})
    if size["residents"] > MAX_RESIDENTS_TOTAL:
        errs.append({"loc": ("locations",), "type": "run_size", "msg": (
            f"{size['residents']:,} residents in all; at most {MAX_RESIDENTS_TOTAL:,} (about three times all Wlz "
            "clients of the Netherlands): check the residents of the locations")})
    if size["shifts"] > MAX_SHIFTS:
        errs.append({"loc": (), "type": "run_size", "msg": (
            f"the rosters are too large: about {size['shifts']:,.0f} rostered shifts over {size['weeks']} weeks; at "
            f"most {MAX_SHIFTS:,}. Simulate fewer weeks or use fewer roster blocks (several professionals on the "
            "same shift are one block with a count)")})
    return errs


def problems(sc: Scenario) -> list[dict[str, Any]]:
    """What pydantic cannot see in one field: ids that must exist and be unique, practice
    shares, routes (compiled, so every route problem is found here), and the calendar (the
    holiday country). Each problem is {loc, type, msg}; an empty list is a valid scenario."""
    errs: list[dict[str, Any]] = run_size_problems(sc)

    def add(loc: tuple[Any, ...], msg: str) -> None:
        errs.append({"loc": loc, "type": "reference", "msg": msg})

    for group in ("locations", "practices", "behandeldiensten"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(sc, group)):
            if item.id in seen:
                add((group, i, "id"), f"duplicate id {quote(item.id)} (also {group}[{seen[item.id]}])")
            seen.setdefault(item.id, i)
    seen_ids: dict[str, str] = {}
    for group in ("behandeldiensten", "services"):
        for i, item in enumerate(getattr(sc, group)):
            if item.id in seen_ids and seen_ids[item.id] != f"{group}[{i}]":
                add((group, i, "id"), f"id {quote(item.id)} is also used by {seen_ids[item.id]}; route names must be "
                    "unique")
            seen_ids.setdefault(item.id, f"{group}[{i}]")
    practices = {p.id for p in sc.practices}
    diensten = {b.id for b in sc.behandeldiensten}
    haps = [h.id for h in sc.all_spoedposten()]
    for k, h in enumerate(sc.spoedposten):
        if haps.index(h.id) != k:
            add(("spoedposten", k, "id"), f"duplicate spoedpost id {quote(h.id)}")
    for i, loc in enumerate(sc.locations):
        if loc.spoedpost is not None and loc.spoedpost not in haps:
            add(("locations", i, "spoedpost"), f"unknown spoedpost {quote(loc.spoedpost)} (known: {listing(haps)})")
    # listed once, not per location: 20,000 locations naming unknown practices stay quick
    known_diensten = listing(sorted(diensten)) or "none defined"
    practice_ids = sorted(practices)
    known_practices = listing(practice_ids) or "none defined"
    for i, loc in enumerate(sc.locations):
        if loc.behandeling:
            if loc.behandeldienst is None:
                add(("locations", i, "behandeldienst"),
                    f"a location met behandeling needs a behandeldienst (its provider's SO/AVG); known: {known_diensten}")
            elif loc.behandeldienst not in diensten:
                add(("locations", i, "behandeldienst"), f"unknown behandeldienst {quote(loc.behandeldienst)}; "
                    f"known: {known_diensten}")
        else:
            if loc.practice is None:
                add(("locations", i, "practice"),
                    f"a location without behandeling needs its fixed GP practice (Convenant MGZ); known: {known_practices}")
            for pid in loc.practice_shares():
                if pid not in practices:
                    # a guess costs a comparison with every practice: only for the problems a message shows
                    guess = difflib.get_close_matches(pid, practice_ids, n=1) if len(errs) < GUESSES else []
                    hint = f"; did you mean '{guess[0]}'?" if guess else ""
                    where = ("locations", i, "practice") + (() if isinstance(loc.practice, str) else (pid,))
                    add(where, f"unknown practice {quote(pid)}{hint} (known: {known_practices})")
    for k, prac in enumerate(sc.practices):
        if prac.waarneming is not None and prac.waarneming not in practices - {prac.id}:
            add(("practices", k, "waarneming"), f"{quote(prac.waarneming)} is not another practice of the scenario "
                f"(known: {listing(sorted(practices - {prac.id})) or 'none'})")
    country = sc.calendar.holidays.country
    if country not in supported_countries():
        add(("calendar", "holidays", "country"), f"unknown country code {quote(country)} (use an ISO code the "
            "`holidays` package knows, e.g. NL, BE, DE)")
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
        raise ScenarioError(_one_problem(first)) from None
    except RecursionError:  # data built in code that refers to itself
        raise ScenarioError("the scenario refers to itself (a cycle)") from None
    errs = problems(sc)
    if errs:
        raise ScenarioError(_one_problem(errs[0]))
    return sc


def _one_problem(err: Mapping[str, Any]) -> str:
    msg = err["msg"]
    msg = msg.removeprefix("Value error, ")
    got = err.get("input")
    if err.get("type") not in (None, "missing", "reference", "run_size") and got is not None \
            and not isinstance(got, (dict, list)):
        msg += f" (got {quote(got)})"
    return f"{format_path(err['loc'])}: {msg}" if err["loc"] else msg


