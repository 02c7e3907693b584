"""The bundled demo catalog and manuals, so a first run works with no network."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog.importer import ImportReport, import_paths

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
