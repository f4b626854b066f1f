"""What one replication produced, before it is turned into tables (analysis/tables.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.engine.calendar import Calendar
from sim.engine.demand import Requests
from sim.engine.pool import Pool
from sim.engine.records import Recorder
from sim.scenario.config import Scenario


@dataclass
class Run:
    """Everything one replication produced, before it is turned into tables."""

    scenario: Scenario
    replication: int
    calendar: Calendar
    requests: Requests
    recorder: Recorder
    urgency_final: np.ndarray
    pools: list[Pool]
    fte_hours: dict[str, float]  # pool name -> hours per FTE-week, for FTE equivalents
    kinds: dict[str, str]  # pool name -> service type (practice, hap, voorwacht, ...)
    planned_hours: dict[str, float]  # pool name -> planned work (rounds) per week
    prevented_per_location: dict[str, int]
    warmup_end: float
    horizon: float
    timings: dict[str, float] = field(default_factory=dict)
