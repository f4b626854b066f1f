"""Which service a request goes to first (baseline arrangement A).

Decided for all requests at once from the location's attributes and the period of
arrival, so the event loop only follows the answer:
- a location met behandeling: the provider's behandeldienst (SO/AVG), day and night;
- any other location: its fixed GP practice in office hours, the HAP in ANW hours;
- the general population's contacts: the HAP.
"""

from __future__ import annotations

import numpy as np

from .calendar import OFFICE, Calendar
from .config import Scenario
from .demand import BACKGROUND, Requests

HAP_TARGET = 0  # service index 0 is the HAP; practices follow, then behandeldiensten


def service_index(sc: Scenario) -> dict[tuple[str, str], int]:
    """(kind, id) -> index into the model's list of services."""
    idx = {("hap", "hap"): HAP_TARGET}
    for p in sc.practices:
        idx[("practice", p.id)] = len(idx)
    for b in sc.behandeldiensten:
        idx[("behandeldienst", b.id)] = len(idx)
    return idx


def first_service(sc: Scenario, cal: Calendar, req: Requests) -> np.ndarray:
    idx = service_index(sc)
    day_target = np.array([
        idx[("behandeldienst", loc.behandeldienst)] if loc.behandeling else idx[("practice", loc.practice)]
        for loc in sc.locations
    ] + [HAP_TARGET])  # last entry: BACKGROUND (-1) indexes it
    anw_target = np.array([
        idx[("behandeldienst", loc.behandeldienst)] if loc.behandeling else HAP_TARGET
        for loc in sc.locations
    ] + [HAP_TARGET])
    office = cal.period(req.arrival) == OFFICE
    src = np.where(req.source == BACKGROUND, len(sc.locations), req.source)
    return np.where(office, day_target[src], anw_target[src])
