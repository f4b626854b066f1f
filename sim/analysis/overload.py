"""When a service cannot keep up, from its KPIs: the reasons a run and `check` warn about.

A service is overloaded when nobody was on duty while requests waited, when rostered shifts
were emptied (sickness absence) so that requests waited or were handed on, when its backlog
grows through the horizon, when the work offered to it (what it saw plus what waited there
and was handed on unseen, at the mean time of a job) reaches 0.95 of the time it had, when
more than 5% of what it was offered was handed on unseen at closing, or when its utilisation
reaches 0.95. Utilisation alone can hide overload: a post that hands its queue to the day
route at 08:00 never shows more than the hours it worked.
"""

from __future__ import annotations

import numpy as np

from sim.fmt import real

OVERLOAD_UTILISATION = 0.95  # utilisation, and offered load, from which a service cannot keep up
# [assumption] share of the offered requests handed on unseen beyond which it is not routine:
# a practice closing on Wednesday afternoon hands ~2% of its calls to its waarneming, the
# example HAP ~0.5% to the day route at 08:00; a HAP offered 1.2 times its doctors' time, 12%
HANDED_ON_SHARE = 0.05


def backlog(pool: np.ndarray, pools: int, ready: np.ndarray, start: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Claims waiting in each pool at each of `times` (sorted), a row per pool: ready by
    then and not yet started (or moved on). `pool`: each claim's pool number, 0 to pools - 1;
    ready and start NaN: not yet. One pass over all claims instead of two sorts per pool."""
    return _count_by(pool, pools, ready, times) - _count_by(pool, pools, start, times)


def _count_by(pool: np.ndarray, pools: int, at: np.ndarray, times: np.ndarray) -> np.ndarray:
    """How many of each pool's `at` are <= each of `times` (NaN: never)."""
    first = np.searchsorted(times, at, side="left")  # the first time at or after it; NaN sorts last
    n = len(times) + 1
    mine = pool >= 0  # a row without a pool (none in a run's tables) counts nowhere
    counts = np.bincount(pool[mine].astype(np.int64) * n + first[mine], minlength=pools * n).reshape(pools, n)
    return np.cumsum(counts[:, :-1], axis=1)


def growing(waiting: np.ndarray) -> bool:
    """A backlog that grows through the horizon: the last quarter of weeks holds at least 10
    waiting and more than twice (plus 5) what the first quarter held."""
    if waiting.size < 2:
        return False
    q = max(1, waiting.size // 4)
    first, last = waiting[:q].mean(), waiting[-q:].mean()
    return bool(last >= 10 and last > 2 * first + 5)


# the reasons in the order they are told: the first a service has is the one named
REASONS = ("nobody", "unstaffed", "backlog", "offered", "handed_on", "utilisation")


def overload_reasons(kpis: dict[str, dict[str, float]]) -> dict[str, tuple[str, tuple[float, ...]]]:
    """Services that cannot keep up, from aggregated KPIs: pool -> (why, figures), the most
    telling reason per service (REASONS, in order):
    - nobody (waiting at the end): nobody on duty in the measured weeks while requests waited;
    - unstaffed (hours a week, handed on a week): rostered shifts emptied by sickness absence;
    - backlog (waiting at the end): the backlog grows through the horizon in most replications;
    - offered (offered load): work offered reaches 0.95 of the time available;
    - handed_on (a week, share): more than 5% of what was offered handed on unseen;
    - utilisation (its mean): from 0.95."""
    def mean(pool: str, what: str) -> float:
        return real((kpis.get(f"service.{pool}.{what}") or {}).get("mean")) or 0.0

    pools = {name[len("service."):].rsplit(".", 1)[0] for name in kpis if name.startswith("service.")}
    out: dict[str, tuple[str, tuple[float, ...]]] = {}
    for pool in sorted(pools):
        waiting, handed = mean(pool, "waiting_at_horizon"), mean(pool, "handed_on_per_week")
        capacity = real((kpis.get(f"service.{pool}.capacity_hours_per_week") or {}).get("mean"))
        found: dict[str, tuple[float, ...] | None] = {
            "nobody": (waiting,) if capacity == 0 and waiting > 0 else None,
            "unstaffed": (mean(pool, "unstaffed_hours_per_week"), handed)
            if mean(pool, "unstaffed_hours_per_week") > 0 else None,
            "backlog": (waiting,) if mean(pool, "backlog_growing") >= 0.5 else None,
            "offered": (mean(pool, "offered_load"),) if mean(pool, "offered_load") >= OVERLOAD_UTILISATION else None,
            "handed_on": (handed, mean(pool, "handed_on_share"))
            if mean(pool, "handed_on_share") > HANDED_ON_SHARE else None,
            "utilisation": (mean(pool, "utilisation"),) if mean(pool, "utilisation") >= OVERLOAD_UTILISATION else None,
        }
        why = next((k for k in REASONS if found[k] is not None), None)
        if why is not None:
            reasons = found[why]
            assert reasons is not None  # the first reason found
            out[pool] = (why, reasons)
    return out


OVERLOAD_WORDS = {  # why -> the reason in words (English; present/summary.py has the Dutch)
    "nobody": "nobody on duty in the measured weeks ({:,.0f} waiting at the end)",
    "unstaffed": "nobody on duty {:,.1f} h a week in rostered shifts (sickness absence), "
                 "{:,.1f} requests a week handed on unseen",
    "backlog": "backlog grows through the horizon ({:,.0f} waiting at the end)",
    "offered": "offered {:.2f} times the time it has (work handed on unseen at closing included)",
    "handed_on": "{:,.1f} requests a week handed on unseen at closing ({:.0%} of those offered)",
    "utilisation": "utilisation {:.2f}",
}


def overloaded(kpis: dict[str, dict[str, float]]) -> dict[str, str]:
    """overload_reasons() in words, for summary.json: pool -> why."""
    return {pool: OVERLOAD_WORDS[why].format(*figures) for pool, (why, figures) in overload_reasons(kpis).items()}
