"""What does a new location do to our practice? With and without it, on common random
numbers, and the same if it comes with a voorwacht or a compact behandelteam.

A GP cooperative names the new location(s) (`--add-location naam=De Eik,bewoners=24,
soort=kleinschalig,zorgprofiel=PG,huisarts=De Linde`, English keys too, or a YAML file) or a
change to an existing one (`--change-location L05:behandeling=ja,behandeldienst=BD-VV`);
experiments/nieuwe_locatie.py reads them. Every other location keeps its random numbers,
so the differences are the new location's doing, not noise.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.analysis.metrics import aggregate, paired_differences
from sim.errors import ScenarioError
from sim.experiments.nieuwe_locatie import parse_changes, parse_locations, removed, resolve
from sim.experiments.output import atomic_write_json, atomic_write_parquet, atomic_write_text
from sim.experiments.point_runs import execute, experiment_folder
from sim.experiments.runner import versions
from sim.scenario import plain_yaml
from sim.scenario.config import Scenario
from sim.scenario.loading import load_scenario
from sim.scenario.validation import validate_data

def _routes_for(ids: list[str], service: str, behandeling: dict[str, bool]) -> list[dict[str, Any]]:
    with_bh = [i for i in ids if behandeling[i]]
    without = [i for i in ids if not behandeling[i]]
    routes = []
    if with_bh:
        routes.append({"name": f"{service} for the new location(s), met behandeling",
                       "match": {"locations": with_bh}, "steps": [service, "behandeldienst"]})
    if without:
        routes += [{"name": f"{service} by day", "match": {"locations": without, "period": ["office"]},
                    "steps": [service, "gp"]},
                   {"name": f"{service} in ANW", "match": {"locations": without, "period": ["anw"]},
                    "steps": [service, "hap"]}]
    return routes


def _without(routes: list[dict[str, Any]], closed: set[str]) -> list[dict[str, Any]]:
    """The routes with the closed locations taken out of their match; a route that named
    only closed locations goes (left with an empty list it would match every location)."""
    out = []
    for route in routes:
        named = (route.get("match") or {}).get("locations")
        if named:
            left = [i for i in named if i not in closed]
            if not left:
                continue
            route = {**route, "match": {**route["match"], "locations": left}}
        out.append(route)
    return out


def variants(base: Scenario, new: list[dict[str, Any]], changes: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The scenarios to compare, as data: without, with, with + voorwacht, with + behandelteam."""
    data = base.model_dump(mode="json", exclude_none=True)
    known = {loc["id"] for loc in data["locations"]}
    for loc_id in changes:
        if loc_id not in known:
            raise ScenarioError(f"--change-location: no location '{loc_id}' (known: {', '.join(sorted(known))})")
    met = copy.deepcopy(data)
    closed = set(removed(changes))
    for loc in met["locations"]:
        loc.update(changes.get(loc["id"], {}) if loc["id"] not in closed else {})
    met["locations"] = [loc for loc in met["locations"] if loc["id"] not in closed] + copy.deepcopy(new)
    if closed:
        met["routes"] = _without(met.get("routes", []), closed)
    ids = [loc["id"] for loc in new] + [i for i in changes if i not in closed]
    behandeling = {loc["id"]: bool(loc.get("behandeling", False)) for loc in met["locations"]}
    out = {"zonder": data, "met": met}
    if not ids:  # only closed locations: a voorwacht or behandelteam for them means nothing
        return out
    vw = copy.deepcopy(met)
    vw["services"] = vw.get("services", []) + [{"id": "VOORWACHT-NIEUW", "type": "voorwacht"}]
    vw["routes"] = _routes_for(ids, "VOORWACHT-NIEUW", behandeling) + vw.get("routes", [])
    out["met + voorwacht"] = vw
    if not all(behandeling[i] for i in ids):
        bt = copy.deepcopy(met)
        bt["services"] = bt.get("services", []) + [{"id": "BEHANDELTEAM-NIEUW", "type": "behandelteam"}]
        day = [i for i in ids if not behandeling[i]]
        bt["routes"] = [{"name": "behandelteam by day", "match": {"locations": day, "period": ["office"]},
                         "steps": ["BEHANDELTEAM-NIEUW", "gp"]}] + bt.get("routes", [])
        out["met + behandelteam"] = bt
    return out


def _validate(name: str, data: dict[str, Any]) -> Scenario:
    try:
        return validate_data(data)
    except ScenarioError as exc:
        raise ScenarioError(f"scenario '{name}': {exc}") from None


def run_impact(path: Path | None, add: list[str], change: list[str], replications: int, out_root: Path,
               workers: int = 1, dask: str | None = None, quiet: bool = False,
               overrides: dict[str, Any] | None = None,
               progress: Callable[[int, int], None] | None = None, base: Scenario | None = None) -> dict[str, Any]:
    """`progress(done, total)`, if given, follows the runs (experiments/sweep.py execute);
    `base`, if given, is the scenario already loaded (one region of a country)."""
    base = base or load_scenario(path, overrides)
    new, changes = parse_locations(add), parse_changes(change)
    if not new and not changes:
        raise ScenarioError("impact: name at least one --add-location or --change-location")
    new, changes = resolve(base, new, changes)
    datas = variants(base, new, changes)
    scenarios = {name: _validate(name, d) for name, d in datas.items()}
    asked = [loc for loc in scenarios["met"].locations if loc.id in {n["id"] for n in new} | set(changes)]
    asked += [loc for loc in base.locations if loc.id in set(removed(changes))]  # closed: as they were
    practices = sorted({pid for loc in asked for pid in loc.practice_shares()})
    haps = sorted({scenarios["met"].hap_of(loc) for loc in asked})
    names = list(datas)
    folder = experiment_folder(out_root, f"impact-{base.scenario}", list(datas.values()))
    table, failures = execute([datas[n] for n in names], [{"variant": n} for n in names], replications, [],
                              folder, workers, dask, quiet, "impact", progress)
    if failures:
        raise ScenarioError(f"{len(failures)} runs failed (first: {failures[0]['error']})")
    per = {n: [dict(zip(g["kpi"], g["value"])) for _, g in table[table["point"] == k].groupby("replication")]
           for k, n in enumerate(names)}
    kpis = impact_kpis(practices, haps)
    result = {
        "scenario": base.scenario, "new_locations": new, "changed_locations": changes, "practices": practices,
        "spoedposten": haps,
        "replications": replications, "seed": base.region.seed, "variants": names,
        "kpis": {n: {k: v for k, v in aggregate(per[n]).items() if k in kpis} for n in names},
        "difference": {n: paired_differences(per["zonder"], per[n], kpis) for n in names if n != "zonder"},
        "kpi_order": kpis, "versions": versions(),
    }
    atomic_write_parquet(folder / "kpis.parquet", table)
    atomic_write_json(folder / "impact.json", result)
    atomic_write_text(folder / "scenario.yaml", plain_yaml.dump(datas["zonder"]))
    result["folder"] = str(folder)
    return result


def impact_kpis(practices: list[str], haps: list[str]) -> list[str]:
    """What a GP cooperative asks about a new location: per practice its consults, GP hours,
    utilisation and wait; per HAP of the locations its waits; the region's totals."""
    out = []
    for p in practices:
        out += [f"service.{p}.handled_per_week", f"service.{p}.handled_week_p90", f"service.{p}.hours_per_week",
                f"service.{p}.hours_week_p90", f"service.{p}.utilisation", f"service.{p}.wait_p90_min"]
    out.append("handled.hap.wlz_per_week")
    for h in haps:
        out += [f"service.{h}:doctor.wait_p90_min", f"service.{h}:car.wait_p90_min"]
    return out + ["hours.physician_per_week", "hours.nurse_per_week", "response.wlz.U2.within_norm",
                  "response.wlz.U4.within_norm"]
