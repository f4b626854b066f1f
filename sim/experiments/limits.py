"""How much memory a run may still take: not only what the machine has free (psutil), but
the limits that end a run long before that. A process limit (`ulimit -v`: RLIMIT_AS; or
RLIMIT_DATA) holds for each process on its own, so each task must fit it; a container's
limit (cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`) holds for all its processes
together, so the tasks at once must fit it. Either, when it is the tighter, is named in the
message that refuses the run (executor.check_memory).
"""

from __future__ import annotations

import resource
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
UNLIMITED = 2**60  # cgroup v1 writes 'no limit' as 9223372036854771712


@dataclass(frozen=True)
class Room:
    """Bytes still free under one limit, and how to name that limit."""

    free: int
    limit: int
    name: str


def _status_bytes(field: str, status: str | None = None) -> int | None:
    """A 'VmSize:  123 kB' field of /proc/self/status, in bytes."""
    try:
        text = status if status is not None else Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            parts = line.split()
            return int(parts[1]) * 1024 if len(parts) > 1 and parts[1].isdigit() else None
    return None


def process_room(status: str | None = None) -> Room | None:
    """What this process may still map under RLIMIT_AS (minus VmSize) or RLIMIT_DATA (minus
    VmData), whichever is tighter; None without such a limit."""
    rooms = []
    for which, field, name in ((resource.RLIMIT_AS, "VmSize", "address-space limit (ulimit -v)"),
                               (getattr(resource, "RLIMIT_DATA", None), "VmData", "data limit (ulimit -d)")):
        if which is None:
            continue
        soft, _ = resource.getrlimit(which)
        used = _status_bytes(field, status)
        if soft == resource.RLIM_INFINITY or soft <= 0 or used is None:
            continue
        rooms.append(Room(max(0, soft - used), soft, f"this process's {name}"))
    return min(rooms, key=lambda r: r.free) if rooms else None


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None  # 'max' (v2: no limit) is None


def _inactive_file(stat_file: Path) -> int:
    """Page cache the kernel can reclaim before it runs out (counted as used otherwise)."""
    try:
        for line in stat_file.read_text().splitlines():
            key, _, value = line.partition(" ")
            if key in ("inactive_file", "total_inactive_file") and value.strip().isdigit():
                return int(value)
    except OSError:
        pass
    return 0


def _cgroup_paths(proc_cgroup: str) -> list[Path]:
    """Candidate folders of this process's memory cgroup, innermost first, v2 and v1."""
    out = []
    for line in proc_cgroup.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, rel = parts
        rel = rel.strip().lstrip("/")
        if controllers == "":  # cgroup v2
            base = CGROUP_ROOT
        elif "memory" in controllers.split(","):
            base = CGROUP_ROOT / "memory"
        else:
            continue
        path = base / rel if rel else base
        while True:  # this cgroup and every parent: the tightest limit counts
            out.append(path)
            if path == base:
                break
            path = path.parent
    return out


def container_room(proc_cgroup: str | None = None) -> Room | None:
    """What this process's memory cgroup (and its parents) may still take: limit minus
    usage plus reclaimable cache; None without a limit."""
    try:
        text = proc_cgroup if proc_cgroup is not None else Path("/proc/self/cgroup").read_text()
    except OSError:
        return None
    rooms = []
    for folder in _cgroup_paths(text):
        for limit_name, usage_name in (("memory.max", "memory.current"), ("memory.limit_in_bytes", "memory.usage_in_bytes")):
            limit = _read_int(folder / limit_name)
            usage = _read_int(folder / usage_name)
            if limit is None or usage is None or limit >= UNLIMITED:
                continue
            free = max(0, limit - usage + _inactive_file(folder / "memory.stat"))
            rooms.append(Room(min(free, limit), limit, "its container's memory limit (cgroup)"))
    return min(rooms, key=lambda r: r.free) if rooms else None
