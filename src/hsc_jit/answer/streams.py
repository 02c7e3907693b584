"""Closing a stream that may or may not be an async generator."""

from __future__ import annotations


async def close_stream(stream: object) -> None:
    """``aclose()`` the stream if it has one: that runs its ``finally`` and frees its connection."""
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()
