"""A pool of professionals whose number on duty follows a roster.

A SimPy PriorityResource sized to the roster's peak; when fewer are on duty, "off duty"
requests at the highest priority hold the surplus. They wait for a professional to finish
the patient in hand (nobody is pulled out mid-consult) and are released when the roster
brings people back, so the pool only costs events at roster changes.
"""

from __future__ import annotations

import simpy

from .roster import StepFunction

OFF_DUTY_PRIORITY = -1


class Pool:
    def __init__(self, env: simpy.Environment, name: str, capacity: StepFunction):
        self.env = env
        self.name = name
        self.capacity = capacity
        self.peak = max(1, capacity.peak)
        self.resource = simpy.PriorityResource(env, capacity=self.peak)
        self._off: list[simpy.resources.resource.PriorityRequest] = []
        env.process(self._follow_roster())

    def request(self, priority: int) -> simpy.resources.resource.PriorityRequest:
        return self.resource.request(priority=priority)

    def release(self, req: simpy.resources.resource.PriorityRequest) -> None:
        self.resource.release(req)

    def _follow_roster(self):
        env = self.env
        for t, level in zip(self.capacity.times, self.capacity.levels):
            if t > env.now:
                yield env.timeout(t - env.now)
            want_off = self.peak - int(level)
            while len(self._off) < want_off:
                self._off.append(self.resource.request(priority=OFF_DUTY_PRIORITY))
            while len(self._off) > want_off:
                req = self._off.pop()
                if req.triggered:
                    self.resource.release(req)
                else:
                    req.cancel()
