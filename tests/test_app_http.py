"""The what-if app over HTTP, the way a crafted client talks to it: a real werkzeug server on
127.0.0.1 and hand-written POSTs to /_dash-update-component (the body the page's renderer
sends; output names read from /_dash-dependencies). No browser: these run in seconds.

What they hold the app to: it runs only what it offers (scenario ids, never paths), every
value is checked on the server and a bad one is a sentence in the page (HTTP 200, never
500), at most two calculations at once, finished ones forgotten, the door closed to other
Host headers and large bodies, and the same results folder as the command line.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import threading
import time
from pathlib import Path
from typing import Any

import dash
import pytest
import requests

from sim.errors import ScenarioError
from sim.present.app import jobs as app_jobs, questions as app_questions
from sim.present.app import create_app, serve
from sim.present.app.words import WORDS

from .conftest import ROOT

RUN_STATES = {"lang": "nl", "question": "impact", "base": "voorbeeld", "replications": 1, "weeks": 2,
              "residents": 24, "kind": "kleinschalig", "sector": "VV", "behandeling": "zonder", "spread": "one",
              "practice": "P1", "behandeldienst": "BD-VV", "arrangements": [], "gp": 100, "growth": 0, "resolve": 45}
PRACTICES = ["P1", "P2", "P3", "P4", "P5", "P6"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """Posts to the app's callbacks by the id.property that triggers them."""

    def __init__(self, url: str, app: dash.Dash):
        self.url, self.app = url, app
        self.deps = requests.get(url + "_dash-dependencies", timeout=10).json()

    def dep(self, trigger: str) -> dict[str, Any]:
        """The server-side callback this input triggers (not the page's own clientside ones)."""
        return next(d for d in self.deps if not d.get("clientside_function")
                    and trigger in (f"{i['id']}.{i['property']}" for i in d["inputs"]))

    @staticmethod
    def _outputs(spec: str) -> list[dict[str, str]] | dict[str, str]:
        """'..a.b...c.d@hash..' -> [{id: a, property: b}, {id: c, property: d@hash}]."""
        parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
        outs = [dict(zip(("id", "property"), p.split(".", 1))) for p in parts]
        return outs if spec.startswith("..") else outs[0]

    def post(self, trigger: str, inputs: dict[str, Any], states: dict[str, Any] | None = None,
             shares: list[tuple[str, Any]] | None = None, **kw: Any) -> requests.Response:
        """The body Dash's renderer sends: the dependency's inputs and states in its order
        (a pattern-matching state: one entry per matching component)."""
        dep = self.dep(trigger)
        def entry(spec: dict[str, str], given: dict[str, Any]) -> Any:
            if spec["id"].startswith("{"):  # {"type": "share", "practice": ALL}
                return [{"id": {"type": "share", "practice": p}, "property": "value", "value": v} for p, v in shares or []]
            return {"id": spec["id"], "property": spec["property"], "value": given.get(spec["id"])}
        body = {"output": dep["output"], "outputs": self._outputs(dep["output"]),
                "inputs": [entry(i, inputs) for i in dep["inputs"]], "changedPropIds": [trigger],
                "state": [entry(s, states or {}) for s in dep["state"]]}
        # json.dumps writes Infinity and NaN as a crafted client may (requests' json= refuses them)
        headers = {"Content-Type": "application/json", **kw.pop("headers", {})}
        return requests.post(self.url + "_dash-update-component", data=json.dumps(body), headers=headers,
                             timeout=kw.pop("timeout", 10), **kw)

    def run(self, shares: list[tuple[str, Any]] | None = None, **values: Any) -> tuple[int, dict[str, Any]]:
        """Press Run with the page's values (RUN_STATES, changed by `values`)."""
        r = self.post("run.n_clicks", {"run": 1}, {**RUN_STATES, **values},
                      shares if shares is not None else [(p, 100 if p == "P1" else 0) for p in PRACTICES])
        return r.status_code, (r.json().get("response", {}) if r.status_code == 200 else {})

    def poll(self, job: str) -> dict[str, Any]:
        return self.post("poll.n_intervals", {"poll": 1}, {"job": job, "lang": "nl"}).json()["response"]

    def wait(self, job: str, timeout: float = 60) -> dict[str, Any]:
        end = time.time() + timeout
        while time.time() < end:
            out = self.poll(job)
            if out.get("poll", {}).get("disabled"):
                return out
            time.sleep(0.1)
        raise AssertionError(f"job {job} did not finish in {timeout} s")


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    from werkzeug.serving import make_server
    port = _free_port()
    out = tmp_path_factory.mktemp("app-out")
    app = create_app(ROOT / "configs", workers=1, out_root=out, port=port)
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Client(f"http://127.0.0.1:{port}/", app)
    server.shutdown()


@pytest.fixture
def client(app_server):
    """The shared server, with no job left running from a test before."""
    yield app_server
    end = time.time() + 30
    while app_server.app.mgz_jobs.running() and time.time() < end:
        time.sleep(0.05)


def _message(response: dict[str, Any]) -> str:
    return (response.get("message") or {}).get("children") or ""


# ------------------------------------------------------------------------------ the door


def test_refuses_a_wrong_host_header_with_400(client):
    port = client.url.rsplit(":", 1)[1].strip("/")
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "127.0.0.1:1"):
        assert requests.get(client.url, headers={"Host": host}, timeout=10).status_code == 400, host
    assert client.post("run.n_clicks", {"run": 1}, RUN_STATES, headers={"Host": f"evil.example:{port}"}
                       ).status_code == 400
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert requests.get(client.url, headers={"Host": host}, timeout=10).status_code == 200, host


def test_refuses_a_100_kb_body_with_413(client):
    huge = {"output": "x", "outputs": {"id": "x", "property": "y"}, "inputs": [], "state": [], "pad": "x" * 100_000}
    r = requests.post(client.url + "_dash-update-component", json=huge, timeout=10)
    assert r.status_code == 413
    assert client.post("lang.value", {"lang": "nl"}, {"msg": None}).status_code != 413  # a real body passes


# ------------------------------------------------------------------------------ only what it offers


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text("scenario: TOP-SECRET-4711\nlocations: []\n", encoding="utf-8")
    return path


def test_refuses_a_path_or_unknown_id_as_base_without_reading_it(client, secret_file, tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # opening it would block the request until the timeout
    refused = "Basisscenario: kies een van de aangeboden scenario's"
    for base in (str(secret_file), str(fifo), "/dev/zero", "../../../etc/passwd", "baseline.yaml", "nope",
                 ["voorbeeld"], {"id": "voorbeeld"}, None):
        status, out = client.run(base=base)
        assert status == 200, base
        assert refused in _message(out), base
        assert "job" not in out, base  # nothing started
        r = client.post("base.value", {"base": base, "lang": "nl"}, timeout=5)  # the practice picker
        assert r.status_code == 200 and refused in r.text and "TOP-SECRET" not in r.text, base
        assert r.json()["response"]["practice"]["options"] == []
    assert not client.app.mgz_jobs.jobs


# ------------------------------------------------------------------------------ every value checked

WHOLE_REPS = "Herhalingen: geef een heel getal van 1 tot 50."


@pytest.mark.parametrize("values,expected", [
    ({"replications": float("inf")}, WHOLE_REPS),
    ({"replications": float("nan")}, WHOLE_REPS),
    ({"replications": [3]}, WHOLE_REPS),
    ({"replications": 2.5}, WHOLE_REPS),
    ({"replications": None}, WHOLE_REPS),  # an empty box (or one the browser found invalid)
    ({"replications": 10**30}, WHOLE_REPS),
    ({"replications": "3"}, WHOLE_REPS),
    ({"replications": True}, WHOLE_REPS),
    ({"replications": -1}, WHOLE_REPS),
    ({"weeks": 0}, "Gemeten weken: geef een heel getal van 1 tot 104."),
    ({"residents": 500}, "Bewoners: geef een heel getal van 1 tot 200."),
    ({"residents": 1e9}, "Bewoners: geef een heel getal van 1 tot 200."),
    ({"kind": "villa"}, "Soort locatie: kies een van de aangeboden mogelijkheden."),
    ({"practice": "P99"}, "Praktijk: kies een van de aangeboden mogelijkheden."),
    ({"practice": ["P1"]}, "Praktijk: kies een van de aangeboden mogelijkheden."),
    ({"question": "rm -rf"}, "Vraag: kies een van de aangeboden mogelijkheden."),
    ({"spread": "several"}, None),  # shares below, summing to 90
    ({"question": "compare", "arrangements": ["magic"]}, "Regelingen: kies een van de aangeboden mogelijkheden."),
    ({"question": "compare", "arrangements": ["voorwacht"], "gp": 1e9},
     "Huisartstijd voor de locaties (% van nu): geef een getal van 30 tot 100."),
    ({"question": "compare", "arrangements": ["voorwacht"], "growth": float("-inf")},
     "Groei van de zorgvraag (%): geef een getal van 0 tot 30."),
    ({"question": "compare"}, "Niets te vergelijken: zet een regeling aan of verschuif een schuif."),
    ({"lang": "en", "replications": 0}, "Replications: give a whole number from 1 to 50."),
])
def test_bad_values_give_a_message_and_200_not_500(client, values, expected):
    shares = [("P1", 60), ("P2", 30)] if values.get("spread") == "several" else None
    expected = expected or "Aandelen van de bewoners: samen moeten ze 100% zijn (nu 90%)."
    status, out = client.run(shares=shares, **values)
    assert status == 200
    assert _message(out) == expected
    assert "got" not in _message(out)
    assert out["run"]["disabled"] is False and "job" not in out  # Run usable again, nothing started
    assert not client.app.mgz_jobs.jobs


def test_an_unexpected_error_is_a_message_in_the_page_not_a_500(client, monkeypatch):
    def broken(*args, **kw):
        raise RuntimeError("a bug")
    monkeypatch.setattr(client.app.mgz_jobs, "start", broken)
    r = client.post("run.n_clicks", {"run": 1}, RUN_STATES,
                    [(p, 100 if p == "P1" else 0) for p in PRACTICES])
    assert r.status_code == 200
    side = r.json()["sideUpdate"]
    assert side["message"]["children"] == "Er ging iets mis (RuntimeError); de details staan in het log van de app."
    assert side["run"]["disabled"] is False


# ------------------------------------------------------------------------------ jobs


@pytest.fixture
def blocking_answer(monkeypatch):
    """answer_impact replaced by one that reports progress and waits for the test."""
    release = threading.Event()

    def answer(ask, common, out_root, workers, lang, progress):
        progress(3, 10)
        if not release.wait(20):
            raise ScenarioError("not released")
        raise ScenarioError("stopped by the test")
    monkeypatch.setattr(app_questions, "answer_impact", answer)
    yield release
    release.set()


def test_a_third_concurrent_job_is_refused_while_two_run(client, blocking_answer):
    jobs = []
    for _ in range(2):
        status, out = client.run()
        assert status == 200 and _message(out) == "" and out["run"]["disabled"] is True
        jobs.append(out["job"]["data"])
    time.sleep(0.2)
    polled = client.poll(jobs[0])
    assert polled["progress"]["children"] == "Bezig: 3 van 10 simulaties…" and polled["run"]["disabled"] is True
    status, out = client.run()
    assert status == 200
    assert _message(out) == "De app voert al 2 berekeningen uit; probeer het opnieuw zodra er een klaar is."
    assert "job" not in out and client.app.mgz_jobs.running() == 2
    blocking_answer.set()
    for job in jobs:
        ended = client.wait(job)
        assert _message(ended) == "De berekening kon niet worden gedaan: stopped by the test"
        assert ended["run"]["disabled"] is False  # Run usable again after a failure
    status, out = client.run()  # the slots are free again
    assert "job" in out
    blocking_answer.set()


def test_finished_jobs_are_pruned_after_their_time(client, monkeypatch):
    monkeypatch.setattr(app_questions, "answer_impact", lambda *a: "an answer")
    _, out = client.run()
    job = out["job"]["data"]
    end = time.time() + 10
    while client.app.mgz_jobs.jobs[job].finished is None and time.time() < end:
        time.sleep(0.02)
    client.poll(job)
    assert job in client.app.mgz_jobs.jobs  # well within an hour: kept for its page
    monkeypatch.setattr(app_jobs, "JOB_MAX_AGE", 0.0)
    polled = client.poll(job)
    assert job not in client.app.mgz_jobs.jobs
    assert polled["run"]["disabled"] is False and polled["poll"]["disabled"] is True


# ------------------------------------------------------------------------------ serve


def test_the_warning_is_printed_for_host_0_0_0_0(monkeypatch, capsys, tmp_path):
    started = []
    monkeypatch.setattr(dash.Dash, "run", lambda self, **kw: started.append(kw))
    serve("0.0.0.0", 8123, None, 1, tmp_path)
    err = capsys.readouterr().err
    assert "reachable from other machines" in err and "no login" in err
    assert started == [{"host": "0.0.0.0", "port": 8123, "debug": False}]
    for host in ("127.0.0.1", "localhost", "::1"):
        serve(host, 8123, None, 1, tmp_path)
        assert "reachable" not in capsys.readouterr().err


# ------------------------------------------------------------------------------ real answers


def _download(client: Client, question: str, job: str) -> str:
    other = "compare" if question == "impact" else "impact"
    r = client.post(f"download-{question}.n_clicks", {f"download-{question}": 1},
                    {f"shown-{question}": job, f"shown-{other}": None, "lang": "nl"}, timeout=30)
    assert r.status_code == 200
    data = r.json()["response"]["download"]["data"]
    import base64
    import datetime as dt
    import re
    # named after its question and day, e.g. impact-kleinschalig-24-huisartsenpraktijk-de-linde-2026-12-03.html
    start = "impact-" if question == "impact" else "vergelijking-"
    assert data["filename"].startswith(start) and data["filename"].endswith(f"-{dt.date.today().isoformat()}.html")
    assert re.fullmatch(r"[a-z0-9-]+\.html", data["filename"]), data["filename"]
    text = base64.b64decode(data["content"]).decode("utf-8") if data.get("base64") else data["content"]
    assert '<script id="plotly-js">' in text and 'src="plotly.min.js"' not in text  # one file that opens alone
    return text


def _values(section: str) -> list[str]:
    """The big numbers of a key-figures block (report HTML)."""
    import re
    return re.findall(r'<div class="value[^"]*">([^<]*)</div>', section)


def test_impact_answer_is_the_cli_answer_and_its_report(client, capsys):
    _, out = client.run(residents=24, practice="P1")
    job = out["job"]["data"]
    done = client.wait(job)
    assert done["progress"]["children"].startswith("Klaar: 4 simulaties in ")
    assert done["shown-impact"]["data"] == job
    answer = client.app.mgz_jobs.jobs[job].answer
    shown = client.post("shown-impact.data", {"shown-impact": job, "lang": "nl"}).json()["response"]
    page = json.dumps(shown["result-impact"]["children"], ensure_ascii=False)
    for variant in ("zonder", "met", "met + voorwacht", "met + behandelteam"):
        assert f'"{variant}"' in page
    assert "Huisartsenpraktijk De Linde" in page and shown["download-impact"]["disabled"] is False
    report = _download(client, "impact", job)
    assert 'id="key-figures"' in report and '<html lang="nl"' in report
    key = report.split('id="key-figures"', 1)[1].split("</section>", 1)[0]
    figures = [v for v in _values(key)]
    assert figures and all(f'"{v}"' in page for v in figures)  # the page shows the report's key figures
    # the command line it names finds the very same folder (content-addressed): same scenarios, same results
    from sim.cli import main
    capsys.readouterr()
    assert main([*shlex.split(answer.cli)[1:], "-q", "-w", "1"]) == 0
    assert Path(capsys.readouterr().out.strip()) == answer.folder


def test_met_behandeling_the_physician_is_the_behandeldienst(client):
    _, out = client.run(kind="verpleeghuis", behandeling="met", behandeldienst="BD-VV", residents=40)
    job = out["job"]["data"]
    assert client.wait(job)["shown-impact"]["data"] == job
    answer = client.app.mgz_jobs.jobs[job].answer
    assert answer.result["new_locations"][0]["behandeldienst"] == "BD-VV"
    assert answer.result["variants"] == ["zonder", "met", "met + voorwacht"]  # no behandelteam: it has its SO
    shown = client.post("shown-impact.data", {"shown-impact": job, "lang": "nl"}).json()["response"]
    page = json.dumps(shown["result-impact"]["children"], ensure_ascii=False)
    assert "verpleeghuislocatie van 40 bewoners bij Behandeldienst Zorggroep Voorbeeld (SO)" in page


def test_compare_answer_is_the_cli_answer_and_its_report(client, capsys):
    _, out = client.run(question="compare", arrangements=["voorwacht"], resolve=50)
    job = out["job"]["data"]
    done = client.wait(job)
    assert done["shown-compare"]["data"] == job, _message(done)
    answer = client.app.mgz_jobs.jobs[job].answer
    assert answer.result["b"]["scenario"] == "baseline_voorwacht_afhandeling50"
    whatif = Path(answer.result["b"]["file"])
    assert whatif.parent == Path(answer.result["folder"]).parent / "scenarios" and whatif.exists()
    shown = client.post("shown-compare.data", {"shown-compare": job, "lang": "nl"}).json()["response"]
    page = json.dumps(shown["result-compare"]["children"], ensure_ascii=False)
    assert "Wlz-zorgvragen per week afgehandeld door de voorwacht" in page
    assert 'id="key-figures"' in _download(client, "compare", job)
    from sim.cli import main
    capsys.readouterr()
    assert main([*shlex.split(answer.cli)[1:], "-q", "-w", "1"]) == 0
    assert Path(capsys.readouterr().out.strip()) == answer.folder


def test_every_word_has_english_and_dutch():
    for key, (en, nl) in WORDS.items():
        assert en.strip() and nl.strip(), key
        assert en.count("{") == nl.count("{"), key  # the same values in both


# ------------------------------------------------------------------------------ the checks themselves


def test_the_location_is_the_command_lines_spec():
    from sim.present.app.catalogue import catalogue
    from sim.present.app.checks import Refused, impact_ask
    base = catalogue(None)["voorbeeld"]
    one = impact_ask(base, 24, "kleinschalig", "VV", "zonder", "one", "P1", [], None)
    assert one.spec() == "residents=24,kind=kleinschalig,sector=VV,gp=P1"
    spread = impact_ask(base, 30.0, "geclusterd", "GHZ", "zonder", "several", "P1",
                        [("P1", 60), ("P4", 40), ("P2", 0), ("P3", None)], None)
    assert spread.spec() == "residents=30,kind=geclusterd,sector=GHZ,gp=P1:0.6/P4:0.4"
    met = impact_ask(base, 60, "verpleeghuis", "VV", "met", "one", "P1", [], "BD-VV")
    assert met.spec() == "residents=60,kind=verpleeghuis,sector=VV,behandeling=true,bd=BD-VV"
    with pytest.raises(Refused) as refused:
        impact_ask(base, 24, "kleinschalig", "VV", "zonder", "several", "P1", [("P1", 60), ("P9", 40)], None)
    assert (refused.value.rule, refused.value.field) == ("choice", "practice")  # not one of the scenario's
    with pytest.raises(Refused) as refused:
        impact_ask(base, 24, "kleinschalig", "VV", "met", "one", "P1", [], "P1")
    assert refused.value.field == "behandeldienst"


def test_the_app_binds_to_this_machine_only_by_default(monkeypatch, capsys):
    """`mgz-sim app` without --host serves on 127.0.0.1 (the README's promise)."""
    import sim.present.app as app_module
    from sim.cli import main
    seen = {}
    monkeypatch.setattr(app_module, "serve", lambda host, port, *rest: seen.update(host=host, port=port))
    assert main(["app"]) == 0
    assert seen == {"host": "127.0.0.1", "port": 8050}
    assert "http://127.0.0.1:8050/" in capsys.readouterr().out
