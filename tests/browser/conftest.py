"""What the browser tests share: Debian's Chromium driven by Playwright, one browser per
module. In CI (.ci/run installs Chromium) the tests must run; elsewhere they skip without it."""

from __future__ import annotations

import os
import shutil

import pytest

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
