"""The building bricks of every scenario object: names of urgencies, modalities, kinds and
days; strict models; clock times; random durations; shares that must sum to 1; roster
blocks. The scenario itself is composed in config.py (core) and arrangements.py (blocks B-J).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from scipy import special

# The words a scenario uses, as types (for mypy) and in order
Urgency = Literal["U1", "U2", "U3", "U4", "U5"]
Modality = Literal["telephone", "consult", "visit"]
LocationKind = Literal["kleinschalig", "verpleeghuis", "geclusterd", "thuis"]
Sector = Literal["VV", "GHZ", "GGZ"]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"]
URGENCIES: tuple[Urgency, ...] = ("U1", "U2", "U3", "U4", "U5")
MODALITIES: tuple[Modality, ...] = ("telephone", "consult", "visit")
KINDS: tuple[LocationKind, ...] = ("kleinschalig", "verpleeghuis", "geclusterd", "thuis")
SECTORS: tuple[Sector, ...] = ("VV", "GHZ", "GGZ")
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday")
PERIODS = ("office", "evening", "night", "weekend", "holiday")  # office hours, then the ANW periods
WEEKDAYS = DAYS[:5]
ACUTE_MAX_URGENCY = 3  # U1-U3 count as acute: seed 000's "acuut" (14% of requests)
# U1-U2 are urgent: answered on the urgent phone line, they take a professional off other
# work (regular_load) and their norm needs a physician [NTS / NHG TriageWijzer]
URGENT_MAX_URGENCY = 2

# A count (inhabitants, residents, professionals on duty, weeks) is a whole number, as
# written. YAML reads `inhabitants: 180.000` (Dutch notation for 180,000, as the tool itself
# prints with --lang nl) as the float 180.0, which a lax integer would take silently as 180;
# so a count written with a decimal point, or as a text with a thousands separator, is refused
# with the number it probably meant.
_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def whole_count(value: object) -> object:
    """A count as written: an integer (or its digits as text); anything else a clear error."""
    if isinstance(value, bool):
        raise ValueError("give a whole number, not yes/no")
    if isinstance(value, float):
        if value.is_integer() and not 0 < value < 1e6:
            return int(value)  # 1e12 or -2.0: no thousands separator can be meant; the field's bounds judge it
        thousand = value * 1000 if math.isfinite(value) else math.nan
        dutch = (f"write {thousand:.0f} if you meant {thousand:,.0f} in Dutch notation".replace(",", ".")
                 if 0 < value < 1e6 and thousand == round(thousand) else "")
        if math.isfinite(value) and value == int(value):
            raise ValueError("a count is written without a decimal point or thousands separator: "
                             + (f"{dutch}, or {int(value)}" if dutch else f"write {int(value)}"))
        raise ValueError("a count is a whole number" + (f"; {dutch}" if dutch else ""))
    if isinstance(value, str) and _THOUSANDS.match(value.strip()):
        raise ValueError(f"write {re.sub(r'[.,]', '', value.strip())} (a count is written without a thousands "
                         "separator)")
    return value


Count = BeforeValidator(whole_count)  # put in an Annotated[int, ...] of every count
PositiveInt = Annotated[int, Count, Field(gt=0)]
NonNegInt = Annotated[int, Count, Field(ge=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegFloat = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]
LoadShare = Annotated[float, Field(ge=0, lt=1)]  # a share of time taken by other work: below 1

# --------------------------------------------------------------------------- input bounds
# Upper bounds on what a scenario may ask for. Each lies far beyond any Dutch region (the
# whole country: ~18 million inhabitants, ~5,000 GP practices, ~110 HAPs, ~300,000 Wlz
# clients), so no real scenario meets one; they are there so that a typo (an extra zero,
# 1e12, 600000 weeks) ends in one clear message instead of minutes of work, gigabytes of
# memory or a date past the year 9999. docs/model.md, "Input bounds", lists them with their
# reasons; the run as a whole is bounded too (validation.run_size_problems).
MAX_WEEKS = 520  # ten years: longer than any policy horizon (2040 is a pressure, not a horizon)
MAX_INHABITANTS = 20_000_000  # more than the Netherlands
MAX_RESIDENTS = 100_000  # residents of one location: a third of all Dutch Wlz clients
MAX_ON_DUTY = 1_000  # professionals of one roster block on duty at once
MAX_MINUTES = 1_440  # a duration's mean or a one-way travel time: a whole day
MAX_CV = 10.0  # coefficient of variation of a duration (lognormal sd grows as cv)
MAX_RATE = 50.0  # requests per resident per week (seed 003's extreme caller: 30-40 a week)
FRAILTY_SHAPE_MIN = 0.05  # gamma shape of frailty: below it a resident's draw can underflow to zero
MAX_WEEK_MIN = 10_080  # minutes in a week
MAX_SEED = 2**63 - 1  # seeds are stored as 64-bit integers (run.json, Parquet)
MAX_ID = 100  # characters of an id (ids name pools, streams, KPIs and routes)
MAX_NAME = 200  # characters of a display name
MAX_TEXT = 5_000  # characters of a description
MAX_BLOCKS = 100  # blocks in one roster (a real one has fewer than 10)

# Shared bounded types; the reason for each bound is above.
Weeks = Annotated[int, Count, Field(ge=1, le=MAX_WEEKS)]
Seed = Annotated[int, Count, Field(ge=0, le=MAX_SEED)]
Inhabitants = Annotated[int, Count, Field(gt=0, le=MAX_INHABITANTS)]
Minutes = Annotated[float, Field(ge=0, le=MAX_MINUTES)]
Id = Annotated[str, Field(min_length=1, max_length=MAX_ID)]
Name = Annotated[str, Field(max_length=MAX_NAME)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
FteHours = Annotated[float, Field(gt=0, le=168)]  # hours in a week

# A name used as a folder under results/: it must stay one folder inside it (not '..', not
# a path, not hidden, portable to Windows and macOS file systems).
FOLDER_NAME_MAX = 100
FOLDER_NAME_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9 _.-]*$"


def _folder_name(value: str) -> str:
    if not re.fullmatch(FOLDER_NAME_PATTERN, value) or value.endswith((" ", ".")):
        raise ValueError("the name becomes the results folder: use letters, digits, '-', '_', '.' and spaces, "
                         "not starting with a dot or a space and not ending with one")
    return value


FolderName = Annotated[str, Field(min_length=1, max_length=FOLDER_NAME_MAX,
                                  json_schema_extra={"pattern": FOLDER_NAME_PATTERN}),
                       AfterValidator(_folder_name)]

_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Strict(BaseModel):
    """Base for every scenario object: unknown keys are errors, not silently ignored, and
    numbers must be finite (a YAML .nan or .inf is refused: it would poison every draw)."""

    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


class ServiceSchema(Strict):
    """The scenario block of a kind of service (config.SERVICE_SCHEMAS lists them). What kind
    of service it is, is declared once as class variables, not scenario fields: whether it is
    a first-line step that settles a share and passes the rest on, which workload total its
    hours count in (physician / nurse / hap / ambulance), its name per kind and who handles
    the requests it closes (requests.handled_by), each in English and Dutch."""

    first_line: ClassVar[bool] = False
    category: ClassVar[str] = "physician"
    labels: ClassVar[dict[str, tuple[str, str]]] = {}  # kind -> (English, Dutch)
    handlers: ClassVar[dict[str, tuple[str, str]]] = {}  # handled_by -> (English, Dutch)


class Translated(Strict):
    """A text in English and Dutch; a report shows the one in its language (or the other
    when only one is written)."""

    en: Text = ""
    nl: Text = ""

    def text(self, lang: str) -> str:
        return (self.nl or self.en) if lang == "nl" else (self.en or self.nl)


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
    mean: Annotated[float, Field(gt=0, le=MAX_MINUTES, description=f"minutes, at most {MAX_MINUTES} (a day)")]
    cv: Annotated[float, Field(ge=0, le=MAX_CV, description=f"at most {MAX_CV:g}")] = 0.5

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



def _shares(**kw: float) -> dict[Any, float]:
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

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"]] = Field(min_length=1, max_length=8)
    start: ClockTime
    end: ClockTime
    count: Annotated[int, Count, Field(gt=0, le=MAX_ON_DUTY, description=f"professionals on duty, at most {MAX_ON_DUTY}")]

    @model_validator(mode="after")
    def _times(self) -> "RosterBlock":
        s = clock_minutes(self.start)
        clock_minutes(self.end)
        if s >= 24 * 60:
            raise ValueError("start must be before 24:00")
        return self


def _office_block(count: int, days: tuple[str, ...] = WEEKDAYS) -> RosterBlock:
    return RosterBlock(days=list(days), start="08:00", end="17:00", count=count)


Roster = Annotated[list[RosterBlock], Field(min_length=1, max_length=MAX_BLOCKS)]

# [lit] phone call ~7-8 min (BMC HSR 2012); NZa bands; shared by GP practices and physician pools
GP_DURATIONS = ModalityDurations(
    telephone=_dur(8),  # [lit] phone call ~7-8 min, BMC HSR 2012
    consult=_dur(15),  # [lit] NZa band 5-20 min; Wlz clients longer than a 10-min slot [assumption]
    visit=_dur(25),  # [lit] NZa visit >=20 min band; travel comes on top
)


# A relative weight of a profile; bounded so that the week's sum stays a finite number.
Weight = Annotated[float, Field(ge=0, le=1e6)]


class HourProfile(Strict):
    """Relative intensity per hour of day, by weekday and weekend day; the scale is free.

    The week's intensity is day_factor[day] x hours[hour]; it is normalised over the week,
    so only the shape matters. `holiday_like_sunday` gives public holidays Sunday's shape.
    """

    weekday: list[Weight] = Field(min_length=24, max_length=24)
    weekend: list[Weight] = Field(min_length=24, max_length=24)
    day_factor: list[Weight] = Field(default_factory=lambda: [1.0] * 7, min_length=7, max_length=7)
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


def anw_blocks(evening: int, night: int, weekend_day: int, weekend_night: int) -> list[RosterBlock]:
    """A HAP roster covering every ANW hour of the default calendar."""
    wd = list(WEEKDAYS)
    we = ["sat", "sun", "holiday"]
    return [
        RosterBlock(days=wd, start="17:00", end="23:00", count=evening),
        RosterBlock(days=wd, start="23:00", end="08:00", count=night),
        RosterBlock(days=we, start="08:00", end="23:00", count=weekend_day),
        RosterBlock(days=we, start="23:00", end="08:00", count=weekend_night),
    ]
