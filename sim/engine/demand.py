"""Care requests: generated up front, vectorised, one independent stream per source.

Arrivals form a non-homogeneous Poisson process that is piecewise constant per hour of
the horizon (exact for an hour-of-week profile). Every request also carries a fixed set of
uniform draws (the slots below: physician time, travel, each first-line step's outcome and time, ...)
so the same request gets the same durations and decisions in every scenario, whatever
comes before it in its route (common random numbers). Demand growth is a second stream
added on top, so it leaves the existing requests untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from sim.engine.calendar import Calendar
from sim.engine.streams import location_stream, service_stream
from sim.scenario.config import Location, Scenario
from sim.scenario.schema import MODALITIES, URGENCIES, HourProfile

# Columns of Requests.u: one uniform per request per purpose.
SERVICE, TRAVEL, HAP_TRIAGE, HAP_RESOLVE, SPLIT, DOWNGRADE, PREVENT, SEH_REFERRAL = range(8)
FILTER_RESOLVE = (8, 10, 12, 14)  # the k-th first-line step of a route
FILTER_DURATION = (9, 11, 13, 15)
# U1: ambulance, physician or both (services/ambulance.py), the ambulance's response time;
# whether care staff pass a first-line block by (its `bypass` share, the same draw at every block)
AMBULANCE_DISPATCH, AMBULANCE_RESPONSE, BYPASS = 16, 17, 18
N_SLOTS = 19


class Uniforms:
    """Every request's uniform draws, one column per slot (SERVICE, TRAVEL, ... above), read
    as `u[rows, slot]` like an (n, N_SLOTS) array.

    They are drawn per source, in blocks of rows, and the requests are in arrival order,
    which interleaves the blocks. Copying all N_SLOTS columns into that order is 74 MB of
    fresh memory for the large region (its page faults alone cost ~0.15 s on the VM), and a
    run reads only some of the slots: so a column is put in order when it is first read,
    and kept (read-only)."""

    def __init__(self, blocks: list[np.ndarray], order: np.ndarray | None = None):
        self._blocks = blocks  # (rows, N_SLOTS) each, as drawn
        self._order = order  # request -> row of the blocks stacked; None: the stacked order
        self._n = sum(len(b) for b in blocks) if order is None else len(order)
        self._columns: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return self._n

    def column(self, slot: int) -> np.ndarray:
        """One slot of every request, in request order."""
        col = self._columns.get(slot)
        if col is None:
            stacked = np.concatenate([b[:, slot] for b in self._blocks]) if self._blocks else np.empty(0)
            col = stacked if self._order is None else stacked[self._order]
            col.flags.writeable = False  # shared by every reader
            self._columns[slot] = col
        return col

    def __getitem__(self, key: tuple[Any, int]) -> Any:
        rows, slot = key
        return self.column(slot)[rows]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """The whole (n, N_SLOTS) matrix in request order (np.asarray(u)), for comparisons."""
        return np.column_stack([self.column(slot) for slot in range(N_SLOTS)]).astype(dtype or float, copy=False)

    def rows(self) -> np.ndarray:
        """Per request, its row in the blocks stacked."""
        return np.arange(self._n) if self._order is None else self._order

    def take(self, index: np.ndarray) -> "Uniforms":
        """The draws of the requests `index` selects (integers or a boolean mask), in its order."""
        return Uniforms(self._blocks, self.rows()[index])

    @classmethod
    def stack(cls, parts: list["Uniforms"], order: np.ndarray) -> "Uniforms":
        """The parts one after the other, then taken in `order`: no draw is copied."""
        blocks: list[np.ndarray] = []
        rows = []
        stacked = 0  # rows of the blocks before this part's
        for p in parts:
            rows.append(p.rows() + stacked)
            blocks += p._blocks
            stacked += sum(len(b) for b in p._blocks)
        return cls(blocks, np.concatenate(rows)[order] if rows else order)


@dataclass
class Requests:
    """Columnar batch of care requests (one entry per request)."""

    arrival: np.ndarray  # minutes since start
    source: np.ndarray  # location index, or -1 - k for the general population of HAP k
    client: np.ndarray  # resident index within the location (-1 for background)
    urgency: np.ndarray  # 1..5 (U1..U5)
    modality: np.ndarray  # index into MODALITIES
    u: Uniforms  # N_SLOTS uniforms per request, one column per slot (SERVICE, TRAVEL, ... above)

    def __len__(self) -> int:
        return len(self.arrival)

    @classmethod
    def concat(cls, parts: list["Requests"]) -> "Requests":
        """Merge batches in arrival order (ties: lower source first, then original order)."""
        arrival = np.concatenate([p.arrival for p in parts])
        source = np.concatenate([p.source for p in parts])
        order = np.lexsort((source, arrival))
        out = {f.name: np.concatenate([getattr(p, f.name) for p in parts])[order]
               for f in fields(cls) if f.name not in ("arrival", "source", "u")}
        u = Uniforms.stack([p.u for p in parts], order)
        return cls(arrival=arrival[order], source=source[order], u=u, **out)

    def subset(self, keep: np.ndarray) -> "Requests":
        return Requests(**{f.name: getattr(self, f.name)[keep] for f in fields(self) if f.name != "u"},
                        u=self.u.take(keep))


def hour_intensity(cal: Calendar, profile: HourProfile, office_share: float | None = None) -> np.ndarray:
    """The cumulative intensity of the horizon's hours (Calendar.hour_weights), which
    poisson_arrivals draws from: computed once for all locations, which share the profile."""
    cumulative: np.ndarray = np.cumsum(cal.hour_weights(profile, office_share))
    return cumulative


def poisson_arrivals(rng: np.random.Generator, rate_per_week: float, cumulative: np.ndarray) -> np.ndarray:
    """Sorted arrival times (minutes) of an NHPP with `rate_per_week` on average and the
    hours' cumulative intensity `cumulative` (hour_intensity).

    Drawn as the process's total count, then each arrival's hour in proportion to the
    hour's intensity and a uniform minute within it: the same process as a Poisson count
    per hour, at the cost of the arrivals rather than of the ~9,000 hours a year."""
    expected = rate_per_week * cumulative[-1]
    n = rng.poisson(expected)
    hour = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
    return np.sort(hour * 60.0 + rng.random(n) * 60.0)


def _categorical(rng: np.random.Generator, n: int, shares: list[float]) -> np.ndarray:
    cum = np.cumsum(shares)
    drawn: np.ndarray = np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), len(shares) - 1)
    return drawn


def _uniforms(rng: np.random.Generator, n: int) -> dict[str, Uniforms]:
    return {"u": Uniforms([rng.random((n, N_SLOTS))])}


def frailty(rng: np.random.Generator, residents: int, shape: float, normalise: bool) -> np.ndarray:
    """Per-resident relative request rate (gamma, mean 1): who the frequent callers are."""
    f = rng.gamma(shape, 1.0 / shape, size=residents)
    if normalise:
        f *= residents / f.sum()
    return f


def _location_batch(sc: Scenario, cumulative: np.ndarray, loc: Location, index: int, rng: np.random.Generator,
                    f: np.ndarray, rate: float) -> Requests:
    d = sc.demand
    arrival = poisson_arrivals(rng, rate, cumulative)
    n = arrival.size
    client = np.searchsorted(np.cumsum(f / f.sum()), rng.random(n), side="right").clip(0, loc.residents - 1)
    urgency = _categorical(rng, n, [d.urgency_mix[u] for u in URGENCIES])
    cum = np.cumsum([[d.modality_mix[u][m] for m in MODALITIES] for u in URGENCIES], axis=1)
    modality = (rng.random(n)[:, None] >= cum[urgency, :2]).sum(axis=1)
    return Requests(
        arrival=arrival,
        source=np.full(n, index, dtype=np.int32),
        client=client.astype(np.int32),
        urgency=(urgency + 1).astype(np.int8),
        modality=modality.astype(np.int8),
        **_uniforms(rng, n),
    )


def location_requests(sc: Scenario, cal: Calendar, loc: Location, index: int, replication: int,
                      cumulative: np.ndarray | None = None) -> Requests:
    """All requests of one location over the horizon, from that location's own stream
    (plus its growth stream when the scenario adds demand growth). `cumulative`: the
    demand profile's hour_intensity, when the caller has it already."""
    if cumulative is None:
        cumulative = hour_intensity(cal, sc.demand.profile, sc.demand.office_share)
    rng = location_stream(sc.region.seed, replication, loc.id)
    f = frailty(rng, loc.residents, sc.demand.frailty_shape, sc.demand.frailty_normalise)
    rate = sc.location_rate(loc) * f.mean()
    batch = _location_batch(sc, cumulative, loc, index, rng, f, rate)
    growth = sc.pressures.demand_growth
    if growth > 0:
        extra_rng = location_stream(sc.region.seed, replication, f"{loc.id}:growth")
        batch = Requests.concat([batch, _location_batch(sc, cumulative, loc, index, extra_rng, f, rate * growth)])
    return batch


def _background_batch(sc: Scenario, cal: Calendar, rng: np.random.Generator, rate: float, k: int) -> Requests:
    bg = sc.all_spoedposten()[k].background
    arrival = poisson_arrivals(rng, rate, hour_intensity(cal, bg.profile))
    n = arrival.size
    urgency = _categorical(rng, n, [bg.urgency_mix[u] for u in URGENCIES])
    modality = _categorical(rng, n, [bg.modality_mix[m] for m in MODALITIES])
    return Requests(
        arrival=arrival,
        source=np.full(n, -1 - k, dtype=np.int32),
        client=np.full(n, -1, dtype=np.int32),
        urgency=(urgency + 1).astype(np.int8),
        modality=modality.astype(np.int8),
        **_uniforms(rng, n),
    )


def background_rate(sc: Scenario, k: int = 0) -> float:
    """HAP k's general-population contacts per week (before growth): its inhabitants (the
    region's when it names none) times contacts per 1,000 a year."""
    hap = sc.all_spoedposten()[k]
    return (hap.inhabitants or sc.region.inhabitants) * hap.background.contacts_per_1000_year / 1000 / (365.25 / 7)


def background_requests(sc: Scenario, cal: Calendar, replication: int, k: int = 0) -> Requests:
    """HAP k's general-population contacts (~250 per 1,000 inhabitants per year), from
    its own stream. The profile is ANW-only, so its weekly weights spread the whole year."""
    hap = sc.all_spoedposten()[k]
    name = "spoedpost" if hap.id == "hap" else f"spoedpost:{hap.id}"
    rate = background_rate(sc, k)
    batch = _background_batch(sc, cal, service_stream(sc.region.seed, replication, f"{name}:background"), rate, k)
    growth = sc.pressures.demand_growth
    if growth > 0:
        extra = service_stream(sc.region.seed, replication, f"{name}:background:growth")
        batch = Requests.concat([batch, _background_batch(sc, cal, extra, rate * growth, k)])
    return batch


def all_requests(sc: Scenario, cal: Calendar, replication: int) -> Requests:
    """Every care request of one replication, in arrival order: each location's, then each
    HAP's general population, each from its own stream (common random numbers)."""
    cumulative = hour_intensity(cal, sc.demand.profile, sc.demand.office_share)
    parts = [location_requests(sc, cal, loc, i, replication, cumulative) for i, loc in enumerate(sc.locations)]
    parts += [background_requests(sc, cal, replication, k) for k in range(len(sc.all_spoedposten()))]
    return Requests.concat(parts)
