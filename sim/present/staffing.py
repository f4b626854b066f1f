"""The staffing question answered on a page and in a few printed lines: the smallest roster
that meets every target (experiments/staffing.py), the change in words, and each target in
words ("U3 tijd tot een arts (P90), algemene bevolking ≤ 60 min", never the text as typed).
In English or Dutch, with the key figures first (present/page.py).
"""

from __future__ import annotations

from typing import Any

from sim.fmt import fmt_percent, fmt_value, text_table
from sim.present.charts import axis, figure, reference_line, scatter
from sim.present.glossary import norm_assumption
from sim.present.headline import scenario_name, short_label
from sim.present.labels import fmt_kpi, pick, pool_label, say, unit_label, unit_of, word
from sim.present.page import BAD, COLOURS, OK, KeyFigure, Page
from sim.scenario.config import Scenario

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


OPS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}


def target_words(t: dict[str, Any], lang: str, sc: Scenario | None) -> str:
    """A target in words, whatever was typed: 'background U3 p90 physician <= 60 min' ->
    'Algemene bevolking (HAP): U3 tijd tot een arts (P90) ≤ 60 min'."""
    return f"{short_label(t['kpi'], sc, lang)} {OPS.get(t.get('op', ''), t.get('op', ''))} {fmt_kpi(t['kpi'], t['threshold'], lang)}"


def _counts(r: dict[str, Any]) -> str:
    return " / ".join(str(c) for c in r["counts"])


def staff_text(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    who = pool_label(result['pool'], sc, lang)
    lines = [say(lang, f"Staffing {who} ({result['service']}) in '{result['scenario']}': the smallest roster that "
                       f"meets every target with {result['confidence']:.0%} confidence ({result['replications']} "
                       "replications, common random numbers)",
                 f"Personeelsbezetting {who} in «{scenario_name(sc, result['scenario'], lang)}»: het kleinste rooster "
                 f"dat elk doel haalt met {fmt_percent(result['confidence'], 0, lang)} zekerheid "
                 f"({result['replications']} herhalingen, dezelfde toevalsgetallen)"),
             say(lang, "Targets: ", "Doelen: ") + "; ".join(target_words(t, lang, sc) for t in result["targets"]),
             say(lang, "Change: ", "Verandering: ") + change_in_words(result, lang), ""]
    rows = [[block_words(b, lang), str(cur), str(ans)]
            for b, cur, ans in zip(result["blocks"], result["current"], result["answer"])]
    lines += text_table([say(lang, "block", "dienst"), say(lang, "now", "nu"), say(lang, "needed", "nodig")], rows)
    lines += ["", say(lang, "Rosters evaluated (counts per block; each target's one-sided 95% bound; ok = every target holds):",
                      "Doorgerekende roosters (aantal per dienst; de eenzijdige 95%-grens per doel; ja = elk doel gehaald):")]
    ev = sorted(result["evaluated"], key=lambda r: (r["staff_hours_per_week"], r["counts"]))
    rows = [[_counts(r), fmt_value(r["staff_hours_per_week"], 0, lang),
             *(fmt_kpi(t["kpi"], r["targets"][t["text"]]["bound"], lang) for t in result["targets"]),
             say(lang, "ok", "ja") if r["ok"] else "-"] for r in ev]
    lines += text_table([say(lang, "counts", "aantallen"), say(lang, "staff h/week", "uren/week"),
                         *(t["text"] if lang == "en" else target_words(t, lang, sc) for t in result["targets"]),
                         say(lang, "ok", "alle doelen")], rows)
    return "\n".join(lines)


def staff_report(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    who = pool_label(result["pool"], sc, lang)
    page = Page(f"{word('report_staff', lang)}: {who}", lang,
                say(lang, f"«{scenario_name(sc, result['scenario'], lang)}»; {result['replications']} replications per "
                          f"roster, common random numbers, seed {result['seed']}",
                    f"«{scenario_name(sc, result['scenario'], lang)}»; {result['replications']} herhalingen per "
                    f"rooster, dezelfde toevalsgetallen, startgetal {result['seed']}"))
    ev = {tuple(r["counts"]): r for r in result["evaluated"]}
    now, best = ev.get(tuple(result["current"])), ev.get(tuple(result["answer"]))
    targets = {t["text"]: target_words(t, lang, sc) for t in result["targets"]}
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
        figures.append(KeyFigure(targets[t["text"]], fmt_kpi(t["kpi"], check["bound"], lang),
                                 say(lang, f"mean {fmt_kpi(t['kpi'], check['mean'], lang)}",
                                     f"gemiddeld {fmt_kpi(t['kpi'], check['mean'], lang)}"),
                                 say(lang, f"95% bound with the roster needed, against {fmt_kpi(t['kpi'], t['threshold'], lang)}",
                                     f"95%-grens met het benodigde rooster, tegen {fmt_kpi(t['kpi'], t['threshold'], lang)}"),
                                 OK if check["holds"] else BAD))
    page.key_figures(say(lang, f"How many {role_of(result['service'], lang)} does {who} need to meet "
                               f"{'; '.join(targets.values())}?",
                         f"Hoeveel {role_of(result['service'], lang)} heeft {who} nodig om "
                         f"{'; '.join(targets.values())} te halen?"), figures[:6],
                     change_in_words(result, lang) + ".")
    points = sorted(result["evaluated"], key=lambda r: r["staff_hours_per_week"])
    hours_axis = say(lang, "rostered hours per week", "roosteruren per week")
    for n, t in enumerate(result["targets"]):
        x = [r["staff_hours_per_week"] for r in points]
        fig = figure(scatter(x, [r["targets"][t["text"]]["bound"] for r in points], "markers+lines",
                             name=say(lang, "one-sided 95% bound (the decision)", "eenzijdige 95%-grens (de beslissing)"),
                             marker={"color": [COLOURS[2] if r["targets"][t["text"]]["holds"] else COLOURS[4]
                                               for r in points], "size": 9},
                             line={"color": "#9fb3cc"}, text=[_counts(r) for r in points]),
                     scatter(x, [r["targets"][t["text"]]["mean"] for r in points], "markers",
                             name=say(lang, "mean", "gemiddelde"), marker={"color": "#7f8c8d", "symbol": "circle-open"}))
        reference_line(fig, y=t["threshold"], dash="dash", colour=COLOURS[4],
                       label=say(lang, "target ", "doel ") + f"{OPS.get(t.get('op', ''), '')} "
                       f"{fmt_kpi(t['kpi'], t['threshold'], lang)}")
        if best is not None:
            fig["data"].append(scatter([best["staff_hours_per_week"]], [best["targets"][t["text"]]["bound"]],
                                       "markers+text", name=say(lang, "chosen roster", "gekozen rooster"),
                                       marker={"symbol": "star", "size": 18, "color": COLOURS[0]},
                                       text=[say(lang, "chosen", "gekozen")], textposition="top center"))
        if unit_of(t["kpi"]) == "share":
            axis(fig, "y", tickformat=".0%")
        page.figure(fig, say(lang, f"{short_label(t['kpi'], sc, lang)} against rostered staff",
                             f"{short_label(t['kpi'], sc, lang)} tegen de roosterbezetting"), hours_axis,
                    unit_label(t["kpi"], lang), height=380, lead=n == 0)
    page.p(say(lang, "A target counts as met when its one-sided 95% bound over the replications meets it (the upper bound "
                     "for '≤'): a roster whose mean is just inside the target can still miss it.",
               "Een doel telt als gehaald als de eenzijdige 95%-grens over de herhalingen het haalt (de bovengrens bij "
               "'≤'): een rooster met een gemiddelde net binnen het doel kan het dus toch missen."), "note")
    page.h2(say(lang, "Roster per block", "Rooster per dienst"))
    page.table([say(lang, "block", "dienst"), say(lang, "now", "nu"), say(lang, "needed", "nodig")],
               [[block_words(b, lang), str(c), str(a)] for b, c, a in zip(result["blocks"], result["current"], result["answer"])])
    page.h2(say(lang, "Every roster evaluated", "Elk doorgerekend rooster"))
    blocks = [block_words(b, lang) for b in result["blocks"]]
    page.table([*blocks, hours_axis, *(f"{targets[t['text']]} ({say(lang, '95% bound', '95%-grens')})"
                                       for t in result["targets"]), say(lang, "every target", "alle doelen")],
               [[*(str(c) for c in r["counts"]), fmt_value(r["staff_hours_per_week"], 0, lang),
                 *(fmt_kpi(t["kpi"], r["targets"][t["text"]]["bound"], lang) for t in result["targets"]),
                 say(lang, "met", "gehaald") if r["ok"] else say(lang, "not met", "niet gehaald")] for r in points],
               text_columns=0)
    from sim.present.summary import assumptions
    page.assumptions([say(lang, f"The smallest roster: a binary search on a uniform change to every block, then single "
                                f"blocks lowered one at a time; each roster {result['replications']} replications on common "
                                "random numbers",
                          f"Het kleinste rooster: eerst alle diensten tegelijk (binair zoeken), dan elke dienst apart "
                          f"omlaag; elk rooster {result['replications']} herhalingen op dezelfde toevalsgetallen"),
                      *(assumptions(sc, lang) if sc is not None else []), norm_assumption(lang)])
    return page.html()
