"""WebSocket users: type product names key by key through the app's debounce, then ask.

Each user holds one ``/ws`` connection and a receiver greenlet that matches the server's frames
to what was sent and reports every round trip to Locust (request_type ``WS``):

| name | from | to |
|---|---|---|
| ``connect`` | opening the socket | handshake done |
| ``typing→prediction`` | a ``typing`` frame | the ``prediction`` with its ``seq`` |
| ``query→status`` | a ``query`` frame | its first ``status`` |
| ``query→first_chunk`` | a ``query`` frame | its first ``answer_chunk`` |
| ``query→final_answer`` | a ``query`` frame | its ``final_answer``, tagged cached/fresh |
| ``disconnect`` | - | the server closed the socket unasked (a failure) |

An ``error`` frame fails the round trip it answers (by ``seq``), as does a timeout; an error
whose code is in ``HSC_LOAD_EXPECTED_ERRORS`` (a product with no manual) is a right answer,
tagged with its code.

The guide's mix: typing-only tasks and query tasks 3:1 (``HSC_LOAD_TYPING_WEIGHT`` /
``HSC_LOAD_QUERY_WEIGHT``), 1-5 s apart. A query task types a product name (and, as in v3's
single box, the question after it), takes the top prediction and asks the question about it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

import gevent
import websocket
from gevent.event import Event
from locust import User, between, task

from loadtest.config import get_config, ws_url
from loadtest.keystrokes import as_typed, debounced, keystrokes

CONFIG = get_config()
REQUEST_TYPE = "WS"
_USER_NUMBERS = itertools.count()


class ServerError(Exception):
    """An ``error`` frame, or a frame that breaks the contract."""


@dataclass
class _Pending:
    text: str
    sent: float  # perf_counter


@dataclass
class _Query:
    seq: int
    sent: float
    done: Event = field(default_factory=Event)
    status_seen: bool = False
    chunks: int = 0
    bytes: int = 0


class WebSocketUser(User):
    """One person typing into the app and asking about the product it predicts."""

    host = CONFIG.host
    weight = CONFIG.ws_weight
    wait_time = between(CONFIG.wait_min_s, CONFIG.wait_max_s)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = next(_USER_NUMBERS)
        self.rng = random.Random(None if CONFIG.seed is None else CONFIG.seed * 100_003 + number)
        # A typist keeps roughly one speed.
        self.median_gap_ms = self.rng.uniform(CONFIG.key_gap_min_ms, CONFIG.key_gap_max_ms)
        self.ws: websocket.WebSocket | None = None
        self.receiver: gevent.Greenlet | None = None
        self.seq = 0
        self.pending: dict[int, _Pending] = {}
        self.drained = Event()
        self.drained.set()
        self.predictions: dict[str, list[dict[str, Any]]] = {}
        self.query: _Query | None = None

    # ---- connection ------------------------------------------------------------------------

    def on_start(self) -> None:
        self._connect()

    def on_stop(self) -> None:
        self._close()

    def _connect(self) -> None:
        url = f"{ws_url(self.host or CONFIG.host)}?client_id=load-{id(self):x}"
        started = time.perf_counter()
        try:
            ws = websocket.create_connection(url, timeout=10, skip_utf8_validation=True)
        except Exception as exc:
            self._report("connect", started, 0, exc)
            raise
        ws.settimeout(None)
        self.ws = ws
        self._report("connect", started, 0)
        self.receiver = gevent.spawn(self._receive, ws)

    def _close(self) -> None:
        ws, self.ws = self.ws, None
        if self.receiver is not None:
            self.receiver.kill(block=False)
            self.receiver = None
        if ws is not None:
            with contextlib.suppress(Exception):  # closing a socket that is already gone
                ws.close(timeout=1)
        self._fail_pending("connection closed")

    def _ensure_connected(self) -> websocket.WebSocket:
        if self.ws is None:
            self._connect()
        assert self.ws is not None
        return self.ws

    def _send(self, frame: dict[str, Any]) -> None:
        ws = self._ensure_connected()
        try:
            ws.send(json.dumps(frame))
        except Exception:
            self._close()
            raise

    # ---- tasks -----------------------------------------------------------------------------

    @task(CONFIG.typing_weight)
    def type_product(self) -> None:
        """Type a product name and look at the predictions (and leave it there)."""
        self._type(as_typed(self.rng.choice(CONFIG.products), self.rng, CONFIG.misspell_rate))

    @task(CONFIG.query_weight)
    def ask_about_product(self) -> None:
        name = as_typed(self.rng.choice(CONFIG.products), self.rng, CONFIG.misspell_rate)
        question = self.rng.choice(CONFIG.questions)
        text = f"{name} {question[0].lower()}{question[1:]}" if CONFIG.type_question else name
        top = self._type(text)
        if top is None:
            return  # nothing predicted: a person would retype, this user moves on
        self._ask(str(top["product"]["id"]), question, self.rng.choice(CONFIG.scenarios))

    def _type(self, text: str) -> dict[str, Any] | None:
        """Send the debounced frames of typing ``text``; the top prediction of the full text."""
        self.predictions.clear()
        keys = keystrokes(text, self.rng, median_gap_ms=self.median_gap_ms)
        started = time.perf_counter()
        for frame in debounced(keys, CONFIG.debounce_ms):
            delay = started + frame.at_ms / 1000 - time.perf_counter()
            if delay > 0:
                gevent.sleep(delay)
            self.seq += 1
            self.pending[self.seq] = _Pending(frame.text, time.perf_counter())
            self.drained.clear()
            self._send(
                {
                    "type": "typing",
                    "content": frame.text,
                    "seq": self.seq,
                    "limit": CONFIG.prediction_limit,
                }
            )
        if not self.drained.wait(CONFIG.prediction_timeout_s):
            self._fail_pending(f"no prediction within {CONFIG.prediction_timeout_s:g} s")
        items = self.predictions.get(text) or []
        return items[0] if items else None

    def _ask(self, product_id: str, question: str, scenario: str) -> None:
        self.seq += 1
        query = _Query(self.seq, time.perf_counter())
        self.query = query
        self._send(
            {
                "type": "query",
                "product_id": product_id,
                "query": question,
                "scenario": scenario,
                "seq": query.seq,
            }
        )
        if not query.done.wait(CONFIG.answer_timeout_s):
            self._report(
                "query→final_answer",
                query.sent,
                query.bytes,
                ServerError(f"no final_answer within {CONFIG.answer_timeout_s:g} s"),
            )
        self.query = None

    # ---- receiving -------------------------------------------------------------------------

    def _receive(self, ws: websocket.WebSocket) -> None:
        try:
            while True:
                raw = ws.recv()
                if isinstance(raw, bytes):
                    raw = raw.decode("utf-8", errors="replace")
                if not raw:
                    break
                self._on_frame(raw)
        except Exception as exc:  # closed by the server, or by on_stop killing this greenlet
            if self.ws is ws:
                self._report("disconnect", time.perf_counter(), 0, exc)
        if self.ws is ws:
            self.ws = None
            self._fail_pending("connection closed")

    def _on_frame(self, raw: str) -> None:
        now = time.perf_counter()
        try:
            frame = json.loads(raw)
            kind = frame["type"]
        except (ValueError, KeyError, TypeError):
            self._report("invalid frame", now, len(raw), ServerError(f"not a frame: {raw[:80]!r}"))
            return
        seq = frame.get("seq")
        if kind == "prediction":
            self._on_prediction(frame, seq, len(raw), now)
        elif kind == "error":
            self._on_error(frame, seq, len(raw), now)
        elif self.query is not None and kind in (
            "status",
            "answer_chunk",
            "context",
            "final_answer",
        ):
            self._on_answer(self.query, frame, kind, len(raw), now)

    def _on_prediction(self, frame: dict[str, Any], seq: Any, length: int, now: float) -> None:
        pending = self.pending.pop(seq, None) if isinstance(seq, int) else None
        if pending is None:
            return  # late: already reported as timed out
        data = frame.get("data")
        error: Exception | None = None
        if not isinstance(data, list):
            error = ServerError("prediction without a data list")
        elif frame.get("query") != pending.text:
            error = ServerError("prediction echoes another query")
        else:
            self.predictions[pending.text] = data
        self._report("typing→prediction", pending.sent, length, error, ended=now)
        if not self.pending:
            self.drained.set()

    def _on_error(self, frame: dict[str, Any], seq: Any, length: int, now: float) -> None:
        error = ServerError(f"{frame.get('code')}: {frame.get('message')}")
        if isinstance(seq, int) and seq in self.pending:
            pending = self.pending.pop(seq)
            self._report("typing→prediction", pending.sent, length, error, ended=now)
            if not self.pending:
                self.drained.set()
        elif self.query is not None and (seq is None or seq == self.query.seq):
            query = self.query
            query.bytes += length
            code = str(frame.get("code"))
            if code in CONFIG.expected_errors:  # a right answer: "no manual for this product"
                self._report("query→final_answer", query.sent, query.bytes, None, code, ended=now)
            else:
                self._report("query→final_answer", query.sent, query.bytes, error, ended=now)
            query.done.set()
        else:
            self._report("error", now, length, error, ended=now)

    def _on_answer(
        self, query: _Query, frame: dict[str, Any], kind: str, length: int, now: float
    ) -> None:
        query.bytes += length
        if kind == "status" and not query.status_seen:
            query.status_seen = True
            self._report("query→status", query.sent, length, ended=now)
        elif kind == "answer_chunk":
            query.chunks += 1
            if query.chunks == 1:
                self._report("query→first_chunk", query.sent, length, ended=now)
        elif kind == "final_answer" and frame.get("seq") == query.seq and not query.done.is_set():
            tag = "cached" if frame.get("cached") else "fresh"
            error = None if query.chunks else ServerError("final_answer with no answer_chunk")
            self._report("query→final_answer", query.sent, query.bytes, error, tag, ended=now)
            query.done.set()

    # ---- reporting -------------------------------------------------------------------------

    def _fail_pending(self, reason: str) -> None:
        pending, self.pending = self.pending, {}
        for item in pending.values():
            self._report("typing→prediction", item.sent, 0, ServerError(reason))
        self.drained.set()
        if self.query is not None and not self.query.done.is_set():
            self._report(
                "query→final_answer", self.query.sent, self.query.bytes, ServerError(reason)
            )
            self.query.done.set()

    def _report(
        self,
        name: str,
        started: float,
        length: int,
        exception: Exception | None = None,
        tag: str = "",
        *,
        ended: float | None = None,
    ) -> None:
        ended = time.perf_counter() if ended is None else ended
        self.environment.events.request.fire(
            request_type=REQUEST_TYPE,
            name=name,
            response_time=(ended - started) * 1000,
            response_length=length,
            exception=exception,
            context={"tag": tag} if tag else {},
        )
