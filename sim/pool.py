"""A pool of professionals whose number on duty follows a roster.

Claims wait in priority order (lowest number first, first come first served within a
priority). When the roster brings fewer people, nobody is pulled out mid-consult: the
ones in hand finish, and no new patient starts until fewer than the rostered number are
busy. When it brings more, the waiting claims are served at once.

The roster is read lazily: the number on duty is looked up when a claim arrives or a
professional comes free, and a roster change only becomes an event while claims are
waiting for it. A GP's agenda changes twice an hour, but its queue is usually empty, so
most of those changes cost nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from heapq import heappop, heappush

import simpy

from .flow import Claim, at
from .roster import StepFunction


class Pool:
    def __init__(self, env: simpy.Environment, name: str, capacity: StepFunction):
        self.env = env
        self.name = name
        self.capacity = capacity
        self.peak = max(1, capacity.peak)
        self._times = (capacity.times.tolist() or [0.0]) + [float("inf")]
        self._levels = capacity.levels.tolist() or [0]
        self._k = 0  # roster step in force at the last look-up (time only moves forward)
        self.busy = 0
        self.waiting = 0  # live claims in the queue (withdrawn ones are skipped when met)
        self._queue: list[tuple[int, int, Claim]] = []
        self._seq = 0
        self._wake_at = float("inf")  # pending roster wake-up, if any

    def level(self) -> int:
        """Professionals on duty for these requests now."""
        k = self._k
        if self._times[k + 1] <= self.env.now:  # the roster moved on since the last look
            k = self._k = bisect_right(self._times, self.env.now, k + 1) - 1
        return self._levels[k]

    def request(self, priority: int, until: float | None = None) -> Claim:
        """Claim a professional; with `until`, the claim is withdrawn if nobody is free
        by then (the flow then receives False)."""
        claim = Claim()
        if not self.waiting and self.busy < self.level():
            self.busy += 1
            claim.granted = True
            return claim
        self._seq += 1
        heappush(self._queue, (priority, self._seq, claim))
        self.waiting += 1
        self._serve()
        if not claim.granted and until is not None:
            at(self.env, until - self.env.now, lambda _e: self._withdraw(claim))
        return claim

    def release(self, claim: Claim) -> None:
        self.busy -= 1
        if self.waiting:
            self._serve()

    def _serve(self) -> None:
        """Hand free professionals to the waiting claims, most urgent first."""
        queue = self._queue
        while self.waiting and self.busy < self.level():
            claim = heappop(queue)[2]
            if claim.withdrawn:
                continue
            self.waiting -= 1
            self.busy += 1
            claim.granted = True
            if claim.flow is not None:
                claim.flow.resume(True)
        if self.waiting:
            self._wake_on_roster()
        elif queue:
            queue.clear()  # only withdrawn claims left

    def _wake_on_roster(self) -> None:
        """Claims wait: look again when the roster next changes."""
        nxt = self._times[self._k + 1]
        if nxt < self._wake_at and nxt != float("inf"):
            self._wake_at = nxt
            at(self.env, nxt - self.env.now, self._on_roster)

    def _on_roster(self, _event: simpy.Event) -> None:
        if self._wake_at == self.env.now:
            self._wake_at = float("inf")
            self._serve()

    def _withdraw(self, claim: Claim) -> None:
        if claim.granted:
            return
        claim.withdrawn = True
        self.waiting -= 1
        if not self.waiting:
            self._queue.clear()
        claim.flow.resume(False)
