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
        # Python lists while the clock runs (element access is several times faster than
        # numpy's); arrays() turns them into numpy arrays afterwards.
        nan = float("nan")
        self.response = [nan] * n_requests
        self.physician = [nan] * n_requests
        self.done = [nan] * n_requests
        self.handled_by = [-1] * n_requests
        self.referred_seh = [False] * n_requests
        # one tuple per stage while running (one append instead of nine); columns() turns
        # them into one array per field afterwards
        self.stages: list[tuple] = []

    def arrays(self) -> dict[str, np.ndarray]:
        return {"response": np.asarray(self.response, dtype=float), "physician": np.asarray(self.physician, dtype=float),
                "done": np.asarray(self.done, dtype=float), "handled_by": np.asarray(self.handled_by, dtype=np.int8),
                "referred_seh": np.asarray(self.referred_seh, dtype=bool)}

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
        self.stages.append((i, service, resource, enter, start, end, busy,
                            start if contact is None else contact, outcome))

    STAGE_FIELDS = ("request", "service", "resource", "enter", "start", "end", "busy", "contact", "outcome")

    def stage_columns(self) -> dict[str, list]:
        stages = self.stages  # one comprehension per field is ~4x faster than zip(*stages)
        columns = {f: [s[k] for s in stages] for k, f in enumerate(self.STAGE_FIELDS)}
        self.stages = []  # the tuples are no longer needed: free them before the tables are built
        return columns
