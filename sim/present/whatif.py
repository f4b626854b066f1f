"""Compose a what-if scenario from switches and sliders (the app's "compare an arrangement"
question): arrangement blocks on or off, GP capacity, demand growth, the voorwacht's
resolve share. The result is plain scenario data that goes through the same validation as
a scenario file, so the app can write it to YAML and compare it with its base exactly as
`mgz-sim compare base.yaml whatif.yaml` would.

A new or changed location is not a what-if here: that question (with / without / with a
voorwacht / with a behandelteam) belongs to experiments/impact.py, and the app asks it
separately so the two effects are never mixed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.validation import validate_data

# The arrangements the app can switch on (docs/model.md, blocks C-H); the app holds their words.
ARRANGEMENTS = ("voorwacht", "behandelteam", "regionale_triage", "aanrijdteam", "pooled_anw")
DEFAULT_RESOLVE = {"U3": 0.10, "U4": 0.30, "U5": 0.45}  # the voorwacht's default shares
SHORT = {  # an arrangement in a scenario's description: (English, Dutch)
    "voorwacht": ("voorwacht (C)", "voorwacht (C)"), "behandelteam": ("compact behandelteam (D)", "compact behandelteam (D)"),
    "regionale_triage": ("regional triage (E)", "regionale triage (E)"), "aanrijdteam": ("aanrijdteam (F)", "aanrijdteam (F)"),
    "pooled_anw": ("pooled ANW rota (H)", "gebundelde ANW-dienst (H)"),
}


@dataclass
class WhatIf:
    """The switches and sliders: which arrangements, and the pressures as fractions."""

    arrangements: list[str] = field(default_factory=list)
    gp_capacity: float = 1.0  # share of today's GP time for the locations
    growth: float = 0.0  # extra demand, e.g. 0.114 for 2040
    resolve_u5: float = DEFAULT_RESOLVE["U5"]  # voorwacht: share of U5 questions settled (U3/U4 scale with it)

    def changes_anything(self) -> bool:
        """False when the what-if is the base scenario itself (nothing switched or moved)."""
        return bool(self.arrangements) or self.gp_capacity != 1.0 or self.growth != 0.0

    def name(self, base: str) -> str:
        """The what-if scenario's name: its base and what it changes, e.g.
        'baseline_voorwacht_huisartstijd70_groei11.4' (a scenario name: letters, digits, _ . -)."""
        parts = list(self.arrangements)
        if "voorwacht" in self.arrangements and self.resolve_u5 != DEFAULT_RESOLVE["U5"]:
            parts.append(f"afhandeling{_pct(self.resolve_u5)}")
        if self.gp_capacity != 1.0:
            parts.append(f"huisartstijd{_pct(self.gp_capacity)}")
        if self.growth:
            parts.append(f"groei{_pct(self.growth)}")
        return "_".join([base, *parts]) if parts else f"{base}_whatif"

    def describe(self, base: dict[str, Any]) -> dict[str, str]:
        """The what-if scenario's description in both languages: its base's and what it
        adds, e.g. 'Uitgangssituatie (A) ... + voorwacht (C), huisartstijd 70%' (the app
        and the reports name scenarios by their description, never by their id)."""
        old = base.get("description") or base.get("scenario", "")
        out = {}
        for k, lang in enumerate(("en", "nl")):
            start = old.get(lang) or old.get("en", "") if isinstance(old, dict) else str(old)
            parts = [SHORT.get(a, (a, a))[k] for a in self.arrangements]
            if "voorwacht" in self.arrangements and self.resolve_u5 != DEFAULT_RESOLVE["U5"]:
                parts.append((f"voorwacht settles {_pct(self.resolve_u5)}% of U5",
                              f"voorwacht handelt {_pct(self.resolve_u5).replace('.', ',')}% van U5 af")[k])
            if self.gp_capacity != 1.0:
                parts.append((f"GP time {_pct(self.gp_capacity)}%", f"huisartstijd {_pct(self.gp_capacity).replace('.', ',')}%")[k])
            if self.growth:
                parts.append((f"demand +{_pct(self.growth)}%", f"zorgvraag +{_pct(self.growth).replace('.', ',')}%")[k])
            out[lang] = f"{start} + {', '.join(parts)}" if parts else start
        return out

    def check(self) -> None:
        """Clear messages for values no scenario may have (the app checks its own, narrower,
        bounds first; this guards every other caller)."""
        problems = []
        unknown = set(self.arrangements) - set(ARRANGEMENTS)
        if unknown:
            problems.append(f"unknown arrangement(s) {', '.join(sorted(map(str, unknown)))}")
        if not 0 < self.gp_capacity <= 1:
            problems.append(f"GP time must be above 0% and at most 100% of today's (got {self.gp_capacity:.0%})")
        if not 0 <= self.growth <= 1:
            problems.append(f"demand growth must be 0% to 100% (got {self.growth:.0%})")
        if not 0 <= self.resolve_u5 <= 1:
            problems.append(f"the resolve share must be 0% to 100% (got {self.resolve_u5:.0%})")
        if problems:
            raise ScenarioError("; ".join(problems))


def _pct(share: float) -> str:
    """0.7 -> '70', 0.114 -> '11.4' (a percentage for a name)."""
    return f"{share * 100:.1f}".rstrip("0").rstrip(".")


def _steps(*filters: str | dict[str, Any] | None, end: str) -> list[Any]:
    """A route's steps: the blocks switched on (None: off), then where the request ends."""
    return [f for f in filters if f] + [end]


def compose(base: dict[str, Any], w: WhatIf) -> dict[str, Any]:
    """The what-if scenario as data: base + blocks + routes + pressures (base is not changed).
    The blocks get names (as in configs/), so the page and the report name them, not their ids."""
    w.check()
    data = copy.deepcopy(base)
    data["scenario"] = w.name(str(base.get("scenario", "scenario")))
    data["description"] = w.describe(base)
    data.setdefault("pressures", {}).update({"gp_capacity_factor": w.gp_capacity, "demand_growth": w.growth})
    services, routes = list(data.get("services", [])), []
    on = set(w.arrangements)
    vw = at = bt = None
    if "voorwacht" in on:
        scale = w.resolve_u5 / DEFAULT_RESOLVE["U5"]
        services.append({"id": "VOORWACHT-APP", "type": "voorwacht", "name": "Medisch-verpleegkundige voorwacht",
                         "resolves": {u: min(1.0, round(v * scale, 4)) for u, v in DEFAULT_RESOLVE.items()}})
        vw = "VOORWACHT-APP"
    if "aanrijdteam" in on:
        services.append({"id": "AANRIJDTEAM-APP", "type": "aanrijdteam", "name": "Verpleegkundig aanrijdteam"})
        at = {"service": "AANRIJDTEAM-APP", "when": {"modality": ["visit"], "urgency": ["U2", "U3", "U4", "U5"]}}
    if "behandelteam" in on:
        services.append({"id": "BEHANDELTEAM-APP", "type": "behandelteam", "name": "Compact behandelteam (VS)",
                         "roster": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "17:00",
                                     "count": 4}]})
        bt = "BEHANDELTEAM-APP"
    if "regionale_triage" in on:
        services += [{"id": "REGIOTRIAGE-APP", "type": "regionale_triage", "name": "Regionale 24/7 triage"},
                     {"id": "ACHTERWACHT-APP", "type": "achterwacht", "discipline": "avg",
                      "name": "Digitale achterwacht AVG"}]
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
    data["routes"] = routes + list(data.get("routes", []))  # the what-if's routes come first: they win
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
