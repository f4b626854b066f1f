"""How a request moves through its services on SimPy's clock, without a SimPy process.

A service is still written as a generator that reads top to bottom:

    claim = pool.request(priority)
    yield claim                 # wait until a professional is free
    yield 12.5                  # hold 12.5 minutes (a consult, a drive)
    pool.release(claim)

A `simpy.Process` would cost, per request, an initialisation event, an event for every
resource request and release and one for its end: about nine events for a HAP request.
A `Flow` costs one event per hold: a claim on a free professional is granted on the
spot, a release hands the professional straight to the next claim in line, and the flow
object itself is the event that wakes it after a hold (a request holds one thing at a
time). The SimPy environment still orders every event; only the bookkeeping around it is
leaner (measured in benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from heapq import heappush
from typing import Any

import simpy
from simpy.core import NORMAL


NAN = float("nan")  # made once: float("nan") parses its string at every call (twice per claim)


class Claim:
    """A request for one professional of a pool; `granted` once one is assigned,
    `withdrawn` if it left the queue first (the service closed and moved it on).

    It carries what the pool and the records need: the request (`i`), its queue priority,
    the free time it needs, and when it entered the service, was ready to be served and
    started."""

    __slots__ = ("granted", "withdrawn", "flow", "i", "priority", "need", "enter", "ready", "start", "contact")
    i: int  # set by Pool.request
    priority: int
    need: float
    enter: float
    ready: float

    def __init__(self) -> None:
        self.granted = False
        self.withdrawn = False
        self.flow: Flow | None = None  # the flow waiting for it, or holding it
        self.start = NAN
        self.contact = NAN  # when the professional reaches the patient (for a row open at the horizon)


class Alarm(simpy.Event):
    """An event that can be set again once it has gone off: one object for a whole chain
    of wake-ups (the arrival of the next requests), instead of a new Timeout each time."""

    def __init__(self, env: simpy.Environment, callback: Callable[[Any], None]):
        # simpy.Event.__init__ is skipped on purpose: the alarm is only an event while set
        self.env = env
        self.callbacks = None  # type: ignore[assignment]  # SimPy's own mark of an event not scheduled
        self._ok, self._value = True, None  # it never fails and carries no value
        self._armed = (callback,)  # what it calls when it goes off: a tuple, made once, never added to

    def set(self, delay: float) -> None:
        self.callbacks = self._armed  # type: ignore[assignment]  # iterated as SimPy's list is
        env = self.env
        heappush(env._queue, (env.now + delay, NORMAL, next(env._eid), self))  # env.schedule, inlined


def _wake(flow: "Flow") -> None:
    flow.resume(None)


# A flow's callbacks while it holds: the event loop (clock.run_until) knows this tuple and
# resumes the flow directly, without a list per hold or a call through _wake; any other
# loop (SimPy's own) calls _wake, to the same effect.
WAKE: Any = (_wake,)  # Any: SimPy types an event's callbacks as a list

# What a service's generator is: it yields holds (minutes) and claims, and is sent whether a
# claim was granted (True) or withdrawn (False); what it returns is not used.
Step = Generator[Any, Any, Any]


class Flow(simpy.Event):
    """One request's generator, driven by the environment. The generator yields a
    number (minutes to hold) or a `Claim` (wait until granted; the flow receives True,
    or False when the claim was withdrawn at its deadline). The flow is itself the event
    that wakes it after a hold, set again for every hold, as an Alarm is."""

    _ok, _value = True, None  # for every flow (one per request): it never fails, carries no value

    def __init__(self, env: simpy.Environment, gen: Step, throw: BaseException | None = None):
        # as Alarm: no simpy.Event.__init__, an event only while it holds
        self.env = env
        self.callbacks = None  # type: ignore[assignment]
        self.gen = gen
        self.resume(None, throw)

    def resume(self, value: object, throw: BaseException | None = None) -> None:
        gen = self.gen
        while True:
            try:
                step = gen.send(value) if throw is None else gen.throw(throw)
            except StopIteration:
                return
            throw = None
            if step.__class__ is Claim:
                step.flow = self  # who holds it: a claim may be taken over (Pool.request, take=True)
                if step.granted:  # a professional was free: go on at once
                    value = True
                    continue
                return
            if not step >= 0:  # as simpy.Timeout, and NaN too: time never runs backwards
                raise ValueError(f"a flow cannot hold for {step!r} minutes")
            # a hold: this flow is the event that wakes it (Alarm.set, inlined: the
            # hottest line of a run, once per hold of every request)
            self.callbacks = WAKE
            env = self.env
            heappush(env._queue, (env.now + step, NORMAL, next(env._eid), self))
            return


class TakenOver(Exception):
    """Thrown into a flow whose professional a more urgent claim took over (a car turned
    towards a U1 before it reached a less urgent patient)."""


def interrupt(flow: Flow, exc: BaseException) -> None:
    """Break off a flow's hold: its pending wake-up is disarmed (it still fires, but calls
    nothing) and `exc` is thrown into its generator, which goes on as a new flow."""
    flow.callbacks = []
    Flow(flow.env, flow.gen, exc)


def at(env: simpy.Environment, delay: float, callback: Callable[[simpy.Event], None]) -> None:
    """Call `callback(event)` after `delay` minutes (roster changes, deadlines): a one-off
    Alarm, in the queue where a simpy.Timeout would be, with less to set up."""
    if not delay >= 0:  # as simpy.Timeout
        raise ValueError(f"negative delay {delay}")
    Alarm(env, callback).set(delay)
