"""112 and the ambulance (A1) in a scenario: which share of U1 requests gets an ambulance,
instead of or beside the physician, and how long the ambulance takes to be on site.

NTS U1 is "ambulance (A1) and/or physician on site". Of 1,081 U1 calls to a Dutch GP
out-of-hours cooperative, 37% got a GP visit only, 53% an ambulance only and 10% both
(Plat et al., Fam Pract 2018; docs/sources.md). Who calls 112 and when is a service rule
(sim/services/ambulance.py); this is what a scenario file says about it.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator

from sim.scenario.schema import Duration, Name, ServiceSchema, Share, Strict

# Plat et al. 2018: 401 GP visits, 570 ambulance responses, 110 both, of 1,081 U1 calls.
PLAT_AMBULANCE_ONLY = 570 / 1081
PLAT_BOTH = 110 / 1081


class U1Dispatch(Strict):
    """How U1 requests of one population are answered on site: by the ambulance alone, by
    the ambulance and the physician together, or (the rest) by the physician alone."""

    ambulance_only: Share = Field(round(PLAT_AMBULANCE_ONLY, 4), description="share of U1 requests that get an "
                                  "ambulance and no physician visit [lit: Plat 2018, 53%]")
    both: Share = Field(round(PLAT_BOTH, 4), description="share of U1 requests that get an ambulance and a "
                        "physician visit at the same time [lit: Plat 2018, 10%]")

    @model_validator(mode="after")
    def _at_most_one(self) -> "U1Dispatch":
        if self.ambulance_only + self.both > 1 + 1e-9:
            raise ValueError(f"ambulance_only + both is at most 1 (got {self.ambulance_only + self.both:g}); the rest "
                             "gets the physician alone")
        return self

    @property
    def physician_only(self) -> float:
        return max(0.0, 1.0 - self.ambulance_only - self.both)


class Ambulance(ServiceSchema):
    """112 and the A1 ambulance for U1 requests: not a queue of ours (the regional ambulance
    service is outside the model), a response time drawn per ride."""

    first_line: ClassVar[bool] = False
    category: ClassVar[str] = "ambulance"
    labels: ClassVar[dict[str, tuple[str, str]]] = {"ambulance": ("ambulance (A1)", "ambulance (A1)")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"ambulance": ("the ambulance (A1)", "de ambulance (A1)")}

    def assumptions(self) -> list[tuple[str, str]]:
        w, b = self.u1_wlz, self.u1_background
        return [(f"U1: ambulance only / ambulance and physician: Wlz clients {w.ambulance_only:.0%} / {w.both:.0%} "
                 f"[assumption: as the general population], general population {b.ambulance_only:.0%} / {b.both:.0%} "
                 f"[lit: Plat 2018]; the ambulance is on site after {self.response.mean:g} min on average "
                 "(95% within 15 min) [lit: A1 norm]",
                 f"U1: alleen ambulance / ambulance en arts: Wlz-cliënten {w.ambulance_only:.0%} / {w.both:.0%} "
                 f"[aanname: als de algemene bevolking], algemene bevolking {b.ambulance_only:.0%} / {b.both:.0%} "
                 f"[lit: Plat 2018]; de ambulance is gemiddeld na {self.response.mean:g} min ter plaatse "
                 "(95% binnen 15 min) [lit: A1-norm]")]

    name: Name = "Ambulance (A1)"
    response: Duration = Field(
        default_factory=lambda: Duration(mean=9, cv=0.35),
        description="[lit] from the 112 call to the ambulance on site; lognormal mean 9 min, CV 0.35: 95% within "
        "15 min, the A1 norm (BVA/AZN 2003)")
    u1_wlz: U1Dispatch = Field(
        default_factory=U1Dispatch,
        description="Wlz clients' U1 requests [assumption: as the general population (Plat 2018); no figure for "
        "care locations]")
    u1_background: U1Dispatch = Field(
        default_factory=U1Dispatch, description="the HAP's general population [lit: Plat 2018]")
