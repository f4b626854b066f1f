"""Run and answer: every value checked again, the question's calculation started in the
background (at most board.max_jobs at once), its progress followed, the answer drawn, and
its report downloaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
from dash import ALL, Input, Output, State, callback_context, dcc, html, no_update

from sim.present.app import questions
from sim.present.app.catalogue import BaseScenario
from sim.present.app.checks import QUESTIONS, Refused, base_scenario, choice, common, compare_ask, impact_ask, language
from sim.present.app.jobs import Job, JobBoard
from sim.present.app.results import View, compare_view, impact_view
from sim.present.app.words import message, refusal, text, words


def register_running(app: dash.Dash, cat: dict[str, BaseScenario], board: JobBoard, out_root: Path,
                     workers: int) -> None:
    """Run, the answer areas and the download."""
    _run(app, cat, board, out_root, workers)
    for question, view in (("impact", impact_view), ("compare", compare_view)):
        _answer(app, board, question, view)
    _download(app, board)

RUN_STATES = ("lang", "question", "base", "replications", "weeks", "residents", "kind", "sector", "behandeling",
              "spread", "practice", "behandeldienst", "arrangements", "gp", "growth", "resolve", "action", "name",
              "location")


def share_pairs() -> list[tuple[Any, Any]]:
    """(practice id, %) of the share boxes, from the request itself (pattern-matching state)."""
    for item in callback_context.states_list:
        if isinstance(item, list):
            return [((s.get("id") or {}).get("practice") if isinstance(s.get("id"), dict) else None, s.get("value"))
                    for s in item if isinstance(s, dict)]
    return []



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
            ask: Any  # an ImpactAsk or a CompareAsk, answered by the function of its question
            answer: Callable[..., questions.Answer]
            if question == "impact":
                ask = impact_ask(base, v["residents"], v["kind"], v["sector"], v["behandeling"], v["spread"],
                                 v["practice"], share_pairs(), v["behandeldienst"], v["action"] or "new",
                                 v["name"], v["location"])
                answer = questions.answer_impact
            else:
                ask = compare_ask(base, v["arrangements"], v["gp"], v["growth"], v["resolve"])
                answer = questions.answer_compare
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


def report_file(answer: questions.Answer, lang: str) -> dict[str, Any]:
    """report.html of the answer's folder (build_report, as `mgz-sim report DIR --lang`),
    written in the page's language as one self-contained file (the charts inside) and sent
    as a download named after what it answers: impact-<location>-<date>.html."""
    with questions.REPORT_LOCK:
        return dcc.send_file(str(answer.report(lang, embed=True)), filename=questions.download_name(answer, lang),
                             type="text/html")

