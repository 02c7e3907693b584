"""Small helpers shared by the modules that write SQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Slices of at most ``size``: keeps statements under the drivers' parameter limits."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert(session: AsyncSession, table: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with ``ON CONFLICT`` for the session's database (PostgreSQL or SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def database_error_code(exc: BaseException) -> str | None:
    """The database's own name for a driver error ("SQLITE_BUSY", PostgreSQL's SQLSTATE),
    safe to log: unlike the message, it never holds the statement's values."""
    orig = getattr(exc, "orig", None)
    for name in ("sqlite_errorname", "sqlstate", "pgcode"):
        code = getattr(orig, name, None)
        if isinstance(code, str) and code:
            return code
    return None


def as_utc(moment: datetime) -> datetime:
    """A timestamp read back from the database, with its zone: SQLite drops it (all are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
