"""Event records, kept columnar: preallocated arrays per request, growing lists per stage.

The model only writes numbers here; turning them into tables happens after the run.
"""

from __future__ import annotations

import numpy as np

HANDLERS = ("gp", "hap", "so", "avg", "vs", "voorwacht", "triage", "aanrijdteam", "gzc", "seh")
HANDLER_CODE = {name: i for i, name in enumerate(HANDLERS)}

STAGE_OUTCOMES = ("served", "transferred", "resolved", "passed_on")


class Recorder:
    """What happened to each request (first contact, physician contact, done, handler),
    and one row per service stage (queue enter, start, end, time the resource was held)."""

    def __init__(self, n_requests: int):
        nan = np.full(n_requests, np.nan)
        self.response = nan.copy()
        self.physician = nan.copy()
        self.done = nan.copy()
        self.handled_by = np.full(n_requests, -1, dtype=np.int8)
        self.referred_seh = np.zeros(n_requests, dtype=bool)
        self.stage_request: list[int] = []
        self.stage_service: list[int] = []
        self.stage_resource: list[str] = []
        self.stage_enter: list[float] = []
        self.stage_start: list[float] = []
        self.stage_end: list[float] = []
        self.stage_busy: list[float] = []
        self.stage_contact: list[float] = []
        self.stage_outcome: list[int] = []

    def contact(self, i: int, t: float, physician: bool) -> None:
        """First contact with a professional (and with a physician, if this one is)."""
        if self.response[i] != self.response[i]:  # NaN check without a numpy call
            self.response[i] = t
        if physician and self.physician[i] != self.physician[i]:
            self.physician[i] = t

    def finish(self, i: int, t: float, handler: int) -> None:
        self.done[i] = t
        self.handled_by[i] = handler

    def stage(self, i: int, service: int, resource: str, enter: float, start: float, end: float,
              busy: float, outcome: int = 0, contact: float | None = None) -> None:
        """outcome: served (closed it), transferred (handed on unseen), resolved (first line
        closed it), passed_on (first line saw it and passed it on)."""
        self.stage_request.append(i)
        self.stage_service.append(service)
        self.stage_resource.append(resource)
        self.stage_enter.append(enter)
        self.stage_start.append(start)
        self.stage_end.append(end)
        self.stage_busy.append(busy)
        self.stage_contact.append(start if contact is None else contact)
        self.stage_outcome.append(outcome)
