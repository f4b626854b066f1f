"""Reading a scenario file into a validated Scenario, and writing the resolved one back.

Every problem becomes a ScenarioError naming the file, the field path
(`locations[3].residents`), the line and what is allowed, so the CLI can print it and
exit with code 2 instead of a traceback. The steps live in their own modules: the YAML
read within bounds (yaml_reading.py), `extends` and `set` (extends.py), validation errors
as messages (messages.py) and the checks across fields (validation.py).
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import ScenarioError, reading
from sim.scenario import plain_yaml
from sim.scenario.config import Scenario
from sim.scenario.extends import resolve_extends, set_path
from sim.scenario.messages import errors_to_message
from sim.scenario.validation import problems
from sim.scenario.werkboek_cellen import is_workbook
from sim.scenario.yaml_reading import read_file, read_yaml, short_source

DEFAULT_SCENARIO = "regio_voorbeeld.yaml"


def default_scenario_path() -> Path:
    """The embedded example region, shipped inside the package."""
    return Path(str(resources.files("sim") / "data" / DEFAULT_SCENARIO))


def parse_scenario(text: str, source: str, overrides: dict[str, Any] | None = None,
                   base_dir: Path | None = None) -> Scenario:
    """Validate scenario text; `overrides` maps paths (region.seed) to values."""
    root, data = read_yaml(text, source)
    shown = short_source(source)
    if data is None:
        raise ScenarioError(f"{shown}: the file is empty; a scenario needs at least 'locations'")
    if not isinstance(data, dict):
        raise ScenarioError(f"{shown}: a scenario must be a mapping of keys (region, locations, ...), "
                            f"not a {type(data).__name__}")
    data = resolve_extends(data, source, base_dir)
    for dotted, value in (overrides or {}).items():
        try:
            set_path(data, dotted, value)
        except ScenarioError as exc:
            raise ScenarioError(f"{shown}: {exc}") from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(errors_to_message(source, root, exc.errors())) from None
    ref_errors = problems(scenario)
    if ref_errors:
        raise ScenarioError(errors_to_message(source, root, ref_errors))
    return scenario


def parent_of(path: str | Path | None) -> Path | None:
    """The file a scenario extends, if any (for comparing a scenario with its parent)."""
    if path is None or is_workbook(path):
        return None
    path = Path(path)
    text = read_file(path)
    if "extends" not in text:  # no need to parse a large region file again
        return None
    _, data = read_yaml(text, str(path))
    parent = data.get("extends") if isinstance(data, dict) else None
    return (path.parent / parent).resolve() if isinstance(parent, str) else None


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario file (the embedded example when path is None); a region's
    workbook (.xlsx, .ods, .csv or a folder of them) is read by scenario/werkboek.py."""
    path = Path(path) if path is not None else default_scenario_path()
    with reading(path):  # anything but a ScenarioError from here on is a bug, and names this file
        if is_workbook(path):
            from sim.scenario.werkboek import load_workbook  # it builds on this module
            return load_workbook(path, overrides)
        from sim.scenario.country import refuse_country  # it builds on this module
        refuse_country(path)
        return parse_scenario(read_file(path), str(path), overrides, path.parent)


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


RESOLVED_HEADER = """\
# The fully resolved scenario: every parameter, defaults filled in, seed included. It runs
# as it is (run_sim.py scenario.yaml). Where each default comes from ([seed NNN], [lit] or
# [assumption]) is listed in the mgz-sim repository: docs/model.md, section 3, and the
# sources themselves in docs/sources.md; `mgz-sim schema` prints every field's description.
"""


def dump_scenario(sc: Scenario) -> str:
    """The fully resolved scenario (every default filled in) as YAML, with a header that
    says where the defaults come from."""
    return RESOLVED_HEADER + plain_yaml.dump(_plain(sc.model_dump(mode="python")), width=100)
