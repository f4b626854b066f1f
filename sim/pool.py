"""A pool of professionals whose number on duty follows a roster.

A SimPy PriorityResource whose capacity follows a step function. When the roster brings
fewer people, nobody is pulled out mid-consult: the ones in hand finish, and no new
patient starts until fewer than the rostered number are busy. When it brings more, the
waiting queue is served at once. Roster changes are a chain of timeout callbacks (one
pending event per pool), not a process: rosters with many changes (a GP's agenda has a
free slot every hour) stay cheap.
"""

from __future__ import annotations

import bisect
from operator import attrgetter

import simpy
from simpy.resources.resource import PriorityRequest, SortedQueue

from .roster import StepFunction

_KEY = attrgetter("key")


class InsertQueue(SortedQueue):
    """SimPy's SortedQueue re-sorts the whole queue on every append; inserting in place
    (bisect, stable: equal keys keep their arrival order) gives the same order cheaper."""

    def append(self, item: PriorityRequest) -> None:
        bisect.insort_right(self, item, key=_KEY)


class RosteredResource(simpy.PriorityResource):
    """PriorityResource with a capacity that can change during the run."""

    PutQueue = InsertQueue

    def __init__(self, env: simpy.Environment, level: int):
        super().__init__(env, capacity=max(1, level))
        self._level = level

    @property
    def capacity(self) -> int:  # read by Resource._do_put when a request may start
        return self._level

    def set_level(self, level: int) -> None:
        raising = level > self._level
        self._level = level
        if raising:
            self._trigger_put(None)  # serve the queue with the new staff


class Pool:
    def __init__(self, env: simpy.Environment, name: str, capacity: StepFunction):
        self.env = env
        self.name = name
        self.capacity = capacity
        self.peak = max(1, capacity.peak)
        self._times = capacity.times.tolist()
        self._levels = capacity.levels.tolist()
        self.resource = RosteredResource(env, self._levels[0] if self._levels else 0)
        self._next = 1
        self._schedule_next()

    def request(self, priority: int) -> PriorityRequest:
        return self.resource.request(priority=priority)

    def release(self, req: PriorityRequest) -> None:
        self.resource.release(req)

    def _schedule_next(self) -> None:
        if self._next < len(self._times):
            delay = self._times[self._next] - self.env.now
            self.env.timeout(max(0.0, delay)).callbacks.append(self._change)

    def _change(self, _event: simpy.Event) -> None:
        self.resource.set_level(int(self._levels[self._next]))
        self._next += 1
        self._schedule_next()
