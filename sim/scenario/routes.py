"""Routing as data: which services a request passes, read from the scenario's routes.

Routes are matched first-match-wins on the location (sector, kind, behandeling, id) and
the period of arrival; the baseline routes of arrangement A follow as a fallback. Each
matched route is compiled, per routing row, into a tuple of steps whose targets are
concrete services (`gp` becomes the row's practice, `behandeldienst` the location's own
behandeldienst). A location has one routing row per practice its residents are with (one
row for most). The event loop only walks these tuples; every check happens here, before
the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.scenario.arrangements import PERIOD_GROUPS, Route
from sim.scenario.config import Location, Scenario
from sim.scenario.schema import MODALITIES, PERIODS, URGENCIES

MAX_FILTERS = 4  # per route: each filter step has its own uniform slots (engine/demand.py: FILTER_RESOLVE, FILTER_DURATION)
HAP_KIND = "hap"


class RouteError(Exception):
    """A routing problem, located by its path in the scenario (e.g. routes[2].steps[1])."""

    def __init__(self, loc: tuple[Any, ...], msg: str):
        super().__init__(msg)
        self.loc = loc
        self.msg = msg


@dataclass(frozen=True)
class CompiledStep:
    """One step of a route for one routing row: the concrete service(s) it targets (a split
    picks one by share), the urgencies and modalities it applies to, and which first-line
    slot it uses."""

    targets: tuple[tuple[str, str], ...]  # service keys: (kind, id)
    cum_shares: tuple[float, ...]  # cumulative split shares (one target: (1.0,))
    urgencies: frozenset[int]  # 1..5; empty = any
    modalities: frozenset[int]  # modality codes; empty = any
    filter_index: int  # which filter slot this step uses if its target is a filter

    @property
    def conditional(self) -> bool:
        return bool(self.urgencies or self.modalities)

    def applies(self, urgency: int, modality: int) -> bool:
        return (not self.urgencies or urgency in self.urgencies) and (not self.modalities or modality in self.modalities)

    def pick(self, u: float) -> tuple[str, str]:
        for key, c in zip(self.targets, self.cum_shares):
            if u < c:
                return key
        return self.targets[-1]


def _matches_class(route: Route, loc: Location, period: str) -> bool:
    """Whether a route's match takes this location's kind of place and this period (its
    list of location ids aside)."""
    m = route.match
    if m.period and not any(period in PERIOD_GROUPS[p] for p in m.period):
        return False
    if m.sector and loc.sector not in m.sector:
        return False
    if m.kind and loc.kind not in m.kind:
        return False
    return not (m.behandeling is not None and loc.behandeling != m.behandeling)


class FirstMatch:
    """The first route (first match wins) for a location and a period, without trying every
    route for every location: the first route without a list of location ids is the same
    for every location of one sector, kind and behandeling, and a route with a list can
    only come first for the locations it names. 20,000 locations and 1,000 routes naming
    them take a second, not hours."""

    def __init__(self, routes: list[Route]):
        self.routes = routes
        self.named: dict[str, list[int]] = {}  # location id -> the routes naming it, in order
        for r, route in enumerate(routes):
            for lid in dict.fromkeys(route.match.locations):
                self.named.setdefault(lid, []).append(r)
        self._unnamed: dict[tuple[Any, ...], int | None] = {}

    def __call__(self, loc: Location, period: str) -> int | None:
        key = (loc.sector, loc.kind, loc.behandeling, period)
        if key not in self._unnamed:
            self._unnamed[key] = next((r for r, route in enumerate(self.routes)
                                       if not route.match.locations and _matches_class(route, loc, period)), None)
        first = self._unnamed[key]
        for r in self.named.get(loc.id, ()):
            if first is not None and r > first:
                break
            if _matches_class(self.routes[r], loc, period):
                return r
        return first


def service_kinds(sc: Scenario) -> dict[str, str]:
    """Every name a route step may give: 'filter' (a first-line service) or 'terminal'. One
    dict, so that checking 1,000 routes of 100 steps does not search the services each time."""
    kinds = {"gp": "terminal", "hap": "terminal", "behandeldienst": "terminal"}
    for svc in [*sc.services, *sc.behandeldiensten]:  # the first of an id counts, as in Scenario.service
        kinds.setdefault(svc.id, "filter" if type(svc).first_line else "terminal")
    return kinds


def service_kind(sc: Scenario, name: str) -> str | None:
    """'filter', 'terminal', or None if no such service."""
    return service_kinds(sc).get(name)


def routing_rows(sc: Scenario) -> list[tuple[int, str | None]]:
    """(location index, practice id or None) per routing row: one row per practice a
    location's residents are with, in the order the location names them."""
    return [(li, p) for li, loc in enumerate(sc.locations) for p in (list[str | None](loc.practice_shares()) or [None])]


def _resolve(sc: Scenario, name: str, loc: Location, practice: str | None, where: tuple[Any, ...],
             diensten: set[str]) -> tuple[str, str]:
    if name == "hap":
        return (HAP_KIND, sc.hap_of(loc))
    if name == "gp":
        if practice is None:
            raise RouteError(where, f"sends location {loc.id} to 'gp', but it has no practice (it is met "
                                    "behandeling); give it a practice or route it elsewhere")
        return ("practice", practice)
    if name == "behandeldienst":
        if loc.behandeldienst is None:
            raise RouteError(where, f"sends location {loc.id} to its own 'behandeldienst', but it has none; "
                                    "name a behandeldienst or route it elsewhere")
        return ("behandeldienst", loc.behandeldienst)
    if name in diensten:
        return ("behandeldienst", name)
    return ("service", name)


def check_routes(sc: Scenario) -> None:
    """Static checks: services exist, each route ends at a physician service."""
    kinds = service_kinds(sc)
    known = sorted(kinds)
    for r, route in enumerate(sc.routes):
        filters = 0
        for k, step in enumerate(route.steps):
            for name in step.targets():
                where = ("routes", r, "steps", k)
                kind = kinds.get(name)
                if kind is None:
                    raise RouteError(where, f"unknown service '{name}' (known: {', '.join(known)})")
                if kind == "filter":
                    filters += 1
            last = k == len(route.steps) - 1
            if last and step.when is not None:
                raise RouteError(("routes", r, "steps", k, "when"),
                                 "the last step must take every request: remove its 'when' or add a step after it")
            if last and any(kinds.get(n) == "filter" for n in step.targets()):
                raise RouteError(("routes", r, "steps", k),
                                 f"the route ends at a first-line service ({', '.join(step.targets())}) that passes on "
                                 "what it does not resolve; end it at a physician service (gp, hap, behandeldienst, "
                                 "a gzc/artsen service or seh)")
        if filters > MAX_FILTERS:
            raise RouteError(("routes", r, "steps"), f"at most {MAX_FILTERS} first-line steps per route")


def compile_routes(sc: Scenario) -> tuple[list[tuple[CompiledStep, ...]], np.ndarray]:
    """Unique compiled routes, and per (routing row, period) the index of its route."""
    check_routes(sc)
    routes = sc.all_routes()
    n_user = len(sc.routes)
    used = [False] * len(routes)
    compiled: dict[tuple[CompiledStep, ...], int] = {}
    rows = routing_rows(sc)
    table = np.full((len(rows), len(PERIODS)), -1, dtype=np.int64)
    first_match = FirstMatch(routes)
    kinds, diensten = service_kinds(sc), {b.id for b in sc.behandeldiensten}
    # a route compiles the same for every location with the same practice, HAP and behandeldienst
    done: dict[tuple[Any, ...], tuple[CompiledStep, ...]] = {}
    for row, (li, practice) in enumerate(rows):
        loc = sc.locations[li]
        for pi, period in enumerate(PERIODS):
            r = first_match(loc, period)
            if r is None:
                raise RouteError(("locations", li), f"location {loc.id} has no route in {period} hours; add a route "
                                                    "or set baseline_fallback: true")
            used[r] = True
            where = ("routes", r) if r < n_user else ("baseline_fallback",)
            key = (r, practice, sc.hap_of(loc), loc.behandeldienst)
            if key not in done:
                done[key] = _compile(sc, routes[r], loc, practice, where, kinds, diensten)
            steps = done[key]
            table[row, pi] = compiled.setdefault(steps, len(compiled))
    for r in range(n_user):
        if not used[r]:
            raise RouteError(("routes", r, "match"), "this route is never used: no location and period reach it "
                                                     "(an earlier route already takes everything it matches)")
    return list(compiled), table


def _compile(sc: Scenario, route: Route, loc: Location, practice: str | None, where: tuple[Any, ...],
             kinds: dict[str, str], diensten: set[str]) -> tuple[CompiledStep, ...]:
    out, filters = [], 0
    for k, step in enumerate(route.steps):
        here = (*where, "steps", k) if where[0] == "routes" else where
        names = step.targets()
        shares = list(step.split.values()) if step.split else [1.0]
        keys = tuple(_resolve(sc, n, loc, practice, here, diensten) for n in names)
        when = step.when
        out.append(CompiledStep(
            targets=keys,
            cum_shares=tuple(np.cumsum(shares).tolist()),
            urgencies=frozenset(URGENCIES.index(u) + 1 for u in (when.urgency if when else [])),
            modalities=frozenset(MODALITIES.index(m) for m in (when.modality if when else [])),
            filter_index=filters,
        ))
        if any(kinds.get(n) == "filter" for n in names):
            filters += 1
    return tuple(out)
