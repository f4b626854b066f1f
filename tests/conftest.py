"""Shared helpers: small scenarios written inline, so each test shows what it sets up."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sim.scenario.config import Scenario
from sim.scenario.loading import parse_scenario

ROOT = Path(__file__).resolve().parents[1]


def region_configs() -> list[Path]:
    """The shipped scenario files of one region: configs/*.yaml without the country files
    (configs/nederland.yaml lists regions, sim/scenario/country.py)."""
    from sim.scenario.country import is_country_file
    return [p for p in sorted((ROOT / "configs").glob("*.yaml")) if not is_country_file(p)]


def scenario(text: str, **overrides) -> Scenario:
    return parse_scenario(textwrap.dedent(text), "<test>", overrides or None)


SMALL = """
scenario: small
region: {inhabitants: 20000, weeks: 8, warmup_weeks: 1}
practices:
  - {id: P1}
  - {id: P2, roster: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 1}]}
behandeldiensten:
  - {id: BD, discipline: so}
locations:
  - {id: A, kind: kleinschalig, residents: 20, practice: P1, travel_min_practice: 5}
  - {id: B, kind: geclusterd, sector: GGZ, residents: 30, practice: P2}
  - {id: C, kind: verpleeghuis, residents: 60, behandeling: true, behandeldienst: BD}
"""

# the smallest valid scenario: one practice, one location, one week
MINI = """\
scenario: mini
region: {name: Mini, inhabitants: 20000, weeks: 1, warmup_weeks: 0, seed: 1}
practices:
  - {id: P1, roster: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 2}]}
locations:
  - {id: L1, kind: kleinschalig, sector: VV, residents: 24, practice: P1, travel_min_practice: 6}
"""


@pytest.fixture
def small() -> Scenario:
    return scenario(SMALL)
