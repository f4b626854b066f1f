"""The reports of the experiments that explore a model rather than answer one question: a
sweep (each measure against each parameter), a sensitivity analysis (which answers hold
whatever the assumptions; the indices) and the warm-up plot (Welch's method). Same design
as every report (present/page.py): key figures first, charts titled in words with units.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ScenarioError
from sim.fmt import plain
from sim.present.charts import axis, bar, figure, reference_line, scatter
from sim.present.glossary import norm_assumption
from sim.present.headline import scenario_name
from sim.present.labels import (
    fmt_kpi,
    kpi_label,
    param_label,
    pick,
    say,
    unit_label,
    unit_of,
    weeks_text,
    word,
)
from sim.present.page import BAD, COLOURS, INFO, OK, WARN, KeyFigure, Page, wrap
from sim.present.significance import better
from sim.scenario.config import Scenario


def _scenario(path: Any) -> Scenario | None:
    """The scenario a sweep started from (for its names and description), None if unreadable."""
    if not path or not Path(str(path)).exists():
        return None
    try:
        from sim.scenario.loading import load_scenario
        return load_scenario(str(path))
    except ScenarioError:
        return None


def described(description: Any, sc: Scenario | None, params: list[str], lang: str) -> str:
    """A sweep's description in the page's language: its own words when they are in that
    language ({en: ..., nl: ...} or English on an English page), else made from the base
    scenario's description and the parameters in words (never English on a Dutch page)."""
    if isinstance(description, dict) and description.get(lang):
        return str(description[lang])
    if lang == "en" and isinstance(description, str) and description:
        return description
    base = scenario_name(sc, "", lang)
    what = ", ".join(param_label(p, lang, sc) for p in params)
    return say(lang, f"Starting from «{base}»: {what}" if base else what,
               f"Uitgaande van «{base}»: {what}" if base else what)


def _levels(g: pd.DataFrame, kpi: str) -> dict[str, Any]:
    """Error bars of a level (never below zero: times, counts and shares are not negative;
    shares not above 100%)."""
    half = (g["ci_high"] - g["mean"]).fillna(0).clip(lower=0)
    up = (half.clip(upper=1 - g["mean"]) if unit_of(kpi) == "share" else half).clip(lower=0)
    return {"type": "data", "array": up.tolist(), "arrayminus": half.clip(upper=g["mean"].clip(lower=0)).tolist(),
            "symmetric": False}


def design_assumptions(spec: dict[str, Any], params: list[str], sc: Scenario | None, lang: str) -> list[str]:
    """The design as an assumption: each parameter's values, replications, startgetal."""
    out = []
    for p in params:
        raw = spec.get("parameters", {}).get(p.removeprefix("param:"), {}) or {}
        values = raw.get("values") or raw.get("range") or [raw.get("low"), raw.get("high")]
        shown = " - ".join(plain(v, lang) for v in values if isinstance(v, (int, float)))
        out.append(f"{param_label(p, lang, sc)}: {shown}")
    out.append(say(lang, f"{spec.get('replications', '?')} replications per design point, seed {spec.get('seed', '?')}",
                   f"{spec.get('replications', '?')} herhalingen per ontwerppunt, startgetal {spec.get('seed', '?')}"))
    return out


def sweep_report(folder: Path, lang: str) -> str:
    points = pd.read_parquet(folder / "points.parquet")
    prov = json.loads((folder / "provenance.json").read_text()) if (folder / "provenance.json").exists() else {}
    spec = prov.get("spec", {})
    sc = _scenario(spec.get("base"))
    name = spec.get("name", folder.name)
    params = [c for c in points.columns if c.startswith("param:")]
    page = Page(f"{word('report_sweep', lang)}: {name}", lang, described(spec.get("description"), sc, params, lang))
    kpis = list(dict.fromkeys(points["kpi"]))
    figures = []
    for kpi in kpis[:6]:
        g = points[points["kpi"] == kpi]
        figures.append(KeyFigure(kpi_label(kpi, lang, sc), f"{fmt_kpi(kpi, g['mean'].min(), lang)} - {fmt_kpi(kpi, g['mean'].max(), lang)}",
                                 "", say(lang, "lowest - highest over the design", "laagste - hoogste over de verkenning")))
    first = kpis[0] if kpis else ""
    g = points[points["kpi"] == first]
    plist = ", ".join(param_label(p, lang, sc) for p in params)
    page.key_figures(say(lang, f"How do {', '.join(kpi_label(k, lang, sc) for k in kpis[:3])} depend on {plist}?",
                         f"Hoe hangen {', '.join(kpi_label(k, lang, sc) for k in kpis[:3])} af van {plist}?"), figures,
                     say(lang, f"Over the values tried, {kpi_label(first, lang, sc)} runs from {fmt_kpi(first, g['mean'].min(), lang)} "
                               f"to {fmt_kpi(first, g['mean'].max(), lang)}.",
                         f"Over de verkende waarden loopt {kpi_label(first, lang, sc)} van {fmt_kpi(first, g['mean'].min(), lang)} "
                         f"tot {fmt_kpi(first, g['mean'].max(), lang)}.") if kpis else "")
    page.h2(say(lang, "Each measure against each swept parameter (mean and 95% CI per design point)",
                "Elke maatstaf tegen elke gevarieerde parameter (gemiddelde en 95%-BI per ontwerppunt)"))
    lead = True
    for kpi in kpis:
        grp = points[points["kpi"] == kpi]
        for p in params:
            others = [q for q in params if q != p and grp[q].nunique() <= 6]
            fig = figure()
            levels = grp.groupby(others[0]) if others else [(None, grp)]
            for n, (level, g) in enumerate(levels):
                g = g.sort_values(p)
                shown = plain(level, lang) if isinstance(level, (int, float)) else level
                label = (f"{param_label(others[0], lang, sc)} = {shown}" if others else kpi_label(kpi, lang, sc))
                fig["data"].append(scatter(g[p], g["mean"], "lines+markers" if others else "markers",
                                           name=wrap(label, 60), marker={"color": COLOURS[n % len(COLOURS)]},
                                           error_y=_levels(g, kpi)))
            values = sorted(grp[p].dropna().unique())
            if 1 < len(values) <= 12:  # ticks at the values tried, never below their precision
                axis(fig, "x", tickvals=[v.item() if hasattr(v, "item") else v for v in values],
                     ticktext=[plain(v, lang) for v in values])
            if unit_of(kpi) == "share":
                axis(fig, "y", tickformat=".1~%")
            page.figure(fig, f"{kpi_label(kpi, lang, sc)} {say(lang, 'against', 'tegen')} {param_label(p, lang, sc)}",
                        param_label(p, lang, sc), unit_label(kpi, lang), height=340, lead=lead)
            lead = False
    if (folder / "sensitivity.parquet").exists():
        sensitivity_section(page, pd.read_parquet(folder / "sensitivity.parquet"), folder, sc)
    from sim.present.summary import assumptions
    page.assumptions(design_assumptions(spec, params, sc, lang) + (assumptions(sc, lang) if sc else [])
                     + [norm_assumption(lang)])
    return page.html()


def sensitivity_section(page: Page, idx: pd.DataFrame, folder: Path, sc: Scenario | None = None,
                        reference: str = "", lead: bool = False) -> None:
    lang = page.lang
    answers = folder / "answers.parquet"
    if answers.exists():
        verdicts = pd.read_parquet(answers)
        page.h2(say(lang, "Which answers hold whatever the assumptions", "Welke antwoorden standhouden, wat de aannames ook zijn"))
        if reference:
            page.p(say(lang, f"Reference: «{reference}»; the difference of every design point from it, lowest to highest.",
                       f"Referentie: «{reference}»; het verschil van elk ontwerppunt ermee, van laagste tot hoogste."), "note")
        page.table([word("kpi", lang), say(lang, "reference", "referentie"), say(lang, "difference from", "verschil van"),
                    say(lang, "to", "tot"), word("answer", lang)],
                   [[kpi_label(r["kpi"], lang, sc), fmt_kpi(r["kpi"], r["reference_mean"], lang),
                     fmt_kpi(r["kpi"], r["difference_min"], lang, True), fmt_kpi(r["kpi"], r["difference_max"], lang, True),
                     verdict_label(r["verdict"], lang)] for _, r in verdicts.iterrows()])
    page.h2(say(lang, "Sensitivity indices (larger: the measure depends more on the parameter)",
                "Gevoeligheidsindices (groter: de maatstaf hangt sterker af van de parameter)"))
    key = "mu_star" if "mu_star" in idx.columns else "ST"
    for kpi, grp in idx.groupby("kpi", sort=False):
        g = grp.sort_values(key)
        err = (g["mu_star_conf"] if "mu_star_conf" in g else g["ST_conf"]).fillna(0)
        scale = 100.0 if key == "mu_star" and unit_of(kpi) == "share" else 1.0
        values, err = g[key].fillna(0) * scale, err * scale
        noise = max(1e-9, 1e-9 * float(values.abs().max() or 0))  # numerical noise (1e-15) is no effect
        values, err = values.where(values.abs() > noise, 0.0), err.where(values.abs() > noise, 0.0)
        fig = figure(bar(values, [wrap(param_label(p, lang, sc), 40) for p in g["parameter"]], horizontal=True,
                         colour=COLOURS[0],
                         error={"type": "data", "array": err.tolist(), "arrayminus": err.clip(upper=values).tolist(),
                                "symmetric": False}))  # an index is never below zero
        if float(values.abs().max() or 0) == 0:
            axis(fig, "x", range=[0, 1], dtick=0.5)
        unit = (say(lang, "percentage points", "procentpunten") if scale == 100 else unit_label(kpi, lang)) \
            if key == "mu_star" else say(lang, "share of variance", "deel van de variantie")
        page.figure(fig, f"{kpi_label(kpi, lang, sc)}: {'Morris μ*' if key == 'mu_star' else 'Sobol ST'}",
                    f"{'μ*' if key == 'mu_star' else 'ST'} ({unit})", "", height=max(240, 40 * len(g) + 100), lead=lead)
        lead = False


VERDICTS = {"holds: higher": ("holds: higher", "houdt stand: hoger"), "holds: lower": ("holds: lower", "houdt stand: lager"),
            "leans higher": ("leans higher", "neigt naar hoger"), "leans lower": ("leans lower", "neigt naar lager"),
            "depends": ("depends on the assumptions", "hangt af van de aannames"), "flips": ("flips", "draait om"),
            "no clear change": ("no clear change", "geen duidelijke verandering")}


def verdict_label(verdict: str, lang: str) -> str:
    return VERDICTS.get(verdict, (verdict, verdict))[pick(lang)]


def verdict_status(kpi: str, verdict: str) -> str:
    """A verdict coloured by what it means for clients: a fall in a share within the norm
    that holds is bad (red), a rise good (green); times the other way round; load neither;
    an answer that depends on the assumptions or flips is a warning."""
    if verdict in ("depends", "flips"):
        return WARN
    direction = better(kpi)
    sign = 1 if verdict.endswith("higher") else -1 if verdict.endswith("lower") else 0
    if direction == 0 or sign == 0:
        return INFO
    good = direction * sign > 0
    if verdict.startswith("holds"):
        return OK if good else BAD
    return INFO if good else WARN


def sensitivity_report(folder: Path, lang: str) -> str:
    info = json.loads((folder / "sensitivity.json").read_text()) if (folder / "sensitivity.json").exists() else {}
    sc = _scenario(info.get("base"))
    idx = pd.read_parquet(folder / "sensitivity.parquet")
    params = [f"param:{p}" for p in dict.fromkeys(idx["parameter"])]
    page = Page(f"{word('report_sensitivity', lang)}: {info.get('name', folder.name)}", lang,
                described(info.get("description"), sc, params, lang))
    answers = info.get("answers") or []
    ref_sc = _scenario(info.get("reference"))
    reference = scenario_name(ref_sc, info.get("reference_scenario") or "", lang) if answers else ""
    if answers:
        holds = [a for a in answers if a["verdict"].startswith("holds") or a["verdict"] == "no clear change"]
        figures = [KeyFigure(kpi_label(a["kpi"], lang, sc), verdict_label(a["verdict"], lang),
                             f"{fmt_kpi(a['kpi'], a['difference_min'], lang, True)} {say(lang, 'to', 'tot')} "
                             f"{fmt_kpi(a['kpi'], a['difference_max'], lang, True)}",
                             "", verdict_status(a["kpi"], a["verdict"])) for a in answers[:6]]
        page.key_figures(say(lang, f"Which answers against «{reference}» hold whatever the unsourced assumptions?",
                             f"Welke antwoorden tegen «{reference}» houden stand, wat de onbewezen aannames ook zijn?"),
                         figures, say(lang, f"{len(holds)} of {len(answers)} answers hold over every combination tried.",
                                      f"{len(holds)} van de {len(answers)} antwoorden houden stand over alle geprobeerde "
                                      "combinaties."))
    sensitivity_section(page, idx, folder, sc, reference, lead=True)
    spec = {"parameters": {n: {"low": lo, "high": hi} for n, (lo, hi) in
                           zip((info.get("problem") or {}).get("names", []), (info.get("problem") or {}).get("bounds", []))},
            "replications": info.get("replications"), "seed": (info.get("problem") or {}).get("seed", "-")}
    from sim.present.summary import assumptions
    page.assumptions(design_assumptions(spec, params, sc, lang)[:-1] + (assumptions(sc, lang) if sc else [])
                     + [norm_assumption(lang)])
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
                         f"Laat het model {weeks_text(suggested, lang)} inlopen voordat het meet: daarna blijven de "
                         "weekgemiddelden binnen de band van de latere weken (in het scenariobestand: warmup_weeks "
                         f"onder region, {suggested})."))
    for name, labels in SERIES.items():
        fig = figure()
        for r, grp in table.groupby("replication"):
            fig["data"].append(scatter(grp["week"], grp[name], "lines", line={"width": 1, "color": "#9fb3cc"},
                                       name=say(lang, "each replication", "elke herhaling"), showlegend=bool(r == 0)))
        mean = table.groupby("week")[name].mean().rolling(3, center=True, min_periods=1).mean()
        fig["data"].append(scatter(mean.index, mean.values, "lines", line={"width": 4, "color": COLOURS[0]},
                                   name=say(lang, "mean over replications (3-week moving average)",
                                            "gemiddelde over de herhalingen (voortschrijdend over 3 weken)")))
        reference_line(fig, x=suggested + 0.5, dash="dash", colour=COLOURS[4],
                       label=say(lang, "warm-up ", "inloop ") + weeks_text(suggested, lang))
        axis(fig, "x", dtick=1)  # whole weeks
        page.figure(fig, labels[pick(lang)], "week", labels[2 + pick(lang)], height=340, lead=name == next(iter(SERIES)))
    page.assumptions([say(lang, "Welch's method: the weekly means over the replications, smoothed over 3 weeks; the "
                                "warm-up ends where every series stays within the band of its later weeks",
                          "Methode van Welch: de weekgemiddelden over de herhalingen, voortschrijdend over 3 weken; de "
                          "inloop eindigt waar elke reeks binnen de band van haar latere weken blijft"),
                      say(lang, f"{table['replication'].nunique()} replications, no warm-up excluded",
                          f"{table['replication'].nunique()} herhalingen, zonder inloop weggelaten")])
    return page.html()


