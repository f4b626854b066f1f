"""The national scenario measured (not part of the test run):

    python benchmarks/bench_country.py              # the full year, about 15 minutes on 2 cores
    python benchmarks/bench_country.py --weeks 4    # the CI-sized form, about 3 minutes

Runs configs/nederland.yaml (52 HAP regions, 17.9 million inhabitants) through the command
line, one replication, on 1 and 2 local workers and on a Dask LocalCluster of 2 worker
processes on loopback; for each: wall time, care requests simulated per second, peak memory
of the largest worker process, and that the regions' results are identical. From the
1- and 2-worker runs it projects the wall time on N workers (the part that halved is parallel,
the rest serial; never below the largest region's task, from run.json), and sets the
projection beside the Dask run. Writes the "national" entry of
benchmarks/results.json (the other entries are bench.py's).
"""

from __future__ import annotations

import argparse
import heapq
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "configs" / "nederland.yaml"


def _folder(out: Path) -> Path:
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".") and p.is_dir()]
    return folder


# runs the command in a process of its own and prints the largest process of its tree (the
# kernel's count for reaped children), so each run's peak is its own
WRAPPER = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _cli(weeks: int, out: Path, extra: list[str]) -> tuple[float, float]:
    """Wall seconds and the peak MiB of the largest process of the run (parent or worker)."""
    cmd = [sys.executable, "-c", WRAPPER, sys.executable, "-m", "sim.cli", str(SCENARIO), "--weeks", str(weeks),
           "-r", "1", "-q", "--out", str(out), *extra]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, text=True)
    return time.perf_counter() - t0, int(done.stdout.split()[-1]) / 1024


def local(weeks: int, workers: int) -> dict:
    out = Path(tempfile.mkdtemp())
    wall, peak = _cli(weeks, out, ["-w", str(workers)])
    return {"wall_s": wall, "peak_mib": peak, "folder": str(_folder(out))}


def on_dask(weeks: int, workers: int = 2) -> dict:
    from distributed import Client, LocalCluster
    out = Path(tempfile.mkdtemp())
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        wall, parent = _cli(weeks, out, ["--dask", cluster.scheduler_address])
        with Client(cluster) as client:
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return {"wall_s": wall, "peak_mib": max(peaks.values()) / 1024, "parent_and_local_workers_peak_mib": parent,
            "folder": str(_folder(out))}


def costs(folder: Path) -> tuple[list[float], int]:
    """Per region: the task's seconds (build, simulate, record, KPIs); and all requests."""
    run = json.loads((folder / "run.json").read_text())
    seconds, requests = [], 0
    for region in run["regions"]:
        t = region["timings_per_replication"][0]
        seconds.append(t["build_s"] + t["simulate_s"] + t["record_s"] + t["metrics_s"])
        requests += t["requests"]
    return seconds, requests


def project(one: float, two: float, largest: float, workers: int) -> float:
    """Wall time on `workers` workers from the measured 1- and 2-worker runs (Amdahl: the
    part that halved is the parallel part, the rest serial), never below the serial part plus
    the largest region's task (a region is one unit of work)."""
    parallel = 2 * (one - two)
    serial = one - parallel
    return max(serial + parallel / workers, serial + largest)


def makespan(tasks: list[float], workers: int) -> float:
    """Largest first onto the least loaded worker, as the runner orders them."""
    loads = [0.0] * workers
    for t in sorted(tasks, reverse=True):
        heapq.heapreplace(loads, loads[0] + t)
    return max(loads)


def identical(a: Path, b: Path) -> bool:
    import pandas as pd
    left, right = pd.read_csv(a / "regions.csv"), pd.read_csv(b / "regions.csv")
    def table(folder: Path, region: str) -> pd.DataFrame:
        return pd.read_parquet(folder / "regions" / region / "requests.parquet")
    return left.equals(right) and all(table(a, r).equals(table(b, r)) for r in left["region"][:5])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = ap.parse_args()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    runs = {}
    for label, fn in (("1 worker", lambda: local(args.weeks, 1)), ("2 workers", lambda: local(args.weeks, 2)),
                      ("dask (2 workers)", lambda: on_dask(args.weeks))):
        print(f"{label} ...", flush=True)
        runs[label] = fn()
    seconds, requests = costs(Path(runs["1 worker"]["folder"]))
    summary = json.loads((Path(runs["1 worker"]["folder"]) / "summary.json").read_text())["national"]
    one, two = runs["1 worker"]["wall_s"], runs["2 workers"]["wall_s"]
    serial = one - 2 * (one - two)  # what did not halve: reading the country file, the parent's bookkeeping
    projection = {n: project(one, two, max(seconds), n) for n in (1, 2, 4, 8, 16, 32, 52)}
    # check of the model: the simulation tasks alone, largest first onto N workers (makespan)
    tasks_only = {n: makespan(seconds, n) for n in (1, 2, 4, 8, 16, 32, 52)}
    result = {
        "scenario": str(SCENARIO.relative_to(ROOT)), "weeks": args.weeks, "regions": len(seconds),
        "requests": requests, "loadavg_before": load_before,
        "loadavg_after": Path("/proc/loadavg").read_text().split()[:3],
        "runs": {k: {key: v for key, v in r.items() if key != "folder"} | {"requests_per_s": requests / r["wall_s"]}
                 for k, r in runs.items()},
        "identical": identical(Path(runs["1 worker"]["folder"]), Path(runs["2 workers"]["folder"]))
        and identical(Path(runs["1 worker"]["folder"]), Path(runs["dask (2 workers)"]["folder"])),
        "region_task_s": {"sum": sum(seconds), "largest": max(seconds), "smallest": min(seconds)},
        "serial_s": serial, "projection_wall_s": projection, "simulation_tasks_makespan_s": tasks_only,
        "projection_vs_measured_dask": projection[2] / runs["dask (2 workers)"]["wall_s"],
        "national": {k: summary[k] for k in ("hap_contacts_per_1000_year", "wlz_clients", "inhabitants",
                                              "regions_overloaded", "U1_within_norm", "U2_within_norm")},
    }
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results["national" if args.weeks == 52 else f"national_{args.weeks}_weeks"] = result
    args.out.write_text(json.dumps(results, indent=2))
    print(f"\n{result['regions']} regions, {requests:,} requests, {args.weeks} weeks")
    for label, r in result["runs"].items():
        print(f"{label:18s} wall {r['wall_s']:7.1f} s  {r['requests_per_s']:9,.0f} requests/s  "
              f"peak {r['peak_mib']:6.0f} MiB per worker")
    print(f"identical on 1, 2 workers and Dask: {result['identical']}")
    print(f"region tasks: {sum(seconds):.1f} s in all, largest {max(seconds):.1f} s; serial part {serial:.1f} s")
    print("projected wall on N workers: " + ", ".join(f"{n}: {t:.0f} s" for n, t in projection.items())
          + f" (against the Dask cluster of 2: {result['projection_vs_measured_dask']:.2f})")


if __name__ == "__main__":
    main()
