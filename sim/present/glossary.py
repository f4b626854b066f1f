"""One glossary for every page: the terms the reports, the app and the printed summaries
share (one Dutch word for each idea: "bezettingsgraad" for utilisation, "beschikbare tijd"
for the time a service has for the requests, "95%-BI"), the targets and norms the pages
mark figures against, the reasons a service is overloaded in words, and the Dutch of the
chart toolbar.

The targets live here once and are imported: a page never writes "85%" of its own.
"""

from __future__ import annotations

from typing import Any

from sim.analysis.overload import OVERLOAD_UTILISATION, OVERLOAD_WORDS
from sim.fmt import fmt_percent, fmt_value

# ------------------------------------------------------------------------------ targets and norms

UTILISATION_TARGET = 0.85  # a service's time in use for the requests the pages mark as the target
UTILISATION_LIMIT = OVERLOAD_UTILISATION  # from here a service counts as overloaded (analysis/metrics.py)
NORM_SHARE = 0.90  # [assumption] a response norm holds when 9 in 10 requests meet it (the P90 the pages show)
MARGIN = 0.10  # a practice's utilisation at least this far under its target "fits easily"

def norm_assumption(lang: str) -> str:
    """The targets above as an assumption every report lists."""
    share, target, limit = (fmt_percent(x, 0, lang) for x in (NORM_SHARE, UTILISATION_TARGET, UTILISATION_LIMIT))
    if lang == "nl":
        return (f"Een responsnorm geldt als gehaald als {share} van de zorgvragen hem haalt (de P90 die de cijfers "
                f"tonen) [aanname]; doel voor de bezettingsgraad ≤ {target}, overbelast vanaf {limit}")
    return (f"A response norm counts as met when {share} of the requests meet it (the P90 the figures show) "
            f"[assumption]; utilisation target ≤ {target}, overloaded from {limit}")


# ------------------------------------------------------------------------------ terms

TERMS = {  # key -> (English, Dutch): the words every page uses for the same idea
    "utilisation": ("utilisation", "bezettingsgraad"),
    "available_time": ("available time", "beschikbare tijd"),
    "available_hours": ("available hours per week", "beschikbare uren per week"),
    "ci": ("95% CI", "95%-BI"),
    "ci_long": ("95% confidence interval", "95%-betrouwbaarheidsinterval"),
    "pp": ("pp", "%-punt"),
    "percentage_points": ("percentage points", "procentpunten"),
    "replications": ("replications", "herhalingen"),
    "runs": ("runs", "simulaties"),
    "seed": ("seed", "startgetal"),
    "crn": ("common random numbers", "dezelfde toevalsgetallen"),
    "no_change": ("no demonstrable change", "geen aantoonbare verandering"),
    "general_population": ("general population", "algemene bevolking"),
    "wlz_clients": ("Wlz clients", "Wlz-cliënten"),
    "requests": ("care requests", "zorgvragen"),
    "norm_share": ("9 in 10 within the norm", "9 op de 10 binnen de norm"),
    "parent": ("the scenario it extends", "het scenario waarop het voortbouwt"),
}


def term(key: str, lang: str) -> str:
    """A glossary term in the page's language."""
    return TERMS[key][lang == "nl"]


def ci_words(lang: str) -> str:
    """'95% CI' / '95%-BI'."""
    return term("ci", lang)


# ------------------------------------------------------------------------------ overload

# why (analysis/overload.py overload_reasons) -> (English, Dutch, how each figure reads).
# A reason not listed here is still shown, with analysis/overload.py's own English words or its key.
OVERLOAD_REASONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "nobody": ("nobody on duty in the measured weeks ({} waiting at the end)",
               "niemand ingeroosterd in de gemeten weken ({} wachtend aan het eind)", ("count",)),
    "unstaffed": ("nobody on duty {} h a week in rostered shifts (sickness absence), {} requests a week handed on "
                  "unseen",
                  "{} uur per week niemand in een ingeroosterde dienst (ziekteverzuim), {} zorgvragen per week "
                  "ongezien overgedragen", ("number", "number")),
    "backlog": ("the backlog grows through the horizon ({} waiting at the end)",
                "de achterstand groeit door de hele looptijd ({} wachtend aan het eind)", ("count",)),
    "offered": ("more work offered than the staff on duty can do ({} of the available time, work handed on unseen "
                "included)",
                "meer werk aangeboden dan de dienst aankan ({} van de beschikbare tijd, ongezien overgedragen werk "
                "meegeteld)", ("share",)),
    "handed_on": ("{} requests a week handed on unseen at closing ({} of those offered)",
                  "{} zorgvragen per week ongezien overgedragen bij sluiting ({} van het aanbod)",
                  ("number", "share")),
    "utilisation": ("utilisation {}", "bezettingsgraad {}", ("share",)),
}


def overload_reason(why: str, figures: float | tuple[float, ...], lang: str) -> str:
    """Why a service is overloaded, in words, for any reason analysis/overload.py gives
    (its figures as it gives them: one number or several)."""
    figs = figures if isinstance(figures, tuple) else (figures,)
    en, nl, kinds = OVERLOAD_REASONS.get(why, ("", "", ()))
    shown = [fmt_percent(f, 0, lang) if kind == "share" else fmt_value(f, 0 if kind == "count" else 1, lang)
             for f, kind in zip(figs, kinds or ("number",) * len(figs))]
    if en and len(shown) == (en.count("{}")):
        return (en, nl)[lang == "nl"].format(*shown)
    if lang != "nl" and why in OVERLOAD_WORDS:
        return OVERLOAD_WORDS[why].format(*figs)
    text = ", ".join(shown)
    return (f"{why.replace('_', ' ')} ({text})", f"overbelast: {why.replace('_', ' ')} ({text})")[lang == "nl"]


# ------------------------------------------------------------------------------ the chart toolbar

TOOLBAR = [["toImage", "zoom2d", "pan2d", "resetScale2d"]]  # the buttons a reader needs, nothing more
PLOTLY_NL: dict[str, Any] = {  # plotly.js's own words, in Dutch (a locale registered in the report)
    "moduleType": "locale", "name": "nl",
    "dictionary": {
        "Download plot as a PNG": "Grafiek downloaden als PNG", "Download plot": "Grafiek downloaden",
        "Download plot as a png": "Grafiek downloaden als PNG", "Zoom": "Inzoomen op een gebied",
        "Pan": "Verschuiven", "Reset axes": "Assen herstellen", "Autoscale": "Automatisch schalen",
        "Zoom in": "Inzoomen", "Zoom out": "Uitzoomen", "Double-click to zoom back out": "Dubbelklik om uit te zoomen",
        "Taking snapshot - this may take a few seconds": "Afbeelding maken - dit kan enkele seconden duren",
        "Click to enter Plot title": "Klik om een titel in te voeren", "Snapshot succeeded": "Afbeelding gemaakt",
        "Sorry, there was a problem downloading your snapshot!": "Het downloaden van de afbeelding is mislukt.",
        "trace": "reeks", "Produced with Plotly.js": "Gemaakt met Plotly.js",
    },
    "format": {
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                   "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
        "date": "%d-%m-%Y", "decimal": ",", "thousands": ".",
    },
}
