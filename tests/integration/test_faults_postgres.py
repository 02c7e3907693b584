"""PostgreSQL goes away under a live server, or is away when it starts.

Predictions keep coming from the in-memory index, a product's page falls back to it, /ready stays
200 and /health says degraded; a server that never reached its database is not ready and says why.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import httpx
import pytest

from hsc_jit.catalog.migrate import upgrade
from hsc_jit.config import Settings
from hsc_jit.demo.loader import load_demo_catalog
from tests.integration.conftest import POSTGRES_ADMIN_URL
from tests.utils.db import migrated
from tests.utils.faults import ask, get, health, predict, wait_for
from tests.utils.live import LiveServer, free_port, live_settings, running

pytestmark = pytest.mark.integration


async def _set_reachable(database_url: str, reachable: bool) -> None:
    """Let connections in, or refuse new ones and end the ones open now."""
    name = database_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await admin.execute(
            f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(reachable).lower()}'
        )
        if not reachable:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()",
                name,
            )
    finally:
        await admin.close()


def _ready(server: LiveServer) -> httpx.Response:
    return get(server, "/ready")


async def test_database_lost_mid_run_keeps_serving_from_memory(
    pg_settings: Settings, postgres_url: str
) -> None:
    with running(live_settings(pg_settings)) as server:
        messages = await ask(server, "shure-sm58", "How should I hold the microphone?")
        assert messages[-1]["type"] == "final_answer"
        assert health(server)["status"] == "healthy"
        expected = get(server, "/api/products/roland-td27kv").json()
        brands = {b["id"]: b["product_count"] for b in get(server, "/api/brands").json()["brands"]}

        await _set_reachable(postgres_url, False)
        try:
            assert predict(server, "rolnd td27")[0] == "roland-td27kv"
            assert predict(server, "shure sm58 mic")[0] == "shure-sm58"
            product = get(server, "/api/products/roland-td27kv")
            assert product.status_code == 200
            assert product.json() == expected
            missing = get(server, "/api/products/ghost")
            assert missing.status_code == 404
            listed = get(server, "/api/brands").json()["brands"]
            assert {b["id"]: b["product_count"] for b in listed} == brands
            # The manual is in the cache: the same question is still answered.
            again = await ask(server, "shure-sm58", "How should I hold the microphone?")
            assert again[-1]["type"] == "final_answer"
            assert _ready(server).status_code == 200
            body = health(server)
            assert body["status"] == "degraded"
            assert body["database"]["status"] == "down"
            assert body["index"]["ready"] is True
        finally:
            await _set_reachable(postgres_url, True)
        wait_for(lambda: health(server)["status"] == "healthy", what="healthy again")


async def test_database_unreachable_at_start_is_not_ready_and_says_why(tmp_path: Path) -> None:
    closed_port = free_port()  # nothing listens there
    settings = live_settings(
        Settings(
            data_dir=tmp_path,
            database_url=f"postgresql://postgres@127.0.0.1:{closed_port}/nowhere",
            log_json=False,
            log_level="CRITICAL",
            catalog_poll_s=3600,
        )
    )
    with running(settings) as server:
        response = _ready(server)
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "not_ready"
        assert "catalog not loaded" in body["reason"]
        assert "Error" in body["reason"]  # the exception class names the cause
        status = get(server, "/health")
        assert status.status_code == 503 and status.json()["status"] == "unhealthy"
        assert predict(server, "roland") == []


async def test_a_server_that_starts_without_its_database_becomes_ready_when_it_returns(
    pg_settings: Settings, postgres_url: str
) -> None:
    await upgrade(pg_settings)
    async with migrated(pg_settings) as (_engine, sessionmaker):
        await load_demo_catalog(sessionmaker, "http://127.0.0.1:8000")
    await _set_reachable(postgres_url, False)
    settings = live_settings(pg_settings, auto_migrate=False, catalog_poll_s=0.3)
    try:
        with running(settings) as server:
            response = _ready(server)
            assert response.status_code == 503
            assert "not currently accepting connections" in response.json()["reason"]
            await _set_reachable(postgres_url, True)
            await asyncio.to_thread(
                wait_for, lambda: _ready(server).status_code == 200, 10, "ready"
            )
            assert predict(server, "rolnd td27")[0] == "roland-td27kv"
    finally:
        await _set_reachable(postgres_url, True)
