"""Parsing the client's socket frames: refused with an ``error`` frame, never with a close."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from hsc_jit.api.schemas import (
    MAX_IMAGE_CHARS,
    MAX_QUERY_CHARS,
    MAX_SEQ,
    MAX_TYPING_CHARS,
    FeedbackFrame,
    HandoffFrame,
    PingFrame,
    QueryFrame,
    TypingFrame,
)
from hsc_jit.errors import ErrorCode

__all__ = [
    "CLIENT_ID",
    "MAX_IMAGE_CHARS",
    "MAX_QUERY_CHARS",
    "MAX_TYPING_CHARS",
    "FeedbackFrame",
    "FrameError",
    "HandoffFrame",
    "ParsedFrame",
    "PingFrame",
    "QueryFrame",
    "TypingFrame",
    "parse_client_frame",
]

CLIENT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

ParsedFrame = TypingFrame | QueryFrame | PingFrame | FeedbackFrame | HandoffFrame
_FRAMES: dict[str, type[ParsedFrame]] = {
    "typing": TypingFrame,
    "query": QueryFrame,
    "lock_and_query": QueryFrame,
    "ping": PingFrame,
    "feedback": FeedbackFrame,
    "handoff": HandoffFrame,
}


class FrameError(Exception):
    """A frame the server answers with an ``error`` and keeps the connection open."""

    def __init__(self, code: ErrorCode, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.seq = seq


def parse_client_frame(raw: str) -> ParsedFrame:
    # Counting brackets first spares every ordinary frame the scan: with no more opening
    # brackets than the limit, nothing can nest deeper.
    if raw.count("{") + raw.count("[") > _MAX_NESTING and _nesting(raw) > _MAX_NESTING:
        # Refused before parsing: how deep the parser could go would depend on the stack.
        raise FrameError("invalid_json", "The message is nested too deeply.")
    typing = _plain_typing(raw)
    if typing is not None:
        return typing
    try:
        data = json.loads(raw)
    # ValueError besides JSONDecodeError: an integer of more than 4300 digits.
    except (ValueError, RecursionError) as exc:
        raise FrameError("invalid_json", "The message is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise FrameError("invalid_message", "A message must be a JSON object with a 'type'.")
    seq = _echoable_seq(data.get("seq"))
    kind = data.get("type")
    if not isinstance(kind, str):
        raise FrameError("invalid_message", "The message has no 'type'.", seq)
    model = _FRAMES.get(kind)
    if model is None:
        raise FrameError("unknown_type", f"Unknown message type {kind[:40]!r}.", seq)
    if model is QueryFrame:
        data = _query_aliases(data)
    try:
        frame = model.model_validate(data)
    except ValidationError as exc:
        raise FrameError("invalid_message", _describe(exc), seq) from exc
    assert isinstance(frame, TypingFrame | QueryFrame | PingFrame | FeedbackFrame | HandoffFrame)
    return frame


def _plain_typing(raw: str) -> TypingFrame | None:
    """A typing frame parsed by the model straight from the text; None for any other frame or
    one the model refuses, which the general path then parses and explains.

    Every keystroke is one: under load, parsing to a dict and validating that cost a tenth of
    a typing frame's CPU.
    """
    if '"typing"' not in raw:
        return None
    try:
        return TypingFrame.model_validate_json(raw)
    except ValidationError:
        return None


_MAX_NESTING = 32
_BRACKETS = re.compile(r'[\[\]{}"\\]')


def _nesting(raw: str) -> int:
    """The deepest nesting of arrays and objects in ``raw``, brackets inside strings aside."""
    depth = deepest = 0
    in_string = False
    escaped_at = -1  # the position of the character a backslash escapes
    for match in _BRACKETS.finditer(raw):
        char, at = match.group(), match.start()
        if at == escaped_at:
            continue
        if in_string:
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _echoable_seq(value: Any) -> int | None:
    """The ``seq`` an error may echo: an int the client can read back (not a bool, not 2**70)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_SEQ:
        return value
    return None


def _query_aliases(data: dict[str, Any]) -> dict[str, Any]:
    if "query" not in data:
        for alias in ("question", "content"):
            if alias in data:
                return {**data, "query": data[alias]}
    return data


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "message"
    return f"Invalid '{where}': {first['msg']}."
