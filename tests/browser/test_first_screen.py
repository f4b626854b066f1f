"""The first screen decides, read as a Dutch HAP manager reads it (Chromium, Dutch reports):

- a run of an arrangement or pressure names its parent and leads with its significant
  changes; a run of p_anw_te_dun shows a red card for the general population's U1;
- no English word or internal id of a known list in the visible text or the chart toolbar;
- no chart's category label, title or legend is cut or overlaps another, on screen and at
  the width the charts are printed at;
- printed to A4, page 1 holds the question, the key figures and one chart; no heading is
  left alone at the foot of a page.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from sim.cli import main
from sim.present.headline import findings

pytestmark = pytest.mark.slow  # the everyday run is pytest -m "not slow"

SCREEN = {"width": 1366, "height": 768}
PRINT_WIDTH = 720  # the A4 text width the charts are redrawn at (680 px) and a margin
KINDS = ["run", "run_anw", "compare", "sweep", "sensitivity", "warmup", "impact", "staff"]
# English words and internal ids a Dutch page showed before (issue 21); whole words, case as written
ENGLISH = ["baseline", "c_voorwacht", "baseline_voorwacht", "VOORWACHT", "demand:", "seed", "runs", "ok", "background",
           "utilisation", "physician", "Download plot", "plot", "the", "its", "and", "vrije tijd", "benutting",
           "replicaties", "10k", "region.warmup_weeks", "[2, 1", "Zoom", "Pan", "Autoscale", "Reset axes",
           "within", "requests", "per replication"]


@pytest.fixture(scope="module")
def dutch(folders, tmp_path_factory) -> dict[str, Path]:
    """A copy of every results folder with its report rebuilt in Dutch, once (the other
    browser tests rewrite the originals in either language)."""
    root = tmp_path_factory.mktemp("dutch")
    out = {}
    for kind in KINDS:
        out[kind] = root / kind
        shutil.copytree(folders[kind], out[kind])
        assert main(["report", str(out[kind]), "--lang", "nl"]) == 0
    return out


def _open(browser, dutch, kind: str, viewport=SCREEN):
    page = browser.new_page(viewport=viewport)
    page.goto((dutch[kind] / "report.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0 && "
                           "Array.from(document.querySelectorAll('.js-plotly-plot')).every(e => e.data)")
    return page


def _cards(page) -> list[dict]:
    return page.evaluate("""Array.from(document.querySelectorAll('#key-figures .figure')).map(e => ({
        status: e.className.replace('figure', '').trim(), label: e.querySelector('.label').innerText,
        value: e.querySelector('.value').innerText, ci: (e.querySelector('.ci') || {}).innerText || ''}))""")


def test_a_run_names_its_parent_and_leads_with_its_significant_changes(browser, dutch):
    folder = dutch["run"]  # vw.yaml extends c_voorwacht.yaml: the parent is C
    page = _open(browser, dutch, "run")
    question = page.inner_text("#key-figures .question")
    assert "«C - medisch-verpleegkundige voorwacht, dag en ANW, vóór huisarts / HAP»" in question  # in words
    assert "c_voorwacht" not in page.inner_text("#key-figures")
    summary = json.loads((folder / "summary.json").read_text())
    cmp = summary["comparison"]
    found = findings(summary["kpis"], cmp["difference"], cmp["parent_kpis"])
    cards = _cards(page)
    if any(f.kind not in ("norm", "busy") for f in found):  # something moved significantly: it leads
        assert cards[0]["ci"].startswith("was "), cards[0]
        assert re.match(r"(Slechter dan in|Beter|Ten opzichte van) «", page.inner_text("#key-figures .sentence")
                        .removeprefix("Antwoord:").strip())
    # the worst first: every red card before any other
    statuses = [c["status"] for c in cards]
    assert statuses == sorted(statuses, key=lambda s: s != "bad"), statuses


def test_a_thin_anw_rota_shows_a_red_card_for_the_general_population_u1(browser, dutch):
    page = _open(browser, dutch, "run_anw")
    cards = _cards(page)
    u1 = [c for c in cards if c["label"].startswith("Algemene bevolking (HAP): U1")]
    assert u1 and u1[0]["status"] == "bad", cards
    assert "Uitgangssituatie (A)" in page.inner_text("#key-figures .question")  # the parent by its description
    sentence = page.inner_text("#key-figures .sentence")
    assert "algemene bevolking" in sentence.lower() and "U1" in sentence
    page.screenshot(path=str(dutch["run_anw"] / "first-screen.png"))


@pytest.mark.parametrize("kind", KINDS)
def test_no_english_word_on_a_dutch_page(kind, browser, dutch):
    page = _open(browser, dutch, kind)
    text = page.inner_text("body")
    toolbar = " ".join(page.evaluate("Array.from(document.querySelectorAll('.modebar-btn')).map(b => "
                                     "b.getAttribute('data-title') || '')"))
    ticks = " ".join(page.evaluate("Array.from(document.querySelectorAll('.xtick text, .ytick text'))"
                                   ".map(t => t.textContent)"))
    assert toolbar, "the chart toolbar has its buttons (in Dutch)"
    for said in (text, toolbar, ticks):
        found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", said)]
        assert not found, (found, [said[max(0, said.find(w) - 60):said.find(w) + 60] for w in found])


BOXES = """Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => {
  const box = r => ({l: r.left, r: r.right, t: r.top, b: r.bottom});
  const svg = box(g.querySelector('.main-svg').getBoundingClientRect());
  const all = sel => Array.from(g.querySelectorAll(sel)).filter(e => e.getBoundingClientRect().width > 0)
                         .map(e => ({text: e.textContent, ...box(e.getBoundingClientRect())}));
  return {svg, ticks: all('.xtick text, .ytick text'), titles: all('.gtitle, .g-xtitle text, .g-ytitle text'),
          legend: all('.legend .bg')};
})"""


def _inside(a: dict, b: dict, slack: float = 1.5) -> bool:
    return a["l"] >= b["l"] - slack and a["r"] <= b["r"] + slack and a["t"] >= b["t"] - slack and a["b"] <= b["b"] + slack


def _overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return a["l"] < b["r"] - slack and b["l"] < a["r"] - slack and a["t"] < b["b"] - slack and b["t"] < a["b"] - slack


@pytest.mark.parametrize("kind", ["run_anw", "compare", "impact", "staff", "sensitivity", "sweep"])
def test_no_chart_label_is_cut(kind, browser, dutch):
    """Every category label, axis and chart title inside its chart, none over the legend or
    another title, on screen and at the width the charts are printed at."""
    page = _open(browser, dutch, kind, {"width": SCREEN["width"], "height": 900})
    for width in (SCREEN["width"], PRINT_WIDTH):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(600)  # plotly redraws responsive charts at the new width
        for n, chart in enumerate(page.evaluate(BOXES)):
            for label in chart["ticks"] + chart["titles"]:
                assert _inside(label, chart["svg"]), (kind, width, n, label, chart["svg"])
            for legend in chart["legend"]:
                for label in chart["ticks"] + chart["titles"]:
                    assert not _overlap(label, legend), (kind, width, n, label, legend)
            titles = chart["titles"]
            for i, a in enumerate(titles):
                for b in titles[i + 1:]:
                    assert not _overlap(a, b), (kind, width, n, a, b)
    page.close()


@pytest.mark.parametrize("kind", ["run_anw", "compare", "impact"])
def test_page_one_of_the_print_holds_the_answer_and_one_chart(kind, browser, dutch):
    from pypdf import PdfReader
    page = _open(browser, dutch, kind)
    assert page.locator(".first-page .chart.lead").count() == 1  # one deciding chart, with the key figures
    title = page.evaluate("document.querySelector('.chart.lead .js-plotly-plot').layout.title.text")
    headings = [h.strip() for h in page.locator("h2").all_inner_texts()]
    from sim.present.page import to_pdf
    reader = PdfReader(str(to_pdf(dutch[kind] / "report.html")))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Vraag:" in first and "Antwoord:" in first, first[:400]
    assert title.split("<br>")[0][:30] in first, (title, first[-400:])
    assert not any(h in first for h in headings), "page 1 holds the answer only"
    for n, pdf_page in enumerate(reader.pages):  # no heading left alone at the foot of a page
        lines = [ln.strip() for ln in pdf_page.extract_text().splitlines() if ln.strip()]
        assert not lines or lines[-1] not in headings, (n, lines[-3:])
