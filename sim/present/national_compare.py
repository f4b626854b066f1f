"""Two countries compared (experiments/country_experiments.py): the national figures of A
and B with the paired difference and its 95% interval first, then per region what moved,
the regions where it moved most first; printed and as report.html."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from sim.fmt import fmt_percent, number, text_table
from sim.present.charts import bar, figure, reference_line
from sim.present.labels import say
from sim.present.page import BAD, INFO, OK, KeyFigure, Page

# national figure -> (English, Dutch, kind): share, count or number
FIGURES = {
    "national.hap_contacts_per_1000_year": ("HAP contacts per 1,000 a year", "HAP-contacten per 1.000 per jaar", "n0"),
    "national.U1_within_norm": ("U1 within the norm", "U1 binnen de norm", "share"),
    "national.U2_within_norm": ("U2 within the norm", "U2 binnen de norm", "share"),
    "national.U3_within_norm": ("U3 within the norm", "U3 binnen de norm", "share"),
    "national.regions_overloaded": ("regions in overload", "regio's in overbelasting", "n1"),
    "national.regions_near_overload": ("regions with HAP load >= 0.85", "regio's met belasting HAP >= 0,85", "n1"),
    "national.wlz_requests_per_week": ("Wlz care requests a week", "Wlz-hulpvragen per week", "n0"),
}


def _fmt(kind: str, value: float | None, lang: str, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if kind == "share":
        return fmt_percent(value, 1, lang, signed)
    return number(value, 0 if kind == "n0" else 1, lang, signed)


def _diff(d: dict[str, Any] | None, kind: str, lang: str) -> str:
    if not d:
        return "-"
    low, high = d.get("ci_low"), d.get("ci_high")
    ci = f" ({_fmt(kind, low, lang, True)} .. {_fmt(kind, high, lang, True)})" if low is not None and high is not None \
        and not math.isnan(low) else ""
    return _fmt(kind, d.get("mean"), lang, True) + ci


def compare_rows(result: dict[str, Any], lang: str) -> list[list[str]]:
    rows = []
    for name, (en, nl, kind) in FIGURES.items():
        both = result["national"].get(name) or {}
        rows.append([say(lang, en, nl), _fmt(kind, (both.get("a") or {}).get("mean"), lang),
                     _fmt(kind, (both.get("b") or {}).get("mean"), lang), _diff(result["difference"].get(name), kind, lang)])
    return rows


def _moved(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Regions by how much the HAP's offered load moved, most first."""
    return sorted(result["regions"], key=lambda r: -abs((r["difference"].get("hap_offered_load") or {}).get("mean") or 0))


def country_compare_text(result: dict[str, Any], lang: str = "en") -> str:
    a, b = result["a"]["name"], result["b"]["name"]
    lines = [say(lang, f"{b} compared with {a}: {result['regions_count']} regions, {result['replications']} replication(s) "
                       "each on common random numbers (mean; difference b - a with its 95% CI)",
                 f"{b} vergeleken met {a}: {result['regions_count']} regio's, {result['replications']} herhaling(en) "
                 "elk op dezelfde toevalsgetallen (gemiddelde; verschil b - a met het 95%-BI)"), ""]
    lines += text_table(["", a, b, say(lang, "difference (b - a)", "verschil (b - a)")], compare_rows(result, lang))
    lines += ["", say(lang, "Where the HAP's load moved most", "Waar de belasting van de HAP het meest verschoof")]
    table = [[r["name"], number(r["a"]["hap_offered_load"], 2, lang), number(r["b"]["hap_offered_load"], 2, lang),
              fmt_percent(r["a"]["U1_within_norm"], 0, lang), fmt_percent(r["b"]["U1_within_norm"], 0, lang),
              str(round(r["b"]["overloaded_services"]))] for r in _moved(result)[:10]]
    lines += text_table(say(lang, "region|HAP load a|HAP load b|U1 in norm a|U1 in norm b|overloaded b",
                            "regio|belasting a|belasting b|U1 in norm a|U1 in norm b|overbelast b").split("|"), table)
    if result.get("failures"):
        lines.append(say(lang, f"{len(result['failures'])} runs failed (see {COMPARISON_FILE})",
                         f"{len(result['failures'])} runs mislukt (zie {COMPARISON_FILE})"))
    return "\n".join(lines)


COMPARISON_FILE = "country_comparison.json"


def country_compare_report(folder: Path, lang: str = "en") -> str:
    result = json.loads((folder / COMPARISON_FILE).read_text())
    a, b = result["a"]["name"], result["b"]["name"]
    page = Page(say(lang, f"{b} compared with {a}", f"{b} vergeleken met {a}"), lang,
                say(lang, f"{result['regions_count']} regions, {result['replications']} replication(s) each on common "
                          "random numbers", f"{result['regions_count']} regio's, {result['replications']} herhaling(en) "
                          "elk op dezelfde toevalsgetallen"))
    figures = []
    for name in ("national.hap_contacts_per_1000_year", "national.U1_within_norm", "national.U2_within_norm",
                 "national.regions_overloaded"):
        en, nl, kind = FIGURES[name]
        d = result["difference"].get(name) or {}
        low, high = d.get("ci_low"), d.get("ci_high")
        significant = low is not None and high is not None and not math.isnan(low) and (low > 0 or high < 0)
        worse = significant and ((d.get("mean") or 0) < 0 if kind == "share" else (d.get("mean") or 0) > 0)
        figures.append(KeyFigure(say(lang, en, nl), _fmt(kind, ((result["national"].get(name) or {}).get("b") or {})
                                                          .get("mean"), lang),
                                 say(lang, "difference ", "verschil ") + _diff(d, kind, lang),
                                 say(lang, f"{a}: ", f"{a}: ") + _fmt(kind, ((result["national"].get(name) or {}).get("a")
                                                                           or {}).get("mean"), lang),
                                 BAD if worse else (OK if significant else INFO)))
    page.key_figures(say(lang, f"What does {b} do to the country's HAP load, response times and overload?",
                         f"Wat doet {b} met de belasting van de HAP's, de responstijden en de overbelasting in het land?"),
                     figures)
    page.h2(say(lang, "The country", "Het land"))
    page.table(["", a, b, say(lang, "difference (b - a), 95% CI", "verschil (b - a), 95%-BI")], compare_rows(result, lang))
    moved = _moved(result)[:15][::-1]
    fig = figure(bar([r["a"]["hap_offered_load"] for r in moved], [r["name"] for r in moved], horizontal=True,
                     colour="#7f8c8d", name=a),
                 bar([r["b"]["hap_offered_load"] for r in moved], [r["name"] for r in moved], horizontal=True,
                     colour="#245a9b", name=b))
    reference_line(fig, x=0.95, dash="dash", colour="#c0392b")
    page.h2(say(lang, "Where the HAP's load moved most", "Waar de belasting van de HAP het meest verschoof"))
    page.figure(fig, say(lang, "HAP offered load, the 15 regions where it moved most (dashed: overload at 0.95)",
                         "Aangeboden belasting van de HAP, de 15 regio's waar die het meest verschoof (gestippeld: "
                         "overbelast vanaf 0,95)"), say(lang, "offered load of the busiest pool", "aangeboden belasting "
                         "van de drukste pool"), "", height=520)
    rows = [[r["name"], number(r["a"]["hap_offered_load"], 2, lang), number(r["b"]["hap_offered_load"], 2, lang),
             fmt_percent(r["a"]["U1_within_norm"], 1, lang), fmt_percent(r["b"]["U1_within_norm"], 1, lang),
             number(r["a"]["overloaded_services"], 1, lang), number(r["b"]["overloaded_services"], 1, lang)]
            for r in _moved(result)]
    page.h2(say(lang, "Every region", "Elke regio"))
    page.table(say(lang, f"region|HAP load {a}|HAP load {b}|U1 in norm {a}|U1 in norm {b}|overloaded {a}|overloaded {b}",
                   f"regio|belasting {a}|belasting {b}|U1 in norm {a}|U1 in norm {b}|overbelast {a}|overbelast {b}")
               .split("|"), rows)
    return page.html()
