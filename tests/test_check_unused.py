"""`check` judges "unused" on the requests the scenario expects, not on its 4-week pilot: a
practice with 0.9 requests a week sees none in a pilot now and then (seed 94 below), yet
gets about 48 over the scenario's year. The expectation itself is checked against a full
run, as an outsider would: the practice's stage rows per measured week."""

from __future__ import annotations

import pytest

from sim.analysis.check import check, pilot
from sim.analysis.expected import expected_requests
from sim.analysis.tables import tables_of
from sim.present.printed import check_text
from sim.scenario.loading import load_scenario
from sim.services.region import simulate

from .conftest import ROOT

SMALL = """\
extends: {baseline}
scenario: kleine_praktijk
region: {{seed: 94}}
practices:
  - {{id: P1, name: Huisartsenpraktijk De Linde, roster: [{{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 1}}]}}
  - {{id: P9, name: Praktijk Klein, roster: [{{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 1}}]}}
locations:
  - {{id: L01, name: Het Anker, kind: kleinschalig, sector: VV, residents: 20, practice: P1}}
  - {{id: L02, name: Hofje, kind: kleinschalig, sector: VV, residents: 6, practice: P9}}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("check") / "klein.yaml"
    path.write_text(SMALL.format(baseline=ROOT / "configs" / "baseline.yaml"), encoding="utf-8")
    sc = load_scenario(path)
    return sc, check(tables_of(simulate(pilot(sc), 0))[0], sc)


def test_a_practice_idle_in_the_pilot_is_rare_not_unused(small):
    sc, rows = small
    p9 = next(r for r in rows if r["service"] == "P9")
    assert p9["entries"] == 0  # the premise: this pilot gave the small practice nothing
    assert p9["flag"] == "rare"  # the old rule called it "unused"
    assert p9["weeks"] == 52 and 0.8 < p9["expected_per_week"] < 1.1 and p9["expected"] > 40
    # a service no route reaches is still unused: no location here is met behandeling
    assert next(r for r in rows if r["service"] == "BD-VV")["flag"] == "unused"
    nl, en = check_text(sc, rows, "nl"), check_text(sc, rows, "en")
    assert "Praktijk Klein (P9): zelden, niet ongebruikt: 0 zorgvragen in de proefrun van 4 weken, maar ongeveer " \
           "49 verwacht over de 52 weken van het scenario (0,9 per week)" in nl
    assert "Praktijk Klein (P9): rare, not unused: 0 requests in the 4-week pilot, but about 49 expected over the " \
           "scenario's 52 weeks (0.9 a week)" in en
    assert "ongebruikt: geen zorgvragen in de proefrun en minder dan 1 verwacht" in nl


@pytest.mark.slow  # six 26-week runs, about 4 s
def test_the_expectation_matches_full_runs(small):
    """Per practice: the requests reaching it in the measured weeks of 26-week runs (six
    replications: a home of 6 residents varies much from one to the next), against the rate."""
    import pandas as pd
    sc, _ = small
    sc = sc.model_copy(update={"region": sc.region.model_copy(update={"weeks": 26})})
    expected = expected_requests(sc)
    w0 = pd.Timestamp(sc.region.start) + pd.Timedelta(weeks=sc.region.warmup_weeks)
    seen = {"P1": 0, "P9": 0}
    for replication in range(6):
        st = tables_of(simulate(sc, replication))[0].stages
        for practice in seen:
            seen[practice] += st[(st["resource"] == practice) & (st["ready"] >= w0)]["request_id"].nunique() / 6
    for practice, n in seen.items():
        assert n == pytest.approx(expected[practice], rel=0.2), (practice, n, expected[practice])
