"""What one replication produced, as plain data: the requests, the records, and a Resource per
pool of professionals. The tables (analysis/tables.py) and every KPI are computed from
these; a results folder holds the same (requests.parquet, stages.parquet,
resources.parquet), so it can be analysed again without running anything."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.engine.calendar import Calendar
from sim.engine.demand import Requests
from sim.engine.pool import Pool
from sim.engine.records import Recorder
from sim.scenario.config import Scenario


@dataclass(frozen=True)
class PoolRole:
    """What a pool is, for the resources table and the KPIs: not the engine's business, but
    declared by the pool's service and its schema (services/region.py puts it together):
    the service kind, the workload total it counts in (physician, nurse, hap), whether it is
    first-line, its hours per FTE-week, and the extras its service is measured by: a phone
    line's answer norms, planned rounds per week, an on-location target."""

    kind: str
    category: str
    first_line: bool
    fte_hours: float = 36.0
    phone_line: bool = False
    planned_hours: float = float("nan")
    target_min: float = float("nan")


@dataclass(frozen=True)
class Resource:
    """A pool of professionals as data: what it is (kind, category, whether it is first-line
    or a phone line), its FTE hours, planned work and target, its roster (professionals on
    duty over time) and, where other work takes part of their time, the free time it left
    (cumulative, at its knots)."""

    pool: str
    kind: str
    category: str
    handler: int
    first_line: bool
    phone_line: bool
    fte_hours: float
    planned_hours: float
    target_min: float
    duty_times: np.ndarray
    duty_levels: np.ndarray
    free_knots: np.ndarray  # empty when the pool has no other work
    free_total: np.ndarray
    planned_times: np.ndarray  # the roster before sickness absence; empty when none was drawn
    planned_levels: np.ndarray

    @classmethod
    def of(cls, pool: Pool, role: PoolRole) -> "Resource":
        free = pool.free
        return cls(pool=pool.name, kind=role.kind, category=role.category, handler=pool.handler,
                   first_line=role.first_line, phone_line=role.phone_line, fte_hours=role.fte_hours,
                   planned_hours=role.planned_hours, target_min=role.target_min,
                   duty_times=pool.duty.times, duty_levels=pool.duty.levels,
                   free_knots=free._knots if free is not None else np.zeros(0),
                   free_total=free._total if free is not None else np.zeros(0),
                   planned_times=pool.planned.times if pool.planned is not None else np.zeros(0),
                   planned_levels=pool.planned.levels if pool.planned is not None else np.zeros(0, dtype=np.int64))

    @property
    def has_free_time(self) -> bool:
        return self.free_knots.size > 0

    def rostered(self, a: float, b: float) -> float:
        """Professional-minutes on duty between a and b."""
        edges = np.clip(np.r_[self.duty_times, np.inf], a, b)
        return float(np.sum(self.duty_levels * np.diff(edges)))

    def capacity(self, a: float, b: float) -> float:
        """Professional-minutes available to the requests between a and b: the free time,
        or the whole roster when the pool has no other work."""
        if self.has_free_time:
            return float(np.interp(b, self.free_knots, self.free_total) - np.interp(a, self.free_knots, self.free_total))
        return self.rostered(a, b)

    def unstaffed(self, a: float, b: float) -> float:
        """Minutes between a and b in which the roster had somebody on duty but sickness
        absence left nobody: an emptied shift."""
        if self.planned_times.size == 0:
            return 0.0
        edges = np.unique(np.r_[self.planned_times, self.duty_times, a, b])
        edges = edges[(edges >= a) & (edges <= b)]
        if edges.size < 2:
            return 0.0
        mid = edges[:-1]
        planned = self.planned_levels[np.searchsorted(self.planned_times, mid, side="right") - 1]
        actual = self.duty_levels[np.searchsorted(self.duty_times, mid, side="right") - 1]
        return float(np.diff(edges)[(planned > 0) & (actual == 0)].sum())

    def staffed(self, a: float, b: float) -> float:
        """Minutes between a and b with at least one professional on duty."""
        ends = np.r_[self.duty_times[1:], np.inf]
        on = self.duty_levels > 0
        return float(np.clip(np.minimum(ends[on], b) - np.maximum(self.duty_times[on], a), 0, None).sum())


@dataclass
class Run:
    """Everything one replication produced, before it is turned into tables."""

    scenario: Scenario
    replication: int
    calendar: Calendar
    requests: Requests
    recorder: Recorder
    urgency_final: np.ndarray
    resources: list[Resource]
    prevented_per_location: dict[str, int]
    warmup_end: float
    horizon: float
    timings: dict[str, float] = field(default_factory=dict)
