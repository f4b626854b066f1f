"""The huisartsenspoedpost (HAP) in a scenario: its triage line, doctors at the post and
visiting cars, the general population whose demand Wlz requests queue behind, and the
default ANW rosters sized for the inhabitants served. How a HAP serves requests is in
sim/services/spoedpost.py; this is what a scenario file says about it.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from sim.scenario.schema import (
    MAX_INHABITANTS,
    URGENCIES,
    Duration,
    FteHours,
    HourProfile,
    Id,
    Inhabitants,
    Minutes,
    ModalityDurations,
    ModalityMix,
    Name,
    Roster,
    RosterBlock,
    ServiceSchema,
    Share,
    Strict,
    UrgencyMix,
    _dur,
    _shares,
    anw_blocks,
)

# HAP general population, ANW only: weekday 18-20 h holds 12.3% of the week, weekend
# 10-12 h 10.1%, weekend 04-06 h 0.85% [lit: vzinfo.nl / Nivel].
HAP_WEEKDAY = [0.7, 0.5, 0.4, 0.35, 0.3, 0.3, 0.4, 0.6, 0, 0, 0, 0,
               0, 0, 0, 0, 0, 1.8, 2.4, 2.2, 1.7, 1.4, 1.2, 0.9]  # fmt: skip
HAP_WEEKEND = [1.9, 1.3, 1.0, 0.7, 0.4, 0.4, 0.8, 1.4, 2.9, 3.8, 4.72, 4.72,
               3.2, 2.9, 2.9, 2.9, 2.9, 3.0, 3.0, 2.9, 2.6, 2.2, 1.9, 1.6]  # fmt: skip




class Triage(Strict):
    roster: Roster
    duration: Duration = Field(
        default_factory=lambda: _dur(7),
        description="[lit] a telephone triage call ~7-8 min (BMC HSR 2012) [assumption: 7]",
    )
    resolves_telephone_share: Share = Field(
        0.79,
        description="share of telephone-type requests of the urgencies below that the triagist settles "
        "alone: 0.79 x 40% telephone x 87.4% U3-U5 = 27.5% of all calls [lit PMC1713241; PMC5313186]",
    )
    escalation_min: Minutes = Field(
        2, description="[assumption] the triagist's ABCD check before a U1-U2 call goes on: the car (U1) or the "
        "doctor is called then, while the triagist finishes the call (NTS step 1, 'ABCD-veilig?'). A request a "
        "first-line nurse has already escalated goes on at once")
    resolves_urgencies: list[Literal["U1", "U2", "U3", "U4", "U5"]] = Field(
        default_factory=lambda: list(URGENCIES[2:]),
        description="urgencies a triagist may settle alone [lit NTS: U1-U2 always go to a physician]",
    )


class Background(Strict):
    """The general population's own HAP demand, which Wlz requests queue behind."""

    contacts_per_1000_year: Annotated[float, Field(ge=0, le=10_000)] = Field(
        250, description="[lit] PLoS One 2017, vzinfo.nl; at most 10,000 (ten contacts per inhabitant a year)")
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


HAP_DURATIONS = ModalityDurations(
    telephone=_dur(6),  # [assumption] doctor's phone advice after triage
    consult=_dur(20),  # [lit] GP 3.0 consults/hour at the HAP, PMC5020461
    visit=_dur(20),  # [assumption] on site; travel comes on top
)


# Default HAP rosters (evening, night, weekend/holiday day, weekend/holiday night), sized for
# a post of 120,000 inhabitants [assumption]; a post for more or fewer inhabitants gets them
# scaled in proportion, rounded up (Scenario._scale_hap_rosters).
HAP_REFERENCE_INHABITANTS = 120_000
HAP_TRIAGISTS = (2, 1, 3, 1)
HAP_DOCTORS = (2, 1, 3, 1)
HAP_CARS = (1, 1, 2, 1)


def hap_blocks(counts: tuple[int, int, int, int], inhabitants: int) -> list[RosterBlock]:
    """The default ANW roster of a HAP for this many inhabitants (at least one per block)."""
    scale = inhabitants / HAP_REFERENCE_INHABITANTS
    return anw_blocks(*(max(1, math.ceil(c * scale - 1e-9)) for c in counts))


class Spoedpost(ServiceSchema):
    """The huisartsenspoedpost (HAP): triage line, doctors at the post, visiting cars."""

    first_line: ClassVar[bool] = False
    category: ClassVar[str] = "hap"  # serves the general population too: its own workload total
    labels: ClassVar[dict[str, tuple[str, str]]] = {"hap": ("huisartsenspoedpost", "huisartsenspoedpost")}
    handlers: ClassVar[dict[str, tuple[str, str]]] = {"hap": ("the HAP", "de HAP")}

    id: Id = Field("hap", description="name in routes and pool names (hap:doctor, ...)")
    name: Name = "Huisartsenspoedpost"
    inhabitants: Inhabitants | None = Field(
        None, description="population this HAP serves (background demand); default region.inhabitants; at most "
        f"{MAX_INHABITANTS:,}")
    triage: Triage = Field(
        default_factory=lambda: Triage(roster=anw_blocks(*HAP_TRIAGISTS)),
        description="[assumption] evening 2, night 1, weekend day 3, weekend night 1 for 120,000 inhabitants; "
        "by default scaled with the inhabitants served (rounded up)",
    )
    doctors: Roster = Field(
        default_factory=lambda: anw_blocks(*HAP_DOCTORS),
        description="doctors at the post (phone advice and consults); GP shifts 6-8 h [lit]; default evening 2, "
        "night 1, weekend day 3, weekend night 1 for 120,000 inhabitants, scaled with the inhabitants [assumption]",
    )
    cars: Roster = Field(
        default_factory=lambda: anw_blocks(*HAP_CARS),
        description="visiting cars, each a doctor with a driver; default evening 1, night 1, weekend day 2, "
        "weekend night 1 for 120,000 inhabitants, scaled with the inhabitants [assumption]",
    )
    durations: ModalityDurations = Field(default_factory=lambda: HAP_DURATIONS.model_copy(deep=True))
    background: Background = Field(default_factory=Background)
    fte_hours_per_week: FteHours = Field(36, description="[assumption] hours per FTE for HAP staff")

    def scaled_to(self, inhabitants: int) -> "Spoedpost":
        """The same post with every roster it did not set sized for `inhabitants`."""
        given = self.model_fields_set
        update: dict[str, object] = {}
        if "triage" not in given:
            update["triage"] = self.triage.model_copy(update={"roster": hap_blocks(HAP_TRIAGISTS, inhabitants)})
        if "doctors" not in given:
            update["doctors"] = hap_blocks(HAP_DOCTORS, inhabitants)
        if "cars" not in given:
            update["cars"] = hap_blocks(HAP_CARS, inhabitants)
        if not update:
            return self
        out = self.model_copy(update=update)
        out.__pydantic_fields_set__ = given | set(update)  # sized now: a copy keeps these rosters
        return out
