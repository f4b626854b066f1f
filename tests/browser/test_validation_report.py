"""validation.html (`mgz-sim validate`) as a reader sees it on a 1366x768 laptop screen,
in Dutch and English: the key figures first, then the verdict of every independent figure
(the real tests) without scrolling, each verdict in the reader's language, and the reasons
for the figures that differ on the same page. Screenshots are saved in each test's temp
folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main

from .test_reports import DUTCH_DECIMAL, ENGLISH_DECIMAL

pytestmark = pytest.mark.slow  # the everyday run is pytest -m "not slow"

LAPTOP = {"width": 1366, "height": 768}
VERDICTS = {"en": ("agrees", "differs", "not comparable"), "nl": ("komt overeen", "wijkt af", "niet vergelijkbaar")}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("validate")
    assert main(["validate", "--weeks", "4", "-r", "2", "-w", "1", "--out", str(out), "-q"]) == 0
    (found,) = (out / "baseline").iterdir()
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_verdicts_are_on_the_first_screen(lang, folder, browser, tmp_path):
    assert main(["report", str(folder), "--lang", lang]) == 0
    page = browser.new_page(viewport=LAPTOP)
    page.goto((folder / "validation.html").as_uri())
    page.screenshot(path=str(tmp_path / f"validation-{lang}.png"))
    page.screenshot(path=str(tmp_path / f"validation-{lang}-full.png"), full_page=True)
    assert page.evaluate("document.documentElement.lang") == lang
    key = page.locator("#key-figures").bounding_box()
    assert key is not None and key["y"] < LAPTOP["height"] * 0.25
    assert page.locator("#key-figures .question").inner_text().strip().endswith("?")
    # the independent figures: the rows after the first group heading of the verdict table, up to the next
    rows = page.evaluate("""(() => {
        const out = []; let group = 0;
        for (const tr of document.querySelectorAll('table.verdicts tbody tr')) {
            if (tr.classList.contains('group')) { group += 1; continue; }
            const box = tr.getBoundingClientRect();
            out.push({group, bottom: box.bottom, verdict: tr.lastElementChild.innerText.trim(), cls: tr.className});
        }
        return out; })()""")
    independent = [r for r in rows if r["group"] == 1]
    assert len(independent) >= 5 and len(rows) >= 8
    for r in independent:
        assert r["bottom"] <= LAPTOP["height"], r  # on the first screen, no scrolling
    for r in rows:
        assert r["verdict"] == VERDICTS[lang][("agrees", "differs", "not_comparable").index(r["cls"])], r
    # a reason for every figure that differs or cannot be compared, in the same page
    reasons = page.locator("ul.reasons li").count()
    assert reasons == sum(r["cls"] != "agrees" for r in rows)
    text = page.inner_text("#key-figures") + " ".join(page.locator("table").all_inner_texts())
    if lang == "nl":
        assert not ENGLISH_DECIMAL.search(text), ENGLISH_DECIMAL.search(text)
        assert DUTCH_DECIMAL.search(text)
        assert re.search(r"\b(onafhankelijke|cijfers|boekhouding)\b", text)
    else:
        assert not re.search(r"\d+,\d\b(?!\d)", text), re.search(r"\d+,\d\b(?!\d)", text)  # no Dutch decimals
