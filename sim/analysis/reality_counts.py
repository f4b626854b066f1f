"""The model's side of each published Dutch figure, counted from a run's tables the way the
source counted it: one small named function per figure (sim/data/reality.yaml names them).

Only the output contract is used (analysis/tables.py: the requests and stages tables), so
the counts hold whatever the services do inside: a HAP car visit is a stage of the service
`hap` on a `<post>:car` pool with a contact time (the moment the doctor is at the patient);
a call on the HAP's triage line is a stage on a `<post>:triage` pool; an ambulance is any
stage of the service `seh`, any pool named with 'ambulance', or a request whose first contact
was an ambulance. Requests that arrived in the warm-up are left out, as from every KPI.
A function returns NaN when the run holds nothing to count (no HAP visits, no regional
triage, no ambulance): the figure is then not comparable for this scenario.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from sim.analysis.tables import RunTables
from sim.scenario.schema import ACUTE_MAX_URGENCY, URGENCIES, URGENT_MAX_URGENCY

MIN_PER_YEAR = 365.25 * 24 * 60
NIGHT = (23, 8)  # the night shift of a HAP: 23:00-08:00


@dataclass
class Counted:
    """One replication's tables, cut the way the published figures count."""

    run: RunTables

    @cached_property
    def requests(self) -> pd.DataFrame:
        """Requests that arrived after the warm-up (request_id is the row number)."""
        req = self.run.requests
        return req[~req["warmup"].to_numpy()]

    @cached_property
    def years(self) -> float:
        return (self.run.horizon - self.run.warmup_end) / MIN_PER_YEAR

    @cached_property
    def urgency(self) -> np.ndarray:
        """Urgency as asked (1-5) of every request of the run, by request_id."""
        return self.run.requests["urgency"].cat.codes.to_numpy() + 1

    @cached_property
    def general_population(self) -> pd.DataFrame:
        """The HAP's general population (source 'background'), measured window."""
        req = self.requests
        return req[(req["source"] == "background").to_numpy()]

    def _stages_of(self, service: str, pool_suffix: str) -> pd.DataFrame:
        st = self.run.stages
        pools = [p for p in st["resource"].cat.categories if p.endswith(pool_suffix)]
        keep = ((st["service"] == service) & st["resource"].isin(pools)).to_numpy()
        return st[keep & ~self.run.requests["warmup"].to_numpy()[st["request_id"].to_numpy()]]

    @cached_property
    def car_visits(self) -> pd.DataFrame:
        """HAP home visits that reached the patient: urgency, and minutes from the call to
        the car's arrival (the stage's contact). Visits still under way at the end, or
        handed over unseen, are not visits made and are left out."""
        st = self._stages_of("hap", ":car")
        st = st[st["contact"].notna().to_numpy()]
        ids = st["request_id"].to_numpy()
        arrival = self.run.requests["arrival"].to_numpy()[ids]
        minutes = (st["contact"].to_numpy() - arrival) / np.timedelta64(1, "m")
        return pd.DataFrame({"urgency": self.urgency[ids], "minutes": minutes})

    @cached_property
    def triage_calls(self) -> pd.DataFrame:
        """Calls answered on a HAP's triage line: urgency, seconds waited for the triagist,
        settled by the triagist alone or not, and the hour the call was answered."""
        st = self._stages_of("hap", ":triage")
        st = st[st["outcome"].isin(["resolved", "passed_on"]).to_numpy()]
        ids = st["request_id"].to_numpy()
        return pd.DataFrame({"urgency": self.urgency[ids], "wait_s": st["wait_min"].to_numpy() * 60,
                             "resolved": (st["outcome"] == "resolved").to_numpy(),
                             "hour": st["start"].dt.hour.to_numpy()})

    @cached_property
    def kleinschalig(self) -> pd.DataFrame:
        """Wlz requests of kleinschalige woonvormen without behandeling (seed 000's Het
        Gastenhuis is one), and their residents."""
        ids = [loc.id for loc in self.run.scenario.locations if loc.kind == "kleinschalig" and not loc.behandeling]
        req = self.requests
        return req[(req["source"] == "wlz").to_numpy() & req["location_id"].isin(ids).to_numpy()]

    @cached_property
    def kleinschalig_residents(self) -> int:
        return sum(loc.residents for loc in self.run.scenario.locations
                   if loc.kind == "kleinschalig" and not loc.behandeling)

    @cached_property
    def inhabitants(self) -> int:
        """Inhabitants the HAPs serve (their general population)."""
        sc = self.run.scenario
        return sum(h.inhabitants or sc.region.inhabitants for h in sc.all_spoedposten())

    @cached_property
    def at_hap(self) -> np.ndarray:
        """request_ids of measured requests that reached a HAP (a stage of service `hap`)."""
        st = self.run.stages
        reached = np.zeros(len(self.run.requests), dtype=bool)
        reached[st["request_id"].to_numpy()[(st["service"] == "hap").to_numpy()]] = True
        return np.flatnonzero(reached & ~self.run.requests["warmup"].to_numpy())

    @cached_property
    def with_ambulance(self) -> np.ndarray:
        """request_ids (whole run) that an ambulance attended, however the run recorded it."""
        st, req = self.run.stages, self.run.requests
        pools = [p for p in st["resource"].cat.categories if "ambulance" in p.lower()]
        by_stage = (st["service"] == "seh").to_numpy() | st["resource"].isin(pools).to_numpy()
        first = np.flatnonzero((req["first_contact"] == "ambulance").to_numpy())
        return np.union1d(st["request_id"].to_numpy()[by_stage], first)


MEASURES: dict[str, Callable[[Counted], float]] = {}


def measure(fn: Callable[[Counted], float]) -> Callable[[Counted], float]:
    """Register a counting function under its own name (the catalogue's `measure`)."""
    MEASURES[fn.__name__] = fn
    return fn


def _share(flags: np.ndarray) -> float:
    return float(np.mean(flags)) if len(flags) else math.nan


def _visits_within(c: Counted, urgencies: tuple[int, ...], minutes: float) -> float:
    v = c.car_visits
    return _share(v["minutes"].to_numpy()[v["urgency"].isin(urgencies).to_numpy()] <= minutes)


# ---------------------------------------------------------------- HAP home visits (Giesen, Oost-Brabant)


@measure
def u1_visits_within_15_min(c: Counted) -> float:
    return _visits_within(c, (1,), 15)


@measure
def u2_visits_within_60_min(c: Counted) -> float:
    return _visits_within(c, (2,), 60)


@measure
def visits_within_60_min(c: Counted) -> float:
    return _visits_within(c, tuple(range(1, len(URGENCIES) + 1)), 60)


@measure
def visit_mean_minutes(c: Counted) -> float:
    v = c.car_visits["minutes"].to_numpy()
    return float(v.mean()) if v.size else math.nan


@measure
def urgent_visits_within_60_min(c: Counted) -> float:
    return _visits_within(c, tuple(range(1, URGENT_MAX_URGENCY + 1)), 60)


@measure
def urgent_visits_within_120_min(c: Counted) -> float:
    return _visits_within(c, tuple(range(1, URGENT_MAX_URGENCY + 1)), 120)


# ---------------------------------------------------------------- HAP triage line (InEen, Moll van Charante)


def _mean_wait(c: Counted, urgent: bool) -> float:
    calls = c.triage_calls
    wait = calls["wait_s"].to_numpy()[(calls["urgency"] <= URGENT_MAX_URGENCY).to_numpy() == urgent]
    return float(wait.mean()) if wait.size else math.nan


@measure
def urgent_line_mean_wait_s(c: Counted) -> float:
    return _mean_wait(c, urgent=True)


@measure
def regular_line_mean_wait_s(c: Counted) -> float:
    return _mean_wait(c, urgent=False)


@measure
def triagist_alone_share(c: Counted) -> float:
    return _share(c.triage_calls["resolved"].to_numpy())


@measure
def triagist_alone_night_ratio(c: Counted) -> float:
    """Share settled alone in the night shift (23:00-08:00) over the share in the other
    ANW hours: a relative risk."""
    calls = c.triage_calls
    hour = calls["hour"].to_numpy()
    night = (hour >= NIGHT[0]) | (hour < NIGHT[1])
    rest = _share(calls["resolved"].to_numpy()[~night])
    return _share(calls["resolved"].to_numpy()[night]) / rest if rest else math.nan


# ---------------------------------------------------------------- HAP use by the general population (inputs)


@measure
def hap_contacts_per_1000(c: Counted) -> float:
    return len(c.general_population) / c.years / c.inhabitants * 1000


@measure
def hap_contacts_per_1000_with_wlz(c: Counted) -> float:
    """Every request that reached a HAP, the Wlz clients' on top of the general population's."""
    return len(c.at_hap) / c.years / c.inhabitants * 1000


def _modality_share(c: Counted, modality: str) -> float:
    return _share((c.general_population["modality"] == modality).to_numpy())


@measure
def hap_telephone_share(c: Counted) -> float:
    return _modality_share(c, "telephone")


@measure
def hap_visit_share(c: Counted) -> float:
    return _modality_share(c, "visit")


def _week_share(c: Counted, weekend: bool, hours: tuple[int, int]) -> float:
    """Share of the general population's contacts that arrive on weekdays (Mon-Fri) or
    weekend days (Sat, Sun) between these hours, over all the weeks measured."""
    arrival = c.general_population["arrival"]
    day, hour = arrival.dt.day_of_week.to_numpy(), arrival.dt.hour.to_numpy()
    return _share(((day >= 5) == weekend) & (hour >= hours[0]) & (hour < hours[1]))


@measure
def hap_share_weekday_18_20(c: Counted) -> float:
    return _week_share(c, False, (18, 20))


@measure
def hap_share_weekend_10_12(c: Counted) -> float:
    return _week_share(c, True, (10, 12))


@measure
def hap_share_weekend_04_06(c: Counted) -> float:
    return _week_share(c, True, (4, 6))


@measure
def u1_ambulance_share(c: Counted) -> float:
    """U1 requests at a HAP that an ambulance attended (alone or with the HAP's doctor);
    NaN when the run holds no ambulance at all (the model then has no such rule)."""
    if c.with_ambulance.size == 0:
        return math.nan
    u1 = c.at_hap[c.urgency[c.at_hap] == 1]
    return _share(np.isin(u1, c.with_ambulance))


# ---------------------------------------------------------------- Wlz demand (seed 000) and regional triage (seed 003)


@measure
def wlz_requests_per_20_residents_week(c: Counted) -> float:
    residents = c.kleinschalig_residents
    return len(c.kleinschalig) / (c.years * 365.25 / 7) / residents * 20 if residents else math.nan


@measure
def wlz_telephone_share(c: Counted) -> float:
    return _share((c.kleinschalig["modality"] == "telephone").to_numpy())


@measure
def wlz_acute_share(c: Counted) -> float:
    return _share(c.kleinschalig["urgency"].cat.codes.to_numpy() + 1 <= ACUTE_MAX_URGENCY)


@measure
def wlz_weekend_share(c: Counted) -> float:
    return _share(c.kleinschalig["arrival"].dt.day_of_week.to_numpy() >= 5)


@measure
def regional_triage_settled_share(c: Counted) -> float:
    """Share of the requests a regional 24/7 triage line answered that it settled itself;
    NaN when the scenario has no regional triage."""
    pools = [s.id for s in c.run.scenario.services if s.type == "regionale_triage"]
    st = c.run.stages
    seen = st[st["resource"].isin(pools).to_numpy() & st["outcome"].isin(["resolved", "passed_on"]).to_numpy()]
    seen = seen[~c.run.requests["warmup"].to_numpy()[seen["request_id"].to_numpy()]]
    return _share((seen["outcome"] == "resolved").to_numpy())
