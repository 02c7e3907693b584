"""The migrations build exactly the models' schema on the real PostgreSQL too."""

from __future__ import annotations

import pytest

from hsc_jit.config import Settings
from tests.unit.test_migrations import schema_differences
from tests.utils.db import migrated

pytestmark = pytest.mark.integration


async def test_migrated_postgres_schema_matches_the_models(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (engine, _sessionmaker), engine.connect() as connection:
        assert await connection.run_sync(schema_differences) == []
