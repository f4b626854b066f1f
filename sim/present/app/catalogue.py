"""The base scenarios the what-if app offers, listed once when it starts: the embedded
example region and every scenario file in --configs.

The page only ever sees an id per scenario (the file's stem); the server maps the id back
to the file it listed. A value the page sends that is not in this catalogue is refused, so
the app never opens a path a client names (a crafted request cannot make it read, say,
/etc/passwd or block on a FIFO).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sim.errors import ScenarioError
from sim.scenario.config import Scenario
from sim.scenario.loading import default_scenario_path, load_scenario

EMBEDDED = "voorbeeld"  # the id of the embedded example region


@dataclass(frozen=True)
class BaseScenario:
    """One scenario the app may run: the id the page sends, the file it stands for, and
    what the page needs to build its pickers (practices, behandeldiensten)."""

    id: str
    path: Path
    scenario: Scenario
    embedded: bool = False
    uploaded: bool = False  # a region's workbook uploaded in the page (upload.py), offered to that page only
    label: str = ""  # the uploaded file's name

    @property
    def practices(self) -> list[str]:
        return [p.id for p in self.scenario.practices]

    @property
    def behandeldiensten(self) -> list[str]:
        return [b.id for b in self.scenario.behandeldiensten]


def _files(configs: Path | None) -> list[Path]:
    """The scenario files in --configs (a folder, or one file); sub-folders (sweeps) are not scenarios."""
    if configs is None:
        return []
    if configs.is_file():
        return [configs]
    if configs.is_dir():
        from sim.scenario.country import is_country_file  # a country (configs/nederland.yaml) is no base
        return sorted(p for p in configs.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.is_file()
                      and not is_country_file(p))
    return []


def catalogue(configs: Path | None) -> dict[str, BaseScenario]:
    """id -> base scenario, the embedded example first. A file that does not validate is left
    out with a line on stderr (the app still starts)."""
    out = {EMBEDDED: BaseScenario(EMBEDDED, default_scenario_path(), load_scenario(), embedded=True)}
    for path in _files(configs):
        try:
            sc = load_scenario(path)
        except ScenarioError as exc:
            print(f"mgz-sim app: leaving out {path}: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # noqa: BLE001 - a bug in reading it must not stop the app
            print(f"mgz-sim app: leaving out {path}: unexpected {type(exc).__name__} while reading it; this is a bug "
                  "in mgz-sim, please report it", file=sys.stderr)
            continue
        key, n = path.stem, 2
        while key in out:  # two files with one stem (a.yaml, a.yml): both stay offered
            key, n = f"{path.stem}-{n}", n + 1
        out[key] = BaseScenario(key, path.resolve(), sc)
    return out
