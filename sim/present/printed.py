"""The short printed answers of a sweep, a sensitivity analysis, the warm-up plot, the
check of a scenario and a calibration (the report holds the
charts; these few lines say what came out and where the rest is)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.check import PILOT_WEEKS
from sim.experiments.warmup import SERIES, suggest_warmup
from sim.fmt import number, plain, text_table
from sim.present.explorations import verdict_label
from sim.present.labels import (
    MODALITY,
    fmt_kpi,
    fmt_kpi_ci,
    kpi_label,
    param_label,
    pick,
    pool_label,
    say,
)
from sim.scenario.config import Scenario

SHOWN_POINTS, SHOWN_KPIS = 20, 3


def sweep_text(points: pd.DataFrame, runs: int, failed: int, folder: Path, lang: str = "en") -> str:
    """One row per design point (the first 20), the parameters and the first KPIs' means
    with their 95% intervals."""
    params = [c for c in points.columns if c.startswith("param:")]
    kpis = list(dict.fromkeys(points["kpi"]))[:SHOWN_KPIS]
    wide = points[points["kpi"].isin(kpis)]
    rows = []
    for point, grp in list(wide.groupby("point", sort=True))[:SHOWN_POINTS]:
        first = grp.iloc[0]
        by_kpi = {r["kpi"]: r for _, r in grp.iterrows()}
        rows.append([str(point), *(_param(first[p], lang) for p in params),
                     *(fmt_kpi_ci(k, by_kpi[k].to_dict() if k in by_kpi else None, lang) for k in kpis)])
    n_points = points["point"].nunique()
    lines = [say(lang, f"{runs} runs done, {failed} failed; mean ±95% CI half-width per design point:",
                 f"{runs} runs klaar, {failed} mislukt; gemiddelde ±halve breedte van het 95%-BI per ontwerppunt:")]
    lines += text_table([say(lang, "point", "punt"), *(param_label(p, lang) for p in params),
                         *(kpi_label(k, lang) for k in kpis)], rows)
    if n_points > SHOWN_POINTS or points["kpi"].nunique() > SHOWN_KPIS:
        lines.append(say(lang, f"(the first {min(n_points, SHOWN_POINTS)} of {n_points} points and {len(kpis)} of "
                               f"{points['kpi'].nunique()} KPIs; all of them in points.parquet and report.html)",
                         f"(de eerste {min(n_points, SHOWN_POINTS)} van {n_points} punten en {len(kpis)} van "
                         f"{points['kpi'].nunique()} KPI's; alles in points.parquet en report.html)"))
    lines += ["", say(lang, f"Results (report.html, sweep.parquet, points.parquet) in {folder}",
                      f"Resultaten (report.html, sweep.parquet, points.parquet) in {folder}")]
    return "\n".join(lines)


def _param(value: object, lang: str) -> str:
    return plain(value, lang) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def warmup_text(table: pd.DataFrame, folder: Path, lang: str = "en") -> str:
    """The suggested warm-up and, per weekly series, the week after which it settled."""
    suggested, per_series = suggest_warmup(table)
    lines = [say(lang, f"Suggested warm-up: {suggested} weeks (set region.warmup_weeks: {suggested})",
                 f"Voorgestelde inloop: {suggested} weken (zet region.warmup_weeks: {suggested})")]
    lines += text_table([say(lang, "weekly series", "weekreeks"), say(lang, "settled after (weeks)", "stabiel na (weken)")],
                        [[SERIES[name][pick(lang)], str(weeks)] for name, weeks in per_series.items()])
    lines += ["", say(lang, f"The weekly series per replication are drawn in {folder / 'report.html'}",
                      f"De weekreeksen per herhaling staan in {folder / 'report.html'}")]
    return "\n".join(lines)


def sensitivity_text(indices: pd.DataFrame, verdicts: pd.DataFrame | None, folder: Path, lang: str = "en") -> str:
    """Which answers hold against the reference whatever the assumptions, then per KPI the
    parameters ranked by their index (Morris mu* or Sobol ST)."""
    key = "mu_star" if "mu_star" in indices.columns else "ST"
    lines: list[str] = []
    if verdicts is not None and len(verdicts):
        ref = str(verdicts["reference"].iloc[0])
        lines += [say(lang, f"Against {ref} on the same random numbers, over every combination of the assumptions tried:",
                      f"Tegen {ref} op dezelfde toevalsgetallen, over elke geprobeerde combinatie van de aannames:")]
        lines += text_table(["", ref, say(lang, "difference from", "verschil van"), say(lang, "to", "tot"),
                             say(lang, "answer", "antwoord")],
                            [[kpi_label(r["kpi"], lang), fmt_kpi(r["kpi"], r["reference_mean"], lang),
                              fmt_kpi(r["kpi"], r["difference_min"], lang, True),
                              fmt_kpi(r["kpi"], r["difference_max"], lang, True), verdict_label(r["verdict"], lang)]
                             for _, r in verdicts.iterrows()])
    for kpi, grp in indices.groupby("kpi", sort=False):
        grp = grp.sort_values(key, ascending=False)
        lines += ["", say(lang, f"{kpi_label(kpi, lang)}: parameters ranked by {key}",
                          f"{kpi_label(kpi, lang)}: parameters gerangschikt naar {key}")]
        cols = [c for c in grp.columns if c not in ("kpi", "parameter")]
        lines += text_table([say(lang, "parameter", "parameter"), *cols],
                            [[param_label(r["parameter"], lang), *(number(r[c], 3, lang) for c in cols)]
                             for _, r in grp.iterrows()])
    lines += ["", say(lang, f"Results (report.html, sensitivity.parquet, answers.parquet) in {folder}",
                      f"Resultaten (report.html, sensitivity.parquet, answers.parquet) in {folder}")]
    return "\n".join(lines).lstrip()


def _idle_line(service: str, r: dict[str, Any], lang: str) -> str:
    """Why a service the pilot left idle is (or is not) called unused, with what was expected."""
    weeks, due = r.get("weeks", 0), r.get("expected", 0.0)
    if r["flag"] == "unused":
        return say(lang, f"{service}: unused: no requests in the pilot and fewer than 1 expected over the scenario's "
                         f"{weeks} weeks (no location's route reaches it).",
                   f"{service}: ongebruikt: geen zorgvragen in de proefrun en minder dan 1 verwacht over de {weeks} "
                   "weken van het scenario (geen route van een locatie komt er langs).")
    what = say(lang, f"{r['entries']} requests in the {PILOT_WEEKS}-week pilot, but about {number(due, 0, lang)} "
                     f"expected over the scenario's {weeks} weeks ({number(due / weeks, 1, lang)} a week)",
               f"{r['entries']} zorgvragen in de proefrun van {PILOT_WEEKS} weken, maar ongeveer {number(due, 0, lang)} "
               f"verwacht over de {weeks} weken van het scenario ({number(due / weeks, 1, lang)} per week)")
    if r["flag"] == "no staff":
        return say(lang, f"{service}: no staff: {what}; give it a roster.",
                   f"{service}: geen personeel: {what}; geef de dienst een rooster.")
    return say(lang, f"{service}: rare, not unused: {what}; too few in the pilot to judge its load.",
               f"{service}: zelden, niet ongebruikt: {what}; te weinig in de proefrun om de belasting te beoordelen.")


def check_text(sc: Scenario, rows: list[dict[str, Any]], lang: str = "en") -> str:
    """Per service the offered load against the staff on duty (rho), with the M/M/c wait
    beside the simulated one, and the verdict."""
    def f(x: Any, digits: int = 2) -> str:
        return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else number(x, digits, lang)

    def name(service: str) -> str:
        label = pool_label(service, sc, lang)
        return label if label == service else f"{label} ({service})"

    lines = [say(lang, f"Check of '{sc.scenario}' ({sc.region.name}): a 4-week pilot run; rho = offered load / staff "
                       "for the requests while staffed",
                 f"Controle van '{sc.scenario}' ({sc.region.name}): een proefrun van 4 weken; rho = aangeboden "
                 "werk / personeel, voor de zorgvragen terwijl er personeel is"), ""]
    seen: set[str] = set()

    def first(r: dict[str, Any]) -> bool:
        """Whether the row is its service's first (a HAP's triage, doctor and car share one expectation)."""
        service = r["service"].split(":", 1)[0]
        new = service not in seen
        seen.add(service)
        return new

    flag = {"OVERLOADED": say(lang, "OVERLOADED", "OVERBELAST"), "high": say(lang, "high", "hoog"), "ok": "ok",
            "unused": say(lang, "unused", "ongebruikt"), "rare": say(lang, "rare", "zelden"),
            "no staff": say(lang, "no staff", "geen personeel"), "": ""}
    lines += text_table([say(lang, "service", "dienst"), say(lang, "entries", "aantal"),
                         say(lang, "expected/wk", "verwacht/wk"), say(lang, "per hour", "per uur"),
                         say(lang, "E[S] min", "E[S] min"), say(lang, "staff", "personeel"), "rho",
                         say(lang, "sim wait", "wacht sim"), say(lang, "M/M/c wait", "wacht M/M/c"),
                         say(lang, "handed on", "overgedragen"), ""],
                        [[name(r["service"]), str(r["entries"]), f(r.get("expected_per_week") if first(r) else None, 1),
                          f(r.get("per_hour")),
                          f(r.get("mean_service_min"), 1), f(r.get("staff_on_duty")), f(r.get("rho"), 3),
                          f(r.get("sim_wait_min"), 1), f(r.get("mmc_wait_min"), 1), str(r.get("handed_on", "-")),
                          flag.get(r["flag"], r["flag"])] for r in rows])
    over = [name(r["service"]) for r in rows if r["flag"] == "OVERLOADED"]
    lines.append("")
    for r in rows:
        if r["flag"] in ("rare", "unused", "no staff"):
            lines.append(_idle_line(name(r["service"]), r, lang))
    lines.append(say(lang, "expected/wk: the requests a week the scenario's rates send along the routes to the "
                           "service, shown at its first row (an upper bound: a first-line step ahead may settle some); "
                           "'unused' is judged on "
                           "these over the scenario's weeks, not on the pilot.",
                     "verwacht/wk: de zorgvragen per week die de tarieven van het scenario langs de routes naar de "
                     "dienst sturen, bij de eerste rij van de dienst (een bovengrens: een eerstelijnsstap ervoor kan er "
                     "een deel van afhandelen); "
                     "'ongebruikt' wordt daarop beoordeeld over de weken van het scenario, niet op de proefrun."))
    if over:
        lines.append(say(lang, f"OVERLOADED (rho >= 0.95, or more than 5% handed on unseen at closing): "
                               f"{', '.join(over)}: add staff or reduce demand before running experiments",
                         f"OVERBELAST (rho >= 0,95, of meer dan 5% ongezien overgedragen bij sluiting): "
                         f"{', '.join(over)}: voeg personeel toe of verminder de vraag voordat u experimenten draait"))
    else:
        lines.append(say(lang, "No service is overloaded (rho < 0.95 everywhere, nothing handed on unseen beyond 5%).",
                         "Geen dienst is overbelast (overal rho < 0,95, niets boven 5% ongezien overgedragen)."))
    lines.append(say(lang, "Waits differ from M/M/c where the model adds what the formula leaves out: practices plan "
                           "non-acute visits into the next visit round, rosters close at night, priorities, travel.",
                     "Wachttijden wijken af van M/M/c waar het model toevoegt wat de formule weglaat: praktijken "
                     "plannen niet-acute visites in de volgende visiteronde, roosters sluiten 's nachts, prioriteiten, "
                     "reistijd."))
    return "\n".join(lines)


def calibrate_text(report: dict[str, Any], lang: str = "en") -> str:
    """The fitted demand parameters with their 95% intervals."""
    r = report["rate_per_resident_week"]
    lines = [say(lang, f"{report['rows']} consults, {report['locations']} locations, {report['residents']} residents, "
                       f"{report['from']} to {report['to']} ({number(report['weeks'], 1, lang)} weeks)",
                 f"{report['rows']} consulten, {report['locations']} locaties, {report['residents']} bewoners, "
                 f"{report['from']} tot {report['to']} ({number(report['weeks'], 1, lang)} weken)"),
             say(lang, "rate per resident per week", "zorgvragen per bewoner per week")
             + f": {number(r['value'], 4, lang)} ({_ci(r['ci95'], 4, lang)}); "
             + say(lang, "per 20 residents", "per 20 bewoners") + f": {number(20 * r['value'], 2, lang)}"]
    for m, v in report["modality"].items():
        lines.append(say(lang, f"{m} share", f"aandeel {MODALITY.get(m, (m, m))[1]}")
                     + f": {number(v['share'], 3, lang)} ({_ci(v['ci95'], 3, lang)})")
    for key, words in (("acute_share", ("acute share", "aandeel acuut")),
                       ("weekend_share", ("weekend share", "aandeel weekend"))):
        v = report[key]
        lines.append(f"{words[pick(lang)]}: {number(v['value'], 3, lang)} ({_ci(v['ci95'], 3, lang)})")
    if report.get("frailty_shape"):
        lines.append(say(lang, "frailty shape (per-client dispersion)", "kwetsbaarheid, vorm (spreiding per cliënt)")
                     + f": {number(report['frailty_shape'], 3, lang)}")
    return "\n".join(lines)


def _ci(bounds: list[float], digits: int, lang: str) -> str:
    return say(lang, "95% CI ", "95%-BI ") + f"{number(bounds[0], digits, lang)}-{number(bounds[1], digits, lang)}"
