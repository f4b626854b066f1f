"""A pool of professionals whose number on duty follows a roster.

Claims wait in priority order (lowest number first, first come first served within a
priority). When the roster brings fewer people, nobody is pulled out mid-consult: the
ones in hand finish, and no new patient starts until fewer than the rostered number are
busy. When it brings more, the waiting claims are served at once.

Where the professionals also have other work (`regular_load`), a claim that names a
`need` (the minutes the job will take) starts only when the pool's free time covers it
(roster.FreeTime); urgent claims name no need, take anyone on duty who is not with
another simulated patient, and never wait behind a claim that waits for free time. When
the pool closes (nobody left on duty), the service says per waiting claim whether it moves
on (`moves_at_close`); the flow then receives False. While it stays closed with claims
waiting (a shift emptied by sickness absence), it asks again at every `recheck` time (the
calendar's office-hour boundaries), so nothing waits past the moment another service can
take it over.

A claim that may not wait (`take=True`: a U1 for a HAP car) takes over the professional
of a less urgent claim the service has marked `takeable` (a car still on its way); that
claim's flow is interrupted (flow.TakenOver) and queues again.

The roster is read lazily: the number on duty is looked up when a claim arrives or a
professional comes free, and a roster change only becomes an event while claims are
waiting for it. A GP practice's queue is usually empty, so most changes cost nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from heapq import heappop, heappush

import simpy

from sim.engine.flow import Claim, TakenOver, at, interrupt
from sim.engine.roster import INF, FreeTime, StepFunction



class Pool:
    """Professionals of one service (a practice's GPs, a HAP's cars, a voorwacht's nurses)."""

    def __init__(self, env: simpy.Environment, name: str, duty: StepFunction, handler: int = -1,
                 free: FreeTime | None = None):
        self.env = env
        self.name = name
        self.handler = handler  # records.HANDLERS code of the service, for its stage rows
        self.duty = duty
        self.free = free
        self.peak = max(1, duty.peak)
        self._times: list[float] = (duty.times.tolist() or [0.0]) + [INF]
        self._levels: list[int] = duty.levels.tolist() or [0]
        self._k = 0  # roster step in force at the last look-up (time only moves forward)
        self.busy = 0
        self.waiting = 0  # live claims in the queue (withdrawn ones are skipped when met)
        self._queue: list[tuple[int, int, Claim]] = []  # claims that need no free time
        self._budgeted: list[tuple[int, int, Claim]] = []  # claims waiting for free time too
        self._seq = 0
        self._wake_at = INF  # pending wake-up, if any
        self.holding: set[Claim] = set()  # granted claims whose stage is not yet recorded
        self.moves_at_close: Callable[[Claim], bool] | None = None  # set by the service
        self.planned: StepFunction | None = None  # the roster before sickness absence, when any was drawn
        self.recheck: list[float] = []  # when to ask again, while closed, who takes the waiting claims over
        self.takeable: dict[Claim, None] = {}  # granted claims a more urgent one may take over (in order)
        self._fk = 0  # free-time segment at the last look-up
        self._epoch = -1  # the budget the spent minutes belong to
        self._spent = 0.0

    # -- the roster ----------------------------------------------------------------------

    def level(self) -> int:
        """Professionals on duty now."""
        k = self._k
        if self._times[k + 1] <= self.env.now:  # the roster moved on since the last look
            k = self._k = bisect_right(self._times, self.env.now, k + 1) - 1
        return self._levels[k]

    def is_open(self) -> bool:
        return self.level() > 0

    def next_open(self) -> float:
        """When somebody is next on duty (now if open; infinity if not within the horizon)."""
        if self.level() > 0:
            return self.env.now
        for k in range(self._k + 1, len(self._levels)):
            if self._levels[k] > 0:
                return self._times[k]
        return INF

    # -- free time -------------------------------------------------------------------------

    def _afford(self, need: float) -> bool:
        """Take `need` minutes of free time if the budget holds them."""
        free, now = self.free, self.env.now
        assert free is not None  # only a pool with free time has budgeted claims
        k = self._fk = free.segment(now, self._fk)
        if free.epoch[k] != self._epoch:  # a new budget began since the last job
            self._epoch, self._spent = free.epoch[k], 0.0
        if free.accrued(now, k) - self._spent >= need - 1e-9:
            self._spent += need
            return True
        return False

    def _budget_time(self, need: float) -> float:
        """When the free time will cover `need` (or when to look again)."""
        assert self.free is not None
        return self.free.time_reaching(self._spent + need, self.env.now, self._fk) + 1e-9

    # -- claims ----------------------------------------------------------------------------

    def request(self, priority: int, i: int = -1, enter: float | None = None, need: float = 0.0,
                take: bool = False) -> Claim:
        """Claim a professional for request i (which entered the service at `enter`); `need`
        > 0 makes the claim wait for that many minutes of free time; `take` lets it take over
        a less urgent takeable claim rather than wait. A closed pool queues the claim too."""
        claim = self.request_if_open(priority, i, enter, need, take, closed_too=True)
        assert claim is not None  # closed_too: always a claim
        return claim

    def request_if_open(self, priority: int, i: int = -1, enter: float | None = None, need: float = 0.0,
                        take: bool = False, closed_too: bool = False) -> Claim | None:
        """As `request`, but no claim (None) while nobody is on duty: the service decides
        then whether the request waits for the reopening or moves on (claim_or_cover). One
        roster look-up tells both whether it is open and whether a professional is free."""
        now = self.env.now
        k = self._k  # self.level(), inlined: once per claim of every request
        if self._times[k + 1] <= now:
            k = self._k = bisect_right(self._times, now, k + 1) - 1
        if not closed_too and self._levels[k] <= 0:
            return None
        claim = Claim()
        claim.i, claim.priority, claim.need = i, priority, need
        claim.ready = now
        claim.enter = now if enter is None else enter
        if not self.waiting and self.busy < self._levels[k] and (need <= 0.0 or self._afford(need)):
            self.busy += 1
            claim.granted = True
            claim.start = now
            self.holding.add(claim)
            return claim
        if take and self.takeable and self._take_over(claim):
            return claim
        self._seq += 1
        heappush(self._budgeted if need > 0.0 else self._queue, (priority, self._seq, claim))
        self.waiting += 1
        self._serve()
        return claim

    def _take_over(self, claim: Claim) -> bool:
        """Give `claim` the professional of the least urgent takeable claim (the latest
        started among equals), if one is less urgent; that claim's flow is interrupted."""
        victims = [c for c in self.takeable if c.priority > claim.priority]
        if not victims:
            return False
        victim = max(victims, key=lambda c: (c.priority, c.start))
        del self.takeable[victim]
        self.holding.discard(victim)
        claim.granted = True
        claim.start = self.env.now
        self.holding.add(claim)
        assert victim.flow is not None  # a granted claim has its flow
        interrupt(victim.flow, TakenOver())  # its service records the broken-off stage and queues it again
        return True

    def release(self, claim: Claim) -> None:
        self.busy -= 1
        self.holding.discard(claim)
        if self.waiting:
            self._serve()

    def _serve(self) -> None:
        """Hand free professionals to the waiting claims, most urgent first; claims that
        need no free time before those that do."""
        queue, budgeted = self._queue, self._budgeted
        blocked = 0.0
        while self.waiting and self.busy < self.level():
            if queue:
                claim = queue[0][2]
                heappop(queue)
                if claim.withdrawn:
                    continue
            else:
                claim = budgeted[0][2]
                if claim.withdrawn:
                    heappop(budgeted)
                    continue
                if not self._afford(claim.need):
                    blocked = claim.need  # the first in line waits for free time
                    break
                heappop(budgeted)
            self.waiting -= 1
            self.busy += 1
            claim.granted = True
            claim.start = self.env.now
            self.holding.add(claim)
            if claim.flow is not None:
                claim.flow.resume(True)
        if self.waiting:
            nxt = self._times[self._k + 1]  # look again when the roster changes ...
            if blocked:
                nxt = min(nxt, self._budget_time(blocked))  # ... or the free time suffices
            if self.recheck and self.moves_at_close is not None and self.level() == 0:
                k = bisect_right(self.recheck, self.env.now)  # ... or, while closed, another may take them over
                nxt = min(nxt, self.recheck[k] if k < len(self.recheck) else INF)
            self._wake(nxt)
        else:  # only withdrawn claims left
            queue.clear()
            budgeted.clear()

    def _wake(self, t: float) -> None:
        if t < self._wake_at and t != INF:
            self._wake_at = t
            at(self.env, t - self.env.now, self._on_wake)

    def _on_wake(self, _event: simpy.Event) -> None:
        # SimPy fires at now + (t - now), which may miss t by a rounding error: an exact
        # comparison would leave a stale wake-up behind and the pool asleep for good
        if self.env.now >= self._wake_at - 1e-6:
            self._wake_at = INF
            if self.moves_at_close is not None and self.level() == 0:
                self._close()
            if self.waiting:
                self._serve()

    def _close(self) -> None:
        """The pool has closed: the claims the service moves on leave the queue."""
        moves = self.moves_at_close
        assert moves is not None  # only a pool whose service moves claims at closing closes
        moving = [c for _, _, c in self._queue + self._budgeted if not c.withdrawn and moves(c)]
        for claim in moving:
            claim.withdrawn = True
            self.waiting -= 1
        if not self.waiting:
            self._queue.clear()
            self._budgeted.clear()
        for claim in moving:
            assert claim.flow is not None  # a waiting claim has its flow
            claim.flow.resume(False)

    def open_claims(self) -> Iterator[Claim]:
        """Claims still waiting or in hand (stage not recorded), e.g. at the horizon."""
        waiting = sorted(t for t in self._queue + self._budgeted if not t[2].withdrawn and not t[2].granted)
        yield from (claim for _, _, claim in waiting)  # in queue order
        # in hand: by start (a set's order follows memory addresses, not the run)
        yield from sorted(self.holding, key=lambda c: (c.start, c.i))
