"""The two everyday questions, answered on a page and in a few printed lines:

- impact: what does a new (or changed) location cost its practice, the HAP and the region,
  without and with a voorwacht or a compact behandelteam (experiments/impact.py);
- staffing: the smallest roster that meets every target, and the change in words
  (experiments/staffing.py).

Both in English or Dutch, with the key figures first (present/page.py).
"""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go

from sim.experiments.nieuwe_locatie import named
from sim.fmt import error_bar, fmt_value, text_table
from sim.present.changes import interval
from sim.present.labels import (
    fmt_kpi,
    fmt_kpi_ci,
    kpi_label,
    location_label,
    pick,
    pool_label,
    say,
    unit_label,
    unit_of,
    word,
)
from sim.present.page import BAD, COLOURS, OK, KeyFigure, KeyFigures, Page, status_of
from sim.scenario.config import Scenario

UTILISATION_TARGET = 0.85  # the share of GP time in use the reports mark as the target

VARIANTS = {"zonder": ("without", "zonder"), "met": ("with", "met"), "met + voorwacht": ("with + voorwacht", "met + voorwacht"),
            "met + behandelteam": ("with + behandelteam", "met + behandelteam")}


def variant_label(name: str, lang: str) -> str:
    return VARIANTS.get(name, (name, name))[pick(lang)]


# ------------------------------------------------------------------------------ impact


KIND_PHRASE = {  # 'a new ... of 24 residents'
    "kleinschalig": ("small-scale home (kleinschalige woonvorm)", "kleinschalige woonvorm"),
    "verpleeghuis": ("nursing home", "verpleeghuislocatie"),
    "geclusterd": ("clustered housing location", "geclusterde woonlocatie"),
    "thuis": ("group of clients at home (VPT)", "groep cliënten thuis (vpt)"),
}


def _at(practice: Any, lang: str, sc: Scenario | None) -> str:
    """The practice(s) a new location is listed with, by name: 'De Linde 60%, Het Anker 40%'."""
    if isinstance(practice, dict):
        return ", ".join(f"{pool_label(k, sc, lang)} {v:.0%}" for k, v in practice.items())
    return pool_label(str(practice), sc, lang)


def _what(result: dict[str, Any], lang: str, sc: Scenario | None = None) -> str:
    """'a new small-scale home of 24 residents at De Linde' and changes, in words."""
    parts = []
    for n in result["new_locations"]:
        kind = KIND_PHRASE.get(n.get("kind", "kleinschalig"), (n.get("kind"), n.get("kind")))
        at = _at(n.get("practice", n.get("behandeldienst", "?")), lang, sc)
        name = f" '{named(n)}'" if named(n) else ""  # the name the user gave, in every answer
        parts.append(say(lang, f"a new {kind[0]}{name} of {n.get('residents', '?')} residents at {at}",
                         f"een nieuwe {kind[1]}{name} van {n.get('residents', '?')} bewoners bij {at}"))
    for loc, change in result["changed_locations"].items():
        what = ", ".join(f"{k}={v}" for k, v in change.items())
        parts.append(say(lang, f"location {location_label(loc, sc)} changed ({what})",
                         f"locatie {location_label(loc, sc)} gewijzigd ({what})"))
    return "; ".join(parts)


def impact_text(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    """The one-page printed answer: the change per variant against 'zonder', with its CI."""
    lines = [say(lang, f"Impact on '{result['scenario']}' of {_what(result, lang, sc)}",
                 f"Gevolgen voor '{result['scenario']}' van {_what(result, lang, sc)}"),
             say(lang, f"{result['replications']} replications, seed {result['seed']}, common random numbers; '+x ±y' is "
                       "the change against 'without' with its 95% CI",
                 f"{result['replications']} replicaties, seed {result['seed']}, dezelfde toevalsgetallen; '+x ±y' is de "
                 "verandering tegen 'zonder' met het 95%-BI"), ""]
    lines += text_table(*impact_rows(result, lang, sc))
    lines += ["", impact_sentence(result, lang, sc), impact_assumptions(lang)]
    return "\n".join(lines)


def impact_assumptions(lang: str) -> str:
    """What the impact answer assumes that a policy maker could question."""
    return say(lang, "Assumptions: the new location's demand uses the calibrated defaults (4.1 requests per 20 residents "
                     "per week; ActiZ, Het Gastenhuis, docs/sources.md); the voorwacht and behandelteam variants use their "
                     "documented default resolve shares and prevention, for which no Dutch effect size exists "
                     "(configs/README.md says which answers hold whatever those are).",
               "Aannames: de zorgvraag van de nieuwe locatie volgt de gekalibreerde standaard (4,1 zorgvragen per 20 "
               "bewoners per week; ActiZ, Het Gastenhuis, docs/sources.md); de varianten met voorwacht en behandelteam "
               "gebruiken hun standaard afhandelpercentages en preventie, waarvoor geen Nederlands effect bekend is "
               "(configs/README.md zegt welke antwoorden daar niet van afhangen).")


def impact_sentence(result: dict[str, Any], lang: str, sc: Scenario | None = None) -> str:
    d = result["difference"].get("met", {})
    parts = []
    for p in result["practices"]:
        consults = (d.get(f"service.{p}.handled_per_week") or {}).get("mean")
        hours = (d.get(f"service.{p}.hours_per_week") or {}).get("mean")
        parts.append(say(lang, f"{pool_label(p, sc, lang)} about {fmt_value(consults, 1, lang)} consults and "
                               f"{fmt_value(hours, 1, lang)} GP hours a week",
                         f"{pool_label(p, sc, lang)} ongeveer {fmt_value(consults, 1, lang)} consulten en "
                         f"{fmt_value(hours, 1, lang)} huisartsuren per week"))
    hap = (d.get("handled.hap.wlz_per_week") or {}).get("mean")
    text = say(lang, f"It costs {', '.join(parts)}, and the HAP {fmt_value(hap, 1, lang)} contacts a week",
              f"Dat kost {', '.join(parts)}, en de HAP {fmt_value(hap, 1, lang)} contacten per week")
    extra = []
    for variant in ("met + voorwacht", "met + behandelteam"):
        dv = result["difference"].get(variant, {})
        total = sum((dv.get(f"service.{p}.handled_per_week") or {}).get("mean", 0.0) for p in result["practices"])
        if dv:
            extra.append(say(lang, f"with a {variant.split('+ ')[1]} {fmt_value(total, 1, lang)} consults",
                            f"met een {variant.split('+ ')[1]} {fmt_value(total, 1, lang)} consulten"))
    return text + ("; " + ", ".join(extra) if extra else "") + "."


def impact_key_figures(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> KeyFigures:
    """The question and its answer first (the report and the app show the same): per
    practice (at most two) the extra consults, GP hours and busiest-week consults, and the
    GP time in use with the new location against 85%; the extra HAP contacts."""
    met = result["difference"].get("met", {})
    figures = []
    for p in result["practices"][:2]:
        who = pool_label(p, sc, lang)
        for what in ("handled_per_week", "hours_per_week", "handled_week_p90"):
            kpi = f"service.{p}.{what}"
            if kpi in met:
                figures.append(KeyFigure(say(lang, f"Extra at {who}: ", f"Extra bij {who}: ")
                                         + kpi_label(kpi, lang, sc).split(": ", 1)[-1],
                                         fmt_kpi(kpi, met[kpi]["mean"], lang, True), interval(kpi, met[kpi], lang)))
        util = f"service.{p}.utilisation"
        after = (result["kpis"].get("met", {}).get(util) or {}).get("mean", math.nan)
        figures.append(KeyFigure(say(lang, f"{who}: GP time for the locations in use, with the new location",
                                     f"{who}: benutting van de huisartstijd voor de locaties, met de nieuwe locatie"),
                                 fmt_kpi(util, after, lang), "", say(lang, "target ≤ 85%", "doel ≤ 85%"),
                                 status_of(after, UTILISATION_TARGET)))
    hap = "handled.hap.wlz_per_week"
    if hap in met:
        figures.append(KeyFigure(say(lang, "Extra Wlz contacts at the HAP per week", "Extra Wlz-contacten bij de HAP per week"),
                                 fmt_kpi(hap, met[hap]["mean"], lang, True), interval(hap, met[hap], lang)))
    return KeyFigures(say(lang, f"What does {_what(result, lang, sc)} do to the practice, the HAP and the region?",
                          f"Wat doet {_what(result, lang, sc)} met de praktijk, de HAP en de regio?"), figures[:6],
                      impact_sentence(result, lang, sc), word("key_figures", lang), word("question", lang),
                      word("answer", lang))


def impact_rows(result: dict[str, Any], lang: str, sc: Scenario | None = None) -> tuple[list[str], list[list[str]]]:
    """The table of the answer: per KPI the region without the location, then the change
    each variant brings with its 95% interval."""
    names = result["variants"]
    rows = []
    for kpi in result["kpi_order"]:
        base = result["kpis"]["zonder"].get(kpi)
        if base is None:
            continue
        rows.append([kpi_label(kpi, lang, sc), fmt_kpi(kpi, base["mean"], lang),
                     *(fmt_kpi_ci(kpi, result["difference"][n].get(kpi), lang, signed=True) for n in names[1:])])
    return ["", *(variant_label(n, lang) for n in names)], rows


def impact_report(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    page = Page(f"{word('report_impact', lang)}: {sc.region.name if sc else result['scenario']}", lang,
                say(lang, f"{result['replications']} replications on common random numbers, seed {result['seed']}",
                    f"{result['replications']} replicaties op dezelfde toevalsgetallen, seed {result['seed']}"))
    page.key = impact_key_figures(result, lang, sc)
    names = result["variants"]
    page.h2(say(lang, "Change against the region without it (95% CI)", "Verandering tegen de regio zonder (95%-BI)"))
    page.table(*impact_rows(result, lang, sc))
    for unit, title in (("per_week", say(lang, "Extra requests per week", "Extra zorgvragen per week")),
                        ("hours", say(lang, "Extra hours per week", "Extra uren per week")),
                        ("share", say(lang, "Change in shares (percentage points)", "Verandering in aandelen (procentpunten)")),
                        ("minutes", say(lang, "Change in waits (minutes)", "Verandering in wachttijden (minuten)"))):
        kpis = [k for k in result["kpi_order"] if unit_of(k) == unit and k in result["kpis"]["zonder"]]
        if not kpis:
            continue
        fig = go.Figure()
        for v, n in enumerate(names[1:]):
            diffs = [result["difference"][n].get(k) or {} for k in kpis]
            fig.add_trace(go.Bar(name=variant_label(n, lang), x=[kpi_label(k, lang, sc) for k in kpis],
                                 y=[d.get("mean") for d in diffs], marker_color=COLOURS[v % len(COLOURS)],
                                 error_y={"array": [error_bar(d) for d in diffs]}))
        fig.update_layout(barmode="group")
        if unit == "share":
            fig.update_yaxes(tickformat=".0%")
        unit_words = {"per_week": say(lang, "per week", "per week"), "hours": say(lang, "hours per week", "uren per week"),
                      "share": say(lang, "percentage points", "procentpunten"), "minutes": say(lang, "minutes", "minuten")}
        page.figure(fig, title, "", unit_words[unit], height=380)
    page.p(impact_assumptions(lang), "note")
    return page.html()



# ------------------------------------------------------------------------------ staffing

ROLES = {  # the part of a service a roster staffs: (English, Dutch) in the singular and the plural
    "doctors": (("doctor", "doctors"), ("arts", "artsen")), "cars": (("car", "cars"), ("visiteauto", "visiteauto's")),
    "triage": (("triagist", "triagists"), ("triagist", "triagisten")),
    "practices": (("GP", "GPs"), ("huisarts", "huisartsen")),
    "behandeldiensten": (("physician", "physicians"), ("arts", "artsen")),
    "services": (("professional", "professionals"), ("medewerker", "medewerkers")),
}
DAY_WORDS = {("mon", "tue", "wed", "thu", "fri"): ("weekdays", "werkdagen"),
             ("sat", "sun", "holiday"): ("weekends and holidays", "weekend- en feestdagen"),
             ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"): ("every day", "elke dag")}


def role_of(service: str, lang: str, count: int = 2) -> str:
    """'doctor' / 'artsen': who a --service's roster counts, in the language and number."""
    for key, role in ROLES.items():
        if service.endswith(key) or service.startswith(key):
            break
    else:
        role = ROLES["services"]
    return role[pick(lang)][abs(count) != 1]


def block_words(block: dict[str, Any], lang: str) -> str:
    days = DAY_WORDS.get(tuple(block["days"]), (", ".join(block["days"]), ", ".join(block["days"])))[pick(lang)]
    return f"{days} {block['start']}-{block['end']}"


def change_in_words(result: dict[str, Any], lang: str) -> str:
    """'+1 doctor on weekdays 17:00-23:00; -1 on weekends and holidays 23:00-08:00'."""
    parts = []
    for block, now, needed in zip(result["blocks"], result["current"], result["answer"]):
        if needed != now:
            plural = role_of(result["service"], lang, needed - now)
            parts.append(say(lang, f"{needed - now:+d} {plural} on {block_words(block, lang)}",
                            f"{needed - now:+d} {plural} op {block_words(block, lang)}"))
    return "; ".join(parts) or say(lang, "no change: today's roster meets every target",
                                  "geen verandering: het huidige rooster haalt elk doel")


def staff_text(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    lines = [say(lang, f"Staffing {pool_label(result['pool'], sc, lang)} ({result['service']}) in '{result['scenario']}': the smallest roster that "
                      f"meets every target with {result['confidence']:.0%} confidence ({result['replications']} "
                      "replications, common random numbers)",
                f"Bezetting {pool_label(result['pool'], sc, lang)} ({result['service']}) in '{result['scenario']}': het kleinste rooster dat elk "
                f"doel haalt met {result['confidence']:.0%} zekerheid ({result['replications']} replicaties, dezelfde "
                "toevalsgetallen)"),
             say(lang, "Targets: ", "Doelen: ") + "; ".join(t["text"] for t in result["targets"]),
             say(lang, "Change: ", "Verandering: ") + change_in_words(result, lang), ""]
    rows = [[block_words(b, lang), str(cur), str(ans)]
            for b, cur, ans in zip(result["blocks"], result["current"], result["answer"])]
    lines += text_table([say(lang, "block", "dienst"), say(lang, "now", "nu"), say(lang, "needed", "nodig")], rows)
    lines += ["", say(lang, "Rosters evaluated (counts per block; each target's one-sided 95% bound; ok = every target holds):",
                     "Geëvalueerde roosters (aantal per dienst; de eenzijdige 95%-grens per doel; ok = elk doel gehaald):")]
    ev = sorted(result["evaluated"], key=lambda r: (r["staff_hours_per_week"], r["counts"]))
    rows = [[str(r["counts"]), fmt_value(r["staff_hours_per_week"], 0, lang),
             *(fmt_kpi(t["kpi"], r["targets"][t["text"]]["bound"], lang) for t in result["targets"]),
             "ok" if r["ok"] else "-"] for r in ev]
    lines += text_table([say(lang, "counts", "aantallen"), say(lang, "staff h/week", "uren/week"),
                         *(t["text"] for t in result["targets"]), "ok"], rows)
    return "\n".join(lines)


def staff_report(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    page = Page(f"{word('report_staff', lang)}: {pool_label(result['pool'], sc, lang)} ({result['scenario']})", lang,
                say(lang, f"{result['replications']} replications per roster, common random numbers, seed {result['seed']}",
                   f"{result['replications']} replicaties per rooster, dezelfde toevalsgetallen, seed {result['seed']}"))
    ev = {tuple(r["counts"]): r for r in result["evaluated"]}
    now, best = ev.get(tuple(result["current"])), ev.get(tuple(result["answer"]))
    figures = []
    if now and best:
        figures.append(KeyFigure(say(lang, "Rostered hours per week now", "Roosteruren per week nu"),
                                 fmt_value(now["staff_hours_per_week"], 0, lang)))
        figures.append(KeyFigure(say(lang, "Rostered hours per week needed", "Roosteruren per week nodig"),
                                 fmt_value(best["staff_hours_per_week"], 0, lang), "",
                                 fmt_value(best["staff_hours_per_week"] - now["staff_hours_per_week"], 0, lang, True)
                                 + say(lang, " hours", " uur"), OK))
    for t in result["targets"]:
        if best is None:
            continue
        check = best["targets"][t["text"]]
        figures.append(KeyFigure(t["text"], fmt_kpi(t["kpi"], check["bound"], lang),
                                 say(lang, f"mean {fmt_kpi(t['kpi'], check['mean'], lang)}", f"gemiddeld {fmt_kpi(t['kpi'], check['mean'], lang)}"),
                                 say(lang, f"95% bound against the target {fmt_kpi(t['kpi'], t['threshold'], lang)}",
                                    f"95%-grens tegen het doel {fmt_kpi(t['kpi'], t['threshold'], lang)}"),
                                 OK if check["holds"] else BAD))
    page.key_figures(say(lang, f"How many {role_of(result['service'], lang)} does {pool_label(result['pool'], sc, lang)} need to meet "
                              f"{'; '.join(t['text'] for t in result['targets'])}?",
                        f"Hoeveel {role_of(result['service'], lang)} heeft {pool_label(result['pool'], sc, lang)} nodig om "
                        f"{'; '.join(t['text'] for t in result['targets'])} te halen?"), figures[:6],
                     change_in_words(result, lang) + ".")
    page.p(say(lang, "A target counts as met when its one-sided 95% bound over the replications meets it (the upper bound "
                    "for '<='): a roster whose mean is just inside the target can still miss it.",
              "Een doel telt als gehaald als de eenzijdige 95%-grens over de replicaties het haalt (de bovengrens bij "
              "'<='): een rooster met een gemiddelde net binnen het doel kan het dus toch missen."), "note")
    points = sorted(result["evaluated"], key=lambda r: r["staff_hours_per_week"])
    hours_axis = say(lang, "rostered hours per week", "roosteruren per week")
    for t in result["targets"]:
        fig = go.Figure()
        x = [r["staff_hours_per_week"] for r in points]
        fig.add_trace(go.Scatter(x=x, y=[r["targets"][t["text"]]["bound"] for r in points], mode="markers+lines",
                                 name=say(lang, "one-sided 95% bound (the decision)", "eenzijdige 95%-grens (de beslissing)"),
                                 marker={"color": [COLOURS[2] if r["targets"][t["text"]]["holds"] else COLOURS[4]
                                                   for r in points], "size": 9},
                                 line={"color": "#9fb3cc"}, text=[str(r["counts"]) for r in points]))
        fig.add_trace(go.Scatter(x=x, y=[r["targets"][t["text"]]["mean"] for r in points], mode="markers",
                                 name=say(lang, "mean", "gemiddelde"), marker={"color": "#7f8c8d", "symbol": "circle-open"}))
        fig.add_hline(y=t["threshold"], line_dash="dash", line_color=COLOURS[4],
                      annotation_text=say(lang, f"target {t['text']}", f"doel {t['text']}"))
        if best is not None:
            fig.add_trace(go.Scatter(x=[best["staff_hours_per_week"]], y=[best["targets"][t["text"]]["bound"]],
                                     mode="markers+text", name=say(lang, "chosen roster", "gekozen rooster"),
                                     marker={"symbol": "star", "size": 18, "color": COLOURS[0]},
                                     text=[say(lang, "chosen", "gekozen")], textposition="top center"))
        if unit_of(t["kpi"]) == "share":
            fig.update_yaxes(tickformat=".0%")
        page.figure(fig, say(lang, f"{kpi_label(t['kpi'], lang, sc)} against rostered staff", f"{kpi_label(t['kpi'], lang, sc)} tegen "
                                  "de roosterbezetting"), hours_axis,
                    f"{kpi_label(t['kpi'], lang, sc).rsplit(': ', 1)[-1]} ({unit_label(t['kpi'], lang)})", height=380)
    page.h2(say(lang, "Roster per block", "Rooster per dienst"))
    page.table([say(lang, "block", "dienst"), say(lang, "now", "nu"), say(lang, "needed", "nodig")],
               [[block_words(b, lang), str(c), str(a)] for b, c, a in zip(result["blocks"], result["current"], result["answer"])])
    page.h2(say(lang, "Every roster evaluated", "Elk geëvalueerd rooster"))
    page.table([say(lang, "counts per block", "aantallen per dienst"), hours_axis,
                *(f"{t['text']} ({say(lang, '95% bound', '95%-grens')})" for t in result["targets"]), "ok"],
               [[str(r["counts"]), fmt_value(r["staff_hours_per_week"], 0, lang),
                 *(fmt_kpi(t["kpi"], r["targets"][t["text"]]["bound"], lang) for t in result["targets"]),
                 say(lang, "meets", "gehaald") if r["ok"] else "-"] for r in points])
    return page.html()


