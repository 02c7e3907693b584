"""The operator commands against real servers: warm, check, unanswered, catalog import."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from hsc_jit.cli import app
from tests.utils.live import LiveServer


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("HSC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HSC_FETCH_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("HSC_LOG_LEVEL", "WARNING")
    monkeypatch.delenv("HSC_DATABASE_URL", raising=False)
    monkeypatch.delenv("HSC_REDIS_URL", raising=False)
    return tmp_path


def _demo_catalog_for(server: LiveServer, folder: Path) -> Path:
    """The demo catalog with its manuals pointing at the running demo server."""
    from hsc_jit.demo.loader import DEMO_BASE, DEMO_CATALOG

    path = folder / "demo.json"
    path.write_text(DEMO_CATALOG.read_text().replace(DEMO_BASE, server.url))
    return path


def test_import_then_warm_stores_the_manuals(env: Path, demo_server: LiveServer) -> None:
    runner = CliRunner()
    imported = runner.invoke(app, ["catalog", "import", str(_demo_catalog_for(demo_server, env))])
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.splitlines()[0].startswith("files: 1, brands: 6, products: 32")

    warmed = runner.invoke(app, ["warm", "roland-td27kv", "shure-sm58", "no-such-product"])
    assert warmed.exit_code == 1  # one product is unknown
    assert "2 of 2 documents stored" in warmed.stdout
    assert "no-such-product: not in the catalog" in warmed.stderr
    assert "roland-td27kv: 14 pages with sentence vectors" in warmed.stdout
    with sqlite3.connect(env / "hsc-jit.sqlite3") as db:
        stored = db.execute("SELECT count(*), sum(count) FROM document_vectors").fetchone()
    assert stored[0] == 2 and stored[1] > 100  # both manuals, every sentence


def test_warm_needs_products_or_all(env: Path) -> None:
    result = CliRunner().invoke(app, ["warm"])
    assert result.exit_code == 2
    assert "--all" in result.stderr


def test_refused_import_exits_nonzero(env: Path) -> None:
    broken = env / "broken.json"
    broken.write_text("{")
    result = CliRunner().invoke(app, ["catalog", "import", str(broken)])
    assert result.exit_code == 1
    assert f"error: {broken}:1:2: invalid JSON" in result.stderr


def test_check_reads_a_running_instance(demo_server: LiveServer) -> None:
    httpx.get(f"{demo_server.url}/api/predict", params={"q": "nord"})
    result = CliRunner().invoke(app, ["check", "--url", demo_server.url, "--json"])
    checks = {item["name"]: item for item in json.loads(result.stdout)}
    assert {"cache hit rate", "error rate"} <= set(checks)
    assert checks["error rate"]["passed"] is True
    assert result.exit_code == (
        0 if all(c["passed"] for c in checks.values() if c["applicable"]) else 1
    )


def test_unanswered_lists_the_latest_and_groups_them(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    asked = [
        ("2026-01-01 10:00:00", "nord-stage-4", "Does it run on batteries?"),
        ("2026-01-02 10:00:00", "nord-stage-4", "Does it run on batteries?"),
        ("2026-01-03 10:00:00", "shure-sm58", "Is it waterproof?"),
    ]
    with sqlite3.connect(env / "hsc-jit.sqlite3") as db:
        db.executemany(
            "INSERT INTO unanswered_questions (created_at, product_id, question, scenario) "
            "VALUES (?, ?, ?, 'live')",
            asked,
        )

    latest = runner.invoke(app, ["unanswered", "--limit", "2"])
    assert latest.exit_code == 0, latest.output
    assert latest.stdout.splitlines() == [
        "2026-01-03 10:00  shure-sm58  [live]  Is it waterproof?",
        "2026-01-02 10:00  nord-stage-4  [live]  Does it run on batteries?",
    ]
    grouped = runner.invoke(app, ["unanswered", "--grouped"])
    assert grouped.exit_code == 0, grouped.output
    assert grouped.stdout.splitlines() == [
        "   2x  nord-stage-4  Does it run on batteries?",
        "   1x  shure-sm58  Is it waterproof?",
    ]
