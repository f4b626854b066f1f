"""The callbacks that keep the page in step with itself: every text in the chosen
language, the pickers from the chosen base scenario, what is shown for the chosen question,
the residents' box and slider, and what the browser does by itself (Run disabled at the
click, an answer or a message scrolled into view)."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, callback_context, no_update

from sim.present.app.catalogue import BaseScenario
from sim.present.app.checks import QUESTIONS, Refused, base_scenario, language, whole
from sim.present.app.layout import (
    HIDDEN,
    OPTIONS,
    SHOWN,
    base_options,
    behandeldienst_options,
    location_options,
    options,
    practice_options,
    share_rows,
)
from sim.present.app.words import WORDS, message, refusal, text


def register_form(app: dash.Dash, cat: dict[str, BaseScenario]) -> None:
    """The language, the form and the page's own behaviour."""
    _language(app, cat)
    _form(app, cat)
    _page(app)


def _language(app: dash.Dash, cat: dict[str, BaseScenario]) -> None:
    """Every text of the page, the pickers' words and the message, in the chosen language."""

    @app.callback(Output({"t": ALL}, "children"), Output("base", "options"),
                  *(Output(k, "options") for k in OPTIONS), Output("tab-impact", "label"),
                  Output("tab-compare", "label"), Output("practice", "placeholder"), Output("name", "placeholder"),
                  Output("message", "children", allow_duplicate=True),
                  Input("lang", "value"), State("msg", "data"), State("uploads", "data"),
                  prevent_initial_call="initial_duplicate")
    def relabel(lang: Any, msg: Any, own: Any) -> tuple[Any, ...]:
        lang = language(lang)
        keys = [o["id"]["t"].split("#")[0] for o in callback_context.outputs_list[0]]
        return ([text(lang, k) for k in keys], base_options(cat, lang, own), *(options(k, lang) for k in OPTIONS),
                text(lang, "tab_impact"), text(lang, "tab_compare"), text(lang, "choose"),
                text(lang, "name_placeholder"), message(lang, msg))

    app.clientside_callback(  # <html lang> for screen readers, and the tab's title
        "function(lang) { document.documentElement.lang = lang === 'nl' ? 'nl' : 'en';"
        f" document.title = lang === 'nl' ? {WORDS['title'][1]!r} : {WORDS['title'][0]!r};"
        " return window.dash_clientside.no_update; }",
        Output("lang", "id"), Input("lang", "value"))


def _form(app: dash.Dash, cat: dict[str, BaseScenario]) -> None:
    """The form follows itself: pickers from the base scenario, what is shown, box and slider."""

    @app.callback(Output("practice", "options"), Output("practice", "value"), Output("behandeldienst", "options"),
                  Output("behandeldienst", "value"), Output("shares", "children"),
                  Output("location", "options"), Output("location", "value"),
                  Output("msg", "data", allow_duplicate=True), Output("message", "children", allow_duplicate=True),
                  Input("base", "value"), Input("lang", "value"), prevent_initial_call=True)
    def pickers(base_id: Any, lang: Any) -> tuple[Any, ...]:
        """The practice, behandeldienst and location pickers list the chosen base scenario's own."""
        lang = language(lang)
        try:
            base = base_scenario(base_id, cat)
        except Refused as exc:
            msg = refusal(exc)
            return [], None, [], None, [], [], None, msg, message(lang, msg)
        if callback_context.triggered_id == "lang":  # names only: keep what the user chose
            return (practice_options(base, lang), no_update, behandeldienst_options(base, lang), no_update,
                    no_update, no_update, no_update, no_update, no_update)
        locations = base.scenario.locations
        return (practice_options(base, lang), base.practices[0] if base.practices else None,
                behandeldienst_options(base, lang), base.behandeldiensten[0] if base.behandeldiensten else None,
                share_rows(base, lang), location_options(base), locations[0].id if locations else None, None, "")

    @app.callback(Output("residents", "value", allow_duplicate=True), Output("kind", "value"),
                  Output("sector", "value"), Output("behandeling", "value"), Output("spread", "value"),
                  Output("practice", "value", allow_duplicate=True),
                  Output("behandeldienst", "value", allow_duplicate=True),
                  Output({"type": "share", "practice": ALL}, "value"),
                  Input("location", "value"), Input("action", "value"), State("base", "value"),
                  prevent_initial_call=True)
    def as_it_is(location: Any, action: Any, base_id: Any) -> tuple[Any, ...]:
        """Changing a location starts from the location as it is: its residents, kind,
        sector, physician and practice(s) fill the form."""
        shares = callback_context.outputs_list[-1]
        keep = (no_update,) * 7 + ([no_update] * len(shares),)
        if action != "change":
            return keep
        try:
            base = base_scenario(base_id, cat)
        except Refused:
            return keep
        loc = next((x for x in base.scenario.locations if x.id == location), None)
        if loc is None:
            return keep
        own = loc.practice_shares()
        first = max(own, key=lambda p: own[p]) if own else no_update
        return (loc.residents, loc.kind, loc.sector, "met" if loc.behandeling else "zonder",
                "several" if len(own) > 1 else "one", first, loc.behandeldienst or no_update,
                [round(own.get(o["id"]["practice"], 0) * 100) for o in shares])

    @app.callback(Output("panel-impact", "style"), Output("panel-compare", "style"), Output("wrap-impact", "style"),
                  Output("wrap-compare", "style"), Output("gp-block", "style"), Output("bd-block", "style"),
                  Output("one-practice", "style"), Output("several-practices", "style"),
                  Output("name-block", "style"), Output("location-block", "style"), Output("details", "style"),
                  Input("question", "value"), Input("behandeling", "value"), Input("spread", "value"),
                  Input("action", "value"))
    def visible(question: Any, behandeling: Any, spread: Any, action: Any) -> tuple[dict[str, str], ...]:
        """Only the chosen question's inputs and answer; the GP picker or the behandeldienst;
        a new location's name, or the existing location changed or closed (closing asks no more)."""
        def on(x: bool) -> dict[str, str]:
            return SHOWN if x else HIDDEN
        impact, met, several = question != "compare", behandeling == "met", spread == "several"
        return (on(impact), on(not impact), on(impact), on(not impact), on(not met), on(met), on(not several),
                on(several), on(action not in ("change", "remove")), on(action in ("change", "remove")),
                on(action != "remove"))

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

