"""The migrations build exactly the schema the ORM models describe, and downgrade cleanly."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from hsc_jit.catalog.migrate import alembic_config, upgrade
from hsc_jit.catalog.models import Base
from hsc_jit.config import Settings
from hsc_jit.support import models as _support_models  # noqa: F401  (its tables)
from tests.utils.db import migrated


def schema_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_migrated_schema_matches_the_models(settings: Settings) -> None:
    async with migrated(settings) as (engine, _sessionmaker), engine.connect() as connection:
        assert await connection.run_sync(schema_differences) == []


async def test_the_vectors_migration_downgrades_and_upgrades(settings: Settings) -> None:
    async with migrated(settings) as (engine, _sessionmaker):
        await asyncio.to_thread(command.downgrade, alembic_config(settings), "0001")
        async with engine.connect() as connection:
            assert "document_vectors" not in await connection.run_sync(_tables)
        await upgrade(settings, "head")
        async with engine.connect() as connection:
            assert "document_vectors" in await connection.run_sync(_tables)
