"""The run report's parts: its key figures and plain sentence, and its sections on the
load of every service, response times, demand and the region (present/report.py puts
them on one page)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.output import number
from sim.fmt import error_bar, fmt_minutes, fmt_percent, fmt_value
from sim.present.charts import BLUES, axis, bar, figure, heatmap, reference_line, scatter
from sim.present.glossary import NORM_SHARE, UTILISATION_LIMIT, UTILISATION_TARGET, norm_assumption, term
from sim.present.headline import change_cards, change_sentence, findings, norm_cards, norm_sentence, scenario_name
from sim.present.labels import MODALITY, PERIOD, fmt_kpi_ci, fmt_kpi_range, location_name, pick, pool_label, say, word
from sim.present.page import BAD, COLOURS, INFO, OK, WARN, KeyFigure, Page, status_of
from sim.present.summary import assumptions
from sim.scenario.config import Scenario
from sim.scenario.schema import MODALITIES, PERIODS, URGENCIES


def _mean(k: dict[str, Any], name: str) -> float:
    return number((k.get(name) or {}).get("mean"))


def _half(k: dict[str, Any], name: str) -> float:
    return error_bar(k.get(name))


def _finite(x: float) -> float:
    return x if math.isfinite(x) else float("nan")


# ------------------------------------------------------------------------------ a run


def run_key_figures(page: Page, sc: Scenario, k: dict[str, Any], over: dict[str, str] | None = None,
                    comparison: dict[str, Any] | None = None, parent: str = "") -> None:
    """The answer first. With a parent: what changed against it, worst first, for every
    population (headline.py). Without: demand, GP and HAP load, urgent response against its
    norm, the busiest service; either way every failing norm and overloaded service red."""
    lang = page.lang
    if comparison:
        diff, before = comparison["difference"], comparison["parent_kpis"]
        found = findings(k, diff, before, sc)
        figures = change_cards(found, k, diff, before, sc, lang) or _base_figures(sc, k, lang)[:6]
        me = scenario_name(sc, sc.scenario, lang)
        page.key_figures(say(lang, f"What does «{me}» change against «{parent}», and are the norms met?",
                             f"Wat verandert «{me}» ten opzichte van «{parent}», en worden de normen gehaald?"),
                         figures, change_sentence(found, k, diff, before, parent, sc, lang))
        return
    found = findings(k, sc=sc)
    alarms = norm_cards(found, k, sc, lang)[:4]
    base = _base_figures(sc, k, lang)
    keep = [f for f in base if f.status == BAD] + [f for f in base if f.status != BAD]
    figures = alarms + [f for f in base if f in keep[:max(0, 6 - len(alarms))]]
    sentence = _base_sentence(sc, k, lang)
    alarm = norm_sentence(found, k, sc, lang)
    page.key_figures(say(lang, f"How loaded is medisch-generalistische zorg in {sc.region.name}, and are the norms met?",
                        f"Hoe belast is de medisch-generalistische zorg in {sc.region.name}, en worden de normen gehaald?"),
                     figures, sentence + (f" {alarm}" if alarm else ""))


def _base_figures(sc: Scenario, k: dict[str, Any], lang: str) -> list[KeyFigure]:
    """A run's own headline numbers, in the order they are shown (the least telling last)."""
    pools = sorted({n.split(".")[1] for n in k if n.startswith("service.") and n.endswith(".utilisation")})
    busiest = max(pools, key=lambda s: _finite(_mean(k, f"service.{s}.utilisation")) if pools else "", default=None)
    gp_util = max((_finite(_mean(k, f"service.{p.id}.utilisation")) for p in sc.practices), default=float("nan"))
    target = fmt_percent(UTILISATION_TARGET, 0, lang)
    figures = [
        KeyFigure(say(lang, "Wlz care requests per week", "Wlz-zorgvragen per week"),
                  fmt_value(_mean(k, "demand.wlz_requests_per_week"), 1, lang),
                  fmt_kpi_range("demand.wlz_requests_per_week", k.get("demand.wlz_requests_per_week"), lang)),
        KeyFigure(say(lang, "GP hours per week for the locations", "Huisartsuren per week voor de locaties"),
                  fmt_value(_mean(k, "hours.practice_per_week"), 1, lang),
                  fmt_kpi_range("hours.practice_per_week", k.get("hours.practice_per_week"), lang),
                  say(lang, f"busiest practice: {term('utilisation', lang)} {fmt_percent(gp_util, 0, lang)} of its "
                            f"{term('available_time', lang)} (target ≤ {target})",
                      f"drukste praktijk: {term('utilisation', lang)} {fmt_percent(gp_util, 0, lang)} van de "
                      f"{term('available_time', lang)} (doel ≤ {target})"),
                  status_of(gp_util, UTILISATION_TARGET) if gp_util == gp_util else INFO),
    ]
    for u in ("U1", "U2"):
        norm = getattr(sc.norms, u)
        share = _mean(k, f"response.wlz.{u}.within_norm")
        p90 = _mean(k, f"response.wlz.{u}.norm_p90_min")
        figures.append(KeyFigure(
            say(lang, f"{u}: a physician{' or ambulance' if u == 'U1' else ''} within {fmt_minutes(norm, lang)} (Wlz)",
                f"{u}: een arts{' of ambulance' if u == 'U1' else ''} binnen {fmt_minutes(norm, lang)} (Wlz)"),
            fmt_percent(share, 0, lang), fmt_kpi_range(f"response.wlz.{u}.within_norm",
                                                       k.get(f"response.wlz.{u}.within_norm"), lang),
            say(lang, f"9 in 10 within {fmt_minutes(p90, lang)} (norm {fmt_minutes(norm, lang)})",
                f"9 op de 10 binnen {fmt_minutes(p90, lang)} (norm {fmt_minutes(norm, lang)})"),
            BAD if share == share and share < NORM_SHARE else status_of(p90, norm)
            if p90 <= norm or not math.isfinite(p90) or p90 > 1.5 * norm else WARN))
    if busiest is not None:
        util = _mean(k, f"service.{busiest}.utilisation")
        figures.append(KeyFigure(say(lang, f"Busiest: {pool_label(busiest, sc, lang)}", f"Drukst: {pool_label(busiest, sc, lang)}"),
                                 fmt_percent(util, 0, lang),
                                 fmt_kpi_range(f"service.{busiest}.utilisation", k.get(f"service.{busiest}.utilisation"), lang),
                                 say(lang, f"{term('utilisation', lang)} (target ≤ {target}, overloaded from "
                                           f"{fmt_percent(UTILISATION_LIMIT, 0, lang)})",
                                     f"{term('utilisation', lang)} (doel ≤ {target}, overbelast vanaf "
                                     f"{fmt_percent(UTILISATION_LIMIT, 0, lang)})"),
                                 BAD if util >= UTILISATION_LIMIT else (WARN if util >= UTILISATION_TARGET else OK)))
    figures.append(KeyFigure(say(lang, "Wlz contacts at the HAP per week", "Wlz-contacten bij de HAP per week"),
                             fmt_value(_mean(k, "handled.hap.wlz_per_week"), 1, lang),
                             fmt_kpi_range("handled.hap.wlz_per_week", k.get("handled.hap.wlz_per_week"), lang)))
    return figures


def _base_sentence(sc: Scenario, k: dict[str, Any], lang: str) -> str:
    u1 = _mean(k, "response.wlz.U1.within_norm")
    per_week = fmt_value(_mean(k, "demand.wlz_requests_per_week"), 0, lang)
    hours = fmt_value(_mean(k, "hours.practice_per_week"), 0, lang)
    hap = fmt_value(_mean(k, "handled.hap.wlz_per_week"), 0, lang)
    return say(lang, f"In {sc.region.name} the Wlz locations ask for care {per_week} times a week; the GP practices "
                     f"spend {hours} hours a week on them and the HAP handles {hap} of these care requests. For "
                     f"{fmt_percent(u1, 0, lang)} of U1 requests of Wlz clients a physician or ambulance is there "
                     f"within {fmt_minutes(sc.norms.U1, lang)}.",
               f"In {sc.region.name} vragen de Wlz-locaties {per_week} keer per week om zorg; de huisartsen besteden "
               f"er {hours} uur per week aan en de HAP handelt {hap} van deze zorgvragen af. Bij "
               f"{fmt_percent(u1, 0, lang)} van de U1-vragen van Wlz-cliënten is binnen "
               f"{fmt_minutes(sc.norms.U1, lang)} een arts of ambulance ter plaatse.")


def region_section(page: Page, sc: Scenario, summary: dict[str, Any]) -> None:
    lang = page.lang
    page.h2(word("region", lang))
    page.table([say(lang, "", ""), ""], [
        [say(lang, "scenario", "scenario"), scenario_name(sc, sc.scenario, lang)],
        [word("locations", lang), str(len(sc.locations))],
        [word("residents", lang), fmt_value(sum(l.residents for l in sc.locations), 0, lang)],
        [word("practices", lang), str(len(sc.practices))],
        ["spoedposten", ", ".join(f"{h.name} ({fmt_value(h.inhabitants or sc.region.inhabitants, 0, lang)} "
                                  f"{say(lang, 'inhabitants', 'inwoners')})" for h in sc.all_spoedposten())],
        [say(lang, "measured", "gemeten"), say(lang, f"{summary['weeks_measured']} weeks after {summary['warmup_weeks']} "
                                                  f"weeks' warm-up, {summary['replications']} replications, seed {summary['seed']}",
                                            f"{summary['weeks_measured']} weken na {summary['warmup_weeks']} weken inloop, "
                                            f"{summary['replications']} herhalingen, startgetal {summary['seed']}")],
    ], text_columns=2)
    page.assumptions(assumptions(sc, lang) + [norm_assumption(lang)])


def demand_section(page: Page, sc: Scenario, k: dict[str, Any], requests: pd.DataFrame | None) -> None:
    lang = page.lang
    page.h2(word("demand", lang))
    per_week = say(lang, "requests per week", "zorgvragen per week")
    locs = sorted(sc.locations, key=lambda l: _finite(_mean(k, f"location.{l.id}.requests_per_week")))
    fig = figure(bar([_mean(k, f"location.{l.id}.requests_per_week") for l in locs],
                     [location_name(l) for l in locs], horizontal=True, colour=COLOURS[0],
                     error=[_half(k, f"location.{l.id}.requests_per_week") for l in locs],
                     hovertext=[f"{l.id}: {l.kind}, {l.residents}" for l in locs]))
    page.figure(fig, say(lang, "Care requests per week per location (95% CI)", "Zorgvragen per week per locatie (95%-BI)"),
                per_week, "", height=max(360, 18 * len(locs) + 120))
    if requests is None:
        return
    wlz = requests[(requests["source"] == "wlz") & ~requests["warmup"]]
    weeks = requests["replication"].nunique() * sc.region.weeks
    hour_of_week = 24 * wlz["arrival"].dt.day_of_week.to_numpy() + wlz["arrival"].dt.hour.to_numpy()
    grid = np.bincount(hour_of_week, minlength=7 * 24).reshape(7, 24).astype(float)  # requests per day and hour
    fig = axis(figure(heatmap(grid / weeks, list(range(24)), list(word("days", lang)), BLUES, per_week)),
               "y", autorange="reversed")
    page.figure(fig, say(lang, "Wlz care requests by hour of the week", "Wlz-zorgvragen per uur van de week"),
                word("hour", lang), "", height=340)
    for col, title, names, order in (
            ("period", say(lang, "Requests per week by period", "Zorgvragen per week per periode"), PERIOD, PERIODS),
            ("urgency", say(lang, "Requests per week by urgency", "Zorgvragen per week per urgentie"), {}, URGENCIES),
            ("modality", say(lang, "Requests per week by kind of contact", "Zorgvragen per week per soort contact"),
             MODALITY, MODALITIES)):
        counts = (wlz[col].value_counts() / weeks).reindex(list(order)).fillna(0.0)
        counts = counts[counts > 0]
        fig = figure(bar([names[x][pick(lang)] if x in names else x for x in counts.index], counts.values,
                         colour=COLOURS[0]))
        page.figure(fig, title, "", per_week, height=300)


def load_section(page: Page, sc: Scenario, k: dict[str, Any]) -> None:
    lang = page.lang
    page.h2(word("load", lang))
    pools = sorted({n.split(".")[1] for n in k if n.startswith("service.") and n.endswith(".hours_per_week")},
                   key=lambda s: (":" not in s, s))
    names = [pool_label(s, sc, lang) for s in pools]
    hours = [_mean(k, f"service.{s}.hours_per_week") for s in pools]
    hours_axis = say(lang, "hours per week", "uren per week")
    height = max(320, 24 * len(pools) + 120)
    fig = axis(figure(bar(hours, names, horizontal=True, colour=COLOURS[0],
                          error=[_half(k, f"service.{s}.hours_per_week") for s in pools])), "y", autorange="reversed")
    page.figure(fig, say(lang, "Workload per service (hours per week, 95% CI)", "Werklast per dienst (uren per week, 95%-BI)"),
                hours_axis, "", height=height)
    fig = figure(bar(hours, names, horizontal=True, colour=COLOURS[0], name=say(lang, "average week", "gemiddelde week")),
                 bar([_mean(k, f"service.{s}.hours_week_p90") for s in pools], names, horizontal=True,
                     colour=COLOURS[1], name=say(lang, "busiest weeks (P90)", "drukste weken (P90)")),
                 barmode="group")
    axis(fig, "y", autorange="reversed")
    page.figure(fig, say(lang, "Workload in an average week and in the busiest weeks",
                        "Werklast in een gemiddelde week en in de drukste weken"), hours_axis, "", height=height + 60)
    util = [_mean(k, f"service.{s}.utilisation") for s in pools]
    fig = figure(bar(util, names, horizontal=True,
                     colour=[COLOURS[4] if u >= UTILISATION_LIMIT else COLOURS[1] if u >= UTILISATION_TARGET
                             else COLOURS[0] for u in util],
                     error=[_half(k, f"service.{s}.utilisation") for s in pools]))
    reference_line(fig, x=UTILISATION_TARGET, dash="dot",
                   label=say(lang, "target ", "doel ") + fmt_percent(UTILISATION_TARGET, 0, lang))
    reference_line(fig, x=UTILISATION_LIMIT, dash="dash", colour=COLOURS[4],
                   label=say(lang, "overloaded ", "overbelast ") + fmt_percent(UTILISATION_LIMIT, 0, lang),
                   position="bottom left")  # left of the line: on its right the label ran off the chart
    axis(fig, "x", tickformat=".0%", rangemode="tozero", range=[0, max(1.0, max(util, default=0) + 0.05)])
    axis(fig, "y", autorange="reversed")
    page.figure(fig, say(lang, "Utilisation: the share of the available time in use for the requests",
                         "Bezettingsgraad: het deel van de beschikbare tijd dat aan de zorgvragen besteed wordt"),
                term("utilisation", lang), "", height=height)
    page.table([word("service", lang), say(lang, "handled per week", "afgehandeld per week"), hours_axis,
                say(lang, "FTE", "fte"), term("available_hours", lang),
                term("utilisation", lang), say(lang, "wait P90", "wachttijd P90"),
                say(lang, "planning P90", "plantijd P90")],
               [[name, fmt_value(_mean(k, f"service.{s}.handled_per_week"), 1, lang),
                 fmt_kpi_ci(f"service.{s}.hours_per_week", k.get(f"service.{s}.hours_per_week"), lang),
                 fmt_value(_mean(k, f"service.{s}.fte"), 2, lang),
                 fmt_value(_mean(k, f"service.{s}.capacity_hours_per_week"), 0, lang),
                 fmt_percent(_mean(k, f"service.{s}.utilisation"), 0, lang),
                 fmt_minutes(_mean(k, f"service.{s}.wait_p90_min"), lang),
                 fmt_minutes(_mean(k, f"service.{s}.planning_p90_min"), lang)] for s, name in zip(pools, names)])
    page.p(say(lang, f"The HAP handles {fmt_percent(_mean(k, 'wlz.hap_share'), 0, lang)} of the Wlz requests; they are "
                    f"{fmt_percent(_mean(k, 'hap.wlz_share_of_contacts'), 1, lang)} of all its contacts.",
              f"De HAP handelt {fmt_percent(_mean(k, 'wlz.hap_share'), 0, lang)} van de Wlz-zorgvragen af; dat is "
              f"{fmt_percent(_mean(k, 'hap.wlz_share_of_contacts'), 1, lang)} van al haar contacten."))


def response_section(page: Page, sc: Scenario, k: dict[str, Any]) -> None:
    lang = page.lang
    page.h2(word("response", lang))
    page.p(say(lang, "A norm counts the contact that settles the urgency: a physician (for U1 also the ambulance); a "
                    "nurse or triagist only when she settles a U3-U5 request alone. First contact is whoever answers.",
              "Een norm telt het contact dat de urgentie afhandelt: een arts (bij U1 ook de ambulance); een "
              "verpleegkundige of triagist alleen als zij een U3-U5-vraag zelf afhandelt. Eerste contact is wie opneemt."),
           "note")
    minutes_axis = say(lang, "minutes (log scale)", "minuten (log-schaal)")
    fig = figure(barmode="group")
    for q, label, colour in (("p90_min", say(lang, "first contact, P90", "eerste contact, P90"), COLOURS[6]),
                             ("norm_p90_min", say(lang, "the contact the norm counts, P90", "het normcontact, P90"),
                              COLOURS[0])):
        names = [f"response.wlz.{u}.{q}" for u in URGENCIES]
        fig["data"].append(bar(list(URGENCIES), [max(0.1, _finite(_mean(k, n))) for n in names], colour=colour,
                               name=label))
    fig["data"].append(scatter(list(URGENCIES), [getattr(sc.norms, u) for u in URGENCIES], "markers", name="norm",
                               marker={"symbol": "line-ew-open", "size": 40, "color": COLOURS[4], "line": {"width": 3}}))
    axis(fig, "y", type="log")
    page.figure(fig, say(lang, "Wlz clients: time to first contact and to the contact the norm counts (P90), against the norm",
                        "Wlz-cliënten: tijd tot eerste contact en tot het normcontact (P90), tegen de norm"),
                word("urgency", lang), minutes_axis, height=400)
    rows = []
    for u in URGENCIES:
        p = f"response.wlz.{u}"
        rows.append([u, fmt_value(_mean(k, f"{p}.n"), 0, lang), fmt_minutes(_mean(k, f"{p}.p90_min"), lang),
                     fmt_minutes(_mean(k, f"{p}.physician_p90_min"), lang), fmt_minutes(_mean(k, f"{p}.norm_p90_min"), lang),
                     fmt_minutes(getattr(sc.norms, u), lang), fmt_kpi_ci(f"{p}.within_norm", k.get(f"{p}.within_norm"), lang),
                     fmt_percent(_mean(k, f"{p}.first_contact_within_norm"), 0, lang)])
    page.table([word("urgency", lang), "n", say(lang, "first contact P90", "eerste contact P90"),
                say(lang, "physician P90", "arts P90"), say(lang, "norm contact P90", "normcontact P90"), "norm",
                say(lang, "within the norm", "binnen de norm"), say(lang, "first contact within its norm",
                                                                   "eerste contact binnen zijn norm")], rows)
