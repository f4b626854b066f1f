"""Your own region in the app, as a Dutch GP cooperative manager sees it: a workbook with
mistakes dropped on the page lists every bad row in Dutch; the corrected workbook becomes
the base scenario; a new location with the manager's own name, next to a practice of the
region, is answered with those names; a location of the region can be closed. Screenshots
in the test's temp folder."""

from __future__ import annotations

import pytest

from ..test_own_region import SHEETS, write_xlsx
from .conftest import NO_MODEBAR
from .test_app import _fill, _run, app, page  # noqa: F401 - the app and a Dutch page

pytestmark = pytest.mark.slow  # the everyday run is pytest -m "not slow"

UPLOAD = "#region-upload input[type=file]"


def test_your_own_region_uploaded_and_asked(page, tmp_path):
    bad = {**SHEETS, "locaties": [SHEETS["locaties"][0],
                                  ("De Eik", None, "veel", "kleinschalig", "PG", "nee", "Huisartsen Leek", None, 6, 18),
                                  ("Het Anker", None, 16, "kleinschalig", "XYZ", "nee", "Huisartsen Lek", None, 9, 25)]}
    page.set_input_files(UPLOAD, str(write_xlsx(tmp_path / "westerkwartier-fout.xlsx", bad)))
    page.wait_for_selector(".upload-bad table")
    problems = page.inner_text(".upload-bad")
    assert "westerkwartier-fout.xlsx: 3 fouten in het werkboek; er is niets ingelezen" in problems
    rows = page.locator(".upload-bad tbody tr").all_inner_texts()
    assert any(r.startswith("locaties\t2\tbewoners (C)") for r in rows), rows
    assert any(r.startswith("locaties\t3\thuisartspraktijk") and "Huisartsen Leek" in r for r in rows), rows
    page.screenshot(path=str(tmp_path / "app-upload-fouten-nl.png"), full_page=True)

    page.set_input_files(UPLOAD, str(write_xlsx(tmp_path / "westerkwartier.xlsx", SHEETS)))
    page.wait_for_selector(".upload-ok")
    assert "Regio Westerkwartier, 3 praktijken, 4 locaties, 150 bewoners" in page.inner_text(".upload-ok")
    page.wait_for_function("document.querySelector('#base').innerText.includes('Regio Westerkwartier')")
    _fill(page, "#name", "De Nieuwe Eik")
    _fill(page, "#residents", "20")
    page.click("#practice")
    page.get_by_role("option", name="Praktijk Zuidhorn").click()
    _fill(page, "#replications", "1")
    _fill(page, "#weeks", "2")
    page.screenshot(path=str(tmp_path / "app-eigen-regio-nl.png"))
    _run(page)
    key = page.inner_text("#key-figures")
    assert "Wat doet een nieuwe kleinschalige woonvorm 'De Nieuwe Eik' van 20 bewoners bij Praktijk Zuidhorn" in key
    assert "Praktijk Zuidhorn" in page.inner_text("#result-table")
    page.add_style_tag(content=NO_MODEBAR)
    page.screenshot(path=str(tmp_path / "app-eigen-regio-antwoord-nl.png"), full_page=True)

    page.get_by_text("een bestaande locatie wordt opgeheven").click()
    page.click("#location")
    page.get_by_role("option", name="Het Anker (16)").click()
    assert not page.is_visible("#residents")  # closing asks nothing more
    _run(page)
    assert "Wat doet het opheffen van locatie Het Anker" in page.inner_text("#key-figures")
    page.screenshot(path=str(tmp_path / "app-opheffen-nl.png"))
