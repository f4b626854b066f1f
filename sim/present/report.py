"""The offline HTML reports, one design for every command (present/page.py): a run, a
comparison, a sweep, a sensitivity analysis and the warm-up (this module), the impact of a
new location and a staffing search (impact_report / staff_report). Each opens with its key
figures and one plain sentence, in English or Dutch; every chart has a title in words, units
on its axes, shares as percentages and names instead of ids.

`build_report(folder)` detects what a results folder holds and writes report.html in it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_text, number
from sim.fmt import LANGS, fmt_minutes, fmt_percent, fmt_value, plain
from sim.present.changes import (
    GROUPS,
    change_status,
    group_of,
    interval,
    moved,
    significant,
)
from sim.present.labels import (
    MODALITY,
    PERIOD,
    fmt_kpi,
    fmt_kpi_ci,
    kpi_label,
    location_label,
    param_label,
    pick,
    pool_label,
    say,
    unit_label,
    unit_of,
    weeks_text,
    word,
)
from sim.present.page import BAD, COLOURS, INFO, OK, WARN, KeyFigure, Page, status_of
from sim.present.summary import assumptions, overload_warning
from sim.scenario.config import MODALITIES, URGENCIES, Scenario
from sim.scenario.loading import parse_scenario
from sim.scenario.schema import PERIODS

UTILISATION_TARGET, UTILISATION_LIMIT = 0.85, 0.95



def _mean(k: dict[str, Any], name: str) -> float:
    return number((k.get(name) or {}).get("mean"))


def _half(k: dict[str, Any], name: str) -> float:
    s = k.get(name) or {}
    hi, m = number(s.get("ci_high")), number(s.get("mean"))
    return 0.0 if not (math.isfinite(hi) and math.isfinite(m)) else hi - m


def _finite(x: float) -> float:
    return x if math.isfinite(x) else float("nan")


# ------------------------------------------------------------------------------ a run


def run_key_figures(page: Page, sc: Scenario, k: dict[str, Any], over: dict[str, str]) -> None:
    """The answer first: demand, GP and HAP load, urgent response against its norm, the
    busiest service."""
    lang = page.lang
    pools = sorted({n.split(".")[1] for n in k if n.startswith("service.") and n.endswith(".utilisation")})
    busiest = max(pools, key=lambda s: _finite(_mean(k, f"service.{s}.utilisation")) if pools else "", default=None)
    practices = [p.id for p in sc.practices]
    gp_util = max((_finite(_mean(k, f"service.{p}.utilisation")) for p in practices), default=float("nan"))
    figures = [
        KeyFigure(say(lang, "Wlz care requests per week", "Wlz-zorgvragen per week"),
                  fmt_value(_mean(k, "demand.wlz_requests_per_week"), 1, lang),
                  _ci(k, "demand.wlz_requests_per_week", lang)),
        KeyFigure(say(lang, "GP hours per week for the locations", "Huisartsuren per week voor de locaties"),
                  fmt_value(_mean(k, "hours.practice_per_week"), 1, lang), _ci(k, "hours.practice_per_week", lang),
                  say(lang, f"busiest practice uses {fmt_percent(gp_util, 0, lang)} of its free time (target ≤ 85%)",
                     f"drukste praktijk gebruikt {fmt_percent(gp_util, 0, lang)} van de vrije tijd (doel ≤ 85%)"),
                  status_of(gp_util, UTILISATION_TARGET, margin=0.0) if gp_util == gp_util else INFO),
        KeyFigure(say(lang, "Wlz contacts at the HAP per week", "Wlz-contacten bij de HAP per week"),
                  fmt_value(_mean(k, "handled.hap.wlz_per_week"), 1, lang), _ci(k, "handled.hap.wlz_per_week", lang)),
    ]
    for u in ("U1", "U2"):
        norm = getattr(sc.norms, u)
        p90 = _mean(k, f"response.wlz.{u}.norm_p90_min")
        figures.append(KeyFigure(
            say(lang, f"{u}: a physician{' or ambulance' if u == 'U1' else ''} within {fmt_minutes(norm, lang)}",
               f"{u}: een arts{' of ambulance' if u == 'U1' else ''} binnen {fmt_minutes(norm, lang)}"),
            fmt_percent(_mean(k, f"response.wlz.{u}.within_norm"), 0, lang),
            _ci_pct(k, f"response.wlz.{u}.within_norm", lang),
            say(lang, f"9 in 10 within {fmt_minutes(p90, lang)} (norm {fmt_minutes(norm, lang)})",
               f"9 op de 10 binnen {fmt_minutes(p90, lang)} (norm {fmt_minutes(norm, lang)})"),
            status_of(p90, norm) if p90 <= norm or not math.isfinite(p90) or p90 > 1.5 * norm
            else WARN))
    if busiest is not None:
        util = _mean(k, f"service.{busiest}.utilisation")
        figures.append(KeyFigure(say(lang, f"Busiest: {pool_label(busiest, sc, lang)}", f"Drukst: {pool_label(busiest, sc, lang)}"),
                                 fmt_percent(util, 0, lang), _ci_pct(k, f"service.{busiest}.utilisation", lang),
                                 say(lang, "utilisation (target ≤ 85%, overloaded from 95%)",
                                    "bezettingsgraad (doel ≤ 85%, overbelast vanaf 95%)"),
                                 BAD if busiest in over or util >= UTILISATION_LIMIT else
                                 (WARN if util >= UTILISATION_TARGET else OK)))
    u1 = _mean(k, "response.wlz.U1.within_norm")
    sentence = say(lang,
                  f"In {sc.region.name} the Wlz locations ask for care {fmt_value(_mean(k, 'demand.wlz_requests_per_week'), 0, lang)} "
                  f"times a week; the GP practices spend {fmt_value(_mean(k, 'hours.practice_per_week'), 0, lang)} hours a week "
                  f"on them and the HAP sees {fmt_value(_mean(k, 'handled.hap.wlz_per_week'), 0, lang)} of them. For "
                  f"{fmt_percent(u1, 0, lang)} of U1 requests a physician or ambulance is there within 15 minutes.",
                  f"In {sc.region.name} vragen de Wlz-locaties {fmt_value(_mean(k, 'demand.wlz_requests_per_week'), 0, lang)} "
                  f"keer per week om zorg; de huisartsen besteden er {fmt_value(_mean(k, 'hours.practice_per_week'), 0, lang)} "
                  f"uur per week aan en de HAP ziet er {fmt_value(_mean(k, 'handled.hap.wlz_per_week'), 0, lang)}. Bij "
                  f"{fmt_percent(u1, 0, lang)} van de U1-vragen is binnen 15 minuten een arts of ambulance ter plaatse.")
    if over:
        sentence += " " + say(lang, f"Overloaded: {', '.join(pool_label(p, sc, lang) for p in over)}.",
                             f"Overbelast: {', '.join(pool_label(p, sc, lang) for p in over)}.")
    page.key_figures(say(lang, f"How loaded is medisch-generalistische zorg in {sc.region.name}, and are the norms met?",
                        f"Hoe belast is de medisch-generalistische zorg in {sc.region.name}, en worden de normen gehaald?"),
                     figures, sentence)


def _ci(k: dict[str, Any], name: str, lang: str) -> str:
    half = _half(k, name)
    return f"±{fmt_value(half, 1, lang)} (95%-{say(lang, 'CI', 'BI')})" if half else ""


def _ci_pct(k: dict[str, Any], name: str, lang: str) -> str:
    half = _half(k, name)
    return f"±{fmt_percent(half, 1, lang)} (95%-{say(lang, 'CI', 'BI')})" if half else ""


def region_section(page: Page, sc: Scenario, summary: dict[str, Any]) -> None:
    lang = page.lang
    page.h2(word("region", lang))
    page.table([say(lang, "", ""), ""], [
        [say(lang, "scenario", "scenario"), f"{sc.scenario}" + (f": {sc.describe(lang)}" if sc.describe(lang) else "")],
        [word("locations", lang), str(len(sc.locations))],
        [word("residents", lang), fmt_value(sum(l.residents for l in sc.locations), 0, lang)],
        [word("practices", lang), str(len(sc.practices))],
        ["spoedposten", ", ".join(f"{h.name} ({fmt_value(h.inhabitants or sc.region.inhabitants, 0, lang)} "
                                  f"{say(lang, 'inhabitants', 'inwoners')})" for h in sc.all_spoedposten())],
        [say(lang, "measured", "gemeten"), say(lang, f"{summary['weeks_measured']} weeks after {summary['warmup_weeks']} "
                                                  f"weeks' warm-up, {summary['replications']} replications, seed {summary['seed']}",
                                            f"{summary['weeks_measured']} weken na {summary['warmup_weeks']} weken inloop, "
                                            f"{summary['replications']} replicaties, seed {summary['seed']}")],
    ], text_columns=2)
    page.h2(word("assumptions", lang))
    page.bullets(assumptions(sc, lang), "assumptions")


def demand_section(page: Page, sc: Scenario, k: dict[str, Any], requests: pd.DataFrame | None) -> None:
    lang = page.lang
    page.h2(word("demand", lang))
    per_week = say(lang, "requests per week", "zorgvragen per week")
    locs = sorted(sc.locations, key=lambda l: _finite(_mean(k, f"location.{l.id}.requests_per_week")))
    fig = go.Figure(go.Bar(y=[location_label(l.id, sc) for l in locs], orientation="h",
                           x=[_mean(k, f"location.{l.id}.requests_per_week") for l in locs],
                           error_x={"array": [_half(k, f"location.{l.id}.requests_per_week") for l in locs]},
                           marker_color=COLOURS[0], hovertext=[f"{l.id}: {l.kind}, {l.residents}" for l in locs]))
    page.figure(fig, say(lang, "Care requests per week per location (95% CI)", "Zorgvragen per week per locatie (95%-BI)"),
                per_week, "", height=max(360, 18 * len(locs) + 120))
    if requests is None:
        return
    wlz = requests[(requests["source"] == "wlz") & ~requests["warmup"]]
    weeks = requests["replication"].nunique() * sc.region.weeks
    grid = np.zeros((7, 24))
    np.add.at(grid, (wlz["arrival"].dt.day_of_week.to_numpy(), wlz["arrival"].dt.hour.to_numpy()), 1)
    fig = go.Figure(go.Heatmap(z=grid / weeks, x=list(range(24)), y=list(word("days", lang)), colorscale="Blues",
                               colorbar={"title": {"text": per_week}}))
    fig.update_yaxes(autorange="reversed")
    page.figure(fig, say(lang, "Wlz care requests by hour of the week", "Wlz-zorgvragen per uur van de week"),
                word("hour", lang), "", height=340)
    for col, title, names, order in (
            ("period", say(lang, "Requests per week by period", "Zorgvragen per week per periode"), PERIOD, PERIODS),
            ("urgency", say(lang, "Requests per week by urgency", "Zorgvragen per week per urgentie"), {}, URGENCIES),
            ("modality", say(lang, "Requests per week by kind of contact", "Zorgvragen per week per soort contact"),
             MODALITY, MODALITIES)):
        counts = (wlz[col].value_counts() / weeks).reindex(list(order)).fillna(0.0)
        counts = counts[counts > 0]
        fig = go.Figure(go.Bar(x=[names[x][pick(lang)] if x in names else x for x in counts.index], y=counts.values,
                               marker_color=COLOURS[0]))
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
    fig = go.Figure(go.Bar(y=names, x=hours, orientation="h", marker_color=COLOURS[0],
                           error_x={"array": [_half(k, f"service.{s}.hours_per_week") for s in pools]}))
    fig.update_yaxes(autorange="reversed")
    page.figure(fig, say(lang, "Workload per service (hours per week, 95% CI)", "Werklast per dienst (uren per week, 95%-BI)"),
                hours_axis, "", height=height)
    fig = go.Figure([go.Bar(name=say(lang, "average week", "gemiddelde week"), y=names, x=hours, orientation="h",
                            marker_color=COLOURS[0]),
                     go.Bar(name=say(lang, "busiest weeks (P90)", "drukste weken (P90)"), y=names, orientation="h",
                            x=[_mean(k, f"service.{s}.hours_week_p90") for s in pools], marker_color=COLOURS[1])])
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    page.figure(fig, say(lang, "Workload in an average week and in the busiest weeks",
                        "Werklast in een gemiddelde week en in de drukste weken"), hours_axis, "", height=height + 60)
    util = [_mean(k, f"service.{s}.utilisation") for s in pools]
    fig = go.Figure(go.Bar(y=names, x=util, orientation="h",
                           marker_color=[COLOURS[4] if u >= UTILISATION_LIMIT else COLOURS[1] if u >= UTILISATION_TARGET
                                         else COLOURS[0] for u in util],
                           error_x={"array": [_half(k, f"service.{s}.utilisation") for s in pools]}))
    fig.add_vline(x=UTILISATION_TARGET, line_dash="dot", annotation_text=say(lang, "target 85%", "doel 85%"))
    fig.add_vline(x=UTILISATION_LIMIT, line_dash="dash", line_color=COLOURS[4],
                  annotation_text=say(lang, "overload 95%", "overbelast 95%"), annotation_position="bottom right")
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    page.figure(fig, say(lang, "Utilisation of the time available to the requests",
                        "Bezetting van de tijd die beschikbaar is voor de zorgvragen"),
                say(lang, "utilisation", "bezetting"), "", height=height)
    page.table([word("service", lang), say(lang, "handled per week", "afgehandeld per week"), hours_axis,
                say(lang, "FTE", "fte"), say(lang, "available hours per week", "beschikbare uren per week"),
                say(lang, "utilisation", "bezetting"), say(lang, "wait P90", "wachttijd P90"),
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
    fig = go.Figure()
    for q, label, colour in (("p90_min", say(lang, "first contact, P90", "eerste contact, P90"), COLOURS[6]),
                             ("norm_p90_min", say(lang, "the contact the norm counts, P90", "het normcontact, P90"),
                              COLOURS[0])):
        names = [f"response.wlz.{u}.{q}" for u in URGENCIES]
        fig.add_trace(go.Bar(name=label, x=list(URGENCIES), y=[max(0.1, _finite(_mean(k, n))) for n in names],
                             marker_color=colour))
    fig.add_trace(go.Scatter(name="norm", x=list(URGENCIES), y=[getattr(sc.norms, u) for u in URGENCIES], mode="markers",
                             marker={"symbol": "line-ew-open", "size": 40, "color": COLOURS[4], "line": {"width": 3}}))
    fig.update_layout(barmode="group")
    fig.update_yaxes(type="log")
    page.figure(fig, say(lang, "Wlz clients: time to first contact and to the contact the norm counts (P90), against the norm",
                        "Wlz-cliënten: tijd tot eerste contact en tot het normcontact (P90), tegen de norm"),
                word("urgency", lang), minutes_axis, height=400)
    fig = go.Figure([go.Bar(name=say(lang, "Wlz clients", "Wlz-cliënten"), x=list(URGENCIES),
                            y=[_mean(k, f"response.wlz.{u}.within_norm") for u in URGENCIES], marker_color=COLOURS[0],
                            error_y={"array": [_half(k, f"response.wlz.{u}.within_norm") for u in URGENCIES]}),
                     go.Bar(name=say(lang, "general population (HAP)", "algemene bevolking (HAP)"), x=list(URGENCIES),
                            y=[_mean(k, f"response.background.{u}.within_norm") for u in URGENCIES],
                            marker_color=COLOURS[1],
                            error_y={"array": [_half(k, f"response.background.{u}.within_norm") for u in URGENCIES]})])
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    page.figure(fig, say(lang, "Share within the norm, to the contact it counts (95% CI)",
                        "Aandeel binnen de norm, tot het contact dat telt (95%-BI)"),
                word("urgency", lang), say(lang, "share of requests", "aandeel zorgvragen"), height=360)
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


# ------------------------------------------------------------------------------ comparisons

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
            rows.append([kpi_label(n, lang, sc), fmt_kpi(n, _mean(base, n), lang), fmt_kpi(n, _mean(mine, n), lang),
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


# ------------------------------------------------------------------------------ the run report


def run_report(folder: Path, lang: str, sc: Scenario | None = None) -> str:
    summary = json.loads((folder / "summary.json").read_text())
    if sc is None:
        sc = parse_scenario((folder / "scenario.yaml").read_text(), str(folder / "scenario.yaml"))
    req_path = folder / "requests.parquet"
    requests = pd.read_parquet(req_path, columns=["replication", "source", "arrival", "period", "urgency", "modality",
                                                  "warmup"]) if req_path.exists() else None
    k = summary["kpis"]
    over = summary.get("overloaded", {})
    page = Page(f"{word('report_run', lang)}: {sc.region.name} - {sc.scenario}", lang,
                sc.describe(lang))
    for line in overload_warning(k, lang, sc):
        if line:
            page.warning(line)
    run_key_figures(page, sc, k, over)
    if "comparison" in summary:
        cmp = summary["comparison"]
        comparison_section(page, sc, cmp["difference"], cmp["parent_kpis"], k, cmp["parent"], sc.scenario)
    load_section(page, sc, k)
    response_section(page, sc, k)
    demand_section(page, sc, k, requests)
    region_section(page, sc, summary)
    return page.html()


# ------------------------------------------------------------------------------ sweeps and sensitivity


def sweep_report(folder: Path, lang: str) -> str:
    points = pd.read_parquet(folder / "points.parquet")
    prov = json.loads((folder / "provenance.json").read_text()) if (folder / "provenance.json").exists() else {}
    name = prov.get("spec", {}).get("name", folder.name)
    page = Page(f"{word('report_sweep', lang)}: {name}", lang, prov.get("spec", {}).get("description", ""))
    params = [c for c in points.columns if c.startswith("param:")]
    kpis = list(dict.fromkeys(points["kpi"]))
    figures = []
    for kpi in kpis[:6]:
        g = points[points["kpi"] == kpi]
        figures.append(KeyFigure(kpi_label(kpi, lang), f"{fmt_kpi(kpi, g['mean'].min(), lang)} - {fmt_kpi(kpi, g['mean'].max(), lang)}",
                                 "", say(lang, "lowest - highest over the design", "laagste - hoogste over de verkenning")))
    first = kpis[0] if kpis else ""
    g = points[points["kpi"] == first]
    page.key_figures(say(lang, f"How do {', '.join(kpi_label(k, lang) for k in kpis[:3])} depend on "
                              f"{', '.join(param_label(p, lang) for p in params)}?",
                        f"Hoe hangen {', '.join(kpi_label(k, lang) for k in kpis[:3])} af van "
                        f"{', '.join(param_label(p, lang) for p in params)}?"), figures,
                     say(lang, f"Over the values tried, {kpi_label(first, lang)} runs from {fmt_kpi(first, g['mean'].min(), lang)} "
                              f"to {fmt_kpi(first, g['mean'].max(), lang)}.",
                        f"Over de verkende waarden loopt {kpi_label(first, lang)} van {fmt_kpi(first, g['mean'].min(), lang)} "
                        f"tot {fmt_kpi(first, g['mean'].max(), lang)}.") if kpis else "")
    page.h2(say(lang, "Each measure against each swept parameter (mean and 95% CI per design point)",
               "Elke maatstaf tegen elke gevarieerde parameter (gemiddelde en 95%-BI per ontwerppunt)"))
    for kpi in kpis:
        grp = points[points["kpi"] == kpi]
        for p in params:
            others = [q for q in params if q != p and grp[q].nunique() <= 6]
            fig = go.Figure()
            levels = grp.groupby(others[0]) if others else [(None, grp)]
            for n, (level, g) in enumerate(levels):
                g = g.sort_values(p)
                shown = plain(level, lang) if isinstance(level, (int, float)) else level
                label = (f"{param_label(others[0], lang)} = {shown}" if others else kpi_label(kpi, lang))
                fig.add_trace(go.Scatter(x=g[p], y=g["mean"], mode="lines+markers" if others else "markers", name=label,
                                         marker_color=COLOURS[n % len(COLOURS)],
                                         error_y={"array": (g["ci_high"] - g["mean"]).fillna(0)}))
            if unit_of(kpi) == "share":
                fig.update_yaxes(tickformat=".0%")
            page.figure(fig, f"{kpi_label(kpi, lang)} {say(lang, 'against', 'tegen')} {param_label(p, lang)}",
                        param_label(p, lang), unit_label(kpi, lang), height=330)
    if (folder / "sensitivity.parquet").exists():
        sensitivity_section(page, pd.read_parquet(folder / "sensitivity.parquet"), folder)
    return page.html()


def sensitivity_section(page: Page, idx: pd.DataFrame, folder: Path) -> None:
    lang = page.lang
    answers = folder / "answers.parquet"
    if answers.exists():
        verdicts = pd.read_parquet(answers)
        page.h2(say(lang, "Which answers hold whatever the assumptions", "Welke antwoorden standhouden, wat de aannames ook zijn"))
        page.table([word("kpi", lang), verdicts["reference"].iloc[0], say(lang, "difference from", "verschil van"),
                    say(lang, "to", "tot"), word("answer", lang)],
                   [[kpi_label(r["kpi"], lang), fmt_kpi(r["kpi"], r["reference_mean"], lang),
                     fmt_kpi(r["kpi"], r["difference_min"], lang, True), fmt_kpi(r["kpi"], r["difference_max"], lang, True),
                     verdict_label(r["verdict"], lang)] for _, r in verdicts.iterrows()])
    page.h2(say(lang, "Sensitivity indices (larger: the measure depends more on the parameter)",
               "Gevoeligheidsindices (groter: de maatstaf hangt sterker af van de parameter)"))
    key = "mu_star" if "mu_star" in idx.columns else "ST"
    for kpi, grp in idx.groupby("kpi", sort=False):
        g = grp.sort_values(key)
        err = g["mu_star_conf"] if "mu_star_conf" in g else g["ST_conf"]
        fig = go.Figure(go.Bar(y=[param_label(p, lang) for p in g["parameter"]], x=g[key], orientation="h",
                               error_x={"array": err}, marker_color=COLOURS[0]))
        page.figure(fig, f"{kpi_label(kpi, lang)}: {'Morris μ*' if key == 'mu_star' else 'Sobol ST'}",
                    f"{'μ*' if key == 'mu_star' else 'ST'} ({unit_label(kpi, lang) if key == 'mu_star' else say(lang, 'share of variance', 'deel van de variantie')})",
                    "", height=max(240, 40 * len(g) + 100))


VERDICTS = {"holds: higher": ("holds: higher", "houdt stand: hoger"), "holds: lower": ("holds: lower", "houdt stand: lager"),
            "leans higher": ("leans higher", "neigt naar hoger"), "leans lower": ("leans lower", "neigt naar lager"),
            "depends": ("depends on the assumptions", "hangt af van de aannames"), "flips": ("flips", "draait om"),
            "no clear change": ("no clear change", "geen duidelijke verandering")}


def verdict_label(verdict: str, lang: str) -> str:
    return VERDICTS.get(verdict, (verdict, verdict))[pick(lang)]


def sensitivity_report(folder: Path, lang: str) -> str:
    info = json.loads((folder / "sensitivity.json").read_text()) if (folder / "sensitivity.json").exists() else {}
    page = Page(f"{word('report_sensitivity', lang)}: {info.get('name', folder.name)}", lang, info.get("description", ""))
    answers = info.get("answers") or []
    if answers:
        holds = [a for a in answers if a["verdict"].startswith("holds") or a["verdict"] == "no clear change"]
        figures = [KeyFigure(kpi_label(a["kpi"], lang), verdict_label(a["verdict"], lang),
                             f"{fmt_kpi(a['kpi'], a['difference_min'], lang, True)} .. {fmt_kpi(a['kpi'], a['difference_max'], lang, True)}",
                             "", OK if a["verdict"].startswith("holds") else WARN if a["verdict"] in ("depends", "flips")
                             else INFO) for a in answers[:6]]
        ref = info.get("reference_scenario") or answers[0].get("reference")
        page.key_figures(say(lang, f"Which answers against '{ref}' hold whatever the unsourced assumptions?",
                             f"Welke antwoorden tegen '{ref}' houden stand, wat de onbewezen aannames ook zijn?"),
                         figures, say(lang, f"{len(holds)} of {len(answers)} answers hold over every combination tried.",
                                     f"{len(holds)} van de {len(answers)} antwoorden houden stand over alle geprobeerde "
                                     "combinaties."))
    sensitivity_section(page, pd.read_parquet(folder / "sensitivity.parquet"), folder)
    return page.html()


# ------------------------------------------------------------------------------ warm-up


def warmup_report(folder: Path, lang: str) -> str:
    from sim.experiments.warmup import SERIES, suggest_warmup
    table = pd.read_parquet(folder / "warmup.parquet")
    suggested, per_series = suggest_warmup(table)
    page = Page(word("report_warmup", lang), lang)
    figures = [KeyFigure(say(lang, "Suggested warm-up", "Voorgestelde inloop"), weeks_text(suggested, lang), "",
                         say(lang, "after it, every series stays settled", "daarna blijft elke reeks stabiel"), OK)]
    for name, weeks in per_series.items():
        figures.append(KeyFigure(SERIES[name][pick(lang)], weeks_text(weeks, lang), "",
                                 say(lang, "until the series settles", "tot de reeks stabiel is")))
    page.key_figures(say(lang, "How many weeks must the model run before measuring (Welch's method)?",
                        "Hoeveel weken moet het model draaien voordat er gemeten wordt (methode van Welch)?"), figures,
                     say(lang, f"Use region.warmup_weeks: {suggested}: from then on the weekly means stay within the "
                              "band of the later weeks.",
                        f"Gebruik region.warmup_weeks: {suggested}: vanaf dan blijven de weekgemiddelden binnen de "
                        "band van de latere weken."))
    for name, labels in SERIES.items():
        fig = go.Figure()
        for r, grp in table.groupby("replication"):
            fig.add_trace(go.Scatter(x=grp["week"], y=grp[name], mode="lines", line={"width": 1, "color": "#9fb3cc"},
                                     name=say(lang, f"replication {r}", f"replicatie {r}"), showlegend=r == 0))
        mean = table.groupby("week")[name].mean().rolling(3, center=True, min_periods=1).mean()
        fig.add_trace(go.Scatter(x=mean.index, y=mean.values, mode="lines", line={"width": 4, "color": COLOURS[0]},
                                 name=say(lang, "mean over replications (3-week moving average)",
                                         "gemiddelde over replicaties (voortschrijdend over 3 weken)")))
        fig.add_vline(x=suggested + 0.5, line_dash="dash", line_color=COLOURS[4],
                      annotation_text=say(lang, "warm-up ", "inloop ") + weeks_text(suggested, lang))
        fig.update_xaxes(dtick=1)  # whole weeks
        page.figure(fig, labels[pick(lang)], "week", labels[2 + pick(lang)], height=340)
    return page.html()


# ------------------------------------------------------------------------------ entry


def scenario_of(folder: Path) -> Scenario | None:
    """The scenario an experiment folder was made from (its scenario.yaml), for the names of
    practices and posts; None when there is none or it no longer validates."""
    path = folder / "scenario.yaml"
    if not path.exists():
        return None
    try:
        return parse_scenario(path.read_text(encoding="utf-8"), str(path))
    except ScenarioError:
        return None


def build_report(folder: Path, lang: str = "en", scenario: Scenario | None = None) -> Path:
    """Write report.html in a results folder (whatever it holds); `scenario` saves
    re-reading scenario.yaml."""
    folder = Path(folder)
    if lang not in LANGS:
        raise ScenarioError(f"--lang: use en or nl (got '{lang}')")
    if not folder.is_dir():
        raise ScenarioError(f"{folder}: not a results folder")
    if (folder / "summary.json").exists():
        text = run_report(folder, lang, scenario)
    elif (folder / "comparison.json").exists():
        text = compare_report(folder, lang)
    elif (folder / "impact.json").exists():
        from sim.present.decisions import impact_report
        text = impact_report(json.loads((folder / "impact.json").read_text()), lang, scenario or scenario_of(folder))
    elif (folder / "staff.json").exists():
        from sim.present.decisions import staff_report
        text = staff_report(json.loads((folder / "staff.json").read_text()), lang, scenario or scenario_of(folder))
    elif (folder / "warmup.parquet").exists():
        text = warmup_report(folder, lang)
    elif (folder / "points.parquet").exists():
        text = sweep_report(folder, lang)
    elif (folder / "sensitivity.parquet").exists():
        text = sensitivity_report(folder, lang)
    else:
        raise ScenarioError(f"{folder}: no summary.json, comparison.json, impact.json, staff.json, warmup.parquet or "
                            "points.parquet: not a results folder")
    atomic_write_text(folder / "report.html", text)
    return folder / "report.html"
