"""The composition root: the one place that builds the long-lived parts from ``Settings``.

The app's lifespan, ``hsc-jit warm`` and the CLI commands all take their parts from
``open_components``. Each part is built on first use, so a command that only reads the database
opens no Redis connection and starts no extraction processes, and closing closes only what was
built, each part before the parts it was built from.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Coroutine
from functools import cached_property
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hsc_jit.answer.base import AnswerProvider
from hsc_jit.answer.extractive import ExtractiveProvider
from hsc_jit.answer.registry import build_provider
from hsc_jit.cache.events import EventBus
from hsc_jit.cache.factory import build_cache, build_event_bus
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.catalog.db import create_engine, create_sessionmaker
from hsc_jit.catalog.migrate import upgrade
from hsc_jit.config import Settings
from hsc_jit.documents.service import DocumentService
from hsc_jit.services.answers import AnswerService
from hsc_jit.services.conversations import ConversationService
from hsc_jit.services.delivery import DeliveryWorker
from hsc_jit.services.handoff import HandoffService
from hsc_jit.services.prediction import PredictionService
from hsc_jit.services.retention import keep_pruning
from hsc_jit.services.review import ReviewService
from hsc_jit.services.searches import FailedSearches
from hsc_jit.services.snapshot import CatalogHolder


class Components:
    """The parts one process uses, each built from ``settings`` on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._closing = contextlib.AsyncExitStack()

    @cached_property
    def engine(self) -> AsyncEngine:
        engine = create_engine(self.settings)
        self._closing.push_async_callback(engine.dispose)
        return engine

    @cached_property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        return create_sessionmaker(self.engine)

    @cached_property
    def cache(self) -> TieredCache:
        cache = build_cache(self.settings)
        self._closing.push_async_callback(cache.close)
        return cache

    @cached_property
    def bus(self) -> EventBus:
        bus = build_event_bus(self.settings)
        self._closing.push_async_callback(bus.close)
        return bus

    @cached_property
    def holder(self) -> CatalogHolder:
        """The catalog snapshot's holder; empty until its first ``reload``."""
        return CatalogHolder(self.sessionmaker)

    @cached_property
    def predictions(self) -> PredictionService:
        return PredictionService(
            self.holder,
            self.cache,
            self.settings.prediction_cache_ttl_s,
            self.settings.predict_default_limit,
            self.failed_searches,
        )

    @cached_property
    def failed_searches(self) -> FailedSearches:
        return FailedSearches(
            self.sessionmaker,
            self.settings.failed_search_confidence,
            self.settings.failed_search_flush_s,
        )

    @cached_property
    def documents(self) -> DocumentService:
        documents = DocumentService.create(self.settings, self.sessionmaker, self.cache)
        self._closing.push_async_callback(documents.close)
        return documents

    @cached_property
    def provider(self) -> AnswerProvider:
        """The provider ``HSC_ANSWER_PROVIDER`` names; raises ``ProviderError`` if it is
        misconfigured."""
        provider = build_provider(self.settings)
        # The model providers own HTTP clients; the extractive one has nothing to close.
        close = getattr(provider, "aclose", None)
        if close is not None:
            self._closing.push_async_callback(close)
        return provider

    @cached_property
    def answers(self) -> AnswerService:
        return AnswerService(
            self.settings,
            self.holder,
            self.documents,
            self.cache,
            self.sessionmaker,
            self.provider,
            ExtractiveProvider(),
            self.conversations,
        )

    @cached_property
    def conversations(self) -> ConversationService:
        return ConversationService(
            self.sessionmaker,
            self.settings.conversation_max_turns,
            self.settings.conversation_prompt_tokens,
        )

    @cached_property
    def delivery(self) -> DeliveryWorker | None:
        """The handoff webhook's delivery worker; None when no webhook is configured."""
        settings = self.settings
        if settings.handoff_webhook_url is None or settings.handoff_webhook_secret is None:
            return None
        client = httpx.AsyncClient(
            timeout=settings.handoff_webhook_timeout_s,
            follow_redirects=False,  # a receiver that moved is fixed in the settings
            headers={"User-Agent": settings.fetch_user_agent},
        )
        self._closing.push_async_callback(client.aclose)
        return DeliveryWorker(
            self.sessionmaker,
            client,
            settings.handoff_webhook_url,
            settings.handoff_webhook_secret.get_secret_value().encode(),
            timeout_s=settings.handoff_webhook_timeout_s,
            retry_base_s=settings.handoff_retry_base_s,
            retry_cap_s=settings.handoff_retry_cap_s,
            poll_s=settings.handoff_poll_s,
        )

    @cached_property
    def handoff(self) -> HandoffService:
        delivery = self.delivery
        return HandoffService(
            self.sessionmaker,
            self.holder,
            self.settings.conversation_max_turns,
            delivery.wake if delivery else lambda: None,
        )

    @cached_property
    def review(self) -> ReviewService:
        return ReviewService(
            self.sessionmaker,
            self.holder,
            self.documents,
            self.settings.unanswered_group_similarity,
            webhook_configured=self.delivery is not None,
        )

    def support_jobs(self) -> list[Coroutine[Any, Any, None]]:
        """The loops a serving process runs beside the requests: expiry, failed-search
        counts and, with a webhook, ticket delivery."""
        jobs = [
            keep_pruning(self.sessionmaker, self.settings.conversation_retention_days),
            self.failed_searches.run(),
        ]
        if self.delivery is not None:
            jobs.append(self.delivery.run())
        return jobs

    async def aclose(self) -> None:
        """Close every part built, in the reverse order of building."""
        await self._closing.aclose()


@contextlib.asynccontextmanager
async def open_components(settings: Settings, *, migrate: bool = True) -> AsyncIterator[Components]:
    """The parts for ``settings``, closed when the block ends; the schema is migrated first
    when ``migrate`` and the settings ask for it (``HSC_AUTO_MIGRATE``)."""
    if migrate and settings.should_auto_migrate:
        await upgrade(settings)
    components = Components(settings)
    try:
        yield components
    finally:
        await components.aclose()
