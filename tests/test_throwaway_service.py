"""A kind of service added from outside the package, in this file only: a schema class and
its module (the service and its builder), registered with services.registry.register_service.
It runs end to end through the command line, and shows in the requests and resources
tables, in the KPIs and in the report, without any other file knowing it. Taken out again
afterwards, so no other test sees it (docs/services.md)."""

from __future__ import annotations

import json
from typing import ClassVar, Literal

import pandas as pd
import pytest
from pydantic import Field

from sim.cli import main
from sim.engine.records import NURSE
from sim.engine.roster import StepFunction
from sim.scenario.arrangements import FirstLineBlock
from sim.scenario.config import SERVICE_SCHEMAS, Scenario
from sim.scenario.schema import ByUrgency, Duration
from sim.services import registry
from sim.services.base import Builder, Context
from sim.services.eerstelijn import FirstLineService


# ---------------------------------------------------------------- the schema class
class Nachtzuster(FirstLineBlock):
    """A regional night nurse who drives out to the locations outside office hours."""

    labels: ClassVar[dict[str, tuple[str, str]]] = {"nachtzuster": ("regional night nurse", "regionale nachtzuster")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"nachtzuster": ("the night nurse", "de nachtzuster")}

    type: Literal["nachtzuster"] = "nachtzuster"
    resolves: ByUrgency = Field(default_factory=lambda: {"U1": 0.0, "U2": 0.2, "U3": 0.5, "U4": 0.7, "U5": 0.8})
    duration: Duration = Field(default_factory=lambda: Duration(mean=25, cv=0.5), description="time on site")


# ---------------------------------------------------------------- the module
class NachtzusterService(FirstLineService):
    contact_kind = NURSE  # on site

    def __init__(self, ctx: Context, cfg: Nachtzuster, duty: StepFunction, travel_min: list[float]):
        super().__init__(ctx, cfg, "nachtzuster", duty)
        self.travel_min = travel_min
        self.extras[self.pool.name]["target_min"] = 30.0

    def priority(self, i: int) -> int:
        return int(self.ctx.urgency[i])

    def travel(self, i: int) -> float:
        return self.travel_min[i]


def build(b: Builder, cfg: Nachtzuster) -> NachtzusterService:
    return NachtzusterService(b.ctx, cfg, b.duty(cfg.id, cfg.roster), b.travel("nachtzuster"))


SCENARIO = """\
scenario: nachtzuster
region: {name: Nacht, inhabitants: 20000, weeks: 3, warmup_weeks: 0, seed: 5}
practices: [{id: P1}]
locations:
  - {id: L1, kind: kleinschalig, sector: VV, residents: 200, practice: P1, travel_min: {nachtzuster: 12}}
services:
  - id: NZ
    type: nachtzuster
    roster: [{days: [mon, tue, wed, thu, fri, sat, sun, holiday], start: "08:00", end: "08:00", count: 1}]
routes:
  - {match: {period: [anw]}, steps: [NZ, hap]}
"""


@pytest.fixture
def registered():
    remove = registry.register_service(Nachtzuster, build)
    yield
    remove()
    assert "nachtzuster" not in SERVICE_SCHEMAS and "nachtzuster" not in registry.HANDLERS
    with pytest.raises(Exception, match="nachtzuster"):
        Scenario.model_validate({"region": {"inhabitants": 1}, "services": [{"id": "X", "type": "nachtzuster"}]})


def test_a_throwaway_service_runs_and_shows_everywhere(registered, tmp_path, capsys):
    path = tmp_path / "nacht.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "-q", "-w", "1", "--lang", "nl"]) == 0
    (folder,) = (tmp_path / "out").iterdir()
    requests = pd.read_parquet(folder / "requests.parquet")
    resources = pd.read_parquet(folder / "resources.parquet")
    kpis = json.loads((folder / "summary.json").read_text())["kpis"]
    mine = requests[requests["handled_by"] == "nachtzuster"]
    assert len(mine) > 10 and (mine["period"] != "office").all()  # it settles ANW requests itself
    row = resources[resources["pool"] == "NZ"].iloc[0]
    assert (row["kind"], row["category"], bool(row["first_line"]), row["target_min"]) == ("nachtzuster", "nurse", True, 30.0)
    assert kpis["service.NZ.handled_per_week"]["mean"] > 0 and "service.NZ.within_target" in kpis
    assert kpis["hours.nachtzuster_per_week"]["mean"] > 0
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert "regionale nachtzuster NZ" in report
