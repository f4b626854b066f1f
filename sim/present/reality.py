"""The model against reality, as people read it (`mgz-sim validate`): a short printed table
(figure, published, source, model, verdict) and validation.html in the one report design,
key figures first and the verdict per figure on the first screen, then why each figure that
differs differs, and what exactly each figure counts. English or Dutch.
"""

from __future__ import annotations

import math
import re
from typing import Any

from sim.fmt import fmt_percent, fmt_value, number, text_table
from sim.present.glossary import term
from sim.present.labels import pick, say, word
from sim.present.page import BAD, INFO, OK, WARN, KeyFigure, Page

KINDS = ("independent", "calibration", "input")


def fmt_figure(x: float | None, unit: str, digits: int, lang: str) -> str:
    """A figure in its unit: 68.8%, 258, 36.5 min, 14 s, 5 min 47 s, 1.63; '-' when none."""
    if x is None or not math.isfinite(x):
        return "-"
    if unit == "share":
        return fmt_percent(x, digits, lang)
    if unit == "minutes":
        return f"{number(x, digits, lang)} min"
    if unit == "seconds":
        whole = int(round(x))  # seconds: what a caller counts
        return f"{whole} s" if whole < 120 else f"{whole // 60} min {whole % 60} s"
    return fmt_value(x, digits, lang)


def fmt_interval(low: float, high: float, unit: str, digits: int, lang: str) -> str:
    """The bounds of an interval in the figure's unit, the unit left to the figure before
    it: '(59.2–66.0)' for shares in percent (clipped to 0-100%), '(32–41)' for seconds. Every
    figure here is a share, a count, a time or a ratio: none is below zero."""
    low = max(0.0, low)
    if unit == "share":
        high = min(1.0, high)
        return f"({number(low * 100, digits, lang)}–{number(high * 100, digits, lang)})"
    if unit == "seconds":
        digits = 0
    return f"({number(low, digits, lang)}–{number(high, digits, lang)})"


def model_cell(row: dict[str, Any], lang: str, stats: dict[str, Any] | None = None) -> str:
    """The model's figure with its 95% interval over the replications."""
    stats = row["model"] if stats is None else stats
    mean = (stats or {}).get("mean")
    if mean is None or not math.isfinite(mean):
        return "-"
    text = fmt_figure(mean, row["unit"], row["digits"], lang)
    low, high = stats.get("ci_low"), stats.get("ci_high")
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return text
    return f"{text} {fmt_interval(low, high, row['unit'], row['digits'], lang)}"


def published_cell(row: dict[str, Any], lang: str) -> str:
    """The published figure, with the source's own interval or the tolerance allowed."""
    text = fmt_figure(row["published"], row["unit"], row["digits"], lang)
    if row.get("interval"):
        low, high = row["interval"]
        text += f" {fmt_interval(low, high, row['unit'], row['digits'], lang)}"
    tol = row.get("tolerance") or {}
    if tol.get("relative"):
        text += f" ±{number(tol['relative'] * 100, 0, lang)}%"
    return text


def source_cell(row: dict[str, Any]) -> str:
    """The source in short, with the figure's year when the short name holds none."""
    short = row["source_short"]
    return short if re.search(r"\b(19|20)\d\d\b", short) else f"{short}, {row['year']}"


def _text(value: dict[str, str] | None, lang: str) -> str:
    return "" if not value else value[("en", "nl")[pick(lang)]]


def verdict_word(verdict: str, lang: str) -> str:
    return word(f"verdict_{verdict}", lang)


def _ordered(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(kind, [r for r in result["figures"] if r["kind"] == kind]) for kind in KINDS]


def heading(result: dict[str, Any], lang: str) -> list[str]:
    return [say(lang, f"{result['region']} - {scenario_name(result, lang)} against published Dutch figures",
                f"{result['region']} - {scenario_name(result, lang)} tegen gepubliceerde Nederlandse cijfers"),
            say(lang, f"{result['replications']} replications x {result['weeks_measured']} weeks, seed {result['seed']}; "
                      "model: mean (95% interval over the replications)",
                f"{result['replications']} {term('replications', lang)} x {result['weeks_measured']} weken, "
                f"{term('seed', lang)} {result['seed']}; model: gemiddelde (95%-interval over de herhalingen)")]


def scenario_name(result: dict[str, Any], lang: str) -> str:
    """The scenario in words: its description in the page's language, else its name."""
    text = (result.get("description_nl") if lang == "nl" else None) or result.get("description") or ""
    return f"«{text}»" if text else f"scenario '{result['scenario']}'"


def summary_sentence(result: dict[str, Any], lang: str) -> str:
    """The answer in two sentences."""
    t = result["tally"]
    ind, cal, inp = t["independent"], t["calibration"], t["input"]
    counted = ind["agrees"] + ind["differs"]
    agree, differ = ind["agrees"], ind["differs"]
    first = say(lang, f"Of the {counted} independent figures the model can count, {agree} "
                      f"{'agrees' if agree == 1 else 'agree'} and {differ} {'differs' if differ == 1 else 'differ'}.",
                f"Van de {counted} onafhankelijke cijfers die het model kan tellen, {'komt' if agree == 1 else 'komen'} "
                f"er {agree} overeen en {'wijkt' if differ == 1 else 'wijken'} er {differ} af.")
    if inp["differs"] + cal["differs"] == 0:
        second = say(lang, f"Inputs ({inp['agrees']}) and calibration targets ({cal['agrees']}) come back: the "
                           "bookkeeping holds; only the independent figures test the model.",
                     f"Invoer ({inp['agrees']}) en kalibratiedoelen ({cal['agrees']}) komen terug: de boekhouding "
                     "klopt; alleen de onafhankelijke cijfers toetsen het model.")
    else:
        n = inp["differs"] + cal["differs"]
        what = say(lang, f"{n} input{'s' if n > 1 else ''} or calibration target{'s' if n > 1 else ''} "
                         f"{'do' if n > 1 else 'does'} not come back",
                   f"{n} ingevoerd{'e' if n > 1 else ''} cijfer{'s' if n > 1 else ''} of kalibratiedoel"
                   f"{'en' if n > 1 else ''} {'komen' if n > 1 else 'komt'} niet terug")
        if few_replications(result, lang):
            second = say(lang, f"{what}: in a run this short that can be chance (look at the interval); the default "
                               "run tells chance from a bookkeeping error.",
                         f"{what}: in een run die zo kort is kan dat toeval zijn (kijk naar het interval); de "
                         "standaardrun onderscheidt toeval van een fout in de boekhouding.")
        else:
            second = say(lang, f"{what}: the bookkeeping is wrong somewhere; read nothing else before that is found.",
                         f"{what}: de boekhouding klopt ergens niet; lees niets anders voordat dat gevonden is.")
    return f"{first} {second}"


def validation_text(result: dict[str, Any], lang: str = "en") -> str:
    """The printed answer: per kind, each figure as published, its source, the model's
    figure with its interval and the verdict."""
    rows: list[list[str]] = []
    groups: list[tuple[int, str]] = []
    for kind, figures in _ordered(result):
        groups.append((len(rows), word(f"kind_{kind}", lang)))
        rows += [[_text(r["label"], lang), published_cell(r, lang), source_cell(r), model_cell(r, lang),
                  verdict_word(r["verdict"], lang)] for r in figures]
    lines = text_table([say(lang, "figure", "cijfer"), say(lang, "published", "gepubliceerd"), say(lang, "source", "bron"),
                        say(lang, "model (95% interval)", "model (95%-interval)"), say(lang, "verdict", "oordeel")], rows,
                       left=(0, 2, 4))
    out = heading(result, lang) + [""] + lines[:2]
    for k, (start, title) in enumerate(groups):
        end = groups[k + 1][0] if k + 1 < len(groups) else len(rows)
        out += [f"{title}:"] + lines[2 + start:2 + end]
    return "\n".join(out + ["", summary_sentence(result, lang)] + [w for w in [few_replications(result, lang)] if w])


FEW_REPLICATIONS, FEW_WEEKS = 10, 26


def few_replications(result: dict[str, Any], lang: str) -> str:
    """A warning for a run too short for its verdicts to mean much; '' otherwise."""
    n, weeks = result["replications"], result["weeks_measured"]
    if n >= FEW_REPLICATIONS and weeks >= FEW_WEEKS:
        return ""
    return say(lang, f"Only {n} replications of {weeks} weeks: the intervals are wide or rest on few requests, so "
                     "a verdict says little either way. The default (20 replications of 52 weeks) settles them.",
               f"Maar {n} herhalingen van {weeks} weken: de intervallen zijn breed of rusten op weinig zorgvragen, "
               "dus een oordeel zegt weinig. De standaard (20 herhalingen van 52 weken) maakt ze betrouwbaar.")


def _key_figures(page: Page, result: dict[str, Any]) -> None:
    lang, t = page.lang, result["tally"]
    ind, cal, inp = t["independent"], t["calibration"], t["input"]
    counted = ind["agrees"] + ind["differs"]
    not_comparable = sum(v["not_comparable"] for v in t.values())
    figures = [
        KeyFigure(say(lang, "Independent figures that agree", "Onafhankelijke cijfers die kloppen"),
                  f"{ind['agrees']} / {counted}",
                  say(lang, "of those the model can count", "van wat het model kan tellen"),
                  say(lang, f"{ind['differs']} differ: reasons below", f"{ind['differs']} wijken af: redenen hieronder")
                  if ind["differs"] != 1 else say(lang, "1 differs: the reason below", "1 wijkt af: reden hieronder"),
                  OK if ind["differs"] == 0 else WARN),
        KeyFigure(say(lang, "Calibration targets reproduced", "Kalibratiedoelen teruggevonden"),
                  f"{cal['agrees']} / {cal['agrees'] + cal['differs']}", "",
                  say(lang, "fitted figures: no test of the model", "afgestemde cijfers: geen toets van het model"),
                  OK if cal["differs"] == 0 else BAD),
        KeyFigure(say(lang, "Inputs reproduced", "Ingevoerde cijfers teruggevonden"),
                  f"{inp['agrees']} / {inp['agrees'] + inp['differs']}", "",
                  say(lang, "checks the bookkeeping", "controleert de boekhouding"), OK if inp["differs"] == 0 else BAD),
        KeyFigure(say(lang, "Not comparable", "Niet vergelijkbaar"), str(not_comparable), "",
                  say(lang, "not countable as the source did", "niet te tellen zoals de bron"),
                  INFO),
    ]
    page.key_figures(say(lang, "Where does the model agree with published Dutch figures, and where not?",
                         "Waar komt het model overeen met gepubliceerde Nederlandse cijfers, en waar niet?"),
                     figures, summary_sentence(result, lang))


def validation_report(result: dict[str, Any], lang: str = "en") -> str:
    """validation.html: key figures, the verdict per figure (grouped by kind), why each
    figure that differs differs, what each figure counts, and the rule."""
    page = Page(f"{word('report_validate', lang)}: {result['region']}", lang, heading(result, lang)[1])
    _key_figures(page, result)
    rows, classes = [], []
    for kind, figures in _ordered(result):
        rows.append([word(f"kind_{kind}", lang)])
        classes.append("group")
        for r in figures:
            rows.append([_text(r["label"], lang), source_cell(r), published_cell(r, lang), model_cell(r, lang),
                         verdict_word(r["verdict"], lang)])
            classes.append(r["verdict"])
    page.table([say(lang, "figure", "cijfer"), say(lang, "source", "bron"), say(lang, "published", "gepubliceerd"),
                say(lang, "model (95% CI)", "model (95%-BI)"), say(lang, "verdict", "oordeel")],
               rows, text_columns=2, row_classes=classes, table_class="verdicts",
               caption=say(lang, "Verdict per figure", "Oordeel per cijfer"))
    if few_replications(result, lang):  # below the verdicts, which keep the first screen
        page.p(few_replications(result, lang), "warning")
    published, model = say(lang, "published", "gepubliceerd"), "model"
    for verdict, title in (("differs", say(lang, "Why figures differ (the likely reason)",
                                           "Waarom cijfers afwijken (de waarschijnlijke reden)")),
                           ("not_comparable", say(lang, "Why figures are not comparable",
                                                  "Waarom cijfers niet vergelijkbaar zijn"))):
        found = [r for r in result["figures"] if r["verdict"] == verdict]
        if found:
            page.h2(title)
            page.bullets([f"{_text(r['label'], lang)}: {published} {published_cell(r, lang)}"
                          + (f", {model} {model_cell(r, lang)}" if verdict == "differs" else "")
                          + f". {_text(r['reason'], lang)}" for r in found], "reasons")
    page.h2(say(lang, "What each figure counts", "Wat elk cijfer telt"))
    details = []
    for _, figures in _ordered(result):
        for r in figures:
            extra = [f"{_text(a['label'], lang)}: {model_cell(r, lang, a['model'])}." for a in r["also"]]
            details.append([_text(r["label"], lang), f"{source_cell(r)} [{r['source']}]",
                            " ".join([_text(r["counts"], lang), _text(r.get("note"), lang), *extra]).strip()])
    page.table([say(lang, "figure", "cijfer"), say(lang, "source [reference]", "bron [verwijzing]"),
                say(lang, "what it counts, in the source and in the model", "wat het telt, in de bron en in het model")],
               details, text_columns=3, table_class="wrap")
    page.p(say(lang, "Rule: a figure agrees when the published value lies in the model's 95% interval over the "
                     "replications, when the model's mean lies in the source's own 95% interval, or when the two differ "
                     "by no more than the stated tolerance (±5% for inputs and calibration targets). Full references: "
                     "docs/sources.md of mgz-sim, under the keys in brackets. The run's own report (load, response "
                     "times) is report.html in this folder.",
               "Regel: een cijfer komt overeen als de gepubliceerde waarde in het 95%-interval van het model over de "
               "herhalingen ligt, als het gemiddelde van het model in het eigen 95%-interval van de bron ligt, of als "
               "de twee niet meer dan de genoemde marge verschillen (±5% voor invoer en kalibratiedoelen). Volledige "
               "bronnen: docs/sources.md van mgz-sim, onder de sleutels tussen haken. Het eigen rapport van de run "
               "(belasting, responstijden) is report.html in deze map."), "note")
    return page.html()
