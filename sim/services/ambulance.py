"""112 and the ambulance (A1) for U1 requests.

NTS U1 is "ambulance (A1) and/or physician on site". When a U1 request reaches the service
that sends a physician (the practice, the behandeldienst, the HAP after the triagist's ABCD
check), or a first-line professional escalates it, 112 is called for the share its
population's dispatch names (scenario/ambulance.py: Plat 2018): the ambulance alone (the
physician does not go), or the ambulance beside the physician. The ambulance is not a queue
of ours: it is on site after a drawn response time (the A1 norm: 95% within 15 minutes). Its
arrival is a contact that meets the U1 norm (norms.py), so a U1 counts as in time when the
first of ambulance and physician is on site within 15 minutes. Nobody open to go to a U1
(an emptied shift, a closed service) also means 112: `instead`.
"""

from __future__ import annotations

from sim.engine.demand import AMBULANCE_DISPATCH, AMBULANCE_RESPONSE
from sim.engine.flow import Step
from sim.engine.pool import Pool
from sim.engine.records import AMBULANCE as AMBULANCE_CONTACT
from sim.scenario.ambulance import Ambulance
from sim.services.base import Builder, Context
from sim.services.registry import HANDLER_CODE, builds

AMBULANCE = HANDLER_CODE["ambulance"]
PHYSICIAN_ONLY, BOTH, ALONE = 0, 1, 2


class AmbulanceService:
    """112: decides per U1 request whether the ambulance goes (alone or beside the physician),
    and records its ride. No pool: the regional ambulance service is outside the model."""

    first_line = False
    pools: list[Pool] = []
    key = ("ambulance", "ambulance")

    def __init__(self, ctx: Context, cfg: Ambulance):
        self.ctx, self.cfg = ctx, cfg
        req = ctx.requests
        u1 = (req.urgency == 1).nonzero()[0]
        wlz = req.source[u1] >= 0
        u = req.u[u1, AMBULANCE_DISPATCH]
        alone = [cfg.u1_wlz.ambulance_only if w else cfg.u1_background.ambulance_only for w in wlz.tolist()]
        both = [cfg.u1_wlz.both if w else cfg.u1_background.both for w in wlz.tolist()]
        # per U1 request (asked with U1): what 112 sends, from its own draw (common random numbers)
        self.plan = {i: ALONE if x < a else BOTH if x < a + b else PHYSICIAN_ONLY
                     for i, x, a, b in zip(u1.tolist(), u.tolist(), alone, both)}
        self.response = dict(zip(u1.tolist(), cfg.response.ppf(req.u[u1, AMBULANCE_RESPONSE]).tolist()))
        self.sent: set[int] = set()

    def is_open(self) -> bool:
        return True  # 112 always answers

    def handle(self, i: int, step: int = 0) -> Step:
        """As a route step: the ambulance goes, and the request ends with it."""
        self.instead(i)
        return True
        yield  # a generator like every service's handle

    def _send(self, i: int) -> float:
        """The ambulance leaves now: its arrival is a contact that meets the norm."""
        ctx = self.ctx
        now = ctx.env.now
        on_site = now + self._response(i)
        self.sent.add(i)
        ctx.recorder.contact(i, on_site, AMBULANCE_CONTACT, True)
        ctx.recorder.stage(i, AMBULANCE, "ambulance", now, now, now, on_site, 0.0, contact=on_site)
        return on_site

    def _response(self, i: int) -> float:
        t = self.response.get(i)
        if t is None:  # a request that was not asked as U1 (not in the plan): its own draw all the same
            t = self.response[i] = float(self.cfg.response.ppf(self.ctx.requests.u[i, AMBULANCE_RESPONSE]))
        return t

    def dispatch(self, i: int) -> bool:
        plan = self.plan.get(i, PHYSICIAN_ONLY)
        if plan == PHYSICIAN_ONLY or i in self.sent:
            return True
        on_site = self._send(i)
        if plan == BOTH:
            return True
        self._close(i, on_site)
        return False

    def instead(self, i: int) -> None:
        on_site = self._send(i) if i not in self.sent else self.ctx.env.now
        self._close(i, on_site)

    def _close(self, i: int, on_site: float) -> None:
        rec = self.ctx.recorder
        rec.finish(i, on_site, AMBULANCE)
        rec.referred_seh[i] = True  # [assumption] an A1 ride ends at the SEH


@builds("ambulance")
def build(b: Builder, cfg: Ambulance) -> AmbulanceService:
    return AmbulanceService(b.ctx, cfg)
