"""Faults that left a mess (issue 24), each a regression test: an interruption while the
report is written (the results folder was already in place, without report.html and
summary.txt, with a stray temporary file, and the rerun never repaired it); workers that
outlived a `kill -9` of their main process and held its output pipes; tracebacks from
workers on Ctrl-C and from the imports on a Ctrl-C in the first second; `mgz-sim report DIR`
trusting the folder's files; a memory check blind to process and container limits.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from sim.cli import main
from sim.errors import ScenarioError

from .conftest import MINI, ROOT, SMALL

REPS = 2


def finished(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []


def stray(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if ".tmp-" in p.name)


def sim_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TQDM_DISABLE": "1"}


def wait_for(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


@pytest.fixture
def small_file(tmp_path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent(SMALL))
    return path


# --------------------------------------------------------------------------- the report, before the rename


def test_an_interrupted_report_leaves_no_folder_and_the_rerun_finishes_it(small_file, tmp_path, capsys,
                                                                         monkeypatch):
    """Ctrl-C while report.html is written: no results folder appears (before, it was in
    place without report.html and summary.txt, with a .report.html.tmp-PID); the same
    command finishes it, running no replication again."""
    from sim.experiments import runner
    from sim.present import report  # the command line imports it when it writes a report
    out = tmp_path / "out"
    build = report.build_report

    def interrupted(folder: Path, lang: str, scenario=None, embed=False) -> Path:
        (folder / f".report.html.tmp-{os.getpid()}").write_text("<html>half")
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "build_report", interrupted)
    assert main([str(small_file), "-r", str(REPS), "-w", "1", "-q", "--out", str(out)]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert finished(out) == []  # no half-finished results folder
    monkeypatch.setattr(report, "build_report", build)
    monkeypatch.setattr(runner, "replication_task", lambda *a: pytest.fail("ran a replication again"))
    assert main([str(small_file), "-r", str(REPS), "-w", "1", "-q", "--out", str(out)]) == 0
    (folder,) = finished(out)
    assert (folder / "report.html").stat().st_size > 10_000 and (folder / "summary.txt").exists()
    assert f"Results written to {folder}" in (folder / "summary.txt").read_text()
    assert stray(out) == [] and [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_read_only_disk_while_the_report_is_written_is_one_line_and_the_rerun_finishes(small_file, tmp_path,
                                                                                        capsys, monkeypatch):
    from sim.present import report  # the command line imports it when it writes a report
    out = tmp_path / "out"
    build = report.build_report

    def read_only(folder: Path, lang: str, scenario=None, embed=False) -> Path:
        raise OSError(errno.EROFS, "Read-only file system", str(folder / "report.html"))

    monkeypatch.setattr(report, "build_report", read_only)
    assert main([str(small_file), "-r", str(REPS), "-w", "1", "-q", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "read-only file system" in err and len(err.strip().splitlines()) == 1
    assert finished(out) == []
    monkeypatch.setattr(report, "build_report", build)
    assert main([str(small_file), "-r", str(REPS), "-w", "1", "-q", "--out", str(out)]) == 0
    (folder,) = finished(out)
    assert (folder / "report.html").exists() and (folder / "summary.txt").exists() and stray(out) == []


KILLED_REPORT = '''\
"""mgz-sim killed (SIGKILL, itself) in the middle of writing report.html."""
import os, signal, sys
from pathlib import Path

import sim.present.report as report
from sim.cli import entry


def killed(folder, lang, scenario=None, embed=False):
    (Path(folder) / f".report.html.tmp-{os.getpid()}").write_text("<html>half")
    os.kill(os.getpid(), signal.SIGKILL)


report.build_report = killed
sys.argv[0] = "mgz-sim"
entry()
'''


@pytest.mark.slow
def test_a_kill_while_the_report_is_written_is_repaired_by_the_rerun(small_file, tmp_path):
    hook, out = tmp_path / "killed_report.py", tmp_path / "out"
    hook.write_text(KILLED_REPORT)
    args = [str(small_file), "-r", str(REPS), "-w", "1", "-q", "--out", str(out)]
    proc = subprocess.run([sys.executable, str(hook), *args], env=sim_env(), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert finished(out) == [] and stray(out)  # the partial folder holds the half report
    again = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), *args], env=sim_env(), capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    (folder,) = finished(out)
    assert {"report.html", "summary.txt", "summary.json", "requests.parquet"} <= {p.name for p in folder.iterdir()}
    assert stray(out) == [] and [p.name for p in out.iterdir() if p.name.startswith(".")] == []


# --------------------------------------------------------------------------- workers and signals

LONG = ["--weeks", "104", "-r", "4", "-w", "2"]  # the embedded example: ~2 s a replication


def _workers(pid: int) -> list[psutil.Process]:
    try:
        return [c for c in psutil.Process(pid).children(recursive=True) if c.status() != psutil.STATUS_ZOMBIE]
    except psutil.NoSuchProcess:
        return []


def _alive(procs: list[psutil.Process]) -> list[int]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return out


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "run_sim.py"), *args, "--out", str(tmp_path / "out")],
                            env=sim_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=tmp_path)


@pytest.mark.slow
def test_kill_9_of_the_main_process_leaves_no_worker_alive(tmp_path):
    proc = _start(tmp_path, *LONG)
    try:
        wait_for(lambda: len(_workers(proc.pid)) >= 2, what="two workers")
        workers = _workers(proc.pid)
        time.sleep(0.5)  # the workers are computing
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=10)  # the output pipes close: no worker holds them
        deadline = time.time() + 5
        while _alive(workers) and time.time() < deadline:
            time.sleep(0.05)
        assert _alive(workers) == [], "workers outlived their main process"
    finally:
        for p in _workers(proc.pid) if proc.poll() is None else []:
            p.kill()
        proc.kill()


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["workers started", "first replication written", "one worker idle"])
def test_ctrl_c_with_two_workers_is_one_line_from_the_main_process(tmp_path, moment):
    """The terminal sends SIGINT to every process of the group: the workers ignore it, the
    main process says one line, stops them and exits with 130. (Before, a worker waiting
    for work printed a traceback of its own.)"""
    proc = _start(tmp_path, *(LONG[:3] + ["3"] + LONG[4:] if moment == "one worker idle" else LONG))
    done = lambda: len(list((tmp_path / "out").glob(".partial-*/runs/rep-*.json")))  # noqa: E731
    try:
        wait_for(lambda: len(_workers(proc.pid)) >= 2, what="two workers")
        workers = _workers(proc.pid)
        if moment == "first replication written":
            wait_for(lambda: done() >= 1, what="a replication")
        elif moment == "one worker idle":  # two of three done: one computes, the other waits for work
            wait_for(lambda: done() >= 2, what="two replications")
            time.sleep(0.3)
        else:
            time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, (proc.returncode, err)
        assert "Traceback" not in err and err.strip().splitlines() == [
            "interrupted: finished replications are kept; run the same command again to resume"], err
        time.sleep(0.5)
        assert _alive(workers) == []
    finally:
        proc.kill()


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.15, 0.4, 0.8, 1.2])
def test_ctrl_c_in_the_first_second_is_one_line_and_exit_130(tmp_path, delay):
    (tmp_path / "mini.yaml").write_text(MINI, encoding="utf-8")
    proc = _start(tmp_path, "run", "mini.yaml", "-q")
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    lines = err.strip().splitlines()
    if proc.returncode == 0:  # it had finished already: nothing to interrupt
        pytest.skip(f"finished within {delay} s")
    assert proc.returncode == 130, (proc.returncode, err)
    assert "Traceback" not in err and len(lines) == 1 and "interrupted" in lines[0], err


# --------------------------------------------------------------------------- report DIR within bounds


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("run")
    (tmp / "small.yaml").write_text(textwrap.dedent(SMALL))
    assert main([str(tmp / "small.yaml"), "-r", "2", "-w", "1", "-q", "--out", str(tmp / "out")]) == 0
    (folder,) = finished(tmp / "out")
    return folder


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _replace(path: Path, data: bytes) -> None:
    path.unlink()
    path.write_bytes(data)


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


DAMAGE = {
    "scenario.yaml linked to /dev/zero": ("scenario.yaml", lambda p: (p.unlink(), p.symlink_to("/dev/zero")),
                                          "not a regular file"),
    "scenario.yaml of 30 MB": ("scenario.yaml", lambda p: _replace(p, b"# x\n" * 8_000_000), "20 MB"),
    "scenario.yaml with a tag": ("scenario.yaml", lambda p: _replace(p, b"x: !!python/name:os.system\n"),
                                 "'!!python/name:os.system'"),
    "run.json truncated": ("run.json", _truncate, "not valid JSON"),
    "run.json a list": ("run.json", lambda p: _replace(p, b"[]"), "not what mgz-sim writes there"),
    "run.json without replications": ("run.json", lambda p: _replace(p, b"{}"), "replications"),
    "summary.json nested 30,000 deep": ("summary.json", lambda p: _replace(p, b"[" * 30000 + b"]" * 30000),
                                        "nested 30,000 levels deep"),
    "summary.json with NaN": ("summary.json", lambda p: _replace(p, b'{"kpis": NaN}'), "NaN"),
    "summary.json a FIFO": ("summary.json", _fifo, "not a regular file"),
    "summary.json not UTF-8": ("summary.json", lambda p: _replace(p, b'{"kpis": "\xff"}'), "UTF-8"),
    "requests.parquet truncated": ("requests.parquet", _truncate, "not a readable Parquet table"),
    "resources.parquet a folder": ("resources.parquet", lambda p: (p.unlink(), p.mkdir()), "not a regular file"),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_report_reads_a_folder_within_the_bounds_of_a_scenario(run_folder, tmp_path, capsys, name):
    file, damage, fragment = DAMAGE[name]
    folder = tmp_path / "copy"
    shutil.copytree(run_folder, folder)
    damage(folder / file)
    t0 = time.perf_counter()
    code = main(["report", str(folder)])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and time.perf_counter() - t0 < 10, (code, err)
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    assert file in lines[0] and fragment in lines[0], lines[0]
    assert "bug in mgz-sim" not in lines[0]


def test_report_of_an_intact_folder_still_works(run_folder, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(run_folder, folder)
    assert main(["report", str(folder), "--lang", "nl"]) == 0
    assert (folder / "report.html").exists()


def test_report_of_a_file_or_nothing_is_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    for target in (tmp_path / "file", tmp_path / "missing", Path("/dev/zero")):
        assert main(["report", str(target)]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "not a results folder" in err, err


# --------------------------------------------------------------------------- memory: process and container limits


def test_the_container_limit_is_read_from_cgroup_v2_and_v1(tmp_path, monkeypatch):
    from sim.experiments import limits
    monkeypatch.setattr(limits, "CGROUP_ROOT", tmp_path)
    v2 = tmp_path / "user.slice" / "run.scope"
    v2.mkdir(parents=True)
    (v2 / "memory.max").write_text(f"{4 * 2**30}\n")
    (v2 / "memory.current").write_text(f"{3 * 2**30}\n")
    (v2 / "memory.stat").write_text(f"anon 1\ninactive_file {2**29}\n")
    (tmp_path / "user.slice" / "memory.max").write_text("max\n")
    room = limits.container_room("0::/user.slice/run.scope\n")
    assert room.free == 2**30 + 2**29 and room.limit == 4 * 2**30
    v1 = tmp_path / "memory" / "docker" / "abc"
    v1.mkdir(parents=True)
    (v1 / "memory.limit_in_bytes").write_text(f"{2 * 2**30}\n")
    (v1 / "memory.usage_in_bytes").write_text(f"{2**30}\n")
    room = limits.container_room("4:memory:/docker/abc\n1:cpu:/\n")
    assert room.free == 2**30 and room.limit == 2 * 2**30
    (v1 / "memory.limit_in_bytes").write_text("9223372036854771712\n")  # v1's 'no limit'
    assert limits.container_room("4:memory:/docker/abc\n") is None
    assert limits.container_room("0::/\n") is None  # nothing written at the root: no limit


def test_the_process_limit_is_read_from_rlimit_as(monkeypatch):
    from sim.experiments import limits
    real = resource.getrlimit
    monkeypatch.setattr(resource, "getrlimit",
                        lambda which: (3 * 2**30, 3 * 2**30) if which == resource.RLIMIT_AS else real(which))
    room = limits.process_room("VmSize:\t 1048576 kB\nVmData:\t  524288 kB\n")
    assert room.free == 2 * 2**30 and "ulimit -v" in room.name


def test_a_run_that_does_not_fit_the_container_is_refused(monkeypatch):
    from sim.experiments import executor
    from sim.experiments.limits import Room
    monkeypatch.setattr(executor, "container_room", lambda: Room(2**30, 2 * 2**30, "its container's memory limit "
                                                                                   "(cgroup)"))
    with pytest.raises(ScenarioError) as info:
        executor.check_memory(1_000_000, 2, "'x'")
    assert "container's memory limit (cgroup) of 2.0 GB leaves 1.0 GB" in str(info.value)
    monkeypatch.setattr(executor, "container_room", lambda: None)
    monkeypatch.setattr(executor, "process_room", lambda: Room(2**30, 3 * 2**30, "this process's address-space "
                                                                                 "limit (ulimit -v)"))
    with pytest.raises(ScenarioError) as info:
        executor.check_memory(1_000_000, 1, "'x'")
    assert "each run needs about 1.5 GB" in str(info.value) and "ulimit -v" in str(info.value)


@pytest.mark.slow
def test_under_ulimit_v_a_run_too_large_for_it_is_refused_before_it_runs(tmp_path):
    """A valid run of ~2 million requests a replication, in a process limited to 3 GB of
    address space: refused at once naming the limit (before: MemoryError mid-run)."""
    text = MINI.replace("inhabitants: 20000, weeks: 1", "inhabitants: 20000000, weeks: 21")
    (tmp_path / "big.yaml").write_text(text, encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))

    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "run", "big.yaml", "-w", "1", "-q",
                           "--out", "out"], cwd=tmp_path, env=sim_env(), capture_output=True, text=True, timeout=120,
                          preexec_fn=limit)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr[-3000:]
    assert "address-space limit (ulimit -v) of 3.0 GB" in lines[0] and time.perf_counter() - t0 < 30
    assert not list((tmp_path / "out").glob("*/.partial-*/runs/*.json"))


def test_the_memory_check_sees_this_machine(tmp_path):
    from sim.experiments import executor
    executor.check_memory(1000, 1, "'x'")  # a small run passes whatever the limits
    assert json.dumps([executor.available_memory()])
