"""A plain SimPy triage network, end to end, as a reference for the benchmark (bench.py):
what a textbook SimPy model of the same number of customers costs as a whole process.

    python benchmarks/plain_simpy.py CUSTOMERS WEEKS TRIAGE DOCTORS CARS

Customers arrive as a Poisson process over the weeks; each is a `simpy.Process`: a call with
a triagist (7 min), then 40% are settled, 50% see a doctor at the post (18 min) and 10% get a
car (45 min), each a `simpy.Resource` with the given number of servers; exponential times,
one seed. Nothing is recorded but a count; it prints the customers done and its seconds.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import simpy


def main(customers: int, weeks: int, triage: int, doctors: int, cars: int) -> None:
    t0 = time.perf_counter()
    rng = np.random.default_rng(1)
    horizon = weeks * 7 * 1440.0
    arrivals = np.sort(rng.uniform(0, horizon, customers)).tolist()
    calls = rng.exponential(7.0, customers).tolist()
    route = rng.choice(3, size=customers, p=[0.4, 0.5, 0.1]).tolist()
    visits = rng.exponential(18.0, customers).tolist()
    drives = rng.exponential(45.0, customers).tolist()
    env = simpy.Environment()
    lines, posts, fleet = simpy.Resource(env, triage), simpy.Resource(env, doctors), simpy.Resource(env, cars)
    done = [0]

    def customer(i: int):
        with lines.request() as req:
            yield req
            yield env.timeout(calls[i])
        if route[i] == 1:
            with posts.request() as req:
                yield req
                yield env.timeout(visits[i])
        elif route[i] == 2:
            with fleet.request() as req:
                yield req
                yield env.timeout(drives[i])
        done[0] += 1

    def source():
        for i, t in enumerate(arrivals):
            yield env.timeout(t - env.now)
            env.process(customer(i))

    env.process(source())
    env.run(until=horizon + 1440)
    print(f"{done[0]} customers in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:6]))
