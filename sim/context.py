"""What every service needs: the clock, the requests, the recorder."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field

import numpy as np
import simpy

from .calendar import Calendar
from .config import ACUTE_MAX_URGENCY, URGENCIES, Duration, ModalityDurations, Scenario
from .demand import SEH_REFERRAL, SERVICE, Requests
from .records import Recorder

TELEPHONE, CONSULT, VISIT = 0, 1, 2


@dataclass
class Context:
    env: simpy.Environment
    scenario: Scenario
    calendar: Calendar
    requests: Requests
    recorder: Recorder
    replication: int = 0
    urgency: list[int] = field(init=False)  # current urgency: first-line triage may lower it
    modality: list[int] = field(init=False)

    def __post_init__(self) -> None:
        # The event loop reads these per request: Python lists, not numpy (much faster
        # element access); column(slot) does the same for the uniform draws.
        self.urgency = self.requests.urgency.tolist()
        self.modality = self.requests.modality.tolist()
        self._columns: dict[int, list[float]] = {}
        shares = self.scenario.pressures.seh_referral
        self.seh_share = [0.0] + [shares[u] for u in URGENCIES]
        self.seh_u = self.column(SEH_REFERRAL)

    def column(self, slot: int) -> list[float]:
        """One uniform slot of every request, as a list."""
        if slot not in self._columns:
            self._columns[slot] = self.requests.u[:, slot].tolist()
        return self._columns[slot]

    def durations(self, spec: ModalityDurations, mask: np.ndarray | None = None, slot: int = SERVICE) -> np.ndarray:
        """Service time of each request at a service with these durations (CRN: each
        request's own uniform draw, mapped through the service's distribution); NaN for
        requests outside `mask`."""
        r = self.requests
        out = np.full(len(r), np.nan)
        idx = np.arange(len(r)) if mask is None else np.flatnonzero(mask)
        modality = r.modality[idx]
        for m, name in enumerate(("telephone", "consult", "visit")):
            sel = idx[modality == m]
            out[sel] = spec.of(name).ppf(r.u[sel, slot])
        return out

    def draw(self, spec: Duration, slot: int, mask: np.ndarray | None = None) -> np.ndarray:
        out = np.full(len(self.requests), np.nan)
        sel = slice(None) if mask is None else mask
        out[sel] = spec.ppf(self.requests.u[sel, slot])
        return out


def only(values: np.ndarray, mask: np.ndarray) -> dict[int, float]:
    """The values of the requests a service can see, by request index: each service keeps
    just its own requests, so memory and set-up stay linear in the number of requests."""
    idx = np.flatnonzero(mask)
    return dict(zip(idx.tolist(), values[idx].tolist()))


def physician_priority(urgency: int, modality: int) -> int:
    """Day-time physician queues: acute first, then telephone, then planned work."""
    if urgency <= ACUTE_MAX_URGENCY:
        return 0
    return 1 if modality == TELEPHONE else 2


def see_patient(ctx: Context, pool, req, i: int, enter: float, handler: int,
                travel: float, service: float) -> Generator:
    """Once a physician is free: travel out (visits), see the patient, travel back, then
    record the stage and close the request. Contact is on arrival at the patient; a share
    of contacts, by urgency, ends in a referral to the SEH."""
    env, rec = ctx.env, ctx.recorder
    start = env.now
    rec.contact(i, start + travel, True)  # physician contact
    yield 2 * travel + service
    pool.release(req)
    rec.stage(i, handler, pool.name, enter, start, env.now, env.now - start, contact=start + travel)
    rec.finish(i, start + travel + service, handler)
    if ctx.seh_u[i] < ctx.seh_share[ctx.urgency[i]]:
        rec.referred_seh[i] = True
