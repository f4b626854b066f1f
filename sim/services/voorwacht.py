"""Medisch-verpleegkundige voorwacht (C) and triage by delegated professionals (B), and
the regional 24/7 triage line of E (DigiContact): a nurse answers first, settles what she
can and passes the rest to the physician the route names next. Urgent callers (U1-U2)
are answered first; answer times are checked against the phone-answer norms (docs/model.md)."""

from __future__ import annotations

from sim.engine.roster import StepFunction
from sim.scenario.arrangements import RegionaleTriage, Voorwacht
from sim.services.base import Builder, Context
from sim.services.eerstelijn import FirstLineService
from sim.services.registry import builds


class VoorwachtService(FirstLineService):
    """A nurse on the phone line (voorwacht, delegated triage, regional triage)."""

    def __init__(self, ctx: Context, cfg: Voorwacht | RegionaleTriage, duty: StepFunction):
        super().__init__(ctx, cfg, "voorwacht" if cfg.type == "voorwacht" else "triage", duty)


@builds("voorwacht", "triage", "regionale_triage")
def build(b: Builder, cfg: Voorwacht | RegionaleTriage) -> VoorwachtService:
    return VoorwachtService(b.ctx, cfg, b.duty(cfg.id, cfg.roster))
