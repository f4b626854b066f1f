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


@dataclass
class Requests:
    """Columnar batch of care requests (one entry per request)."""

    arrival: np.ndarray  # minutes since start
    source: np.ndarray  # location index, or -1 - k for the general population of HAP k
    client: np.ndarray  # resident index within the location (-1 for background)
    urgency: np.ndarray  # 1..5 (U1..U5)
    modality: np.ndarray  # index into MODALITIES
    u: np.ndarray  # (n, N_SLOTS) uniforms, one column per slot (SERVICE, TRAVEL, ... above)

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
        # the uniforms are most of the bytes: put each part's rows straight into place
        # (one copy) instead of concatenating and then reordering (two)
        row = np.empty(order.size, dtype=np.int64)
        row[order] = np.arange(order.size)
        u = np.empty((order.size, N_SLOTS))
        offset = 0
        for p in parts:
            u[row[offset:offset + len(p)]] = p.u
            offset += len(p)
        return cls(arrival=arrival[order], source=source[order], u=u, **out)

    def subset(self, keep: np.ndarray) -> "Requests":
        return Requests(**{f.name: getattr(self, f.name)[keep] for f in fields(self)})


def poisson_arrivals(rng: np.random.Generator, rate_per_week: float, cal: Calendar, profile: HourProfile,
                     office_share: float | None = None) -> np.ndarray:
    """Sorted arrival times (minutes) of an NHPP with `rate_per_week` on average.

    Drawn as the process's total count, then each arrival's hour in proportion to the
    hour's intensity and a uniform minute within it: the same process as a Poisson count
    per hour, at the cost of the arrivals rather than of the ~9,000 hours a year."""
    cumulative = np.cumsum(cal.hour_weights(profile, office_share))
    expected = rate_per_week * cumulative[-1]
    n = rng.poisson(expected)
    hour = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
    return np.sort(hour * 60.0 + rng.random(n) * 60.0)


def _categorical(rng: np.random.Generator, n: int, shares: list[float]) -> np.ndarray:
    cum = np.cumsum(shares)
    drawn: np.ndarray = np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), len(shares) - 1)
    return drawn


def _uniforms(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {"u": rng.random((n, N_SLOTS))}


def frailty(rng: np.random.Generator, residents: int, shape: float, normalise: bool) -> np.ndarray:
    """Per-resident relative request rate (gamma, mean 1): who the frequent callers are."""
    f = rng.gamma(shape, 1.0 / shape, size=residents)
    if normalise:
        f *= residents / f.sum()
    return f


def _location_batch(sc: Scenario, cal: Calendar, loc: Location, index: int, rng: np.random.Generator,
                    f: np.ndarray, rate: float) -> Requests:
    d = sc.demand
    arrival = poisson_arrivals(rng, rate, cal, d.profile, d.office_share)
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


def location_requests(sc: Scenario, cal: Calendar, loc: Location, index: int, replication: int) -> Requests:
    """All requests of one location over the horizon, from that location's own stream
    (plus its growth stream when the scenario adds demand growth)."""
    rng = location_stream(sc.region.seed, replication, loc.id)
    f = frailty(rng, loc.residents, sc.demand.frailty_shape, sc.demand.frailty_normalise)
    rate = sc.location_rate(loc) * f.mean()
    batch = _location_batch(sc, cal, loc, index, rng, f, rate)
    growth = sc.pressures.demand_growth
    if growth > 0:
        extra_rng = location_stream(sc.region.seed, replication, f"{loc.id}:growth")
        batch = Requests.concat([batch, _location_batch(sc, cal, loc, index, extra_rng, f, rate * growth)])
    return batch


def _background_batch(sc: Scenario, cal: Calendar, rng: np.random.Generator, rate: float, k: int) -> Requests:
    bg = sc.all_spoedposten()[k].background
    arrival = poisson_arrivals(rng, rate, cal, bg.profile)
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
    parts = [location_requests(sc, cal, loc, i, replication) for i, loc in enumerate(sc.locations)]
    parts += [background_requests(sc, cal, replication, k) for k in range(len(sc.all_spoedposten()))]
    return Requests.concat(parts)
