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

from sim.errors import ScenarioError
from sim.experiments.output import number
from sim.fmt import text_table
from sim.present.charts import Figure, axis, bar, figure, reference_line
from sim.present.glossary import term
from sim.present.headline import change_cards, change_sentence, findings, norms_figure, scenario_name
from sim.present.labels import fmt_kpi, fmt_kpi_ci, kpi_label, say, unit_of, word
from sim.present.page import BAD, COLOURS, INFO, OK, KeyFigure, Page
from sim.present.significance import (  # noqa: F401  (the rules, importable from here as before)
    GROUPS,
    better,
    change_status,
    group_of,
    interval,
    moved,
    significant,
)
from sim.scenario.config import Scenario

def compare_text(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    """The printed comparison: per group the significant changes first, then the rest,
    each KPI in its own unit with the paired difference and its 95% interval."""
    a, b = result["a"]["scenario"], result["b"]["scenario"]
    lines = [say(lang, f"{b} compared with {a}: {result['replications']} replications on common random numbers, "
                       f"seed {result['seed']} (mean ±95% CI half-width; * = the interval excludes no change)",
                 f"{b} vergeleken met {a}: {result['replications']} herhalingen op dezelfde toevalsgetallen, "
                 f"startgetal {result['seed']} (gemiddelde ±halve breedte van het 95%-BI; * = het interval sluit 'geen "
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

def comparison_rows(diff: dict[str, Any], base: dict[str, Any], mine: dict[str, Any], sc: Scenario | None, lang: str,
                    changed: bool) -> tuple[list[list[str]], list[str]]:
    """Table rows (and their classes) grouped (load, staff, response): the significant
    changes (`changed`) or the others, each KPI in its unit."""
    shown = [n for n in moved(diff) if significant(diff[n]) == changed]
    rows, classes = [], []
    for group in GROUPS:
        in_group = sorted((n for n in shown if group_of(n) == group), key=lambda n: kpi_label(n, lang, sc))
        if not in_group:
            continue
        rows.append([word(group, lang)])
        classes.append("group")
        for n in in_group:
            rows.append([kpi_label(n, lang, sc), fmt_kpi(n, (base.get(n) or {}).get("mean"), lang),
                         fmt_kpi(n, (mine.get(n) or {}).get("mean"), lang), fmt_kpi_ci(n, diff[n], lang, signed=True)])
            classes.append("changed" if changed else "")
    return rows, classes


def comparison_section(page: Page, sc: Scenario | None, diff: dict[str, Any], base: dict[str, Any],
                       mine: dict[str, Any], a: str, b: str) -> None:
    """What changed significantly, grouped (load, staff, response), in each KPI's unit, and
    charts of those changes by unit; `a` and `b` are the two scenarios in words. The other
    measures go to the appendix (appendix_section)."""
    lang = page.lang
    page.h2(say(lang, f"What changed significantly against «{a}»", f"Wat significant veranderde ten opzichte van «{a}»"))
    page.p(say(lang, f"A: «{a}»; B: «{b}». Paired differences per replication on the same random numbers; shown: the "
                     "changes whose 95% interval excludes no change (the others are in the appendix).",
               f"A: «{a}»; B: «{b}». Verschillen per herhaling op dezelfde toevalsgetallen; getoond: de veranderingen "
               "waarvan het 95%-interval 'geen verandering' uitsluit (de overige staan in de bijlage)."), "note")
    rows, classes = comparison_rows(diff, base, mine, sc, lang, True)
    if rows:
        page.table([word("kpi", lang), "A", "B", say(lang, "difference B - A (95% CI)", "verschil B - A (95%-BI)")],
                   rows, row_classes=classes)
    else:
        page.p(say(lang, "No measure changed significantly.", "Geen maatstaf veranderde significant."))
    for unit, height, fig in change_figures(diff, lang, sc):
        page.figure(fig, CHANGE_TITLES[unit][lang == "nl"], CHANGE_AXES[unit][lang == "nl"], "", height=height)


def appendix_section(page: Page, sc: Scenario | None, diff: dict[str, Any], base: dict[str, Any],
                     mine: dict[str, Any]) -> None:
    """The measures without a demonstrable change, at the end (on its own pages in print)."""
    lang = page.lang
    rows, classes = comparison_rows(diff, base, mine, sc, lang, False)
    if not rows:
        return
    page.h2(word("appendix", lang), appendix=True)
    page.p(word("appendix_note", lang), "note")
    page.table([word("kpi", lang), "A", "B", say(lang, "difference B - A (95% CI)", "verschil B - A (95%-BI)")],
               rows, row_classes=classes)


CHANGE_UNITS = ("share", "minutes", "hours_long", "per_week", "hours")
CHANGE_TITLES = {  # unit -> (English, Dutch) chart title
    "per_week": ("Change in requests per week (95% CI)", "Verandering in zorgvragen per week (95%-BI)"),
    "hours": ("Change in hours per week (95% CI)", "Verandering in uren per week (95%-BI)"),
    "share": ("Change in shares (percentage points, 95% CI)", "Verandering in aandelen (procentpunten, 95%-BI)"),
    "minutes": ("Change in times of up to two hours (minutes, 95% CI)",
                "Verandering in tijden tot twee uur (minuten, 95%-BI)"),
    "hours_long": ("Change in longer times (hours, 95% CI)", "Verandering in langere tijden (uren, 95%-BI)"),
}
CHANGE_AXES = {"per_week": ("requests per week", "zorgvragen per week"), "hours": ("hours per week", "uren per week"),
               "share": ("percentage points", "procentpunten"), "minutes": ("minutes", "minuten"),
               "hours_long": ("hours", "uren")}
LONG_MIN = 120  # a change in a time from two hours on is drawn in hours, in its own panel


def change_figures(diff: dict[str, dict[str, Any]], lang: str, sc: Scenario | None) -> list[tuple[str, int, Figure]]:
    """Per unit, the significant changes with their 95% intervals, one chart each (at most
    14 bars, the largest first): shares in percentage points, times in minutes and longer
    times in hours in their own panel (a U5 change in hours never dwarfs a U1 change in
    minutes): (unit, height in px, figure). The report and the app draw the same."""
    shown, out = moved(diff), []
    for unit in CHANGE_UNITS:
        names = [n for n in shown if significant(diff[n]) and _panel(n, diff[n]) == unit]
        names = sorted(names, key=lambda n: -abs(number(diff[n]["mean"])))[:14]
        if not names:
            continue
        scale = {"share": 100.0, "hours_long": 1 / 60}.get(unit, 1.0)
        out.append((unit, max(240, 34 * len(names) + 130), difference_figure(diff, names, lang, sc, scale)))
    return out


def _panel(kpi: str, d: dict[str, Any]) -> str:
    unit = unit_of(kpi)
    if unit == "minutes":
        return "hours_long" if abs(number(d.get("mean"))) >= LONG_MIN else "minutes"
    return unit if unit in CHANGE_UNITS else ""


def difference_figure(diff: dict[str, dict[str, Any]], names: list[str], lang: str = "en",
                      sc: Scenario | None = None, scale: float = 1.0) -> Figure:
    """Paired differences with their intervals, one horizontal bar per KPI (report and app),
    green where better for clients, red where worse; labels wrapped so none is cut."""
    from sim.present.page import wrap
    means = [diff[n]["mean"] * scale for n in names]
    halves = [max(0.0, number(diff[n].get("ci_high")) - diff[n]["mean"]) * scale
              if math.isfinite(number(diff[n].get("ci_high"))) else 0.0 for n in names]
    colours = [COLOURS[2] if change_status(n, diff[n]) == OK else COLOURS[4] if change_status(n, diff[n]) == BAD
               else COLOURS[0] for n in names]
    fig = figure(bar(means, [wrap(kpi_label(n, lang, sc), 44) for n in names], horizontal=True, colour=colours,
                     error=halves, hovertext=[kpi_label(n, lang, sc) for n in names], hoverinfo="x+text"))
    axis(fig, "y", autorange="reversed")
    return reference_line(fig, x=0, colour="#888")


def compare_names(data: dict[str, Any], lang: str) -> tuple[str, str, Scenario | None]:
    """The two scenarios of a comparison in words (their descriptions), and B's scenario
    for the names of its services; ids only when a file can no longer be read."""
    found = []
    for side in ("a", "b"):
        sc = None
        path = data[side].get("file")
        if path and Path(path).exists():
            try:
                from sim.scenario.loading import load_scenario
                sc = load_scenario(path)
            except ScenarioError:
                sc = None
        found.append(sc)
    a = scenario_name(found[0], data["a"]["scenario"], lang)
    b = scenario_name(found[1], data["b"]["scenario"], lang)
    return a, b, found[1]


def compare_key_figures(page: Page, data: dict[str, Any], names: tuple[str, str] | None = None,
                        sc: Scenario | None = None) -> None:
    """The comparison's answer first (headline.py): the significant changes of B against A,
    worst first, for every population; failing norms and overloaded services in B red."""
    lang, diff = page.lang, data["difference"]
    a, b = names or (data["a"]["scenario"], data["b"]["scenario"])
    after = {n: v["b"] for n, v in data["kpis"].items() if v.get("b")}
    before = {n: v["a"] for n, v in data["kpis"].items() if v.get("a")}
    found = findings(after, diff, before, sc)
    figures = change_cards(found, after, diff, before, sc, lang)
    if not figures:
        figures = [KeyFigure(kpi_label(n, lang, sc), fmt_kpi(n, diff[n]["mean"], lang, signed=True), interval(n, diff[n], lang),
                             term("no_change", lang), INFO)
                   for n in ("handled.gp.wlz_per_week", "handled.hap.wlz_per_week", "hours.physician_per_week")
                   if n in diff]
    page.key_figures(say(lang, f"What does «{b}» change compared with «{a}»?", f"Wat verandert «{b}» ten opzichte van «{a}»?"),
                     figures, change_sentence(found, after, diff, before, a, sc, lang))


def compare_report(folder: Path, lang: str) -> str:
    data = json.loads((folder / "comparison.json").read_text())
    a, b, sc = compare_names(data, lang)
    page = Page(word("report_compare", lang), lang,
                say(lang, f"A: «{a}»; B: «{b}»; {data['replications']} {term('replications', lang)} on "
                          f"{term('crn', lang)}, {term('seed', lang)} {data['seed']}",
                    f"A: «{a}»; B: «{b}»; {data['replications']} {term('replications', lang)} op {term('crn', lang)}, "
                    f"{term('seed', lang)} {data['seed']}"))
    compare_key_figures(page, data, (a, b), sc)
    base = {n: v["a"] for n, v in data["kpis"].items() if v["a"]}
    mine = {n: v["b"] for n, v in data["kpis"].items() if v["b"]}
    if sc is not None:
        norms_figure(page, sc, mine, base, a)
    comparison_section(page, sc, data["difference"], base, mine, a, b)
    if sc is not None:
        from sim.present.summary import assumptions
        page.assumptions(assumptions(sc, lang))
    appendix_section(page, sc, data["difference"], base, mine)
    return page.html()
