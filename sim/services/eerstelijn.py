"""What every first-line block shares (voorwacht, triage, behandelteam, achterwacht,
aanrijdteam): a rostered pool that answers a request, settles a share of it by urgency,
and passes the rest on, possibly one urgency level lower.

Urgent work is escalated during the contact, not after it (NTS: the ABCD check comes
first): a request of an urgency the block `escalates` (U1-U2 by default) that it does not
settle goes on to the next step after `escalation_min`, while the professional stays on the
line (or, for the aanrijdteam, still drives out and stays on site) for the rest of her
contact. Care staff may also pass the block by for a share of requests (`bypass`: 112 or
the physician called directly). A professional who travels to the patient (aanrijdteam)
passes other requests on by phone at the end of the time on site and drives back while the
next service takes over. Each
first-line step of a route uses its own uniform slots (demand.FILTER_RESOLVE and
FILTER_DURATION), so its decisions do not disturb the random numbers of the services
behind it: the physician a passed-on request reaches sees it for the same time as in the
baseline.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from sim.engine.demand import BYPASS, DOWNGRADE, FILTER_DURATION, FILTER_RESOLVE
from sim.engine.pool import Pool
from sim.engine.records import PASSED_ON, PHONE_LINE, RESOLVED
from sim.engine.roster import FreeTime, StepFunction
from sim.scenario.schema import URGENCIES, URGENT_MAX_URGENCY
from sim.services.base import Context, claim_or_cover, doubles, moves_at_close, need, release_later
from sim.services.registry import HANDLER_CODE


class FirstLineService:
    """A first-line block: one pool that answers, settles a share by urgency and passes the
    rest on. Subclasses say who answers (`contact_kind`), their queue priority, travel and
    time per contact."""

    first_line = True
    contact_kind = PHONE_LINE  # who answers: a nurse on the phone line unless a block says otherwise

    def __init__(self, ctx: Context, cfg: Any, handler: str, duty: StepFunction, free: FreeTime | None = None):
        self.ctx = ctx
        self.cfg = cfg
        self.key = ("service", cfg.id)
        self.handler = HANDLER_CODE[handler]
        self.pool = Pool(ctx.env, cfg.id, duty, self.handler, free)
        self.pool.moves_at_close = moves_at_close(ctx, self.pool, self.key, True)
        # what the KPIs measure this pool by besides its load (services/region.py, engine/run.PoolRole)
        self.extras: dict[str, dict[str, Any]] = {self.pool.name: {"phone_line": self.contact_kind == PHONE_LINE}}
        self.resolve_share = [0.0] + [cfg.resolves[u] for u in URGENCIES]
        self.bypass_share = [0.0] + [cfg.bypass[u] for u in URGENCIES]
        self.escalates = frozenset(URGENCIES.index(u) + 1 for u in cfg.escalates)
        self.escalation_min = cfg.escalation_min
        self._times: dict[int, Sequence[float]] = {}

    @property
    def pools(self) -> list[Pool]:
        return [self.pool]

    def is_open(self) -> bool:
        return self.pool.is_open()

    def priority(self, i: int) -> int:
        return 0 if self.ctx.urgency[i] <= URGENT_MAX_URGENCY else 1

    def travel(self, i: int) -> float:
        return 0.0

    def service_time(self, i: int, slot: int) -> float:
        if slot not in self._times:  # vectorised once per slot, for all requests
            self._times[slot] = doubles(self.cfg.duration.ppf(self.ctx.requests.u[:, slot]))
        return self._times[slot][i]

    def handle(self, i: int, k: int = 0) -> Generator[object, object, bool]:
        """Serve request i as the k-th first-line step of its route; True if the walk ends
        here (settled, or handed over because the block was closed)."""
        ctx, env, rec = self.ctx, self.ctx.env, self.ctx.recorder
        urgency = ctx.urgency[i]
        if self.bypass_share[urgency] > 0 and ctx.column(BYPASS)[i] < self.bypass_share[urgency]:
            return False  # care staff called the next step directly
        travel = self.travel(i)
        service = self.service_time(i, FILTER_DURATION[k])
        hold = 2 * travel + service
        claim = yield from claim_or_cover(ctx, self.pool, self.key, i, env.now, self.priority(i),
                                          need(self.pool, urgency, hold))
        if claim is None:
            return True
        start = env.now
        urgency = ctx.urgency[i]
        resolved: bool = ctx.column(FILTER_RESOLVE[k])[i] < self.resolve_share[urgency]
        claim.contact = start + travel
        rec.contact(i, start + travel, self.contact_kind, ctx.meets_norm(i, self.contact_kind, resolved))
        preempt = claim.need <= 0.0 and self.pool.free is not None
        if not resolved and urgency in self.escalates:  # the ABCD check, then on at once
            check = min(self.escalation_min, hold)
            yield check
            rec.stage(i, self.handler, self.pool.name, claim.enter, claim.ready, start, start + hold, hold, PASSED_ON,
                      contact=start + travel, preempt=preempt)
            release_later(env, self.pool, claim, hold - check)  # she stays on the line / on site
            ctx.escalated[i] = 1
            return False
        yield travel + service
        rec.stage(i, self.handler, self.pool.name, claim.enter, claim.ready, start, start + hold, hold,
                  RESOLVED if resolved else PASSED_ON, contact=start + travel, preempt=preempt)
        release_later(env, self.pool, claim, travel)  # drives back (if she drove) while the request goes on
        if resolved:
            rec.finish(i, start + travel + service, self.handler)
        elif ctx.urgency[i] < 5 and ctx.column(DOWNGRADE)[i] < self.cfg.downgrade_share:
            ctx.urgency[i] += 1
        return resolved

