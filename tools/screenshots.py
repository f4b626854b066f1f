"""The README's pictures (docs/report-nl.png, docs/app-nl.png, docs/validation-nl.png): what a
Dutch GP cooperative manager sees first, 1280x800 (the validation on a 1366x768 laptop),
made the way a user makes them.

    .venv/bin/python tools/screenshots.py      # ~1 minute; needs Chromium and Playwright ('.[test]')

1. `mgz-sim impact configs/baseline.yaml --add-location residents=24,kind=kleinschalig,sector=VV,gp=P1
   -r 10 --lang nl`, and the first screen of its report.html;
2. the app on a free local port, in Dutch: the same new location at Huisartsenpraktijk De Linde
   (P1), Bereken, and the screen with the button and the answer;
3. `mgz-sim validate --lang nl` (the default 20 replications of a year), and the first screen
   of its validation.html.
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCREEN = {"width": 1280, "height": 800}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
NO_MODEBAR = ".modebar-container { display: none !important }"
LOCATION = "residents=24,kind=kleinschalig,sector=VV,gp=P1"


def report_picture(browser, work: Path) -> Path:
    from sim.cli import main
    assert main(["impact", str(ROOT / "configs" / "baseline.yaml"), "--add-location", LOCATION, "-r", "10",
                 "--lang", "nl", "-q", "--out", str(work / "impact")]) == 0
    (report,) = (work / "impact").glob("*/report.html")
    page = browser.new_page(viewport=SCREEN)
    page.goto(report.as_uri())
    page.wait_for_function("Array.from(document.querySelectorAll('.js-plotly-plot')).every(e => e.data)")
    page.add_style_tag(content=NO_MODEBAR)
    target = DOCS / "report-nl.png"
    page.screenshot(path=str(target), animations="disabled", caret="hide")
    return target


def validation_picture(browser, work: Path) -> Path:
    from sim.cli import main
    assert main(["validate", "--lang", "nl", "-q", "--out", str(work / "validate")]) == 0
    (report,) = (work / "validate").glob("*/*/validation.html")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(report.as_uri())
    target = DOCS / "validation-nl.png"
    page.screenshot(path=str(target), animations="disabled", caret="hide")
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_picture(browser, work: Path) -> Path:
    from werkzeug.serving import make_server

    from sim.present.app import create_app
    port = _free_port()
    server = make_server("127.0.0.1", port, create_app(ROOT / "configs", workers=2, out_root=work / "app",
                                                       port=port).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_context(viewport=SCREEN).new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("#run")
        page.get_by_label("Nederlands").check()
        page.wait_for_function("document.querySelector('#run').innerText === 'Bereken'")
        page.click("#practice")
        page.get_by_role("option", name="Huisartsenpraktijk De Linde").click()
        for selector, value in (("#residents", "24"), ("#replications", "5"), ("#weeks", "13")):
            page.fill(selector, value)
            page.press(selector, "Tab")
        page.click("#run")
        page.wait_for_function("document.querySelector('#progress').innerText.startsWith('Klaar')", timeout=300_000)
        page.wait_for_selector("#chart-per_week .js-plotly-plot")
        page.add_style_tag(content=NO_MODEBAR)
        for _ in range(3):  # the button, then the answer (the charts may still settle: look again)
            page.evaluate("window.scrollBy({top: document.querySelector('#message').getBoundingClientRect().top - 8,"
                          " behavior: 'instant'})")
            page.wait_for_timeout(400)
        target = DOCS / "app-nl.png"
        page.screenshot(path=str(target), animations="disabled", caret="hide")
        return target
    finally:
        server.shutdown()


def main() -> int:
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("error: needs Chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for made in (report_picture(browser, Path(tmp)), app_picture(browser, Path(tmp)),
                     validation_picture(browser, Path(tmp))):
            print(made)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
