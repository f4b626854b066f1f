"""The readable summary a run prints (and writes to summary.txt): a warning when a service
cannot keep up, calibration, demand, workload, response times, the comparison with the
parent, and the assumptions behind it all, so nobody has to open the YAML to know what was
assumed. In English or Dutch."""

from __future__ import annotations

import math
import re
from typing import Any

from sim.analysis.metrics import SEED_000
from sim.analysis.overload import overload_reasons
from sim.fmt import fmt_ci, fmt_minutes, fmt_percent, fmt_value, real, text_table
from sim.present.glossary import overload_reason
from sim.present.labels import fmt_kpi, fmt_kpi_ci, holiday_name, kpi_label, location_name, pick, pool_label, say
from sim.present.significance import GROUPS, group_of, moved, significant
from sim.scenario.config import Scenario
from sim.scenario.schema import URGENCIES


def _val(kpis: dict[str, Any], name: str, digits: int = 1, ci: bool = False, lang: str = "en") -> str:
    k = kpis.get(name)
    if not k:
        return "-"
    return fmt_ci(k, digits, lang=lang) if ci else fmt_value(k["mean"], digits, lang)


def _pct(kpis: dict[str, Any], name: str, lang: str, ci: bool = False) -> str:
    k = kpis.get(name)
    if not k:
        return "-"
    text = fmt_percent(k["mean"], 1, lang)
    if ci and k.get("n", 0) > 1 and k.get("ci_high") is not None and math.isfinite(k["ci_high"]):
        text += f" ±{fmt_percent(k['ci_high'] - k['mean'], 1, lang)}"
    return text


def _mean(kpis: dict[str, Any], name: str) -> float:
    v = (kpis.get(name) or {}).get("mean")
    return math.nan if v is None else float(v)


def overload_lines(kpis: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> list[str]:
    """One line per service that cannot keep up, its reason in words (any reason
    analysis/metrics.py gives; present/glossary.py has the words)."""
    return [say(lang, f"Overloaded: {pool_label(pool, sc, lang)}: {overload_reason(why, figure, lang)}. Waits there grow "
                      "with the horizon; add staff or reduce demand before reading the results.",
                f"Overbelast: {pool_label(pool, sc, lang)}: {overload_reason(why, figure, lang)}. De wachttijden daar "
                "groeien met de looptijd; voeg personeel toe of verminder de vraag voordat u de uitkomsten leest.")
            for pool, (why, figure) in overload_reasons(kpis).items()]


def overload_warning(kpis: dict[str, Any], lang: str = "en", sc: Scenario | None = None) -> list[str]:
    """The lines that open a summary when a service cannot keep up: its figures (and those
    behind it) describe a queue that never empties, not a region that copes."""
    over = overload_reasons(kpis)
    if not over:
        return []

    def why(kind: str, figures: tuple[float, ...]) -> str:
        return overload_reason(kind, figures, lang)

    def listing(reasons: dict[str, tuple[str, tuple[float, ...]]]) -> str:
        return "; ".join(f"{pool_label(pool, sc, lang)} ({why(*reason)})" for pool, reason in reasons.items())

    lines = []
    load = {pool: r for pool, r in over.items() if r[0] != "unstaffed"}
    empty = {pool: r for pool, r in over.items() if r[0] == "unstaffed"}
    if load:
        lines.append(say(lang, f"WARNING: overloaded: {listing(load)}. Waits there grow with the horizon; add staff or "
                               "reduce demand before reading the results.",
                         f"WAARSCHUWING: overbelast: {listing(load)}. De wachttijden daar groeien met de looptijd; voeg "
                         "personeel toe of verminder de vraag voordat u de uitkomsten leest."))
    if empty:
        lines.append(say(lang, f"WARNING: shifts with nobody on duty: {listing(empty)}. Requests waited for the next "
                               "shift or were handed on; without a replacement for absent staff these hours are "
                               "uncovered.",
                         f"WAARSCHUWING: diensten zonder iemand aanwezig: {listing(empty)}. Zorgvragen wachtten op de "
                         "volgende dienst of werden overgedragen; zonder vervanging bij verzuim zijn deze uren "
                         "onbemand."))
    return lines + [""]


def _u1_on_site(k: dict[str, Any], who: str, lang: str) -> list[str]:
    """Who is on site for a U1: the ambulance's share, and the U1 visits a physician made
    within 15 minutes beside the figure Dutch HAPs report (Giesen 2007: 68.8%)."""
    p = f"response.{who}.U1"
    out = []
    if f"{p}.ambulance_share" in k:
        out.append(say(lang, f"U1: an ambulance (A1) for {_pct(k, f'{p}.ambulance_share', lang)}; the first of ambulance "
                             "and physician on site counts for the norm",
                       f"U1: een ambulance (A1) bij {_pct(k, f'{p}.ambulance_share', lang)}; de eerste van ambulance en "
                       "arts ter plaatse telt voor de norm"))
    if who == "background" and f"{p}.physician_visit_within_norm" in k:
        out.append(say(lang, f"U1 visits a HAP doctor made, on site within 15 min: "
                             f"{_pct(k, f'{p}.physician_visit_within_norm', lang, True)} (Dutch HAPs: 68.8%, Giesen 2007)",
                       f"U1-visites door een HAP-arts, binnen 15 min ter plaatse: "
                       f"{_pct(k, f'{p}.physician_visit_within_norm', lang, True)} (Nederlandse HAP's: 68,8%, Giesen "
                       "2007)"))
    return out


def assumptions(sc: Scenario, lang: str = "en") -> list[str]:
    """What the answer rests on, each with its source tag ([seed NNN], [lit], [assumption])."""
    d, hap = sc.demand, sc.all_spoedposten()[0]
    kinds = ", ".join(f"{k} {fmt_value(v, 3, lang)}" for k, v in d.rate_per_resident_week.items())
    loads = ", ".join(f"{p.id} {fmt_percent(p.regular_load, 0, lang)}" for p in sc.practices)
    waarneming = ", ".join(f"{p.id}: {p.waarneming or say(lang, 'next open practice', 'eerstvolgende open praktijk')}"
                           for p in sc.practices)
    urgency = ", ".join(f"{u} {fmt_percent(d.urgency_mix[u], 0, lang)}" for u in URGENCIES)
    background = "; ".join(f"{h.id} {fmt_value(h.background.contacts_per_1000_year, 0, lang)} x "
                           f"{fmt_value(h.inhabitants or sc.region.inhabitants, 0, lang)}" for h in sc.all_spoedposten())
    rosters = "; ".join(f"{h.id} ({fmt_value(h.inhabitants or sc.region.inhabitants, 0, lang)}): "
                        + "/".join(str(b.count) for b in h.doctors) for h in sc.all_spoedposten())
    settled = "/".join(sc.norms.settled_without_physician)
    office = (fmt_percent(d.office_share, 0, lang) if d.office_share is not None
              else say(lang, "the profile's own (78% by default)", "die van het profiel (standaard 78%)"))
    holidays = ", ".join(holiday_name(h, lang) for h in sc.calendar.holidays.exclude) or "-"
    lines = [
        say(lang, f"Demand per resident per week: {kinds} [seed 000: 4.1/week for ~20 residents; other kinds assumed equal]",
           f"Zorgvraag per bewoner per week: {kinds} [seed 000: 4,1 per week bij ~20 bewoners; andere soorten "
           "aangenomen gelijk]"),
        say(lang, f"Urgency mix (Wlz): {urgency} [seed 000: 14% acute]",
           f"Urgentieverdeling (Wlz): {urgency} [seed 000: 14% acuut]"),
        say(lang, f"Share of Wlz demand in office hours: {office} [assumption]",
           f"Aandeel Wlz-zorgvraag in kantooruren: {office} [aanname]"),
        say(lang, f"Per-resident frailty: gamma shape {fmt_value(d.frailty_shape, 1, lang)} (frequent callers) [assumption]",
           f"Kwetsbaarheid per bewoner: gamma-vorm {fmt_value(d.frailty_shape, 1, lang)} (frequente bellers) [aanname]"),
        say(lang, f"GP practices: share of GP time taken by the rest of the list (regular_load) {loads}; non-urgent "
                 "work for the locations waits for the rest, U1-U2 take a GP off other work [assumption]",
           f"Huisartsenpraktijken: deel van de huisartstijd voor de rest van de praktijk {loads}; niet-spoedeisend "
           "werk voor de locaties wacht op de rest, U1-U2 halen een huisarts van ander werk [aanname]"),
        say(lang, f"A practice closed in office hours passes urgent and can't-wait calls to its waarneming ({waarneming}) "
                 "[assumption]",
           f"Een praktijk die overdag dicht is, geeft spoed en wat niet kan wachten aan de waarneming ({waarneming}) "
           "[aanname]"),
        say(lang, f"HAP general population: contacts per 1,000 inhabitants per year x inhabitants: {background} "
                 "[lit: PLoS One 2017]",
           f"HAP algemene bevolking: contacten per 1.000 inwoners per jaar x inwoners: {background} [lit: PLoS One 2017]"),
        say(lang, f"HAP triagist settles {fmt_percent(hap.triage.resolves_telephone_share, 0, lang)} of telephone "
                 f"questions of {'/'.join(hap.triage.resolves_urgencies)} alone (27.5% of all calls) "
                 "[lit: PMC1713241; NTS: U1-U2 to a physician]",
           f"Triagist van de HAP handelt {fmt_percent(hap.triage.resolves_telephone_share, 0, lang)} van de "
           f"telefonische vragen ({'/'.join(hap.triage.resolves_urgencies)}) zelf af (27,5% van alle gesprekken) "
           "[lit: PMC1713241; NTS: U1-U2 naar een arts]"),
        say(lang, f"HAP doctors (evening/night/weekend day/weekend night): {rosters}; defaults scaled from 120,000 "
                 "inhabitants [assumption]",
           f"HAP-artsen (avond/nacht/weekenddag/weekendnacht): {rosters}; standaard geschaald vanaf 120.000 inwoners "
           "[aanname]"),
        say(lang, f"Norms: a nurse or triagist who settles a request alone meets the norm of {settled} [lit: NTS]",
           f"Normen: een verpleegkundige of triagist die een vraag zelf afhandelt, haalt de norm van {settled} [lit: NTS]"),
        say(lang, f"Office hours {sc.calendar.office_start}-{sc.calendar.office_end} on working days; public holidays "
                 f"({sc.calendar.holidays.country}, excluding {holidays}) are ANW",
           f"Kantooruren {sc.calendar.office_start}-{sc.calendar.office_end} op werkdagen; feestdagen "
           f"({sc.calendar.holidays.country}, behalve {holidays}) vallen onder ANW"),
        say(lang, f"Warm-up {sc.region.warmup_weeks} weeks excluded; {sc.region.weeks} weeks measured",
           f"Inloop van {sc.region.warmup_weeks} weken niet meegeteld; {sc.region.weeks} weken gemeten"),
    ]
    lines += _block_assumptions(sc, lang)
    if lang == "nl":  # the source documents' tags in Dutch: [bron 000], as in docs/sources.md's "seed 000"
        lines = [re.sub(r"\bseed (\d{3})", r"bron \1", line) for line in lines]
    return lines


def _block_assumptions(sc: Scenario, lang: str) -> list[str]:
    """What each arrangement block and pressure assumes: the figures no Dutch source gives."""
    k = pick(lang)
    # a block's Dutch line may carry the English source tag of its schema field
    out = [_named(pair[k].replace("[assumption]", "[aanname]") if lang == "nl" else pair[k], s, sc, lang)
           for s in sc.services for pair in s.assumptions()]
    p = sc.pressures
    if p.demand_growth:
        out.append(say(lang, f"Demand growth +{fmt_percent(p.demand_growth, 1, lang)} on Wlz and HAP demand "
                            "[seed 003: +11.4% by 2040]",
                      f"Groei van de zorgvraag +{fmt_percent(p.demand_growth, 1, lang)} (Wlz en HAP) "
                      "[seed 003: +11,4% in 2040]"))
    if p.gp_capacity_factor < 1:
        out.append(say(lang, f"GP time for the locations at {fmt_percent(p.gp_capacity_factor, 0, lang)} of today's "
                            "(GP shortage)",
                      f"Huisartstijd voor de locaties op {fmt_percent(p.gp_capacity_factor, 0, lang)} van nu "
                      "(huisartsentekort)"))
    if p.sickness_absence:
        out.append(say(lang, f"Sickness absence: each rostered shift missed with chance "
                            f"{fmt_percent(p.sickness_absence, 0, lang)}, no replacement",
                      f"Ziekteverzuim: elke dienst valt met kans {fmt_percent(p.sickness_absence, 0, lang)} uit, "
                      "zonder vervanging"))
    referral = ", ".join(f"{u} {fmt_percent(p.seh_referral[u], 0, lang)}" for u in URGENCIES if p.seh_referral[u])
    out.append(say(lang, f"SEH referral after physician contact: {referral} [assumption]",
                  f"Verwijzing naar de SEH na artscontact: {referral} [aanname]"))
    if sc.routes:
        out.append(say(lang, f"Routes: {len(sc.routes)} scenario route(s) first, then "
                            + ("the baseline routes (A)" if sc.baseline_fallback else "no fallback"),
                      f"Routes: eerst {len(sc.routes)} route(s) van het scenario, dan "
                      + ("de basisroutes (A)" if sc.baseline_fallback else "geen terugval")))
    return out


def _named(line: str, service: Any, sc: Scenario, lang: str) -> str:
    """A block's assumption under its name, not its id: 'VOORWACHT (voorwacht): ...' ->
    'Medisch-verpleegkundige voorwacht: ...'."""
    head = f"{service.id} ({getattr(service, 'type', '')})"
    return f"{pool_label(service.id, sc, lang)}{line[len(head):]}" if line.startswith(head) else line


def _comparison(cmp: dict[str, Any], k: dict[str, Any], lang: str, sc: Scenario) -> list[str]:
    """What moved against the parent scenario: significant changes first, each in its unit."""
    diff = cmp["difference"]
    rows = []
    for name in sorted(moved(diff), key=lambda n: (GROUPS.index(group_of(n)), not significant(diff[n]),
                                                   kpi_label(n, lang, sc))):
        before, after = cmp["parent_kpis"][name]["mean"], (k.get(name) or {}).get("mean")
        if real(after) is None and real(before) in (None, 0.0):
            continue
        rows.append([("* " if significant(diff[name]) else "  ") + kpi_label(name, lang, sc),
                     fmt_kpi(name, before, lang), fmt_kpi(name, after, lang),
                     fmt_kpi_ci(name, diff[name], lang, signed=True)])
    head = [say(lang, f"Compared with '{cmp['parent']}' on the same random numbers (difference ±95% CI; * = the interval "
                      "excludes no change; measures not shown are identical)",
                f"Vergeleken met '{cmp['parent']}' op dezelfde toevalsgetallen (verschil ±95%-BI; * = het interval "
                "sluit 'geen verandering' uit; niet getoonde maatstaven zijn gelijk)")]
    return head + text_table([say(lang, "measure", "maatstaf"), cmp["parent"], say(lang, "this scenario", "dit scenario"),
                              say(lang, "difference", "verschil")], rows)


def render(sc: Scenario, summary: dict[str, Any], folder: str | None = None, lang: str = "en") -> str:
    """The printed summary of a run."""
    k = summary["kpis"]
    reps = summary["replications"]
    n_haps = len(sc.all_spoedposten())
    out = [*overload_warning(summary["kpis"], lang, sc),
           f"{sc.region.name} - scenario '{sc.scenario}'" + (f": {sc.describe(lang)}" if sc.describe(lang) else ""),
           say(lang, f"{len(sc.locations)} locations, {fmt_value(sum(l.residents for l in sc.locations), 0, lang)} "
                    f"residents, {len(sc.practices)} GP practices, {n_haps} spoedpost{'en' if n_haps > 1 else ''}, "
                    f"{len(sc.behandeldiensten)} behandeldiensten; {sc.region.weeks} weeks x {reps} replication"
                    f"{'s' if reps != 1 else ''}, seed {sc.region.seed}" + (" (mean ±95% CI half-width)" if reps > 1 else ""),
              f"{len(sc.locations)} locaties, {fmt_value(sum(l.residents for l in sc.locations), 0, lang)} bewoners, "
              f"{len(sc.practices)} huisartsenpraktijken, {n_haps} spoedpost{'en' if n_haps > 1 else ''}, "
              f"{len(sc.behandeldiensten)} behandeldiensten; {sc.region.weeks} weken x {reps} herhaling"
              f"{'en' if reps != 1 else ''}, startgetal {sc.region.seed}" + (" (gemiddelde ±95%-BI)" if reps > 1 else "")),
           "",
           say(lang, "Calibration: kleinschalig locations without behandeling vs seed 000 (Het Gastenhuis)",
              "Kalibratie: kleinschalige locaties zonder behandeling tegen seed 000 (Het Gastenhuis)")]
    pre = "calibration.kleinschalig"
    words = {"requests_per_20_residents_week": ("requests per 20 residents per week", "zorgvragen per 20 bewoners per week"),
             "telephone_share": ("telephone share", "aandeel telefonisch"), "acute_share": ("acute share", "aandeel acuut"),
             "weekend_share": ("weekend share", "aandeel weekend")}
    rows = []
    for name, target in SEED_000.items():
        if f"{pre}.{name}" in k:
            digits = 2 if name.endswith("_week") else 3
            rows.append([words[name][pick(lang)], _val(k, f"{pre}.{name}", digits, True, lang),
                         fmt_value(target, digits, lang)])
    out += text_table([say(lang, "measure", "maatstaf"), say(lang, "simulated", "gesimuleerd"), "seed 000"], rows) \
        if rows else [say(lang, "  (no kleinschalig location)", "  (geen kleinschalige locatie)")]

    out += ["", say(lang, "Care requests per week per location", "Zorgvragen per week per locatie")]
    rows = [[loc.id, location_name(loc), loc.kind + ("+B" if loc.behandeling else ""), loc.sector,
             str(loc.residents), _val(k, f"location.{loc.id}.requests_per_week", 2, lang=lang)] for loc in sc.locations]
    out += text_table(["id", say(lang, "name", "naam"), say(lang, "kind", "soort"), "sector",
                       say(lang, "residents", "bewoners"), say(lang, "req/week", "vragen/week")], rows)
    out.append(say(lang, f"Wlz requests per week: {_val(k, 'demand.wlz_requests_per_week', 1, True, lang)}; HAP "
                        f"general population: {_val(k, 'demand.background_requests_per_week', 0, lang=lang)}; handled by "
                        f"the HAP: {_pct(k, 'wlz.hap_share', lang)} of Wlz requests; Wlz share of HAP contacts: "
                        f"{_pct(k, 'hap.wlz_share_of_contacts', lang)}",
                  f"Wlz-zorgvragen per week: {_val(k, 'demand.wlz_requests_per_week', 1, True, lang)}; HAP algemene "
                  f"bevolking: {_val(k, 'demand.background_requests_per_week', 0, lang=lang)}; door de HAP "
                  f"afgehandeld: {_pct(k, 'wlz.hap_share', lang)} van de Wlz-zorgvragen; aandeel Wlz in de "
                  f"HAP-contacten: {_pct(k, 'hap.wlz_share_of_contacts', lang)}"))

    out += ["", say(lang, "Workload per service (Wlz and, at the HAP, the general population)",
                   "Werklast per dienst (Wlz en, bij de HAP, de algemene bevolking)")]
    names = sorted({n.split(".")[1] for n in k if n.startswith("service.")},
                   key=lambda s: (":" not in s, s))  # the HAPs' pools (id:role) first
    rows = [[pool_label(s, sc, lang), _val(k, f"service.{s}.handled_per_week", 1, lang=lang),
             _val(k, f"service.{s}.hours_per_week", 1, True, lang), _val(k, f"service.{s}.fte", 2, lang=lang),
             _val(k, f"service.{s}.capacity_hours_per_week", 0, lang=lang), _pct(k, f"service.{s}.utilisation", lang),
             _pct(k, f"service.{s}.offered_load", lang),
             fmt_minutes(_mean(k, f"service.{s}.wait_p90_min"), lang)] for s in names]
    out += text_table([say(lang, "service", "dienst"), say(lang, "handled/wk", "per week"), say(lang, "hours/wk", "uren/week"),
                       say(lang, "FTE", "fte"), say(lang, "available h/wk", "beschikbaar u/week"),
                       say(lang, "utilisation", "bezettingsgraad"), say(lang, "offered", "aangeboden"),
                       say(lang, "wait p90", "wachttijd p90")], rows)
    out.append(say(lang, "offered: the work offered, what waited and was handed on unseen included, over the time "
                         "available (overloaded from 95%)",
                   "aangeboden: het aangeboden werk, ook wat wachtte en ongezien werd overgedragen, gedeeld door de "
                   "beschikbare tijd (overbelast vanaf 95%)"))
    for s in names:
        label = pool_label(s, sc, lang)
        if f"service.{s}.planned_hours_per_week" in k:
            out.append(say(lang, f"{label}: planned rounds {_val(k, f'service.{s}.planned_hours_per_week', 1, lang=lang)} "
                                "h/week on top (counted in the nurse workload)",
                          f"{label}: geplande visiterondes {_val(k, f'service.{s}.planned_hours_per_week', 1, lang=lang)} "
                          "uur/week extra (meegeteld in de verpleegkundige werklast)"))
        if f"service.{s}.within_target" in k:
            out.append(say(lang, f"{label}: on location within target for {_pct(k, f'service.{s}.within_target', lang, True)} "
                                "of call-outs",
                          f"{label}: binnen de doeltijd op locatie bij {_pct(k, f'service.{s}.within_target', lang, True)} "
                          "van de ritten"))
        if f"service.{s}.answered_within_phone_norm" in k:
            # each line against its own norm: the urgent line may fail its 90% while all calls together look fine
            urgent, other = f"service.{s}.urgent_line_within_norm", f"service.{s}.other_line_within_norm"
            verdict = {True: ("", ""), False: (" - BELOW its norm", " - ONDER de norm")}
            u_ok = _mean(k, urgent) >= sc.norms.phone_urgent_target if urgent in k else True
            o_ok = _mean(k, other) >= sc.norms.phone_other_target if other in k else True
            out.append(say(lang, f"{label}: urgent line answered within {sc.norms.phone_urgent_s:g} s for "
                                f"{_pct(k, urgent, lang)} of calls (norm {sc.norms.phone_urgent_target:.0%})"
                                f"{verdict[u_ok][0]}; other calls within {sc.norms.phone_other_s / 60:g} min for "
                                f"{_pct(k, other, lang)} (norm {sc.norms.phone_other_target:.0%}){verdict[o_ok][0]}",
                          f"{label}: spoedlijn binnen {sc.norms.phone_urgent_s:g} s opgenomen bij {_pct(k, urgent, lang)} "
                          f"van de gesprekken (norm {sc.norms.phone_urgent_target:.0%}){verdict[u_ok][1]}; overige "
                          f"binnen {sc.norms.phone_other_s / 60:g} min bij {_pct(k, other, lang)} "
                          f"(norm {sc.norms.phone_other_target:.0%}){verdict[o_ok][1]}"))
    if k.get("prevented.wlz_per_week", {}).get("mean"):
        out.append(say(lang, f"Requests prevented by proactive care: {_val(k, 'prevented.wlz_per_week', 1, True, lang)} per week",
                      f"Door proactieve zorg voorkomen: {_val(k, 'prevented.wlz_per_week', 1, True, lang)} zorgvragen per week"))
    out.append(say(lang, f"SEH referrals of Wlz clients: {_val(k, 'seh.wlz_per_week', 2, True, lang)} per week",
                  f"SEH-verwijzingen van Wlz-cliënten: {_val(k, 'seh.wlz_per_week', 2, True, lang)} per week"))
    out.append(say(lang, f"Requests practices hand over when closed (acute and can't-wait): "
                        f"{_val(k, 'gp.transfers_to_hap_per_week', 2, lang=lang)} per week",
                  f"Zorgvragen die praktijken bij sluiting overdragen (acuut en wat niet kan wachten): "
                  f"{_val(k, 'gp.transfers_to_hap_per_week', 2, lang=lang)} per week"))

    for who, label in (("wlz", say(lang, "Wlz clients", "Wlz-cliënten")),
                       ("background", say(lang, "general population at the HAP", "algemene bevolking bij de HAP"))):
        out += ["", say(lang, f"Response times, {label}: the norm counts the contact that settles the urgency (a physician; "
                             "for U1 also the ambulance; a nurse or triagist only when she settles U3-U5); first contact "
                             "is whoever answers",
                       f"Responstijden, {label}: de norm telt het contact dat de urgentie afhandelt (een arts; bij U1 "
                       "ook de ambulance; een verpleegkundige of triagist alleen als zij U3-U5 zelf afhandelt); eerste "
                       "contact is wie opneemt")]
        rows = []
        for u in URGENCIES:
            p = f"response.{who}.{u}"
            rows.append([u, _val(k, f"{p}.n", 0, lang=lang), fmt_minutes(_mean(k, f"{p}.p90_min"), lang),
                         _pct(k, f"{p}.first_contact_within_norm", lang),
                         fmt_minutes(_mean(k, f"{p}.physician_p90_min"), lang),
                         fmt_minutes(_mean(k, f"{p}.norm_p90_min"), lang),
                         fmt_minutes(getattr(sc.norms, u), lang), _pct(k, f"{p}.within_norm", lang, True)])
        out += text_table([say(lang, "urgency", "urgentie"), "n", say(lang, "first contact p90", "eerste contact p90"),
                           say(lang, "first within", "eerste binnen"), say(lang, "physician p90", "arts p90"),
                           say(lang, "norm contact p90", "normcontact p90"), "norm", say(lang, "within norm", "binnen norm")],
                          rows)
        out += _u1_on_site(k, who, lang)

    if "comparison" in summary:
        out += ["", *_comparison(summary["comparison"], k, lang, sc)]
    out += ["", say(lang, "Assumptions (see the resolved scenario.yaml for every parameter and its source)",
                   "Aannames (elke parameter met zijn bron staat in het scenario.yaml van de run)")]
    out += [f"- {a}" for a in assumptions(sc, lang)]
    if folder:
        out += ["", say(lang, f"Results written to {folder}", f"Resultaten staan in {folder}")]
    return "\n".join(out)
