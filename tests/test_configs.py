"""Every ready-made scenario in configs/ loads, runs, and is described in configs/README.md."""

from __future__ import annotations

import pytest

from sim.analysis.tables import requests_table
from sim.scenario.loading import load_scenario, parent_of
from sim.services.region import simulate

from .conftest import ROOT, region_configs

CONFIGS = region_configs()  # the country file (nederland.yaml) has its own tests: test_country.py


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_config_runs(path):
    sc = load_scenario(path, {"region.weeks": 1, "region.warmup_weeks": 0})
    req = requests_table(simulate(sc, 0))
    assert len(req) > 100
    assert (req["done"].notna() | req["handled_by"].isna()).all()
    if path.name not in ("baseline.yaml", "large_region.yaml"):
        assert parent_of(path) is not None, "every arrangement extends a parent to compare with"


def test_every_config_is_described():
    readme = (ROOT / "configs" / "README.md").read_text()
    for path in sorted((ROOT / "configs").glob("*.yaml")):
        assert f"`{path.name}`" in readme, path.name
