"""Care requests: generated up front, vectorised, one independent stream per source.

Arrivals form a non-homogeneous Poisson process that is piecewise constant per hour of
the horizon (exact for an hour-of-week profile). Every request also carries its own
uniform draws for service time, triage time, travel and triage outcome, so the same
request gets the same durations in every scenario (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .calendar import Calendar
from .config import MODALITIES, URGENCIES, HourProfile, Location, Scenario
from .streams import location_stream, service_stream

BACKGROUND = -1  # source index of the HAP's general-population requests
MIN_PER_WEEK = 7 * 24 * 60


@dataclass
class Requests:
    """Columnar batch of care requests (one entry per request)."""

    arrival: np.ndarray  # minutes since start
    source: np.ndarray  # location index, or BACKGROUND
    client: np.ndarray  # resident index within the location (-1 for background)
    urgency: np.ndarray  # 1..5 (U1..U5)
    modality: np.ndarray  # index into MODALITIES
    u_service: np.ndarray
    u_triage: np.ndarray
    u_travel: np.ndarray
    u_resolve: np.ndarray

    def __len__(self) -> int:
        return len(self.arrival)

    @classmethod
    def concat(cls, parts: list["Requests"]) -> "Requests":
        """Merge batches in arrival order (ties: lower source first, then original order)."""
        merged = {f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)}
        order = np.lexsort((merged["source"], merged["arrival"]))
        return cls(**{k: v[order] for k, v in merged.items()})


def poisson_arrivals(rng: np.random.Generator, rate_per_week: float, cal: Calendar, profile: HourProfile) -> np.ndarray:
    """Sorted arrival times (minutes) of an NHPP with `rate_per_week` on average."""
    expected = rate_per_week * cal.hour_weights(profile)
    counts = rng.poisson(expected)
    starts = np.repeat(np.arange(len(counts), dtype=float) * 60.0, counts)
    return np.sort(starts + rng.random(starts.size) * 60.0)


def _categorical(rng: np.random.Generator, n: int, shares: list[float]) -> np.ndarray:
    cum = np.cumsum(shares)
    return np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), len(shares) - 1)


def _uniforms(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    u = rng.random((4, n))
    return {"u_service": u[0], "u_triage": u[1], "u_travel": u[2], "u_resolve": u[3]}


def frailty(rng: np.random.Generator, residents: int, shape: float, normalise: bool) -> np.ndarray:
    """Per-resident relative request rate (gamma, mean 1): who the frequent callers are."""
    f = rng.gamma(shape, 1.0 / shape, size=residents)
    if normalise:
        f *= residents / f.sum()
    return f


def location_requests(sc: Scenario, cal: Calendar, loc: Location, index: int, replication: int) -> Requests:
    """All requests of one location over the horizon, from that location's own stream."""
    d = sc.demand
    rng = location_stream(sc.region.seed, replication, loc.id)
    f = frailty(rng, loc.residents, d.frailty_shape, d.frailty_normalise)
    rate = sc.location_rate(loc) * f.mean()
    arrival = poisson_arrivals(rng, rate, cal, d.profile)
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


def background_requests(sc: Scenario, cal: Calendar, replication: int) -> Requests:
    """The general population's HAP contacts (~250 per 1,000 inhabitants per year)."""
    bg = sc.spoedpost.background
    rng = service_stream(sc.region.seed, replication, "spoedpost:background")
    rate = sc.region.inhabitants * bg.contacts_per_1000_year / 1000 / (365.25 / 7)
    # The profile is ANW-only, so its weekly weights spread the whole year's contacts.
    arrival = poisson_arrivals(rng, rate, cal, bg.profile)
    n = arrival.size
    urgency = _categorical(rng, n, [bg.urgency_mix[u] for u in URGENCIES])
    modality = _categorical(rng, n, [bg.modality_mix[m] for m in MODALITIES])
    return Requests(
        arrival=arrival,
        source=np.full(n, BACKGROUND, dtype=np.int32),
        client=np.full(n, -1, dtype=np.int32),
        urgency=(urgency + 1).astype(np.int8),
        modality=modality.astype(np.int8),
        **_uniforms(rng, n),
    )


def all_requests(sc: Scenario, cal: Calendar, replication: int) -> Requests:
    parts = [location_requests(sc, cal, loc, i, replication) for i, loc in enumerate(sc.locations)]
    parts.append(background_requests(sc, cal, replication))
    return Requests.concat(parts)
