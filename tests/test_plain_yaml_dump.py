"""plain_yaml.dump writes exactly what PyYAML's yaml.dump writes with the same Dumper, only
faster (each distinct scalar represented once): checked on every shipped scenario resolved,
and on generated plain data with the scalars that trip a cache (-0.0 and 0.0, 1 and True and
1.0, NaN) and the texts a reader would take for something else."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from sim.scenario import plain_yaml
from sim.scenario.loading import _plain, load_scenario
from sim.scenario.yaml_reading import read_yaml

CONFIGS = sorted(p for p in (Path(__file__).parent.parent / "configs").glob("*.yaml") if p.name != "nederland.yaml")
TRICKY = [0, 1, -1, 0.0, -0.0, 1.0, True, False, None, float("nan"), float("inf"), float("-inf"), 1e300, 2.5e-8,
          "", "yes", "No", "on", "1e3", "0x1F", "017", "2025-01-06", "1:30", "~", "null", "<<", "x: y", "#",
          "a #b", " lead", "trail ", "é ü", "multi\nline", "tab\there", "- dash", "[", "{a}", "'q'", '"d"', "&anchor"]


def _pyyaml(data, **options):
    options = {"sort_keys": False, "allow_unicode": True, **options}
    return yaml.dump(data, Dumper=plain_yaml.Dumper, **options)


def _random_plain(rng: random.Random, depth: int = 0):
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(TRICKY)
    if rng.random() < 0.5:
        return [_random_plain(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    keys = rng.sample([t for t in TRICKY if not isinstance(t, float) or t == t], rng.randrange(0, 5))
    return {k: _random_plain(rng, depth + 1) for k in keys}


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_a_resolved_scenario_is_written_as_pyyaml_writes_it(path):
    data = _plain(load_scenario(path).model_dump(mode="python"))
    assert plain_yaml.dump(data, width=100) == _pyyaml(data, width=100)


@pytest.mark.parametrize("options", [{}, {"default_flow_style": True, "width": 10**6}, {"default_flow_style": None},
                                     {"sort_keys": True}, {"allow_unicode": False}], ids=str)
def test_generated_plain_data_is_written_as_pyyaml_writes_it_and_reads_back(options):
    rng = random.Random(20261203)
    for _ in range(300):
        data = _random_plain(rng)
        text = plain_yaml.dump(data, **options)
        assert text == _pyyaml(data, **options), data
        if not _has_nan(data):
            assert read_yaml(text, "t.yaml")[1] == data, text


def _has_nan(data) -> bool:
    if isinstance(data, dict):
        return any(_has_nan(k) or _has_nan(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_nan(v) for v in data)
    return isinstance(data, float) and data != data
