"""What the browser tests share: Debian's Chromium driven by Playwright, one browser per
module. In CI (.ci/run installs Chromium) the tests must run; elsewhere they skip without it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sim.cli import main

from ..conftest import ROOT

CONFIGS = ROOT / "configs"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
NO_MODEBAR = ".modebar-container { display: none !important }"


@pytest.fixture(scope="module")
def browser():
    if not HAVE_CHROMIUM and not os.environ.get("CI"):
        pytest.skip("Chromium is not installed (CI installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _one(folder: Path) -> Path:
    (found,) = [p for p in folder.iterdir() if p.is_dir()]
    return found


@pytest.fixture(scope="session")
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
        "run_anw": [str(CONFIGS / "p_anw_te_dun.yaml"), "-r", "3", "--weeks", "4", "-q"],
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
        assert main([*argv, "--out", str(tmp / name), "-w", "1"]) == 0, name  # 1 = a sweep point failed
        out[name] = _one(tmp / name)
    return out
