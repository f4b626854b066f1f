"""Independent random streams keyed by name (common random numbers).

Each location and each service draws from its own generator, derived from the scenario
seed, the replication number and a stable hash of the stream's name. Adding, removing or
changing one location therefore leaves every other stream's numbers untouched, which
makes scenario comparisons fair and runs reproducible on any number of workers.
"""

from __future__ import annotations

import hashlib

import numpy as np


def name_key(name: str) -> int:
    """A stable 64-bit integer for a stream name (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "little")


def stream(seed: int, replication: int, name: str) -> np.random.Generator:
    """The generator for one named stream in one replication."""
    seq = np.random.SeedSequence(entropy=seed, spawn_key=(replication, name_key(name)))
    return np.random.Generator(np.random.PCG64(seq))


def location_stream(seed: int, replication: int, location_id: str) -> np.random.Generator:
    """The stream of one location's requests ('location:<id>')."""
    return stream(seed, replication, f"location:{location_id}")


def service_stream(seed: int, replication: int, service: str) -> np.random.Generator:
    """The stream of one service's own draws ('service:<name>': a HAP's population, absence)."""
    return stream(seed, replication, f"service:{service}")
