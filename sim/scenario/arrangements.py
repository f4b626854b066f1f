"""Arrangement blocks (B-J: docs/model.md section 2b), routes and pressures as scenario objects.

Each block is a service with its own roster and parameters: first-line blocks (voorwacht,
triage, regional triage, achterwacht, behandelteam, aanrijdteam) settle a share and pass
the rest on; physician services (gzc, artsen) and the SEH close requests. Routes say which
requests pass which blocks; pressures are knobs on the whole scenario.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, get_args

from pydantic import Field, field_validator, model_validator

from sim.scenario.schema import (
    DAYS,
    GP_DURATIONS,
    MAX_MINUTES,
    MAX_WEEK_MIN,
    URGENCIES,
    ByUrgency,
    Duration,
    FteHours,
    Id,
    LoadShare,
    Minutes,
    ModalityDurations,
    Name,
    Roster,
    RosterBlock,
    Share,
    ServiceSchema,
    Strict,
    _check_shares,
    _dur,
    _office_block,
)


def _by_urgency(**kw: float) -> dict[Any, float]:
    return {u: float(kw.get(u, 0.0)) for u in URGENCIES}


class _Block(ServiceSchema):
    """Fields every arrangement block shares: an id to route to, a roster, FTE hours. What
    kind of service a block is (first-line or not, its workload total, its names) it
    declares as class variables (schema.ServiceSchema)."""

    def assumptions(self) -> list[tuple[str, str]]:
        """What this block assumes that a policy maker may question, in English and Dutch
        (shown in every summary and report)."""
        return []

    id: Id = Field(description="name used in routes")
    name: Name = ""
    roster: Roster
    fte_hours_per_week: FteHours = Field(36, description="[assumption] hours per FTE")

    @field_validator("id")
    @classmethod
    def _not_keyword(cls, v: str) -> str:
        if v in ROUTE_KEYWORDS:
            raise ValueError(f"'{v}' is a route keyword; choose another id")
        return v


class _Filter(_Block):
    """A first-line block: resolves a share of requests itself, passes the rest on."""

    if TYPE_CHECKING:  # each kind's own field (a Literal), named here for mypy only: not a field of this class
        type: str

    first_line: ClassVar[bool] = True
    category: ClassVar[str] = "nurse"
    resolves_source: ClassVar[str] = "[assumption]"

    def assumptions(self) -> list[tuple[str, str]]:
        shares = ", ".join(f"{u} {self.resolves[u]:.0%}" for u in URGENCIES)
        esc = "/".join(self.escalates) or "-"
        lines = [(f"{self.id} ({self.type}): settles {shares} of what reaches it {self.resolves_source}",
                  f"{self.id} ({self.type}): handelt {shares} zelf af {self.resolves_source}"),
                 (f"{self.id} ({self.type}): escalates {esc} that need a physician after a {self.escalation_min:g}-min "
                  "ABCD check, staying on the line [assumption]",
                  f"{self.id} ({self.type}): schaalt {esc} die een arts nodig hebben op na een ABCD-check van "
                  f"{self.escalation_min:g} min en blijft aan de lijn [aanname]")]
        skipped = {u: s for u, s in self.bypass.items() if s > 0}
        if skipped:
            text = ", ".join(f"{u} {s:.0%}" for u, s in skipped.items())
            lines.append((f"{self.id} ({self.type}): passed straight on (112 or the physician called directly): {text} "
                          "[assumption]",
                          f"{self.id} ({self.type}): direct doorgezet (112 of de arts direct gebeld): {text} [aanname]"))
        return lines

    resolves: ByUrgency
    downgrade_share: Share = Field(
        0.0, description="share of passed-on requests whose urgency drops one level after "
        "triage [assumption: 0, no Dutch figure]",
    )
    escalates: list[Literal["U1", "U2", "U3", "U4", "U5"]] = Field(
        default_factory=lambda: list(URGENCIES[:2]), max_length=5,
        description="urgencies this block escalates after a short check when it does not settle them: the "
        "physician, car or ambulance is called then, while the professional stays on the line for the rest of "
        "the contact [NTS: step 1 is 'ABCD-veilig?'; U1-U2 need a physician]")
    escalation_min: Minutes = Field(
        2, description="[assumption] the ABCD check before an urgent request is escalated (NTS step 1, the first "
        "minutes of the call); varied in configs/sweeps/assumptions_*.yaml")
    bypass: ByUrgency = Field(
        default_factory=lambda: _by_urgency(),
        description="[assumption: 0] share of requests of each urgency that never reach this block: care staff "
        "call 112 or the physician directly; varied in the assumption sweeps")


def _round_the_clock(count: int) -> list[RosterBlock]:
    return [RosterBlock(days=list(DAYS), start="00:00", end="24:00", count=count)]


# The two bases by their public names, for a service defined outside this package
# (services/registry.register_service; docs/services.md)
Block, FirstLineBlock = _Block, _Filter


class Voorwacht(_Filter):
    """Medisch-verpleegkundige voorwacht (C) or triage at location/GP/spoedpost (B): a
    nurse (or VS/PA/POH) answers first, settles part, passes the rest to a physician."""

    labels: ClassVar[dict[str, tuple[str, str]]] = {
        "voorwacht": ("medisch-verpleegkundige voorwacht", "medisch-verpleegkundige voorwacht"),
        "triage": ("triage by POH/VS/PA", "triage door POH/VS/PA")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"voorwacht": ("the voorwacht", "de voorwacht"),
                                                      "triage": ("a triage nurse", "een triageverpleegkundige")}

    type: Literal["voorwacht", "triage"] = "voorwacht"
    roster: Roster = Field(default_factory=lambda: _round_the_clock(1))
    duration: Duration = Field(default_factory=lambda: _dur(10), description="[assumption] nurse triage call")
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U3=0.10, U4=0.30, U5=0.45),
        description="[assumption] ~35% overall for the Wlz urgency mix: between the 27.5% a HAP "
        "nurse settles alone [lit PMC1713241] and DigiContact's 85% [seed 003]; no Dutch effect "
        "size for a voorwacht exists (docs/sources.md)",
    )


class RegionaleTriage(_Filter):
    """Regional 24/7 nurse triage for many providers (E, DigiContact, G-AAN)."""

    labels: ClassVar[dict[str, tuple[str, str]]] = {"regionale_triage": ("regional 24/7 triage", "regionale 24/7-triage")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"triage": ("a triage nurse", "een triageverpleegkundige")}
    resolves_source: ClassVar[str] = "[seed 003: 85% overall]"

    type: Literal["regionale_triage"] = "regionale_triage"
    roster: Roster = Field(default_factory=lambda: _round_the_clock(2))
    duration: Duration = Field(default_factory=lambda: _dur(8), description="[assumption] online/phone triage")
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U2=0.20, U3=0.60, U4=0.88, U5=0.93),
        description="[seed 003] specialised nurses answer 85% of questions (85.1% for the Wlz mix)",
    )


class Achterwacht(_Filter):
    """Digital physician backup (AVG, SO, psychiatrist) behind a triage line (E)."""

    category: ClassVar[str] = "physician"
    labels: ClassVar[dict[str, tuple[str, str]]] = {"achterwacht": ("digital achterwacht", "digitale achterwacht")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"avg": ("the AVG", "de AVG"), "so": ("the SO", "de SO")}

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

    labels: ClassVar[dict[str, tuple[str, str]]] = {
        "behandelteam": ("compact behandelteam (VS)", "compact behandelteam (VS)")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"vs": ("the VS", "de VS")}

    def assumptions(self) -> list[tuple[str, str]]:
        return super().assumptions() + [(
            f"{self.id}: proactive care prevents {self.prevents_acute:.0%} of acute and {self.prevents_anw:.0%} of "
            f"ANW requests; rounds {self.rounds_min_per_resident_week:g} min per resident per week [assumption]",
            f"{self.id}: proactieve zorg voorkomt {self.prevents_acute:.0%} van de acute en {self.prevents_anw:.0%} van "
            f"de ANW-zorgvragen; visites {self.rounds_min_per_resident_week:g} min per bewoner per week [aanname]")]

    type: Literal["behandelteam"] = "behandelteam"
    roster: Roster = Field(default_factory=lambda: [_office_block(1)], description="daytime only [seed 000]")
    durations: ModalityDurations = Field(
        default_factory=lambda: ModalityDurations(telephone=_dur(10), consult=_dur(20), visit=_dur(25)),
        description="[assumption] VS time per contact; the VS works at the locations (no travel)",
    )
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U2=0.1, U3=0.35, U4=0.55, U5=0.65),
        description="[assumption] a VS handles most non-acute questions; no Dutch figure (docs/sources.md)",
    )
    rounds_min_per_resident_week: Annotated[float, Field(ge=0, le=MAX_WEEK_MIN)] = Field(
        10, description="[assumption] weekly rounds, advance care planning: planned VS time; at most a week"
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

    labels: ClassVar[dict[str, tuple[str, str]]] = {
        "aanrijdteam": ("verpleegkundig aanrijdteam", "verpleegkundig aanrijdteam")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"aanrijdteam": ("the aanrijdteam", "het aanrijdteam")}

    def assumptions(self) -> list[tuple[str, str]]:
        return super().assumptions() + [(f"{self.id}: target on location within {self.target_min:g} min [seed 003]",
                                         f"{self.id}: doel binnen {self.target_min:g} min op locatie [seed 003]")]

    type: Literal["aanrijdteam"] = "aanrijdteam"
    roster: Roster = Field(default_factory=lambda: _round_the_clock(2), description="cars (a nurse each)")
    duration: Duration = Field(default_factory=lambda: _dur(30), description="[assumption] time on site")
    resolves: ByUrgency = Field(
        default_factory=lambda: _by_urgency(U2=0.3, U3=0.6, U4=0.75, U5=0.8),
        description="[assumption] nurses settle most unplanned care on site",
    )
    target_min: Annotated[float, Field(gt=0, le=MAX_MINUTES)] = Field(
        30, description="[seed 003] on location within 30 minutes")


class Artsenpost(_Block):
    """A physician service that handles what reaches it: a gezondheidscentrum bijzondere
    doelgroepen (G, GZC/Regiohub), a regional SO/AVG pool or ANW rota (H), or SO in the
    first line (I)."""

    labels: ClassVar[dict[str, tuple[str, str]]] = {
        "gzc": ("gezondheidscentrum (GZC)", "gezondheidscentrum bijzondere doelgroepen"),
        "artsen": ("physician service", "artsendienst")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {
        "gzc": ("the GZC", "het GZC"), "so": ("the SO", "de SO"), "avg": ("the AVG", "de AVG"), "gp": ("the GP", "de huisarts")}

    type: Literal["gzc", "artsen"] = "gzc"
    discipline: Literal["gzc", "so", "avg", "gp"] = "gzc"
    roster: Roster = Field(default_factory=lambda: [_office_block(2)])
    regular_load: LoadShare = Field(0.5, description="[assumption] share of rostered office-hours time taken "
                                    "by other work")
    regular_load_anw: LoadShare = Field(0.0, description="the same in ANW hours [assumption: none]")
    durations: ModalityDurations = Field(default_factory=lambda: GP_DURATIONS.model_copy(deep=True))
    travel_min: Minutes = Field(15, description="[assumption] one-way to a location for a visit")
    travel_min_anw: Minutes | None = Field(
        None, description="one-way drive in ANW hours, when the physician on call is at home (a pooled ANW rota: "
        "20 [assumption]); empty: travel_min around the clock")


class Seh(ServiceSchema):
    """SEH / ambulance: where U1 goes. Not a queue here: 112 sends an ambulance."""

    first_line: ClassVar[bool] = False
    category: ClassVar[str] = "ambulance"
    labels: ClassVar[dict[str, tuple[str, str]]] = {"seh": ("SEH / ambulance", "SEH / ambulance")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"seh": ("the SEH", "de SEH")}

    def assumptions(self) -> list[tuple[str, str]]:
        return [(f"{self.id} (SEH/ambulance): on site after {self.response.mean:g} min on average [lit: A1 <=15 min in 95%]",
                 f"{self.id} (SEH/ambulance): gemiddeld na {self.response.mean:g} min ter plaatse [lit: A1 <=15 min in 95%]")]

    id: Id
    type: Literal["seh"] = "seh"
    name: Name = "SEH / ambulance"
    response: Duration = Field(
        default_factory=lambda: Duration(mean=9, cv=0.4),
        description="[lit] ambulance A1 on site <=15 min in 95% (BVA/AZN): lognormal mean 9, CV 0.4",
    )


Service = Annotated[
    Voorwacht | RegionaleTriage | Achterwacht | Behandelteam | Aanrijdteam | Artsenpost | Seh,
    Field(discriminator="type"),
]


def block_types() -> dict[str, type[ServiceSchema]]:
    """Every block `type` a scenario may name, with its schema class (read from `Service`)."""
    out: dict[str, type[ServiceSchema]] = {}
    for cls in get_args(get_args(Service)[0]):
        for name in get_args(cls.model_fields["type"].annotation):
            out[name] = cls
    return out

# Route keywords: the location's own GP practice or behandeldienst, and the HAP.
ROUTE_KEYWORDS = ("gp", "hap", "behandeldienst")
PERIOD_GROUPS = {"office": ("office",), "anw": ("evening", "night", "weekend", "holiday"),
                 "evening": ("evening",), "night": ("night",), "weekend": ("weekend",), "holiday": ("holiday",)}


class RouteMatch(Strict):
    """Which requests a route applies to; an empty list means any."""

    period: list[Literal["office", "anw", "evening", "night", "weekend", "holiday"]] = Field(
        default_factory=list, max_length=20)
    sector: list[Literal["VV", "GHZ", "GGZ"]] = Field(default_factory=list, max_length=20)
    kind: list[Literal["kleinschalig", "verpleeghuis", "geclusterd", "thuis"]] = Field(default_factory=list,
                                                                                      max_length=20)
    behandeling: bool | None = None
    locations: list[Id] = Field(default_factory=list, max_length=20_000)


class StepWhen(Strict):
    urgency: list[Literal["U1", "U2", "U3", "U4", "U5"]] = Field(default_factory=list, max_length=20)
    modality: list[Literal["telephone", "consult", "visit"]] = Field(default_factory=list, max_length=20)


class Step(Strict):
    """One step of a route: a service (a block id or gp / hap / behandeldienst), only
    `when` the request matches, or a `split` of requests between services by share."""

    service: Id | None = None
    split: Annotated[dict[str, Share], Field(max_length=100)] | None = None
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

    name: Name = ""
    match: RouteMatch = Field(default_factory=RouteMatch)
    steps: Annotated[list[Step], Field(min_length=1, max_length=100)]

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

    demand_growth: Annotated[float, Field(ge=0, le=10)] = Field(
        0.0, description="extra Wlz and HAP demand, e.g. 0.114 for 2040 [seed 003: +11.4% GP consults]; "
        "added as an extra stream, so the existing requests keep their random numbers; at most 10 (+1,000%)",
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
