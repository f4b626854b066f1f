"""Running many independent simulation tasks: in this process, on all local cores, or on
a Dask distributed cluster, with a progress bar (done, failures, ETA).

Every task is a pure function of its arguments (scenario, replication seed), so results
do not depend on where or in which order they run; callers sort them by key.
A failing task is reported with its error and does not stop the others.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from sim.errors import ScenarioError
from sim.experiments.limits import Room, container_room, process_room

if TYPE_CHECKING:  # imported when worker processes are started: a run on one core does without
    from concurrent.futures import ProcessPoolExecutor


@dataclass
class Outcome:
    """A finished task: its key, its value, or the last line of its error."""

    key: Any
    value: Any = None
    error: str | None = None


def default_workers() -> int:
    """The cores this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


# Memory of one task, measured (benchmarks/README.md): one replication of the large region,
# 486,538 care requests, peaks at 0.75 GiB in its process, of which about 0.15 GiB is the
# interpreter and its libraries: ~1.3 KB per care request, rounded up.
BYTES_PER_REQUEST = 1_400
BASE_BYTES = 160 * 2**20
PARENT_POLL_S = 0.5  # how often a worker checks that the main process is still there


def available_memory() -> int:
    """Bytes this machine can give a run now (free plus reclaimable cache)."""
    import psutil  # imported here: only a run that checks its size needs it
    return int(psutil.virtual_memory().available)


def check_memory(requests: float, at_once: int, what: str) -> None:
    """Refuse, before anything runs, work that will not fit: `at_once` tasks of about
    `requests` care requests each in memory at the same time, against what the machine has
    available and its container allows (all tasks together) and what this process may map
    (each task: a worker inherits the limit and starts as large as this process)."""
    per_task = BASE_BYTES + requests * BYTES_PER_REQUEST
    need = at_once * per_task
    gb = 2**30
    advice = "use fewer workers (--workers 1), simulate fewer weeks, or run it on a larger machine (--dask)"
    together = [Room(available_memory(), 0, "this machine")]
    container = container_room()
    if container is not None:
        together.append(container)
    room = min(together, key=lambda r: r.free)
    if need > room.free:
        has = ("this machine has" if room.name == "this machine" else
               f"{room.name} of {room.limit / gb:.1f} GB leaves")
        raise ScenarioError(
            f"{what}: needs about {need / gb:.1f} GB of memory ({at_once} at once x {per_task / gb:.1f} GB for "
            f"about {requests:,.0f} care requests each) and {has} {room.free / gb:.1f} GB available: {advice}")
    process = process_room()
    if process is not None and per_task > process.free:
        raise ScenarioError(
            f"{what}: each run needs about {per_task / gb:.1f} GB of memory (about {requests:,.0f} care requests) "
            f"and {process.name} of {process.limit / gb:.1f} GB leaves {process.free / gb:.1f} GB: raise the "
            "limit, simulate fewer weeks, or run it elsewhere (--dask)")


def _guarded(fn: Callable, args: tuple) -> tuple[Any, str | None]:
    try:
        return fn(*args), None
    except Exception as exc:  # a failing run is recorded, not fatal
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return None, last


def _no_bar(quiet: bool) -> bool | None:
    """True (no bar) when asked to be quiet or TQDM_DISABLE is set; otherwise None: a bar
    only when stderr is a terminal, so logs and pipes get no carriage-return noise."""
    if quiet or os.environ.get("TQDM_DISABLE", "").lower() not in ("", "0", "false", "no"):
        return True
    return None


def run_tasks(fn: Callable, tasks: list[tuple[Any, tuple]], workers: int = 1, dask: str | None = None,
              desc: str = "runs", quiet: bool = False) -> Iterator[Outcome]:
    """Yield an Outcome per task as it finishes (in completion order)."""
    bar = tqdm(total=len(tasks), desc=desc, unit="run", disable=_no_bar(quiet or not tasks), file=sys.stderr,
               dynamic_ncols=True)
    failures = 0
    try:
        for outcome in _dispatch(fn, tasks, workers, dask):
            failures += outcome.error is not None
            bar.set_postfix(failures=failures, refresh=False)
            bar.update(1)
            yield outcome
    finally:
        bar.close()


def _dispatch(fn: Callable, tasks: list[tuple[Any, tuple]], workers: int, dask: str | None) -> Iterator[Outcome]:
    if dask:
        yield from _on_dask(fn, tasks, dask)
    elif workers <= 1 or len(tasks) <= 1:
        for key, args in tasks:
            value, error = _guarded(fn, args)
            yield Outcome(key, value, error)
    else:
        yield from _on_processes(fn, tasks, workers)


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _worker_start(parent: int) -> None:
    """First thing in every worker process. Ctrl-C is the main process's to handle (a
    terminal sends it to every process of the group, and a worker would print a traceback
    of its own), and the worker dies with the main process: at once on Linux (the kernel's
    parent-death signal), else within a second (a thread that watches the parent), so a
    `kill -9` of the main process leaves no worker computing on, holding its output pipes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    ppid = os.getppid()
    if not _alive(parent):  # gone before we got here
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            if os.getppid() != ppid or not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="mgz-sim-parent-watch", daemon=True).start()


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """While workers are forked: they inherit Ctrl-C ignored, before their first line runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now (Ctrl-C, or the caller stopped early): cancel what has not
    started and terminate what runs, instead of waiting for every running task."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=2)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=2)


# Worker processes kept between the rounds of one command (a country's regions and then
# their reports): inside `kept_workers()` a round reuses the pool of the round before;
# outside it, each round starts and ends its own. Always ended at the block's end, and at
# once when a round is broken off.
_POOLS: dict[int, ProcessPoolExecutor] = {}
_KEEPING = [0]  # depth of kept_workers() blocks


@contextmanager
def kept_workers() -> Iterator[None]:
    """Within this block, rounds of tasks share their worker processes."""
    _KEEPING[0] += 1
    try:
        yield
    finally:
        _KEEPING[0] -= 1
        if not _KEEPING[0]:
            shutdown_pools()


def shutdown_pools(wait: bool = True) -> None:
    """End the kept worker processes."""
    pools = list(_POOLS.values())
    _POOLS.clear()
    for pool in pools:
        pool.shutdown(wait=wait, cancel_futures=True)


def _on_processes(fn: Callable, tasks: list[tuple[Any, tuple]], workers: int) -> Iterator[Outcome]:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    pool = _POOLS.get(workers)
    if pool is None:
        shutdown_pools()  # one pool at a time: the cores are the same
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(os.getpid(),))
        if _KEEPING[0]:
            _POOLS[workers] = pool
    finished = False
    try:
        with _sigint_ignored():
            pending = {pool.submit(_guarded, fn, args): key for key, args in tasks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                key = pending.pop(fut)
                value, error = fut.result()
                yield Outcome(key, value, error)
        finished = True
    finally:
        if not finished:  # broken off (Ctrl-C, a worker killed, a failure the caller raises): nothing runs on
            _POOLS.pop(workers, None)
            _stop(pool)
        elif not _KEEPING[0]:
            pool.shutdown(wait=True)


def _on_dask(fn: Callable, tasks: list[tuple[Any, tuple]], address: str) -> Iterator[Outcome]:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise ScenarioError("--dask needs the 'distributed' package (pip install 'dask[distributed]')") from None
    try:
        client = Client(address, timeout="10s")
    except OSError as exc:
        raise ScenarioError(f"--dask {address}: cannot reach the Dask scheduler ({exc})") from None
    with client:
        futures = {client.submit(_guarded, fn, args, pure=False): key for key, args in tasks}
        for fut in as_completed(futures):
            value, error = fut.result()
            yield Outcome(futures[fut], value, error)
