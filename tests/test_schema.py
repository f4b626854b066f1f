"""Editor support: the JSON Schema of the scenario format (mgz-sim schema) is the one the
package ships, accepts every shipped scenario and catches what an editor should underline."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sim.cli import main
from sim.scenario.json_schema import SHIPPED, scenario_json_schema, schema_text

from .conftest import ROOT, region_configs

SCENARIOS = region_configs() + [ROOT / "sim" / "data" / "regio_voorbeeld.yaml"]


def _as_editor_sees(node):
    """YAML as a JSON-Schema validator in an editor sees it: dates are strings."""
    if isinstance(node, dict):
        return {k: _as_editor_sees(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_editor_sees(v) for v in node]
    return node.isoformat() if isinstance(node, (dt.date, dt.datetime)) else node


@pytest.fixture(scope="module")
def validator():
    schema = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_the_generated_one():
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), \
        "the scenario format changed: run `mgz-sim schema --out sim/data/scenario.schema.json`"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_shipped_scenario_validates(path, validator):
    data = _as_editor_sees(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, errors


def test_typos_and_missing_keys_are_underlined(validator):
    full = _as_editor_sees(yaml.safe_load((ROOT / "sim" / "data" / "regio_voorbeeld.yaml").read_text()))
    full["region"]["wekes"] = 3
    assert any("wekes" in e.message for e in validator.iter_errors(full))
    full["region"].pop("wekes")
    full["locations"][0]["residents"] = "many"
    assert list(validator.iter_errors(full))
    # a complete file needs its locations; a file that extends another writes only what differs
    assert list(validator.iter_errors({"scenario": "x"}))
    assert not list(validator.iter_errors({"extends": "baseline.yaml", "scenario": "x", "region": {"weeks": 4}}))
    assert list(validator.iter_errors({"extends": "baseline.yaml", "region": {"wekes": 4}}))


def test_every_config_points_its_editor_at_the_schema():
    for path in region_configs():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../sim/data/scenario.schema.json", path.name
    for path in sorted((ROOT / "configs" / "nederland").glob("*.yaml")):  # the national scenario's regions
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../sim/data/scenario.schema.json", path.name
    embedded = (ROOT / "sim" / "data" / "regio_voorbeeld.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert embedded == "# yaml-language-server: $schema=scenario.schema.json"


def test_schema_command_prints_and_writes_it(tmp_path, capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "mgz-sim scenario"
    assert main(["schema", "--out", str(tmp_path / "s.json")]) == 0
    assert Path(tmp_path / "s.json").read_text(encoding="utf-8") == schema_text()


def test_the_holiday_countries_are_the_packages_own_list():
    """validation.supported_countries reads the holidays registry directly (fast); it must be
    the list the package itself publishes."""
    import holidays

    from sim.scenario.validation import supported_countries
    assert supported_countries() == frozenset(holidays.list_supported_countries())
    assert {"NL", "NLD", "BE", "DE"} <= supported_countries() and "utils" not in supported_countries()
