"""Typed client frames of the WebSocket contract (PROTOCOL.md) and the server's error frame."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hsc_jit.config import Scenario
from hsc_jit.errors import ErrorCode

MAX_TYPING_CHARS = 1000
MAX_QUERY_CHARS = 2000
MAX_IMAGE_CHARS = 8 * 1024 * 1024
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

Seq = Annotated[int, Field(ge=-(2**53), le=2**53)]


class _Frame(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=False, populate_by_name=True)


class TypingFrame(_Frame):
    type: Literal["typing"]
    content: str = Field(default="", max_length=MAX_TYPING_CHARS)
    seq: Seq | None = None
    limit: int = Field(default=10, ge=1, le=50)


class QueryFrame(_Frame):
    type: Literal["query", "lock_and_query"]
    product_id: str = Field(min_length=1, max_length=255)
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    scenario: Scenario = "general"
    image: str | None = Field(default=None, max_length=MAX_IMAGE_CHARS)
    seq: Seq | None = None

    @field_validator("query")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("image")
    @classmethod
    def _data_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("data:image/"):
            raise ValueError("must be a data:image/... URL")
        return value


class PingFrame(_Frame):
    type: Literal["ping"]
    seq: Seq | None = None


ClientFrame = TypingFrame | QueryFrame | PingFrame
_FRAMES: dict[str, type[_Frame]] = {
    "typing": TypingFrame,
    "query": QueryFrame,
    "lock_and_query": QueryFrame,
    "ping": PingFrame,
}


class FrameError(Exception):
    """A frame the server answers with an ``error`` and keeps the connection open."""

    def __init__(self, code: ErrorCode, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.seq = seq


def parse_client_frame(raw: str) -> ClientFrame:
    if _nesting(raw) > _MAX_NESTING:
        # Refused before parsing: how deep the parser could go would depend on the stack.
        raise FrameError("invalid_json", "The message is nested too deeply.")
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
    assert isinstance(frame, TypingFrame | QueryFrame | PingFrame)
    return frame


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
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 2**53:
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
