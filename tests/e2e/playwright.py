"""Running the web app's Playwright specs from pytest, with Debian's Chromium.

Locally a missing browser, npm or build skips the test; under CI=true it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
DIST = FRONTEND / "dist"


def require(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} — required when CI=true")
    pytest.skip(what)


def require_browser_and_build(*built: str) -> None:
    """Chromium, npm and node, the installed dependencies and these files of ``dist/``."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    require(Path(chromium).exists(), f"no Chromium at {chromium} (apt-get install chromium)")
    require(
        shutil.which("npm") is not None and shutil.which("node") is not None,
        "npm/node is not installed",
    )
    require((FRONTEND / "node_modules").is_dir(), "frontend dependencies are not installed")
    for name in ("index.html", *built):
        require((DIST / name).is_file(), f"{name} is not built (npm run build)")


def run_playwright(env: dict[str, str], *specs: str) -> subprocess.CompletedProcess[str]:
    """``npm run e2e`` (only ``specs`` when given) with ``env`` added to this environment."""
    return subprocess.run(
        ["npm", "run", "e2e", *(["--", *specs] if specs else [])],
        cwd=FRONTEND,
        env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
