"""Your own region in the app: a workbook (.xlsx, .ods, or the .csv files of one) uploaded
in the page, read on the server by the very reader `mgz-sim regio importeer` uses
(scenario/werkboek.py: the same checks, every problem with its sheet, row and column), and
offered as a base scenario for both questions.

What the page sends is checked first: a data URL of base64 of at most MAX_FILE bytes per
file, at most MAX_FILES files (several only for .csv: one per sheet), a file name ending in
.xlsx, .ods or .csv. The request that carries it may be larger than any other callback's
(guard.py: MAX_UPLOAD_BODY, this route only). A workbook that reads is written as a
resolved scenario file under out_root/uploads/<random id>/, so the command line the answer
shows runs it too (the workbook itself is not kept); the page only ever sends that random id
back. An app keeps at most
MAX_KEPT uploaded regions (the oldest is forgotten first); each page lists only its own.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import shutil
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update

from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_text, make_dir
from sim.present.app.catalogue import BaseScenario
from sim.present.app.checks import MAX_FILE, MAX_FILES, language
from sim.present.app.layout import base_options
from sim.present.app.words import text

MAX_KEPT = 20  # uploaded regions an app keeps
MAX_SHOWN = 60  # problems listed in the page; the rest are counted
SUFFIXES = (".xlsx", ".ods", ".csv")
UPLOAD_ID = "region-upload"  # the upload component; guard.py lets only its callback be large
_LOCK = threading.Lock()


class Unreadable(Exception):
    """An upload refused before it is read as a workbook: `key` names the message in words.py."""

    def __init__(self, key: str, **values: Any):
        super().__init__(key)
        self.key, self.values = key, values


def _files(contents: Any, names: Any) -> list[tuple[str, bytes]]:
    """(file name, bytes) of what the page sent, every part checked."""
    contents = contents if isinstance(contents, list) else [contents]
    names = names if isinstance(names, list) else [names]
    if not contents or len(contents) != len(names) or len(contents) > MAX_FILES:
        raise Unreadable("up_count", n=MAX_FILES)
    out = []
    for content, name in zip(contents, names):
        if not isinstance(name, str) or Path(name).suffix.lower() not in SUFFIXES:
            raise Unreadable("up_kind")
        if not isinstance(content, str) or ";base64," not in content[:200]:
            raise Unreadable("up_broken")
        data = content.split(";base64,", 1)[1]
        if len(data) > (MAX_FILE * 4) // 3 + 4:
            raise Unreadable("up_large", mb=MAX_FILE / 1024 / 1024)
        try:
            out.append((name, base64.b64decode(data, validate=True)))
        except (binascii.Error, ValueError):
            raise Unreadable("up_broken") from None
    if len(out) > 1 and any(Path(n).suffix.lower() != ".csv" for n, _ in out):
        raise Unreadable("up_count", n=MAX_FILES)
    return out


def _safe(name: str) -> str:
    """A file name of the upload that is safe on disk: letters, digits, - and _ only."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-")[:60] or "regio"
    return stem + Path(name).suffix.lower()


def accept(contents: Any, names: Any, cat: dict[str, BaseScenario], root: Path) -> dict[str, Any]:
    """Read an upload; the answer as data for the page: {"ok": id, ...} or {"problems": [...]}
    (each with sheet, row, column and the text in both languages) or {"key": message}."""
    try:
        files = _files(contents, names)
    except Unreadable as exc:
        return {"key": exc.key, "args": exc.values}
    from sim.scenario.werkboek import read_workbook  # openpyxl / calamine only when a region comes
    from sim.scenario.werkboek_lezen import WorkbookError
    token = secrets.token_hex(8)
    folder = root / "uploads" / token
    make_dir(folder)
    for name, data in files:
        (folder / _safe(name)).write_bytes(data)
    where = folder if len(files) > 1 else folder / _safe(files[0][0])
    try:
        imported = read_workbook(where)
    except WorkbookError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return {"problems": [{"sheet": p.sheet, "row": p.row, "column": p.column, "en": p.en, "nl": p.nl}
                             for p in exc.problems[:MAX_SHOWN]], "more": max(0, len(exc.problems) - MAX_SHOWN),
                "file": files[0][0][:100]}
    except ScenarioError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return {"key": "up_refused", "args": {"detail": str(exc)[:600]}}
    from sim.scenario.loading import dump_scenario
    sc = imported.scenario
    path = folder / f"{Path(_safe(files[0][0])).stem}.yaml"
    atomic_write_text(path, dump_scenario(sc))
    for name, _ in files:  # the scenario file is what runs; the workbook itself is not kept
        (folder / _safe(name)).unlink(missing_ok=True)
    key = f"upload-{token}"
    with _LOCK:
        uploaded = [k for k, b in cat.items() if b.uploaded]
        for old in uploaded[:max(0, len(uploaded) - MAX_KEPT + 1)]:
            cat.pop(old, None)
        cat[key] = BaseScenario(key, path.resolve(), sc, uploaded=True, label=files[0][0][:100])
    return {"ok": key, "region": sc.region.name, "practices": len(sc.practices), "locations": len(sc.locations),
            "residents": sum(loc.residents for loc in sc.locations), "file": files[0][0][:100]}


def status(result: Any, lang: str) -> Any:
    """What the page says about the last upload: the region read, or every problem per row."""
    if not isinstance(result, dict):
        return ""
    if "ok" in result:
        return html.P(text(lang, "up_ok", **{k: result[k] for k in ("file", "region", "practices", "locations",
                                                                       "residents")}), className="upload-ok")
    if "problems" in result:
        nl = lang == "nl"
        head = [text(lang, h) for h in ("up_sheet", "up_row", "up_column", "up_problem")]
        rows = [html.Tr([html.Td(p["sheet"]), html.Td("" if p["row"] is None else str(p["row"])),
                         html.Td(p["column"] or ""), html.Td(p["nl"] if nl else p["en"])]) for p in result["problems"]]
        more = [html.P(text(lang, "up_more", n=result["more"]))] if result.get("more") else []
        return html.Div(className="upload-bad", role="alert", children=[
            html.P(text(lang, "up_problems", file=result["file"], n=len(result["problems"]) + result.get("more", 0))),
            html.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)]), *more])
    if result.get("key") in ("up_count", "up_kind", "up_broken", "up_large", "up_refused", "up_crashed"):
        return html.P(text(lang, result["key"], **(result.get("args") or {})), className="upload-bad", role="alert")
    return ""


def register_upload(app: dash.Dash, cat: dict[str, BaseScenario], root: Path) -> None:
    """The upload: read it, offer the region read (and choose it), say what happened."""

    @app.callback(Output("upload-result", "data"), Output("uploads", "data"),
                  Output("base", "options", allow_duplicate=True), Output("base", "value", allow_duplicate=True),
                  Input(UPLOAD_ID, "contents"), State(UPLOAD_ID, "filename"), State("uploads", "data"),
                  State("lang", "value"), prevent_initial_call=True)
    def uploaded(contents: Any, names: Any, own: Any, lang: Any) -> tuple[Any, ...]:
        lang = language(lang)
        own = [k for k in own if isinstance(k, str) and k in cat] if isinstance(own, list) else []
        try:
            result = accept(contents, names, cat, root)
        except Exception as exc:  # noqa: BLE001 - a bug in reading must be a message, not a 500
            print("mgz-sim app: reading an upload failed:\n" + "".join(traceback.format_exception(exc)),
                  file=sys.stderr)
            result = {"key": "up_crashed", "args": {"detail": type(exc).__name__}}
        if "ok" not in result:
            return result, no_update, no_update, no_update
        own = [*own, result["ok"]][-MAX_KEPT:]
        return result, own, base_options(cat, lang, own), result["ok"]

    @app.callback(Output("upload-status", "children"), Input("upload-result", "data"), Input("lang", "value"))
    def show(result: Any, lang: Any) -> Any:
        return status(result, language(lang))

    @app.callback(Output("template-file", "data"), Input("template-button", "n_clicks"), prevent_initial_call=True)
    def template(_: Any) -> Any:
        """The empty workbook `mgz-sim regio sjabloon` writes: headers, example rows, dropdowns, explanation."""
        from sim.scenario.werkboek_schrijven import write_template
        path = root / "uploads" / "regio-sjabloon.xlsx"
        with _LOCK:
            if not path.exists():
                make_dir(path.parent)
                write_template(path)
        return dcc.send_file(str(path), filename="regio-sjabloon.xlsx")
