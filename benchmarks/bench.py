"""Region-scale benchmark (not part of the test run):

    python benchmarks/bench.py                 # the full benchmark, about 3 minutes
    python benchmarks/bench.py --quick         # shorter horizon, for a quick look

Measures on configs/large_region.yaml (~1 million inhabitants, 1,000 locations, 60
practices, 3 HAPs, one year):
- one replication end to end (scenario load -> results written; median of 3 runs): wall time, peak memory,
  and the split into load / generate+build / simulate / record / metrics / write;
- throughput: care requests (Wlz and HAP background) simulated per second on one core;
- two references in the same run, so the figures are ratios that survive a noisy
  machine: (a) a bare SimPy model of the same queues (same requests and service times,
  plain resources, nothing recorded) and (b) ciw on an equivalent network;
- a 16-run sweep (runs of a year, and of 8 weeks) on 1 and 2 workers and through a Dask
  cluster on loopback (identical results required).
Writes benchmarks/results.json and prints a table against the speed targets (TARGETS below).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.engine.calendar import OFFICE  # noqa: E402
from sim.scenario.loading import load_scenario  # noqa: E402
from sim.services.region import Region  # noqa: E402

TARGETS = {"wall_s": 10.0, "peak_gib": 1.0, "vs_bare_simpy": 1.5, "vs_ciw": 2.0, "scaling": 1.8,
           "vs_plain_network": 1.3}


def end_to_end(scenario: Path, weeks: int | None, repeats: int = 3, plain: tuple[int, ...] | None = None) -> dict:
    """One replication through the CLI in a fresh process: wall time and peak memory.
    Run `repeats` times; the median run is reported (a 2-core VM varies by ~0.5 s). With
    `plain` (triagists, doctors, cars), a plain SimPy triage network of the same number of
    customers runs as a whole process after each, in turn (plain_simpy.py): the ratio per pair."""
    runs, plains = [], []
    for _ in range(repeats):
        runs.append(_one_run(scenario, weeks))
        if plain:
            plains.append(_plain_run(runs[-1]["requests"], (weeks or 52) + 2, plain))
    pairs = sorted(r["wall_s"] / p for r, p in zip(runs, plains))
    runs.sort(key=lambda r: r["wall_s"])
    median = dict(runs[len(runs) // 2])
    median["wall_s_all"] = [r["wall_s"] for r in runs]
    median["peak_gib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20  # the largest child
    if plains:
        median["plain_network_wall_s_all"] = sorted(plains)
        median["vs_plain_network_pairs"] = pairs
        median["vs_plain_network"] = pairs[len(pairs) // 2]
    return median


def _plain_run(customers: int, weeks: int, servers: tuple[int, ...]) -> float:
    """The plain SimPy triage network as a whole process (benchmarks/plain_simpy.py)."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "plain_simpy.py"), str(customers), str(weeks),
                    *(str(s) for s in servers)], check=True, capture_output=True)
    return time.perf_counter() - t0


def _one_run(scenario: Path, weeks: int | None) -> dict:
    out = Path(tempfile.mkdtemp())
    cmd = [sys.executable, str(ROOT / "run_sim.py"), str(scenario), "-r", "1", "-q", "--out", str(out)]
    if weeks:
        cmd += ["--weeks", str(weeks)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    run = json.loads((folder / "run.json").read_text())
    t = run["timings_per_replication"][0]
    t0 = time.perf_counter()
    load_scenario(scenario)
    load = time.perf_counter() - t0
    inside = t["build_s"] + t["simulate_s"] + t["record_s"] + t["metrics_s"]
    return {"wall_s": wall, "requests": t["requests"],
            "split_s": {"load": load, "generate+build": t["build_s"], "simulate": t["simulate_s"],
                        "record": t["record_s"], "metrics": t["metrics_s"],
                        "write+startup": max(0.0, wall - load - inside)}}


def bare_simpy(sc) -> dict:
    """The same requests and service times through plain SimPy resources, nothing recorded."""
    region = Region(sc, 0)  # generation and durations as in the model
    req = region.ctx.requests
    period = region.cal.period(req.arrival)
    locs = sc.locations
    services = region.services
    hap_of = {hp.id: k for k, hp in enumerate(sc.all_spoedposten())}
    n = len(req)
    arrival = req.arrival.tolist()
    modality = req.modality.tolist()
    resolve = (req.u[:, 3] < 0.69).tolist()
    env = simpy.Environment()
    haps = [(simpy.Resource(env, services[("hap", hp.id)].triage.peak),
             simpy.Resource(env, services[("hap", hp.id)].doctors.peak),
             simpy.Resource(env, services[("hap", hp.id)].cars.peak)) for hp in sc.all_spoedposten()]
    def merged(maps) -> list[float]:
        out = [0.0] * n
        for m in maps:
            for i, v in m.items():  # ServiceTimes: a dict of the durations drawn up front
                out[i] = v
        return out

    hap_dur = services[("hap", sc.all_spoedposten()[0].id)].dur  # one list over all HAPs' requests
    triage_dur = services[("hap", sc.all_spoedposten()[0].id)].triage_dur
    practice = {p.id: simpy.Resource(env, services[("practice", p.id)].pool.peak) for p in sc.practices}
    diensten = {b.id: simpy.Resource(env, services[("behandeldienst", b.id)].pool.peak) for b in sc.behandeldiensten}
    gp_list = merged(services[("practice", p.id)].dur for p in sc.practices)
    bd_list = merged(services[("behandeldienst", b.id)].dur for b in sc.behandeldiensten)
    target = []
    for i in range(n):
        src = int(req.source[i])
        if src < 0:
            target.append(("hap", -1 - src))
        else:
            loc = locs[src]
            if loc.behandeling:
                target.append(("bd", loc.behandeldienst))
            elif period[i] == OFFICE:
                target.append(("gp", next(iter(loc.practice_shares()))))
            else:
                target.append(("hap", hap_of[sc.hap_of(loc)]))
    travel = region.services[("hap", sc.all_spoedposten()[0].id)].travel

    def customer(i):
        kind, which = target[i]
        if kind == "hap":
            tri, doc, car = haps[which]
            with tri.request() as r:
                yield r
                yield env.timeout(triage_dur[i])
            if modality[i] == 0 and resolve[i]:
                return
            res = car if modality[i] == 2 else doc
            with res.request() as r:
                yield r
                yield env.timeout(hap_dur[i] + (2 * travel[i] if modality[i] == 2 else 0))
        else:
            res = practice[which] if kind == "gp" else diensten[which]
            with res.request() as r:
                yield r
                yield env.timeout(gp_list[i] if kind == "gp" else bd_list[i])

    def source():
        for i in range(n):
            if arrival[i] > env.now:
                yield env.timeout(arrival[i] - env.now)
            env.process(customer(i))

    env.process(source())
    t0 = time.perf_counter()
    env.run(until=region.cal.horizon_min)
    return {"requests": n, "seconds": time.perf_counter() - t0, "per_second": n / (time.perf_counter() - t0)}


def ciw_reference(sc, weeks: int) -> dict:
    """ciw on an equivalent network: the HAP (triage -> doctor / car) and the practices and
    behandeldiensten as multi-server nodes, Poisson arrivals at the same rates."""
    import ciw
    region = Region(sc, 0)
    req = region.ctx.requests
    horizon = region.cal.horizon_min
    bg = req.source < 0
    period = region.cal.period(req.arrival)
    office = (period == OFFICE) & ~bg
    rates = [float(bg.sum() + (~office & ~bg).sum()) / horizon, float(office.sum()) / horizon]
    s = region.services
    hap0 = s[("hap", sc.all_spoedposten()[0].id)]
    tri = sum(s[("hap", h.id)].triage.peak for h in sc.all_spoedposten())
    doc = sum(s[("hap", h.id)].doctors.peak for h in sc.all_spoedposten())
    car = sum(s[("hap", h.id)].cars.peak for h in sc.all_spoedposten())
    gp = sum(s[("practice", p.id)].pool.peak for p in sc.practices)
    net = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=rates[0]), None, None, ciw.dists.Exponential(rate=rates[1])],
        service_distributions=[ciw.dists.Exponential(rate=1 / 7), ciw.dists.Exponential(rate=1 / 18),
                               ciw.dists.Exponential(rate=1 / 45), ciw.dists.Exponential(rate=1 / 15)],
        number_of_servers=[tri, doc, car, gp],
        routing=[[0.0, 0.5, 0.1, 0.0], [0.0] * 4, [0.0] * 4, [0.0] * 4])
    ciw.seed(1)
    sim = ciw.Simulation(net)
    until = weeks * 7 * 1440
    t0 = time.perf_counter()
    sim.simulate_until_max_time(until)
    seconds = time.perf_counter() - t0
    customers = len({r.id_number for r in sim.get_all_records()})
    _ = hap0
    return {"customers": customers, "seconds": seconds, "per_second": customers / seconds}


def sweep_scaling(weeks: int) -> dict:
    from distributed import LocalCluster

    from sim.experiments.sweep import run_sweep
    tmp = Path(tempfile.mkdtemp())
    (tmp / "sweep.yaml").write_text(
        f"name: bench\nbase: {ROOT / 'configs' / 'baseline.yaml'}\nreplications: 4\nweeks: {weeks}\n"
        "kpis: [handled.gp.wlz_per_week, hours.physician_per_week]\n"
        "parameters:\n  pressures.demand_growth: [0.0, 0.05, 0.1, 0.15]\n")
    out = {}
    tables = {}
    for label, workers, dask in (("1 worker", 1, None), ("2 workers", 2, None), ("dask (2 workers)", 1, "dask")):
        address = None
        cluster = None
        if dask:
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            address = cluster.scheduler_address
        t0 = time.perf_counter()
        _, table, _ = run_sweep(tmp / "sweep.yaml", tmp / label.replace(" ", "_"), workers, address, True)
        out[label] = time.perf_counter() - t0
        tables[label] = table
        if cluster:
            cluster.close()
    out["scaling"] = out["1 worker"] / out["2 workers"]
    out["identical"] = all(tables["1 worker"].equals(t) for t in tables.values())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", type=Path, default=ROOT / "configs" / "large_region.yaml")
    ap.add_argument("--quick", action="store_true", help="13 weeks instead of 52")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = ap.parse_args()
    weeks = 13 if args.quick else None
    sc = load_scenario(args.scenario, {"region.weeks": weeks} if weeks else None)
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "scenario": str(args.scenario),
               "weeks": sc.region.weeks}
    print("end to end, each run beside a plain SimPy triage network ...", flush=True)
    region = Region(sc, 0)
    servers = tuple(sum(getattr(region.services[("hap", h.id)], pool).peak for h in sc.all_spoedposten())
                    for pool in ("triage", "doctors", "cars"))
    del region
    results["end_to_end"] = e2e = end_to_end(args.scenario, weeks, plain=servers)
    ours = e2e["requests"] / e2e["split_s"]["simulate"]
    print("bare SimPy reference ...", flush=True)
    results["bare_simpy"] = bare = bare_simpy(sc)
    print("ciw reference ...", flush=True)
    results["ciw"] = cw = ciw_reference(sc, weeks=4)
    print("sweep scaling ...", flush=True)
    # runs of a region-year, as researchers run them; and 8-week runs (0.15 s each), where
    # the fixed cost of starting workers and of the parent's bookkeeping starts to show
    results["sweep"] = sw = sweep_scaling(weeks=52)
    results["sweep_8_weeks"] = sweep_scaling(weeks=8)
    results["ratios"] = {"ours_per_second": ours, "cost_vs_bare_simpy": bare["per_second"] / ours,
                         "end_to_end_vs_plain_network": e2e["vs_plain_network"],
                         "end_to_end_vs_bare_simpy_run": e2e["wall_s"] / bare["seconds"],
                         "throughput_vs_ciw": ours / cw["per_second"], "sweep_scaling": sw["scaling"]}
    if args.out.exists():  # bench_country.py's entries stay
        results.update({k: v for k, v in json.loads(args.out.read_text()).items() if k.startswith("national")})
    args.out.write_text(json.dumps(results, indent=2))
    r = results["ratios"]
    rows = [("one replication, wall (s)", e2e["wall_s"], f"<= {TARGETS['wall_s']}", e2e["wall_s"] <= TARGETS["wall_s"]),
            ("peak memory (GiB)", e2e["peak_gib"], f"<= {TARGETS['peak_gib']}", e2e["peak_gib"] <= TARGETS["peak_gib"]),
            ("our cost per request / bare SimPy", r["cost_vs_bare_simpy"], f"<= {TARGETS['vs_bare_simpy']}",
             r["cost_vs_bare_simpy"] <= TARGETS["vs_bare_simpy"]),
            ("end to end / plain SimPy network, e2e", r["end_to_end_vs_plain_network"],
             f"<= {TARGETS['vs_plain_network']}", r["end_to_end_vs_plain_network"] <= TARGETS["vs_plain_network"]),
            ("  end to end / bare SimPy run alone", r["end_to_end_vs_bare_simpy_run"], "(info)", None),
            ("our throughput / ciw", r["throughput_vs_ciw"], f">= {TARGETS['vs_ciw']}", r["throughput_vs_ciw"] >= TARGETS["vs_ciw"]),
            ("sweep 1 -> 2 workers (runs of a year)", sw["scaling"], f">= {TARGETS['scaling']}",
             sw["scaling"] >= TARGETS["scaling"]),
            ("  the same, runs of 8 weeks", results["sweep_8_weeks"]["scaling"], "(info)", None),
            ("results identical on 1, 2 workers, Dask", float(sw["identical"] and results["sweep_8_weeks"]["identical"]),
             "yes", sw["identical"] and results["sweep_8_weeks"]["identical"])]
    print(f"\n{e2e['requests']:,} requests, {sc.region.weeks} weeks; wall of each run (s): "
          + ", ".join(f"{w:.2f}" for w in e2e["wall_s_all"]) + "; split of the median run (s): "
          + ", ".join(f"{k} {v:.2f}" for k, v in e2e["split_s"].items()))
    print(f"throughput: ours {ours:,.0f} requests/s, bare SimPy {bare['per_second']:,.0f}/s, "
          f"ciw {cw['per_second']:,.0f}/s; sweep: " + ", ".join(f"{k} {v:.1f}s" for k, v in sw.items()
                                                          if isinstance(v, float) and k != "scaling"))
    for name, value, target, ok in rows:
        status = "" if ok is None else ("met" if ok else "NOT met")
        print(f"{name:42s} {value:8.2f}  target {target:8s} {status}")


if __name__ == "__main__":
    main()
