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


@pytest.mark.parametrize(
    "raw",
    [
        '{"type": "typing", "content": "fp-30x", "seq": 1, "limit": 5, "brand": "roland"}',
        '{"type": "typing", "content": "x", "seq": "12", "limit": 10.0}',  # lax, as the model
        '{"type": "typing", "content": "x", "seq": true}',
        '{"type": "typing", "content": "", "extra": [1, {"typing": 2}]}',
        '{"type": "typing", "content": "x", "type": "typing"}',
        '{"content": "ה״ב \\u05d0", "type": "typing", "seq": -9007199254740992}',
    ],
)
def test_typing_frames_read_as_the_model_reads_them(raw: str) -> None:
    # Typing frames skip the dictionary the other frames are validated from; what they mean
    # (fields set included: a limit not sent is the server's default) must not change.
    frame = parse_client_frame(raw)
    expected = TypingFrame.model_validate(json.loads(raw))
    assert frame == expected
    assert frame.model_fields_set == expected.model_fields_set


@pytest.mark.parametrize(
    ("raw", "seq", "message"),
    [
        (
            '{"type": "typing", "content": "x", "seq": 99999999999999999999999}',
            None,
            "Invalid 'seq': Input should be less than or equal to 9007199254740992.",
        ),
        (
            '{"type": "typing", "seq": 1, "brand": ""}',
            1,
            "Invalid 'brand': String should have at least 1 character.",
        ),
        (
            '{"type": "typing", "content": "x", "seq": 2, "limit": NaN}',
            2,
            "Invalid 'limit': Input should be a finite number.",
        ),
    ],
)
def test_typing_frames_the_model_refuses_are_explained_as_before(
    raw: str, seq: int | None, message: str
) -> None:
    with pytest.raises(FrameError) as caught:
        parse_client_frame(raw)
    assert (caught.value.code, caught.value.seq, caught.value.message) == (
        "invalid_message",
        seq,
        message,
    )


def test_of_two_types_the_last_one_counts() -> None:
    assert isinstance(parse_client_frame('{"type": "typing", "type": "ping"}'), PingFrame)


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
