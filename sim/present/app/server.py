"""The what-if app put together: the catalogue of base scenarios, the job board, the page
and its callbacks behind the guard (Host check, size and shape limits), and `serve`, which
listens on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import dash
from dash import callback_context, set_props

from sim.experiments.executor import default_workers
from sim.present.app.catalogue import BaseScenario, catalogue
from sim.present.app.checks import language
from sim.present.app.form import register_form
from sim.present.app.guard import exposure_warning, guard
from sim.present.app.jobs import JobBoard
from sim.present.app.layout import index_string, layout, request_language
from sim.present.app.running import register_running
from sim.present.app.upload import register_upload
from sim.present.app.words import WORDS, text


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
    register_form(app, cat)
    register_running(app, cat, board, out_root, workers)
    register_upload(app, cat, out_root)


# ------------------------------------------------------------------------------ the app


def create_app(configs: Path | None = Path("configs"), workers: int | None = None,
               out_root: Path = Path("results/app"), host: str = "127.0.0.1", port: int | None = None) -> dash.Dash:
    """The app for the scenarios in `configs` (and the embedded example); its results
    folders go under `out_root`. `host`/`port` are where it will listen (the Host check)."""
    cat = catalogue(configs)
    board = JobBoard()
    out_root = Path(out_root).resolve()
    app = dash.Dash(__name__, title=WORDS["title"][1], update_title=None, on_error=show_error)  # type: ignore[arg-type]  # None: no "Updating..." title (Dash's documented value)
    app.index_string = index_string()
    index = app.interpolate_index

    def in_language(**parts: Any) -> str:  # <html lang> of the language the page opens in
        return index(**parts).replace("<html lang='nl'>", f"<html lang='{request_language()}'>", 1)
    app.interpolate_index = in_language  # type: ignore[method-assign,assignment]  # Dash's documented hook
    guard(app.server, host, port)
    app.layout = lambda: layout(cat, request_language())  # Dutch, or English when the browser prefers it
    register(app, cat, board, out_root, workers or default_workers())
    app.mgz_jobs, app.mgz_catalogue = board, cat  # type: ignore[attr-defined]  # for tests and for whoever embeds the app
    return app


def serve(host: str = "127.0.0.1", port: int = 8050, configs: Path | None = Path("configs"),
          workers: int | None = None, out_root: Path = Path("results/app")) -> None:
    """Run the app (blocking) on host:port; warns on stderr when reachable from elsewhere."""
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    create_app(configs, workers, out_root, host, port).run(host=host, port=port, debug=False)
