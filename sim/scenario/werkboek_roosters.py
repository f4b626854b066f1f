"""The rosters a region's workbook stands for. A practice's GP roster from its FTE of GPs (or from
its list size at 2,350 patients per FTE [lit: Braspenning 2012, docs/sources.md]), and back:
every whole FTE is a GP on duty on every weekday 08:00-17:00; the rest is one more GP on the
first weekdays (0.5 FTE: 2.5 days, rounded half up: Monday to Wednesday). One FTE on duty is
45 hours a week, as the example region's practices (2 GPs for 4,700 patients). A
behandeldienst's roster from its physicians by day (weekdays 08:00-17:00) and on call (every
ANW hour), the form of the schema's default (2 and 1). Each has its inverse, for the export:
None when a roster has another form (the workbook cannot hold it).
"""

from __future__ import annotations

import math
from typing import Any

from sim.scenario.schema import WEEKDAYS, _office_block, anw_blocks

MIN_FTE, MAX_FTE = 0.1, 500.0  # below: not half a day a week; above: more GPs than any practice has
OFFICE = {"start": "08:00", "end": "17:00"}
DAY_NAMES = {"mon": ("Mon", "ma"), "tue": ("Tue", "di"), "wed": ("Wed", "wo"), "thu": ("Thu", "do"),
             "fri": ("Fri", "vr")}



def fte_roster(fte: float) -> list[dict[str, Any]]:
    """The GPs on duty for an FTE: every whole FTE a GP on every weekday 08:00-17:00, the rest as
    one more GP on the first weekdays (0.5 FTE: 2.5 days, rounded half up to 3: Mon-Wed)."""
    whole = math.floor(fte + 1e-9)
    extra = math.floor((fte - whole) * 5 + 0.5)
    if extra == 5:
        whole, extra = whole + 1, 0
    blocks = []
    if extra:
        blocks.append({"days": list(WEEKDAYS[:extra]), **OFFICE, "count": whole + 1})
    if whole:
        blocks.append({"days": list(WEEKDAYS[extra:]), **OFFICE, "count": whole})
    return blocks


def roster_fte(roster: list[dict[str, Any]]) -> float | None:
    """The FTE whose roster (fte_roster) this is, or None when the roster has another form."""
    per_day = {d: 0 for d in WEEKDAYS}
    for block in roster:
        if (block["start"], block["end"]) != ("08:00", "17:00") or not set(block["days"]) <= set(WEEKDAYS):
            return None
        for d in block["days"]:
            per_day[d] += block["count"]
    fte = sum(per_day.values()) / 5
    return fte if fte_roster(fte) == [{**b, "days": list(b["days"])} for b in roster] else None


def roster_words(roster: list[dict[str, Any]], lang: str) -> str:
    """'3 GPs Mon-Wed, 2 GPs Thu-Fri 08:00-17:00' (or in Dutch)."""
    nl = lang == "nl"
    parts = []
    for block in roster:
        days = [DAY_NAMES[d][nl] for d in block["days"]]
        span = ("werkdagen" if nl else "weekdays") if len(days) == 5 else \
            (f"{days[0]}-{days[-1]}" if len(days) > 1 else days[0])
        who = ("huisarts" if nl else "GP") if block["count"] == 1 else ("huisartsen" if nl else "GPs")
        parts.append(f"{block['count']} {who} {span}")
    return ", ".join(parts) + " 08:00-17:00"


def behandeldienst_roster(day: int, anw: int) -> list[dict[str, Any]]:
    """`day` physicians on weekdays 08:00-17:00 and `anw` on call in every ANW hour."""
    blocks = ([_office_block(day)] if day else []) + (anw_blocks(anw, anw, anw, anw) if anw else [])
    return [b.model_dump(mode="json") for b in blocks]


def behandeldienst_counts(roster: list[dict[str, Any]]) -> tuple[int, int] | None:
    """(by day, on call) of a roster of that form, else None."""
    day = next((b["count"] for b in roster if (b["start"], b["end"]) == ("08:00", "17:00")), 0)
    anw = next((b["count"] for b in roster if b["start"] == "17:00"), 0)
    return (day, anw) if behandeldienst_roster(day, anw) == roster else None
