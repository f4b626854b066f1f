"""The what-if app as a Dutch GP cooperative manager sees it: headless Chromium (Debian's
package) driven by Playwright. Both questions are asked in Dutch and answered with Dutch
words and Dutch numbers; a bad value gets a message and starts nothing; the report
downloads; the language switch keeps what was set. Screenshots of each answer are saved in
the test's temp folder (tools/screenshots.py makes the README's pictures).

In CI (.ci/run installs Chromium) these tests must run; elsewhere they skip without it."""

from __future__ import annotations

import re
import socket
import threading

import pytest

from ..conftest import ROOT
from .conftest import NO_MODEBAR

pytestmark = pytest.mark.slow  # the everyday run is pytest -m "not slow"

PRACTICES = ["Huisartsenpraktijk De Linde", "Huisartsen Centrum", "Praktijk Dorpsstraat", "Gezondheidscentrum Oost",
             "Huisartsenpraktijk Het Veld", "Praktijk aan de Haven"]  # the embedded region's, by name



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app on a free port, its results under a temp folder; yields (url, Dash app)."""
    from werkzeug.serving import make_server

    from sim.present.app import create_app
    port = _free_port()
    dash_app = create_app(ROOT / "configs", workers=1, out_root=tmp_path_factory.mktemp("app-results"), port=port)
    server = make_server("127.0.0.1", port, dash_app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/", dash_app
    server.shutdown()


@pytest.fixture
def page(browser, app):
    """A fresh browser context (its own localStorage) on the app, in a browser that prefers
    Dutch, on a common laptop screen: the page opens in Dutch by itself."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="nl-NL")
    p = context.new_page()
    p.goto(app[0])
    p.wait_for_selector("#run")
    p.wait_for_function("document.querySelector('#run').innerText === 'Bereken'")
    yield p
    context.close()


def test_the_app_opens_in_the_browsers_language_with_bereken_in_view(browser, app):
    for locale, run, lang in (("nl-NL", "Bereken", "nl"), ("en-GB", "Run", "en"), ("de-DE", "Bereken", "nl")):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale=locale)
        p = context.new_page()
        p.goto(app[0])
        p.wait_for_function(f"document.querySelector('#run') && document.querySelector('#run').innerText === {run!r}")
        assert p.evaluate("document.documentElement.lang") == lang
        box = p.locator("#run").bounding_box()
        assert box["y"] + box["height"] <= 768, box  # above the fold, without scrolling
        if lang == "nl":
            assert p.inner_text("label[for=replications]") == "Herhalingen"
            assert "hoe vaak" in p.inner_text(".field.reps .help")
        context.close()


def _fill(page, selector: str, value: str) -> None:
    page.fill(selector, value)
    page.press(selector, "Tab")


def _run(page, timeout: int = 120_000, clicks: int = 1) -> None:
    """Press Bereken: it is disabled at once, and enabled again when the answer is there."""
    page.click("#run", click_count=clicks)
    # disabled by the page itself within a moment (a clientside callback), long before the server answers
    page.wait_for_function("document.querySelector('#run').disabled", timeout=1_000)
    page.wait_for_function("document.querySelector('#progress').innerText.startsWith('Klaar')", timeout=timeout)
    page.wait_for_function("!document.querySelector('#run').disabled")
    page.wait_for_timeout(600)  # the answer is drawn and scrolled into view


def _dutch_numbers(text: str) -> None:
    """Decimal commas (3,4 / 31,7%), never a decimal point."""
    assert re.search(r"\d,\d", text), text
    assert not re.search(r"\d\.\d(?!\d\d)", text), text  # a point only as the thousands separator (1.234)


@pytest.fixture
def slow_start(app, monkeypatch):
    """The server takes 1.5 s to start a job: Run must be disabled before it answers."""
    import time
    jobs = app[1].mgz_jobs
    start = jobs.start

    def slow(*args, **kw):
        time.sleep(1.5)
        return start(*args, **kw)
    monkeypatch.setattr(jobs, "start", slow)
    return jobs


def test_impact_question_in_dutch(page, app, tmp_path, slow_start):
    # the practice picker lists the base scenario's practices by name
    page.click("#practice")
    assert page.locator(".dash-dropdown-content [role=option]").all_inner_texts() == PRACTICES
    page.get_by_role("option", name="Gezondheidscentrum Oost").click()
    _fill(page, "#residents", "30")
    page.wait_for_function("document.querySelector('#residents-slider [role=slider]')"
                           ".getAttribute('aria-valuenow') === '30'")  # the box and the slider agree
    _fill(page, "#replications", "2")
    _fill(page, "#weeks", "3")
    before = len(slow_start.jobs)
    _run(page, clicks=2)  # a double click
    assert len(slow_start.jobs) == before + 1  # starts one job
    key = page.inner_text("#key-figures")
    assert "Wat doet een nieuwe kleinschalige woonvorm van 30 bewoners bij Gezondheidscentrum Oost" in key
    assert "Extra zorgvragen bij Gezondheidscentrum Oost per week" in key and "Antwoord:" in key
    assert "Gezondheidscentrum Oost: wachttijd op de huisarts (P90)" in key  # the practice's own wait, a card
    assert re.search(r"Oordeel voor Gezondheidscentrum Oost: past (ruim|krap|niet)", key)  # the verdict
    _dutch_numbers(key)
    headers = page.locator("#result-table th").all_inner_texts()
    assert headers[1:] == ["zonder", "met", "met + voorwacht", "met + behandelteam"]  # all four variants
    table = page.inner_text("#result-table")
    assert "Gezondheidscentrum Oost: zorgvragen per week" in table and "P4" not in table
    _dutch_numbers(table)
    page.wait_for_selector("#chart-per_week .js-plotly-plot")  # plotly draws after the answer arrives
    chart = "document.querySelector('#chart-per_week .js-plotly-plot')"
    assert page.evaluate(f"{chart}.layout.separators") == ",."
    assert page.evaluate(f"{chart}.data.length") == 3  # met, met + voorwacht, met + behandelteam
    page.add_style_tag(content=NO_MODEBAR)
    page.screenshot(path=str(tmp_path / "app-impact-nl.png"))
    # the download is the command line's report.html, in Dutch
    with page.expect_download(timeout=60_000) as info:
        page.click("#download-impact")
    name = info.value.suggested_filename
    assert re.fullmatch(r"impact-kleinschalig-30-gezondheidscentrum-oost-\d{4}-\d\d-\d\d\.html", name), name
    assert info.value.failure() is None
    saved = tmp_path / "report.html"
    info.value.save_as(saved)
    report = saved.read_text(encoding="utf-8")
    assert 'id="key-figures"' in report and '<html lang="nl">' in report and "Gezondheidscentrum Oost" in report
    assert '<script id="plotly-js">' in report  # one file that opens alone, charts inside
    # English and back: every text changes, what was set stays
    page.get_by_label("English").check()
    page.wait_for_function("document.querySelector('#run').innerText === 'Run'")
    page.wait_for_function("document.querySelector('#key-figures').innerText.includes('What does a new')")
    assert page.locator("#result-table th").all_inner_texts()[1:] == [
        "without", "with", "with + voorwacht", "with + behandelteam"]
    assert "New location" in page.inner_text("#question")
    assert page.input_value("#residents") == "30" and page.input_value("#replications") == "2"
    assert page.inner_text("#practice") == "Gezondheidscentrum Oost"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_label("Nederlands").check()
    page.wait_for_function("document.querySelector('#key-figures').innerText.includes('Wat doet')")
    page.add_style_tag(content=NO_MODEBAR)
    page.screenshot(path=str(tmp_path / "app-impact-nl-full.png"), full_page=True)


def test_compare_question_in_dutch(page, tmp_path):
    page.click("#tab-compare")
    page.get_by_label("Voorwacht (C)", exact=False).check()
    assert not page.locator("#panel-impact").is_visible() and page.locator("#panel-compare").is_visible()
    _fill(page, "#replications", "2")
    _fill(page, "#weeks", "3")
    _run(page)
    key = page.inner_text("#key-figures")
    assert ("Wat verandert «Uitgangssituatie (A) - huisarts overdag, HAP in de ANW-uren + voorwacht (C)» ten opzichte "
            "van «Uitgangssituatie (A) - huisarts overdag, HAP in de ANW-uren»?") in key  # names, not ids
    answer = page.inner_text("#key-figures") + page.inner_text("#result-table")  # (the command line names files)
    assert "baseline" not in answer and "VOORWACHT" not in answer
    _dutch_numbers(key)
    table = page.inner_text("#result-table")
    assert "Belasting" in table and "Personeel" in table and "verschil (95%-BI)" in table
    assert "Wlz-zorgvragen per week afgehandeld door de voorwacht" in table
    page.wait_for_selector("#chart-per_week .js-plotly-plot")  # plotly draws after the answer arrives
    assert page.evaluate("document.querySelector('#chart-per_week .js-plotly-plot').layout.separators") == ",."
    page.add_style_tag(content=NO_MODEBAR)
    page.screenshot(path=str(tmp_path / "app-compare-nl.png"))
    page.screenshot(path=str(tmp_path / "app-compare-nl-full.png"), full_page=True)


def test_a_bad_value_shows_the_message_and_starts_no_job(page, app, tmp_path):
    jobs = app[1].mgz_jobs
    before = set(jobs.jobs)
    for selector, value, message in (
            ("#replications", "0", "Herhalingen: geef een heel getal van 1 tot 50."),
            ("#replications", "", "Herhalingen: geef een heel getal van 1 tot 50."),
            ("#residents", "2.5", "Bewoners: geef een heel getal van 1 tot 200.")):
        _fill(page, selector, value)
        page.click("#run")
        page.wait_for_function(f"document.querySelector('#message').innerText === {message!r}", timeout=10_000)
        page.wait_for_function("!document.querySelector('#run').disabled")
        assert page.inner_text("#progress") == ""
        assert page.locator("#message").is_visible()
        if selector == "#residents":
            page.wait_for_timeout(300)
            page.screenshot(path=str(tmp_path / "app-bad-value-nl.png"))  # the message by the Run button
        _fill(page, selector, "2" if selector == "#replications" else "24")
    assert set(jobs.jobs) == before
    # the message follows the language too
    _fill(page, "#weeks", "500")
    page.click("#run")
    page.wait_for_function("document.querySelector('#message').innerText.startsWith('Gemeten weken')")
    page.get_by_label("English").check()
    page.wait_for_function("document.querySelector('#message').innerText === "
                           "'Weeks measured: give a whole number from 1 to 104.'")
