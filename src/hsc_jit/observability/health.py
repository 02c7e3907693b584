"""What ``/health`` reports: the database, the cache, the index and the process."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_PROCESS = psutil.Process()
_CGROUP_LIMIT = Path("/sys/fs/cgroup/memory.max")


async def database_status(engine: AsyncEngine, timeout_s: float = 2.0) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout_s), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def memory_limit_bytes() -> int | None:
    """The container's memory limit (cgroup v2), or None when unlimited or unknown."""
    try:
        raw = _CGROUP_LIMIT.read_text().strip()
    except OSError:
        return None
    return int(raw) if raw.isdigit() else None


def process_status() -> dict[str, Any]:
    rss = _PROCESS.memory_info().rss
    limit = memory_limit_bytes() or psutil.virtual_memory().total
    return {
        "memory_rss_bytes": rss,
        "memory_percent_of_limit": round(100 * rss / limit, 2),
        "cpu_percent": _PROCESS.cpu_percent(interval=None),
        "threads": _PROCESS.num_threads(),
    }


def overall(database: str, cache: str, index_ready: bool) -> str:
    if not index_ready and database != "ok":
        return "unhealthy"
    if database != "ok" or cache == "degraded" or not index_ready:
        return "degraded"
    return "healthy"
