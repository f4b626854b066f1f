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
from sim.fmt import LANGS, error_bar, fmt_minutes, fmt_percent, fmt_value
from sim.present.changes import (
    compare_report,
    comparison_section,
)
from sim.present.explorations import sensitivity_report, sweep_report, warmup_report
from sim.present.labels import (
    MODALITY,
    PERIOD,
    fmt_kpi_ci,
    location_label,
    pick,
    pool_label,
    say,
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
    return error_bar(k.get(name))


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
    """Write report.html in a results folder (whatever it holds), and validation.html beside
    it when the folder was checked against published figures; `scenario` saves re-reading
    scenario.yaml."""
    folder = Path(folder)
    if lang not in LANGS:
        raise ScenarioError(f"--lang: use en or nl (got '{lang}')")
    if not folder.is_dir():
        raise ScenarioError(f"{folder}: not a results folder")
    if (folder / "regions.csv").exists():  # a country's run: its regions' reports and its own (present/national*.py)
        from sim.present.national_run import write_national
        write_national(folder, lang, 1, True, force=True)
        return folder / "report.html"
    if (folder / "country_comparison.json").exists():
        from sim.present.national_compare import country_compare_report
        text = country_compare_report(folder, lang)
    elif (folder / "summary.json").exists():
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
    if (folder / "validation.json").exists():  # a run checked against published figures (mgz-sim validate)
        from sim.present.reality import validation_report
        atomic_write_text(folder / "validation.html",
                          validation_report(json.loads((folder / "validation.json").read_text()), lang))
    return folder / "report.html"
