"""What every service process needs: the clock, the requests, the recorder."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy

from .calendar import Calendar
from .config import ACUTE_MAX_URGENCY, Duration, ModalityDurations, Scenario
from .demand import Requests
from .records import Recorder

TELEPHONE, CONSULT, VISIT = 0, 1, 2


@dataclass
class Context:
    env: simpy.Environment
    scenario: Scenario
    calendar: Calendar
    requests: Requests
    recorder: Recorder

    def durations(self, spec: ModalityDurations, mask: np.ndarray | None = None) -> np.ndarray:
        """Service time of each request at a service with these durations (CRN: each
        request's own uniform draw, mapped through the service's distribution)."""
        r = self.requests
        out = np.full(len(r), np.nan)
        for m, name in enumerate(("telephone", "consult", "visit")):
            sel = r.modality == m if mask is None else (r.modality == m) & mask
            out[sel] = spec.of(name).ppf(r.u_service[sel])
        return out

    def draw(self, spec: Duration, uniforms: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        out = np.full(len(uniforms), np.nan)
        sel = slice(None) if mask is None else mask
        out[sel] = spec.ppf(uniforms[sel])
        return out


def physician_priority(urgency: int, modality: int) -> int:
    """Day-time physician queues: acute first, then telephone, then planned work."""
    if urgency <= ACUTE_MAX_URGENCY:
        return 0
    return 1 if modality == TELEPHONE else 2


def see_patient(ctx: Context, pool, req, i: int, enter: float, handler: int,
                travel: float, service: float) -> Generator:
    """Once a professional is free: travel out (visits), see the patient, travel back,
    then record the stage and close the request. Contact is on arrival at the patient."""
    env, rec = ctx.env, ctx.recorder
    start = env.now
    rec.contact(i, start + travel, physician=True)
    yield env.timeout(2 * travel + service)
    pool.release(req)
    rec.stage(i, handler, pool.name, enter, start, env.now, env.now - start)
    rec.finish(i, start + travel + service, handler)
