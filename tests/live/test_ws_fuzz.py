"""Arbitrary and malformed frames on one /ws connection of a live server.

Every frame gets an answer the protocol allows: an ``error`` with a known code for a bad one, a
``prediction`` / ``pong`` / answer for a good one. The one connection and the server survive all
of them. Each example is followed by a ``ping`` whose ``pong`` marks the end of its answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from hsc_jit.api.protocol import FrameError, PingFrame, QueryFrame, TypingFrame, parse_client_frame
from hsc_jit.config import Settings
from hsc_jit.errors import ErrorCode
from tests.utils.live import LiveServer, live_settings, running

CODES = set(get_args(ErrorCode))
SERVER_TYPES = {"prediction", "status", "answer_chunk", "context", "final_answer", "error", "pong"}
PRODUCTS = ["roland-td27kv", "shure-sm58", "roland-rh300", "ghost", ""]
MAX_FRAME = 64 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    base = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz"),
        fetch_allow_private=True,
        log_json=False,
        log_level="CRITICAL",
        catalog_poll_s=3600,
        # The fuzzer is not a flood: the limits are tested in test_abuse.py.
        typing_rate_per_s=10_000,
        typing_burst=10_000,
        query_rate_per_min=100_000,
        query_burst=10_000,
        max_concurrent_queries=32,
        flood_close_after=1_000_000,  # most fuzzed frames are refused, many in a row
    )
    with running(live_settings(base)) as live:
        yield live


class Socket:
    """One connection for every example; a new one only after an example broke it."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._connection: ClientConnection | None = None
        self._stack = ExitStack()
        self.opened = 0

    def get(self) -> ClientConnection:
        if self._connection is None or self._connection.close_code is not None:
            self._connection = self._stack.enter_context(connect(self._url, max_size=None))
            self.opened += 1
        return self._connection

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="module")
def sockets(server: LiveServer) -> Iterator[Socket]:
    holder = Socket(server.ws_url + "?client_id=fuzzer")
    try:
        yield holder
    finally:
        holder.close()


huge_ints = st.one_of(
    st.integers(),
    st.integers(min_value=2**53, max_value=2**200),
    st.integers(max_value=-(2**63), min_value=-(2**200)),
)
scalars = st.one_of(st.none(), st.booleans(), huge_ints, st.floats(), st.text(max_size=50))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
frame_types = st.one_of(st.sampled_from(["typing", "query", "lock_and_query", "ping"]), json_values)
frame_fields = st.fixed_dictionaries(
    {"type": frame_types},
    optional={
        "seq": st.one_of(huge_ints, json_values),
        "content": st.one_of(st.text(max_size=1100), json_values),
        "limit": st.one_of(st.integers(-5, 60), json_values),
        "product_id": st.one_of(st.sampled_from(PRODUCTS), json_values),
        "query": st.one_of(st.sampled_from(["", " ", "volume?", "x" * 2001]), json_values),
        "question": st.one_of(st.text(max_size=30), json_values),
        "scenario": st.one_of(st.sampled_from(["general", "studio", "live", "moon"]), json_values),
        "image": st.one_of(st.sampled_from(["data:image/png;base64,AA==", "http://x"]), scalars),
    },
)


def _dumps(value: Any) -> str:
    return json.dumps(value, allow_nan=True)  # NaN and Infinity are sent as JS literals


def _nested(depth: int, opener: str) -> str:
    closer = {"[": "]", "{": "}"}[opener]
    if opener == "{":
        return '{"a":' * depth + "1" + closer * depth
    return opener * depth + closer * depth


frames = st.one_of(
    st.text(max_size=200),
    st.binary(max_size=200),
    json_values.map(_dumps),
    frame_fields.map(_dumps),
    frame_fields.map(lambda f: _dumps(f).encode()),  # a good frame sent as binary
    st.builds(_nested, st.integers(1, 5_000), st.sampled_from(["[", "{"])),  # repr < 30 kB
    st.integers(4000, 10_000).map(lambda n: '{"type": "ping", "seq": ' + "9" * n + "}"),
    st.text(max_size=50).map(lambda t: _dumps({"type": "typing", "content": t}) + "garbage"),
)

_ping_seq = iter(range(-1, -(2**40), -1))


def _expected(raw: str | bytes) -> str:
    """What the frame must be answered with: an error code, or the message type."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    try:
        frame = parse_client_frame(text)
    except FrameError as exc:
        return exc.code
    except Exception:  # the server must cope even where the parser alone does not
        return "invalid_json"
    if isinstance(frame, TypingFrame):
        return "prediction"
    if isinstance(frame, QueryFrame):
        return "query"
    assert isinstance(frame, PingFrame)
    return "pong"


def _receive_until_pong(ws: ClientConnection, seq: int, query: bool) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    pong = ended = False
    while not (pong and (ended or not query)):
        message = json.loads(ws.recv(timeout=30))
        assert isinstance(message, dict) and message.get("type") in SERVER_TYPES, message
        if message["type"] == "pong" and message.get("seq") == seq:
            pong = True
            continue
        if message["type"] in ("final_answer", "error"):
            ended = True
        messages.append(message)
    return messages


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=frames)
def test_every_frame_is_answered_and_the_connection_survives(
    sockets: Socket, raw: str | bytes
) -> None:
    assert len(raw) < MAX_FRAME
    ws = sockets.get()
    note(f"raw={raw!r}")
    expected = _expected(raw)
    seq = next(_ping_seq)
    ws.send(raw)
    ws.send(json.dumps({"type": "ping", "seq": seq}))
    messages = _receive_until_pong(ws, seq, query=expected == "query")
    for message in messages:
        if message["type"] == "error":
            assert message["code"] in CODES, message
            assert isinstance(message["message"], str) and message["message"]
            assert message.get("seq") is None or -(2**53) <= message["seq"] <= 2**53
    if expected == "query":
        ends = [m for m in messages if m["type"] in ("final_answer", "error")]
        assert len(ends) == 1, messages
    elif expected in ("prediction", "pong"):
        assert [m["type"] for m in messages] == [expected], messages
    else:
        assert [(m["type"], m["code"]) for m in messages] == [("error", expected)], raw


def test_the_server_is_still_serving(sockets: Socket, server: LiveServer) -> None:
    assert sockets.opened == 1  # no example closed the connection
    ws = sockets.get()
    ws.send(json.dumps({"type": "typing", "content": "rolnd td27", "seq": 1}))
    message = json.loads(ws.recv(timeout=10))
    assert message["type"] == "prediction"
    assert message["data"][0]["product"]["id"] == "roland-td27kv"
    assert len(server.app.state.hsc.connections) == 1


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ('{"type": "ping", "seq": ' + "9" * 5000 + "}", "invalid_json"),  # > 4300 digits
        ('{"type": "fly", "seq": ' + str(2**70) + "}", "unknown_type"),  # seq not echoable
        ('{"type": "typing", "content": 3, "seq": true}', "invalid_message"),
        ("[" * 20_000 + "]" * 20_000, "invalid_json"),
    ],
)
def test_frames_that_once_closed_the_connection(sockets: Socket, raw: str, code: str) -> None:
    ws = sockets.get()
    ws.send(raw)
    error = json.loads(ws.recv(timeout=10))
    assert (error["type"], error["code"]) == ("error", code)
    assert "seq" not in error
    ws.send(json.dumps({"type": "ping", "seq": 1}))
    assert json.loads(ws.recv(timeout=10)) == {"type": "pong", "seq": 1}
