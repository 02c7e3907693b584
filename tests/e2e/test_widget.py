"""The widget (``/widget.js``) on a shop's own page, in headless Chromium (Debian's).

A real server on the demo catalog allows one shop origin (``cors_origins``); two plain static
servers on other 127.0.0.1 ports serve the same shop pages (``frontend/e2e/shop-page.mjs``: the
README snippet and a hostile stylesheet), one on that allowed origin and one on an origin the
server does not know. Playwright (``frontend/e2e/widget.spec.ts``) then types a misspelled
product in the widget, picks it, asks, and checks the cited answer, in English and in Hebrew
(right-to-left; a Hebrew catalog name predicted from Hebrew typing), and that the other origin
gets no working chat. Screenshots go to ``frontend/test-results/widget-*.png``. Locally a
missing browser or build skips; under CI=true it fails.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from hsc_jit.config import Settings
from tests.e2e.playwright import DIST, FRONTEND, require_browser_and_build, run_playwright
from tests.utils.faults import ADMIN_TOKEN, import_catalog
from tests.utils.live import free_port, live_settings, running

pytestmark = pytest.mark.e2e

SHOTS = ("widget-en-closed", "widget-en-open", "widget-he-open", "widget-he-closed")
# A product whose catalog name is Hebrew, as 1,862 of the distributor's are; the demo has none.
HEBREW_PRODUCT = {
    "brand_identity": {"id": "roland", "name": "Roland", "hq": "Hamamatsu, Japan"},
    "products": [{"id": "stand-double-he", "name": "מעמד קלידים כפול", "category": "Stands"}],
}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def static_site(directory: Path, port: int) -> Iterator[str]:
    """A plain static HTTP server on 127.0.0.1:port (a shop's web server), in a thread."""
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", port), partial(_QuietHandler, directory=str(directory))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_widget_on_a_shop_page_in_a_real_browser(settings: Settings, tmp_path: Path) -> None:
    require_browser_and_build("widget.js", "widget/manifest.json")
    panel = json.loads((DIST / "widget" / "manifest.json").read_text())["panel"]

    shop_port, foreign_port = free_port(), free_port()
    shop_origin = f"http://127.0.0.1:{shop_port}"
    foreign_origin = f"http://127.0.0.1:{foreign_port}"
    server_settings = live_settings(
        settings,
        static_dir=DIST,
        cors_origins=[shop_origin],
        admin_token=SecretStr(ADMIN_TOKEN),
    )
    pages = tmp_path / "shop"
    with running(server_settings) as server:
        imported = import_catalog(server, json.dumps(HEBREW_PRODUCT).encode())
        assert imported.status_code == 200, imported.text
        subprocess.run(
            ["node", "e2e/shop-page.mjs", str(pages), server.url],
            cwd=FRONTEND,
            check=True,
            timeout=60,
        )
        assert 'data-lang="he"' in (pages / "he.html").read_text()

        # The loader is served from the support host; the panel (an ES module, loaded
        # cross-origin with import()) carries CORS headers for the allowed shop only.
        loader = httpx.get(f"{server.url}/widget.js")
        assert loader.status_code == 200
        assert "javascript" in loader.headers["content-type"]
        allowed = httpx.get(f"{server.url}/{panel}", headers={"Origin": shop_origin})
        assert allowed.status_code == 200
        assert allowed.headers.get("access-control-allow-origin") == shop_origin
        refused = httpx.get(f"{server.url}/{panel}", headers={"Origin": foreign_origin})
        assert "access-control-allow-origin" not in refused.headers
        config = httpx.get(f"{server.url}/api/config", headers={"Origin": shop_origin})
        assert config.status_code == 200
        assert config.headers.get("access-control-allow-origin") == shop_origin

        with static_site(pages, shop_port) as shop, static_site(pages, foreign_port) as foreign:
            assert httpx.get(f"{shop}/en.html").status_code == 200
            env = {"E2E_BASE_URL": server.url, "E2E_SHOP_URL": shop, "E2E_FOREIGN_URL": foreign}
            result = run_playwright(env, "widget.spec.ts")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]
    for name in SHOTS:
        assert (FRONTEND / "test-results" / f"{name}.png").is_file(), name
