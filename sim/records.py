"""Event records, kept columnar: preallocated arrays per request, growing lists per stage.

The model only writes numbers here; turning them into tables happens after the run.
"""

from __future__ import annotations

from array import array

import numpy as np

HANDLERS = ("gp", "hap", "so", "avg", "vs", "voorwacht", "triage", "aanrijdteam", "gzc", "seh")
HANDLER_CODE = {name: i for i, name in enumerate(HANDLERS)}

STAGE_OUTCOMES = ("served", "transferred", "resolved", "passed_on")


class Recorder:
    """What happened to each request (first contact, physician contact, done, handler),
    and one row per service stage (queue enter, start, end, time the resource was held)."""

    STAGE_FIELDS = ("request", "service", "resource", "enter", "start", "end", "busy", "contact", "outcome")

    def __init__(self, n_requests: int):
        # Typed C buffers (array.array), not lists of Python floats: writing one is as
        # cheap as a list item, and numpy reads them afterwards without converting
        # (np.frombuffer), where a list of 10^6 floats scattered over memory is slow.
        nan = float("nan")
        self.response = array("d", [nan]) * n_requests
        self.physician = array("d", [nan]) * n_requests
        self.done = array("d", [nan]) * n_requests
        self.handled_by = array("b", [-1]) * n_requests
        self.referred_seh = array("b", [0]) * n_requests
        # stages: one row of len(STAGE_FIELDS) numbers each, appended to one flat buffer;
        # resources are coded by their order of first appearance
        self.stages = array("d")
        self.resources: list[str] = []
        self._resource_code: dict[str, int] = {}

    def arrays(self) -> dict[str, np.ndarray]:
        return {"response": np.frombuffer(self.response, dtype=float), "physician": np.frombuffer(self.physician, dtype=float),
                "done": np.frombuffer(self.done, dtype=float), "handled_by": np.frombuffer(self.handled_by, dtype=np.int8),
                "referred_seh": np.frombuffer(self.referred_seh, dtype=np.int8).astype(bool)}

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
        code = self._resource_code.get(resource)
        if code is None:
            code = self._resource_code[resource] = len(self.resources)
            self.resources.append(resource)
        self.stages.fromlist([i, service, code, enter, start, end, busy, start if contact is None else contact, outcome])

    def stage_columns(self) -> dict[str, np.ndarray]:
        """One array per field (a view on the buffer: numbers, no conversion)."""
        rows = np.frombuffer(self.stages, dtype=float).reshape(-1, len(self.STAGE_FIELDS))
        return {f: rows[:, k] for k, f in enumerate(self.STAGE_FIELDS)}
