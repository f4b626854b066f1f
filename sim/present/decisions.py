"""The everyday question of a GP cooperative, answered on a page and in a few printed lines:
what does a new (or changed) location cost its practice, the HAP and the region, without
and with a voorwacht or a compact behandelteam (experiments/impact.py), ending with a
verdict against the practice's utilisation target: it fits easily, just, or not.
In English or Dutch, with the key figures first (present/page.py). The staffing page is
present/staffing.py (importable from here as before).
"""

from __future__ import annotations

import math
from typing import Any

from sim.experiments.nieuwe_locatie import named
from sim.fmt import error_bar, fmt_percent, fmt_value, text_table
from sim.present.charts import Figure, axis, bar, figure, reference_line
from sim.present.changes import interval
from sim.present.glossary import MARGIN, UTILISATION_TARGET, norm_assumption, term
from sim.present.headline import findings, short_label
from sim.present.labels import (
    fmt_kpi,
    fmt_kpi_ci,
    fmt_kpi_range,
    kpi_label,
    location_label,
    pick,
    pool_label,
    say,
    unit_of,
    word,
)
from sim.present.page import BAD, COLOURS, INFO, OK, WARN, KeyFigure, KeyFigures, Page, wrap
from sim.present.significance import interval, significant
from sim.scenario.config import Scenario

VARIANTS = {"zonder": ("without", "zonder"), "met": ("with", "met"), "met + voorwacht": ("with + voorwacht", "met + voorwacht"),
            "met + behandelteam": ("with + behandelteam", "met + behandelteam")}
# a changed or closed location has no 'with': its columns are the region as now, and the change
CHANGE_VARIANTS = {"zonder": ("as now", "zoals nu"), "met": ("change", "verandering")}


def variant_label(name: str, lang: str, result: dict[str, Any] | None = None) -> str:
    """A variant's column name (CHANGE_VARIANTS when a location is only changed or closed)."""
    words = VARIANTS
    if result is not None and result.get("changed_locations") and not result.get("new_locations"):
        words = {**VARIANTS, **CHANGE_VARIANTS}
    return words.get(name, (name, name))[pick(lang)]


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
        if change.get("remove"):
            parts.append(say(lang, f"closing location {location_label(loc, sc)}",
                             f"het opheffen van locatie {location_label(loc, sc)}"))
            continue
        what = ", ".join(_change_word(k, v, lang, sc) for k, v in change.items())
        parts.append(say(lang, f"location {location_label(loc, sc)} changed ({what})",
                         f"locatie {location_label(loc, sc)} gewijzigd ({what})"))
    return "; ".join(parts)


# a location's fields as a change is said ('bewoners 30'); a field not listed keeps its own name
CHANGE_WORDS = {
    "residents": ("residents", "bewoners"), "kind": ("kind", "soort"), "sector": ("sector", "sector"),
    "behandeling": ("with behandeling", "met behandeling"), "practice": ("GP practice", "huisartspraktijk"),
    "behandeldienst": ("behandeldienst", "behandeldienst"), "name": ("name", "naam"),
    "zorgprofiel": ("care profile", "zorgprofiel"), "spoedpost": ("out-of-hours post", "huisartsenpost"),
    "travel_min_practice": ("travel to the GP (min)", "reistijd huisarts (min)"),
    "travel_min_hap": ("travel from the HAP (min)", "reistijd huisartsenpost (min)"),
    "travel_min_behandeldienst": ("travel from the behandeldienst (min)", "reistijd behandeldienst (min)"),
}


def _change_word(key: str, value: Any, lang: str, sc: Scenario | None) -> str:
    """One changed field in words: 'bewoners 30', 'soort verpleeghuis', 'met behandeling ja'."""
    nl = lang == "nl"
    label = CHANGE_WORDS.get(key, (key, key))[nl]
    if isinstance(value, bool):
        shown = ("no", "yes")[value] if not nl else ("nee", "ja")[value]
    elif key == "kind" and value in KIND_PHRASE:
        shown = KIND_PHRASE[value][nl]
    elif key in ("practice", "behandeldienst") and isinstance(value, str):
        shown = _at(value, lang, sc)
    else:
        shown = str(value)
    return f"{label} {shown}"


def impact_question(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    """The question answered, in words and with the user's own names: 'Impact on 'x' of a
    new small-scale home 'De Eik' of 24 residents at De Linde'."""
    return say(lang, f"Impact on '{result['scenario']}' of {_what(result, lang, sc)}",
               f"Gevolgen voor '{result['scenario']}' van {_what(result, lang, sc)}")


def impact_text(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    """The one-page printed answer: the change per variant against 'zonder', with its CI."""
    lines = [impact_question(result, lang, sc),
             say(lang, f"{result['replications']} replications, seed {result['seed']}, common random numbers; '+x ±y' is "
                       "the change against 'without' with its 95% CI",
                 f"{result['replications']} herhalingen, startgetal {result['seed']}, dezelfde toevalsgetallen; '+x ±y' is de "
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


def _stats(result: dict[str, Any], variant: str, kpi: str, what: str = "difference") -> dict[str, Any]:
    return (result[what].get(variant, {}).get(kpi) or {}) if what == "difference" else \
        (result["kpis"].get(variant, {}).get(kpi) or {})


def about(kpi: str, d: dict[str, Any], lang: str) -> str:
    """A change said as the interval allows: 'about +3.7 (95% CI +3.5 to +3.9)', or 'no
    demonstrable change (about +1.3, but uncertain: 95% CI -0.3 to +2.9)'."""
    shown = fmt_kpi(kpi, d.get("mean"), lang, True)
    if significant(d):
        return say(lang, f"about {shown} ({fmt_kpi_range(kpi, d, lang, True)})",
                   f"ongeveer {shown} ({fmt_kpi_range(kpi, d, lang, True)})")
    uncertain = fmt_kpi_range(kpi, d, lang, True)
    return say(lang, f"no demonstrable change (about {shown}, but uncertain" + (f": {uncertain})" if uncertain else ")"),
               f"geen aantoonbare verandering (ongeveer {shown}, maar onzeker" + (f": {uncertain})" if uncertain else ")"))


def verdict(result: dict[str, Any], practice: str) -> tuple[str, str, float, float, float]:
    """Does the practice absorb the new location? ('fits_easily' / 'fits_just' / 'fits_not',
    status, utilisation before, after and its upper 95% bound) against UTILISATION_TARGET:
    easily when even the upper bound stays MARGIN under it, just when the mean is under it."""
    util = f"service.{practice}.utilisation"
    before = _stats(result, "zonder", util, "kpis").get("mean", math.nan)
    after = _stats(result, "met", util, "kpis")
    mean, high = after.get("mean", math.nan), after.get("ci_high", after.get("mean", math.nan))
    high = mean if high is None or high != high else high
    if mean != mean:
        return "", INFO, before, mean, high
    if mean > UTILISATION_TARGET:
        return "fits_not", BAD, before, mean, high
    if high <= UTILISATION_TARGET - MARGIN:
        return "fits_easily", OK, before, mean, high
    return "fits_just", WARN, before, mean, high


VERDICTS = {"fits_easily": ("fits easily", "past ruim"), "fits_just": ("fits, just", "past krap"),
            "fits_not": ("does not fit", "past niet")}


def verdict_sentence(result: dict[str, Any], lang: str, sc: Scenario | None) -> str:
    """'Verdict for De Linde: fits easily: utilisation from 21% to 27% (upper 95% bound 28%),
    against a target of at most 85%.'"""
    out = []
    for p in result["practices"]:
        key, _, before, after, high = verdict(result, p)
        if not key:
            continue
        who, target = pool_label(p, sc, lang), fmt_percent(UTILISATION_TARGET, 0, lang)
        out.append(say(lang, f"Verdict for {who}: {VERDICTS[key][0]}: {term('utilisation', lang)} from "
                             f"{fmt_percent(before, 0, lang)} to {fmt_percent(after, 0, lang)} (upper 95% bound "
                             f"{fmt_percent(high, 0, lang)}), against a target of at most {target}.",
                       f"Oordeel voor {who}: {VERDICTS[key][1]}: de {term('utilisation', lang)} gaat van "
                       f"{fmt_percent(before, 0, lang)} naar {fmt_percent(after, 0, lang)} (bovengrens 95%-BI "
                       f"{fmt_percent(high, 0, lang)}), tegen een doel van hoogstens {target}."))
    return " ".join(out)


def impact_sentence(result: dict[str, Any], lang: str, sc: Scenario | None = None) -> str:
    """What the new location costs in words the intervals support, the variants, and the
    verdict against the practice's target. Requests are zorgvragen (calls, consults and
    visits alike), not consults."""
    parts = []
    for p in result["practices"]:
        req, hours = f"service.{p}.handled_per_week", f"service.{p}.hours_per_week"
        parts.append(say(lang, f"{pool_label(p, sc, lang)} {about(req, _stats(result, 'met', req), lang)} care requests "
                               f"and {about(hours, _stats(result, 'met', hours), lang)} GP hours a week",
                         f"{pool_label(p, sc, lang)} {about(req, _stats(result, 'met', req), lang)} zorgvragen en "
                         f"{about(hours, _stats(result, 'met', hours), lang)} huisartsuren per week"))
    hap = "handled.hap.wlz_per_week"
    text = say(lang, f"It brings {'; '.join(parts)}; the HAP: {about(hap, _stats(result, 'met', hap), lang)} Wlz "
                     "care requests a week",
               f"Dat brengt {'; '.join(parts)}; de HAP: {about(hap, _stats(result, 'met', hap), lang)} "
               "Wlz-zorgvragen per week")
    extra = []
    for variant in ("met + voorwacht", "met + behandelteam"):
        dv = result["difference"].get(variant, {})
        total = sum((dv.get(f"service.{p}.handled_per_week") or {}).get("mean", 0.0) for p in result["practices"])
        if dv:
            extra.append(say(lang, f"with a {variant.split('+ ')[1]} {fmt_value(total, 1, lang)}",
                             f"met een {variant.split('+ ')[1]} {fmt_value(total, 1, lang)}"))
    if extra:
        text += say(lang, f". At the practice instead: {', '.join(extra)} care requests a week",
                    f". Bij de praktijk in plaats daarvan: {', '.join(extra)} zorgvragen per week")
    return f"{text}. {verdict_sentence(result, lang, sc)}".strip()


def impact_key_figures(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> KeyFigures:
    """The question and its answer first (the report and the app show the same): for the
    practice the extra care requests (busiest weeks beside them), GP hours, its utilisation
    with the new location against its target (the verdict) and its own wait; the extra HAP
    requests; a red card for any response norm the new location makes fail or fall."""
    figures = []
    (after_en, after_nl), (extra_en, extra_nl) = _after(result), _extra(result)
    for n, p in enumerate(result["practices"][:2]):
        who = pool_label(p, sc, lang)
        req, p90, hours = (f"service.{p}.{m}" for m in ("handled_per_week", "handled_week_p90", "hours_per_week"))
        figures.append(_change_card(result, req, say(lang, f"{extra_en} care requests at {who} per week",
                                                     f"{extra_nl} zorgvragen bij {who} per week"), lang,
                                    say(lang, f"busiest weeks (P90): {fmt_kpi(p90, _stats(result, 'met', p90).get('mean'), lang, True)}",
                                        f"drukste weken (P90): {fmt_kpi(p90, _stats(result, 'met', p90).get('mean'), lang, True)}")))
        if n == 0:
            figures.append(_change_card(result, hours, say(lang, f"{extra_en} GP hours at {who} per week",
                                                           f"{extra_nl} huisartsuren bij {who} per week"), lang))
        key, status, before, after, high = verdict(result, p)
        figures.append(KeyFigure(say(lang, f"{who}: {term('utilisation', lang)} {after_en}",
                                     f"{who}: {term('utilisation', lang)} {after_nl}"),
                                 fmt_percent(after, 0, lang),
                                 say(lang, f"was {fmt_percent(before, 0, lang)}; upper 95% bound {fmt_percent(high, 0, lang)}",
                                     f"was {fmt_percent(before, 0, lang)}; bovengrens 95%-BI {fmt_percent(high, 0, lang)}"),
                                 say(lang, f"target ≤ {fmt_percent(UTILISATION_TARGET, 0, lang)}: ",
                                     f"doel ≤ {fmt_percent(UTILISATION_TARGET, 0, lang)}: ")
                                 + (VERDICTS[key][pick(lang)] if key else "-"), status))
        wait = f"service.{p}.wait_p90_min"
        if n == 0 and wait in result["kpis"].get("met", {}):
            figures.append(KeyFigure(say(lang, f"{who}: wait for the GP (P90), {after_en}",
                                         f"{who}: wachttijd op de huisarts (P90), {after_nl}"),
                                     fmt_kpi(wait, _stats(result, "met", wait, "kpis").get("mean"), lang),
                                     _was(result, wait, lang), "", INFO))
    hap = "handled.hap.wlz_per_week"
    if hap in result["difference"].get("met", {}):
        figures.append(_change_card(result, hap, say(lang, f"{extra_en} Wlz care requests at the HAP per week",
                                                     f"{extra_nl} Wlz-zorgvragen bij de HAP per week"), lang))
    alarms = _alarms(result, lang, sc)
    figures = alarms + figures[:max(0, 6 - len(alarms))]
    return KeyFigures(say(lang, f"What does {_what(result, lang, sc)} do to the practice, the HAP and the region?",
                          f"Wat doet {_what(result, lang, sc)} met de praktijk, de HAP en de regio?"), figures[:6],
                      impact_sentence(result, lang, sc), word("key_figures", lang), word("question", lang),
                      word("answer", lang))


def _after(result: dict[str, Any]) -> tuple[str, str]:
    """'with the new location', or 'after the change' when a location is changed or closed."""
    if result.get("changed_locations"):
        return "after the change", "na de verandering"
    return "with the new location", "met de nieuwe locatie"


def _extra(result: dict[str, Any]) -> tuple[str, str]:
    """'Extra' for a new location; a change or a closure may take work away too."""
    return ("Change in", "Verandering in") if result.get("changed_locations") else ("Extra", "Extra")


def _was(result: dict[str, Any], kpi: str, lang: str) -> str:
    before = fmt_kpi(kpi, _stats(result, "zonder", kpi, "kpis").get("mean"), lang)
    d = _stats(result, "met", kpi)
    change = term("no_change", lang) if not significant(d) else \
        f"{fmt_kpi(kpi, d.get('mean'), lang, True)} ({fmt_kpi_range(kpi, d, lang, True)})"
    return say(lang, f"was {before}: {change}", f"was {before}: {change}")


def _change_card(result: dict[str, Any], kpi: str, label: str, lang: str, norm: str = "") -> KeyFigure:
    """An extra load: the change, its interval, or 'no demonstrable change' when the
    interval includes none."""
    d = _stats(result, "met", kpi)
    if significant(d):
        return KeyFigure(label, fmt_kpi(kpi, d.get("mean"), lang, True), interval(kpi, d, lang), norm)
    about, span = fmt_kpi(kpi, d.get("mean"), lang, True), interval(kpi, d, lang)
    return KeyFigure(label, term("no_change", lang),
                     say(lang, f"about {about}, but uncertain" + (f": {span}" if span else ""),
                         f"ongeveer {about}, maar onzeker" + (f": {span}" if span else "")), norm)


def _alarms(result: dict[str, Any], lang: str, sc: Scenario | None) -> list[KeyFigure]:
    """Red cards for the response norms the new location makes fail or fall significantly."""
    after, before, diff = result["kpis"].get("met", {}), result["kpis"].get("zonder", {}), result["difference"].get("met", {})
    out = []
    for f in findings(after, diff, before, sc):  # only changes large enough to speak of (material)
        if f.kind in ("norm_fall", "fall", "overload") and f.kpi.startswith(("response.", "service.")) \
                and not f.kpi.endswith("wait_p90_min"):
            out.append(KeyFigure(short_label(f.kpi, sc, lang), fmt_kpi(f.kpi, (after.get(f.kpi) or {}).get("mean"), lang),
                                 _was(result, f.kpi, lang), say(lang, f"worse {_after(result)[0]}",
                                                                f"slechter {_after(result)[1]}"), BAD))
    return out[:2]


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
    return ["", *(variant_label(n, lang, result) for n in names)], rows


IMPACT_UNITS = {  # unit -> (English, Dutch) chart title, axis title
    "per_week": (("Extra care requests per week, per variant (95% CI)", "Extra zorgvragen per week, per variant (95%-BI)"),
                 ("care requests per week", "zorgvragen per week")),
    "hours": (("Extra hours per week, per variant (95% CI)", "Extra uren per week, per variant (95%-BI)"),
              ("hours per week", "uren per week")),
    "share": (("Change in shares, per variant (percentage points, 95% CI)",
               "Verandering in aandelen, per variant (procentpunten, 95%-BI)"), ("percentage points", "procentpunten")),
    "minutes": (("Change in waits, per variant (minutes, 95% CI)", "Verandering in wachttijden, per variant (minuten, 95%-BI)"),
                ("minutes", "minuten")),
}


def impact_figure(result: dict[str, Any], unit: str, lang: str, sc: Scenario | None) -> tuple[Figure, int] | None:
    """The change each variant brings, one horizontal bar group per KPI of one unit (names
    wrapped, never cut; shares in percentage points), and its height; None when no KPI has
    that unit. The report and the app draw the same."""
    kpis = [k for k in result["kpi_order"] if unit_of(k) == unit and k in result["kpis"]["zonder"]]
    if not kpis:
        return None
    scale = 100.0 if unit == "share" else 1.0
    fig = figure(barmode="group")
    variants = result["variants"][1:]
    for v, name in enumerate(variants):
        diffs = [result["difference"][name].get(k) or {} for k in kpis]
        fig["data"].append(bar([scale * (d.get("mean") or 0.0) for d in diffs], [wrap(kpi_label(k, lang, sc), 40) for k in kpis],
                               horizontal=True, colour=COLOURS[v % len(COLOURS)], name=variant_label(name, lang, result),
                               error=[scale * error_bar(d) for d in diffs]))
    axis(fig, "y", autorange="reversed")  # the table's order, top to bottom
    reference_line(fig, x=0, colour="#888")
    return fig, 120 + 22 * len(kpis) * len(variants) + 16 * len(kpis)


def impact_report(result: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> str:
    page = Page(f"{word('report_impact', lang)}: {sc.region.name if sc else result['scenario']}", lang,
                say(lang, f"{result['replications']} replications on common random numbers, seed {result['seed']}",
                    f"{result['replications']} {term('replications', lang)} op {term('crn', lang)}, "
                    f"{term('seed', lang)} {result['seed']}"))
    page.key = impact_key_figures(result, lang, sc)
    for n, unit in enumerate(IMPACT_UNITS):
        drawn = impact_figure(result, unit, lang, sc)
        if drawn is None:
            continue
        if n == 1:
            page.h2(say(lang, "Change against the region without it (95% CI)", "Verandering tegen de regio zonder (95%-BI)"))
            page.table(*impact_rows(result, lang, sc))
        (title, axis), (fig, height) = IMPACT_UNITS[unit], drawn
        page.figure(fig, title[pick(lang)], axis[pick(lang)], "", height=height, lead=n == 0)
    from sim.present.summary import assumptions
    page.assumptions([impact_assumptions(lang), *(assumptions(sc, lang) if sc is not None else []),
                      norm_assumption(lang)])
    return page.html()


from sim.present.staffing import (  # noqa: E402,F401  (the staffing page, importable from here as before)
    block_words,
    change_in_words,
    role_of,
    staff_report,
    staff_text,
)
