"""Faults while writing results (issue 15): killed runs, a kill during the merge, two runs
into one folder, a read-only folder, a full disk, paths outside the results folder.

Real faults where this machine allows them: `kill -9` and SIGINT of real processes, two
real processes racing, a real read-only bind mount and a real full tmpfs (these two need
`mount`: as root outside a restricted container; skipped with the reason otherwise). The
same faults are also simulated (an OSError with the real errno raised where the write
happens), so they are tested everywhere."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.errors import BusyError, FaultError, fault_error
from sim.experiments import output
from sim.experiments.output import (
    atomic_write_text,
    folder_lock,
    inside,
    lock_path,
    partial_dir,
    scenario_hash,
)
from sim.experiments.runner import (
    TABLES,
    replication_key,
    replication_task,
    run_scenario,
)
from sim.experiments.store import TaskStore
from sim.scenario.loading import dump_scenario, load_scenario

from .conftest import ROOT, SMALL

REPS = 3  # of the small scenario (about 0.2 s each)
EXAMPLE = ["--weeks", "13", "-r", "4", "-w", "1"]  # the embedded example (about 0.3 s a replication)


# ---------------------------------------------------------------------------------------
# helpers


def finished(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith("."))


def assert_clean(out: Path) -> None:
    """Only finished folders in `out` (no partial folder, lock or temporary file), and
    only the contract's files in each."""
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    for folder in finished(out):
        names = sorted(p.name for p in folder.iterdir())
        assert not [n for n in names if n.startswith(".") or ".tmp-" in n or n == "runs"], (folder, names)
        assert {"requests.parquet", "stages.parquet", "resources.parquet", "summary.json", "methods.md"} <= set(names)


def assert_same_results(a: Path, b: Path) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(a / f"{name}.parquet"), pd.read_parquet(b / f"{name}.parquet"))
    assert json.loads((a / "summary.json").read_text()) == json.loads((b / "summary.json").read_text())


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def small_file(tmp_path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent(SMALL))
    return path


def run_small(small_file: Path, out: Path, *extra: str) -> int:
    return main([str(small_file), "-r", str(REPS), "-w", "1", "-q", "--out", str(out), *extra])


@pytest.fixture(scope="module")
def small_reference(tmp_path_factory) -> Path:
    """An uninterrupted run of the small scenario, to compare with."""
    tmp = tmp_path_factory.mktemp("small_ref")
    (tmp / "small.yaml").write_text(textwrap.dedent(SMALL))
    assert run_small(tmp / "small.yaml", tmp / "out") == 0
    (folder,) = finished(tmp / "out")
    return folder


def sim_command(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "run_sim.py"), *args]


def sim_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def example_reference(tmp_path_factory) -> Path:
    """An uninterrupted run of the embedded example (EXAMPLE options), in a subprocess."""
    out = tmp_path_factory.mktemp("example_ref")
    subprocess.run(sim_command(*EXAMPLE, "-q", "--out", str(out)), check=True, env=sim_env(), capture_output=True)
    (folder,) = finished(out)
    return folder


def wait_for(condition, timeout: float = 120, what: str = "") -> None:
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


# ---------------------------------------------------------------------------------------
# the message: one line naming the folder and what to do


@pytest.mark.parametrize("code, fragment", [
    (errno.EROFS, "(read-only file system); choose another --out"),
    (errno.EACCES, "(permission denied); choose another --out"),
    (errno.ENOSPC, "(disk full: "),
    (errno.EDQUOT, "(disk quota exceeded); free space and run the same command again to resume"),
    (errno.ENAMETOOLONG, "(path too long); choose a shorter --out"),
])
def test_an_os_error_becomes_one_line_naming_the_folder_and_what_to_do(tmp_path, code, fragment):
    exc = fault_error(OSError(code, os.strerror(code)), tmp_path)
    assert isinstance(exc, FaultError) and exc.exit_code == 2
    assert str(exc).startswith(f"cannot write results to {tmp_path} ") and fragment in str(exc)
    assert "\n" not in str(exc)


def test_pyarrows_disk_full_is_recognised_from_its_message(tmp_path):
    """Some pyarrow versions raise an OSError whose errno is only in the message."""
    exc = fault_error(OSError("Error writing bytes to file. Detail: [errno 28] No space left on device"), tmp_path)
    assert "(disk full: " in str(exc) and str(exc).endswith("free space and run the same command again to resume")


# ---------------------------------------------------------------------------------------
# simulated faults (always run)


def _fail_after(monkeypatch, target: str, calls: int, exc: OSError) -> None:
    """Make output.<target> raise `exc` from its (calls+1)-th call on."""
    real, count = getattr(output, target), [0]

    def failing(*args, **kwargs):
        count[0] += 1
        if count[0] > calls:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(output, target, failing)


@pytest.mark.parametrize("exc", [
    OSError(errno.ENOSPC, "No space left on device"),
    OSError("Error writing bytes to file. Detail: [errno 28] No space left on device"),  # pyarrow's form
], ids=["errno", "pyarrow-message"])
def test_a_full_disk_simulated_is_one_line_exit_2_and_the_rerun_resumes(small_file, small_reference, tmp_path,
                                                                       capsys, monkeypatch, exc):
    """Simulated: the Parquet writer raises ENOSPC from the 4th table on (after replication 0
    was saved), where pyarrow raises it on a full disk (tested for real below, when a tmpfs
    can be mounted)."""
    out = tmp_path / "out"
    _fail_after(monkeypatch, "_write_parquet", 3, exc)
    assert run_small(small_file, out) == 2
    captured = capsys.readouterr()
    line = one_line(captured.err)
    assert line.startswith(f"error: cannot write results to {out} (disk full: ") and "run the same command again" in line
    assert not list(out.rglob("*.tmp-*")), "the half-written file is removed"
    monkeypatch.undo()
    assert main([str(small_file), "-r", str(REPS), "-w", "1", "--out", str(out)]) == 0
    assert f"Resuming: 1 of {REPS} runs already done" in capsys.readouterr().err
    assert_clean(out)
    assert_same_results(finished(out)[0], small_reference)


def test_a_read_only_folder_simulated_is_one_line_exit_2_and_the_rerun_resumes(small_file, small_reference,
                                                                               tmp_path, capsys, monkeypatch):
    """Simulated: os.replace raises EROFS (what a read-only file system answers) from the
    second replication on. Tests run as root, where chmod 0555 does not stop a write; the
    real read-only mount is below."""
    out = tmp_path / "out"
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if "rep-0001" in str(dst):
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    assert run_small(small_file, out) == 2
    line = one_line(capsys.readouterr().err)
    assert line == f"error: cannot write results to {out} (read-only file system); choose another --out"
    assert not list(out.rglob("*.tmp-*"))
    monkeypatch.undo()
    assert main([str(small_file), "-r", str(REPS), "-w", "1", "--out", str(out)]) == 0
    assert f"Resuming: 1 of {REPS} runs already done" in capsys.readouterr().err
    assert_clean(out)
    assert_same_results(finished(out)[0], small_reference)


def test_every_atomic_write_syncs_the_file_and_its_folder(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(Path(os.readlink(f"/proc/self/fd/{fd}")) if os.path.exists("/proc/self/fd") else fd)
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    atomic_write_text(tmp_path / "a.txt", "x")
    if os.path.exists("/proc/self/fd"):
        assert synced[0].name.startswith(".a.txt.tmp-") and synced[1] == tmp_path
    assert len(synced) == 2
    TaskStore(tmp_path / "runs").save("k", {"kpis": {}}, {"t": pd.DataFrame({"a": [1]})})
    assert len(synced) == 2 + 1 + 2 + 2  # the new folder in its parent; the table; the record


# ---------------------------------------------------------------------------------------
# paths outside the results folder


def test_no_path_outside_the_results_folder_is_written(small, tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    with pytest.raises(FaultError, match="outside the results folder"):
        partial_dir(out, "x/../../elsewhere")
    with pytest.raises(FaultError, match="outside the results folder"):
        inside(out, out / ".." / "x")
    assert inside(out, out / "a" / "b") == out / "a" / "b"
    # a partial folder that is a symbolic link to elsewhere is refused, and nothing is written there
    (out / f".partial-{scenario_hash(dump_scenario(small), 2)}").symlink_to(elsewhere)
    with pytest.raises(FaultError, match="outside the results folder"):
        run_scenario(small, 2, out, quiet=True)
    assert list(elsewhere.iterdir()) == []


# ---------------------------------------------------------------------------------------
# the lock


def test_a_second_run_waits_at_most_its_timeout_and_says_who_holds_the_folder(small_file, tmp_path, capsys,
                                                                              monkeypatch):
    out = tmp_path / "out"
    sc = load_scenario(small_file)
    partial = partial_dir(out, scenario_hash(dump_scenario(sc), REPS))
    out.mkdir()
    with folder_lock(lock_path(partial), "the test"):  # holds the lock, with this process's pid
        monkeypatch.setattr(output, "LOCK_TIMEOUT_S", 0.5)
        assert run_small(small_file, out) == 1
        err = capsys.readouterr().err
        assert f"another run of 'small' in {partial} is in progress (pid {os.getpid()}); waiting" in err
        assert err.strip().splitlines()[-1].startswith(f"error: another run of 'small' in {partial} is in "
                                                       f"progress (pid {os.getpid()}); waited 0.5 s")
        assert "Traceback" not in err
        # another scenario (here: other replications) into the same folder is not blocked
        with pytest.raises(BusyError):
            run_scenario(sc, REPS, out, quiet=True, lock_timeout=0)
        assert run_scenario(sc, 1, out, quiet=True, lock_timeout=0).folder.exists()
    assert run_small(small_file, out) == 0
    assert_clean(out)


def test_a_lock_dies_with_its_holder_even_when_it_forked_workers(tmp_path):
    """A worker process forked by the holder (ProcessPoolExecutor) must not keep the lock
    after the holder is killed: kill -9 the holder, its child lives on, the lock is free."""
    lock = tmp_path / "x.lock"
    script = textwrap.dedent("""
        import multiprocessing, sys, time
        from pathlib import Path
        from sim.experiments.output import folder_lock
        with folder_lock(Path(sys.argv[1]), "holder"):
            child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
            child.start()
            print(child.pid, flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script, str(lock)], stdout=subprocess.PIPE, text=True,
                            env=sim_env())
    child = int(proc.stdout.readline())
    try:
        with pytest.raises(BusyError, match=rf"\(pid {proc.pid}\)"), folder_lock(lock, "held", timeout=0):
            pass
        proc.kill()
        proc.wait()
        os.kill(child, 0)  # the child is still alive ...
        with folder_lock(lock, "taken over", timeout=5):  # ... and the lock is free
            assert lock.read_text().strip() == str(os.getpid())
        assert not lock.exists()
    finally:
        proc.kill()
        proc.wait()
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_run_killed_while_finalising_is_finished_without_running_again(small, tmp_path, monkeypatch):
    """Killed after the last file was written, while the replications' files were being
    removed: the rerun only renames the folder into place (no replication is run again)."""
    from sim.experiments import runner
    reference = run_scenario(small, REPS, tmp_path / "ref", quiet=True)

    def killed(partial: Path, out_root: Path, **_) -> Path:
        for path in sorted((partial / "runs").iterdir())[:3]:
            path.unlink()
        (partial / ".requests.parquet.tmp-999999").write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "finalise", killed)
    with pytest.raises(KeyboardInterrupt):
        run_scenario(small, REPS, tmp_path / "out", quiet=True)
    monkeypatch.undo()
    monkeypatch.setattr(runner, "replication_task", lambda *a: pytest.fail("ran a replication again"))
    again = run_scenario(small, REPS, tmp_path / "out", quiet=True, workers=1)
    assert again.resumed == REPS
    assert_clean(tmp_path / "out")
    assert_same_results(again.folder, reference.folder)
    assert output._json_safe(again.summary) == output._json_safe(reference.summary)  # 13 == 13.0


def test_stale_temporary_files_of_a_killed_task_are_removed(tmp_path):
    store = TaskStore(tmp_path / "runs")
    store.folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    (store.folder / f".rep-0000.json.tmp-{dead}").write_text("{")
    (store.folder / f".rep-0001.json.tmp-{os.getpid()}").write_text("{")  # a live writer's: kept
    store.clean()
    assert sorted(p.name for p in store.folder.iterdir()) == [f".rep-0001.json.tmp-{os.getpid()}"]


# ---------------------------------------------------------------------------------------
# real faults: processes killed, two processes racing


@pytest.mark.slow
def test_a_run_killed_mid_way_resumes_to_the_same_tables(tmp_path, example_reference):
    out = tmp_path / "out"
    cmd = sim_command(*EXAMPLE, "--out", str(out))
    proc = subprocess.Popen(cmd, env=sim_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: list(out.glob(".partial-*/runs/rep-*.json")), what="the first replication")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(out.glob(".partial-*/runs/rep-*.json")))
    assert 1 <= done < 4, "killed part-way"
    again = subprocess.run(cmd, env=sim_env(), capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert f"Resuming: {done} of 4 runs already done" in again.stderr
    assert_clean(out)
    assert_same_results(finished(out)[0], example_reference)


PAUSED_MERGE = '''\
"""mgz-sim with the merge paused (a test hook outside the package): the merged requests
table is half-written (one part appended to its temporary file) when `marker` appears."""
import sys, time
from pathlib import Path

import pyarrow.parquet as pq

import sim.experiments.runner as runner
from sim.cli import entry

marker = Path(sys.argv.pop(1))
merge, append = runner.merge_tables, pq.ParquetWriter.write_table


def paused(self, table, *args, **kwargs):
    append(self, table, *args, **kwargs)
    marker.write_text("merging")
    time.sleep(120)


def merge_tables(parts, target):
    pq.ParquetWriter.write_table = paused if target.name == "requests.parquet" else append
    try:
        merge(parts, target)
    finally:
        pq.ParquetWriter.write_table = append


runner.merge_tables = merge_tables
sys.argv[0] = "mgz-sim"
entry()
'''


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_a_run_killed_during_the_merge_resumes_cleanly(tmp_path, example_reference, sig):
    out, marker, hook = tmp_path / "out", tmp_path / "merging", tmp_path / "paused_merge.py"
    hook.write_text(PAUSED_MERGE)
    proc = subprocess.Popen([sys.executable, str(hook), str(marker), *EXAMPLE, "--out", str(out)], env=sim_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for(marker.exists, what="the merge")
    (half,) = out.glob(".partial-*/.requests.parquet.tmp-*")
    assert half.name.endswith(f".tmp-{proc.pid}")
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
        assert not half.exists(), "Ctrl-C removes the half-written file"
    else:
        assert half.exists()
    again = subprocess.run(sim_command(*EXAMPLE, "--out", str(out)), env=sim_env(), capture_output=True, text=True,
                           check=False)
    assert again.returncode == 0, again.stderr
    assert "Resuming: 4 of 4 runs already done" in again.stderr
    assert_clean(out)
    assert_same_results(finished(out)[0], example_reference)


@pytest.mark.slow
def test_two_runs_into_one_folder_at_once_both_finish_with_the_same_results(tmp_path, example_reference):
    out = tmp_path / "out"
    cmd = sim_command(*EXAMPLE, "-q", "--out", str(out))
    procs = [subprocess.Popen(cmd, env=sim_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    assert [p.returncode for p, _, _ in results] == [0, 0], [e for _, _, e in results]
    waited = [(p, err) for p, _, err in results if "is in progress" in err]
    assert len(waited) == 1, "one run waited for the other"
    (_, err), (first,) = waited[0], [p for p, _, _ in results if p is not waited[0][0]]
    assert f"in progress (pid {first.pid}); waiting for it to finish" in err and "Traceback" not in err
    assert_clean(out)
    folders = finished(out)
    assert len(folders) == 2 and sorted(str(f) for f in folders) == sorted(o.strip() for _, o, _ in results)
    for folder in folders:
        assert_same_results(folder, example_reference)


# ---------------------------------------------------------------------------------------
# real faults: a read-only mount, a full disk (need mount: root, and a container allowing it)


def _mount(*args: str) -> None:
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root and mount(8) for a real read-only or full file system")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount not permitted here ({done.stderr.strip() or done.returncode}); simulated above")


@pytest.fixture
def mounts():
    mounted: list[Path] = []
    yield mounted
    for point in reversed(mounted):
        subprocess.run(["umount", str(point)], capture_output=True, check=False)


def test_a_read_only_mount_real_is_one_line_exit_2_and_the_rerun_resumes(small, small_file, small_reference,
                                                                       tmp_path, capsys, mounts):
    """A real read-only bind mount of a results folder holding an interrupted run (its
    replication 0 done); then the same folder made writable again."""
    src, out = tmp_path / "src", tmp_path / "out"
    partial = partial_dir(src, scenario_hash(dump_scenario(small), REPS))
    value = replication_task(small, None, 0)
    TaskStore(partial / "runs").save(replication_key(0), value, value.pop("tables"))
    out.mkdir()
    _mount("--bind", str(src), str(out))
    mounts.append(out)
    _mount("-o", "remount,bind,ro", str(out))
    assert run_small(small_file, out) == 2
    assert one_line(capsys.readouterr().err) == \
        f"error: cannot write results to {out} (read-only file system); choose another --out"
    _mount("-o", "remount,bind,rw", str(out))
    assert main([str(small_file), "-r", str(REPS), "-w", "1", "--out", str(out)]) == 0
    assert f"Resuming: 1 of {REPS} runs already done" in capsys.readouterr().err
    assert_clean(out)
    assert_same_results(finished(out)[0], small_reference)


def test_a_full_disk_real_is_one_line_exit_2_and_the_rerun_resumes(small_file, small_reference, tmp_path, capsys,
                                                                 mounts):
    """A real tmpfs with room for about one and a half replications; then made larger."""
    per_rep = sum((small_reference / f"{t}.parquet").stat().st_size for t in TABLES) // REPS
    size_kb = (64 * 1024 + per_rep * 3 // 2) // 1024
    out = tmp_path / "disk"
    out.mkdir()
    _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(out))
    mounts.append(out)
    assert run_small(small_file, out) == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"error: cannot write results to {out} (disk full: ")
    assert line.endswith("free space and run the same command again to resume")
    assert not list(out.rglob("*.tmp-*")), "the half-written file is removed"
    done = len(list(out.glob(".partial-*/runs/rep-*.json")))
    assert 1 <= done < REPS
    _mount("-o", "remount,size=64m", str(out))
    assert main([str(small_file), "-r", str(REPS), "-w", "1", "--out", str(out)]) == 0
    assert f"Resuming: {done} of {REPS} runs already done" in capsys.readouterr().err
    assert_clean(out)
    assert_same_results(finished(out)[0], small_reference)


def test_a_lock_file_is_an_flock(tmp_path):
    """The lock is the kernel's (flock), so any tool can see it: `flock -n` fails while held."""
    lock = tmp_path / "x.lock"
    with folder_lock(lock, "x"):
        fd = os.open(lock, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    assert not lock.exists()


@pytest.mark.slow
def test_the_same_sweep_started_twice_runs_each_task_once(tmp_path):
    """Experiments (sweeps, comparisons, impact, staffing) lock their folder too: the same
    command started while the first is at work waits for it, then finds every task done."""
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(f"name: twice\nbase: {ROOT / 'configs' / 'baseline.yaml'}\nreplications: 2\nweeks: 52\n"
                     "kpis: [handled.gp.wlz_per_week]\nparameters:\n  practices[P1].regular_load: [0.5, 0.6, 0.7, 0.8]\n")
    out = tmp_path / "out"
    cmd = sim_command("sweep", str(sweep), "-q", "-w", "1", "--out", str(out))
    first = subprocess.Popen(cmd, env=sim_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("*.lock")) and time.monotonic() < deadline:  # the first is at work
        time.sleep(0.05)
    second = subprocess.Popen([c for c in cmd if c != "-q"], env=sim_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    results = [(p, *p.communicate(timeout=300)) for p in (first, second)]
    assert [p.returncode for p, _, _ in results] == [0, 0], [e for _, _, e in results]
    assert "is in progress" in results[1][2] and f"(pid {first.pid})" in results[1][2], results[1][2]
    assert "Resuming: 8 of 8 runs already done" in results[1][2]  # the second ran nothing again
    folder = results[0][1].strip()
    assert folder in results[1][1]
    assert len(list((Path(folder) / "runs").glob("*.json"))) == 8  # 4 points x 2 replications
    assert not list(out.glob("*.lock"))


def test_work_that_will_not_fit_this_machine_is_refused_before_it_runs(small_file, tmp_path, capsys, monkeypatch):
    """The memory a run will need (its care requests, times the workers at once) against what
    the machine has free: one line, exit 2, nothing simulated."""
    from sim.experiments import executor
    monkeypatch.setattr(executor, "available_memory", lambda: 100 * 2**20)
    assert main([str(small_file), "-r", "2", "-w", "2", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 'small': needs about") and "(2 at once x" in err and "--workers 1" in err
    assert len(err.splitlines()) == 1
    assert not list((tmp_path / "out").glob("*/runs/*.json"))  # nothing simulated
    # with the memory there, the same command runs
    monkeypatch.undo()
    assert main([str(small_file), "-r", "2", "-w", "1", "-q", "--out", str(tmp_path / "out")]) == 0
