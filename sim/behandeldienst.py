"""The provider's own SO or AVG for locations met behandeling, day and ANW.

Clients of a location met behandeling are on no GP's list: the provider's physicians
(behandeldienst) are their doctor around the clock, with an on-call physician in ANW
hours (seed 001). Acute first, then telephone, then planned work.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from .config import Behandeldienst
from .context import VISIT, Context, physician_priority, see_patient
from .pool import Pool
from .records import HANDLER_CODE
from .roster import available


class BehandeldienstService:
    def __init__(self, ctx: Context, cfg: Behandeldienst, travel_min: np.ndarray, durations: np.ndarray):
        self.ctx = ctx
        self.cfg = cfg
        self.handler = HANDLER_CODE[cfg.discipline]
        self.capacity = available(cfg.roster, ctx.calendar, cfg.regular_load, cfg.regular_cycle_min)
        self.pool = Pool(ctx.env, cfg.id, self.capacity)
        self.travel = travel_min
        self.dur = durations

    def handle(self, i: int) -> Generator:
        ctx, env, r = self.ctx, self.ctx.env, self.ctx.requests
        urgency, modality = int(r.urgency[i]), int(r.modality[i])
        enter = env.now
        req = self.pool.request(physician_priority(urgency, modality))
        yield req
        travel = float(self.travel[i]) if modality == VISIT else 0.0
        yield from see_patient(ctx, self.pool, req, i, enter, self.handler, travel, float(self.dur[i]))
