"""Writing results without ever losing or half-writing anything.

Every file is written to a temporary name (`.<name>.tmp-<pid>`), flushed to the disk
(fsync), renamed into place, and the rename made durable by an fsync of its folder: after
a power cut a file is there whole or not at all. A run first fills a partial folder named
after the scenario's hash (its finished replications in `runs/`, experiments/store.py);
rerunning the same command after an interruption picks up the finished replications from
there. Only when all are done is the partial folder renamed to results/<scenario>/<timestamp>/.

One process at a time works in a partial folder: a lock file beside it
(`.partial-<hash>.lock`, fcntl.flock, released by the kernel when its holder dies, removed
when the run ends). A second run of the same scenario into the same folder waits for the
first; runs of other scenarios do not. The lock's holder owns the partial folder, so any
temporary file in it is left over from a killed process and is removed.

Whatever goes wrong on the disk (read-only, full, no permission, ...) becomes a FaultError
(sim/errors.py): one line naming the folder and what to do, exit code 2. Every path written
is checked to lie under the results folder (`inside`).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import math
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import BusyError, FaultError, fault_error

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking
    fcntl = None  # type: ignore[assignment]

TMP = re.compile(r"^\..+\.tmp-(\d+)$")  # a temporary file: .<name>.tmp-<pid>
LOCK_TIMEOUT_S: float | None = None  # how long a second run waits for the first (None: as long as it runs)
LOCK_POLL_S = 0.2
_NO_LOCKS = {getattr(errno, n) for n in ("ENOLCK", "EOPNOTSUPP", "ENOTSUP", "ENOSYS") if hasattr(errno, n)}


@contextmanager
def faults(folder: Path) -> Iterator[None]:
    """Any OSError inside (pyarrow's included: they are OSErrors) becomes a FaultError naming
    `folder`. Nested, the outermost folder is named: a run names its --out, not the
    subfolder where the write failed."""
    try:
        yield
    except FaultError as exc:
        if isinstance(exc.__cause__, OSError) and exc.folder != Path(folder):
            raise fault_error(exc.__cause__, Path(folder)) from exc.__cause__
        raise
    except ConnectionError:  # a broken pipe or a lost cluster is not the disk
        raise
    except OSError as exc:
        raise fault_error(exc, Path(folder)) from exc


def inside(root: Path, path: Path) -> Path:
    """`path`, after checking that it resolves (symbolic links followed) to `root` or a path
    under it: nothing is ever written outside the results folder, whatever a name holds."""
    real_root, real = Path(root).resolve(), Path(path).resolve()
    if real != real_root and real_root not in real.parents:
        raise FaultError(f"refusing to write {path}: it lies outside the results folder {root} "
                         f"(resolves to {real}); choose another --out", Path(root))
    return Path(path)


def fsync_dir(folder: Path) -> None:
    """Make the names in `folder` (a rename, a new or removed file) durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot sync a folder; the data itself is synced
        if exc.errno not in (errno.EINVAL, errno.EOPNOTSUPP):
            raise
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dir(path: Path) -> Path:
    """mkdir -p, each new folder made durable in its parent."""
    path = Path(path)
    if not path.is_dir():
        if not path.parent.is_dir():
            make_dir(path.parent)
        try:
            path.mkdir()
        except FileExistsError:
            if not path.is_dir():
                raise
        fsync_dir(path.parent)
    return path


def temporary_name(path: Path) -> Path:
    """Where `path` is written before it is renamed into place: .<name>.tmp-<pid>."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """write(tmp), fsync it, rename it to `path`, fsync the folder; on any error or
    interruption the temporary file is removed."""
    path = Path(path)
    tmp = temporary_name(path)
    with faults(path.parent):
        try:
            write(tmp)
            _fsync_file(tmp)
            os.replace(tmp, path)
        except BaseException:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:  # e.g. the file system went read-only: the next run removes it
                pass
            raise
        fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)

    _atomic(path, write)


def _write_parquet(tmp: Path, df: pd.DataFrame) -> None:
    # dictionary-encode only the categorical columns: trying it on every float column
    # (pyarrow's default) costs a fifth of the write time and makes the files larger
    categorical = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    df.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd", use_dictionary=categorical or False)


def atomic_write_parquet(path: Path, df: pd.DataFrame) -> None:
    _atomic(path, lambda tmp: _write_parquet(tmp, df))


def _json_safe(obj: Any) -> Any:
    """JSON has no NaN or infinity: NaN (not measurable) becomes null, an infinite value
    (beyond the horizon: still waiting when the run ended) the string "inf"."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    return obj


def number(value: Any) -> float:
    """A number read back from our JSON: null is NaN, "inf" infinity."""
    return math.nan if value is None else float(value)


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(_json_safe(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def scenario_hash(resolved_yaml: str, replications: int) -> str:
    return hashlib.sha256(f"{resolved_yaml}\nreplications={replications}".encode()).hexdigest()[:16]


def partial_dir(out_root: Path, digest: str) -> Path:
    return inside(out_root, out_root / f".partial-{digest}")


def lock_path(partial: Path) -> Path:
    """The lock file of a partial folder: beside it, so it never moves into the results."""
    return partial.with_name(partial.name + ".lock")


def _tmp_pid(path: Path) -> int | None:
    found = TMP.match(path.name)
    return int(found.group(1)) if found else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_tmp(folder: Path, owned: bool = False) -> list[Path]:
    """Remove the temporary files a killed process left in `folder`. `owned`: we hold the
    folder's lock, so every temporary file in it is stale; otherwise only those whose
    process is gone."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        pid = _tmp_pid(path)
        if pid is not None and (owned or not _alive(pid)) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        fsync_dir(folder)
    return removed


# A worker process forked while we hold a lock must not keep it alive after we die: a lock
# taken with flock belongs to the open file, which fork() shares. Children close them.
_HELD: set[int] = set()


def _close_held_in_child() -> None:
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_in_child)


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        pid = ""
    return f"pid {pid}" if pid.isdigit() else "pid unknown"


def _try_lock(path: Path) -> int | None:
    """An open descriptor of `path` holding its lock, or None if another process holds it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError as exc:
            if exc.errno not in _NO_LOCKS:
                os.close(fd)
                raise
            # a file system without locks (some network mounts): carry on unguarded
            print(f"warning: cannot lock {path} ({exc.strerror}); do not start the same run twice at once",
                  file=sys.stderr, flush=True)
            return fd
        except BaseException:
            os.close(fd)
            raise
        # the holder before us removes the file when done: a lock on a file no longer at
        # `path` guards nothing, so lock the file that is there now
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


@contextmanager
def folder_lock(path: Path, what: str, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (created if needed, removed when done).
    If another process holds it, say so on stderr and wait; after `timeout` seconds
    (default LOCK_TIMEOUT_S; None: no limit) stop with a BusyError. `what` names the
    work for the messages, e.g. "another run of 'baseline' in /out/.partial-ab12"."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    deadline = None if timeout is None else time.monotonic() + timeout
    said = False
    while (fd := _try_lock(path)) is None:
        holder = _holder(path)
        if deadline is not None and time.monotonic() >= deadline:
            raise BusyError(f"{what} is in progress ({holder}); waited {timeout:g} s; run the same command "
                            "again when it has finished, or choose another --out")
        if not said:
            print(f"{what} is in progress ({holder}); waiting for it to finish (Ctrl-C to stop)",
                  file=sys.stderr, flush=True)
            said = True
        time.sleep(LOCK_POLL_S)
    _HELD.add(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        try:
            os.unlink(path)  # while still locked: no one else can hold this file now
        except OSError:
            pass
        _HELD.discard(fd)
        os.close(fd)


def merge_tables(parts: list[Path], target: Path) -> None:
    """One table over all replications: the parts are appended row group by row group
    (pyarrow), never held in memory all at once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def write(tmp: Path) -> None:
        if len(parts) == 1:  # a second name for the part (synced already), or a copy
            try:
                os.link(parts[0], tmp)
            except OSError:
                shutil.copyfile(parts[0], tmp)
            return
        schema = pq.read_schema(parts[0])
        categorical = [f.name for f in schema if pa.types.is_dictionary(f.type)]
        with pq.ParquetWriter(tmp, schema, compression="zstd", use_dictionary=categorical or False) as writer:
            for part in parts:
                writer.write_table(pq.read_table(part).cast(schema))

    _atomic(target, write)


COMPLETE = "methods.md"  # written last into a partial folder: everything else is there


def free_folder(out_root: Path, stamp: dt.datetime | None = None) -> Path:
    """The results folder a run finished now gets: results/<scenario>/<timestamp>, or with
    -1, -2, ... when that name is taken (never overwrite)."""
    base = (stamp or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    for k in range(1000):
        target = inside(out_root, out_root / (base if k == 0 else f"{base}-{k}"))
        if not target.exists():
            return target
    raise RuntimeError(f"could not find a free results folder under {out_root}")


def finalise(partial: Path, out_root: Path, stamp: dt.datetime | None = None, target: Path | None = None) -> Path:
    """Rename the complete partial folder to a fresh timestamped folder (never overwrite):
    `target` (from free_folder) if it is still free, else the next free name.
    Call it holding the partial folder's lock: its temporary files are then all stale."""
    with faults(out_root):
        if (partial / "runs").exists():
            shutil.rmtree(partial / "runs")  # the tasks' own files: merged by now
        remove_stale_tmp(partial, owned=True)
        fsync_dir(partial)
        for _ in range(1000):
            target = target if target is not None and not target.exists() else free_folder(out_root, stamp)
            try:
                os.rename(partial, target)
            except OSError:
                if not target.exists():
                    raise
                target = None  # taken by another run in the meantime
                continue
            fsync_dir(out_root)
            return target
    raise RuntimeError(f"could not find a free results folder under {out_root}")
