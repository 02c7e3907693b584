"""The ``/ws`` socket: typing frames answered in order, queries streamed from tasks.

One receive loop parses frames and answers ``typing`` and ``ping`` inline, so a client that sends
no ``seq`` gets its predictions in the order it typed. Each ``query`` runs as a task (at most a
few per connection) whose messages go through one send lock, and so does each ``feedback`` and
``handoff`` (they write to the database); when the client goes, every task of the connection is
cancelled, which cancels the answer provider too.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Coroutine, Sequence
from typing import Any
from urllib.parse import urlsplit

import structlog
from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from hsc_jit.api.protocol import (
    CLIENT_ID,
    FeedbackFrame,
    FrameError,
    HandoffFrame,
    PingFrame,
    QueryFrame,
    TypingFrame,
    parse_client_frame,
)
from hsc_jit.api.ratelimit import TokenBucket
from hsc_jit.api.schemas import (
    AnswerStreamMessage,
    AnyServerMessage,
    ErrorMessage,
    FeedbackAckMessage,
    HandoffAckMessage,
    PongMessage,
    prediction_frame,
)
from hsc_jit.api.state import AppState, get_ws_state
from hsc_jit.errors import ErrorCode, HscError, UnknownBrand
from hsc_jit.observability.metrics import (
    MESSAGES_PROCESSED,
    RATE_LIMITED,
    WEBSOCKET_ACTIVE,
    counter_of,
)
from hsc_jit.services.answers import Question
from hsc_jit.services.searches import Burst
from hsc_jit.support import webhook

log = structlog.get_logger(__name__)

CLOSE_POLICY = 1008
CLOSE_TOO_LARGE = 1009
CLOSE_TRY_AGAIN_LATER = 1013
_REARM = 0.1  # share of the idle timeout between moves of its deadline


class Connection:
    __slots__ = (
        "burst",
        "client_id",
        "ip",
        "queries",
        "refused_in_a_row",
        "send_lock",
        "state",
        "tasks",
        "typing",
        "websocket",
    )

    def __init__(self, websocket: WebSocket, state: AppState, client_id: str) -> None:
        settings = state.settings
        self.websocket = websocket
        self.state = state
        self.client_id = client_id
        self.ip = websocket.client.host if websocket.client else "unknown"
        self.send_lock = asyncio.Lock()
        self.tasks: set[asyncio.Task[None]] = set()
        self.typing = TokenBucket(settings.typing_rate_per_s, settings.typing_burst)
        self.queries = TokenBucket(settings.query_rate_per_min / 60, settings.query_burst)
        self.refused_in_a_row = 0
        self.burst = Burst()

    async def send(self, message: AnyServerMessage | AnswerStreamMessage) -> None:
        """Send one message, serialized by its model."""
        await self._send_text(message.model_dump_json())

    async def _send_text(self, text: str) -> None:
        async with self.send_lock:
            if self.websocket.client_state is WebSocketState.CONNECTED:
                await self.websocket.send_text(text)

    async def send_error(self, code: ErrorCode, message: str, seq: int | None = None) -> None:
        await self.send(ErrorMessage(code=code, message=message, seq=seq))

    async def run(self) -> None:
        timeout = self.state.settings.ws_idle_timeout_s
        loop = asyncio.get_running_loop()
        while True:
            try:
                async with asyncio.timeout(timeout * (1 + _REARM)) as idle:
                    armed = loop.time()
                    while True:
                        message = await self.websocket.receive()
                        # Moving the deadline costs a timer: it moves once a tenth of the timeout
                        # has passed, far enough that no socket closes sooner than the timeout
                        # after its last frame (nor much later).
                        now = loop.time()
                        if now - armed > timeout * _REARM:
                            idle.reschedule(now + timeout * (1 + _REARM))
                            armed = now
                        if not await self._receive(message):
                            return
            except TimeoutError:
                if self.tasks:  # an answer still streaming is not idleness
                    continue
                await self.websocket.close(1000, "idle timeout")
                return

    async def _receive(self, message: Any) -> bool:
        """Take one ASGI message; False when the connection is over."""
        if message["type"] == "websocket.disconnect":
            return False
        raw = message.get("text")
        if raw is None and message.get("bytes") is not None:
            raw = message["bytes"].decode("utf-8", errors="replace")
        if raw is None:
            return True
        if len(raw) > self.state.settings.max_frame_bytes:
            await self.websocket.close(CLOSE_TOO_LARGE, "frame too large")
            return False
        try:
            return await self.handle(raw)
        except (WebSocketDisconnect, RuntimeError):
            raise
        except Exception:  # a frame the parser let through and the handler could not take
            log.exception("ws.frame_failed")
            await self.send_error("internal", "That message could not be handled.")
            return True

    async def handle(self, raw: str) -> bool:
        """Answer one frame; False when the connection must close for abuse.

        Every frame spends from a budget, invalid ones and pings included, and every refused
        frame counts toward the flood guard: a stream of junk or pings closes the socket as
        surely as a stream of questions.
        """
        try:
            frame = parse_client_frame(raw)
        except FrameError as exc:
            MESSAGES_PROCESSED.labels(type="invalid").inc()
            if not self.typing.take():
                return await self._refuse("invalid", exc.seq)
            return await self._refuse("invalid", exc.seq, (exc.code, exc.message))
        counter_of(MESSAGES_PROCESSED, type=frame.type).inc()
        if isinstance(frame, PingFrame):
            if not self.typing.take():
                return await self._refuse("ping", frame.seq)
            await self.send(PongMessage(seq=frame.seq))
            return True
        if not await self._allowed(frame):
            return await self._refuse(frame.type, frame.seq)
        self.refused_in_a_row = 0
        if isinstance(frame, TypingFrame):
            await self._predict(frame)
        elif isinstance(frame, QueryFrame):
            self._start_query(frame)
        else:
            # A task like a question: a slow database must not hold up the typing behind it.
            self._track(self._support(frame))
        return True

    async def _refuse(
        self, kind: str, seq: int | None, error: tuple[ErrorCode, str] | None = None
    ) -> bool:
        """Refuse a frame (over budget unless ``error`` says why); False: close the socket."""
        self.refused_in_a_row += 1
        if error is None:
            RATE_LIMITED.labels(kind=kind).inc()
        if self.refused_in_a_row >= self.state.settings.flood_close_after:
            await self.websocket.close(CLOSE_POLICY, "too many refused messages")
            return False
        code, message = error or ("rate_limited", "Too many messages; please slow down.")
        await self.send_error(code, message, seq)
        return True

    async def _allowed(
        self, frame: TypingFrame | QueryFrame | FeedbackFrame | HandoffFrame
    ) -> bool:
        """Typing and ratings spend from the typing budgets, questions and handoffs from the
        question budgets."""
        limits = self.state.limits
        if isinstance(frame, TypingFrame | FeedbackFrame):
            return self.typing.take() and await limits.typing_per_ip.take(self.ip)
        return self.queries.take() and await limits.query_per_ip.take(self.ip)

    async def _predict(self, frame: TypingFrame) -> None:
        limit = frame.limit if "limit" in frame.model_fields_set else None
        try:
            data = await self.state.predictions.predict_json(
                frame.content, limit, frame.brand, self.burst
            )
        except UnknownBrand as exc:
            await self.send_error(exc.code, exc.message, frame.seq)
            return
        await self._send_text(prediction_frame(data, frame.seq, frame.content))

    def _start_query(self, frame: QueryFrame) -> None:
        if len(self.tasks) >= self.state.settings.max_concurrent_queries:
            self._track(
                self.send_error(
                    "rate_limited",
                    "Please wait for the current answer before asking another question.",
                    frame.seq,
                )
            )
        else:
            question = Question(
                frame.product_id,
                frame.query,
                frame.scenario,
                frame.image,
                frame.seq,
                conversation_id=frame.conversation_id,
                lang=frame.lang,
            )
            self._track(self._answer(question))

    def _track(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` as a task of this connection (cancelled when it closes)."""
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _support(self, frame: FeedbackFrame | HandoffFrame) -> None:
        """Rate an answer or ask for a person; acknowledged once stored."""
        try:
            if isinstance(frame, FeedbackFrame):
                await self.state.conversations.rate(frame.answer_id, frame.rating, frame.comment)
                await self.send(FeedbackAckMessage(answer_id=frame.answer_id, seq=frame.seq))
            else:
                contact = webhook.Contact(**frame.contact.model_dump())
                ticket_id = await self.state.handoff.create(
                    frame.conversation_id, frame.message, contact
                )
                await self.send(HandoffAckMessage(ticket_id=ticket_id, seq=frame.seq))
        except HscError as exc:
            await self.send_error(exc.code, exc.message, frame.seq)
        except (WebSocketDisconnect, RuntimeError):
            pass
        except Exception:  # the database is away: the customer may try again
            log.exception("ws.support_failed", frame=frame.type)
            await self.send_error(
                "internal", "That could not be saved; please try again.", frame.seq
            )

    async def _answer(self, question: Question) -> None:
        with self.state.drain.track():
            try:
                async for message in self.state.answers.answer_stream(question):
                    # Through the model: what the socket carries is what the contract says.
                    await self.send(AnswerStreamMessage.model_validate(message))
            except (WebSocketDisconnect, RuntimeError):
                pass
            except Exception:
                log.exception("ws.query_failed", product_id=question.product_id)
                await self.send_error(
                    "internal", "Something went wrong while answering.", question.seq
                )

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


def origin_allowed(websocket: WebSocket, allowed: Sequence[str]) -> bool:
    """No Origin (not a browser), this server's own origin, or one of ``HSC_CORS_ORIGINS``."""
    origin = websocket.headers.get("origin")
    if origin is None or "*" in allowed or origin in allowed:
        return True
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower() != ""


async def websocket_endpoint(websocket: WebSocket) -> None:
    """The socket of PROTOCOL.md; mounted as a plain Starlette route (see ``create_app``)."""
    state = get_ws_state(websocket)
    client_id = websocket.query_params.get("client_id") or uuid.uuid4().hex
    if not CLIENT_ID.match(client_id):
        await websocket.close(CLOSE_POLICY, "invalid client_id")
        return
    if not origin_allowed(websocket, state.settings.cors_origins):
        # A page on another site may not use a visitor's browser to talk to this socket.
        await websocket.close(CLOSE_POLICY, "origin not allowed")
        return
    await websocket.accept()
    if len(state.connections) >= state.settings.max_connections:
        # uvicorn's limit_concurrency answers requests 503 but lets upgrades through: a socket
        # past the cap is told to come back later (the client reconnects with backoff).
        log.warning("ws.busy", connections=len(state.connections))
        await websocket.close(CLOSE_TRY_AGAIN_LATER, "server busy, try again later")
        return
    connection = Connection(websocket, state, client_id)
    state.connections.add(websocket)
    WEBSOCKET_ACTIVE.inc()
    structlog.contextvars.bind_contextvars(client_id=client_id)  # this socket's task only
    try:
        await connection.run()
    except WebSocketDisconnect:
        pass
    finally:
        await connection.close()
        state.connections.discard(websocket)
        WEBSOCKET_ACTIVE.dec()
        with contextlib.suppress(RuntimeError):
            if websocket.client_state is WebSocketState.CONNECTED:
                await websocket.close(1000)
