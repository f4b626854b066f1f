"""Every report as a person sees it: headless Chromium (Debian's package) driven by
Playwright opens the report of each command (run, compare, sweep, sensitivity, warm-up,
impact, staff) in English and in Dutch and checks what a reader needs first: the key
figures on the first screen, charts that hold data and say what their axes are, and, in
Dutch, Dutch words and Dutch numbers. Screenshots are saved in each test's temp folder.
In CI (.ci/run installs Chromium) these tests must run; elsewhere they skip without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main

from ..conftest import ROOT

pytestmark = pytest.mark.slow  # the everyday run is pytest -m "not slow"

SCREEN = {"width": 1280, "height": 800}
CONFIGS = ROOT / "configs"
# a number written the English way: a decimal point followed by one or two digits (1.5, 0.25)
ENGLISH_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")
DUTCH_DECIMAL = re.compile(r"(?<![\d,])\d+,\d(?![\d,])|\d+,\d+%")



def _one(folder: Path) -> Path:
    (found,) = [p for p in folder.iterdir() if p.is_dir()]
    return found


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """One small results folder per command (two-week horizons, two replications)."""
    tmp = tmp_path_factory.mktemp("reports")
    fast = ["-r", "2", "--weeks", "2", "-q"]
    vw = tmp / "vw.yaml"
    vw.write_text(f"extends: {CONFIGS / 'c_voorwacht.yaml'}\nscenario: vw\n"
                  "set:\n  services[VOORWACHT].resolves.U5: 0.7\n")
    sweep = tmp / "sweep.yaml"
    sweep.write_text(f"name: tiny\nbase: {CONFIGS / 'c_voorwacht.yaml'}\nreplications: 2\nweeks: 2\n"
                     "kpis: [handled.gp.wlz_per_week, response.wlz.U4.within_norm]\n"
                     "parameters:\n  services[VOORWACHT].resolves.U5: [0.3, 0.6]\n"
                     "  services[VOORWACHT].resolves.U4: [0.2, 0.4]\n")
    morris = tmp / "morris.yaml"
    morris.write_text(f"name: tiny-morris\nbase: {CONFIGS / 'c_voorwacht.yaml'}\nreference: {CONFIGS / 'baseline.yaml'}\n"
                      "replications: 1\nweeks: 2\nmethod: morris\ntrajectories: 2\n"
                      "kpis: [handled.gp.wlz_per_week, response.wlz.U1.within_norm]\n"
                      "parameters:\n  services[VOORWACHT].resolves.U5: {low: 0.2, high: 0.8}\n"
                      "  demand.office_share: {low: 0.65, high: 0.88}\n")
    commands = {
        "run": [str(vw), *fast],
        "compare": ["compare", str(CONFIGS / "baseline.yaml"), str(CONFIGS / "c_voorwacht.yaml"), *fast],
        "sweep": ["sweep", str(sweep), "-q"],
        "sensitivity": ["sensitivity", str(morris), "-q"],
        "warmup": ["warmup", str(CONFIGS / "baseline.yaml"), "-r", "2", "--weeks", "4", "-q"],
        "impact": ["impact", str(CONFIGS / "baseline.yaml"), "--add-location", "residents=24,kind=kleinschalig,gp=P2",
                   *fast],
        "staff": ["staff", str(CONFIGS / "baseline.yaml"), "--service", "hap.doctors", "--target",
                  "U2 p90 response <= 60 min", *fast],
    }
    out = {}
    for name, argv in commands.items():
        assert main([*argv, "--out", str(tmp / name), "-w", "1"]) in (0, 1), name
        out[name] = _one(tmp / name)
    return out


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
    for heading in ("Zorgvraag", "Belasting per dienst", "Responstijden", "Vergeleken met"):
        assert heading in text, heading
    assert "Wlz-zorgvragen per week afgehandeld door de huisarts" in text  # KPIs in words
    assert "hap:doctor" not in text  # names, not ids
    page.screenshot(path=str(tmp_path / "run-nl-full.png"), full_page=True)
    # offline: no script or stylesheet is fetched from elsewhere
    html = (folders["run"] / "report.html").read_text()
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", html)
    assert "Plotly.newPlot" in html and len(html) > 3_000_000  # plotly.js is inside the file


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
