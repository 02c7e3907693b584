"""What every cache layer shares: the ``Cache`` protocol, the JSON codec and the key rules."""

from __future__ import annotations

import hashlib
import re
from contextlib import AbstractAsyncContextManager
from typing import Any, Literal, NamedTuple, Protocol

import orjson

CacheStatus = Literal["ok", "degraded", "disabled"]

MAX_KEY_CHARS = 200
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
# Dataclasses and datetimes would come back as dicts and strings: refuse them instead of
# handing a different type to whoever reads the entry next.
_JSON_ONLY = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


class Entry(NamedTuple):
    """A stored payload and the seconds it has left (None: no expiry)."""

    payload: bytes
    ttl_s: float | None


class Cache(Protocol):
    """One cache layer: bytes under full keys, each with its own TTL."""

    async def get(self, key: str) -> Entry | None: ...

    async def set(self, key: str, payload: bytes, ttl_s: float) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def purge(self, prefix: str) -> None:
        """Drop every key that starts with ``prefix``."""
        ...

    def lock(self, name: str, timeout_s: float) -> AbstractAsyncContextManager[None]:
        """Hold ``name`` against everyone sharing this layer; a shared layer expires it."""
        ...

    def status(self) -> Literal["ok", "degraded"]: ...

    async def close(self) -> None: ...


def encode(value: object, owner: str) -> bytes:
    """JSON bytes for ``value``; a TypeError naming ``owner`` when it is not plain JSON."""
    try:
        return orjson.dumps(value, option=_JSON_ONLY)
    except orjson.JSONEncodeError as exc:
        raise TypeError(
            f"{owner} takes JSON values only (dict with str keys, list, str, int, float, bool, "
            f"None): {exc}"
        ) from exc


def decode(payload: bytes) -> Any:
    return orjson.loads(payload)


def check_name(name: str, what: str = "cache name") -> str:
    # Names end up inside a SCAN pattern, so glob characters and ':' must not reach them.
    if not _NAME.fullmatch(name):
        raise ValueError(f"{what} {name!r} must match {_NAME.pattern}")
    return name


def full_key(namespace: str, cache_name: str, key: str) -> str:
    """``{namespace}:{cache_name}:{key}``; a key over MAX_KEY_CHARS becomes its SHA-256."""
    if len(key) > MAX_KEY_CHARS:
        key = hashlib.sha256(key.encode()).hexdigest()
    return f"{namespace}:{check_name(cache_name)}:{key}"
