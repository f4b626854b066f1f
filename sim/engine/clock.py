"""SimPy's environment, run leaner: the same events in the same order, less bookkeeping.

A run of the large region reads the clock about six million times and processes about
1.5 million events. `simpy.Environment` makes each read a property call and each event a
method call inside a try block; here `now` is a plain attribute and the event loop is one
function (`run_until`), which resumes a flow whose hold has ended directly (flow.WAKE: about
two thirds of the events). Events are still SimPy events on SimPy's queue, ordered exactly as
SimPy orders them (time, priority, then the order they were scheduled), so a run gives the
same results, bit for bit (tools/kpi_fingerprint.py; benchmarks/README.md for the gain).
"""

from __future__ import annotations

from heapq import heappop, heappush

import simpy
from simpy.core import NORMAL, URGENT
from simpy.events import EventPriority

from sim.engine.flow import WAKE


class Clock(simpy.Environment):
    """A simpy.Environment whose `now` is a plain attribute (SimPy's own code reads and
    sets it as `_now`, which stays available)."""

    now = 0.0  # a plain class attribute: it hides SimPy's property, so `env.now` reads the instance's value

    @property
    def _now(self) -> float:
        return self.now

    @_now.setter
    def _now(self, value: float) -> None:
        self.now = value

    def schedule(self, event: simpy.Event, priority: EventPriority = NORMAL, delay: float = 0) -> None:
        heappush(self._queue, (self.now + delay, priority, next(self._eid), event))


def run_until(env: Clock, until: float) -> None:
    """`env.run(until=until)`, as SimPy runs it: a stop event scheduled first, at `until`
    and before the events of that moment (URGENT), then every event in order until it."""
    if until <= env.now:
        raise ValueError(f"until ({until}) must be greater than the current simulation time")
    stop = simpy.Event(env)
    stop._ok = True
    stop._value = None
    env.schedule(stop, URGENT, until - env.now)
    queue = env._queue
    while queue:
        now, _, _, event = heappop(queue)
        env.now = now
        if event is stop:
            return
        callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]  # SimPy's mark: processed
        if callbacks is WAKE:  # a flow's hold has ended (most events): resume it at once
            event.resume(None)  # type: ignore[attr-defined]  # only a Flow holds WAKE
            continue
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):  # a failed event crashes the run, as in SimPy
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc
    raise RuntimeError(f"no scheduled events left but until ({until}) was not reached")
