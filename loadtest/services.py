"""PostgreSQL and Redis for runs with ``--services``: a fresh database, a spare Redis db.

A run owns what it creates: the database is created and dropped by name, and only the claimed
Redis db is flushed (db 0, a developer's, and db 15, the test suite's, are never claimed).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
import redis

POSTGRES_ADMIN_URL = os.environ.get(
    "HSC_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_BASE_URL = os.environ.get("HSC_BENCH_REDIS_URL", "redis://127.0.0.1:6379")
SPARE_REDIS_DBS = range(14, 0, -1)
_CLAIM_KEY = "hsc-loadtest:claim"


async def _admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(url, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextmanager
def fresh_database(admin_url: str = POSTGRES_ADMIN_URL, prefix: str = "hsc_load") -> Iterator[str]:
    """``postgresql://.../<new database>``, dropped (connections and all) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def spare_redis_db(base_url: str = REDIS_BASE_URL, hold_s: int = 3600) -> Iterator[str]:
    """``redis://.../<db>`` of an empty db claimed for this run; only that db is flushed after."""
    base_url = base_url.rstrip("/")
    for db in SPARE_REDIS_DBS:
        client = redis.Redis.from_url(
            f"{base_url}/{db}", socket_connect_timeout=2, socket_timeout=2
        )
        try:
            claimed = client.set(_CLAIM_KEY, str(os.getpid()), nx=True, ex=hold_s)
            if not claimed:
                continue
            if client.dbsize() != 1:  # someone else's data is here: leave it alone
                client.delete(_CLAIM_KEY)
                continue
        finally:
            client.close()
        url = f"{base_url}/{db}"
        try:
            yield url
        finally:
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
            try:
                client.flushdb()
            finally:
                client.close()
        return
    raise RuntimeError(f"no empty Redis db among {list(SPARE_REDIS_DBS)} at {base_url}")
