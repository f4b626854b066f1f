"""What changed between two runs on common random numbers, read the same way everywhere
(the comparison report, a run against its parent, the impact page, the app and the printed
comparison): which changes are significant, whether a change is good or bad for clients,
the group a KPI belongs to (load, staff, response), the printed comparison and the
comparison report with its charts.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from sim.errors import ScenarioError
from sim.experiments.output import number
from sim.fmt import fmt_value, text_table
from sim.present.labels import fmt_kpi, fmt_kpi_ci, kpi_label, say, unit_of, word
from sim.present.page import BAD, COLOURS, INFO, OK, KeyFigure, Page
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


# ------------------------------------------------------------------------------ the comparison report

def comparison_section(page: Page, sc: Scenario | None, diff: dict[str, Any], base: dict[str, Any],
                       mine: dict[str, Any], a: str, b: str) -> None:
    """What changed significantly first, grouped (load, staff, response), in each KPI's unit,
    and charts of the differences by unit."""
    lang = page.lang
    page.h2(f"{word('comparison', lang)} '{a}'")
    shown = moved(diff)
    rows, classes = [], []
    for group in GROUPS:
        mine_group = [n for n in shown if group_of(n) == group]
        if not mine_group:
            continue
        rows.append([word(group, lang)])
        classes.append("group")
        for n in sorted(mine_group, key=lambda n: (not significant(diff[n]), kpi_label(n, lang, sc))):
            rows.append([kpi_label(n, lang, sc), fmt_kpi(n, (base.get(n) or {}).get("mean"), lang),
                         fmt_kpi(n, (mine.get(n) or {}).get("mean"), lang),
                         fmt_kpi_ci(n, diff[n], lang, signed=True)])
            classes.append("changed" if significant(diff[n]) else "")
    page.p(say(lang, "Paired differences per replication on the same random numbers; bold: the 95% interval excludes no "
                    "change.",
              "Verschillen per replicatie op dezelfde toevalsgetallen; vet: het 95%-interval sluit 'geen verandering' uit."),
           "note")
    page.table([word("kpi", lang), a, b, word("difference", lang)], rows, row_classes=classes)
    titles = {"per_week": say(lang, "Change in requests per week", "Verandering in zorgvragen per week"),
              "hours": say(lang, "Change in hours per week", "Verandering in uren per week"),
              "share": say(lang, "Change in shares (percentage points)", "Verandering in aandelen (procentpunten)"),
              "minutes": say(lang, "Change in times (minutes)", "Verandering in tijden (minuten)")}
    axes = {"per_week": say(lang, "requests per week", "zorgvragen per week"),
            "hours": say(lang, "hours per week", "uren per week"),
            "share": say(lang, "percentage points", "procentpunten"), "minutes": say(lang, "minutes", "minuten")}
    for unit, height, fig in change_figures(diff, lang, sc):
        page.figure(fig, f"{titles[unit]}: {b} - {a} (95% {say(lang, 'CI', 'BI')})", axes[unit], "", height=height)


CHANGE_UNITS = ("per_week", "hours", "share", "minutes")


def change_figures(diff: dict[str, dict[str, Any]], lang: str, sc: Scenario | None) -> list[tuple[str, int, go.Figure]]:
    """Per unit, the significant changes with their 95% intervals, one chart each (at most
    14 bars; times only for Wlz clients): (unit, height in px, figure). The report and the
    app draw the same."""
    shown, out = moved(diff), []
    for unit in CHANGE_UNITS:
        names = [n for n in shown if unit_of(n) == unit and significant(diff[n])
                 and (unit != "minutes" or n.startswith("response.wlz"))][:14]
        if not names:
            continue
        fig = difference_figure(diff, names, lang, sc)
        if unit == "share":
            fig.update_xaxes(tickformat=".0%")
        out.append((unit, max(260, 30 * len(names) + 120), fig))
    return out


def difference_figure(diff: dict[str, dict[str, Any]], names: list[str], lang: str = "en",
                      sc: Scenario | None = None) -> go.Figure:
    """Paired differences with their intervals, one horizontal bar per KPI (report and app)."""
    means = [diff[n]["mean"] for n in names]
    halves = [max(0.0, number(diff[n].get("ci_high")) - diff[n]["mean"]) if math.isfinite(number(diff[n].get("ci_high")))
              else 0.0 for n in names]
    colours = [COLOURS[2] if change_status(n, diff[n]) == OK else COLOURS[4] if change_status(n, diff[n]) == BAD
               else COLOURS[0] for n in names]
    fig = go.Figure(go.Bar(y=[kpi_label(n, lang, sc) for n in names], x=means, orientation="h",
                           error_x={"array": halves}, hovertext=names, marker_color=colours))
    fig.update_yaxes(autorange="reversed")
    fig.add_vline(x=0, line_color="#888")
    return fig


def compare_key_figures(page: Page, data: dict[str, Any]) -> None:
    lang, diff = page.lang, data["difference"]
    a, b = data["a"]["scenario"], data["b"]["scenario"]
    headline = ["handled.gp.wlz_per_week", "handled.hap.wlz_per_week", "hours.physician_per_week",
                "hours.nurse_per_week", "response.wlz.U1.within_norm", "response.wlz.U2.norm_p90_min"]
    figures = []
    for n in [h for h in headline if h in diff][:6]:
        d = diff[n]
        figures.append(KeyFigure(kpi_label(n, lang), fmt_kpi(n, d["mean"], lang, signed=True), interval(n, d, lang),
                                 say(lang, "significant" if significant(d) else "not significant",
                                    "significant" if significant(d) else "niet significant"), change_status(n, d)))
    gp, nurse = diff.get("handled.gp.wlz_per_week", {}), diff.get("hours.nurse_per_week", {})
    u1 = diff.get("response.wlz.U1.within_norm", {})
    parts = [say(lang, f"{b} changes the GP's Wlz requests by {fmt_value(gp.get('mean'), 1, lang, True)} per week",
                f"{b} verandert het aantal Wlz-zorgvragen bij de huisarts met {fmt_value(gp.get('mean'), 1, lang, True)} per week")]
    if nurse:
        parts.append(say(lang, f"nurse hours by {fmt_value(nurse.get('mean'), 1, lang, True)} per week",
                        f"de verpleegkundige uren met {fmt_value(nurse.get('mean'), 1, lang, True)} per week"))
    if u1:
        u1_change = fmt_kpi("response.wlz.U1.within_norm", u1.get("mean"), lang, True)
        parts.append(say(lang, f"and U1 within its norm by {u1_change}", f"en U1 binnen de norm met {u1_change}"))
    page.key_figures(say(lang, f"What does {b} change compared with {a}?", f"Wat verandert {b} ten opzichte van {a}?"),
                     figures, ", ".join(parts) + ".")


def compare_report(folder: Path, lang: str) -> str:
    data = json.loads((folder / "comparison.json").read_text())
    a, b = data["a"]["scenario"], data["b"]["scenario"]
    page = Page(f"{word('report_compare', lang)}: {b} - {a}", lang,
                say(lang, f"{data['replications']} replications on common random numbers, seed {data['seed']}",
                   f"{data['replications']} replicaties op dezelfde toevalsgetallen, seed {data['seed']}"))
    compare_key_figures(page, data)
    base = {n: v["a"] for n, v in data["kpis"].items() if v["a"]}
    mine = {n: v["b"] for n, v in data["kpis"].items() if v["b"]}
    sc = None
    scenario_file = data["b"].get("file")
    if scenario_file and Path(scenario_file).exists():
        try:
            from sim.scenario.loading import load_scenario
            sc = load_scenario(scenario_file)
        except ScenarioError:
            sc = None
    comparison_section(page, sc, data["difference"], base, mine, a, b)
    return page.html()
