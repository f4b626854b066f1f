"""The scenario schema: every parameter of the model, its default and where it comes from.

This module holds GP practices, behandeldiensten, locations, travel and norms, and the
Scenario that composes them with the region and its calendar (region.py), the demand of
care locations (demand.py), the HAP (spoedpost.py) and the arrangement blocks, routes and
pressures (arrangements.py); the bricks they all use (durations, shares, roster blocks,
hour-of-week profiles) are in schema.py: import each name from the module that defines it.
A scenario file (YAML) is validated into these objects. Defaults marked [seed NNN] come
from the five seed documents, [lit] from the public literature, both listed with what each
gives in docs/sources.md, and [assumption] are ours: each is shown in the resolved
scenario.yaml and in the summary so a policy maker can see and challenge it.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, ConfigDict, Field, field_validator, model_validator

from sim.scenario.ambulance import Ambulance
from sim.scenario.arrangements import Pressures, Route, Service, baseline_routes, block_types
from sim.scenario.demand import LocationDemand, Rate
from sim.scenario.region import CalendarConfig, Region
from sim.scenario.schema import (
    GP_DURATIONS,
    MAX_MINUTES,
    MAX_RESIDENTS,
    MAX_WEEK_MIN,
    URGENCIES,
    ClockTime,
    Count,
    FolderName,
    FteHours,
    Id,
    LoadShare,
    Minutes,
    ModalityDurations,
    Name,
    Roster,
    ServiceSchema,
    Share,
    Strict,
    Text,
    Translated,
    _office_block,
    anw_blocks,
    clock_minutes,
)
from sim.scenario.spoedpost import Spoedpost

# --------------------------------------------------------------------------- services


def _agb_text(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError("write the AGB code in quotes, e.g. agb: '01234567' (unquoted, YAML reads its digits as a "
                         "number and a leading zero is lost)")
    return value


# An AGB code (Vektis): eight digits, a leading zero included.
Agb = Annotated[str, BeforeValidator(_agb_text), Field(pattern=r"^\d{8}$")]


class Practice(ServiceSchema):
    """A GP practice (huisartsenpraktijk) that is the fixed GP of one or more locations."""

    first_line: ClassVar[bool] = False
    category: ClassVar[str] = "physician"
    labels: ClassVar[dict[str, tuple[str, str]]] = {"practice": ("GP practice", "huisartsenpraktijk")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"gp": ("the GP", "de huisarts")}

    id: Id
    name: Name = ""
    agb: Agb | None = Field(None, description="the practice's AGB code, eight digits in quotes ('01234567'); "
                            "informational, kept from a region's workbook")
    list_size: Annotated[int, Count, Field(gt=0, le=1_000_000)] = Field(
        4700, description="[lit] ~2,350 patients per FTE GP; informational")
    roster: Roster = Field(
        default_factory=lambda: [_office_block(2)],
        description="GPs present; default 2 GPs Mon-Fri 08-17 [assumption]",
    )
    regular_load: Annotated[float, Field(ge=0, lt=1)] = Field(
        0.8,
        description="share of the GPs' rostered office-hours time taken by the rest of the practice "
        "list [assumption: Wlz locations are a small part of a practice's work; 44 h/week, 56% direct "
        "care, Van Hassel 2016]. Non-urgent work for the locations fits in the rest; U1-U2 take a GP "
        "off other work (docs/model.md, 'Free time')",
    )
    regular_load_anw: LoadShare = Field(
        0.0, description="the same for rostered time in ANW hours [assumption: on-call time has no other "
        "planned work]")
    waarneming: str | None = Field(
        None, description="practice that takes this practice's urgent and can't-wait calls while it is "
        "closed in office hours (waarneming) [assumption: by default the next practice in the list that "
        "is open]")
    planned_cutoff: ClockTime = Field(
        "10:00",
        description="non-acute consults and visits asked before this time are planned the same "
        "day, later ones the next day [assumption: morning phone hours, LHV practice routine]",
    )
    planned_start: ClockTime = Field(
        "12:00", description="the visit round: planned work is not started before this time [assumption]"
    )
    durations: ModalityDurations = Field(default_factory=lambda: GP_DURATIONS.model_copy(deep=True))
    fte_hours_per_week: FteHours = Field(44, description="[lit] GP working week, Van Hassel 2016")

    @model_validator(mode="after")
    def _clock(self) -> "Practice":
        clock_minutes(self.planned_cutoff)
        clock_minutes(self.planned_start)
        return self


class Behandeldienst(ServiceSchema):
    """The provider's own physicians (SO or AVG) for locations *met behandeling*."""

    first_line: ClassVar[bool] = False
    category: ClassVar[str] = "physician"
    labels: ClassVar[dict[str, tuple[str, str]]] = {"behandeldienst": ("behandeldienst (SO/AVG)", "behandeldienst (SO/AVG)")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"so": ("the SO", "de SO"), "avg": ("the AVG", "de AVG")}

    id: Id
    name: Name = ""
    discipline: Literal["so", "avg"] = Field("so", description="SO for VV/GGZ, AVG for GHZ")
    roster: Roster = Field(
        default_factory=lambda: [_office_block(2)] + anw_blocks(1, 1, 1, 1),
        description="day physicians and one ANW on-call physician [assumption]",
    )
    regular_load: LoadShare = Field(
        0.5, description="share of rostered office-hours time for rounds, MDO and planned care [assumption]"
    )
    regular_load_anw: LoadShare = Field(
        0.0, description="the same in ANW hours [assumption: the on-call physician has no other planned work]")
    durations: ModalityDurations = Field(default_factory=lambda: GP_DURATIONS.model_copy(deep=True))
    travel_min_anw: Minutes | None = Field(
        20, description="[assumption] one-way drive of the ANW on-call physician, who is at home, to any location "
        "(evening, night, weekend, holidays); empty: the locations' travel_min_behandeldienst around the clock")
    fte_hours_per_week: FteHours = Field(36, description="[assumption] SO/AVG working week")


class Location(Strict):
    """A Wlz care location: its residents generate care requests."""

    id: Id
    name: Name = ""
    postcode: Annotated[str, Field(max_length=20)] | None = Field(
        None, description="informational (travel times are given below), kept from a region's workbook")
    zorgprofiel: Annotated[str, Field(max_length=40)] | None = Field(
        None, description="the residents' care profile as the region's list names it (PG, VG 5, ...); "
        "informational: the sector decides the model (docs/model.md, 'Your own region')")
    kind: Literal["kleinschalig", "verpleeghuis", "geclusterd", "thuis"]
    sector: Literal["VV", "GHZ", "GGZ"] = "VV"
    residents: Annotated[int, Count, Field(gt=0, le=MAX_RESIDENTS)] = Field(
        description=f"at most {MAX_RESIDENTS:,} (a third of all Dutch Wlz clients)")
    behandeling: bool = Field(
        False,
        description="leveringsvorm met behandeling: the provider's SO/AVG is the physician and "
        "the client is on no GP list [seed 001]",
    )
    practice: Id | Annotated[dict[str, float], Field(max_length=1_000)] | None = Field(
        None, description="fixed GP practice (required without behandeling), or a mapping practice -> share "
        "of the residents when they have several GPs (seed 001: one location, 26 GPs), e.g. {P1: 0.5, P2: 0.5}")
    behandeldienst: Id | None = Field(None, description="required with behandeling")
    travel_min_practice: Minutes = Field(8, description=f"one-way, practice to location; at most {MAX_MINUTES} min")
    travel_min_hap: Minutes = Field(15, description="one-way, HAP to location [lit: <=20 km matters, Giesen 2007]")
    travel_min_behandeldienst: Minutes = Field(10, description="one-way, the SO/AVG to the location in office "
                                               "hours (0: on site); in ANW hours the behandeldienst's travel_min_anw")
    travel_min_aanrijdteam: Minutes = Field(15, description="one-way, aanrijdteam car to location [assumption]")
    travel_min: Annotated[dict[str, Minutes], Field(max_length=100)] = Field(
        default_factory=dict, description="one-way travel to the location per kind of service, e.g. {aanrijdteam: "
        "12}: any service kind that travels; for the practice, HAP, behandeldienst and aanrijdteam the same as "
        f"travel_min_practice, ... (give one of the two); at most {MAX_MINUTES} min")
    spoedpost: Id | None = Field(None, description="which HAP serves the location (default: the first)")
    rate_per_resident_week: Rate | None = Field(None, description="overrides demand.rate_per_resident_week")

    @field_validator("practice", mode="before")
    @classmethod
    def _practice_form(cls, v: object) -> object:
        if v is not None and not isinstance(v, (str, dict)):
            raise ValueError("give a practice id (P1), or practice ids with their share of the residents "
                             "({P1: 0.6, P2: 0.4})")
        return v

    @field_validator("practice")
    @classmethod
    def _practice_shares(cls, v: str | dict[str, float] | None) -> str | dict[str, float] | None:
        if isinstance(v, dict):
            if not v:
                raise ValueError("give at least one practice with its share of the residents, e.g. {P1: 0.6, P2: 0.4}")
            bad = {pid: share for pid, share in v.items() if not 0 <= share <= 1}
            if bad:
                raise ValueError("each practice's share of the residents is between 0 and 1 (got "
                                 + ", ".join(f"{pid}: {share:g}" for pid, share in bad.items()) + ")")
            total = sum(v.values())
            if not math.isclose(total, 1.0, abs_tol=1e-6):
                raise ValueError(f"the practices' shares of the residents must sum to 1 (they sum to {total:.6g})")
        return v

    @model_validator(mode="after")
    def _travel_once(self) -> "Location":
        unknown = sorted(set(self.travel_min) - set(SERVICE_SCHEMAS))
        if unknown:
            raise ValueError(f"travel_min: {', '.join(unknown)} is no kind of service (kinds: "
                             f"{', '.join(SERVICE_SCHEMAS)})")
        both = [k for k in self.travel_min if f"travel_min_{k}" in self.model_fields_set]
        if both:
            raise ValueError(f"travel_min.{both[0]} and travel_min_{both[0]} say the same: give one of the two")
        return self

    def travel_to(self, kind: str, default: float = 0.0) -> float:
        """One-way minutes from a service of this kind to the location: travel_min[kind], or
        its own field (travel_min_practice, ...) for the four kinds that have one, else `default`."""
        if kind in self.travel_min:
            return self.travel_min[kind]
        minutes: float = getattr(self, f"travel_min_{kind}", default)
        return minutes

    def practice_shares(self) -> dict[str, float]:
        """The location's practices and the share of its residents each has on its list."""
        if self.practice is None:
            return {}
        return {self.practice: 1.0} if isinstance(self.practice, str) else dict(self.practice)

    def resident_practices(self) -> list[str]:
        """The practice of each resident (index = client): the shares rounded to whole residents
        (largest remainder), in the order given. No random numbers: every scenario that names the
        same shares puts the same residents with the same practice."""
        shares = self.practice_shares()
        if not shares:
            return []
        exact = [s * self.residents for s in shares.values()]
        counts = [int(x) for x in exact]
        for k in sorted(range(len(exact)), key=lambda k: counts[k] - exact[k])[: self.residents - sum(counts)]:
            counts[k] += 1
        return [pid for pid, n in zip(shares, counts) for _ in range(n)]


class Travel(Strict):
    """How one-way travel times vary around the mean a location or service gives."""

    cv: Annotated[float, Field(ge=0, le=2)] = Field(
        0.3, description="[assumption] coefficient of variation of a drive around its mean (traffic, where in the "
        "area, parking): lognormal, the same draw for a request at every service (common random numbers); 0 "
        "keeps every drive at its mean. A mean at the norm then meets it about half the time, not always or never")


# A norm in minutes: at most four weeks; a phone-answer norm in seconds: at most an hour.
NormMin = Annotated[float, Field(gt=0, le=4 * MAX_WEEK_MIN)]
PhoneS = Annotated[float, Field(gt=0, le=3_600)]


class Norms(Strict):
    """Response-time norms per NTS urgency, minutes [lit: NHG TriageWijzer, Nivel 2019]."""

    U1: NormMin = Field(15, description="immediately; HAP visit target <=15 min")
    U2: NormMin = Field(60, description="within 1 hour")
    U3: NormMin = Field(180, description="within a few hours [assumption: 3 h]")
    U4: NormMin = Field(1440, description="same day / within 24 h")
    U5: NormMin = Field(4320, description="advice or next working day [assumption: 72 h covers a weekend]")
    phone_urgent_s: PhoneS = Field(30, description="[lit] urgent line answered within 30 s (90% norm, LHV/IGZ)")
    phone_other_s: PhoneS = Field(120, description="[lit] other calls within 2 min (75% norm)")
    phone_urgent_target: Share = Field(0.90, description="[lit] share of urgent calls the urgent line answers within "
                                       "phone_urgent_s (LHV/IGZ)")
    phone_other_target: Share = Field(0.75, description="[lit] share of other calls answered within phone_other_s "
                                      "(LHV/IGZ)")
    settled_without_physician: list[Literal["U1", "U2", "U3", "U4", "U5"]] = Field(
        default_factory=lambda: list(URGENCIES[2:]),
        description="urgencies whose norm a nurse, triagist or VS meets by settling the request alone "
        "(advice, care on site); U1-U2 need a physician [lit: NTS / NHG TriageWijzer]")



def _region_required(schema: dict) -> None:
    """The JSON Schema says what _region_given enforces: a scenario names its region."""
    schema["properties"]["region"].pop("default", None)
    schema.setdefault("required", []).insert(0, "region")


class Scenario(Strict):
    """A whole scenario: a region, its locations and services, and the model's parameters."""

    model_config = ConfigDict(**Strict.model_config, json_schema_extra=_region_required)

    scenario: FolderName = Field("scenario", description="name, used as the results folder (results/<scenario>/): "
                                 "letters, digits, '-', '_', '.' and spaces, not starting with a dot, at most 100 "
                                 "characters")
    description: Text | Translated = Field("", description="what the scenario is, in words; write "
                                           "{en: ..., nl: ...} to give English and Dutch reports each their own")
    # required: None is refused by validation, with its own message
    region: Region = Field(None,  # type: ignore[assignment]
                           description="the region: its name and the inhabitants the HAP serves (required)")
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    demand: LocationDemand = Field(default_factory=LocationDemand)
    norms: Norms = Field(default_factory=Norms)
    practices: list[Practice] = Field(default_factory=list, max_length=5_000)
    spoedpost: Spoedpost = Field(default_factory=Spoedpost, description="the HAP, when the region has one")
    spoedposten: list[Spoedpost] = Field(
        default_factory=list, max_length=200, description="several HAPs (replaces spoedpost); locations name theirs")
    behandeldiensten: list[Behandeldienst] = Field(default_factory=list, max_length=1_000)
    services: list[Service] = Field(default_factory=list, max_length=1_000, description="arrangement blocks (B-J)")
    routes: list[Route] = Field(
        default_factory=list, max_length=1_000,
        description="first match wins; the baseline routes (A) follow as a fallback unless "
        "baseline_fallback is false",
    )
    baseline_fallback: bool = True
    pressures: Pressures = Field(default_factory=Pressures)
    ambulance: Ambulance = Field(default_factory=Ambulance, description="112 and the A1 ambulance for U1 requests")
    travel: Travel = Field(default_factory=Travel)
    locations: Annotated[list[Location], Field(min_length=1, max_length=20_000)]

    @field_validator("region", mode="before")
    @classmethod
    def _region_given(cls, value: object) -> object:
        """Without a region a run would silently be an example region's HAP: say what to add."""
        if value is None:
            raise ValueError("missing: add e.g. region: {name: Mijn regio, inhabitants: 80000} (the population "
                             "the HAP serves; no example region is assumed)")
        return value

    @model_validator(mode="after")
    def _region_named(self) -> "Scenario":
        self.region.name = self.region.name or self.scenario  # a region without a name is called after its scenario
        return self

    @model_validator(mode="after")
    def _office_share_fits(self) -> "Scenario":
        share = self.demand.office_share
        if share is not None:
            week = self.demand.profile.hour_of_week().reshape(7, 24)
            weekend = float(week[5:].sum())
            if share > 1 - weekend + 1e-9:
                raise ValueError(f"demand.office_share: at most {1 - weekend:.3f} with this profile (its weekend "
                                 f"holds {weekend:.1%} of the week; got {share:g})")
        return self

    @model_validator(mode="after")
    def _scale_hap_rosters(self) -> "Scenario":
        """Default HAP rosters follow the inhabitants each post serves (the defaults are sized
        for 120,000): a region of 300,000 with default rosters is not silently overloaded."""
        self.spoedpost = self.spoedpost.scaled_to(self.spoedpost.inhabitants or self.region.inhabitants)
        self.spoedposten = [h.scaled_to(h.inhabitants or self.region.inhabitants) for h in self.spoedposten]
        return self

    def describe(self, lang: str = "en") -> str:
        """The scenario's description in a report's language."""
        return self.description.text(lang) if isinstance(self.description, Translated) else self.description

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


# Every kind of service, with the schema class that declares it (fields, defaults, whether it
# is a first-line step, its workload category and names): the three core services by the
# name routes and pool kinds use, and every arrangement block by its `type`.
SERVICE_SCHEMAS: dict[str, type[ServiceSchema]] = {"practice": Practice, "hap": Spoedpost, "behandeldienst": Behandeldienst,
                                            "ambulance": Ambulance, **block_types()}
