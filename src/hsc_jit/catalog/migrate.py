"""Schema migrations with Alembic, driven from code so no alembic.ini has to ship."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from hsc_jit.config import Settings

_SCRIPTS = Path(__file__).with_name("migrations")


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.set_main_option("sqlalchemy.url", settings.effective_database_url)
    return config


def upgrade_sync(settings: Settings, revision: str = "head") -> None:
    if settings.is_sqlite:
        Path(settings.effective_database_url.split(":///", 1)[1]).parent.mkdir(
            parents=True, exist_ok=True
        )
    command.upgrade(alembic_config(settings), revision)


async def upgrade(settings: Settings, revision: str = "head") -> None:
    """Upgrade from a running event loop: Alembic's env runs its own loop, so use a thread."""
    await asyncio.to_thread(upgrade_sync, settings, revision)
