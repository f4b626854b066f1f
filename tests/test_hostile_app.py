"""The what-if app against what the independent fuzzer sent it (issue 24): malformed
callback bodies (a JSON array, `{}`, a bare NaN, JSON nested 30,000 deep) and crafted
static URLs got HTTP 500; a scenario file with a bad tag among --configs stopped the app
with a traceback. Now: 400, never 500, and the file is left out with a warning.

The requests go through Flask's test client into the same WSGI app `serve` runs (the
guard's before-request checks and error handler included), so these run in a second.
"""

from __future__ import annotations

import json
import shutil

import pytest

from sim.present.app import create_app

from .conftest import MINI, ROOT

HOST = {"Host": "127.0.0.1:8050"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    out = tmp_path_factory.mktemp("app-out")
    app = create_app(None, workers=1, out_root=out, port=8050)
    return app.server.test_client()


def _post(client, body: str | bytes, content_type: str = "application/json"):
    return client.post("/_dash-update-component", data=body, headers={**HOST, "Content-Type": content_type})


BODIES = {
    "a JSON array": "[]",
    "a JSON array of numbers": "[1, 2]",
    "an empty object": "{}",
    "a bare NaN": "NaN",
    "an object holding NaN": '{"output": NaN}',
    "a string": '"x"',
    "a number": "5",
    "null": "null",
    "nested 30,000 deep": "[" * 30_000 + "]" * 30_000,
    "an object nested 10,000 deep": '{"a":' * 10_000 + "1" + "}" * 10_000,
    "broken JSON": "{",
    "only an output": '{"output": "x"}',
    "an unknown output": '{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, '
                         '"inputs": [], "changedPropIds": []}',
    "outputs of the wrong type": '{"output": "x", "outputs": 5, "inputs": 5}',
    "inputs of null": '{"output": "lang.value", "outputs": {"id": "lang", "property": "value"}, "inputs": null}',
    "inputs that are numbers": '{"output": "lang.value", "outputs": {"id": "lang", "property": "value"}, '
                               '"inputs": [1, 2]}',
    "changedPropIds of numbers": '{"output": "lang.value", "outputs": {"id": "lang", "property": "value"}, '
                                 '"inputs": [], "changedPropIds": [5]}',
    "not UTF-8": b'{"output": "\xff"}',
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_a_malformed_callback_body_is_400_not_500(client, name):
    r = _post(client, BODIES[name])
    assert r.status_code == 400, (name, r.status_code, r.data[:300])
    assert b"Traceback" not in r.data


def test_a_callback_with_the_wrong_number_of_inputs_is_400(client):
    deps = json.loads(client.get("/_dash-dependencies", headers=HOST).data)
    dep = next(d for d in deps if not d.get("clientside_function") and d["inputs"])
    body = {"output": dep["output"], "outputs": {"id": "x", "property": "y"}, "inputs": [], "state": [],
            "changedPropIds": []}
    assert _post(client, json.dumps(body)).status_code == 400


def test_a_form_body_is_refused(client):
    assert _post(client, "x=1", "application/x-www-form-urlencoded").status_code in (400, 415)


STATIC = [
    "/_dash-component-suites/dash/../../../etc/passwd",
    "/_dash-component-suites/x/y.js",
    "/_dash-component-suites/dash/dcc/nonexist.js",
    "/_dash-component-suites/dash/deps/react@16.v1_2_3m123.js",
    "/_dash-component-suites/%00/a.js",
    "/_dash-component-suites/dash/a.v1_2m1.js",
    "/_dash-component-suites/dash/x",
    "/_dash-component-suites/dash/..%2f..%2fsetup.py",
    "/_dash-component-suites/dash/dcc/a.v1_2_3m1700000000.js",
]


@pytest.mark.parametrize("url", STATIC)
def test_a_crafted_static_url_is_400_not_500(client, url):
    r = client.get(url, headers=HOST)
    assert r.status_code == 400, (url, r.status_code)
    assert b"root:" not in r.data


def test_real_requests_still_work(client):
    assert client.get("/", headers=HOST).status_code == 200
    assert client.get("/_dash-layout", headers=HOST).status_code == 200
    deps = json.loads(client.get("/_dash-dependencies", headers=HOST).data)
    assert deps
    r = client.get("/_dash-component-suites/dash/dcc/async-graph.js", headers=HOST)
    assert r.status_code == 200


def test_an_error_outside_dash_routes_is_still_a_500(tmp_path):
    """The guard turns only Dash's own request handling into 400s: a fault elsewhere is not
    disguised as the client's."""
    server = create_app(None, workers=1, out_root=tmp_path, port=8050).server

    @server.route("/test-boom")
    def boom():
        raise RuntimeError("boom")

    assert server.test_client().get("/test-boom", headers=HOST).status_code == 500


# --------------------------------------------------------------------------- --configs


def test_a_file_with_a_bad_tag_among_configs_is_left_out_with_a_warning(tmp_path, capsys):
    configs = tmp_path / "configs"
    configs.mkdir()
    shutil.copyfile(ROOT / "configs" / "baseline.yaml", configs / "baseline.yaml")
    (configs / "tagged.yaml").write_text(MINI + "x: !!timestamp 2025-13-01\n", encoding="utf-8")
    (configs / "python.yaml").write_text(MINI + "x: !!python/object/apply:os.system [echo]\n", encoding="utf-8")
    (configs / "int.yaml").write_text(MINI.replace("seed: 1", "seed: !!int ''"), encoding="utf-8")
    app = create_app(configs, workers=1, out_root=tmp_path / "out", port=8050)
    err = capsys.readouterr().err
    assert set(app.mgz_catalogue) == {"voorbeeld", "baseline"}
    for name in ("tagged.yaml", "python.yaml", "int.yaml"):
        assert f"leaving out {configs / name}" in err, err
    assert "Traceback" not in err


def test_a_bug_while_reading_a_configs_file_is_a_warning_too(tmp_path, capsys, monkeypatch):
    from sim.present.app import catalogue as app_catalogue
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "mini.yaml").write_text(MINI, encoding="utf-8")
    real = app_catalogue.load_scenario

    def broken(path=None, *a, **k):
        if path is not None and str(path).endswith("mini.yaml"):
            raise TypeError("a bug")
        return real(path, *a, **k)

    monkeypatch.setattr(app_catalogue, "load_scenario", broken)
    app = create_app(configs, workers=1, out_root=tmp_path / "out", port=8050)
    err = capsys.readouterr().err
    assert set(app.mgz_catalogue) == {"voorbeeld"}
    assert "leaving out" in err and "unexpected TypeError" in err and "please report it" in err
