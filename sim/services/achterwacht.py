"""Digital achterwacht (E): AVG, SO or psychiatrist answer escalations from the triage
line by video or phone, with their own queue and response time; only what needs a
physician on site goes on. Contact with them is physician contact, but not on site: it
meets the norm of U3-U5 and of telephone requests, not that of a U1-U2 visit (norms.py)."""

from __future__ import annotations

from sim.engine.records import DIGITAL_PHYSICIAN
from sim.engine.roster import StepFunction
from sim.scenario.arrangements import Achterwacht
from sim.services.base import Builder, Context
from sim.services.eerstelijn import FirstLineService
from sim.services.registry import builds


class AchterwachtService(FirstLineService):
    """A physician by video or phone behind a triage line; the most urgent first."""

    contact_kind = DIGITAL_PHYSICIAN

    def __init__(self, ctx: Context, cfg: Achterwacht, duty: StepFunction):
        super().__init__(ctx, cfg, cfg.discipline, duty)

    def priority(self, i: int) -> int:
        return int(self.ctx.urgency[i])


@builds("achterwacht")
def build(b: Builder, cfg: Achterwacht) -> AchterwachtService:
    return AchterwachtService(b.ctx, cfg, b.duty(cfg.id, cfg.roster))
