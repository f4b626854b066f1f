"""`impact --change-location L05:opheffen` (or `remove`): the location closes. Compared are
the region as it is and without the location (no voorwacht or behandelteam for a location
that is gone); routes that named it lose it, and a route that named only it goes (left
with an empty list it would take every location)."""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.experiments.impact import variants
from sim.experiments.nieuwe_locatie import parse_changes, parse_locations, removed, resolve
from sim.scenario.loading import load_scenario
from sim.scenario.validation import validate_data


def _base(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("""\
scenario: sluiten
region: {inhabitants: 40000, weeks: 2, warmup_weeks: 1}
practices: [{id: P1, name: De Linde}]
services: [{id: VW, type: voorwacht}]
locations:
  - {id: L01, name: Het Anker, kind: kleinschalig, sector: VV, residents: 20, practice: P1}
  - {id: L02, name: De Eik, kind: kleinschalig, sector: VV, residents: 12, practice: P1}
routes:
  - {name: only L02, match: {locations: [L02]}, steps: [VW, gp]}
  - {name: L01 and L02 at night, match: {locations: [L01, L02], period: [night]}, steps: [VW, hap]}
baseline_fallback: true
""", encoding="utf-8")
    return load_scenario(path)


@pytest.mark.parametrize("word", ["opheffen", "remove", " Verwijderen "])
def test_the_words_that_close_a_location(word):
    assert parse_changes([f"L02:{word}"]) == {"L02": {"remove": True}}


def test_closed_and_changed_at_once_is_one_error():
    with pytest.raises(ScenarioError, match="closed and changed at once"):
        parse_changes(["L02:opheffen", "L02:bewoners=30"])


def test_closing_takes_the_location_and_its_own_routes_out(tmp_path):
    base = _base(tmp_path)
    new, changes = resolve(base, [], parse_changes(["De Eik:opheffen"]))  # by name, as the app and users write it
    assert changes == {"L02": {"remove": True}} and removed(changes) == ["L02"]
    out = variants(base, new, changes)
    assert list(out) == ["zonder", "met"]  # nothing to put a voorwacht in front of
    met = validate_data(out["met"])
    assert [loc.id for loc in met.locations] == ["L01"]
    assert [(r.name, r.match.locations) for r in met.routes] == [("L01 and L02 at night", ["L01"])]
    assert [loc.id for loc in validate_data(out["zonder"]).locations] == ["L01", "L02"]  # the base untouched


def test_a_new_location_beside_a_closed_one_keeps_its_variants(tmp_path):
    base = _base(tmp_path)
    new, changes = resolve(base, parse_locations(["naam=De Nieuwe Eik,bewoners=24,soort=kleinschalig,zorgprofiel=PG,huisarts=De Linde"]),
                           parse_changes(["L02:opheffen"]))
    out = variants(base, new, changes)
    assert list(out) == ["zonder", "met", "met + voorwacht", "met + behandelteam"]
    names = [loc.name for loc in validate_data(out["met + voorwacht"]).locations]
    assert names == ["Het Anker", "De Nieuwe Eik"]
