"""Queueing results with known answers, to verify the simulator and to sanity-check a
user's scenario (`run_sim.py check`).

- M/M/c (Erlang C): probability of waiting, mean wait, P(wait > t).
- M/G/1 with non-preemptive priority classes (Cobham 1954): mean wait per class.
"""

from __future__ import annotations

import math


def erlang_c(c: int, offered: float) -> float:
    """Probability that an arrival waits in M/M/c with offered load a = lambda/mu (< c)."""
    if offered >= c:
        return 1.0
    term, total = 1.0, 1.0  # a^k / k! for k = 0
    for k in range(1, c):
        term *= offered / k
        total += term
    top = term * offered / c / (1 - offered / c)  # a^c / c! / (1 - rho)
    return top / (total + top)


def mmc_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of M/M/c (time units of 1/lam)."""
    if lam >= c * mu:
        return math.inf
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mmc_wait_exceeds(lam: float, mu: float, c: int, t: float) -> float:
    """P(wait > t) in M/M/c."""
    if lam >= c * mu:
        return 1.0
    return erlang_c(c, lam / mu) * math.exp(-(c * mu - lam) * t)


def cobham_waits(lams: list[float], means: list[float], second_moments: list[float]) -> list[float]:
    """Mean wait of each priority class (highest first) in an M/G/1 non-preemptive queue."""
    w0 = sum(lam * m2 for lam, m2 in zip(lams, second_moments)) / 2
    out, sigma = [], 0.0
    for lam, m in zip(lams, means):
        before = sigma
        sigma += lam * m
        out.append(math.inf if sigma >= 1 else w0 / ((1 - before) * (1 - sigma)))
    return out
