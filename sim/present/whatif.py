"""Compose a what-if scenario from switches and sliders (used by the app): arrangement
blocks on or off, a new location, GP capacity, demand growth, the voorwacht's resolve
share. Everything goes through the same validation as a scenario file."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.loading import validate_data

ARRANGEMENTS = {
    "voorwacht": "Voorwacht (C): a nurse triages first, day and ANW",
    "behandelteam": "Compact behandelteam (D): VS first contact by day (VV)",
    "regionale_triage": "Regional 24/7 triage + digital AVG achterwacht (E, GHZ)",
    "aanrijdteam": "Verpleegkundig aanrijdteam for visits (F)",
    "pooled_anw": "SO/AVG ANW rota pooled regionally (H)",
}
DEFAULT_RESOLVE = {"U3": 0.10, "U4": 0.30, "U5": 0.45}  # the voorwacht's default shares


@dataclass
class WhatIf:
    arrangements: list[str] = field(default_factory=list)
    new_residents: int = 0
    gp_capacity: float = 1.0  # share of today's GP time
    growth: float = 0.0  # extra demand, e.g. 0.114
    resolve_u5: float = 0.45  # voorwacht: share of U5 questions settled (others scale with it)
    replications: int = 3
    weeks: int = 26

    def check(self) -> None:
        """Clear messages for values no scenario may have."""
        problems = []
        unknown = set(self.arrangements) - set(ARRANGEMENTS)
        if unknown:
            problems.append(f"unknown arrangement(s) {', '.join(sorted(unknown))}")
        if not isinstance(self.replications, int) or not 1 <= self.replications <= 50:
            problems.append(f"replications must be a whole number from 1 to 50 (got {self.replications})")
        if not isinstance(self.weeks, int) or not 1 <= self.weeks <= 104:
            problems.append(f"weeks must be a whole number from 1 to 104 (got {self.weeks})")
        if not isinstance(self.new_residents, int) or not 0 <= self.new_residents <= 500:
            problems.append(f"residents of the new location must be 0 to 500 (got {self.new_residents})")
        if not 0 < self.gp_capacity <= 1:
            problems.append(f"GP time must be above 0% and at most 100% of today's (got {self.gp_capacity:.0%})")
        if not 0 <= self.growth <= 1:
            problems.append(f"demand growth must be 0% to 100% (got {self.growth:.0%})")
        if not 0 <= self.resolve_u5 <= 1:
            problems.append(f"the resolve share must be 0% to 100% (got {self.resolve_u5:.0%})")
        if problems:
            raise ScenarioError("; ".join(problems))


def _steps(*filters: str | dict[str, Any], end: str) -> list[Any]:
    return [f for f in filters if f] + [end]


def compose(base: dict[str, Any], w: WhatIf) -> dict[str, Any]:
    """The what-if scenario as data: base + blocks + routes + pressures."""
    w.check()
    data = copy.deepcopy(base)
    data["scenario"] = f"{base.get('scenario', 'scenario')}-whatif"
    data.setdefault("region", {})["weeks"] = w.weeks
    data.setdefault("pressures", {}).update({"gp_capacity_factor": w.gp_capacity, "demand_growth": w.growth})
    services, routes = list(data.get("services", [])), []
    on = set(w.arrangements)
    vw = at = bt = None
    if "voorwacht" in on:
        scale = w.resolve_u5 / DEFAULT_RESOLVE["U5"]
        services.append({"id": "VOORWACHT-APP", "type": "voorwacht",
                         "resolves": {u: min(1.0, round(v * scale, 4)) for u, v in DEFAULT_RESOLVE.items()}})
        vw = "VOORWACHT-APP"
    if "aanrijdteam" in on:
        services.append({"id": "AANRIJDTEAM-APP", "type": "aanrijdteam"})
        at = {"service": "AANRIJDTEAM-APP", "when": {"modality": ["visit"], "urgency": ["U2", "U3", "U4", "U5"]}}
    if "behandelteam" in on:
        services.append({"id": "BEHANDELTEAM-APP", "type": "behandelteam",
                         "roster": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "17:00",
                                     "count": 4}]})
        bt = "BEHANDELTEAM-APP"
    if "regionale_triage" in on:
        services += [{"id": "REGIOTRIAGE-APP", "type": "regionale_triage"},
                     {"id": "ACHTERWACHT-APP", "type": "achterwacht", "discipline": "avg"}]
        rt = ["REGIOTRIAGE-APP", "ACHTERWACHT-APP"]
        anw_end = "ANW-REGIO-APP" if "pooled_anw" in on else "behandeldienst"
        routes += [{"match": {"sector": ["GHZ"], "behandeling": True, "period": ["office"]},
                    "steps": _steps(*rt, at, end="behandeldienst")},
                   {"match": {"sector": ["GHZ"], "behandeling": True, "period": ["anw"]},
                    "steps": _steps(*rt, at, end=anw_end)},
                   {"match": {"sector": ["GHZ"], "period": ["office"]}, "steps": _steps(*rt, at, end="gp")},
                   {"match": {"sector": ["GHZ"], "period": ["anw"]}, "steps": _steps(*rt, at, end="hap")}]
    if "pooled_anw" in on:
        _pool_anw(data)
        routes.append({"match": {"behandeling": True, "period": ["anw"]}, "steps": ["ANW-REGIO-APP"]})
    if bt:
        routes.append({"match": {"sector": ["VV"], "behandeling": False, "period": ["office"]},
                       "steps": _steps(bt, vw, at, end="gp")})
    if vw or at:
        routes += [{"match": {"behandeling": False, "period": ["office"]}, "steps": _steps(vw, at, end="gp")},
                   {"match": {"behandeling": False, "period": ["anw"]}, "steps": _steps(vw, at, end="hap")}]
    data["services"] = services
    data["routes"] = routes + list(data.get("routes", []))
    if w.new_residents > 0:
        practice = data["practices"][0]["id"] if data.get("practices") else None
        data["locations"] = list(data["locations"]) + [{
            "id": "NIEUW-APP", "name": "Nieuwe woonvorm", "kind": "kleinschalig", "sector": "VV",
            "residents": w.new_residents, "practice": practice}]
    return data


def _pool_anw(data: dict[str, Any]) -> None:
    """ANW duties of every behandeldienst move into one regional rota of the same size."""
    from sim.scenario.config import Behandeldienst
    day = {"mon", "tue", "wed", "thu", "fri"}
    on_call = 0
    for b in data.get("behandeldiensten", []):
        roster = Behandeldienst.model_validate(b).model_dump(mode="json")["roster"]
        office = [r for r in roster if set(r["days"]) <= day and r["start"] == "08:00" and r["end"] == "17:00"]
        anw = [r for r in roster if r not in office]
        on_call += max((r["count"] for r in anw), default=0)
        b["roster"] = office or roster
    data.setdefault("behandeldiensten", []).append({
        "id": "ANW-REGIO-APP", "name": "Regionale ANW-dienst", "discipline": "so", "regular_load": 0,
        "roster": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "17:00", "end": "08:00", "count": max(1, on_call)},
                   {"days": ["sat", "sun", "holiday"], "start": "08:00", "end": "08:00", "count": max(1, on_call)}]})


validate = validate_data  # the app validates what it composed like any scenario built in code
