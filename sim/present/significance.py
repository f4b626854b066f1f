"""Whether a change is real and whether it is good for clients, read the same way everywhere
(a run against its parent, the comparison, the impact page, the app, the printed summary):
which changes are significant, their direction for clients, the group a KPI belongs to
(load, staff, response) and a change's interval in words.
"""

from __future__ import annotations

import math
from typing import Any

from sim.experiments.output import number
from sim.present.labels import fmt_kpi_range, unit_of
from sim.present.page import BAD, INFO, OK

GROUPS = ("group_load", "group_staff", "group_response", "group_other")


def group_of(kpi: str) -> str:
    """'group_load' (requests), 'group_staff' (hours, utilisation), 'group_response' (times)
    or 'group_other'."""
    if kpi.startswith(("hours.",)) or kpi.endswith((".hours_per_week", ".fte", ".utilisation", ".hours_week_p90")):
        return "group_staff"
    if kpi.startswith("response.") or kpi.endswith(("wait_p90_min", "planning_p90_min")):
        return "group_response"
    if kpi.startswith(("handled.", "demand.", "seh.", "prevented.", "wlz.", "gp.", "background.")) \
            or kpi.endswith(("handled_per_week", "transferred_per_week")):
        return "group_load"
    return "group_other"


def better(kpi: str) -> int:
    """+1 when higher is better for a client (a share within the norm), -1 when lower is
    (times, waits), 0 when it is load (neither)."""
    if kpi.endswith(("within_norm", "within_target", "answered_within_phone_norm")):
        return 1
    if kpi.endswith("_min"):
        return -1
    return 0


def significant(d: dict[str, Any] | None) -> bool:
    """The 95% interval of a paired difference excludes no change."""
    if not d:
        return False
    lo, hi = number(d.get("ci_low")), number(d.get("ci_high"))
    return d.get("n", 0) > 1 and math.isfinite(lo) and math.isfinite(hi) and (lo > 0 or hi < 0)


MATERIAL = {"share": 0.005, "minutes": 1.0}  # smaller changes do not make an alarm: half a point, a minute


def material(kpi: str, d: dict[str, Any] | None) -> bool:
    """A significant change large enough to speak of: at least half a percentage point for
    a share, a minute for a time, 0.05 for anything else (what the pages show at all)."""
    return d is not None and significant(d) and abs(number(d.get("mean"))) >= MATERIAL.get(unit_of(kpi), 0.05)


def change_status(kpi: str, d: dict[str, Any]) -> str:
    """OK (better for clients), BAD (worse) or INFO (load, or not significant)."""
    if not significant(d):
        return INFO
    direction = better(kpi)
    if direction == 0:
        return INFO
    return OK if direction * d["mean"] > 0 else BAD


def interval(kpi: str, stats: dict[str, Any] | None, lang: str) -> str:
    """A change's 95% interval in words, '95%-BI +2,4 tot +4,4' (a share's in percentage
    points), or '' when there is none."""
    return fmt_kpi_range(kpi, stats, lang, signed=True)


def moved(diff: dict[str, dict[str, Any]]) -> list[str]:
    """The KPIs a comparison can show: measured on both sides and not identically zero."""
    return [n for n, d in diff.items() if d and d.get("n", 0) and not (d["mean"] == 0 and not d.get("sd"))]
