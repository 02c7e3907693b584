"""Shared fixtures: settings on a temporary data folder, a live server on the demo catalog."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import structlog
from bench._shared_data import ENV, data_dir

from hsc_jit.config import Settings
from hsc_jit.retrieve.embed import SentenceEmbedder

if TYPE_CHECKING:
    from tests.utils.live import LiveServer

SHARED_DATA = data_dir()


@pytest.fixture(autouse=True)
def _fresh_logging() -> Iterator[None]:
    """Each test starts and ends with default logging, never a stream pytest has closed."""
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()
    root = logging.getLogger()
    for handler in root.handlers[:]:
        if type(handler) is logging.StreamHandler:  # the app's, not pytest's capture handlers
            root.removeHandler(handler)
    root.setLevel(logging.WARNING)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        fetch_allow_private=True,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
    )


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server on the embedded defaults (SQLite, in-process cache, demo catalog)."""
    from tests.utils.live import live_settings, running

    base = Settings(
        data_dir=tmp_path_factory.mktemp("demo"),
        fetch_allow_private=True,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
        semantic_wait_s=120,  # answers always ranked by meaning too, however slow the machine
    )
    with running(live_settings(base)) as server:
        yield server


@pytest.fixture
def shared_data() -> Path:
    """The distributor's real data, for extra tests; the repository's own tests never need it."""
    if not (SHARED_DATA / "catalogs-v3").is_dir():
        pytest.skip(
            f"extra test on the real data: no shared data folder at {SHARED_DATA} "
            f"(set {ENV} to where it is)"
        )
    return SHARED_DATA


@pytest.fixture(scope="session")
def embedder() -> SentenceEmbedder:
    """The packaged sentence-embedding model, loaded once for the whole run."""
    return SentenceEmbedder()
