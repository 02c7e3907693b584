"""Integration tests run against the real PostgreSQL and Redis on 127.0.0.1.

Locally a missing service skips these tests with the reason; under CI (``CI=true``) it fails them.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from hsc_jit.config import Settings
from tests.integration._services import unavailable

POSTGRES_ADMIN_URL = os.environ.get(
    "HSC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"hsc_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable("PostgreSQL", f"{type(exc).__name__}: {exc}")
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def pg_settings(tmp_path: Path, postgres_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=postgres_url,
        fetch_allow_private=True,
        log_json=False,
        log_level="WARNING",
        auto_migrate=True,
        catalog_poll_s=3600,
    )
