"""Errors a user can fix: printed as one clear message with exit code 2, never a traceback."""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ScenarioError(Exception):
    """Invalid input: the message names the file, the field and what is allowed."""

    exit_code = 2


class RunError(Exception):
    """A run that could not finish (a replication failed): one line, exit code 1."""

    exit_code = 1


class FaultError(ScenarioError):
    """Results that could not be written (read-only or full disk, no permission, ...): one
    line naming the folder and what to do, exit code 2. Whatever was finished is kept, so
    once the cause is gone the same command resumes."""

    def __init__(self, message: str, folder: Path | None = None, code: int | None = None):
        super().__init__(message)
        self.folder, self.errno = folder, code


class BusyError(RunError):
    """Another process holds the lock on a results folder and did not finish in time."""


# what happened, and what the user can do about it
_RESUME = "run the same command again to resume"
_ADVICE: dict[int | None, tuple[str | None, str | None]] = {
    errno.EROFS: ("read-only file system", "choose another --out"),
    errno.EACCES: ("permission denied", "choose another --out or make it writable"),
    errno.EPERM: ("operation not permitted", "choose another --out or make it writable"),
    errno.ENOSPC: (None, f"free space and {_RESUME}"),
    errno.EDQUOT: ("disk quota exceeded", f"free space and {_RESUME}"),
    errno.EFBIG: ("file too large for this file system", "choose another --out"),
    errno.ENAMETOOLONG: ("path too long", "choose a shorter --out"),
    errno.ENOTDIR: ("a file is in the way where a folder should be", "choose another --out"),
    errno.EEXIST: ("a file is in the way where a folder should be", "choose another --out"),
    errno.ELOOP: ("too many symbolic links", "choose another --out"),
    errno.EIO: ("input/output error", f"check the disk and {_RESUME}"),
    errno.EMLINK: ("too many entries in the folder", "choose another --out"),
}


def os_errno(exc: OSError) -> int | None:
    """The errno of an OSError; pyarrow's (an OSError too) may carry it only in its message
    ('... Detail: [errno 28] No space left on device')."""
    if exc.errno is not None:
        return exc.errno
    found = re.search(r"\[?errno (\d+)\]?", str(exc), re.IGNORECASE)
    return int(found.group(1)) if found else None


def _existing(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def free_bytes(folder: Path) -> int | None:
    """Free space (for an unprivileged user) on the file system holding `folder`."""
    try:
        return shutil.disk_usage(_existing(folder)).free
    except OSError:
        return None


def _size(n: float) -> str:
    if n < 1024:
        return f"{n} bytes"
    for unit in ("KB", "MB", "GB", "TB"):
        n /= 1024
        if n < 1024 or unit == "TB":
            return f"{n:.1f} {unit}"
    raise AssertionError  # pragma: no cover


def fault_error(exc: OSError, folder: Path) -> FaultError:
    """A FaultError for an OSError raised while writing under `folder`, e.g.
    'cannot write results to /data/out (read-only file system); choose another --out'."""
    code = os_errno(exc)
    what, todo = _ADVICE.get(code, (None, None))
    if code == errno.ENOSPC:
        free = free_bytes(folder)
        what = "disk full" + (f": {_size(free)} free" if free is not None else "")
    elif what is None:
        reason = exc.strerror or str(exc) or type(exc).__name__
        what, todo = reason[0].lower() + reason[1:], f"check the folder and {_RESUME}"
    return FaultError(f"cannot write results to {folder} ({what}); {todo}", Path(folder), code)


# --------------------------------------------------------------------------- while reading


@contextmanager
def reading(source: str | Path, field: str | None = None) -> Iterator[None]:
    """Mark what is being read: an exception other than our own that leaves this block is
    a bug in mgz-sim (the input was meant to give a ScenarioError), and carries the file and
    the field (the innermost `reading` that saw it) in `exc.mgz_reading`, so the command
    line can name them in its one line (cli.py) instead of printing a traceback."""
    try:
        yield
    except (ScenarioError, RunError, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:
        if getattr(exc, "mgz_reading", None) is None:
            try:
                exc.mgz_reading = (str(source), field)  # type: ignore[attr-defined]
            except AttributeError:  # an exception type without a __dict__: the file stays unnamed
                pass
        raise


def read_where(exc: BaseException) -> tuple[str, str | None] | None:
    """(file, field or None) of an unexpected exception raised while reading, or None."""
    where = getattr(exc, "mgz_reading", None)
    return where if isinstance(where, tuple) else None
