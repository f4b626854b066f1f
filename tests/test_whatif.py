"""The app's "compare an arrangement" scenarios: every combination of switches gives a valid
scenario, the sliders land in the pressures and the voorwacht's shares, the name says what
changed, the base is left alone, and values no scenario may have are refused."""

from __future__ import annotations

import copy
import itertools

import pytest

from sim.errors import ScenarioError
from sim.present.whatif import ARRANGEMENTS, DEFAULT_RESOLVE, WhatIf, compose, validate
from sim.scenario.loading import load_scenario


@pytest.fixture(scope="module")
def base():
    return load_scenario().model_dump(mode="json", exclude_none=True)


def test_every_combination_of_switches_is_a_valid_scenario(base):
    for r in range(len(ARRANGEMENTS) + 1):
        for combo in itertools.combinations(ARRANGEMENTS, r):
            sc = validate(compose(base, WhatIf(arrangements=list(combo), growth=0.1, gp_capacity=0.8)))
            assert sc.pressures.demand_growth == 0.1 and sc.pressures.gp_capacity_factor == 0.8
            assert len(sc.locations) == len(base["locations"])  # a what-if adds no location: that is impact's
            added = {s.id for s in sc.services} - {s["id"] for s in base.get("services", [])}
            assert all(s.name for s in sc.services if s.id in added)  # the page shows names, not ids
            if "voorwacht" in combo:
                assert "VOORWACHT-APP" in added
            if not combo:
                assert not added


def test_the_resolve_slider_scales_the_voorwacht_shares(base):
    sc = validate(compose(base, WhatIf(arrangements=["voorwacht"], resolve_u5=0.9)))
    voorwacht = next(s for s in sc.services if s.id == "VOORWACHT-APP")
    assert voorwacht.resolves["U5"] == pytest.approx(0.9)
    assert voorwacht.resolves["U4"] == pytest.approx(DEFAULT_RESOLVE["U4"] * 2)


def test_pooling_keeps_the_on_call_staff(base):
    sc = validate(compose(base, WhatIf(arrangements=["pooled_anw"])))
    pooled = next(b for b in sc.behandeldiensten if b.id == "ANW-REGIO-APP")
    assert {blk.count for blk in pooled.roster} == {2}  # 1 + 1 on call before


def test_the_name_says_what_changed_and_the_base_is_untouched(base):
    before = copy.deepcopy(base)
    data = compose(base, WhatIf(arrangements=["voorwacht", "aanrijdteam"], gp_capacity=0.7, growth=0.114,
                                resolve_u5=0.5))
    assert data["scenario"] == "baseline_voorwacht_aanrijdteam_afhandeling50_huisartstijd70_groei11.4"
    assert validate(data).scenario == data["scenario"]  # a valid scenario name
    assert base == before
    assert WhatIf().name("baseline") == "baseline_whatif" and not WhatIf(resolve_u5=0.9).changes_anything()


@pytest.mark.parametrize("kw,fragment", [
    ({"gp_capacity": 0.0}, "GP time"), ({"growth": 2.0}, "growth"), ({"resolve_u5": 1.5}, "resolve"),
    ({"arrangements": ["magic"]}, "unknown arrangement"),
])
def test_bad_values_are_refused(base, kw, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        compose(base, WhatIf(**kw))
