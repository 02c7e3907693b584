"""The same catalog guarantees on the real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from hsc_jit.config import Settings
from tests.utils.catalog_checks import (
    check_constant_statements,
    check_real_data_imports,
    check_sample_imports,
)
from tests.utils.db import migrated

pytestmark = pytest.mark.integration


async def test_sample_catalog_imports_into_postgres(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (engine, sessionmaker):
        await check_sample_imports(sessionmaker)
        product_statements, brand_statements = await check_constant_statements(engine, sessionmaker)
    assert product_statements <= 3
    assert brand_statements == 1


async def test_real_data_sets_import_into_postgres(
    pg_settings: Settings, shared_data: Path
) -> None:
    async with migrated(pg_settings) as (engine, sessionmaker):
        await check_real_data_imports(engine, sessionmaker, shared_data)
        product_statements, brand_statements = await check_constant_statements(engine, sessionmaker)
    assert product_statements <= 3
    assert brand_statements == 1


async def test_postgres_engine_uses_the_guide_pool(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (engine, _sessionmaker):
        pool = engine.pool
        assert pool.size() == 20  # type: ignore[attr-defined]
        assert engine.pool._max_overflow == 10  # type: ignore[attr-defined]
        assert engine.pool._pre_ping is True
        assert engine.pool._recycle == 3600
