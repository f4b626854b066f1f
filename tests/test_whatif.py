"""The app's scenario composition: every combination of switches gives a valid scenario,
and bad values are refused with a clear message."""

from __future__ import annotations

import itertools

import pytest

from sim.errors import ScenarioError
from sim.present.whatif import ARRANGEMENTS, WhatIf, compose, validate
from sim.scenario.loading import load_scenario


@pytest.fixture(scope="module")
def base():
    return load_scenario().model_dump(mode="json", exclude_none=True)


def test_every_combination_of_switches_is_a_valid_scenario(base):
    for r in range(len(ARRANGEMENTS) + 1):
        for combo in itertools.combinations(ARRANGEMENTS, r):
            sc = validate(compose(base, WhatIf(arrangements=list(combo), new_residents=24, growth=0.1, gp_capacity=0.8)))
            assert any(l.id == "NIEUW-APP" for l in sc.locations)
            assert sc.pressures.demand_growth == 0.1


def test_pooling_keeps_the_on_call_staff(base):
    sc = validate(compose(base, WhatIf(arrangements=["pooled_anw"])))
    pooled = next(b for b in sc.behandeldiensten if b.id == "ANW-REGIO-APP")
    assert {blk.count for blk in pooled.roster} == {2}  # 1 + 1 on call before


@pytest.mark.parametrize("kw,fragment", [
    ({"replications": 0}, "replications"), ({"weeks": 500}, "weeks"), ({"new_residents": -4}, "residents"),
    ({"gp_capacity": 0.0}, "GP time"), ({"growth": 2.0}, "growth"), ({"resolve_u5": 1.5}, "resolve"),
    ({"arrangements": ["magic"]}, "unknown arrangement"),
])
def test_bad_values_are_refused(base, kw, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        compose(base, WhatIf(**kw))
