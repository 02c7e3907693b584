"""Parsing client frames: every bad frame becomes a precise, user-safe error."""

from __future__ import annotations

import json

import pytest

from hsc_jit.api.protocol import FrameError, PingFrame, QueryFrame, TypingFrame, parse_client_frame


def test_typing_frame_defaults() -> None:
    frame = parse_client_frame('{"type": "typing", "content": "rolnd td27", "seq": 4}')
    assert isinstance(frame, TypingFrame)
    assert (frame.content, frame.seq, frame.limit) == ("rolnd td27", 4, 10)
    assert "limit" not in frame.model_fields_set


@pytest.mark.parametrize("alias", ["query", "question", "content"])
def test_query_aliases(alias: str) -> None:
    raw = {"type": "lock_and_query", "product_id": "roland-td27kv", alias: " how loud? "}
    frame = parse_client_frame(json.dumps(raw))
    assert isinstance(frame, QueryFrame)
    assert frame.query == "how loud?"
    assert frame.scenario == "general"


def test_ping() -> None:
    assert parse_client_frame('{"type": "ping", "seq": 9}') == PingFrame(type="ping", seq=9)


@pytest.mark.parametrize(
    ("raw", "code", "seq"),
    [
        ("not json", "invalid_json", None),
        ("[1, 2]", "invalid_message", None),
        ('{"seq": 3}', "invalid_message", 3),
        ('{"type": "dance", "seq": 5}', "unknown_type", 5),
        ('{"type": "typing", "content": "' + "x" * 1001 + '", "seq": 6}', "invalid_message", 6),
        ('{"type": "typing", "content": {"a": 1}}', "invalid_message", None),
        ('{"type": "typing", "limit": 51}', "invalid_message", None),
        ('{"type": "query", "product_id": "p", "query": "   "}', "invalid_message", None),
        (
            '{"type": "query", "product_id": "p", "query": "q", "scenario": "beach"}',
            "invalid_message",
            None,
        ),
        (
            '{"type": "query", "product_id": "p", "query": "q", "image": "http://x/y.png"}',
            "invalid_message",
            None,
        ),
        ('{"type": "query", "query": "q"}', "invalid_message", None),
        ("[" * 100_000, "invalid_json", None),
    ],
)
def test_bad_frames(raw: str, code: str, seq: int | None) -> None:
    with pytest.raises(FrameError) as caught:
        parse_client_frame(raw)
    assert caught.value.code == code
    assert caught.value.seq == seq
    assert "Traceback" not in caught.value.message
    assert len(caught.value.message) < 200


def test_deep_nesting_is_refused_whatever_the_stack() -> None:
    # Python's parser fails deep nesting only when the stack runs out, so the answer would
    # depend on where it is called from; it is refused before parsing instead.
    with pytest.raises(FrameError) as refused:
        parse_client_frame("[" * 40 + "]" * 40)
    assert refused.value.code == "invalid_json"
    nested_text = json.dumps({"type": "ping", "seq": 1, "note": "[" * 100})
    assert isinstance(parse_client_frame(nested_text), PingFrame)
