"""The report and the what-if app as a person sees them: headless Chromium (Debian's
package) driven by Playwright. Screenshots are saved in each test's temp folder.
In CI (.ci/run installs Chromium) these tests must run; elsewhere they skip without it."""

from __future__ import annotations

import os
import shutil
import socket
import threading

import pytest

from sim.cli import main

from ..conftest import ROOT

pytestmark = pytest.mark.slow  # the everyday run is pytest -m "not slow"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Chromium is not installed (CI installs it)", allow_module_level=True)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_report_renders_every_chart_with_data(tmp_path, browser):
    scen = tmp_path / "vw.yaml"
    scen.write_text(f"extends: {ROOT / 'configs' / 'c_voorwacht.yaml'}\nscenario: vw\n"
                    "set:\n  services[VOORWACHT].resolves.U5: 0.7\n")
    assert main([str(scen), "-r", "2", "--weeks", "3", "-q", "--out", str(tmp_path / "runs"), "--lang", "nl"]) == 0
    (report,) = list((tmp_path / "runs").glob("*/report.html"))
    page = browser.new_page(viewport={"width": 1250, "height": 900})
    page.goto(report.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 10")
    counts = page.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot')).map(e => (e.data || []).length)")
    assert len(counts) >= 10 and all(c > 0 for c in counts)
    text = page.inner_text("body")
    for heading in ("De regio in één oogopslag", "Zorgvraag", "Belasting per dienst", "Responstijden", "Vergeleken met"):
        assert heading in text
    assert "VOORWACHT (voorwacht): settles" in text  # the assumption is visible
    assert "Wlz-zorgvragen per week afgehandeld door de huisarts" in text  # KPIs in words
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    # offline: no script or stylesheet is fetched from elsewhere
    html = report.read_text()
    assert "<script src=\"http" not in html and "cdn.plot.ly" not in html.split("</head>")[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_url():
    from werkzeug.serving import make_server

    from sim.present.app import create_app
    port = _free_port()
    server = make_server("127.0.0.1", port, create_app(ROOT / "configs", workers=1).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()


def _run(page, timeout=120_000) -> str:
    page.click("#run")
    # first see this run start (the previous run's "Done" is replaced), then finish
    page.wait_for_function("document.querySelector('#progress').innerText.startsWith('Running')", timeout=timeout)
    page.wait_for_function("document.querySelector('#progress').innerText.startsWith('Done')", timeout=timeout)
    page.wait_for_timeout(300)
    return page.inner_text("#kpi-table")


def test_app_runs_updates_and_rejects_bad_values(tmp_path, browser, app_url):
    page = browser.new_page(viewport={"width": 1250, "height": 1300})
    page.goto(app_url)
    page.wait_for_selector("#run")
    page.fill("#replications", "2")
    page.press("#replications", "Enter")
    page.fill("#weeks", "2")
    page.press("#weeks", "Enter")
    page.get_by_label("Voorwacht (C)", exact=False).check()
    first = _run(page)
    page.screenshot(path=str(tmp_path / "app-voorwacht.png"))
    assert "hours per week: nurses" in first
    bars = page.evaluate("document.querySelector('#difference .js-plotly-plot').data[0].x.length")
    assert bars > 0
    # change a control: a compact behandelteam prevents part of the demand
    page.get_by_label("Compact behandelteam (D)", exact=False).check()
    second = _run(page)
    page.screenshot(path=str(tmp_path / "app-behandelteam.png"))
    assert second != first
    prevented = [line for line in second.splitlines() if line.startswith("Wlz requests prevented by proactive care")]
    assert prevented and "+0.0 " not in prevented[0]
    # a bad value gets a clear message, not a run
    page.fill("#replications", "0")
    page.press("#replications", "Enter")
    page.click("#run")
    page.wait_for_selector("text=Cannot run", timeout=10_000)
    assert "replications must be a whole number from 1 to 50" in page.inner_text("#message")
    page.screenshot(path=str(tmp_path / "app-bad-value.png"))
