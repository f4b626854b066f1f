"""Compact behandelteam (D, Noord-Holland Noord): a VS employed by the provider is first
contact and coordinator by day, settles part of the questions, passes the rest on (to an
SO on consult basis or the GP as regiebehandelaar, as the route says). Weekly rounds and
advance care planning are planned VS time; the proactive care they bring prevents a share
of acute and ANW requests (removed before the run, from the same random numbers).
Daytime only: routes send ANW requests to the HAP as usual."""

from __future__ import annotations

import numpy as np

from sim.engine.calendar import OFFICE
from sim.engine.demand import PREVENT, Requests
from sim.engine.records import NURSE
from sim.engine.roster import FreeTime, StepFunction
from sim.scenario.arrangements import Behandelteam
from sim.scenario.schema import ACUTE_MAX_URGENCY
from sim.services.base import Builder, Context, doubles, per_request, physician_priority
from sim.services.eerstelijn import FirstLineService
from sim.services.registry import builds, changes_demand
from sim.units import MIN_PER_WEEK


class BehandelteamService(FirstLineService):
    """The VS: first contact at the location (not on a phone line), urgent work first; her
    rounds take a share of her time (free time as for a GP, roster.FreeTime)."""

    contact_kind = NURSE

    def __init__(self, ctx: Context, cfg: Behandelteam, duty: StepFunction, free: FreeTime | None,
                 planned_hours: float = 0.0):
        super().__init__(ctx, cfg, "vs", duty, free)
        self.durations = doubles(ctx.durations(cfg.durations))
        self.extras[self.pool.name]["planned_hours"] = planned_hours  # KPI: rounds on top of the requests

    def priority(self, i: int) -> int:
        return physician_priority(self.ctx.urgency[i], self.ctx.modality[i])

    def service_time(self, i: int, slot: int) -> float:
        return self.durations[i]


@changes_demand("behandelteam")
def prevent(req: Requests, period: np.ndarray, teams: list[list[Behandelteam]]) -> np.ndarray:
    """The requests a location's behandelteams prevent (the strongest team of its routes):
    the demand hook the region calls before any request arrives."""
    acute = [max((t.prevents_acute for t in ts), default=0.0) for ts in teams]
    anw = [max((t.prevents_anw for t in ts), default=0.0) for ts in teams]
    return prevented(req, period, per_request(acute, req, 0.0), per_request(anw, req, 0.0))


def prevented(req: Requests, period: np.ndarray, prevents_acute: np.ndarray, prevents_anw: np.ndarray) -> np.ndarray:
    """Which requests proactive care prevents; shares given per request (0 where the
    location has no behandelteam). Acute and ANW effects combine independently."""
    acute = req.urgency <= ACUTE_MAX_URGENCY
    anw = period != OFFICE
    keep_chance = (1 - prevents_acute * acute) * (1 - prevents_anw * anw)
    out: np.ndarray = req.u[:, PREVENT] >= keep_chance
    return out


def rounds_load(cfg: Behandelteam, residents: int, rostered_hours_per_week: float) -> float:
    """Share of the VS's rostered time that weekly rounds take (at most 0.95)."""
    if rostered_hours_per_week <= 0:
        return 0.0
    return min(0.95, cfg.rounds_min_per_resident_week * residents / 60 / rostered_hours_per_week)


@builds("behandelteam")
def build(b: Builder, cfg: Behandelteam) -> BehandelteamService:
    """The VS team: rounds for the residents its routes reach take a share of its time."""
    duty = b.duty(cfg.id, cfg.roster)
    residents = b.residents(("service", cfg.id))
    horizon = b.ctx.calendar.horizon_min
    rostered = duty.integral(0, horizon) / 60 / (horizon / MIN_PER_WEEK)
    free = b.free(duty, rounds_load(cfg, residents, rostered))
    return BehandelteamService(b.ctx, cfg, duty, free, cfg.rounds_min_per_resident_week * residents / 60)
