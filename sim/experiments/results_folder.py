"""Reading a results folder back (`mgz-sim report DIR`) within the same bounds as a
scenario file: a folder may have been copied in part, edited by hand or tampered with, so
every file the report reads is checked first. A JSON file must be a regular file of at most
MAX_JSON_BYTES, valid, not nested absurdly and of the shape we wrote; scenario.yaml must be
a valid scenario (read like any scenario file); a Parquet table must be a regular file whose
footer can be read. Anything else is one ScenarioError naming the file.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.reading import read_json
from sim.scenario.loading import load_scenario

MAX_JSON_BYTES = 256 * 1024**2  # summary.json of 1,000 replications of the large region is ~30 MB

# file: (its top-level type, keys it must have)
JSON_FILES: dict[str, tuple[type, tuple[str, ...]]] = {
    "summary.json": (dict, ("kpis",)), "run.json": (dict, ("replications",)),
    "parent.json": (dict, ("per_replication",)), "comparison.json": (dict, ()), "impact.json": (dict, ()),
    "staff.json": (dict, ()), "provenance.json": (dict, ()), "sensitivity.json": (dict, ()),
    "failures.json": (list, ()),
}
TABLES = ("requests", "stages", "resources", "sweep", "points", "answers", "sensitivity", "warmup")
DAMAGED = "a damaged or partly copied results folder? Run the command that made it again"


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()  # a link to nowhere is refused, not skipped


def check_json(path: Path) -> Any:
    """A JSON file of the results folder, bounded, of the shape mgz-sim writes there."""
    kind: Any = JSON_FILES[path.name][0]  # dict or list
    keys = JSON_FILES[path.name][1]
    data = read_json(path, "results file", MAX_JSON_BYTES, str(path))
    if not isinstance(data, kind) or any(k not in data for k in keys):
        want = "an object" if kind is dict else "a list"
        raise ScenarioError(f"{path}: not what mgz-sim writes there ({want}{' with ' + ', '.join(keys) if keys else ''}); "
                            f"{DAMAGED}")
    return data


def check_table(path: Path) -> None:
    """A regular file whose Parquet footer reads (its size is what the run wrote: not bounded)."""
    import pyarrow.parquet as pq  # only a folder with tables needs it
    try:
        info = path.stat()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read it ({(exc.strerror or type(exc).__name__).lower()})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(f"{path}: is not a regular file (a device, pipe, socket or folder); {DAMAGED}")
    try:
        pq.read_metadata(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a damaged file
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise ScenarioError(f"{path}: not a readable Parquet table ({first}); {DAMAGED}") from None


def is_country_folder(folder: Path) -> bool:
    """A country's results folder: its regions' folders under regions/, beside regions.csv."""
    return (folder / "regions").is_dir() and (folder / "regions.csv").is_file()


def check_results_folder(folder: Path) -> None:
    """Every file of `folder` that a report reads, checked within bounds (see the module);
    for a country, its summary and every region's folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError(f"{folder}: not a results folder (not a folder at all)")
    if is_country_folder(folder):
        data = read_json(folder / "summary.json", "results file", MAX_JSON_BYTES, str(folder / "summary.json"))
        if not isinstance(data, dict) or any(k not in data for k in ("national", "regions")):
            raise ScenarioError(f"{folder / 'summary.json'}: not what mgz-sim writes there for a country (an object "
                                f"with national, regions); {DAMAGED}")
        for region in sorted(p for p in (folder / "regions").iterdir() if p.is_dir()):
            check_results_folder(region)
        return
    for name in JSON_FILES:
        if _present(folder / name):
            check_json(folder / name)
    if _present(folder / "scenario.yaml"):
        load_scenario(folder / "scenario.yaml")
    for name in TABLES:
        if _present(folder / f"{name}.parquet"):
            check_table(folder / f"{name}.parquet")
