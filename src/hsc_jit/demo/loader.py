"""The bundled demo catalog and manuals, so a first run works with no network."""

from __future__ import annotations

from pathlib import Path

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog import repository
from hsc_jit.catalog.importer import ImportReport, import_paths
from hsc_jit.config import Settings

log = structlog.get_logger(__name__)

DEMO_DIR = Path(__file__).parent
DEMO_CATALOG = DEMO_DIR / "catalog.json"
MANUALS_DIR = DEMO_DIR / "manuals"
# The demo catalog names its manuals under this base; the loader points them at this instance.
DEMO_BASE = "http://127.0.0.1:8000"


async def load_demo_catalog(
    sessionmaker: async_sessionmaker[AsyncSession], public_base_url: str
) -> ImportReport:
    def rewrite(url: str) -> str:
        return public_base_url + url[len(DEMO_BASE) :] if url.startswith(DEMO_BASE) else url

    return await import_paths(sessionmaker, [DEMO_CATALOG], rewrite_url=rewrite)


async def seed_demo_catalog(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The demo catalog into an empty database, when ``HSC_LOAD_DEMO_CATALOG`` asks for it."""
    if not settings.load_demo_catalog:
        return
    try:
        async with sessionmaker() as session:
            empty = await repository.count_products(session) == 0
    except Exception as exc:  # the app starts anyway and serves once the database is back
        log.warning("app.demo_check_failed", error=type(exc).__name__)
        return
    if empty:
        report = await load_demo_catalog(sessionmaker, settings.effective_public_base_url)
        log.info("app.demo_catalog_loaded", **report.summary())
