"""The building bricks of every scenario object: names of urgencies, modalities, kinds and
days; strict models; clock times; random durations; shares that must sum to 1; roster
blocks. The scenario itself is composed in config.py (core) and arrangements.py (blocks B-J).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Annotated, Literal

import numpy as np
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from scipy import special

URGENCIES = ("U1", "U2", "U3", "U4", "U5")
MODALITIES = ("telephone", "consult", "visit")
KINDS = ("kleinschalig", "verpleeghuis", "geclusterd", "thuis")
SECTORS = ("VV", "GHZ", "GGZ")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday")
PERIODS = ("office", "evening", "night", "weekend", "holiday")  # office hours, then the ANW periods
WEEKDAYS = DAYS[:5]
ACUTE_MAX_URGENCY = 3  # U1-U3 count as acute: seed 000's "acuut" (14% of requests)
# U1-U2 are urgent: answered on the urgent phone line, they take a professional off other
# work (regular_load) and their norm needs a physician [NTS / NHG TriageWijzer]
URGENT_MAX_URGENCY = 2

PositiveInt = Annotated[int, Field(gt=0)]
NonNegInt = Annotated[int, Field(ge=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegFloat = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]
LoadShare = Annotated[float, Field(ge=0, lt=1)]  # a share of time taken by other work: below 1

_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Strict(BaseModel):
    """Base for every scenario object: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


@lru_cache(maxsize=None)
def clock_minutes(value: str) -> int:
    """'08:30' -> 510; '24:00' is allowed as the end of a day."""
    m = _TIME_RE.match(value)
    if not m or (m.group(1) == "24" and m.group(2) != "00"):
        raise ValueError(f"'{value}' is not a clock time; use HH:MM between 00:00 and 24:00")
    return int(m.group(1)) * 60 + int(m.group(2))


ClockTime = Annotated[str, Field(pattern=r"^\d\d:\d\d$", description="HH:MM")]


def _check_shares(shares: dict[str, float], what: str) -> None:
    total = sum(shares.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"{what} shares must sum to 1 (they sum to {total:.6g})")


# --------------------------------------------------------------------------- durations


class Duration(Strict):
    """A random duration in minutes, given by its mean and coefficient of variation.

    Lognormal is the default for service times (right-skewed, never negative); exponential
    is there so the model can be reduced to textbook queues for verification.
    """

    dist: Literal["lognormal", "gamma", "exponential", "fixed"] = "lognormal"
    mean: PositiveFloat
    cv: NonNegFloat = 0.5

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Durations from uniforms, so every service maps the same request's draw (CRN)."""
        u = np.asarray(u, dtype=float)
        if self.dist == "fixed" or (self.cv == 0 and self.dist != "exponential"):
            return np.full(u.shape, self.mean)
        if self.dist == "exponential":
            return -self.mean * np.log1p(-u)
        if self.dist == "lognormal":
            s2 = math.log1p(self.cv**2)
            mu = math.log(self.mean) - s2 / 2
            return np.exp(mu + math.sqrt(s2) * special.ndtri(u))
        from scipy import stats  # only the gamma case needs it; the import is slow

        k = 1.0 / self.cv**2
        return stats.gamma.ppf(u, k, scale=self.mean / k)


def _dur(mean: float, cv: float = 0.5) -> Duration:
    return Duration(mean=mean, cv=cv)


class ModalityDurations(Strict):
    """Time a professional spends per modality (on site for a visit; travel comes on top)."""

    telephone: Duration
    consult: Duration
    visit: Duration

    def of(self, modality: str) -> Duration:
        return getattr(self, modality)



def _shares(**kw: float) -> dict[str, float]:
    return dict(kw)


def _full_mix(mix: dict[str, float], keys: tuple[str, ...], what: str) -> dict[str, float]:
    out = {k: float(mix.get(k, 0.0)) for k in keys}
    _check_shares(out, what)
    return out


# Shares over every urgency / modality, missing ones 0, that must sum to 1.
UrgencyMix = Annotated[dict[Literal["U1", "U2", "U3", "U4", "U5"], Share],
                       AfterValidator(lambda v: _full_mix(v, URGENCIES, "urgency_mix"))]
ModalityMix = Annotated[dict[Literal["telephone", "consult", "visit"], Share],
                        AfterValidator(lambda v: _full_mix(v, MODALITIES, "modality_mix"))]
# A share per urgency (independent shares, missing ones 0).
ByUrgency = Annotated[dict[Literal["U1", "U2", "U3", "U4", "U5"], Share],
                      AfterValidator(lambda v: {u: float(v.get(u, 0.0)) for u in URGENCIES})]


# --------------------------------------------------------------------------- rosters


class RosterBlock(Strict):
    """`count` professionals on duty on the given days from start to end. An end at or
    before the start runs into the next day: 23:00-08:00 is a night, 08:00-08:00 a 24-hour
    on-call duty."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"]] = Field(min_length=1)
    start: ClockTime
    end: ClockTime
    count: PositiveInt

    @model_validator(mode="after")
    def _times(self) -> "RosterBlock":
        s = clock_minutes(self.start)
        clock_minutes(self.end)
        if s >= 24 * 60:
            raise ValueError("start must be before 24:00")
        return self


def _office_block(count: int, days: tuple[str, ...] = WEEKDAYS) -> RosterBlock:
    return RosterBlock(days=list(days), start="08:00", end="17:00", count=count)


Roster = Annotated[list[RosterBlock], Field(min_length=1)]

# [lit] phone call ~7-8 min (BMC HSR 2012); NZa bands; shared by GP practices and physician pools
GP_DURATIONS = ModalityDurations(
    telephone=_dur(8),  # [lit] phone call ~7-8 min, BMC HSR 2012
    consult=_dur(15),  # [lit] NZa band 5-20 min; Wlz clients longer than a 10-min slot [assumption]
    visit=_dur(25),  # [lit] NZa visit >=20 min band; travel comes on top
)
