"""The scenario schema: every parameter of the model, its default and where it comes from.

A scenario file (YAML) is validated into these objects. Defaults marked [seed NNN] come
from the source documents in shared/seeds, [lit] from the public literature listed in
DOMAIN.md, and [assumption] are ours: each is shown in the resolved scenario.yaml and in
the summary so a policy maker can see and challenge it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal

import numpy as np
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from scipy import special

URGENCIES = ("U1", "U2", "U3", "U4", "U5")
MODALITIES = ("telephone", "consult", "visit")
KINDS = ("kleinschalig", "verpleeghuis", "geclusterd", "thuis")
SECTORS = ("VV", "GHZ", "GGZ")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday")
WEEKDAYS = DAYS[:5]
ACUTE_MAX_URGENCY = 3  # U1-U3 count as acute: the issue's reading of seed 000's "acuut"

PositiveInt = Annotated[int, Field(gt=0)]
NonNegInt = Annotated[int, Field(ge=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegFloat = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]

_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Strict(BaseModel):
    """Base for every scenario object: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


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


# --------------------------------------------------------------------------- region


class Region(Strict):
    name: str = "Regio Voorbeeld"
    start: dt.date = Field(dt.date(2025, 1, 6), description="first simulated day (00:00)")
    weeks: PositiveInt = Field(52, description="measured weeks after the warm-up")
    warmup_weeks: NonNegInt = Field(
        2,
        description="weeks simulated before measuring, so GP backlogs are not empty at "
        "the start [assumption: planned work waits at most days, two weeks is ample]",
    )
    seed: NonNegInt = 20250106
    inhabitants: PositiveInt = Field(
        120_000, description="population the HAP serves, for its background demand"
    )


class Holidays(Strict):
    country: str = Field("NL", description="country code for the `holidays` package")
    exclude: list[str] = Field(
        default_factory=lambda: ["Good Friday"],
        description="holiday names or ISO dates that are ordinary working days "
        "[assumption: GP practices are open on Goede Vrijdag]",
    )
    extra: list[dt.date] = Field(default_factory=list, description="extra closed days")


class CalendarConfig(Strict):
    """Office hours vs ANW (avond, nacht, weekend and public holidays)."""

    office_start: ClockTime = Field("08:00", description="[lit] GP practice opening, LHV")
    office_end: ClockTime = Field("17:00", description="[lit] HAP takes over at 17:00")
    evening_end: ClockTime = Field("23:00", description="evening ends, night begins")
    holidays: Holidays = Field(default_factory=Holidays)

    @model_validator(mode="after")
    def _ordered(self) -> "CalendarConfig":
        a, b, c = (clock_minutes(x) for x in (self.office_start, self.office_end, self.evening_end))
        if not a < b <= c <= 24 * 60:
            raise ValueError("need office_start < office_end <= evening_end <= 24:00")
        return self


# --------------------------------------------------------------------------- demand


class HourProfile(Strict):
    """Relative intensity per hour of day, by weekday and weekend day; the scale is free.

    The week's intensity is day_factor[day] x hours[hour]; it is normalised over the week,
    so only the shape matters. `holiday_like_sunday` gives public holidays Sunday's shape.
    """

    weekday: list[NonNegFloat] = Field(min_length=24, max_length=24)
    weekend: list[NonNegFloat] = Field(min_length=24, max_length=24)
    day_factor: list[NonNegFloat] = Field(default_factory=lambda: [1.0] * 7, min_length=7, max_length=7)
    holiday_like_sunday: bool = False

    @model_validator(mode="after")
    def _not_empty(self) -> "HourProfile":
        if sum(self.weekday) * sum(self.day_factor[:5]) + sum(self.weekend) * sum(self.day_factor[5:]) <= 0:
            raise ValueError("the profile has no positive weight anywhere in the week")
        return self

    def hour_of_week(self) -> np.ndarray:
        """168 weights (Monday 00-01 first) summing to 1."""
        w = np.concatenate(
            [np.asarray(self.weekday if d < 5 else self.weekend) * self.day_factor[d] for d in range(7)]
        )
        return w / w.sum()


# Wlz location demand: office hours dominate (care staff call the practice by day); the
# weekend shape is scaled so Saturday+Sunday hold exactly 9% of the week [seed 000].
WLZ_WEEKDAY = [0.15, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 3.0, 4.0, 4.0, 3.5,
               2.5, 3.0, 3.0, 2.5, 2.0, 0.8, 0.6, 0.5, 0.4, 0.35, 0.3, 0.2]  # fmt: skip
WLZ_WEEKEND = [0.1588, 0.1058, 0.1058, 0.1058, 0.1058, 0.1058, 0.1588, 0.2646,
               0.5292, 0.7409, 0.7409, 0.6351, 0.5292, 0.5292, 0.5292, 0.4763,
               0.4234, 0.3705, 0.3175, 0.2646, 0.2117, 0.1852, 0.1588, 0.1588]  # fmt: skip
# HAP general population, ANW only: weekday 18-20 h holds 12.3% of the week, weekend
# 10-12 h 10.1%, weekend 04-06 h 0.85% [lit: vzinfo.nl / Nivel].
HAP_WEEKDAY = [0.7, 0.5, 0.4, 0.35, 0.3, 0.3, 0.4, 0.6, 0, 0, 0, 0,
               0, 0, 0, 0, 0, 1.8, 2.4, 2.2, 1.7, 1.4, 1.2, 0.9]  # fmt: skip
HAP_WEEKEND = [1.9, 1.3, 1.0, 0.7, 0.4, 0.4, 0.8, 1.4, 2.9, 3.8, 4.72, 4.72,
               3.2, 2.9, 2.9, 2.9, 2.9, 3.0, 3.0, 2.9, 2.6, 2.2, 1.9, 1.6]  # fmt: skip


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


class LocationDemand(Strict):
    """Care requests from Wlz care locations to a physician (GP, HAP, SO, AVG)."""

    rate_per_resident_week: dict[Literal["kleinschalig", "verpleeghuis", "geclusterd", "thuis"], PositiveFloat] = Field(
        default_factory=lambda: {k: 4.1 / 20 for k in KINDS},
        description="[seed 000] 4.1 GP consults/week for a location of ~20 residents "
        "(Het Gastenhuis, kleinschalig VV); other kinds [assumption] the same until a "
        "region's own data says otherwise",
    )
    sector_factor: dict[Literal["VV", "GHZ", "GGZ"], PositiveFloat] = Field(
        default_factory=lambda: {s: 1.0 for s in SECTORS},
        description="[assumption] multiplier on the rate per sector; 1 until calibrated",
    )
    frailty_shape: PositiveFloat = Field(
        1.0,
        description="gamma shape k of per-resident frailty (CV = 1/sqrt(k)); smaller k means "
        "more frequent callers [assumption; seed 003 mentions a client calling 30-40x a week]",
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
        default_factory=lambda: {
            "U1": _shares(telephone=0.0, consult=0.0, visit=1.0),
            "U2": _shares(telephone=0.2, consult=0.1, visit=0.7),
            "U3": _shares(telephone=0.45, consult=0.15, visit=0.4),
            "U4": _shares(telephone=0.55, consult=0.15, visit=0.3),
            "U5": _shares(telephone=0.6679, consult=0.14, visit=0.1921),
        },
        description="modality by urgency; overall 59% telephone [seed 000], acute more "
        "often a visit [assumption]",
    )
    profile: HourProfile = Field(
        default_factory=lambda: HourProfile(weekday=WLZ_WEEKDAY, weekend=WLZ_WEEKEND),
        description="hour-of-week shape; 9% in the weekend [seed 000], 78% in office hours "
        "[assumption]; holidays keep their weekday's shape [assumption: clients fall ill "
        "regardless of the calendar; only who answers changes]",
    )

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


# --------------------------------------------------------------------------- services


GP_DURATIONS = ModalityDurations(
    telephone=_dur(8),  # [lit] phone call ~7-8 min, BMC HSR 2012
    consult=_dur(15),  # [lit] NZa band 5-20 min; Wlz clients longer than a 10-min slot [assumption]
    visit=_dur(25),  # [lit] NZa visit >=20 min band; travel comes on top
)


class Practice(Strict):
    """A GP practice (huisartsenpraktijk) that is the fixed GP of one or more locations."""

    id: str = Field(min_length=1)
    name: str = ""
    list_size: PositiveInt = Field(4700, description="[lit] ~2,350 patients per FTE GP; informational")
    roster: Roster = Field(
        default_factory=lambda: [_office_block(2)],
        description="GPs present; default 2 GPs Mon-Fri 08-17 [assumption]",
    )
    regular_load: Annotated[float, Field(ge=0, lt=1)] = Field(
        0.8,
        description="share of the GPs' rostered time taken by the rest of the practice list "
        "[assumption: Wlz locations are a small part of a practice's work; 44 h/week, 56% "
        "direct care, Van Hassel 2016]. Realised as a free window in every cycle (docs/model.md)",
    )
    regular_cycle_min: PositiveFloat = Field(
        60, description="length of one busy+free cycle of a GP's agenda [assumption]"
    )
    planned_cutoff: ClockTime = Field(
        "10:00",
        description="non-acute consults and visits asked before this time are planned the same "
        "day, later ones the next day [assumption: morning phone hours, LHV practice routine]",
    )
    planned_start: ClockTime = Field(
        "12:00", description="the visit round: planned work is not started before this time [assumption]"
    )
    durations: ModalityDurations = Field(default_factory=lambda: GP_DURATIONS.model_copy(deep=True))
    fte_hours_per_week: PositiveFloat = Field(44, description="[lit] GP working week, Van Hassel 2016")

    @model_validator(mode="after")
    def _clock(self) -> "Practice":
        clock_minutes(self.planned_cutoff)
        clock_minutes(self.planned_start)
        return self


class Triage(Strict):
    roster: Roster
    duration: Duration = Field(
        default_factory=lambda: _dur(7),
        description="[lit] a telephone triage call ~7-8 min (BMC HSR 2012) [assumption: 7]",
    )
    resolves_telephone_share: Share = Field(
        0.69,
        description="share of telephone-type requests the triagist settles alone: 27.5% of all "
        "calls [lit PMC1713241] / ~40% phone-advice share [lit PMC5313186]",
    )


class Background(Strict):
    """The general population's own HAP demand, which Wlz requests queue behind."""

    contacts_per_1000_year: NonNegFloat = Field(250, description="[lit] PLoS One 2017, vzinfo.nl")
    urgency_mix: UrgencyMix = Field(
        default_factory=lambda: _shares(U1=0.015, U2=0.111, U3=0.380, U4=0.217, U5=0.277),
        description="[lit] BMC Fam Pract 2015 (U5 26.3% + rounding to 1)",
    )
    modality_mix: ModalityMix = Field(
        default_factory=lambda: _shares(telephone=0.4, consult=0.5, visit=0.1),
        description="[lit] phone ~40%, consult at the post ~50%, visit ~10% (PMC5313186)",
    )
    profile: HourProfile = Field(
        default_factory=lambda: HourProfile(weekday=HAP_WEEKDAY, weekend=HAP_WEEKEND, holiday_like_sunday=True),
        description="[lit] Nivel time-of-week shares (vzinfo.nl); holidays follow Sunday",
    )
    travel_min: Duration = Field(
        default_factory=lambda: _dur(12, 0.5),
        description="one-way travel of the car or the patient to the post [assumption; Giesen 2007 "
        "reports mean HAP visit response 30.5 min]",
    )


def _anw_blocks(evening: int, night: int, weekend_day: int, weekend_night: int) -> list[RosterBlock]:
    """A HAP roster covering every ANW hour of the default calendar."""
    wd = list(WEEKDAYS)
    we = ["sat", "sun", "holiday"]
    return [
        RosterBlock(days=wd, start="17:00", end="23:00", count=evening),
        RosterBlock(days=wd, start="23:00", end="08:00", count=night),
        RosterBlock(days=we, start="08:00", end="23:00", count=weekend_day),
        RosterBlock(days=we, start="23:00", end="08:00", count=weekend_night),
    ]


HAP_DURATIONS = ModalityDurations(
    telephone=_dur(6),  # [assumption] doctor's phone advice after triage
    consult=_dur(20),  # [lit] GP 3.0 consults/hour at the HAP, PMC5020461
    visit=_dur(20),  # [assumption] on site; travel comes on top
)


class Spoedpost(Strict):
    """The huisartsenspoedpost (HAP): triage line, doctors at the post, visiting cars."""

    id: str = Field("hap", min_length=1, description="name in routes and pool names (hap:doctor, ...)")
    name: str = "Huisartsenspoedpost"
    inhabitants: PositiveInt | None = Field(
        None, description="population this HAP serves (background demand); default region.inhabitants")
    triage: Triage = Field(
        default_factory=lambda: Triage(roster=_anw_blocks(2, 1, 3, 1)),
        description="[assumption] sized for ~250 contacts/1,000/yr of 120,000 inhabitants",
    )
    doctors: Roster = Field(
        default_factory=lambda: _anw_blocks(2, 1, 3, 1),
        description="doctors at the post (phone advice and consults); GP shifts 6-8 h [lit]",
    )
    cars: Roster = Field(
        default_factory=lambda: _anw_blocks(1, 1, 2, 1),
        description="visiting cars, each a doctor with a driver [assumption]",
    )
    durations: ModalityDurations = Field(default_factory=lambda: HAP_DURATIONS.model_copy(deep=True))
    background: Background = Field(default_factory=Background)
    fte_hours_per_week: PositiveFloat = Field(36, description="[assumption] hours per FTE for HAP staff")


class Behandeldienst(Strict):
    """The provider's own physicians (SO or AVG) for locations *met behandeling*."""

    id: str = Field(min_length=1)
    name: str = ""
    discipline: Literal["so", "avg"] = Field("so", description="SO for VV/GGZ, AVG for GHZ")
    roster: Roster = Field(
        default_factory=lambda: [_office_block(2)] + _anw_blocks(1, 1, 1, 1),
        description="day physicians and one ANW on-call physician [assumption]",
    )
    regular_load: Annotated[float, Field(ge=0, lt=1)] = Field(
        0.5, description="share of rostered time for rounds, MDO and planned care [assumption]"
    )
    regular_cycle_min: PositiveFloat = 60
    durations: ModalityDurations = Field(default_factory=lambda: GP_DURATIONS.model_copy(deep=True))
    fte_hours_per_week: PositiveFloat = Field(36, description="[assumption] SO/AVG working week")


# --------------------------------------------------------------------------- arrangement blocks


def _by_urgency(**kw: float) -> dict[str, float]:
    return {u: float(kw.get(u, 0.0)) for u in URGENCIES}


class _Block(Strict):
    """Fields every arrangement block shares: an id to route to, a roster, FTE hours."""

    id: str = Field(min_length=1, description="name used in routes")
    name: str = ""
    roster: Roster
    fte_hours_per_week: PositiveFloat = Field(36, description="[assumption] hours per FTE")

    @field_validator("id")
    @classmethod
    def _not_keyword(cls, v: str) -> str:
        if v in ROUTE_KEYWORDS:
            raise ValueError(f"'{v}' is a route keyword; choose another id")
        return v


class _Filter(_Block):
    """A first-line block: resolves a share of requests itself, passes the rest on."""

    resolves: ByUrgency
    downgrade_share: Share = Field(
        0.0, description="share of passed-on requests whose urgency drops one level after "
        "triage [assumption: 0, no Dutch figure]",
    )


def _round_the_clock(count: int) -> list[RosterBlock]:
    return [RosterBlock(days=list(DAYS), start="00:00", end="24:00", count=count)]


class Voorwacht(_Filter):
    """Medisch-verpleegkundige voorwacht (C) or triage at location/GP/spoedpost (B): a
    nurse (or VS/PA/POH) answers first, settles part, passes the rest to a physician."""

    type: Literal["voorwacht", "triage"] = "voorwacht"
    roster: Roster = Field(default_factory=lambda: _round_the_clock(1))
    duration: Duration = Field(default_factory=lambda: _dur(10), description="[assumption] nurse triage call")
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U3=0.10, U4=0.30, U5=0.45),
        description="[assumption] ~35% overall for the Wlz urgency mix: between the 27.5% a HAP "
        "nurse settles alone [lit PMC1713241] and DigiContact's 85% [seed 003]; no Dutch effect "
        "size for a voorwacht exists (DOMAIN.md)",
    )


class RegionaleTriage(_Filter):
    """Regional 24/7 nurse triage for many providers (E, DigiContact, G-AAN)."""

    type: Literal["regionale_triage"] = "regionale_triage"
    roster: Roster = Field(default_factory=lambda: _round_the_clock(2))
    duration: Duration = Field(default_factory=lambda: _dur(8), description="[assumption] online/phone triage")
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U2=0.20, U3=0.60, U4=0.88, U5=0.93),
        description="[seed 003] specialised nurses answer 85% of questions (85.1% for the Wlz mix)",
    )


class Achterwacht(_Filter):
    """Digital physician backup (AVG, SO, psychiatrist) behind a triage line (E)."""

    type: Literal["achterwacht"] = "achterwacht"
    discipline: Literal["avg", "so"] = "avg"
    roster: Roster = Field(default_factory=lambda: _round_the_clock(1))
    duration: Duration = Field(default_factory=lambda: _dur(12), description="[assumption] video/phone consult")
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U2=0.3, U3=0.6, U4=0.8, U5=0.9),
        description="[assumption] only what needs a physician on site goes on (seed 003)",
    )


class Behandelteam(_Filter):
    """Compact behandelteam (D): a VS of the provider is first contact and coordinator by
    day, makes weekly rounds and proactive care that prevents part of the demand."""

    type: Literal["behandelteam"] = "behandelteam"
    roster: Roster = Field(default_factory=lambda: [_office_block(1)], description="daytime only [seed 000]")
    durations: ModalityDurations = Field(
        default_factory=lambda: ModalityDurations(telephone=_dur(10), consult=_dur(20), visit=_dur(25)),
        description="[assumption] VS time per contact; the VS works at the locations (no travel)",
    )
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U2=0.1, U3=0.35, U4=0.55, U5=0.65),
        description="[assumption] a VS handles most non-acute questions; no Dutch figure (DOMAIN.md)",
    )
    rounds_min_per_resident_week: NonNegFloat = Field(
        10, description="[assumption] weekly rounds, advance care planning: planned VS time"
    )
    prevents_acute: Share = Field(
        0.15, description="[assumption] share of acute (U1-U3) requests that proactive care prevents"
    )
    prevents_anw: Share = Field(
        0.20, description="[assumption] share of ANW requests prevented; the NHN pilot reports fewer "
        "ANW contacts (seed 000) without an effect size",
    )


class Aanrijdteam(_Filter):
    """Verpleegkundig aanrijdteam (F): regional nurses with cars, 24/7, for unplanned care."""

    type: Literal["aanrijdteam"] = "aanrijdteam"
    roster: Roster = Field(default_factory=lambda: _round_the_clock(2), description="cars (a nurse each)")
    duration: Duration = Field(default_factory=lambda: _dur(30), description="[assumption] time on site")
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U2=0.3, U3=0.6, U4=0.75, U5=0.8),
        description="[assumption] nurses settle most unplanned care on site",
    )
    target_min: PositiveFloat = Field(30, description="[seed 003] on location within 30 minutes")


class Artsenpost(_Block):
    """A physician service that handles what reaches it: a gezondheidscentrum bijzondere
    doelgroepen (G, GZC/Regiohub), a regional SO/AVG pool or ANW rota (H), or SO in the
    first line (I)."""

    type: Literal["gzc", "artsen"] = "gzc"
    discipline: Literal["gzc", "so", "avg", "gp"] = "gzc"
    roster: Roster = Field(default_factory=lambda: [_office_block(2)])
    regular_load: Annotated[float, Field(ge=0, lt=1)] = Field(0.5, description="[assumption] other work")
    regular_cycle_min: PositiveFloat = 60
    durations: ModalityDurations = Field(default_factory=lambda: GP_DURATIONS.model_copy(deep=True))
    travel_min: NonNegFloat = Field(15, description="[assumption] one-way to a location for a visit")


class Seh(Strict):
    """SEH / ambulance: where U1 goes. Not a queue here: 112 sends an ambulance."""

    id: str = Field(min_length=1)
    type: Literal["seh"] = "seh"
    name: str = "SEH / ambulance"
    response: Duration = Field(
        default_factory=lambda: Duration(mean=9, cv=0.4),
        description="[lit] ambulance A1 on site <=15 min in 95% (BVA/AZN): lognormal mean 9, CV 0.4",
    )


Service = Annotated[
    Voorwacht | RegionaleTriage | Achterwacht | Behandelteam | Aanrijdteam | Artsenpost | Seh,
    Field(discriminator="type"),
]
FILTER_TYPES = ("voorwacht", "triage", "regionale_triage", "achterwacht", "behandelteam", "aanrijdteam")

# Route keywords: the location's own GP practice or behandeldienst, and the HAP.
ROUTE_KEYWORDS = ("gp", "hap", "behandeldienst")
PERIOD_GROUPS = {"office": ("office",), "anw": ("evening", "night", "weekend", "holiday"),
                 "evening": ("evening",), "night": ("night",), "weekend": ("weekend",), "holiday": ("holiday",)}


class RouteMatch(Strict):
    """Which requests a route applies to; an empty list means any."""

    period: list[Literal["office", "anw", "evening", "night", "weekend", "holiday"]] = Field(default_factory=list)
    sector: list[Literal["VV", "GHZ", "GGZ"]] = Field(default_factory=list)
    kind: list[Literal["kleinschalig", "verpleeghuis", "geclusterd", "thuis"]] = Field(default_factory=list)
    behandeling: bool | None = None
    locations: list[str] = Field(default_factory=list)


class StepWhen(Strict):
    urgency: list[Literal["U1", "U2", "U3", "U4", "U5"]] = Field(default_factory=list)
    modality: list[Literal["telephone", "consult", "visit"]] = Field(default_factory=list)


class Step(Strict):
    """One step of a route: a service (a block id or gp / hap / behandeldienst), only
    `when` the request matches, or a `split` of requests between services by share."""

    service: str | None = None
    split: dict[str, Share] | None = None
    when: StepWhen | None = None

    @model_validator(mode="after")
    def _one(self) -> "Step":
        if (self.service is None) == (self.split is None):
            raise ValueError("a step names either a service or a split, not both or neither")
        return self

    @field_validator("split")
    @classmethod
    def _split_sums(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is not None:
            _check_shares(v, "split")
        return v

    def targets(self) -> list[str]:
        return [self.service] if self.service is not None else list(self.split or {})


def _as_step(v: object) -> object:
    return {"service": v} if isinstance(v, str) else v


class Route(Strict):
    """Requests matching `match` follow `steps` in order until one handles them."""

    name: str = ""
    match: RouteMatch = Field(default_factory=RouteMatch)
    steps: Annotated[list[Step], Field(min_length=1)]

    @field_validator("steps", mode="before")
    @classmethod
    def _strings(cls, v: object) -> object:
        return [_as_step(x) for x in v] if isinstance(v, list) else v


def baseline_routes() -> list[Route]:
    """Arrangement A: met behandeling -> own behandeldienst; else GP by day, HAP in ANW."""
    return [
        Route(name="baseline: met behandeling", match=RouteMatch(behandeling=True), steps=["behandeldienst"]),
        Route(name="baseline: office hours", match=RouteMatch(period=["office"]), steps=["gp"]),
        Route(name="baseline: ANW", match=RouteMatch(period=["anw"]), steps=["hap"]),
    ]


class Pressures(Strict):
    """Pressures the sources name, as knobs on the whole scenario."""

    demand_growth: Annotated[float, Field(ge=0)] = Field(
        0.0, description="extra Wlz and HAP demand, e.g. 0.114 for 2040 [seed 003: +11.4% GP consults]; "
        "added as an extra stream, so the existing requests keep their random numbers",
    )
    gp_capacity_factor: Annotated[float, Field(gt=0, le=1)] = Field(
        1.0, description="share of today's GP time left for the locations (GP shortage: NHN short of "
        "200 GPs by 2030, 59% of IJssel-Vecht practices closed to new patients [seed 003])",
    )
    sickness_absence: Annotated[float, Field(ge=0, lt=1)] = Field(
        0.0, description="chance that a rostered professional is absent for a shift, drawn per shift "
        "(no slack for sickness, seed 002); 0.05-0.06 is typical Dutch care absence [assumption]",
    )
    seh_referral: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U1=0.5, U2=0.15, U3=0.03),
        description="[assumption] share of physician contacts that end in an SEH referral, by urgency",
    )


class Location(Strict):
    """A Wlz care location: its residents generate care requests."""

    id: str = Field(min_length=1)
    name: str = ""
    kind: Literal["kleinschalig", "verpleeghuis", "geclusterd", "thuis"]
    sector: Literal["VV", "GHZ", "GGZ"] = "VV"
    residents: PositiveInt
    behandeling: bool = Field(
        False,
        description="leveringsvorm met behandeling: the provider's SO/AVG is the physician and "
        "the client is on no GP list [seed 001]",
    )
    practice: str | None = Field(None, description="fixed GP practice (required without behandeling)")
    behandeldienst: str | None = Field(None, description="required with behandeling")
    travel_min_practice: NonNegFloat = Field(8, description="one-way, practice to location")
    travel_min_hap: NonNegFloat = Field(15, description="one-way, HAP to location [lit: <=20 km matters, Giesen 2007]")
    travel_min_behandeldienst: NonNegFloat = Field(10, description="one-way, on-call SO/AVG to location")
    travel_min_aanrijdteam: NonNegFloat = Field(15, description="one-way, aanrijdteam car to location [assumption]")
    spoedpost: str | None = Field(None, description="which HAP serves the location (default: the first)")
    rate_per_resident_week: PositiveFloat | None = Field(None, description="overrides demand.rate_per_resident_week")


class Norms(Strict):
    """Response-time norms per NTS urgency, minutes [lit: NHG TriageWijzer, Nivel 2019]."""

    U1: PositiveFloat = Field(15, description="immediately; HAP visit target <=15 min")
    U2: PositiveFloat = Field(60, description="within 1 hour")
    U3: PositiveFloat = Field(180, description="within a few hours [assumption: 3 h]")
    U4: PositiveFloat = Field(1440, description="same day / within 24 h")
    U5: PositiveFloat = Field(4320, description="advice or next working day [assumption: 72 h covers a weekend]")
    phone_urgent_s: PositiveFloat = Field(30, description="[lit] urgent line answered within 30 s (90% norm, LHV/IGZ)")
    phone_other_s: PositiveFloat = Field(120, description="[lit] other calls within 2 min (75% norm)")

    def as_array(self) -> np.ndarray:
        return np.array([getattr(self, u) for u in URGENCIES])


class Scenario(Strict):
    """A whole scenario: a region, its locations and services, and the model's parameters."""

    scenario: str = Field("scenario", pattern=r"^[A-Za-z0-9_.-]+$", description="name, used in the results path")
    description: str = ""
    region: Region = Field(default_factory=Region)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    demand: LocationDemand = Field(default_factory=LocationDemand)
    norms: Norms = Field(default_factory=Norms)
    practices: list[Practice] = Field(default_factory=list)
    spoedpost: Spoedpost = Field(default_factory=Spoedpost, description="the HAP, when the region has one")
    spoedposten: list[Spoedpost] = Field(
        default_factory=list, description="several HAPs (replaces spoedpost); locations name theirs")
    behandeldiensten: list[Behandeldienst] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list, description="arrangement blocks (B-J)")
    routes: list[Route] = Field(
        default_factory=list,
        description="first match wins; the baseline routes (A) follow as a fallback unless "
        "baseline_fallback is false",
    )
    baseline_fallback: bool = True
    pressures: Pressures = Field(default_factory=Pressures)
    locations: Annotated[list[Location], Field(min_length=1)]

    def all_spoedposten(self) -> list[Spoedpost]:
        return self.spoedposten or [self.spoedpost]

    def hap_of(self, loc: Location) -> str:
        return loc.spoedpost or self.all_spoedposten()[0].id

    def all_routes(self) -> list[Route]:
        return self.routes + (baseline_routes() if self.baseline_fallback else [])

    def location_rate(self, loc: Location) -> float:
        """Expected care requests per week from one location."""
        per_resident = loc.rate_per_resident_week or self.demand.rate_per_resident_week[loc.kind]
        return loc.residents * per_resident * self.demand.sector_factor[loc.sector]

    def service(self, sid: str) -> "Service | Behandeldienst | None":
        for svc in [*self.services, *self.behandeldiensten]:
            if svc.id == sid:
                return svc
        return None
