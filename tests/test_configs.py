"""Every ready-made scenario in configs/ loads, runs, and is described in configs/README.md."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from sim.analysis.tables import tables_of
from sim.scenario.loading import load_scenario, parent_of
from sim.services.region import simulate

from .conftest import ROOT, region_configs

CONFIGS = region_configs()  # the country file (nederland.yaml) has its own tests: test_country.py


OVERRIDES = {"region.weeks": 2, "region.warmup_weeks": 0}


@functools.lru_cache(maxsize=None)
def _run(path: Path):
    run = simulate(load_scenario(path, OVERRIDES), 0)
    return run, tables_of(run)[0]


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_config_runs(path):
    """Each file runs two weeks; every pool it declares sees work; no request is lost (done,
    or open at a service at the horizon); and an arrangement changes the run of the parent
    it extends (same seed), so it is not a copy that compares with itself."""
    run, t = _run(path)
    req, st = t.requests, t.stages
    assert len(req) > 100
    used = set(st["resource"].astype(str))
    assert [r.pool for r in run.resources if r.pool not in used] == [], "a pool that sees no request"
    still = req.loc[req["done"].isna(), "request_id"]
    assert still.isin(st.loc[st["outcome"] == "open", "request_id"]).all(), "an open request at no service"
    if path.name in ("baseline.yaml", "large_region.yaml"):
        return
    parent = parent_of(path)
    assert parent is not None, "every arrangement extends a parent to compare with"
    before = _run(parent)[1]
    same_pools = {r.pool for r in _run(parent)[0].resources} == {r.pool for r in run.resources}
    same_requests = before.requests[["urgency", "handled_by", "done"]].equals(req[["urgency", "handled_by", "done"]])
    assert not (same_pools and same_requests), f"{path.name} runs exactly as {parent.name}"


def test_every_config_is_described():
    readme = (ROOT / "configs" / "README.md").read_text()
    for path in sorted((ROOT / "configs").glob("*.yaml")):
        assert f"`{path.name}`" in readme, path.name
