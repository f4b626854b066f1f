"""The first screen's one rule: the key figures answer the command's question, and raise the
alarm where a norm fails.

For a scenario with a parent (a run of an arrangement or pressure, a comparison, the app's
compare tab) the cards and the sentence lead with the significant changes against the
parent, worst first, for every population the scenario touches (Wlz clients and the general
population at the HAP); a response norm that fails (fewer than 9 in 10 on time, or falling
significantly) and every overloaded service, whatever the reason analysis/metrics.py gives,
get a red card and a sentence, whatever else is green.

    findings(after, diff, before, sc)   what the first screen must say, worst first
    change_cards(...), change_sentence(...)
    norm_cards(...), norm_sentence(...) the alarms of a run without a parent
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.analysis.overload import overload_reasons
from sim.experiments.output import number
from sim.fmt import error_bar, fmt_minutes, fmt_percent
from sim.present.charts import axis, bar, figure, reference_line
from sim.present.glossary import NORM_SHARE, UTILISATION_TARGET, overload_reason, term
from sim.present.labels import MEASURE, fmt_kpi, fmt_kpi_range, kpi_label, pick, pool_label, say, word
from sim.present.page import BAD, COLOURS, INFO, OK, WARN, KeyFigure, Page, wrap
from sim.present.significance import better, change_status, material, significant
from sim.scenario.config import Scenario
from sim.scenario.schema import URGENCIES

# a response's measures, the most telling first: one card per population and urgency
RESPONSE_ORDER = ("within_norm", "norm_p90_min", "physician_p90_min", "p90_min")
SERVICE_MEASURES = ("utilisation", "wait_p90_min", "hours_per_week", "handled_per_week", "capacity_hours_per_week")
SKIP = ("calibration.", "location.")
RANK = {"overload": 0, "norm_fall": 1, "norm": 2, "fall": 3, "busy": 4, "better": 5, "change": 6}  # worst first


@dataclass
class Finding:
    """Something the first screen must say: a KPI (or an overloaded service), how it
    reads for clients (status), why it is here (kind: overload, norm_fall, fall, norm,
    busy, better, change) and how large it is (for ordering within its kind)."""

    kpi: str
    status: str
    kind: str
    size: float = 0.0
    population: str = ""  # "wlz", "background" or a service's pool
    urgency: int = 9
    why: tuple[str, tuple[float, ...]] | None = None  # an overload's reason and its figures

    @property
    def order(self) -> tuple[int, int, float]:
        return RANK[self.kind], self.urgency, -self.size


def _mean(stats: dict[str, Any] | None) -> float:
    return number((stats or {}).get("mean"))


def scenario_name(sc: Scenario | None, fallback: str, lang: str) -> str:
    """A scenario in words: its description in the page's language, else its name."""
    described = sc.describe(lang) if sc is not None else ""
    return described or fallback


def _parts(kpi: str) -> tuple[str, str, int, str]:
    """(group, population or pool, urgency index, measure) of a KPI."""
    parts = kpi.split(".")
    if parts[0] == "response" and len(parts) == 4:
        u = URGENCIES.index(parts[2]) if parts[2] in URGENCIES else 9
        return "response", parts[1], u, parts[3]
    if parts[0] == "service" and len(parts) >= 3:
        return "service", ".".join(parts[1:-1]), 9, parts[-1]
    return parts[0], "", 9, parts[-1]


def failing_norm(kpi: str, stats: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """A share within a response norm below 9 in 10 (with requests to measure)."""
    group, who, u, measure = _parts(kpi)
    if group != "response" or measure != "within_norm":
        return False
    n = _mean(after.get(f"response.{who}.{URGENCIES[u]}.n")) if u < len(URGENCIES) else math.nan
    value = _mean(stats)
    return math.isfinite(value) and value < NORM_SHARE and not (math.isfinite(n) and n <= 0)


def findings(after: dict[str, Any], diff: dict[str, Any] | None = None, before: dict[str, Any] | None = None,
             sc: Scenario | None = None) -> list[Finding]:
    """Everything the first screen must say, worst first: overloaded services, norms that
    fail and fell, significant falls, failing norms, services above their target, then
    significant improvements and changes in load; one per population and urgency (the
    most telling measure), one per service."""
    out: list[Finding] = []
    for pool, why in overload_reasons(after).items():
        out.append(Finding(f"service.{pool}.utilisation", BAD, "overload", population=pool, why=why))
    over = {f.population for f in out}
    seen: set[tuple[str, str, int]] = set()
    diff = diff or {}
    names = sorted({*after, *diff}, key=lambda n: (_parts(n)[0] != "response", RESPONSE_ORDER.index(_parts(n)[3])
                                                   if _parts(n)[3] in RESPONSE_ORDER else 9, n))
    for kpi in names:
        if kpi.startswith(SKIP):
            continue
        group, who, u, measure = _parts(kpi)
        if group == "response" and measure not in RESPONSE_ORDER or group == "service" and (
                measure not in SERVICE_MEASURES or who in over):
            continue
        d = diff.get(kpi)
        fails = failing_norm(kpi, after.get(kpi), after)
        sig = material(kpi, d)
        status = change_status(kpi, d) if sig and d is not None else INFO  # material: d is there
        if group == "service" and before is not None and not _mean(before.get(f"service.{who}.hours_per_week")) > 0:
            status = INFO  # a service the parent does not have: its waits are new, not worse
        if fails and sig and status == BAD:
            kind = "norm_fall"
        elif sig and status == BAD:
            kind = "fall"
        elif fails:
            kind, status = "norm", BAD
        elif measure == "utilisation" and _mean(after.get(kpi)) >= UTILISATION_TARGET:
            kind, status = "busy", WARN
        elif sig and status == OK:
            kind = "better"
        elif sig and better(kpi) == 0:
            kind = "change"
        else:
            continue
        slot = (group, who, u) if group == "response" else (group, kpi, 0)
        if slot in seen:
            continue
        seen.add(slot)
        size = abs(_mean(d)) / max(abs(_mean(before.get(kpi))) if before else 0.0, 1e-9) if d else 0.0
        if group == "response" and measure == "within_norm" and d:
            size = abs(_mean(d)) * 10  # a share's fall in points weighs more than a time's rise
        out.append(Finding(kpi, status, kind, size if math.isfinite(size) else 0.0,
                           who if group in ("response", "service") else "", u))
    return sorted(out, key=lambda f: f.order)


def pick_cards(found: list[Finding], limit: int) -> list[Finding]:
    """At most `limit` findings, worst first, keeping the worst of every population that has
    an alarm (a fall for the general population is never pushed out by Wlz ones)."""
    chosen: list[Finding] = []
    for population in dict.fromkeys(f.population for f in found if f.status == BAD):
        chosen.append(next(f for f in found if f.population == population and f.status == BAD))
    for f in found:
        if len(chosen) >= limit:
            break
        if f not in chosen:
            chosen.append(f)
    return sorted(chosen[:limit], key=lambda f: f.order)


# ------------------------------------------------------------------------------ words


def who_words(who: str, sc: Scenario | None, lang: str) -> str:
    """'Wlz-cliënten', 'algemene bevolking (HAP)' or a service's name."""
    if who == "wlz":
        return term("wlz_clients", lang)
    if who == "background":
        return say(lang, "general population (HAP)", "algemene bevolking (HAP)")
    return pool_label(who, sc, lang)


def short_label(kpi: str, sc: Scenario | None, lang: str) -> str:
    """A card's label: 'Algemene bevolking (HAP): U1 binnen de norm (15 min)'."""
    group, who, u, measure = _parts(kpi)
    if group == "response":
        urgency = URGENCIES[u]
        norm = getattr(sc.norms, urgency) if sc is not None else None
        what = {"within_norm": say(lang, f"{urgency} within the norm", f"{urgency} binnen de norm")
                + (f" ({fmt_minutes(norm, lang)})" if norm else ""),
                "norm_p90_min": say(lang, f"{urgency} time to the norm's contact (P90)",
                                    f"{urgency} tijd tot het normcontact (P90)"),
                "physician_p90_min": say(lang, f"{urgency} time to a physician (P90)", f"{urgency} tijd tot een arts (P90)"),
                "p90_min": say(lang, f"{urgency} time to first contact (P90)", f"{urgency} tijd tot eerste contact (P90)")}
        head = who_words(who, sc, lang)
        return f"{head[0].upper()}{head[1:]}: {what.get(measure, measure)}"
    if group == "service":
        return f"{pool_label(who, sc, lang)}: {MEASURE.get(measure, (measure, measure))[pick(lang)]}"
    return kpi_label(kpi, lang, sc)


def _norm_line(f: Finding, sc: Scenario | None, lang: str) -> str:
    group, who, u, measure = _parts(f.kpi)
    if f.kind == "overload":
        return overload_reason(*f.why, lang) if f.why else ""
    if measure == "within_norm":
        state = say(lang, " - not met", " - niet gehaald") if f.kind in ("norm", "norm_fall") else ""
        return say(lang, f"norm: {fmt_percent(NORM_SHARE, 0, lang)} on time", f"norm: {fmt_percent(NORM_SHARE, 0, lang)} op tijd") + state
    if measure == "utilisation":
        return say(lang, f"target ≤ {fmt_percent(UTILISATION_TARGET, 0, lang)}", f"doel ≤ {fmt_percent(UTILISATION_TARGET, 0, lang)}")
    norm = getattr(sc.norms, URGENCIES[u]) if sc is not None and group == "response" and u < 9 else None
    if norm and measure == "norm_p90_min":
        return say(lang, f"norm {fmt_minutes(norm, lang)}", f"norm {fmt_minutes(norm, lang)}") + (
            say(lang, "; significantly worse", "; significant slechter") if f.status == BAD else
            say(lang, "; significantly better", "; significant beter") if f.status == OK else "")
    if f.status == BAD:
        return say(lang, "significantly worse", "significant slechter")
    if f.status == OK:
        return say(lang, "significantly better", "significant beter")
    return ""


def change_line(kpi: str, d: dict[str, Any] | None, before: dict[str, Any] | None, lang: str) -> str:
    """'was 46,4%: -14,0 %-punt (95%-BI -27,2 tot -0,9 %-punt)', or 'was 46,4%: geen
    aantoonbare verandering' when the interval includes no change."""
    was = say(lang, f"was {fmt_kpi(kpi, _mean(before), lang)}", f"was {fmt_kpi(kpi, _mean(before), lang)}")
    if not d:
        return was
    if not significant(d):
        return f"{was}: {term('no_change', lang)}"
    return f"{was}: {fmt_kpi(kpi, d.get('mean'), lang, True)} ({fmt_kpi_range(kpi, d, lang, True)})"


def card(f: Finding, after: dict[str, Any], diff: dict[str, Any] | None, before: dict[str, Any] | None,
         sc: Scenario | None, lang: str) -> KeyFigure:
    """A finding as a key figure: the level now, what it was and the change with its
    interval (or its interval), and the norm or target it is marked against."""
    if f.kind == "overload":
        return KeyFigure(f"{word('overloaded', lang)}: {pool_label(f.population, sc, lang)}",
                         word("overloaded", lang), "", _norm_line(f, sc, lang), BAD)
    stats = after.get(f.kpi)
    ci = change_line(f.kpi, (diff or {}).get(f.kpi), (before or {}).get(f.kpi), lang) if before is not None \
        else fmt_kpi_range(f.kpi, stats, lang)
    return KeyFigure(short_label(f.kpi, sc, lang), fmt_kpi(f.kpi, _mean(stats), lang), ci, _norm_line(f, sc, lang),
                     f.status)


def clause(f: Finding, after: dict[str, Any], diff: dict[str, Any], before: dict[str, Any], sc: Scenario | None,
           lang: str) -> str:
    """'U1 binnen de norm (15 min) van 46,4% naar 32,4% (-14,0 %-punt; 95%-BI -27,2 tot -0,9 %-punt)'."""
    label = short_label(f.kpi, sc, lang).split(": ", 1)[-1] if f.population in ("wlz", "background") else \
        short_label(f.kpi, sc, lang)
    change = fmt_kpi(f.kpi, _mean(diff.get(f.kpi)), lang, True)  # its interval is on the card and in the table
    return say(lang, f"{label} from {fmt_kpi(f.kpi, _mean(before.get(f.kpi)), lang)} to "
                     f"{fmt_kpi(f.kpi, _mean(after.get(f.kpi)), lang)} ({change})",
               f"{label} van {fmt_kpi(f.kpi, _mean(before.get(f.kpi)), lang)} naar "
               f"{fmt_kpi(f.kpi, _mean(after.get(f.kpi)), lang)} ({change})")


def clauses(items: list[Finding], after: dict[str, Any], diff: dict[str, Any], before: dict[str, Any],
            sc: Scenario | None, lang: str) -> str:
    """Clauses grouped by population: 'algemene bevolking (HAP): U1 ...; U3 ...; Wlz-cliënten: U2 ...'."""
    out = []
    for who in dict.fromkeys(f.population if f.population in ("wlz", "background") else "" for f in items):
        mine = [clause(f, after, diff, before, sc, lang) for f in items
                if (f.population if f.population in ("wlz", "background") else "") == who]
        out.append((say(lang, f"for {who_words(who, sc, lang)}: ", f"bij de {who_words(who, sc, lang)}: ") if who else "")
                   + "; ".join(mine))
    return "; ".join(out)


def change_cards(found: list[Finding], after: dict[str, Any], diff: dict[str, Any], before: dict[str, Any],
                 sc: Scenario | None, lang: str, limit: int = 6) -> list[KeyFigure]:
    return [card(f, after, diff, before, sc, lang) for f in pick_cards(found, limit)]


def change_sentence(found: list[Finding], after: dict[str, Any], diff: dict[str, Any], before: dict[str, Any],
                    parent: str, sc: Scenario | None, lang: str, most: int = 2) -> str:
    """The answer against the parent in a few sentences: what got worse, what got better,
    what else moved (at most `most` each, worst first), which norms fail, what is overloaded."""
    def listed(kinds: tuple[str, ...]) -> list[Finding]:
        return [f for f in found if f.kind in kinds]
    worse, good, moved = listed(("norm_fall", "fall")), listed(("better",)), listed(("change",))
    parts = []
    if worse:
        parts.append(say(lang, f"Worse than in «{parent}», ", f"Slechter dan in «{parent}», ")
                     + clauses(worse[:most], after, diff, before, sc, lang) + _more(worse, most, lang))
    if good:
        parts.append(say(lang, "Better, ", "Beter, ") + clauses(good[:most], after, diff, before, sc, lang)
                     + _more(good, most, lang))
    if moved:
        shown = 1 if parts else most
        parts.append(say(lang, "Also changed: " if parts else f"Against «{parent}»: ",
                         "Ook veranderd: " if parts else f"Ten opzichte van «{parent}»: ")
                     + clauses(moved[:shown], after, diff, before, sc, lang) + _more(moved, shown, lang))
    if not parts:
        parts.append(say(lang, f"No measure changed demonstrably against «{parent}» (every 95% interval includes "
                               "no change)",
                         f"Geen maatstaf veranderde aantoonbaar ten opzichte van «{parent}» (elk 95%-interval omvat "
                         "'geen verandering')"))
    said = {f.kpi for f in worse[:most]}
    alarm = norm_sentence([f for f in found if f.kpi not in said or f.kind == "overload"], after, sc, lang)
    return ". ".join(p[0].upper() + p[1:] for p in parts) + "." + (f" {alarm}" if alarm else "")


def _more(items: list[Finding], most: int, lang: str) -> str:
    extra = len(items) - most
    return say(lang, f"; and {extra} more (see the table)", f"; en nog {extra} (zie de tabel)") if extra > 0 else ""


def norm_cards(found: list[Finding], after: dict[str, Any], sc: Scenario | None, lang: str) -> list[KeyFigure]:
    """The red cards of a run without a parent: overloaded services and failing norms."""
    return [card(f, after, None, None, sc, lang) for f in found if f.kind in ("overload", "norm", "norm_fall")]


def norm_sentence(found: list[Finding], after: dict[str, Any], sc: Scenario | None, lang: str) -> str:
    """'Norm not met (9 in 10 on time): ...; overloaded: ...' or ''."""
    fails = [f for f in found if f.kind in ("norm", "norm_fall")]
    over = [f for f in found if f.kind == "overload"]
    out = []
    if fails:
        items = "; ".join(f"{short_label(f.kpi, sc, lang)}: {fmt_kpi(f.kpi, _mean(after.get(f.kpi)), lang)}"
                          for f in fails)
        out.append(say(lang, f"Norm not met ({fmt_percent(NORM_SHARE, 0, lang)} on time): {items}.",
                       f"Norm niet gehaald ({fmt_percent(NORM_SHARE, 0, lang)} op tijd): {items}."))
    if over:
        items = "; ".join(f"{pool_label(f.population, sc, lang)} ({overload_reason(*f.why, lang)})" for f in over
                          if f.why)
        out.append(say(lang, f"Overloaded: {items}.", f"Overbelast: {items}."))
    return " ".join(out)


# ------------------------------------------------------------------------------ the deciding chart


def norms_figure(page: Page, sc: Scenario, k: dict[str, Any], before: dict[str, Any] | None, parent: str,
                 lead: bool = True) -> None:
    """The chart that decides: per urgency and population the share within its norm against
    9 in 10 (and the parent's beside it), red where the norm is not met."""
    lang = page.lang
    rows = [(who, u) for who in ("wlz", "background") for u in URGENCIES
            if _finite(_mean(k.get(f"response.{who}.{u}.n"))) > 0 or _finite(_mean(k.get(f"response.{who}.{u}.within_norm"))) >= 0]
    names = [f"{u}, {who_words(who, sc, lang)} ({fmt_minutes(getattr(sc.norms, u), lang)})" for who, u in rows]
    fig = figure(barmode="group", showlegend=before is not None)
    if before is not None:
        fig["data"].append(bar([100 * _mean(before.get(f"response.{who}.{u}.within_norm")) for who, u in rows],
                               [wrap(n) for n in names], horizontal=True, colour="#b7c3d3", name=parent))
    now = [100 * _mean(k.get(f"response.{who}.{u}.within_norm")) for who, u in rows]
    fig["data"].append(bar(now, [wrap(n) for n in names], horizontal=True, name=scenario_name(sc, sc.scenario, lang),
                           colour=[COLOURS[4] if v < 100 * NORM_SHARE else COLOURS[2] for v in now],
                           error=_share_error(k, [f"response.{who}.{u}.within_norm" for who, u in rows])))
    reference_line(fig, x=100 * NORM_SHARE, dash="dash", colour=COLOURS[4],
                   label=say(lang, f"norm: {fmt_percent(NORM_SHARE, 0, lang)} on time",
                             f"norm: {fmt_percent(NORM_SHARE, 0, lang)} op tijd"), position="top left")
    axis(fig, "x", range=[0, 101], ticksuffix="%", dtick=20)
    axis(fig, "y", autorange="reversed")
    page.figure(fig, say(lang, "Share within the norm, to the contact it counts, per urgency (95% CI)",
                         "Aandeel binnen de norm, tot het contact dat telt, per urgentie (95%-BI)"),
                say(lang, "share of requests within the norm (%)", "aandeel zorgvragen binnen de norm (%)"), "",
                height=110 + (24 if before is None else 30) * len(rows), lead=lead)


def _share_error(k: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Error bars of shares in percent, clipped to 0-100%."""
    up, down = [], []
    for n in names:
        mean, half = _mean(k.get(n)), error_bar(k.get(n))
        up.append(100 * max(0.0, min(half, 1.0 - mean)) if mean == mean else 0.0)
        down.append(100 * max(0.0, min(half, mean)) if mean == mean else 0.0)
    return {"type": "data", "array": up, "arrayminus": down, "symmetric": False}


def _finite(x: float) -> float:
    return x if math.isfinite(x) else float("nan")
