"""What changed between two runs on common random numbers, read the same way everywhere
(the comparison report, the impact page, the app and the printed comparison): which
changes are significant, whether a change is good or bad for clients, the group a KPI
belongs to (load, staff, response), and the printed comparison itself.
"""

from __future__ import annotations

import math
from typing import Any

from sim.experiments.output import number
from sim.fmt import text_table
from sim.present.labels import fmt_kpi_ci, kpi_label, say, word
from sim.present.page import BAD, INFO, OK
from sim.scenario.config import Scenario

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


def change_status(kpi: str, d: dict[str, Any]) -> str:
    """OK (better for clients), BAD (worse) or INFO (load, or not significant)."""
    if not significant(d):
        return INFO
    direction = better(kpi)
    if direction == 0:
        return INFO
    return OK if direction * d["mean"] > 0 else BAD


def interval(kpi: str, stats: dict[str, Any] | None, lang: str) -> str:
    """'±x unit (95% CI)' of a change in a KPI (a share's in percentage points), or '' when
    there is no interval."""
    text = fmt_kpi_ci(kpi, stats, lang, signed=True)
    return f"±{text.split(' ±', 1)[1]} {say(lang, '(95% CI)', '(95%-BI)')}" if " ±" in text else ""


def moved(diff: dict[str, dict[str, Any]]) -> list[str]:
    """The KPIs a comparison can show: measured on both sides and not identically zero."""
    return [n for n, d in diff.items() if d and d.get("n", 0) and not (d["mean"] == 0 and not d.get("sd"))]


def compare_text(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    """The printed comparison: per group the significant changes first, then the rest,
    each KPI in its own unit with the paired difference and its 95% interval."""
    a, b = result["a"]["scenario"], result["b"]["scenario"]
    lines = [say(lang, f"{b} compared with {a}: {result['replications']} replications on common random numbers, "
                       f"seed {result['seed']} (mean ±95% CI half-width; * = the interval excludes no change)",
                 f"{b} vergeleken met {a}: {result['replications']} replicaties op dezelfde toevalsgetallen, "
                 f"seed {result['seed']} (gemiddelde ±halve breedte van het 95%-BI; * = het interval sluit 'geen "
                 "verandering' uit)")]
    p = result.get("precision")
    if p:
        state = say(lang, "reached", "gehaald") if p["reached"] else \
            say(lang, f"NOT reached (cap {p['max_replications']})", f"NIET gehaald (maximum {p['max_replications']})")
        lines.append(say(lang, f"Precision target ±{p['target']:.0%} of the mean for {', '.join(p['kpis'])}: {state}",
                         f"Precisiedoel ±{p['target']:.0%} van het gemiddelde voor {', '.join(p['kpis'])}: {state}"))
    diff = result["difference"]
    shown = moved(diff)
    rows: list[list[str]] = []
    for group in GROUPS:
        mine = sorted((n for n in shown if group_of(n) == group), key=lambda n: (not significant(diff[n]),
                                                                                kpi_label(n, lang, sc)))
        if not mine:
            continue
        rows.append([f"[{word(group, lang)}]", "", "", ""])
        for n in mine:
            both = result["kpis"].get(n) or {}
            rows.append([("* " if significant(diff[n]) else "  ") + kpi_label(n, lang, sc),
                         fmt_kpi_ci(n, both.get("a"), lang), fmt_kpi_ci(n, both.get("b"), lang),
                         fmt_kpi_ci(n, diff[n], lang, signed=True)])
    lines += text_table(["", a, b, say(lang, "difference (b - a)", "verschil (b - a)")], rows)
    if result.get("failures"):
        lines.append(say(lang, f"{len(result['failures'])} runs failed; see comparison.json",
                         f"{len(result['failures'])} runs mislukt; zie comparison.json"))
    return "\n".join(lines)
