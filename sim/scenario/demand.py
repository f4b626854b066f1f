"""What Wlz care locations ask of a physician: the rate per resident, frailty, the urgency and
modality mix and the hour-of-week profile. Defaults as in config.py: [seed NNN], [lit] or
[assumption], listed in docs/sources.md."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from sim.scenario.schema import (
    KINDS,
    MAX_RATE,
    MODALITIES,
    SECTORS,
    URGENCIES,
    HourProfile,
    Share,
    Strict,
    UrgencyMix,
    _full_mix,
    _shares,
)

# Wlz location demand: office hours dominate (care staff call the practice by day); the
# weekend shape is scaled so Saturday+Sunday hold exactly 9% of the week [seed 000].
WLZ_WEEKDAY = [0.15, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 3.0, 4.0, 4.0, 3.5,
               2.5, 3.0, 3.0, 2.5, 2.0, 0.8, 0.6, 0.5, 0.4, 0.35, 0.3, 0.2]  # fmt: skip
WLZ_WEEKEND = [0.1588, 0.1058, 0.1058, 0.1058, 0.1058, 0.1058, 0.1588, 0.2646,
               0.5292, 0.7409, 0.7409, 0.6351, 0.5292, 0.5292, 0.5292, 0.4763,
               0.4234, 0.3705, 0.3175, 0.2646, 0.2117, 0.1852, 0.1588, 0.1588]  # fmt: skip
# Requests per resident per week; the bound's reason is at MAX_RATE.
Rate = Annotated[float, Field(gt=0, le=MAX_RATE)]


def _modality_by_urgency() -> dict[Any, dict[Any, float]]:
    """The default modality mix per urgency (LocationDemand.modality_mix)."""
    return {
        "U1": _shares(telephone=0.0, consult=0.0, visit=1.0),
        "U2": _shares(telephone=0.2, consult=0.1, visit=0.7),
        "U3": _shares(telephone=0.45, consult=0.15, visit=0.4),
        "U4": _shares(telephone=0.55, consult=0.15, visit=0.3),
        "U5": _shares(telephone=0.6679, consult=0.14, visit=0.1921),
    }


class LocationDemand(Strict):
    """Care requests from Wlz care locations to a physician (GP, HAP, SO, AVG)."""

    rate_per_resident_week: dict[Literal["kleinschalig", "verpleeghuis", "geclusterd", "thuis"], Rate] = Field(
        default_factory=lambda: {k: 4.1 / 20 for k in KINDS},
        description="[seed 000] 4.1 GP consults/week for a location of ~20 residents "
        "(Het Gastenhuis, kleinschalig VV); other kinds [assumption] the same until a "
        f"region's own data says otherwise; at most {MAX_RATE:g}",
    )
    sector_factor: dict[Literal["VV", "GHZ", "GGZ"], Annotated[float, Field(gt=0, le=100)]] = Field(
        default_factory=lambda: {s: 1.0 for s in SECTORS},
        description="[assumption] multiplier on the rate per sector; 1 until calibrated; at most 100",
    )
    frailty_shape: Annotated[float, Field(ge=0.05, le=1e6)] = Field(
        1.0,
        description="gamma shape k of per-resident frailty (CV = 1/sqrt(k)); smaller k means "
        "more frequent callers [assumption; seed 003 mentions a client calling 30-40x a week]; "
        "0.05 to 1e6 (below 0.05 a resident's draw can underflow to zero)",
    )
    frailty_normalise: bool = Field(
        True,
        description="rescale frailties to average 1 within each location, so heterogeneity "
        "shifts demand between residents without changing the calibrated location rate",
    )
    urgency_mix: UrgencyMix = Field(
        default_factory=lambda: _shares(U1=0.01, U2=0.03, U3=0.10, U4=0.30, U5=0.56),
        description="[seed 000] 14% acute (U1-U3); split within acute and non-acute "
        "[assumption] after the HAP pattern (BMC Fam Pract 2015)",
    )
    modality_mix: dict[Literal["U1", "U2", "U3", "U4", "U5"], dict[Literal["telephone", "consult", "visit"], Share]] = Field(
        default_factory=lambda: _modality_by_urgency(),
        description="modality by urgency; overall 59% telephone [seed 000], acute more "
        "often a visit [assumption]",
    )
    profile: HourProfile = Field(
        default_factory=lambda: HourProfile(weekday=WLZ_WEEKDAY, weekend=WLZ_WEEKEND),
        description="hour-of-week shape; 9% in the weekend [seed 000], 78% in office hours "
        "[assumption]; holidays keep their weekday's shape [assumption: clients fall ill "
        "regardless of the calendar; only who answers changes]",
    )

    office_share: Share | None = Field(
        None, description="share of the Wlz requests asked in office hours; the profile is rescaled to it, "
        "the weekend keeping its share. Empty keeps the profile's own, 78% for the default "
        "[assumption: no Dutch figure for Wlz locations]")

    @field_validator("modality_mix")
    @classmethod
    def _modality_sums(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        missing = [u for u in URGENCIES if u not in v]
        if missing:
            raise ValueError(f"modality_mix needs a row for every urgency; missing {missing}")
        return {u: _full_mix(v[u], MODALITIES, f"modality_mix.{u}") for u in URGENCIES}

    @field_validator("rate_per_resident_week")
    @classmethod
    def _all_kinds(cls, v: dict[str, float]) -> dict[str, float]:
        return {k: v.get(k, 4.1 / 20) for k in KINDS}

    @field_validator("sector_factor")
    @classmethod
    def _all_sectors(cls, v: dict[str, float]) -> dict[str, float]:
        return {k: v.get(k, 1.0) for k in SECTORS}
