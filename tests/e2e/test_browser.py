"""The web app in headless Chromium (Debian's) against a real server on the demo catalog.

Playwright (frontend/e2e) types a misspelled product, picks the card, asks, checks the streamed
answer with its citation chip and the scenario toggle, and keeps a screenshot of every step in
frontend/test-results/. Locally a missing browser or build skips; under CI=true it fails.
The server has an admin token (passed to Playwright as E2E_ADMIN_TOKEN), so the support spec can
follow a conversation, a thumbs down and a handoff through to the admin page.
"""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from hsc_jit.config import Settings
from tests.e2e.playwright import DIST, FRONTEND, require_browser_and_build, run_playwright
from tests.utils.live import live_settings, running

pytestmark = pytest.mark.e2e

ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef"


# The whole Playwright suite runs inside this one test (about 30 s; more on a busy machine).
@pytest.mark.timeout(300)
def test_type_pick_ask_in_a_real_browser(settings: Settings) -> None:
    require_browser_and_build()
    server_settings = live_settings(settings, static_dir=DIST, admin_token=SecretStr(ADMIN_TOKEN))
    with running(server_settings) as server:
        page = httpx.get(f"{server.url}/products/roland-td27kv")
        assert page.status_code == 200  # a deep link loads the app
        assert "<div id=" in page.text
        result = run_playwright({"E2E_BASE_URL": server.url, "E2E_ADMIN_TOKEN": ADMIN_TOKEN})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    shots = sorted(p.name for p in (FRONTEND / "test-results").glob("*.png"))
    assert len(shots) >= 3, shots
