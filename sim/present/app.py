"""The what-if web app (`mgz-sim app`): the two questions a GP cooperative or a policy maker
asks, answered with the same experiments, figures and report as the command line, in
Dutch or English.

- "New location": what does a new woonvorm of N residents next to practice X
  cost the practice, the HAP and the region, without it / with it / with it and a voorwacht /
  with it and a compact behandelteam (`mgz-sim impact`);
- "Compare an arrangement": switch arrangements on, move the pressure sliders, and see what
  changes against the base scenario on common random numbers (`mgz-sim compare`).

This module holds the page: the layout (built from
data: app_checks.FIELDS for the numbers, option lists for the pickers) and the callbacks.
Around it, one concept per module:

    app_words       every text of the page in English and Dutch (WORDS)
    app_catalogue   the base scenarios offered, by id (the page never sends a path)
    app_checks      every value checked again on the server -> Refused -> one sentence
    app_jobs        background runs: at most two at once, forgotten after an hour
    app_questions   the experiments the command line uses, into a real results folder
    app_results     an answer as key figures, table and charts (the reports' own figures)
    app_guard       Host check, request size limit, warning when reachable from elsewhere

On a shared machine the app runs only what it offers: it binds to 127.0.0.1 unless told
otherwise, refuses other Host headers (400) and large bodies (413), checks every value, and
turns an unexpected error into a message in the page (the traceback goes to stderr), never
an HTTP 500.
"""

from __future__ import annotations

import sys
import threading
import traceback
from importlib import resources
from pathlib import Path
from typing import Any

import dash
from dash import (
    ALL,
    Input,
    Output,
    State,
    callback_context,
    dcc,
    html,
    no_update,
    set_props,
)

from sim.experiments.executor import default_workers
from sim.present import app_questions
from sim.present.app_catalogue import EMBEDDED, BaseScenario, catalogue
from sim.present.app_checks import (
    BEHANDELING,
    FIELDS,
    QUESTIONS,
    SPREAD,
    Refused,
    base_scenario,
    choice,
    common,
    compare_ask,
    impact_ask,
    language,
    whole,
)
from sim.present.app_guard import exposure_warning, guard
from sim.present.app_jobs import Job, JobBoard
from sim.present.app_results import View, compare_view, impact_view
from sim.present.app_words import WORDS, message, refusal, text, words
from sim.present.labels import pool_label
from sim.present.whatif import ARRANGEMENTS
from sim.scenario.schema import KINDS, SECTORS

# ------------------------------------------------------------------------------ layout

HIDDEN, SHOWN = {"display": "none"}, {}
OPTIONS = {  # the pickers whose words change with the language: id -> (values, word prefix)
    "kind": (KINDS, "kind_"), "sector": (SECTORS, "sector_"), "behandeling": (BEHANDELING, "behandeling_"),
    "spread": (SPREAD, "spread_"), "arrangements": (ARRANGEMENTS, "arr_"),
}
SLIDER_MARKS = {  # where the sliders are labelled
    "residents": {1: "1", 24: "24", 50: "50", 100: "100", 150: "150", 200: "200"},
    "gp": {30: "30%", 50: "50%", 70: "70%", 100: "100%"},
    "growth": {0: "0%", 11.4: "2040", 30: "30%"},
    "resolve": {0: "0%", 45: "45%", 100: "100%"},
}
APP_CSS = """
.app-header { display: flex; justify-content: space-between; align-items: center; gap: 16px;
              border-bottom: 3px solid var(--info); padding: 8px 0 6px; }
.app-header h1 { margin: 0; font-size: 24px; }
.intro { margin: 6px 0; }
.lang label { margin-left: 12px; }
.intro { color: var(--muted); }
.field { margin: 6px 0 10px; }
.field > label { display: block; font-weight: 600; margin-bottom: 4px; }
.help { color: var(--muted); font-size: 13px; margin-top: 2px; }
.form-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0 32px; }
.field.base { display: grid; grid-template-columns: auto minmax(280px, 520px) 1fr; gap: 4px 12px; align-items: center; }
.field.base > label { margin: 0; } .field.base .help { margin: 0; }
.action-bar { position: sticky; bottom: 0; z-index: 10; background: white; border-top: 1px solid var(--line);
              box-shadow: 0 -4px 8px rgba(0, 0, 0, .04); margin-top: 6px; }
.field.reps .help { max-width: 330px; }
.panel { border: 1px solid var(--line); border-top: 0; padding: 10px 18px 4px; border-radius: 0 0 8px 8px; }
.panel .asks { font-size: 16px; margin: 6px 0 4px; }
.pair { display: grid; grid-template-columns: 110px 1fr; gap: 12px; align-items: center; }
.shares { display: grid; grid-template-columns: 1fr 100px; gap: 4px 12px; align-items: center; max-width: 460px; }
.total.bad { color: var(--bad); font-weight: 600; } .total.ok { color: var(--ok); }
.actions { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; margin: 4px 0 6px; }
.actions .field { margin: 0; }
.actions .run, .actions #progress { padding-top: 24px; }
input[type=number] { width: 100px; padding: 5px 8px; font-size: 15px; }
button.primary { font-size: 16px; padding: 8px 30px; background: var(--info); color: white; border: 0;
                 border-radius: 6px; cursor: pointer; }
button.secondary { font-size: 14px; padding: 6px 16px; background: white; color: var(--info);
                   border: 1px solid var(--info); border-radius: 6px; cursor: pointer; }
button:disabled { opacity: .45; cursor: not-allowed; }
#progress { color: var(--muted); padding-bottom: 8px; }
#message { color: var(--bad); font-weight: 600; margin: 4px 0 0; }
#message:empty { display: none; }
.result-bar { display: flex; justify-content: space-between; align-items: baseline; gap: 12px;
              border-bottom: 1px solid var(--line); margin-top: 18px; }
.result-bar h2 { border: 0; margin: 8px 0 4px; }
.cli code { font-size: 12px; word-break: break-all; }
.field > .dash-input, .pair > .dash-input { max-width: 150px; }
td:not(:first-child) { white-space: nowrap; }
"""


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
    """A number box with the bounds the server checks (app_checks.FIELDS)."""
    f = FIELDS[key]
    return dcc.Input(id=key, type="number", min=f.lo, max=f.hi, step=f.step, value=f.default, required=True,
                     inputMode="numeric" if f.whole else "decimal")


def slider(key: str, **kw: Any) -> dcc.Slider:
    f = FIELDS[key]
    return dcc.Slider(id=key, min=f.lo, max=f.hi, step=f.step, value=f.default, marks=SLIDER_MARKS.get(key),
                      tooltip={"placement": "bottom"}, **kw)


def options(key: str, lang: str) -> list[dict[str, str]]:
    values, prefix = OPTIONS[key]
    return [{"label": text(lang, prefix + v), "value": v} for v in values]


def base_options(cat: dict[str, BaseScenario], lang: str) -> list[dict[str, str]]:
    """The base scenarios by id: the embedded region, then each file with its description."""
    return [{"label": text(lang, "embedded") if b.embedded else f"{b.id}: {b.scenario.describe(lang) or b.scenario.scenario}",
             "value": b.id} for b in cat.values()]


def practice_options(base: BaseScenario, lang: str) -> list[dict[str, str]]:
    return [{"label": pool_label(p, base.scenario, lang), "value": p} for p in base.practices]


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
        html.Div(id=f"result-{question}", **{"aria-live": "polite"}),
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
        dcc.Store(id="job"), dcc.Store(id="msg"), dcc.Store(id="shown-impact"), dcc.Store(id="shown-compare"),
        dcc.Interval(id="poll", interval=500, disabled=True),
        dcc.Download(id="download"),
    ])


def index_string() -> str:
    """Dash's page with the reports' stylesheet (the key figures look the same) and the app's."""
    css = (resources.files("sim.present") / "templates" / "report.css").read_text(encoding="utf-8")
    return ("<!DOCTYPE html><html lang='nl'><head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}"
            f"<style>{css}{APP_CSS}</style></head><body>{{%app_entry%}}<footer>{{%config%}}{{%scripts%}}"
            "{%renderer%}</footer></body></html>")


# ------------------------------------------------------------------------------ callbacks

RUN_STATES = ("lang", "question", "base", "replications", "weeks", "residents", "kind", "sector", "behandeling",
              "spread", "practice", "behandeldienst", "arrangements", "gp", "growth", "resolve")


def share_pairs() -> list[tuple[Any, Any]]:
    """(practice id, %) of the share boxes, from the request itself (pattern-matching state)."""
    for item in callback_context.states_list:
        if isinstance(item, list):
            return [((s.get("id") or {}).get("practice") if isinstance(s.get("id"), dict) else None, s.get("value"))
                    for s in item if isinstance(s, dict)]
    return []


def show_error(err: Exception) -> None:
    """Dash's on_error: an unexpected failure in any callback becomes one line in the page
    (and the traceback on stderr) instead of an HTTP 500; Run is usable again."""
    print("mgz-sim app: a callback failed:\n" + "".join(traceback.format_exception(err)), file=sys.stderr)
    given = {**callback_context.inputs, **callback_context.states}
    lang = language(given.get("lang.value"))
    set_props("message", {"children": text(lang, "msg_crashed", detail=type(err).__name__)})
    set_props("run", {"disabled": False})
    set_props("poll", {"disabled": True})
    # returning None: every output of the failed callback stays as it was


def register(app: dash.Dash, cat: dict[str, BaseScenario], board: JobBoard, out_root: Path, workers: int) -> None:
    """Every callback of the page, by what it is for."""
    _language(app, cat)
    _form(app, cat)
    _page(app)
    _run(app, cat, board, out_root, workers)
    for question, view in (("impact", impact_view), ("compare", compare_view)):
        _answer(app, board, question, view)
    _download(app, board)


def _language(app: dash.Dash, cat: dict[str, BaseScenario]) -> None:
    """Every text of the page, the pickers' words and the message, in the chosen language."""

    @app.callback(Output({"t": ALL}, "children"), Output("base", "options"),
                  *(Output(k, "options") for k in OPTIONS), Output("tab-impact", "label"),
                  Output("tab-compare", "label"), Output("practice", "placeholder"),
                  Output("message", "children", allow_duplicate=True),
                  Input("lang", "value"), State("msg", "data"), prevent_initial_call="initial_duplicate")
    def relabel(lang: Any, msg: Any) -> tuple[Any, ...]:
        lang = language(lang)
        keys = [o["id"]["t"].split("#")[0] for o in callback_context.outputs_list[0]]
        return ([text(lang, k) for k in keys], base_options(cat, lang), *(options(k, lang) for k in OPTIONS),
                text(lang, "tab_impact"), text(lang, "tab_compare"), text(lang, "choose"), message(lang, msg))

    app.clientside_callback(  # <html lang> for screen readers, and the tab's title
        "function(lang) { document.documentElement.lang = lang === 'nl' ? 'nl' : 'en';"
        f" document.title = lang === 'nl' ? {WORDS['title'][1]!r} : {WORDS['title'][0]!r};"
        " return window.dash_clientside.no_update; }",
        Output("lang", "id"), Input("lang", "value"))


def _form(app: dash.Dash, cat: dict[str, BaseScenario]) -> None:
    """The form follows itself: pickers from the base scenario, what is shown, box and slider."""

    @app.callback(Output("practice", "options"), Output("practice", "value"), Output("behandeldienst", "options"),
                  Output("behandeldienst", "value"), Output("shares", "children"),
                  Output("msg", "data", allow_duplicate=True), Output("message", "children", allow_duplicate=True),
                  Input("base", "value"), Input("lang", "value"), prevent_initial_call=True)
    def pickers(base_id: Any, lang: Any) -> tuple[Any, ...]:
        """The practice and behandeldienst pickers list the chosen base scenario's own."""
        lang = language(lang)
        try:
            base = base_scenario(base_id, cat)
        except Refused as exc:
            msg = refusal(exc)
            return [], None, [], None, [], msg, message(lang, msg)
        if callback_context.triggered_id == "lang":  # names only: keep what the user chose
            return (practice_options(base, lang), no_update, behandeldienst_options(base, lang), no_update,
                    no_update, no_update, no_update)
        return (practice_options(base, lang), base.practices[0] if base.practices else None,
                behandeldienst_options(base, lang), base.behandeldiensten[0] if base.behandeldiensten else None,
                share_rows(base, lang), None, "")

    @app.callback(Output("panel-impact", "style"), Output("panel-compare", "style"), Output("wrap-impact", "style"),
                  Output("wrap-compare", "style"), Output("gp-block", "style"), Output("bd-block", "style"),
                  Output("one-practice", "style"), Output("several-practices", "style"),
                  Input("question", "value"), Input("behandeling", "value"), Input("spread", "value"))
    def visible(question: Any, behandeling: Any, spread: Any) -> tuple[dict[str, str], ...]:
        """Only the chosen question's inputs and answer; the GP picker or the behandeldienst."""
        def on(x: bool) -> dict[str, str]:
            return SHOWN if x else HIDDEN
        impact, met, several = question != "compare", behandeling == "met", spread == "several"
        return (on(impact), on(not impact), on(impact), on(not impact), on(not met), on(met), on(not several),
                on(several))

    @app.callback(Output("residents", "value"), Output("residents-slider", "value"),
                  Input("residents", "value"), Input("residents-slider", "value"), prevent_initial_call=True)
    def residents(box: Any, slide: Any) -> tuple[Any, Any]:
        """The box and the slider show the same number (the box only when it holds a valid one)."""
        if callback_context.triggered_id == "residents-slider":
            return slide, no_update
        try:
            return no_update, whole(box, "residents")
        except Refused:
            return no_update, no_update

    @app.callback(Output("shares-total", "children"), Output("shares-total", "className"),
                  Input({"type": "share", "practice": ALL}, "value"), Input("lang", "value"))
    def shares_total(values: Any, lang: Any) -> tuple[str, str]:
        total = sum(v for v in (values or []) if isinstance(v, (int, float)) and not isinstance(v, bool))
        return text(language(lang), "shares_total", total=total), "total ok" if total == 100 else "total bad"

    @app.callback(Output("resolve", "disabled"), Input("arrangements", "value"))
    def resolve_only_with_voorwacht(arrangements: Any) -> bool:
        return not (isinstance(arrangements, list) and "voorwacht" in arrangements)


def _page(app: dash.Dash) -> None:
    """What the browser does by itself: disable Run at the click, show the answer or a message."""
    for question in QUESTIONS:  # a new answer is scrolled into view: the answer comes first
        app.clientside_callback(
            "function(job) { if (job) { setTimeout(function() { var el = document.getElementById('wrap-"
            + question + "'); if (el) { el.scrollIntoView({behavior: 'smooth'}); } }, 300); }"
            " return window.dash_clientside.no_update; }",
            Output(f"wrap-{question}", "id"), Input(f"shown-{question}", "data"), prevent_initial_call=True)

    app.clientside_callback(  # a message is scrolled into view: it must not appear below the fold
        "function(text) { if (text) { var el = document.getElementById('message');"
        " if (el) { el.scrollIntoView({block: 'nearest'}); } } return window.dash_clientside.no_update; }",
        Output("message", "id"), Input("message", "children"), prevent_initial_call=True)

    # Run is disabled in the browser at the click, before the server answers: a double click starts one job
    app.clientside_callback("function(n) { return true; }", Output("run", "disabled", allow_duplicate=True),
                            Input("run", "n_clicks"), prevent_initial_call=True)


def _run(app: dash.Dash, cat: dict[str, BaseScenario], board: JobBoard, out_root: Path, workers: int) -> None:
    """Run: check, start (at most board.max_jobs at once), follow the progress, end."""

    @app.callback(Output("msg", "data"), Output("message", "children"), Output("job", "data"),
                  Output("poll", "disabled"), Output("run", "disabled", allow_duplicate=True),
                  Output("progress", "children"),
                  Input("run", "n_clicks"), *(State(s, "value") for s in RUN_STATES),
                  State({"type": "share", "practice": ALL}, "value"), prevent_initial_call=True)
    def start(_: Any, *values: Any) -> tuple[Any, ...]:
        """Check every value, then start the question's calculation (or say why not)."""
        v = dict(zip(RUN_STATES, values))
        lang = language(v["lang"])

        def refuse(msg: dict[str, Any]) -> tuple[Any, ...]:
            return msg, message(lang, msg), no_update, True, False, ""
        try:
            question = choice(v["question"], QUESTIONS, "question")
            base = base_scenario(v["base"], cat)
            run = common(v["replications"], v["weeks"])
            if question == "impact":
                ask = impact_ask(base, v["residents"], v["kind"], v["sector"], v["behandeling"], v["spread"],
                                 v["practice"], share_pairs(), v["behandeldienst"])
                answer = app_questions.answer_impact
            else:
                ask = compare_ask(base, v["arrangements"], v["gp"], v["growth"], v["resolve"])
                answer = app_questions.answer_compare
        except Refused as exc:
            return refuse(refusal(exc))
        job = board.start(question, lambda progress: answer(ask, run, out_root, workers, lang, progress))
        if job is None:
            return refuse({"key": "msg_busy", "args": {"n": board.max_jobs}})
        return None, "", job.id, False, True, text(lang, "starting")

    @app.callback(Output("progress", "children", allow_duplicate=True), Output("poll", "disabled", allow_duplicate=True),
                  Output("run", "disabled", allow_duplicate=True), Output("shown-impact", "data"),
                  Output("shown-compare", "data"), Output("msg", "data", allow_duplicate=True),
                  Output("message", "children", allow_duplicate=True),
                  Input("poll", "n_intervals"), State("job", "data"), State("lang", "value"), prevent_initial_call=True)
    def poll(_: Any, job_id: Any, lang: Any) -> tuple[Any, ...]:
        """While a job runs: its progress, Run disabled. When it ends: its answer or why not."""
        lang = language(lang)
        job = board.get(job_id)
        if job is None:
            return "", True, False, no_update, no_update, no_update, no_update
        if job.finished is None:
            progress = text(lang, "progress", done=job.done, total=job.total) if job.total else text(lang, "starting")
            return progress, False, True, no_update, no_update, no_update, no_update
        if job.answer is not None:
            shown = [job.id if q == job.question else no_update for q in QUESTIONS]
            done = text(lang, "done", total=job.total, seconds=round(job.seconds, 1))
            return done, True, False, *shown, None, ""
        msg = {"key": "msg_failed", "args": {"detail": job.error}} if job.error else \
            {"key": "msg_crashed", "args": {"detail": job.crashed}}
        return "", True, False, no_update, no_update, msg, message(lang, msg)


def _download(app: dash.Dash, board: JobBoard) -> None:
    """The report of the answer on the page."""

    @app.callback(Output("download", "data"), Output("msg", "data", allow_duplicate=True),
                  Output("message", "children", allow_duplicate=True),
                  Input("download-impact", "n_clicks"), Input("download-compare", "n_clicks"),
                  State("shown-impact", "data"), State("shown-compare", "data"), State("lang", "value"),
                  prevent_initial_call=True)
    def download(_a: Any, _b: Any, shown_impact: Any, shown_compare: Any, lang: Any) -> tuple[Any, ...]:
        """The command line's report.html of the answer on the page, in the page's language."""
        lang = language(lang)
        job = board.get(shown_impact if callback_context.triggered_id == "download-impact" else shown_compare)
        if job is None or job.answer is None:
            msg = {"key": "msg_expired"}
            return no_update, msg, message(lang, msg)
        return report_file(job.answer, lang), None, ""


def _answer(app: dash.Dash, board: JobBoard, question: str, view: View) -> None:
    """The answer area of one question: redrawn when its job ends or the language changes."""

    @app.callback(Output(f"result-{question}", "children"), Output(f"download-{question}", "disabled"),
                  Input(f"shown-{question}", "data"), Input("lang", "value"))
    def answer(job_id: Any, lang: Any) -> tuple[Any, bool]:
        lang = language(lang)
        job: Job | None = board.get(job_id)
        if job is None or job.answer is None:
            return html.P(text(lang, f"empty_{question}"), className="note"), True
        a = job.answer
        return view(a.result, a.cli, lang, a.scenario, words(lang)), False


def report_file(answer: app_questions.Answer, lang: str) -> dict[str, Any]:
    """report.html of the answer's folder (build_report, as `mgz-sim report DIR --lang`),
    written in the page's language as one self-contained file (the charts inside) and sent
    as a download named after what it answers: impact-<location>-<date>.html."""
    with app_questions.REPORT_LOCK:
        return dcc.send_file(str(answer.report(lang, embed=True)), filename=app_questions.download_name(answer, lang),
                             type="text/html")


# ------------------------------------------------------------------------------ the app


def create_app(configs: Path | None = Path("configs"), workers: int | None = None,
               out_root: Path = Path("results/app"), host: str = "127.0.0.1", port: int | None = None) -> dash.Dash:
    """The app for the scenarios in `configs` (and the embedded example); its results
    folders go under `out_root`. `host`/`port` are where it will listen (the Host check)."""
    cat = catalogue(configs)
    board = JobBoard()
    out_root = Path(out_root).resolve()
    app = dash.Dash(__name__, title=WORDS["title"][1], update_title=None, on_error=show_error)
    app.index_string = index_string()
    index = app.interpolate_index

    def in_language(**parts: Any) -> str:  # <html lang> of the language the page opens in
        return index(**parts).replace("<html lang='nl'>", f"<html lang='{request_language()}'>", 1)
    app.interpolate_index = in_language
    guard(app.server, host, port)
    app.layout = lambda: layout(cat, request_language())  # Dutch, or English when the browser prefers it
    register(app, cat, board, out_root, workers or default_workers())
    app.mgz_jobs, app.mgz_catalogue = board, cat  # for tests and for whoever embeds the app
    return app


def serve(host: str = "127.0.0.1", port: int = 8050, configs: Path | None = Path("configs"),
          workers: int | None = None, out_root: Path = Path("results/app")) -> None:
    """Run the app (blocking) on host:port; warns on stderr when reachable from elsewhere."""
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    create_app(configs, workers, out_root, host, port).run(host=host, port=port, debug=False)
