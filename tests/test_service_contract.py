"""The contract every registered service kind keeps, run over all of them: its schema
declares what it is (first-line or not, the workload it counts in, its names and who
handles requests there, in English and Dutch), a builder is registered for it, and in a
short run of a scenario that uses it, its pools are in the resources table as that kind,
the requests it handles name one of its handlers, and every pool has its KPIs and a name
for people (not its id alone). A new service kind is checked here without being listed:
the kinds are read from the schema registry."""

from __future__ import annotations

import pytest

from sim.experiments.runner import run_replication
from sim.present.labels import pool_label
from sim.scenario.config import SERVICE_SCHEMAS
from sim.scenario.loading import load_scenario
from sim.services import registry

from .conftest import ROOT, scenario

KINDS = sorted(SERVICE_SCHEMAS)
CATEGORIES = {"physician", "nurse", "hap", "ambulance"}
SHORT = {"region.weeks": 2, "region.warmup_weeks": 0}
# A scenario that uses each kind: a shipped config, or (a kind no config uses) a region with it
USES = {"practice": "baseline.yaml", "hap": "baseline.yaml", "behandeldienst": "baseline.yaml",
        "ambulance": "baseline.yaml", "voorwacht": "c_voorwacht.yaml", "triage": "b_triage_delegated.yaml",
        "regionale_triage": "e_regionale_triage.yaml", "achterwacht": "e_regionale_triage.yaml",
        "behandelteam": "d_compact_behandelteam.yaml", "aanrijdteam": "f_aanrijdteam.yaml", "gzc": "g_gzc.yaml",
        "artsen": "i_so_eerstelijn.yaml"}
SEH = """\
scenario: seh
region: {name: SEH, inhabitants: 20000, weeks: 2, warmup_weeks: 0, seed: 3}
demand: {urgency_mix: {U1: 0.3, U2: 0.1, U3: 0.1, U4: 0.2, U5: 0.3}}
practices: [{id: P1, list_size: 2350}]
locations: [{id: L1, kind: kleinschalig, sector: VV, residents: 60, practice: P1}]
services: [{id: SEH, type: seh}]
routes:
  - {match: {}, steps: [{service: SEH, when: {urgency: [U1]}}, gp]}
"""


def _scenario_with(kind: str):
    if kind == "seh":
        return scenario(SEH)
    return load_scenario(ROOT / "configs" / USES[kind], SHORT)


@pytest.fixture(scope="module")
def runs():
    """One short replication per scenario used (several kinds share one)."""
    cache: dict[str, object] = {}

    def run(kind: str):
        key = USES.get(kind, kind)
        if key not in cache:
            cache[key] = run_replication(_scenario_with(kind), 0)
        return cache[key]
    return run


def test_every_kind_has_a_scenario_here_and_a_builder():
    assert set(KINDS) == set(USES) | {"seh"}, "a new service kind: name a scenario that uses it in USES"
    for kind in KINDS:
        assert callable(registry.builder(kind)), kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_declares_what_it_is_in_english_and_dutch(kind):
    schema = SERVICE_SCHEMAS[kind]
    assert isinstance(schema.first_line, bool)
    assert schema.category in CATEGORIES, schema.category
    en, nl = schema.labels[kind]
    assert en.strip() and nl.strip()
    assert schema.handlers
    for handler in schema.handlers:
        en, nl = registry.HANDLER_LABELS[handler]
        assert en.strip() and nl.strip()
    if kind not in ("practice", "hap", "behandeldienst", "ambulance"):  # a block a scenario names by its type
        assert "id" in schema.model_fields and kind in schema.model_fields["type"].annotation.__args__


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_runs_and_shows_in_the_tables_kpis_and_names(kind, runs):
    schema = SERVICE_SCHEMAS[kind]
    result = runs(kind)
    tables, kpis = result.tables, result.kpis
    sc = tables.scenario
    pools = [r for r in tables.resources if r.kind == kind]
    if schema.category == "ambulance":  # 112 sends an ambulance (SEH too): no queue, no pool of professionals
        assert not pools
    else:
        assert pools, f"no pool of kind {kind}"
    for pool in pools:
        assert (pool.category, pool.first_line) == (schema.category, schema.first_line)
        for kpi in ("handled_per_week", "hours_per_week", "utilisation", "wait_p90_min"):
            assert f"service.{pool.pool}.{kpi}" in kpis, (pool.pool, kpi)
        for lang in ("en", "nl"):
            name = pool_label(pool.pool, sc, lang)
            assert name.strip() and name != pool.pool
    handled = set(tables.requests["handled_by"].astype(str))
    assert handled & set(schema.handlers), f"no request handled by {kind} ({sorted(schema.handlers)}): {handled}"


def test_travel_is_one_mapping_by_kind_and_the_old_fields_still_read():
    """`travel_min: {kind: minutes}` on a location is what a service that travels reads
    (Location.travel_to); travel_min_practice and the other three fields say the same for
    their kinds, so a file that gives one or the other runs alike, and giving both is refused."""
    from sim.errors import ScenarioError
    path = ROOT / "configs" / "f_aanrijdteam.yaml"
    old = run_replication(load_scenario(path, {**SHORT, "locations[L01].travel_min_aanrijdteam": 40}), 0)
    new = run_replication(load_scenario(path, {**SHORT, "locations[L01].travel_min": {"aanrijdteam": 40}}), 0)
    default = run_replication(load_scenario(path, SHORT), 0)
    assert new.tables.requests.equals(old.tables.requests)
    assert {k: repr(v) for k, v in new.kpis.items()} == {k: repr(v) for k, v in old.kpis.items()}  # NaN too
    assert not new.tables.requests.equals(default.tables.requests)  # the minutes are used
    loc = new.tables.scenario.locations[0]
    assert (loc.travel_to("aanrijdteam"), loc.travel_to("hap"), loc.travel_to("seh", 7.0)) == (40, loc.travel_min_hap, 7.0)
    with pytest.raises(ScenarioError, match="say the same"):
        load_scenario(path, {"locations[L01].travel_min": {"hap": 5}, "locations[L01].travel_min_hap": 6})
    with pytest.raises(ScenarioError, match="no kind of service"):
        load_scenario(path, {"locations[L01].travel_min": {"taxi": 5}})
