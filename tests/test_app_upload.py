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
from sim.present.app.checks import BROWSER_MAX, MAX_FILE

from .test_app_http import app_server, client  # noqa: F401 - the shared server (client needs app_server)
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
    # the largest file the browser sends still gets its sentence, not a refusal the page cannot show
    r = upload(client, [("groot.xlsx", b"\0" * BROWSER_MAX)])
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


def _uploaded(client: Any, tmp_path: Path) -> str:
    book = write_xlsx(tmp_path / "westerkwartier.xlsx", SHEETS).read_bytes()
    return upload(client, [("westerkwartier.xlsx", book)]).json()["response"]["base"]["value"]


def _answer(client: Any, shares: list[tuple[str, Any]] | None = None, **values: Any) -> tuple[Any, str]:
    """Run the impact question with these values; the answer and the page's answer as text."""
    status, out = client.run(shares=shares or [], replications=1, weeks=1, **values)
    assert status == 200 and "job" in out, out
    job = out["job"]["data"]
    assert client.wait(job)["shown-impact"]["data"] == job
    shown = client.post("shown-impact.data", {"shown-impact": job, "lang": "nl"}).json()["response"]
    return client.app.mgz_jobs.jobs[job].answer, json.dumps(shown["result-impact"]["children"], ensure_ascii=False)


def test_a_new_location_on_the_uploaded_region_carries_the_users_names(client, tmp_path):
    from sim.present.app.questions import download_name
    base = _uploaded(client, tmp_path)
    answer, page = _answer(client, base=base, name="De Nieuwe Eik", residents=20, practice="P2")
    asked = "een nieuwe kleinschalige woonvorm 'De Nieuwe Eik' van 20 bewoners bij Praktijk Zuidhorn"
    assert f"Wat doet {asked} met de praktijk" in page  # the page's question: the user's name, the region's practice
    question = f"Gevolgen voor 'westerkwartier' van {asked}"
    assert "Praktijk Zuidhorn: zorgvragen per week" in page
    assert "name=De Nieuwe Eik" in answer.cli and "uploads" in answer.cli
    assert question in (answer.folder / "impact.txt").read_text(encoding="utf-8")
    with open(answer.report("nl"), encoding="utf-8") as f:
        assert "De Nieuwe Eik" in f.read()
    assert download_name(answer, "nl").startswith("impact-de-nieuwe-eik-kleinschalig-20-praktijk-zuidhorn-")


def test_an_existing_location_can_be_closed_or_changed(client, tmp_path):
    base = _uploaded(client, tmp_path)
    answer, page = _answer(client, base=base, action="remove", location="L02")
    assert "Wat doet het opheffen van locatie Het Anker met de praktijk" in page
    assert "Gevolgen voor 'westerkwartier' van het opheffen van locatie Het Anker" in \
        (answer.folder / "impact.txt").read_text(encoding="utf-8")
    assert answer.result["variants"] == ["zonder", "met"] and "--change-location L02:opheffen" in answer.cli
    from sim.present.decisions import impact_rows
    assert impact_rows(answer.result, "nl")[0] == ["", "zoals nu", "verandering"]  # no 'met' for a closure
    # De Eik (24 PG residents, 60/40 over Leek and Zuidhorn) grows to 30: only what changes is asked
    answer, page = _answer(client, base=base, action="change", location="L01", residents=30, spread="several",
                           shares=[("P1", 60), ("P2", 40), ("P3", 0)], kind="kleinschalig", sector="VV", behandeling="zonder")
    assert answer.result["changed_locations"] == {"L01": {"residents": 30}}
    assert "locatie De Eik gewijzigd (bewoners 30)" in page  # the change in Dutch words, not its key


@pytest.mark.parametrize("values, refused", [
    ({"name": "De Eik, Leek"}, "Naam van de nieuwe locatie: hoogstens 60 tekens"),
    ({"name": "x" * 61}, "Naam van de nieuwe locatie: hoogstens 60 tekens"),
    ({"action": "remove", "location": "../../etc/passwd"}, "Locatie: kies een van de aangeboden"),
    ({"action": "change", "location": "L01"}, "Locatie: er verandert nog niets"),
    ({"action": "wipe"}, "Wat verandert er: kies een van de aangeboden"),
])
def test_the_location_asked_is_checked_on_the_server(client, values, refused):
    base = {"residents": 20, "kind": "kleinschalig", "sector": "VV", "behandeling": "zonder", "spread": "one",
            "practice": "P1"}  # L01 of the example region: Het Anker, 20 residents at P1
    status, out = client.run(**{**base, **values})
    assert status == 200 and "job" not in out
    assert refused in out["message"]["children"]


def test_the_empty_workbook_downloads_from_the_page(client, tmp_path):
    r = client.post("template-button.n_clicks", {"template-button": 1})
    assert r.status_code == 200
    sent = r.json()["response"]["template-file"]["data"]
    assert sent["filename"] == "regio-sjabloon.xlsx" and sent["base64"]
    book = tmp_path / sent["filename"]
    book.write_bytes(base64.b64decode(sent["content"]))
    import openpyxl
    assert {"regio", "praktijken", "locaties", "uitleg"} <= set(openpyxl.load_workbook(book).sheetnames)


@pytest.mark.parametrize("contents, names, key", [
    ({"a": 1}, "regio.xlsx", "up_broken"),
    (["data:x;base64,!!!not base64!!!"], ["regio.xlsx"], "up_broken"),
    (["just text"], ["regio.xlsx"], "up_broken"),
    (["data:x;base64,AAAA"], [7], "up_kind"),
    (["data:x;base64,AAAA", "data:x;base64,AAAA"], ["regio.csv"], "up_count"),
    (["data:x;base64,AAAA"] * 5, ["a.csv"] * 5, "up_count"),
    ([], [], "up_count"),
])
def test_a_crafted_upload_is_one_sentence_never_a_500(client, contents, names, key):
    dep = client.dep("region-upload.contents")
    body = {"output": dep["output"], "outputs": client._outputs(dep["output"]),
            "inputs": [{"id": "region-upload", "property": "contents", "value": contents}],
            "changedPropIds": ["region-upload.contents"],
            "state": [{"id": "region-upload", "property": "filename", "value": names},
                      {"id": "uploads", "property": "data", "value": "not a list"},
                      {"id": "lang", "property": "value", "value": "nl"}]}
    r = requests.post(client.url + "_dash-update-component", data=json.dumps(body),
                      headers={"Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 200
    assert r.json()["response"]["upload-result"]["data"]["key"] == key


def test_an_uploaded_file_name_cannot_leave_the_upload_folder(client, tmp_path):
    book = write_xlsx(tmp_path / "w.xlsx", SHEETS).read_bytes()
    r = upload(client, [("../../../../tmp/evil name.xlsx", book)])
    chosen = r.json()["response"]["base"]["value"]
    path = client.app.mgz_catalogue[chosen].path
    root = path.parents[1]
    assert root.name == "uploads" and path.name == "evil-name.yaml"  # inside its own folder, name made safe
    assert [p.name for p in path.parent.iterdir()] == ["evil-name.yaml"]  # the workbook itself is not kept
