"""What the command line says when mgz-sim itself fails: one line, never a traceback.

Every problem with the input is meant to be a ScenarioError with a clear message. An
exception of any other kind is a bug: the user gets one line naming the file (and field)
that was being read when it happened, "this is a bug in mgz-sim, please report it" and the
path of a log file holding the traceback, which is what a bug report needs.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

from sim.errors import read_where

BUG = "this is a bug in mgz-sim, please report it"
LOG_PREFIX = "mgz-sim-error-"


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def write_log(exc: BaseException, argv: list[str], folder: Path | None = None) -> Path | None:
    """The traceback and what was run, in a new file in the temporary folder (or `folder`);
    None if it cannot be written (a full or read-only disk must not hide the message)."""
    from sim import __version__
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        fd, name = tempfile.mkstemp(prefix=f"{LOG_PREFIX}{stamp}-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as f:
            f.write(f"mgz-sim {__version__}, Python {platform.python_version()}, {platform.platform()}\n")
            f.write(f"command: {' '.join(argv)[:5000]}\n")
            where = read_where(exc)
            if where is not None:
                f.write(f"while reading: {where[0]}" + (f", field {where[1]}" if where[1] else "") + "\n")
            f.write("\n")
            f.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-200_000:])
        return Path(name)
    except (OSError, RecursionError):
        return None


def bug_message(exc: BaseException, argv: list[str], command: str | None = None) -> tuple[str, int]:
    """(one line, exit code) for an unexpected exception: exit 2 when it happened while
    reading an input file (the input is what the user can change or send in), else 1."""
    log = write_log(exc, argv)
    details = f"the details are in {log}" if log is not None else "no log could be written"
    kind = "out of memory (MemoryError)" if isinstance(exc, MemoryError) else type(exc).__name__
    where = read_where(exc)
    if where is not None:
        source, field = where
        at = f"{_shorten(source, 200)}: {_shorten(field, 120)}" if field else _shorten(source, 200)
        return f"{at}: unexpected {kind} while reading it; {BUG} ({details})", 2
    what = f"mgz-sim {command}" if command else "mgz-sim"
    said = _shorten(str(exc))
    return f"unexpected {kind} in {what}{': ' + said if said else ''}; {BUG} ({details})", 1


def print_bug(exc: BaseException, argv: list[str] | None = None, command: str | None = None) -> int:
    """Print the one line on stderr; return the exit code."""
    line, code = bug_message(exc, list(sys.argv if argv is None else argv), command)
    print(f"error: {line}", file=sys.stderr)
    return code
