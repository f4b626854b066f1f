"""Every word a user reads, in English and Dutch, in one place: KPI names, units, the names
of services and pools (names from the scenario instead of ids: "hap:doctor" is
"Huisartsenspoedpost Voorbeeld - arts"), periods, urgencies and the report's own words.
The dotted KPI names stay in the data files; this is what the reports, the app and the
printed summaries show instead.
"""

from __future__ import annotations

from sim.fmt import (
    LANGS,
    fmt_minutes,
    fmt_percent,
    fmt_value,
    half_width,
    is_share,
    real,
)
from sim.scenario.config import SERVICE_SCHEMAS, Location, Scenario
from sim.services.registry import HANDLER_LABELS


def pick(lang: str) -> int:
    """Index of a language in (English, Dutch) pairs."""
    return LANGS.index(lang) if lang in LANGS else 0


def say(lang: str, en: str, nl: str) -> str:
    """The English or the Dutch of a sentence written out in place."""
    return (en, nl)[pick(lang)]


ROLE = {"triage": ("triage", "triage"), "doctor": ("doctor", "arts"), "car": ("car", "visiteauto")}
PERIOD = {"office": ("office hours", "kantooruren"), "evening": ("evening", "avond"), "night": ("night", "nacht"),
          "weekend": ("weekend", "weekend"), "holiday": ("public holiday", "feestdag")}
MODALITY = {"telephone": ("telephone", "telefonisch"), "consult": ("consult", "consult"), "visit": ("visit", "visite")}

# The figure a KPI ends in, its words and its unit: (English, Dutch, unit)
MEASURE = {
    "handled_per_week": ("requests handled per week", "zorgvragen per week", "per_week"),
    "handled_week_p90": ("requests in the busiest weeks (P90)", "zorgvragen in de drukste weken (P90)", "per_week"),
    "hours_per_week": ("hours per week", "uren per week", "hours"),
    "hours_week_p90": ("hours in the busiest weeks (P90)", "uren in de drukste weken (P90)", "hours"),
    "capacity_hours_per_week": ("hours available per week", "beschikbare uren per week", "hours"),
    "urgent_hours_per_week": ("urgent hours per week (taken from other work)", "spoeduren per week (ten koste van ander werk)", "hours"),
    "planned_hours_per_week": ("planned rounds per week", "geplande visiterondes per week", "hours"),
    "fte": ("FTE", "fte", "fte"),
    "utilisation": ("utilisation", "bezettingsgraad", "share"),
    "wait_p90_min": ("wait for a professional, P90", "wachttijd op een zorgverlener, P90", "minutes"),
    "planning_p90_min": ("planning delay, P90", "plantijd, P90", "minutes"),
    "transferred_per_week": ("handed over per week", "overgedragen per week", "per_week"),
    "waiting_at_horizon": ("still waiting at the end", "nog wachtend aan het eind", "count"),
    "backlog_growing": ("backlog grows", "achterstand groeit", "flag"),
    "resolved_share": ("settled alone", "zelf afgehandeld", "share"),
    "answered_within_phone_norm": ("answered within the phone norm", "binnen de telefoonnorm opgenomen", "share"),
    "urgent_line_within_norm": ("urgent line answered within 30 s (norm 90%)",
                                "spoedlijn binnen 30 s opgenomen (norm 90%)", "share"),
    "other_line_within_norm": ("other calls answered within 2 min (norm 75%)",
                               "overige gesprekken binnen 2 min opgenomen (norm 75%)", "share"),
    "offered_load": ("offered load (work offered, handed on included, over the time available)",
                     "aangeboden werk (ook ongezien overgedragen) gedeeld door de beschikbare tijd", "share"),
    "handed_on_per_week": ("handed on unseen at closing, per week", "ongezien overgedragen bij sluiting, per week",
                           "per_week"),
    "handed_on_share": ("share handed on unseen at closing", "aandeel ongezien overgedragen bij sluiting", "share"),
    "unstaffed_hours_per_week": ("hours a week a rostered shift had nobody (sickness absence)",
                                 "uren per week dat een ingeroosterde dienst onbemand was (ziekteverzuim)", "hours"),
    "physician_visit_within_norm": ("physician visits on site within the norm (as HAPs report)",
                                    "visites van een arts binnen de norm ter plaatse (zoals HAP's rapporteren)", "share"),
    "ambulance_share": ("with an ambulance (A1)", "met een ambulance (A1)", "share"),
    "within_target": ("on location within target", "binnen de doeltijd op locatie", "share"),
    "within_norm": ("within the norm (to the contact it counts)", "binnen de norm (tot het contact dat telt)", "share"),
    "first_contact_within_norm": ("first contact within its norm", "eerste contact binnen de norm", "share"),
    "visit_within_norm": ("visits within the norm", "visites binnen de norm", "share"),
    "without_physician_share": ("closed without a physician", "afgesloten zonder arts", "share"),
    "p50_min": ("time to first contact, P50", "tijd tot eerste contact, P50", "minutes"),
    "p90_min": ("time to first contact, P90", "tijd tot eerste contact, P90", "minutes"),
    "p95_min": ("time to first contact, P95", "tijd tot eerste contact, P95", "minutes"),
    "physician_p90_min": ("time to a physician, P90", "tijd tot een arts, P90", "minutes"),
    "norm_p90_min": ("time to the norm's contact, P90", "tijd tot het normcontact, P90", "minutes"),
    "n": ("requests", "zorgvragen", "count"),
}
WHOLE = {  # KPIs named as a whole: (English, Dutch, unit)
    "demand.wlz_requests_per_week": ("Wlz care requests per week", "Wlz-zorgvragen per week", "per_week"),
    "demand.background_requests_per_week": ("HAP contacts of the general population per week",
                                            "HAP-contacten van de algemene bevolking per week", "per_week"),
    "wlz.hap_share": ("share of Wlz requests handled by the HAP", "aandeel Wlz-zorgvragen bij de HAP", "share"),
    "hap.wlz_share_of_contacts": ("Wlz share of all HAP contacts", "aandeel Wlz in alle HAP-contacten", "share"),
    "wlz.open_at_horizon": ("Wlz requests still open at the end", "Wlz-zorgvragen nog open aan het eind", "count"),
    "wlz.top10pct_clients_request_share": ("share of requests from the 10% most frequent callers",
                                           "aandeel zorgvragen van de 10% vaakst bellende cliënten", "share"),
    "seh.wlz_per_week": ("Wlz referrals to the SEH per week", "Wlz-verwijzingen naar de SEH per week", "per_week"),
    "seh.direct_per_week": ("Wlz requests straight to the SEH per week", "Wlz-zorgvragen direct naar de SEH per week",
                            "per_week"),
    "ambulance.wlz_rides_per_week": ("A1 ambulance rides for Wlz U1 requests per week",
                                     "A1-ambulanceritten voor Wlz-U1-zorgvragen per week", "per_week"),
    "ambulance.background_rides_per_week": ("A1 ambulance rides for the general population's U1 requests per week",
                                            "A1-ambulanceritten voor U1 van de algemene bevolking per week", "per_week"),
    "ambulance.within_15_min": ("ambulance on site within 15 minutes of the 112 call (A1 norm 95%)",
                                "ambulance binnen 15 minuten na de 112-melding ter plaatse (A1-norm 95%)", "share"),
    "prevented.wlz_per_week": ("Wlz requests prevented by proactive care per week",
                               "Wlz-zorgvragen voorkomen door proactieve zorg per week", "per_week"),
    "gp.transfers_to_hap_per_week": ("requests practices hand over when closed, per week",
                                     "zorgvragen die praktijken bij sluiting overdragen, per week", "per_week"),
    "background.to_own_gp_per_week": ("general population handed to their own GP at 08:00, per week",
                                      "algemene bevolking om 08:00 naar de eigen huisarts, per week", "per_week"),
    "hours.physician_per_week": ("physician hours per week (practices, SO/AVG, GZC)",
                                 "artsenuren per week (praktijken, SO/AVG, GZC)", "hours"),
    "hours.nurse_per_week": ("nurse hours per week (voorwacht, triage, VS, aanrijdteam)",
                             "verpleegkundige-uren per week (voorwacht, triage, VS, aanrijdteam)", "hours"),
}
UNIT = {  # unit -> (English, Dutch) axis title
    "per_week": ("per week", "per week"), "hours": ("hours per week", "uren per week"), "fte": ("FTE", "fte"),
    "share": ("%", "%"), "minutes": ("minutes", "minuten"), "count": ("number", "aantal"), "flag": ("", ""),
}

WORDS = {  # the reports' own words: key -> (English, Dutch)
    "report_run": ("Simulation report", "Simulatierapport"),
    "report_compare": ("Scenario comparison", "Vergelijking van scenario's"),
    "report_sweep": ("Parameter sweep", "Parameterverkenning"),
    "report_sensitivity": ("Sensitivity analysis", "Gevoeligheidsanalyse"),
    "report_warmup": ("Choosing the warm-up", "De inloopperiode kiezen"),
    "report_impact": ("Impact of a new or changed location", "Gevolgen van een nieuwe of gewijzigde locatie"),
    "report_staff": ("Staffing", "Personeelsbezetting"),
    "key_figures": ("Key figures", "Kerncijfers"),
    "question": ("Question", "Vraag"),
    "answer": ("Answer", "Antwoord"),
    "assumptions": ("Assumptions that drive the answer", "Aannames die de uitkomst bepalen"),
    "region": ("The region", "De regio"),
    "demand": ("Demand", "Zorgvraag"),
    "load": ("Load per service", "Belasting per dienst"),
    "response": ("Response times", "Responstijden"),
    "comparison": ("Compared with", "Vergeleken met"),
    "changed": ("What changed significantly", "Wat significant veranderde"),
    "unchanged": ("Not significantly changed", "Niet significant veranderd"),
    "group_load": ("Load", "Belasting"), "group_response": ("Response", "Respons"), "group_staff": ("Staff", "Personeel"),
    "group_other": ("Other", "Overig"),
    "kpi": ("Measure", "Maatstaf"), "before": ("before", "voor"), "after": ("after", "na"),
    "difference": ("difference (95% CI)", "verschil (95%-BI)"),
    "mean_ci": ("mean ±95% CI", "gemiddelde ±95%-BI"),
    "norm": ("norm", "norm"), "target": ("target", "doel"),
    "meets": ("meets", "gehaald"), "misses": ("misses", "niet gehaald"), "near": ("close", "krap"),
    "locations": ("locations", "locaties"), "residents": ("residents", "bewoners"),
    "practices": ("GP practices", "huisartsenpraktijken"), "weeks": ("weeks measured", "gemeten weken"),
    "replications": ("replications", "herhalingen"), "seed": ("seed", "startgetal"),
    "service": ("Service", "Dienst"), "hours_week": ("hours per week", "uren per week"),
    "location": ("Location", "Locatie"), "urgency": ("urgency", "urgentie"), "period": ("period", "periode"),
    "modality": ("kind of contact", "soort contact"), "hour": ("hour of the day", "uur van de dag"),
    "days": (("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), ("ma", "di", "wo", "do", "vr", "za", "zo")),
    "generated": ("Made by mgz-sim from the results in this folder; means over replications with Student-t 95% "
                  "confidence intervals.", "Gemaakt door mgz-sim uit de resultaten in deze map; gemiddelden over "
                  "herhalingen met Student-t 95%-betrouwbaarheidsintervallen."),
    "report_validate": ("Against reality", "Tegen de werkelijkheid"),
    "kind_independent": ("Independent: neither put in nor fitted, a real test",
                         "Onafhankelijk: niet ingevoerd en niet op afgestemd, een echte toets"),
    "kind_calibration": ("Calibration targets: a default was tuned to them", "Kalibratiedoelen: een standaardwaarde is erop afgestemd"),
    "kind_input": ("Inputs: put in, so reproducing them checks the bookkeeping",
                   "Invoer: ingevoerd, dus terugvinden controleert de boekhouding"),
    "verdict_agrees": ("agrees", "komt overeen"), "verdict_differs": ("differs", "wijkt af"),
    "verdict_not_comparable": ("not comparable", "niet vergelijkbaar"),
    "overloaded": ("Overloaded", "Overbelast"),
    "no_plotly": ("The charts are missing: plotly.min.js is not next to this file. 'mgz-sim report FOLDER "
                  "--self-contained' writes a report that holds its charts in one file.",
                  "De grafieken ontbreken: plotly.min.js staat niet naast dit bestand. 'mgz-sim report MAP "
                  "--self-contained' maakt een rapport dat zijn grafieken in één bestand bevat."),
    "appendix": ("Appendix: measures without a demonstrable change", "Bijlage: maatstaven zonder aantoonbare verandering"),
    "appendix_note": ("Their 95% interval includes no change; shown for completeness.",
                      "Hun 95%-interval omvat 'geen verandering'; volledigheidshalve getoond."),
    "overload_text": ("Waits there grow with the horizon; add staff or reduce demand before reading the results.",
                      "De wachttijden daar groeien met de looptijd; voeg personeel toe of verminder de vraag voordat u "
                      "de uitkomsten leest."),
}


def word(key: str, lang: str):
    return WORDS[key][pick(lang)]


def unit_of(kpi: str) -> str:
    """'per_week', 'hours', 'share', 'minutes', 'count', 'fte' or 'flag'."""
    if kpi in WHOLE:
        return WHOLE[kpi][2]
    last = kpi.rsplit(".", 1)[-1]
    if last in MEASURE:
        return MEASURE[last][2]
    if kpi.startswith("hours."):
        return "hours"
    if kpi.startswith("handled.") or kpi.endswith("_per_week"):
        return "per_week"
    return "share" if is_share(kpi) else "count"


def unit_label(kpi: str, lang: str) -> str:
    return UNIT[unit_of(kpi)][pick(lang)]


def role_label(role: str, lang: str = "en") -> str:
    """A HAP pool's role for people ('car' -> 'visiteauto'); an unknown role as written."""
    return ROLE.get(role, (role, role))[pick(lang)]


def pool_label(pool: str, sc: Scenario | None, lang: str = "en") -> str:
    """A pool's name for people: the HAP's, practice's or service's own name, with the role."""
    k = pick(lang)
    if ":" in pool:  # a HAP's triage, doctors or cars
        hap_id, role = pool.split(":", 1)
        posts = {h.id: h for h in sc.all_spoedposten()} if sc else {}
        name = posts[hap_id].name if hap_id in posts else f"HAP {hap_id}"
        return f"{name} - {role_label(role, lang)}"
    if sc is not None:
        for group in (sc.practices, sc.behandeldiensten, sc.services):
            for item in group:
                if item.id == pool:
                    if item.name:
                        return item.name
                    kind = getattr(item, "type", "practice" if group is sc.practices else "behandeldienst")
                    return f"{SERVICE_SCHEMAS[kind].labels[kind][k]} {pool}"
    return pool


def location_label(loc_id: str, sc: Scenario | None) -> str:
    """A location by its name (its id when it has none or is not in the scenario)."""
    if sc is not None:
        for loc in sc.locations:
            if loc.id == loc_id:
                return location_name(loc)
    return loc_id


def location_name(loc: Location) -> str:
    """A location (of sc.locations) in words: its name, else its id (location_label by id)."""
    return loc.name or loc.id


def kind_label(kind: str, lang: str = "en") -> str:
    """A kind of service: 'practice' -> 'GP practices' style words."""
    k = pick(lang)
    schema = SERVICE_SCHEMAS.get(kind)
    return schema.labels[kind][k] if schema is not None else kind


def kpi_label(name: str, lang: str = "en", sc: Scenario | None = None) -> str:
    """A readable label for a dotted KPI name."""
    k = pick(lang)
    if name in WHOLE:
        return WHOLE[name][k]
    parts = name.split(".")
    if parts[0] == "handled" and len(parts) == 3:
        who = HANDLER_LABELS.get(parts[1], (parts[1], parts[1]))[k]
        return (f"Wlz requests per week handled by {who}", f"Wlz-zorgvragen per week afgehandeld door {who}")[k]
    if parts[0] == "hours" and len(parts) == 2:
        kind = parts[1].removesuffix("_per_week")
        return (f"hours per week: {kind_label(kind, lang)}", f"uren per week: {kind_label(kind, lang)}")[k]
    if parts[0] == "response" and len(parts) == 4:
        who = ("Wlz clients", "Wlz-cliënten")[k] if parts[1] == "wlz" else ("general population", "algemene bevolking")[k]
        return f"{parts[2]} {MEASURE.get(parts[3], (parts[3], parts[3]))[k]}, {who}"
    if parts[0] == "service" and len(parts) >= 3:
        pool, what = ".".join(parts[1:-1]), parts[-1]
        return f"{pool_label(pool, sc, lang)}: {MEASURE.get(what, (what, what))[k]}"
    if parts[0] == "location" and len(parts) == 3:
        return (f"{location_label(parts[1], sc)}: requests per week", f"{location_label(parts[1], sc)}: zorgvragen per week")[k]
    if parts[0] == "calibration" and len(parts) == 3:
        return f"{parts[1]}: {parts[2].replace('_', ' ')}"
    return name


POINTS = ("pp", "%-punt")  # a change in a share: percentage points, not percent


def fmt_kpi(kpi: str, value: float | None, lang: str = "en", signed: bool = False) -> str:
    """A KPI's value with its unit: shares as percentages (a signed change in a share in
    percentage points), minutes as min/h/d."""
    unit = unit_of(kpi)
    if unit == "share" and signed:
        x = real(value)
        return "-" if x is None else f"{fmt_value(100 * x, 1, lang, True)} {POINTS[pick(lang)]}"
    if unit == "share":
        return fmt_percent(value, 1, lang, signed)
    if unit == "minutes" and not signed:
        return fmt_minutes(value, lang)
    if unit == "minutes":  # a change in a time: minutes, or hours when it is long
        x = real(value)
        if x is not None and abs(x) >= 120 and abs(x) != float("inf"):
            return f"{fmt_value(x / 60, 1, lang, signed)} {('h', 'u')[pick(lang)]}"
        return f"{fmt_value(value, 0 if x is not None and abs(x) >= 10 else 1, lang, signed)} min"
    digits = 2 if unit == "fte" else (0 if unit == "count" else 1)
    return fmt_value(value, digits, lang, signed)


def fmt_kpi_ci(kpi: str, stats: dict | None, lang: str = "en", signed: bool = False) -> str:
    """A KPI's mean with its 95% half-width, the unit written once: '+4,5 ±2,1 min'."""
    if not stats:
        return "-"
    text = fmt_kpi(kpi, stats.get("mean"), lang, signed)
    half = half_width(stats)
    if half != half:  # NaN: no interval
        return text
    unit = unit_of(kpi)
    if unit == "share" and signed:
        return f"{text.removesuffix(' ' + POINTS[pick(lang)])} ±{fmt_value(100 * half, 1, lang)} {POINTS[pick(lang)]}"
    if unit == "share":
        return f"{text} ±{fmt_percent(half, 1, lang)}"
    if unit == "minutes" and text.endswith(" min"):
        return f"{text.removesuffix(' min')} ±{fmt_value(half, 1, lang)} min"
    hours = f" {('h', 'u')[pick(lang)]}"
    if unit == "minutes" and signed and text.endswith(hours):
        return f"{text.removesuffix(hours)} ±{fmt_value(half / 60, 1, lang)}{hours}"
    return f"{text} ±{fmt_value(half, 2 if unit == 'fte' else 1, lang)}"


def fmt_kpi_range(kpi: str, stats: dict | None, lang: str = "en", signed: bool = False) -> str:
    """A KPI's 95% interval in words, '95%-BI 2,4 tot 4,4' ('95% CI 2.4 to 4.4'); a share's
    level is kept within 0-100%; '' when there is no interval."""
    from sim.fmt import clip_share, fmt_range
    if not stats or stats.get("n", 0) < 2:
        return ""
    lo, hi = real(stats.get("ci_low")), real(stats.get("ci_high"))
    if lo is None or hi is None or lo != lo or hi != hi or abs(lo) == float("inf") or abs(hi) == float("inf"):
        return ""
    if unit_of(kpi) == "share" and not signed:
        lo, hi = clip_share(lo), clip_share(hi)
    shown = fmt_range(lo, hi, lambda v: fmt_kpi(kpi, v, lang, signed), lang)
    if unit_of(kpi) == "share" and signed:  # the unit once, at the end: '-27,2 tot -0,9 %-punt'
        shown = shown.replace(f" {POINTS[pick(lang)]} ", " ", 1)
    return f"{('95% CI', '95%-BI')[pick(lang)]} {shown}"


def param_label(path: str, lang: str, sc: Scenario | None = None) -> str:
    """A swept parameter's path in words, with the scenario's names for its services:
    services[VOORWACHT].resolves.U5 -> 'Medisch-verpleegkundige voorwacht: handelt zelf af U5'."""
    path = path.removeprefix("param:")
    words = {"resolves": ("settles", "handelt zelf af"), "prevents_acute": ("prevents acute requests", "voorkomt acute vragen"),
             "prevents_anw": ("prevents ANW requests", "voorkomt ANW-vragen"), "office_share": ("share in office hours",
                                                                                               "aandeel in kantooruren"),
             "regular_load": ("time taken by other work", "tijd voor ander werk"), "demand_growth": ("demand growth",
                                                                                                      "groei zorgvraag"),
             "sickness_absence": ("sickness absence", "ziekteverzuim"), "gp_capacity_factor": ("GP time left",
                                                                                              "resterende huisartstijd"),
             "rate_per_resident_week": ("requests per resident per week", "zorgvragen per bewoner per week"),
             "count": ("staff on duty", "aantal ingeroosterd"), "growth": ("growth", "groei"),
             "demand": ("demand", "zorgvraag"), "pressures": ("pressures", "druk"), "region": ("region", "regio"),
             "norms": ("norms", "normen"), "spoedpost": ("HAP", "HAP"), "hap": ("HAP", "HAP"),
             "triage": ("triage", "triage"), "doctors": ("doctors", "artsen"), "cars": ("cars", "visiteauto's"),
             "seh_referral": ("SEH referral", "verwijzing naar de SEH"), "warmup_weeks": ("warm-up weeks", "inloopweken"),
             "weeks": ("weeks", "weken"), "residents": ("residents", "bewoners")}
    parts = path.replace("]", "").split(".")
    out = []
    for part in parts:
        head, _, sel = part.partition("[")
        if sel:  # a service, practice or location by id: its name
            name = pool_label(sel, sc, lang) if sc is not None else sel
            out.append(sel.lower() if name == sel and len(sel) > 3 and sel.isupper() else name)
        else:
            out.append(words.get(head, (head.replace("_", " "), head.replace("_", " ")))[pick(lang)])
    return " ".join(out[:1]) + (": " + " ".join(out[1:]) if len(out) > 1 else "")


def weeks_text(n: int, lang: str) -> str:
    """'1 week', '3 weeks' / '1 week', '3 weken'."""
    return f"{n} " + (("week", "weeks"), ("week", "weken"))[pick(lang)][n != 1]


HOLIDAYS_NL = {  # names the `holidays` package gives Dutch public holidays, as Dutch readers know them
    "Good Friday": "Goede Vrijdag", "New Year's Day": "Nieuwjaarsdag", "Easter Sunday": "Eerste paasdag",
    "Easter Monday": "Tweede paasdag", "King's Day": "Koningsdag", "Liberation Day": "Bevrijdingsdag",
    "Ascension Day": "Hemelvaartsdag", "Pentecost": "Eerste pinksterdag", "Pentecost Monday": "Tweede pinksterdag",
    "Christmas Day": "Eerste kerstdag", "Second Day of Christmas": "Tweede kerstdag",
}


def holiday_name(name: str, lang: str) -> str:
    return HOLIDAYS_NL.get(name, name) if lang == "nl" else name
