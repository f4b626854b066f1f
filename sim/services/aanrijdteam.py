"""Verpleegkundig aanrijdteam (F): a regional team of nurses with cars, 24/7, that drives
to the location for unplanned care (travel time from the location's data), settles most
of it on site and passes the rest on by phone at the end of the time on site (the next
service takes over while she drives back). Target: on location within 30 minutes (seed
003); the share that makes it is reported per team."""

from __future__ import annotations

from collections.abc import Sequence

from sim.engine.records import NURSE
from sim.engine.roster import StepFunction
from sim.scenario.arrangements import Aanrijdteam
from sim.services.base import Builder, Context
from sim.services.eerstelijn import FirstLineService
from sim.services.registry import builds


class AanrijdteamService(FirstLineService):
    """A nurse who drives out: on site after the location's travel time, most urgent first."""

    contact_kind = NURSE  # on site

    def __init__(self, ctx: Context, cfg: Aanrijdteam, duty: StepFunction, travel_min: Sequence[float]):
        super().__init__(ctx, cfg, "aanrijdteam", duty)
        self.travel_min = travel_min  # per request (shared list)
        self.extras[self.pool.name]["target_min"] = cfg.target_min  # KPI: on location within it

    def priority(self, i: int) -> int:
        return int(self.ctx.urgency[i])

    def travel(self, i: int) -> float:
        return self.travel_min[i]


@builds("aanrijdteam")
def build(b: Builder, cfg: Aanrijdteam) -> AanrijdteamService:
    return AanrijdteamService(b.ctx, cfg, b.duty(cfg.id, cfg.roster), b.travel("aanrijdteam"))
