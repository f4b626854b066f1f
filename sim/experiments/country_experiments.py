"""`compare` and `sweep` on a country (scenario/country.py): every (side or design point,
region, replication) one task on the one executor (experiments/sweep.py execute: resumable,
local processes or Dask), then the country's figures per replication (analysis/national.py),
so a national difference gets its paired confidence interval like any KPI.

    mgz-sim compare configs/nederland.yaml nederland_voorwacht.yaml   # B: extends A, set: ...
    mgz-sim sweep growth.yaml                                          # base: configs/nederland.yaml
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.metrics import aggregate, paired_differences
from sim.analysis.national import national_figures, region_row
from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_json, atomic_write_parquet
from sim.experiments.point_runs import execute, experiment_folder
from sim.experiments.runner import versions
from sim.experiments.sweep import apply_point, design_points, load_spec, write_sweep_results
from sim.scenario.country import Country, load_country
from sim.scenario.extends import resolve_extends
from sim.scenario.validation import validate_data
from sim.scenario.yaml_reading import file_ref

COMPARISON = "country_comparison.json"
# the region figures shown side by side (analysis/national.py region_row)
REGION_FIGURES = ("hap_contacts_per_1000_year", "U1_within_norm", "U2_within_norm", "U3_within_norm",
                  "hap_offered_load", "overloaded_services")


def _meta(country: Country) -> list[tuple[str, str, int, int, list[str]]]:
    return [(sc.scenario, sc.region.name, sc.region.inhabitants, sum(loc.residents for loc in sc.locations),
             [h.id for h in sc.all_spoedposten()]) for sc in country.regions]


def _runs(table: pd.DataFrame, point: int) -> list[dict[str, float]]:
    """Per replication the KPIs of one executed point (a region of one side or design)."""
    sub = table[table["point"] == point]
    return [dict(zip(g["kpi"], g["value"])) for _, g in sub.groupby("replication", sort=True)]


def national_runs(table: pd.DataFrame, first: int, country: Country) -> tuple[list[dict], list[list[dict]]]:
    """The country's figures per replication, and its regions' rows per replication, from
    the executed points first .. first + regions - 1 (one per region, in the country's order)."""
    per_region = [_runs(table, first + k) for k in range(len(country.regions))]
    reps = min((len(r) for r in per_region), default=0)
    nationals, rows_per_rep = [], []
    for r in range(reps):
        rows = [region_row(name, title, inh, wlz, haps, {"kpis": {k: {"mean": v} for k, v in per_region[k][r].items()}})
                for k, (name, title, inh, wlz, haps) in enumerate(_meta(country))]
        nat = national_figures(rows)
        nationals.append({f"national.{k}": float(v) for k, v in nat.items() if isinstance(v, (int, float))})
        rows_per_rep.append(rows)
    return nationals, rows_per_rep


def run_country_compare(path_a: Path, path_b: Path, replications: int, out_root: Path, workers: int = 1,
                        dask: str | None = None, quiet: bool = False,
                        overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Countries A and B, region by region on common random numbers (each region of B on
    the seed and horizon of the region of A of the same name); national and per-region
    paired differences B - A."""
    a = load_country(path_a, overrides)
    b = load_country(path_b, overrides)
    mine = {sc.scenario: sc for sc in b.regions}
    missing = [sc.scenario for sc in a.regions if sc.scenario not in mine]
    if missing or len(mine) != len(a.regions):
        raise ScenarioError(f"{path_b}: compare needs the same regions as {path_a} (missing or extra: "
                            f"{', '.join(missing) or ', '.join(sorted(set(mine) - {s.scenario for s in a.regions}))})")
    b.regions = [mine[sc.scenario] for sc in a.regions]
    datas_a = [sc.model_dump(mode="json") for sc in a.regions]
    datas_b = []
    for sa, sb in zip(a.regions, b.regions):
        data = sb.model_dump(mode="json")
        data["region"].update(seed=sa.region.seed, weeks=sa.region.weeks, warmup_weeks=sa.region.warmup_weeks)
        datas_b.append(data)
    labels = [{"side": side, "region": sc.scenario} for side, c in (("a", a), ("b", b)) for sc in c.regions]
    folder = experiment_folder(out_root, f"{a.name}-vs-{b.name}", datas_a, datas_b)
    table, failures = execute(datas_a + datas_b, labels, replications, [], folder, workers, dask, quiet,
                              f"compare {a.name}")
    nat_a, rows_a = national_runs(table, 0, a)
    nat_b, rows_b = national_runs(table, len(a.regions), b)
    names = sorted(set().union(*nat_a, *nat_b))
    regions = []
    for k, (name, title, *_rest) in enumerate(_meta(a)):
        ra = [{f: rows[k][f] for f in REGION_FIGURES} for rows in rows_a]
        rb = [{f: rows[k][f] for f in REGION_FIGURES} for rows in rows_b]
        stats_a, stats_b = aggregate(ra), aggregate(rb)
        regions.append({"region": name, "name": title, "a": {f: stats_a[f]["mean"] for f in REGION_FIGURES},
                        "b": {f: stats_b[f]["mean"] for f in REGION_FIGURES},
                        "difference": paired_differences(ra, rb, list(REGION_FIGURES))})
    stats_a, stats_b = aggregate(nat_a), aggregate(nat_b)
    result = {
        "a": {"country": a.name, "name": a.title, "file": str(path_a)},
        "b": {"country": b.name, "name": b.title, "file": str(path_b), "set": b.settings},
        "replications": replications, "regions_count": len(a.regions),
        "method": "each region of B on the seed and horizon of the region of A (common random numbers); national "
                  "figures per replication over all regions; paired differences B - A, Student-t 95% CI",
        "national": {k: {"a": stats_a.get(k), "b": stats_b.get(k)} for k in names},
        "difference": paired_differences(nat_a, nat_b, names),
        "regions": regions, "failures": failures, "versions": versions(),
    }
    atomic_write_parquet(folder / "kpis.parquet", table)
    atomic_write_json(folder / COMPARISON, result)
    result["folder"] = str(folder)
    return result


def is_country_sweep(sweep_path: Path) -> bool:
    """A sweep file whose base is a country file."""
    from sim.scenario.country import is_country_file
    spec, _ = load_spec(sweep_path)
    return is_country_file(file_ref(spec.base, str(sweep_path), "base", sweep_path.parent))


def run_country_sweep(sweep_path: Path, out_root: Path, workers: int, dask: str | None,
                      quiet: bool) -> tuple[Path, pd.DataFrame, list]:
    """A sweep over a country: each design point applied to every region; the table holds
    the country's figures (national.*) per design point and replication."""
    spec, _ = load_spec(sweep_path)
    base_path = file_ref(spec.base, str(sweep_path), "base", sweep_path.parent)
    country = load_country(base_path, {"region.weeks": spec.weeks} if spec.weeks else None)
    points = design_points(spec)
    # each region as written (with the country's `set` and the sweep's weeks), so a point's
    # paths reach the defaults and derived defaults follow them (experiments/sweep.py apply_point)
    settings = {**country.settings, **({"region.weeks": spec.weeks} if spec.weeks else {})}
    regions = [resolve_extends({"extends": str(f), "set": settings}, str(base_path), base_path.parent)
               for f in country.files]
    scenarios, labels = [], []
    for k, point in enumerate(points):
        for data in regions:
            try:
                scenarios.append(validate_data(apply_point(data, point)).model_dump(mode="json"))
            except ScenarioError as exc:
                raise ScenarioError(f"{sweep_path}: design point {k} {point} in region {data['scenario']}: "
                                    f"{exc}") from None
            labels.append({**point, "region": data["scenario"]})
    folder = experiment_folder(out_root, spec.name, str(base_path), regions, points, spec.replications, spec.kpis)
    t0 = time.perf_counter()
    runs, failures = execute(scenarios, labels, spec.replications, [], folder, workers, dask, quiet, spec.name)
    rows = []
    for p, point in enumerate(points):
        nationals, _ = national_runs(runs, p * len(regions), country) if len(runs) else ([], [])
        for r, figures in enumerate(nationals):
            for kpi, value in sorted(figures.items()):
                if not spec.kpis or kpi in spec.kpis:
                    rows.append({"point": p, "replication": r, **{f"param:{n}": v for n, v in point.items()},
                                 "kpi": kpi, "value": value})
    table = pd.DataFrame(rows)
    base = {"country": country.name, "regions": [str(f) for f in country.files], "set": country.settings}
    write_sweep_results(folder, spec, sweep_path, base, points, table, failures, time.perf_counter() - t0,
                        workers, dask)
    return folder, table, failures
