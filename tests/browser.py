"""Headless Chromium for report tests: the DOM after the page's scripts ran, and screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=5000"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:
        if os.environ.get("ROBOINSTRUCT_SKIP_BROWSER_TESTS") == "1":
            pytest.skip("ROBOINSTRUCT_SKIP_BROWSER_TESTS=1 and no Chromium")
        pytest.fail("Chromium is not installed (CI installs Debian's `chromium`: apt-get install chromium)")
    return path


def _run(url: str, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, url],
                              capture_output=True, text=True, timeout=120)


def dump_dom(url: str) -> str:
    p = _run(url, "--dump-dom")
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


def screenshot(url: str, png: str, size: str = "1200,1600") -> str:
    p = _run(url, f"--screenshot={png}", f"--window-size={size}")
    assert p.returncode == 0 and os.path.getsize(png) > 0, p.stderr[-2000:]
    return png
