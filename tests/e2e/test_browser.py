"""The web app in headless Chromium (Debian's) against a real server on the demo catalog.

Playwright (frontend/e2e) types a misspelled product, picks the card, asks, checks the streamed
answer with its citation chip and the scenario toggle, and keeps a screenshot of every step in
frontend/test-results/. Locally a missing browser or build skips; under CI=true it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from hsc_jit.config import Settings
from tests.utils.live import live_settings, running

pytestmark = pytest.mark.e2e

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def _require(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} — required when CI=true")
    pytest.skip(what)


def test_type_pick_ask_in_a_real_browser(settings: Settings) -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    _require(Path(chromium).exists(), f"no Chromium at {chromium} (apt-get install chromium)")
    _require(shutil.which("npm") is not None, "npm is not installed")
    _require((FRONTEND / "dist" / "index.html").is_file(), "the web app is not built")
    _require((FRONTEND / "node_modules").is_dir(), "frontend dependencies are not installed")
    server_settings = live_settings(settings, static_dir=FRONTEND / "dist")
    with running(server_settings) as server:
        page = httpx.get(f"{server.url}/products/roland-td27kv")
        assert page.status_code == 200  # a deep link loads the app
        assert "<div id=" in page.text
        result = subprocess.run(
            ["npm", "run", "e2e"],
            cwd=FRONTEND,
            env={**os.environ, "E2E_BASE_URL": server.url, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    shots = sorted(p.name for p in (FRONTEND / "test-results").glob("*.png"))
    assert len(shots) >= 3, shots
