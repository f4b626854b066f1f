"""SEH / ambulance: where U1 goes when a route sends it there. 112 sends an ambulance;
it is not a queue of ours, so the model counts the requests and draws the ambulance's
response time (A1 norm: on site within 15 minutes in 95%)."""

from __future__ import annotations

from collections.abc import Generator

from sim.engine.demand import TRAVEL
from sim.engine.pool import Pool
from sim.engine.records import AMBULANCE
from sim.scenario.arrangements import Seh
from sim.services.base import Builder, Context, doubles
from sim.services.registry import HANDLER_CODE, builds

SEH = HANDLER_CODE["seh"]


class SehService:
    """112 and the ambulance: no queue of ours; the ambulance is on site after a drawn time."""

    first_line = False
    pools: list[Pool] = []

    def is_open(self) -> bool:
        return True  # 112 always answers

    def __init__(self, ctx: Context, cfg: Seh):
        self.ctx = ctx
        self.cfg = cfg
        self.key = ("service", cfg.id)
        self.response = doubles(ctx.draw(cfg.response, TRAVEL))

    def handle(self, i: int, step: int = 0) -> Generator[object, object, bool]:
        """The ambulance is on site after its drawn response time: contact, referral, done."""
        ctx = self.ctx
        now = ctx.env.now
        on_site = now + self.response[i]
        ctx.recorder.contact(i, on_site, AMBULANCE, True)  # not a physician, but it meets the norm
        ctx.recorder.stage(i, SEH, self.cfg.id, now, now, now, on_site, 0.0, contact=on_site)
        ctx.recorder.finish(i, on_site, SEH)
        ctx.recorder.referred_seh[i] = True
        return True
        yield  # a generator like every service's handle; nothing to wait for


@builds("seh")
def build(b: Builder, cfg: Seh) -> SehService:
    return SehService(b.ctx, cfg)
