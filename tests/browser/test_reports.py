"""Every report as a person sees it: headless Chromium (Debian's package) driven by
Playwright opens the report of each command (run, compare, sweep, sensitivity, warm-up,
impact, staff) in English and in Dutch and checks what a reader needs first: the key
figures on the first screen, charts that hold data and say what their axes are, and, in
Dutch, Dutch words and Dutch numbers. Screenshots are saved in each test's temp folder.
In CI (.ci/run installs Chromium) these tests must run; elsewhere they skip without it."""

from __future__ import annotations

import re

import pytest

from sim.cli import main

pytestmark = pytest.mark.slow  # the everyday run is pytest -m "not slow"

SCREEN = {"width": 1280, "height": 800}
# a number written the English way: a decimal point followed by one or two digits (1.5, 0.25)
ENGLISH_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")
DUTCH_DECIMAL = re.compile(r"(?<![\d,])\d+,\d(?![\d,])|\d+,\d+%")



KINDS = ["run", "compare", "sweep", "sensitivity", "warmup", "impact", "staff"]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_report_opens_with_its_answer(kind, lang, folders, browser, tmp_path):
    assert main(["report", str(folders[kind]), "--lang", lang]) == 0
    report = folders[kind] / "report.html"
    page = browser.new_page(viewport=SCREEN)
    page.goto(report.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0 && "
                           "Array.from(document.querySelectorAll('.js-plotly-plot')).every(e => e.data)")
    page.screenshot(path=str(tmp_path / f"{kind}-{lang}.png"))
    assert page.evaluate("document.documentElement.lang") == lang
    # the key figures: on the first screen, a question, 1-6 figures and one sentence
    box = page.locator("#key-figures").bounding_box()
    assert box is not None and box["y"] < SCREEN["height"] * 0.5 and box["height"] > 50
    assert page.locator("#key-figures .question").inner_text().strip().endswith("?")
    assert 1 <= page.locator("#key-figures .figure").count() <= 6
    # every chart holds data and names its axes (a horizontal bar chart names its x axis)
    charts = page.evaluate("""Array.from(document.querySelectorAll('.js-plotly-plot')).map(e => ({
        traces: e.data.length,
        points: (e.calcdata || []).reduce((n, c) => n + c.filter(p => p.y !== undefined && !Number.isNaN(p.y) || p.x !== undefined && !Number.isNaN(p.x)).length, 0),
        title: (e.layout.title || {}).text || '',
        x: ((e.layout.xaxis || {}).title || {}).text || '',
        y: ((e.layout.yaxis || {}).title || {}).text || ''}))""")
    assert charts
    for chart in charts:
        assert chart["traces"] > 0 and chart["points"] > 0, chart
        assert chart["title"], chart
        assert chart["x"] or chart["y"], chart
    # words and numbers in the reader's language
    key = page.inner_text("#key-figures")
    tables = " ".join(page.locator("table").all_inner_texts())
    if lang == "nl":
        assert not ENGLISH_DECIMAL.search(key + tables), ENGLISH_DECIMAL.search(key + tables)
        if kind not in ("warmup", "staff"):  # whole weeks and minutes there; separators are checked below
            assert DUTCH_DECIMAL.search(key + tables)
        assert re.search(r"\b(de|het|een|per week|binnen|zorgvragen|weken)\b", key)
        separators = page.evaluate("document.querySelector('.js-plotly-plot').layout.separators")
        assert separators == ",."
    else:
        assert not re.search(r"\d+,\d\b(?!\d)", key.replace(",000", "")), key


def test_the_run_report_shows_its_sections_and_assumptions(folders, browser, tmp_path):
    assert main(["report", str(folders["run"]), "--lang", "nl"]) == 0
    page = browser.new_page(viewport={"width": 1250, "height": 900})
    page.goto((folders["run"] / "report.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 8")
    text = page.inner_text("body")
    for heading in ("Zorgvraag", "Belasting per dienst", "Responstijden", "Wat significant veranderde ten opzichte van",
                    "Aannames die de uitkomst bepalen"):
        assert heading in text, heading
    assert "Wlz-zorgvragen per week afgehandeld door de huisarts" in text  # KPIs in words
    assert "hap:doctor" not in text  # names, not ids
    page.screenshot(path=str(tmp_path / "run-nl-full.png"), full_page=True)
    # offline: no script or stylesheet is fetched from elsewhere; the chart library is the folder's own copy
    html = (folders["run"] / "report.html").read_text()
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", html)
    assert "Plotly.newPlot" in html and '<script src="plotly.min.js">' in html and len(html) < 1_000_000
    assert (folders["run"] / "plotly.min.js").stat().st_size > 3_000_000
    assert page.evaluate("typeof window.Plotly") == "object" and not page.locator(".no-plotly").is_visible()


def test_the_staff_report_shows_the_decision(folders, browser):
    assert main(["report", str(folders["staff"]), "--lang", "nl"]) == 0
    page = browser.new_page(viewport=SCREEN)
    page.goto((folders["staff"] / "report.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0")
    names = page.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap("
                          "e => e.data.map(t => t.name))")
    assert "eenzijdige 95%-grens (de beslissing)" in names and "gekozen rooster" in names
    shapes = page.evaluate("document.querySelector('.js-plotly-plot').layout.shapes.length")
    assert shapes >= 1  # the target line
    assert re.search(r"[+-]\d+ arts(en)? op ", page.inner_text("#key-figures")) or \
        "geen verandering" in page.inner_text("#key-figures")


def test_a_report_prints_to_a4_without_split_charts(folders, tmp_path):
    """report --pdf: Chromium prints the report; every chart title is on the same page as
    its axis title (the print stylesheet keeps charts whole)."""
    from pypdf import PdfReader
    assert main(["report", str(folders["impact"]), "--lang", "nl", "--pdf"]) == 0
    pdf = folders["impact"] / "report.pdf"
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4 in points
    texts = [p.extract_text() for p in reader.pages]
    assert "Extra zorgvragen per week" in " ".join(texts)
    for title, axis in (("Extra zorgvragen per week", "per week"), ("Extra uren per week", "uren per week")):
        assert any(title in t and axis in t.split(title, 1)[1] for t in texts), title
