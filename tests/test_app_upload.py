"""Your own region in the app, over HTTP as the browser sends it: a workbook uploaded is
read by the same reader as `mgz-sim regio importeer` and offered as the base scenario; a bad
one lists every problem per row in the page (200, never 500); a file too large is refused;
and a new location asked on the uploaded region carries the user's own names."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from sim.present.app.guard import MAX_BODY, MAX_UPLOAD_BODY
from sim.present.app.upload import MAX_FILE

from .test_app_http import PRACTICES, RUN_STATES, app_server, client  # noqa: F401 - the shared server
from .test_own_region import SHEETS, write_xlsx


def _data_url(data: bytes) -> str:
    return "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," + \
        base64.b64encode(data).decode()


def upload(client: Any, files: list[tuple[str, bytes]], lang: str = "nl", own: list[str] | None = None
           ) -> requests.Response:
    """The body Dash's page sends when a file is dropped on the upload box."""
    dep = client.dep("region-upload.contents")
    body = {"output": dep["output"], "outputs": client._outputs(dep["output"]),
            "inputs": [{"id": "region-upload", "property": "contents", "value": [_data_url(d) for _, d in files]}],
            "changedPropIds": ["region-upload.contents"],
            "state": [{"id": "region-upload", "property": "filename", "value": [n for n, _ in files]},
                      {"id": "uploads", "property": "data", "value": own or []},
                      {"id": "lang", "property": "value", "value": lang}]}
    return requests.post(client.url + "_dash-update-component", data=json.dumps(body),
                         headers={"Content-Type": "application/json"}, timeout=30)


def shown(client: Any, result: Any, lang: str = "nl") -> str:
    """The upload's status area as the page draws it, as text."""
    r = client.post("upload-result.data", {"upload-result": result, "lang": lang})
    assert r.status_code == 200
    return json.dumps(r.json()["response"]["upload-status"]["children"], ensure_ascii=False)


def test_a_good_workbook_becomes_the_base_scenario(client, tmp_path):
    book = write_xlsx(tmp_path / "westerkwartier.xlsx", SHEETS).read_bytes()
    r = upload(client, [("Westerkwartier regio.xlsx", book)])
    assert r.status_code == 200
    out = r.json()["response"]
    result, chosen = out["upload-result"]["data"], out["base"]["value"]
    assert result["ok"] == chosen and chosen.startswith("upload-")
    assert (result["region"], result["practices"], result["locations"]) == ("Regio Westerkwartier", 3, 4)
    assert {"label": "Regio Westerkwartier (geüpload: Westerkwartier regio.xlsx)", "value": chosen} in \
        out["base"]["options"]
    assert out["uploads"]["data"] == [chosen]
    assert "ingelezen: Regio Westerkwartier, 3 praktijken, 4 locaties, 150 bewoners" in shown(client, result)
    # the pickers offer the region's own practices, by their names
    picked = client.post("base.value", {"base": chosen, "lang": "nl"}).json()["response"]
    assert [o["label"] for o in picked["practice"]["options"]] == \
        ["Huisartsen Leek", "Praktijk Zuidhorn", "Gezondheidscentrum Grootegast"]
    # the file became a scenario the command line can run, under the app's results folder
    base = client.app.mgz_catalogue[chosen]
    assert base.path.suffix == ".yaml" and base.path.is_file() and base.scenario.region.inhabitants == 180000
    # another page does not see it; this page does, in either language (the language switch lists the same)
    from sim.present.app.layout import base_options
    assert chosen not in [o["value"] for o in base_options(client.app.mgz_catalogue, "en", [])]
    assert {"label": "Regio Westerkwartier (uploaded: Westerkwartier regio.xlsx)", "value": chosen} in \
        base_options(client.app.mgz_catalogue, "en", [chosen])


def test_a_bad_workbook_lists_every_problem_per_row_in_the_page(client, tmp_path):
    bad = {**SHEETS, "locaties": [SHEETS["locaties"][0],
                                  ("De Eik", None, "veel", "kleinschalig", "PG", "nee", "Huisartsen Leek", None, 6, 18),
                                  ("Het Anker", None, 16, "kleinschalig", "XYZ", "nee", "Huisartsen Lek", None, 9, 25)]}
    r = upload(client, [("regio.xlsx", write_xlsx(tmp_path / "bad.xlsx", bad).read_bytes())])
    assert r.status_code == 200
    out = r.json()["response"]
    assert "base" not in out and "uploads" not in out  # nothing offered
    result = out["upload-result"]["data"]
    where = {(p["sheet"], p["row"], (p["column"] or "").split(" (")[0]) for p in result["problems"]}
    assert {("locaties", 2, "bewoners"), ("locaties", 3, "zorgprofiel"), ("locaties", 3, "huisartspraktijk")} <= where
    nl, en = shown(client, result, "nl"), shown(client, result, "en")
    assert "niets ingelezen" in nl and "Rij" in nl and "Huisartsen Leek" in nl  # did-you-mean, in Dutch
    assert "nothing was read" in en and "Row" in en


@pytest.mark.parametrize("files, key", [
    ([("regio.pdf", b"%PDF-1.4")], "up_kind"),
    ([("regio.xlsx", b"not a zip at all")], "up_refused"),
    ([("a.xlsx", b"x"), ("b.xlsx", b"y")], "up_count"),
])
def test_a_file_that_is_no_workbook_is_one_sentence(client, files, key):
    r = upload(client, files)
    assert r.status_code == 200
    result = r.json()["response"]["upload-result"]["data"]
    assert result["key"] == key
    assert shown(client, result).count("upload-bad") == 1


def test_too_large_is_refused(client):
    # a file over the app's bound inside a body the door lets through: one sentence in the page
    r = upload(client, [("groot.xlsx", b"\0" * (MAX_FILE + 10))])
    assert r.status_code == 200 and r.json()["response"]["upload-result"]["data"]["key"] == "up_large"
    # a body over the upload's bound: refused at the door
    r = upload(client, [("groter.xlsx", b"\0" * (MAX_UPLOAD_BODY))])
    assert r.status_code == 413
    # a large body is allowed for the upload only: any other callback stays at MAX_BODY
    r = client.post("base.value", {"base": "x" * (MAX_BODY + 10), "lang": "nl"})
    assert r.status_code == 413
    # a crafted upload body still has to be the upload's: a large body naming another output is refused
    dep = client.dep("run.n_clicks")
    body = {"output": dep["output"], "outputs": client._outputs(dep["output"]), "inputs": [], "state": [],
            "changedPropIds": [], "pad": "x" * (MAX_BODY + 10)}
    assert requests.post(client.url + "_dash-update-component", json=body, timeout=10).status_code == 413
