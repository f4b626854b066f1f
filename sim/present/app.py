"""The what-if web app for policy makers (`run_sim.py app`): pick a base scenario, switch
arrangements on and off, move sliders, run replications in the background, and see the
KPIs against the base scenario with intervals, in the same charts as the report.

It binds to 127.0.0.1 unless told otherwise, and only ever runs validated scenarios:
a bad value shows a message in the page, never a traceback.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from sim.analysis.metrics import aggregate, paired_differences
from sim.errors import ScenarioError
from sim.experiments.executor import default_workers, run_tasks
from sim.experiments.runner import compared_kpis, run_replication
from sim.fmt import digits_for, fmt_ci, fmt_value
from sim.present.report import LOAD_KPIS, difference_figure, kpi_label
from sim.present.whatif import ARRANGEMENTS, WhatIf, compose, validate
from sim.scenario.loading import default_scenario_path, load_scenario

JOBS: dict[str, dict[str, Any]] = {}
SHOWN = LOAD_KPIS + ["response.wlz.U1.within_norm", "response.wlz.U2.within_norm", "response.wlz.U4.within_norm",
                     "response.wlz.U2.physician_p90_min"]


def _kpis_of(sc_data: dict[str, Any], replication: int) -> dict[str, float]:
    from sim.scenario.config import Scenario
    return run_replication(Scenario.model_validate(sc_data), replication).kpis


def _job(job_id: str, base: dict[str, Any], variant: dict[str, Any], reps: int, workers: int) -> None:
    state = JOBS[job_id]
    try:
        tasks = [((name, r), (data, r)) for name, data in (("base", base), ("variant", variant)) for r in range(reps)]
        results: dict[tuple[str, int], dict[str, float]] = {}
        for out in run_tasks(_kpis_of, tasks, workers, quiet=True):
            if out.error:
                raise RuntimeError(out.error)
            results[out.key] = out.value
            state["done"] += 1
        a = [results[("base", r)] for r in range(reps)]
        b = [results[("variant", r)] for r in range(reps)]
        names = compared_kpis(set().union(*a, *b))
        state["result"] = {"base": aggregate(a), "variant": aggregate(b), "difference": paired_differences(a, b, names)}
    except Exception as exc:  # shown in the page
        state["error"] = str(exc)
    finally:
        state["finished"] = True


def scenario_options(configs: Path | None) -> list[dict[str, str]]:
    opts = [{"label": "Regio Voorbeeld (embedded baseline)", "value": str(default_scenario_path())}]
    if configs and configs.is_dir():
        opts += [{"label": p.name, "value": str(p)} for p in sorted(configs.glob("*.yaml"))]
    return opts


def create_app(configs: Path | None = Path("configs"), workers: int | None = None) -> dash.Dash:
    app = dash.Dash(__name__, title="mgz-sim what-if")
    workers = workers or default_workers()
    slider = lambda id_, lo, hi, step, value, marks: dcc.Slider(  # noqa: E731
        id=id_, min=lo, max=hi, step=step, value=value, marks=marks, tooltip={"placement": "bottom"})
    app.layout = html.Div(style={"fontFamily": "system-ui, sans-serif", "maxWidth": "1200px", "margin": "auto"}, children=[
        html.H1("mgz-sim: what if?"),
        html.Div(style={"display": "grid", "gridTemplateColumns": "1fr 1fr", "gap": "24px"}, children=[
            html.Div([
                html.Label("Base scenario"),
                dcc.Dropdown(id="base", options=scenario_options(configs), value=str(default_scenario_path()),
                             clearable=False),
                html.Label("Arrangements", style={"marginTop": "12px", "display": "block"}),
                dcc.Checklist(id="arrangements", options=[{"label": f" {v}", "value": k} for k, v in ARRANGEMENTS.items()],
                              value=[], labelStyle={"display": "block"}),
            ]),
            html.Div([
                html.Label("Residents of a new kleinschalige woonvorm (0 = none)"),
                slider("residents", 0, 60, 1, 0, {0: "0", 24: "24", 60: "60"}),
                html.Label("GP time for the locations (% of today)"),
                slider("gp", 30, 100, 5, 100, {30: "30%", 70: "70%", 100: "100%"}),
                html.Label("Demand growth (%)"),
                slider("growth", 0, 30, 1, 0, {0: "0", 11.4: "2040", 30: "30%"}),
                html.Label("Voorwacht: share of U5 questions settled (%)"),
                slider("resolve", 0, 100, 5, 45, {0: "0", 45: "45", 100: "100"}),
                html.Div(style={"display": "flex", "gap": "16px", "marginTop": "8px"}, children=[
                    html.Label(["Replications ", dcc.Input(id="replications", type="number", value=3, debounce=True,
                                                            style={"width": "70px"})]),
                    html.Label(["Weeks ", dcc.Input(id="weeks", type="number", value=13, debounce=True,
                                                     style={"width": "70px"})]),
                ]),
            ]),
        ]),
        html.Button("Run", id="run", n_clicks=0, style={"marginTop": "16px", "fontSize": "16px", "padding": "6px 24px"}),
        html.Div(id="message", role="alert", style={"color": "#b00020", "marginTop": "8px"}),
        html.Div(id="progress", style={"marginTop": "8px"}),
        dcc.Store(id="job"),
        dcc.Interval(id="poll", interval=500, disabled=True),
        dcc.Graph(id="difference", figure=difference_figure({}, "Run to see the difference with the base scenario")),
        html.Div(id="table"),
    ])

    @app.callback(Output("message", "children"), Output("job", "data"), Output("poll", "disabled"),
                  Output("progress", "children", allow_duplicate=True),
                  Input("run", "n_clicks"),
                  State("base", "value"), State("arrangements", "value"), State("residents", "value"),
                  State("gp", "value"), State("growth", "value"), State("resolve", "value"),
                  State("replications", "value"), State("weeks", "value"), prevent_initial_call=True)
    def start(_, base_path, arrangements, residents, gp, growth, resolve, reps, weeks):
        try:
            w = WhatIf(arrangements=list(arrangements or []), new_residents=int(residents or 0),
                       gp_capacity=(gp or 0) / 100, growth=(growth or 0) / 100, resolve_u5=(resolve or 0) / 100,
                       replications=reps if isinstance(reps, int) else -1,
                       weeks=weeks if isinstance(weeks, int) else -1)
            base_sc = load_scenario(base_path, {"region.weeks": w.weeks if 1 <= w.weeks <= 104 else 13})
            base = base_sc.model_dump(mode="json", exclude_none=True)
            variant = compose(base, w)
            validate(variant)
        except ScenarioError as exc:
            return f"Cannot run: {exc}", None, True, ""
        job_id = uuid.uuid4().hex
        JOBS[job_id] = {"done": 0, "total": 2 * w.replications, "finished": False}
        threading.Thread(target=_job, args=(job_id, base, variant, w.replications, workers), daemon=True).start()
        return "", job_id, False, f"Running 0 of {2 * w.replications} replications..."

    @app.callback(Output("progress", "children"), Output("difference", "figure"), Output("table", "children"),
                  Output("poll", "disabled", allow_duplicate=True), Output("message", "children", allow_duplicate=True),
                  Input("poll", "n_intervals"), State("job", "data"), prevent_initial_call=True)
    def poll(_, job_id):
        state = JOBS.get(job_id or "")
        if state is None:
            return dash.no_update, dash.no_update, dash.no_update, True, dash.no_update
        if not state["finished"]:
            return (f"Running {state['done']} of {state['total']} replications...", dash.no_update, dash.no_update,
                    False, dash.no_update)
        if "error" in state:
            return "", dash.no_update, dash.no_update, True, f"The run failed: {state['error']}"
        res = state["result"]
        diff = res["difference"]
        shown = [n for n in SHOWN if n in diff and diff[n].get("n")]
        shown += sorted(n for n in diff if n.endswith(":doctor.utilisation"))  # every HAP's doctors
        load = [n for n in LOAD_KPIS if n in shown and diff[n]["mean"] != 0] or [n for n in LOAD_KPIS if n in shown]
        fig = difference_figure(diff, "Load: what-if minus base scenario (per week, 95% CI, common random numbers)",
                                load)
        return (f"Done: {state['total']} replications.", fig, kpi_table(res, shown), True, "")

    return app


def kpi_table(res: dict[str, Any], names: list[str]) -> html.Table:
    rows = []
    for n in names:
        d = digits_for(n)
        base, var, diff = res["base"].get(n, {}), res["variant"].get(n, {}), res["difference"][n]
        rows.append(html.Tr([html.Td(kpi_label(n), title=n), html.Td(fmt_value(base.get("mean"), d)),
                             html.Td(fmt_value(var.get("mean"), d)), html.Td(fmt_ci(diff, d, signed=True))]))
    head = html.Tr([html.Th(h) for h in ("KPI", "base", "what-if", "difference (95% CI)")])
    return html.Table([html.Thead(head), html.Tbody(rows)], id="kpi-table",
                      style={"borderCollapse": "collapse", "marginTop": "12px"})


def serve(host: str = "127.0.0.1", port: int = 8050, configs: Path | None = Path("configs"),
          workers: int | None = None) -> None:
    create_app(configs, workers).run(host=host, port=port, debug=False)
