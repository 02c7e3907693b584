"""Resources built once in the lifespan, and the one-line dependencies that hand them out."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Annotated, cast

from fastapi import Depends, Request, WebSocket
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hsc_jit.api.ratelimit import Limits
from hsc_jit.cache.events import EventBus
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.config import Settings
from hsc_jit.drain import DRAIN, Drain
from hsc_jit.services.answers import AnswerService
from hsc_jit.services.conversations import ConversationService
from hsc_jit.services.handoff import HandoffService
from hsc_jit.services.prediction import PredictionService
from hsc_jit.services.review import ReviewService
from hsc_jit.services.snapshot import CatalogHolder


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    cache: TieredCache
    bus: EventBus
    holder: CatalogHolder
    predictions: PredictionService
    answers: AnswerService
    limits: Limits
    conversations: ConversationService
    handoff: HandoffService
    review: ReviewService
    started_at: float = field(default_factory=time.time)
    connections: set[WebSocket] = field(default_factory=set)
    drain: Drain = field(default_factory=lambda: DRAIN)
    shutting_down: asyncio.Event = field(default_factory=asyncio.Event)
    background: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def queries_in_flight(self) -> int:
        return self.drain.in_flight


def get_state(request: Request) -> AppState:
    return cast(AppState, request.app.state.hsc)


def get_ws_state(websocket: WebSocket) -> AppState:
    return cast(AppState, websocket.app.state.hsc)


StateDep = Annotated[AppState, Depends(get_state)]
