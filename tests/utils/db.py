"""Database helpers for tests: a migrated database and a statement counter."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hsc_jit.catalog.db import create_engine, create_sessionmaker
from hsc_jit.catalog.migrate import upgrade
from hsc_jit.config import Settings


@asynccontextmanager
async def migrated(
    settings: Settings,
) -> AsyncIterator[tuple[AsyncEngine, async_sessionmaker[AsyncSession]]]:
    await upgrade(settings)
    engine = create_engine(settings)
    try:
        yield engine, create_sessionmaker(engine)
    finally:
        await engine.dispose()


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collects every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
