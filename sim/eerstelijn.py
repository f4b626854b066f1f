"""What every first-line block shares (voorwacht, triage, behandelteam, achterwacht,
aanrijdteam): a rostered pool that answers a request, settles a share of it by urgency,
and passes the rest on, possibly one urgency level lower.

Each first-line step of a route uses its own uniform slots (demand.FILTER_RESOLVE and
FILTER_DURATION), so its decisions do not disturb the random numbers of the services
behind it: the physician a passed-on request reaches sees it for the same time as in the
baseline.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from .config import URGENCIES
from .context import Context
from .demand import DOWNGRADE, FILTER_DURATION, FILTER_RESOLVE
from .pool import Pool
from .records import HANDLER_CODE
from .roster import StepFunction

RESOLVED, PASSED_ON = 2, 3  # records.STAGE_OUTCOMES
URGENT_LINE_MAX = 2  # U1-U2 are answered first


class FirstLineService:
    is_filter = True
    physician = False  # does contact with this service count as physician contact?

    def __init__(self, ctx: Context, cfg, handler: str, capacity: StepFunction):
        self.ctx = ctx
        self.cfg = cfg
        self.handler = HANDLER_CODE[handler]
        self.pool = Pool(ctx.env, cfg.id, capacity)
        self.resolve_share = [0.0] + [cfg.resolves[u] for u in URGENCIES]
        self._times: dict[int, np.ndarray] = {}

    @property
    def pools(self) -> list[Pool]:
        return [self.pool]

    def priority(self, i: int) -> int:
        return 0 if self.ctx.urgency[i] <= URGENT_LINE_MAX else 1

    def travel(self, i: int) -> float:
        return 0.0

    def service_time(self, i: int, slot: int) -> float:
        if slot not in self._times:  # vectorised once per slot, for all requests
            self._times[slot] = self.cfg.duration.ppf(self.ctx.requests.u[:, slot]).tolist()
        return self._times[slot][i]

    def handle(self, i: int, k: int) -> Generator:
        """Serve request i as the k-th first-line step of its route; True if resolved."""
        ctx, env, rec = self.ctx, self.ctx.env, self.ctx.recorder
        enter = env.now
        req = self.pool.request(self.priority(i))
        yield req
        start = env.now
        travel = self.travel(i)
        rec.contact(i, start + travel, self.physician)
        service = self.service_time(i, FILTER_DURATION[k])
        yield 2 * travel + service
        self.pool.release(req)
        resolved = ctx.column(FILTER_RESOLVE[k])[i] < self.resolve_share[ctx.urgency[i]]
        rec.stage(i, self.handler, self.pool.name, enter, start, env.now, env.now - start,
                  RESOLVED if resolved else PASSED_ON, contact=start + travel)
        if resolved:
            rec.finish(i, start + travel + service, self.handler)
        elif ctx.urgency[i] < 5 and ctx.column(DOWNGRADE)[i] < self.cfg.downgrade_share:
            ctx.urgency[i] += 1
        return resolved
