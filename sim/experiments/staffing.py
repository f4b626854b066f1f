"""How many staff do we need? The smallest roster that meets every target with the
stated confidence.

Targets are written in a small language over the KPIs that runs report:

    "U2 p90 response <= 60 min"      response.wlz.U2.p90_min (first professional contact)
    "background U2 p90 physician <= 60 min"   response.background.U2.physician_p90_min
    "U4 within norm >= 95%"          response.wlz.U4.within_norm
    "utilisation <= 0.85"            service.<the staffed pool>.utilisation
    "wait p90 <= 30 min"             service.<the staffed pool>.wait_p90_min
    "service.hap:car.wait_p90_min <= 45"   any KPI by its full name

A target holds when its one-sided confidence bound does (the upper bound for <=), over
replications on common random numbers. The search first finds the smallest uniform
change to every roster block (binary search: the KPIs are monotone in staff), then lowers
single blocks one at a time while every target still holds.
"""

from __future__ import annotations

import copy
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_json, atomic_write_text
from sim.experiments.point_runs import execute, experiment_folder
from sim.experiments.runner import versions
from sim.scenario import plain_yaml
from sim.scenario.loading import load_scenario

HAP_ROLES = {  # the part of a HAP to staff -> (roster path inside the post, pool role)
    "triage": (("triage", "roster"), "triage"),
    "doctors": (("doctors",), "doctor"),
    "cars": (("cars",), "car"),
}
_HAP_SERVICE = re.compile(r"^(?:hap|spoedposten\[([^\]]+)\])\.(triage|doctors|cars)$")
_LIST_SERVICE = re.compile(r"^(practices|behandeldiensten|services)\[([^\]]+)\]$")
SERVICE_HELP = ("hap.doctors, hap.cars or hap.triage (one spoedpost), spoedposten[ID].doctors / .cars / .triage, "
                "practices[ID], behandeldiensten[ID] or services[ID]")
_ALIAS = re.compile(
    r"^(?:(?P<pop>wlz|background)\s+)?(?P<u>U[1-5])\s+(?:(?P<p>p\d\d)\s+(?P<what>response|physician)|within\s+norm)$",
    re.IGNORECASE)
_TARGET = re.compile(r"^\s*(?P<metric>.+?)\s*(?P<op><=|>=|<|>)\s*(?P<num>-?\d+(?:\.\d+)?)\s*(?P<unit>min|h|%)?\s*$")
TARGET_HELP = ("write a target as '<KPI> <op> <number> [min|h|%]', e.g. 'U2 p90 response <= 60 min', "
               "'U4 within norm >= 95%', 'utilisation <= 0.85', 'wait p90 <= 30 min', or a full KPI name "
               "such as 'service.hap:car.wait_p90_min <= 45'")


@dataclass(frozen=True)
class Target:
    text: str
    kpi: str
    op: str
    threshold: float

    def holds(self, values: list[float], confidence: float) -> tuple[bool, float, float]:
        """(holds, mean, one-sided bound) over replications."""
        x = np.array([v for v in values if v is not None and not math.isnan(v)], dtype=float)
        if x.size == 0:
            return False, math.nan, math.nan
        mean = float(x.mean())
        if x.size > 1 and np.isfinite(x).all():
            half = float(stats.t.ppf(confidence, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
        else:
            half = 0.0 if np.isfinite(x).all() else math.inf
        bound = mean + half if self.op in ("<=", "<") else mean - half
        ok = {"<=": bound <= self.threshold, "<": bound < self.threshold,
              ">=": bound >= self.threshold, ">": bound > self.threshold}[self.op]
        return bool(ok), mean, bound


def parse_target(text: str, pool: str) -> Target:
    m = _TARGET.match(text)
    if not m:
        raise ScenarioError(f"--target '{text}': {TARGET_HELP}")
    metric, unit = m["metric"].strip(), m["unit"]
    value = float(m["num"])
    low = metric.lower()
    if low == "utilisation":
        kpi = f"service.{pool}.utilisation"
    elif low in ("wait p90", "wait p90 response"):
        kpi = f"service.{pool}.wait_p90_min"
    elif (a := _ALIAS.match(metric)) is not None:
        pop = (a["pop"] or "wlz").lower()
        u = a["u"].upper()
        if a["what"] is None:
            kpi = f"response.{pop}.{u}.within_norm"
        elif a["what"].lower() == "physician":
            if a["p"].lower() != "p90":
                raise ScenarioError(f"--target '{text}': physician contact is reported as p90 only")
            kpi = f"response.{pop}.{u}.physician_p90_min"
        else:
            if a["p"].lower() not in ("p50", "p90", "p95"):
                raise ScenarioError(f"--target '{text}': response percentiles are p50, p90 and p95")
            kpi = f"response.{pop}.{u}.{a['p'].lower()}_min"
    elif re.match(r"^[A-Za-z0-9_:.\-]+$", metric) and "." in metric:
        kpi = metric
    else:
        raise ScenarioError(f"--target '{text}': unknown measure '{metric}'; {TARGET_HELP}")
    if unit == "%":
        value /= 100
    elif unit == "h":
        value *= 60
    if unit in ("min", "h") and not kpi.endswith("_min"):
        raise ScenarioError(f"--target '{text}': '{kpi}' is not a time, so '{unit}' does not fit")
    if unit == "%" and not (kpi.endswith(("within_norm", "utilisation", "share")) or "share" in kpi):
        raise ScenarioError(f"--target '{text}': '{kpi}' is not a share, so '%' does not fit")
    return Target(text, kpi, m["op"], value)


def service_roster(data: dict[str, Any], service: str) -> tuple[list[Any], str]:
    """(path to the roster inside the scenario data, pool name) for a --service name."""
    m = _HAP_SERVICE.match(service)
    if m:
        hap_id, role = m.groups()
        posts = data.get("spoedposten") or []
        sub, pool_role = HAP_ROLES[role]
        if hap_id is None:  # the bare form: only when there is one HAP
            if len(posts) > 1:
                raise ScenarioError(f"--service '{service}': the scenario has {len(posts)} spoedposten; name one, "
                                    "e.g. " + ", ".join(f"spoedposten[{p['id']}].{role}" for p in posts))
            if posts:
                return ["spoedposten", 0, *sub], f"{posts[0]['id']}:{pool_role}"
            return ["spoedpost", *sub], f"{data['spoedpost']['id']}:{pool_role}"
        ids = [p.get("id") for p in posts]
        if hap_id not in ids:
            raise ScenarioError(f"--service '{service}': no spoedpost '{hap_id}' "
                                f"(spoedposten: {', '.join(map(str, ids)) or 'none; use hap.' + role})")
        return ["spoedposten", ids.index(hap_id), *sub], f"{hap_id}:{pool_role}"
    m = _LIST_SERVICE.match(service)
    if not m:
        raise ScenarioError(f"--service '{service}': use {SERVICE_HELP}")
    group, sid = m.groups()
    ids = [item.get("id") for item in data.get(group, [])]
    if sid not in ids:
        raise ScenarioError(f"--service '{service}': no {group} item '{sid}' (known: {', '.join(map(str, ids))})")
    item = data[group][ids.index(sid)]
    if "roster" not in item:
        raise ScenarioError(f"--service '{service}': it has no roster to staff")
    return [group, ids.index(sid), "roster"], sid


def _get(data: Any, path: list[Any]) -> Any:
    for key in path:
        data = data[key]
    return data


def with_counts(data: dict[str, Any], path: list[Any], counts: tuple[int, ...]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for block, count in zip(_get(out, path), counts):
        block["count"] = int(count)
    return out


class Search:
    """Evaluates rosters (cached, resumable, parallel) and searches the smallest that meets the targets."""

    def __init__(self, data: dict[str, Any], path: list[Any], targets: list[Target], replications: int,
                 confidence: float, folder: Path, workers: int, dask: str | None, quiet: bool):
        self.data, self.path, self.targets = data, path, targets
        self.replications, self.confidence = replications, confidence
        self.folder, self.workers, self.dask, self.quiet = folder, workers, dask, quiet
        self.base = tuple(int(b["count"]) for b in _get(data, path))
        self.configs: list[tuple[int, ...]] = []
        self.results: dict[tuple[int, ...], dict[str, Any]] = {}

    def evaluate(self, counts: tuple[int, ...]) -> dict[str, Any]:
        if counts in self.results:
            return self.results[counts]
        self.configs.append(counts)
        kpis = sorted({t.kpi for t in self.targets})
        table, failures = execute([with_counts(self.data, self.path, c) for c in self.configs],
                                  [{"counts": list(c)} for c in self.configs], self.replications, kpis,
                                  self.folder, self.workers, self.dask, True, "staffing")
        if failures:
            raise ScenarioError(f"staffing: {len(failures)} runs failed (first: {failures[0]['error']})")
        sub = table[table["point"] == len(self.configs) - 1]
        checks = {}
        for t in self.targets:
            values = sub[sub["kpi"] == t.kpi].sort_values("replication")["value"].tolist()
            if not values or all(math.isnan(v) for v in values):
                raise ScenarioError(f"--target '{t.text}': the runs report no value for '{t.kpi}' (is the service "
                                    "used, and does the KPI exist? see a run's summary.json)")
            checks[t.text] = dict(zip(("holds", "mean", "bound"), t.holds(values, self.confidence)))
        res = {"counts": list(counts), "ok": all(c["holds"] for c in checks.values()), "targets": checks,
               "staff_hours_per_week": self.staff_hours(counts)}
        self.results[counts] = res
        if not self.quiet:
            state = "meets" if res["ok"] else "misses"
            print(f"  {list(counts)}: {state} the targets ("
                  + "; ".join(f"{k}: {v['mean']:.3g}" for k, v in checks.items()) + ")", file=sys.stderr)
        return res

    def shifted(self, delta: int) -> tuple[int, ...]:
        return tuple(max(1, c + delta) for c in self.base)

    def staff_hours(self, counts: tuple[int, ...]) -> float:
        """Rostered professional-hours in a plain week (days x block length x count)."""
        from sim.scenario.schema import RosterBlock, clock_minutes
        total = 0.0
        for block, count in zip(_get(self.data, self.path), counts):
            b = RosterBlock.model_validate({**block, "count": max(1, count)})
            s, e = clock_minutes(b.start), clock_minutes(b.end)
            length = (e - s) % (24 * 60) or 24 * 60
            days = len([d for d in b.days if d != "holiday"])
            total += days * length / 60 * count
        return total

    def uniform(self, max_extra: int) -> int:
        """Smallest uniform change to every block that meets all targets (binary search)."""
        lo = -(max(self.base) - 1)
        hi = 0
        while not self.evaluate(self.shifted(hi))["ok"]:
            if hi >= max_extra:
                raise ScenarioError(f"staffing: even {max_extra} more per block does not meet the targets; "
                                    "raise --max-extra or check the targets")
            lo, hi = hi + 1, min(max_extra, max(1, hi * 2))
        while lo < hi:  # invariant: hi meets the targets; everything below lo was tested and fails
            mid = (lo + hi) // 2
            if self.evaluate(self.shifted(mid))["ok"]:
                hi = mid
            else:
                lo = mid + 1
        return hi

    def refine(self, counts: tuple[int, ...]) -> tuple[int, ...]:
        """Lower single blocks (largest first) while every target still holds."""
        current = list(counts)
        improved = True
        while improved:
            improved = False
            for b in sorted(range(len(current)), key=lambda k: -current[k]):
                if current[b] <= 1:
                    continue
                trial = tuple(current[:b] + [current[b] - 1] + current[b + 1:])
                if self.evaluate(trial)["ok"]:
                    current = list(trial)
                    improved = True
        return tuple(current)


def run_staffing(path: Path | None, service: str, target_texts: list[str], replications: int, confidence: float,
                 out_root: Path, workers: int, dask: str | None, quiet: bool, per_block: bool = True,
                 max_extra: int = 8, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    if not target_texts:
        raise ScenarioError(f"staff: give at least one --target; {TARGET_HELP}")
    if not 0.5 <= confidence < 1:
        raise ScenarioError(f"--confidence: between 0.5 and 1, e.g. 0.95 (got {confidence})")
    sc = load_scenario(path, overrides)
    data = sc.model_dump(mode="json", exclude_none=True)
    roster_path, pool = service_roster(data, service)
    targets = [parse_target(t, pool) for t in target_texts]
    folder = experiment_folder(out_root, f"staff-{sc.scenario}-{pool.replace(':', '_')}", data, service,
                               target_texts, replications, confidence)
    search = Search(data, roster_path, targets, replications, confidence, folder, workers, dask, quiet)
    delta = search.uniform(max_extra)
    uniform = search.shifted(delta)
    best = search.refine(uniform) if per_block else uniform
    for d in range(delta - 2, delta + 3):  # the curve around the answer
        if d >= -(max(search.base) - 1):
            search.evaluate(search.shifted(d))
    blocks = _get(data, roster_path)
    result = {
        "scenario": sc.scenario, "service": service, "pool": pool, "targets": [t.__dict__ for t in targets],
        "confidence": confidence, "replications": replications, "seed": sc.region.seed,
        "current": list(search.base), "uniform_change": delta, "uniform": list(uniform), "answer": list(best),
        "blocks": [{k: b[k] for k in ("days", "start", "end")} for b in blocks],
        "evaluated": [search.results[c] for c in search.configs], "versions": versions(),
        "method": "binary search on a uniform change to every block, then single blocks lowered one at a time; "
                  f"a target holds when its one-sided {confidence:.0%} bound does over replications on common "
                  "random numbers",
    }
    atomic_write_json(folder / "staff.json", result)
    atomic_write_text(folder / "scenario.yaml", plain_yaml.dump(data))
    result["folder"] = str(folder)
    return result
