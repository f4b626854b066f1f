"""The page of the what-if app, built from data: the number boxes and sliders from
checks.FIELDS, the pickers from option lists and the base scenario's own practices and
behandeldiensten, every text from words.WORDS (a text the language switch rewrites has a
pattern-matching id {"t": key})."""

from __future__ import annotations

import threading
from importlib import resources
from typing import Any

from dash import dcc, html

from sim.present.app.catalogue import EMBEDDED, BaseScenario
from sim.present.app.checks import ACTIONS, BEHANDELING, BROWSER_MAX, FIELDS, NAME_MAX, SPREAD
from sim.present.app.words import text
from sim.present.labels import pool_label
from sim.present.whatif import ARRANGEMENTS
from sim.scenario.schema import KINDS, SECTORS

HIDDEN: dict[str, str] = {"display": "none"}
SHOWN: dict[str, str] = {}
LIVE: dict[str, Any] = {"aria-live": "polite"}  # Dash passes aria-* through; its stubs do not know them
OPTIONS = {  # the pickers whose words change with the language: id -> (values, word prefix)
    "kind": (KINDS, "kind_"), "sector": (SECTORS, "sector_"), "behandeling": (BEHANDELING, "behandeling_"),
    "spread": (SPREAD, "spread_"), "arrangements": (ARRANGEMENTS, "arr_"), "action": (ACTIONS, "action_"),
}
SLIDER_MARKS = {  # where the sliders are labelled
    "residents": {1: "1", 24: "24", 50: "50", 100: "100", 150: "150", 200: "200"},
    "gp": {30: "30%", 50: "50%", 70: "70%", 100: "100%"},
    "growth": {0: "0%", 11.4: "2040", 30: "30%"},
    "resolve": {0: "0%", 45: "45%", 100: "100%"},
}


class _Building(threading.local):
    """The language the layout is being built in, per request thread (layout() sets it)."""

    now = "nl"


LANG = _Building()


def request_language() -> str:
    """The page's first language: the browser's (Accept-Language) when it prefers English,
    else Dutch, the app's users' own."""
    from flask import has_request_context, request
    if not has_request_context():
        return "nl"
    return request.accept_languages.best_match(["nl", "en"], default="nl") or "nl"


def T(key: str, tag: Any = html.Span, copy: str = "", **kw: Any) -> Any:
    """A text the language switch rewrites (pattern-matching id {"t": key}; a second copy
    of the same text on the page is told apart as {"t": "key#copy"})."""
    return tag(text(LANG.now, key), id={"t": f"{key}#{copy}" if copy else key}, **kw)


def field(label: str, control: Any, help_key: str | None = None, **kw: Any) -> html.Div:
    """A labelled control, with an optional line of help under it."""
    return html.Div(className=kw.pop("className", "field"), children=[
        html.Label(T(label), htmlFor=control.id if isinstance(getattr(control, "id", None), str) else None),
        control, *([T(help_key, html.Div, className="help")] if help_key else [])], **kw)


def number_box(key: str) -> dcc.Input:
    """A number box with the bounds the server checks (checks.FIELDS)."""
    f = FIELDS[key]
    return dcc.Input(id=key, type="number", min=f.lo, max=f.hi, step=f.step, value=f.default, required=True,
                     inputMode="numeric" if f.whole else "decimal")  # type: ignore[arg-type]  # a valid HTML inputmode Dash's stubs leave out


def slider(key: str, **kw: Any) -> dcc.Slider:
    f = FIELDS[key]
    return dcc.Slider(id=key, min=f.lo, max=f.hi, step=f.step, value=f.default, marks=SLIDER_MARKS.get(key),
                      tooltip={"placement": "bottom"}, **kw)


def options(key: str, lang: str) -> list[dict[str, str]]:
    values, prefix = OPTIONS[key]
    return [{"label": text(lang, prefix + v), "value": v} for v in values]


def base_options(cat: dict[str, BaseScenario], lang: str, own: Any = ()) -> list[dict[str, str]]:
    """The base scenarios by id: the embedded region, each file with its description, and
    the regions this page uploaded (`own`; another page's uploads are not listed)."""
    own = own if isinstance(own, list) else []
    return [{"label": text(lang, "embedded") if b.embedded else
             text(lang, "uploaded", region=b.scenario.region.name, file=b.label) if b.uploaded else
             f"{b.id}: {b.scenario.describe(lang) or b.scenario.scenario}", "value": b.id}
            for b in cat.values() if not b.uploaded or b.id in own]


def practice_options(base: BaseScenario, lang: str) -> list[dict[str, str]]:
    return [{"label": pool_label(p, base.scenario, lang), "value": p} for p in base.practices]


def location_options(base: BaseScenario) -> list[dict[str, str]]:
    """The base scenario's locations by name (their id when they have none)."""
    return [{"label": f"{loc.name or loc.id} ({loc.residents})", "value": loc.id} for loc in base.scenario.locations]


def behandeldienst_options(base: BaseScenario, lang: str) -> list[dict[str, str]]:
    return [{"label": pool_label(b, base.scenario, lang), "value": b} for b in base.behandeldiensten]


def share_rows(base: BaseScenario, lang: str) -> list[Any]:
    """One % box per practice of the base scenario (the first has 100% to start with)."""
    rows: list[Any] = []
    for k, p in enumerate(base.practices):
        rows += [html.Label(pool_label(p, base.scenario, lang), htmlFor=f"share-{p}"),
                 dcc.Input(id={"type": "share", "practice": p}, type="number", min=0, max=100, step=1,
                           value=100 if k == 0 else 0)]
    return rows


def impact_panel(base: BaseScenario) -> html.Div:
    first_bd = base.behandeldiensten[0] if base.behandeldiensten else None
    return html.Div(id="panel-impact", className="panel", children=[
        T("impact_ask", html.P, className="asks"),
        html.Div(className="form-grid", children=[
            field("action", dcc.RadioItems(id="action", options=options("action", LANG.now), value="new")),
            field("name", dcc.Input(id="name", type="text", maxLength=NAME_MAX, debounce=True,
                                    placeholder=text(LANG.now, "name_placeholder")), "name_help", id="name-block"),
            field("location", dcc.Dropdown(id="location", options=location_options(base), clearable=False,
                                           value=base.scenario.locations[0].id if base.scenario.locations else None),
                  "location_help", id="location-block", style=HIDDEN),
        ]),
        html.Div(id="details", className="form-grid", children=[
            html.Div([
                field("residents", html.Div(className="pair", children=[
                    number_box("residents"),
                    dcc.Slider(id="residents-slider", min=FIELDS["residents"].lo, max=FIELDS["residents"].hi, step=1,
                               value=FIELDS["residents"].default, marks=SLIDER_MARKS["residents"],
                               allow_direct_input=False)])),
                field("sector", dcc.RadioItems(id="sector", options=options("sector", LANG.now), value="VV")),
            ]),
            html.Div([
                field("kind", dcc.RadioItems(id="kind", options=options("kind", LANG.now), value="kleinschalig")),
                field("behandeling", dcc.RadioItems(id="behandeling", options=options("behandeling", LANG.now),
                                                    value="zonder")),
            ]),
            html.Div([
                html.Div(id="gp-block", children=[
                    field("spread", dcc.RadioItems(id="spread", options=options("spread", LANG.now), value="one")),
                    field("practice", dcc.Dropdown(id="practice", options=practice_options(base, LANG.now),
                                                   value=base.practices[0] if base.practices else None,
                                                   clearable=False), id="one-practice"),
                    html.Div(id="several-practices", style=HIDDEN, className="field", children=[
                        T("share", html.Label), html.Div(id="shares", className="shares",
                                                         children=share_rows(base, LANG.now)),
                        html.Div(id="shares-total", className="total")]),
                ]),
                field("behandeldienst", dcc.Dropdown(id="behandeldienst", options=behandeldienst_options(base, LANG.now),
                                                     value=first_bd, clearable=False), id="bd-block", style=HIDDEN),
            ]),
        ]),
    ])


def compare_panel() -> html.Div:
    return html.Div(id="panel-compare", className="panel", style=HIDDEN, children=[
        T("compare_ask", html.P, className="asks"),
        html.Div(className="form-grid", children=[
            field("arrangements", dcc.Checklist(id="arrangements", options=options("arrangements", LANG.now), value=[])),
            html.Div([field("gp", slider("gp")), field("growth", slider("growth")),
                      field("resolve", slider("resolve", disabled=True))]),
        ]),
    ])


def result_area(question: str) -> html.Div:
    """Where an answer appears, with its download button (disabled until there is one)."""
    return html.Div(id=f"wrap-{question}", style=SHOWN if question == "impact" else HIDDEN, children=[
        html.Div(className="result-bar", children=[
            T("answer", html.H2, copy=question),
            html.Button(T("download", copy=question), id=f"download-{question}", className="secondary", disabled=True, n_clicks=0)]),
        html.Div(id=f"result-{question}", **LIVE),
    ])


def upload_area() -> html.Div:
    """Your own region: drop or choose a workbook (.xlsx, .ods, or its .csv files); what was
    read, or every problem per row, appears under it (upload.py)."""
    return html.Div(className="field base upload", children=[
        T("upload", html.Label),
        dcc.Upload(id="region-upload", multiple=True, accept=".xlsx,.ods,.csv", className="upload-box",
                   max_size=BROWSER_MAX, children=T("upload_drop", html.Span)),
        html.Div([T("upload_help", html.Div, className="help"),
                  html.Button(T("template"), id="template-button", className="secondary", n_clicks=0)]),
        html.Div(id="upload-status", **LIVE, style={"gridColumn": "1 / -1"}),
    ])


def layout(cat: dict[str, BaseScenario], lang: str = "nl") -> html.Div:
    """The page, its texts in `lang` (the language switch rewrites them)."""
    LANG.now = lang if lang in ("en", "nl") else "nl"
    return html.Div(className="app", children=[
        html.Header(className="app-header", children=[
            T("title", html.H1),
            dcc.RadioItems(id="lang", options=[{"label": "English", "value": "en"}, {"label": "Nederlands", "value": "nl"}],
                           value=LANG.now, inline=True, persistence=True, persistence_type="local", className="lang")]),
        T("intro", html.P, className="intro"),
        field("base", dcc.Dropdown(id="base", options=base_options(cat, LANG.now), value=EMBEDDED, clearable=False),
              "base_help", className="field base"),
        upload_area(),
        dcc.Tabs(id="question", value="impact", children=[
            dcc.Tab(id="tab-impact", label=text(LANG.now, "tab_impact"), value="impact"),
            dcc.Tab(id="tab-compare", label=text(LANG.now, "tab_compare"), value="compare")]),
        impact_panel(cat[EMBEDDED]),
        compare_panel(),
        html.Div(className="action-bar", children=[  # sticks to the bottom of the screen: Bereken is always in view
            html.Div(id="message", role="alert"),  # next to Run, where the eye is after the click
            html.Div(className="actions", children=[
                field("replications", number_box("replications"), "replications_help", className="field reps"),
                field("weeks", number_box("weeks")),
                html.Div(className="field run", children=[html.Button(T("run"), id="run", className="primary",
                                                                      n_clicks=0)]),
                html.Div(id="progress", role="status"),
            ])]),
        result_area("impact"), result_area("compare"),
        dcc.Store(id="uploads", data=[]), dcc.Store(id="upload-result"), dcc.Download(id="template-file"),
        dcc.Store(id="job"), dcc.Store(id="msg"), dcc.Store(id="shown-impact"), dcc.Store(id="shown-compare"),
        dcc.Interval(id="poll", interval=500, disabled=True),
        dcc.Download(id="download"),
    ])


def index_string() -> str:
    """Dash's page with the reports' stylesheet (the key figures look the same) and the app's."""
    folder = resources.files("sim.present") / "templates"
    css = "".join((folder / name).read_text(encoding="utf-8") for name in ("report.css", "app.css"))
    return ("<!DOCTYPE html><html lang='nl'><head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}"
            f"<style>{css}</style></head><body>{{%app_entry%}}<footer>{{%config%}}{{%scripts%}}"
            "{%renderer%}</footer></body></html>")
