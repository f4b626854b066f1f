"""Digital achterwacht (E): AVG, SO or psychiatrist answer escalations from the triage
line by video or phone, with their own queue and response time; only what needs a
physician on site goes on. Contact with them is physician contact."""

from __future__ import annotations

from .arrangements import Achterwacht
from .context import Context
from .eerstelijn import FirstLineService
from .roster import StepFunction


class AchterwachtService(FirstLineService):
    physician = True

    def __init__(self, ctx: Context, cfg: Achterwacht, capacity: StepFunction):
        super().__init__(ctx, cfg, cfg.discipline, capacity)

    def priority(self, i: int) -> int:
        return int(self.ctx.urgency[i])
