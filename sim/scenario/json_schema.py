"""The scenario format as a JSON Schema, for editors: with the schema, VS Code (YAML
extension), PyCharm and others complete keys, show each field's description and default,
and underline a typo while the file is written, before any run.

The schema is generated from the same pydantic models that validate a run
(scenario/config.py), so it cannot drift from them; `mgz-sim schema` prints it and the
package ships it as sim/data/scenario.schema.json (a test keeps the two equal). A file
that `extends:` another only writes what it changes, so for such a file every key is
optional at every level; a file without `extends:` must be complete.

The run's own validation stays the authority: it also checks what a schema cannot say
(references between ids, routes, holiday countries).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sim.scenario.config import Scenario

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "scenario.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
PARTIAL = "partial_"

EXTENDS = {"type": "string", "title": "Extends",
           "description": "the scenario file this one builds on (relative to this file); this file then writes "
                          "only what differs, and lists are replaced as a whole"}
SET = {"type": "object", "title": "Set",
       "description": "changes by path, applied after extends, e.g. 'spoedposten[HAP1].doctors[0].count: 3' or "
                      "'services[VOORWACHT].resolves.U5: 0.6'",
       "additionalProperties": True}

# Shorthands the models accept before validation (a BeforeValidator), which pydantic's
# schema does not show: a route step may be just a service's name.
SHORTHANDS = {"Step": {"type": "string", "description": "a service: a block's id, or gp / hap / behandeldienst"}}


def _relaxed(node: Any) -> Any:
    """The same schema with nothing required, and references to the relaxed definitions."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "required":
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = "#/$defs/" + PARTIAL + value.removeprefix("#/$defs/")
            else:
                out[key] = _relaxed(value)
        return out
    if isinstance(node, list):
        return [_relaxed(v) for v in node]
    return node


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    generated = Scenario.model_json_schema()
    defs = generated.pop("$defs", {})
    for name, short in SHORTHANDS.items():
        if name in defs:
            defs[name] = {"anyOf": [short, defs[name]]}
    root = copy.deepcopy(generated)
    root["properties"] = {"extends": EXTENDS, "set": SET, **root["properties"]}
    all_defs = {**defs, "Scenario": root}
    all_defs.update({PARTIAL + name: _relaxed(d) for name, d in list(all_defs.items())})
    return {
        "$schema": DRAFT,
        "title": "mgz-sim scenario",
        "description": "A region, its locations, practices, HAP and arrangements (see docs/model.md). A file with "
                       "'extends' writes only what differs from its parent.",
        "type": "object",
        "if": {"required": ["extends"]},
        "then": {"$ref": f"#/$defs/{PARTIAL}Scenario"},
        "else": {"$ref": "#/$defs/Scenario"},
        "$defs": all_defs,
    }


def schema_text() -> str:
    """The schema as the shipped file holds it (stable key order, ends with a newline)."""
    return json.dumps(scenario_json_schema(), indent=1, ensure_ascii=False) + "\n"
