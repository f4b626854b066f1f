"""The reports of the experiments that explore a model rather than answer one question: a
sweep (each measure against each parameter), a sensitivity analysis (which answers hold
whatever the assumptions; the indices) and the warm-up plot (Welch's method). Same design
as every report (present/page.py): key figures first, charts titled in words with units.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from sim.fmt import plain
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
from sim.present.page import COLOURS, INFO, OK, WARN, KeyFigure, Page


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


