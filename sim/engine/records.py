"""Event records, kept columnar: preallocated arrays per request, growing lists per stage.

The model only writes numbers here; turning them into tables happens after the run.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable
from typing import Any

import numpy as np

# diverted: the professional was taken off it on the way (a HAP car turned to a U1); the
# request queued again, and its next stage says what happened then
STAGE_OUTCOMES = ("served", "transferred", "resolved", "passed_on", "open", "diverted")
SERVED, TRANSFERRED, RESOLVED, PASSED_ON, OPEN, DIVERTED = range(len(STAGE_OUTCOMES))

# Who a contact was with: which norm it can meet depends on it (norms.py).
CONTACT_KINDS = ("phone_line", "nurse", "physician", "digital_physician", "ambulance")
PHONE_LINE, NURSE, PHYSICIAN, DIGITAL_PHYSICIAN, AMBULANCE = range(len(CONTACT_KINDS))


class Recorder:
    """What happened to each request (first contact and its kind, physician contact, the
    contact that meets its norm, done, handler), and one row per service stage (queue
    enter, ready, start, end, time the resource was held)."""

    STAGE_FIELDS = ("request", "service", "resource", "enter", "ready", "start", "end", "busy", "contact",
                    "outcome", "preempt")

    def __init__(self, n_requests: int):
        # Typed C buffers (array.array), not lists of Python floats: writing one is as
        # cheap as a list item, and numpy reads them afterwards without converting
        # (np.frombuffer), where a list of 10^6 floats scattered over memory is slow.
        nan = float("nan")
        self.response = array("d", [nan]) * n_requests
        self.first_kind = array("b", [-1]) * n_requests
        self.physician = array("d", [nan]) * n_requests
        self.norm = array("d", [nan]) * n_requests
        self.done = array("d", [nan]) * n_requests
        self.handled_by = array("b", [-1]) * n_requests
        self.referred_seh = array("b", [0]) * n_requests
        # stages: one row of len(STAGE_FIELDS) numbers each, appended to one flat buffer;
        # resources are coded by their order of first appearance
        self.stages = array("d")
        self.resources: list[str] = []
        self._resource_code: dict[str, int] = {}
        # requests between two steps of a service, in no queue: planned for a later round or a
        # reopening, or travelling to the post. i -> (handler, resource, enter, ready)
        self.in_transit: dict[int, tuple[int, str, float, float]] = {}

    def arrays(self) -> dict[str, np.ndarray]:
        return {"response": np.frombuffer(self.response, dtype=float),
                "first_kind": np.frombuffer(self.first_kind, dtype=np.int8),
                "physician": np.frombuffer(self.physician, dtype=float),
                "norm": np.frombuffer(self.norm, dtype=float),
                "done": np.frombuffer(self.done, dtype=float), "handled_by": np.frombuffer(self.handled_by, dtype=np.int8),
                "referred_seh": np.frombuffer(self.referred_seh, dtype=np.int8).astype(bool)}

    def contact(self, i: int, t: float, kind: int, norm: bool = False) -> None:
        """A contact with a professional at time t: the first one (and its kind), the first
        with a physician, and the first that meets the request's norm are kept. Contacts
        may be written out of time order (a car and a triage call at once), hence the
        comparisons; `not x <= t` is also true while x is still NaN."""
        if not self.response[i] <= t:
            self.response[i] = t
            self.first_kind[i] = kind
        if kind >= PHYSICIAN and kind != AMBULANCE and not self.physician[i] <= t:
            self.physician[i] = t
        if norm and not self.norm[i] <= t:
            self.norm[i] = t

    def finish(self, i: int, t: float, handler: int) -> None:
        self.done[i] = t
        self.handled_by[i] = handler

    def stage(self, i: int, service: int, resource: str, enter: float, ready: float, start: float, end: float,
              busy: float, outcome: int = SERVED, contact: float | None = None, preempt: bool = False) -> None:
        """outcome: served (closed it), transferred (handed on unseen), resolved (first line
        closed it), passed_on (first line saw it and passed it on), open (still waiting or in
        hand at the horizon). ready: when it could be served (after planning); preempt: an
        urgent claim that took a professional off other work."""
        code = self._resource_code.get(resource)
        if code is None:
            code = self._resource_code[resource] = len(self.resources)
            self.resources.append(resource)
        self.stages.frombytes(_ROW(i, service, code, enter, ready, start, end, busy,
                                   start if contact is None else contact, outcome, preempt))

    def open_stages(self, pools: Iterable[Any], horizon: float) -> None:
        """At the horizon, a row for every claim still waiting (start empty) or in hand (busy
        until the horizon; its contact, if the professional reached the patient by then), and
        for every request planned for later or travelling to the post, so that queues and work
        in progress are counted."""
        nan = float("nan")
        for pool in pools:
            for claim in pool.open_claims():
                started = claim.granted
                contact = claim.contact if started and claim.contact <= horizon else nan
                self.stage(claim.i, pool.handler, pool.name, claim.enter, claim.ready,
                           claim.start if started else nan, nan, horizon - claim.start if started else 0.0,
                           OPEN, contact=contact, preempt=claim.need <= 0.0 and pool.free is not None)
        for i, (handler, resource, enter, ready) in sorted(self.in_transit.items()):
            # ready after the horizon (a round or reopening it will not see): not known yet
            self.stage(i, handler, resource, enter, ready if ready <= horizon else nan, nan, nan, 0.0, OPEN,
                       contact=nan)

    def stage_columns(self) -> dict[str, np.ndarray]:
        """One array per field (a view on the buffer: numbers, no conversion)."""
        rows = np.frombuffer(self.stages, dtype=float).reshape(-1, len(self.STAGE_FIELDS))
        return {f: rows[:, k] for k, f in enumerate(self.STAGE_FIELDS)}


# One stage row as the bytes of its len(STAGE_FIELDS) doubles, appended to the stage buffer in
# one call: faster than a list of the numbers and array.fromlist (one row per stage, about
# 700,000 a year in the large region); ints and bools become doubles as fromlist makes them.
_ROW = struct.Struct(f"{len(Recorder.STAGE_FIELDS)}d").pack
