"""The pictures in docs/: the first screen of every report and of the app, in Dutch, at
1366x768 (a common laptop screen), made the way a user makes them.

    .venv/bin/python tools/screenshots.py      # ~3 minutes; needs Chromium and Playwright ('.[test]')

Reports (each `--lang nl`, the first screen of its report.html):

    docs/report-nl.png        impact: a new kleinschalige woonvorm of 24 residents at De Linde (P1)
    docs/run-nl.png           run of configs/p_anw_te_dun.yaml (against its parent, the baseline)
    docs/run-voorwacht-nl.png run of configs/c_voorwacht.yaml
    docs/compare-nl.png       compare configs/baseline.yaml configs/c_voorwacht.yaml
    docs/staff-nl.png         staff configs/p_anw_te_dun.yaml --service hap.doctors (two targets)
    docs/sweep-nl.png         sweep configs/sweeps/voorwacht_resolve.yaml (fewer weeks)
    docs/sensitivity-nl.png   sensitivity configs/sweeps/assumptions_c_voorwacht.yaml (fewer weeks)
    docs/warmup-nl.png        warmup configs/baseline.yaml

The app on a free local port, opened by a browser that prefers Dutch:

    docs/app-start-nl.png     the form as it opens (Bereken in view)
    docs/app-nl.png           the new location at De Linde, Bereken, the answer
    docs/app-compare-nl.png   a voorwacht switched on, Bereken, the answer

The check against published figures:

    docs/validation-nl.png    validate (the default 20 replications of a year), validation.html
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIGS = ROOT / "configs"
SCREEN = {"width": 1366, "height": 768}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
NO_MODEBAR = ".modebar-container { display: none !important }"
LOCATION = "residents=24,kind=kleinschalig,sector=VV,gp=P1"


def commands(work: Path) -> dict[str, list[str]]:
    """picture name -> the command line whose report it shows."""
    fast = ["-r", "5", "--weeks", "13", "--lang", "nl", "-q", "-w", "2"]
    sweeps = {}
    for name in ("voorwacht_resolve", "assumptions_c_voorwacht"):  # the shipped files, on fewer weeks
        text = (CONFIGS / "sweeps" / f"{name}.yaml").read_text().replace("../", f"{CONFIGS}/")
        sweeps[name] = work / f"{name}.yaml"
        sweeps[name].write_text(text.replace("weeks: 26", "weeks: 8").replace("trajectories: 6", "trajectories: 4"))
    return {
        "report-nl": ["impact", str(CONFIGS / "baseline.yaml"), "--add-location", LOCATION, "-r", "10", "--lang", "nl",
                      "-q", "-w", "2"],
        "run-nl": [str(CONFIGS / "p_anw_te_dun.yaml"), *fast],
        "run-voorwacht-nl": [str(CONFIGS / "c_voorwacht.yaml"), *fast],
        "compare-nl": ["compare", str(CONFIGS / "baseline.yaml"), str(CONFIGS / "c_voorwacht.yaml"), *fast],
        "staff-nl": ["staff", str(CONFIGS / "p_anw_te_dun.yaml"), "--service", "hap.doctors", "--target",
                     "background U3 p90 physician <= 60 min", "--target", "utilisation <= 0.85", "-r", "3",
                     "--weeks", "8", "--lang", "nl", "-q", "-w", "2"],
        "sweep-nl": ["sweep", str(sweeps["voorwacht_resolve"]), "--lang", "nl", "-q", "-w", "2"],
        "sensitivity-nl": ["sensitivity", str(sweeps["assumptions_c_voorwacht"]), "--lang", "nl", "-q", "-w", "2"],
        "warmup-nl": ["warmup", str(CONFIGS / "baseline.yaml"), "-r", "3", "--weeks", "8", "--lang", "nl", "-q",
                      "-w", "2"],
    }


def first_screen(browser, report: Path, target: Path) -> Path:
    page = browser.new_page(viewport=SCREEN)
    page.goto(report.as_uri())
    page.wait_for_function("Array.from(document.querySelectorAll('.js-plotly-plot')).every(e => e.data)")
    page.add_style_tag(content=NO_MODEBAR)
    page.wait_for_timeout(300)
    page.screenshot(path=str(target), animations="disabled", caret="hide")
    page.close()
    return target


def validation_picture(browser, work: Path) -> Path:
    from sim.cli import main
    assert main(["validate", "--lang", "nl", "-q", "--out", str(work / "validate")]) == 0
    (report,) = (work / "validate").glob("*/*/validation.html")
    page = browser.new_page(viewport=SCREEN)
    page.goto(report.as_uri())
    target = DOCS / "validation-nl.png"
    page.screenshot(path=str(target), animations="disabled", caret="hide")
    page.close()
    return target


def report_pictures(browser, work: Path) -> list[Path]:
    from sim.cli import main
    made = []
    for name, argv in commands(work).items():
        out = work / name
        assert main([*argv, "--out", str(out)]) in (0, 1), name  # 1: a run that finds an overloaded service
        (report,) = out.glob("*/report.html")
        made.append(first_screen(browser, report, DOCS / f"{name}.png"))
    return made


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bereken(page) -> None:
    page.click("#run")
    page.wait_for_function("document.querySelector('#progress').innerText.startsWith('Klaar')", timeout=300_000)
    page.add_style_tag(content=NO_MODEBAR)
    page.wait_for_timeout(800)


def app_pictures(browser, work: Path) -> list[Path]:
    import logging

    from werkzeug.serving import make_server

    from sim.present.app import create_app
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    port = _free_port()
    server = make_server("127.0.0.1", port, create_app(CONFIGS, workers=2, out_root=work / "app", port=port).server,
                         threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    made = []
    try:
        page = browser.new_context(viewport=SCREEN, locale="nl-NL").new_page()  # a browser that prefers Dutch
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function("document.querySelector('#run') && document.querySelector('#run').innerText === 'Bereken'")
        page.wait_for_timeout(500)
        page.screenshot(path=str(DOCS / "app-start-nl.png"), animations="disabled", caret="hide")
        made.append(DOCS / "app-start-nl.png")
        page.click("#practice")
        page.get_by_role("option", name="Huisartsenpraktijk De Linde").click()
        for selector, value in (("#residents", "24"), ("#replications", "5"), ("#weeks", "13")):
            page.fill(selector, value)
            page.press(selector, "Tab")
        _bereken(page)
        page.wait_for_selector("#chart-per_week .js-plotly-plot")
        page.evaluate("document.querySelector('#wrap-impact').scrollIntoView({block: 'start', behavior: 'instant'})")
        page.wait_for_timeout(400)
        page.screenshot(path=str(DOCS / "app-nl.png"), animations="disabled", caret="hide")
        made.append(DOCS / "app-nl.png")
        page.click("#tab-compare")
        page.get_by_label("Voorwacht (C)", exact=False).check()
        _bereken(page)
        page.evaluate("document.querySelector('#wrap-compare').scrollIntoView({block: 'start', behavior: 'instant'})")
        page.wait_for_timeout(400)
        page.screenshot(path=str(DOCS / "app-compare-nl.png"), animations="disabled", caret="hide")
        made.append(DOCS / "app-compare-nl.png")
        return made
    finally:
        server.shutdown()


def main() -> int:
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("error: needs Chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    os.environ.setdefault("TQDM_DISABLE", "1")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for made in (*report_pictures(browser, Path(tmp)), *app_pictures(browser, Path(tmp)),
                     validation_picture(browser, Path(tmp))):
            print(made.relative_to(ROOT))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
