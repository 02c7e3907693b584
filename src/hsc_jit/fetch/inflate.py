"""Undo a response's Content-Encoding layers step by step, never past a size limit.

httpx inflates each received chunk in one unbounded call, so a 6.6 KB body encoded
``gzip, gzip`` can become gigabytes before any limit is checked. Here every layer inflates at
most ``_STEP`` bytes per call and counts what it made, so memory stays near the limit and the
work is cut off as soon as any layer outgrows it.
"""

from __future__ import annotations

import zlib

# Output per call: small enough to bound memory, large enough that calls are few.
_STEP = 1 << 20
# zlib or gzip header, detected per stream.
_AUTO_HEADER = 32 + zlib.MAX_WBITS
_DECODABLE = frozenset({"gzip", "x-gzip", "deflate"})


class TooLarge(Exception):
    """A layer inflated past the limit."""


class UnknownEncoding(Exception):
    """A Content-Encoding this reader does not undo; ``args[0]`` names it."""


def encodings(header: str) -> list[str]:
    """The Content-Encoding header's codings in the order they were applied."""
    names = [name.strip().lower() for name in header.split(",") if name.strip()]
    return [name for name in names if name != "identity"]


class Inflater:
    def __init__(self, applied: list[str], limit: int) -> None:
        unknown = [name for name in applied if name not in _DECODABLE]
        if unknown:
            raise UnknownEncoding(unknown[0])
        # The last coding applied is the first to undo.
        self._layers = [zlib.decompressobj(_AUTO_HEADER) for _ in reversed(applied)]
        self._made = [0] * len(self._layers)
        self._limit = limit

    @property
    def layered(self) -> bool:
        return bool(self._layers)

    def feed(self, data: bytes) -> bytes:
        """The bytes ``data`` decodes to so far; raises ``TooLarge`` past the limit."""
        for number, layer in enumerate(self._layers):
            data = self._inflate(number, layer, data)
        return data

    def flush(self) -> bytes:
        """What the layers still hold at the end of the body."""
        data = b""
        for number, layer in enumerate(self._layers):
            data = self._inflate(number, layer, data) + layer.flush()
            self._count(number, len(data))
        return data

    def _inflate(self, number: int, layer: zlib._Decompress, data: bytes) -> bytes:
        out: list[bytes] = []
        while data:
            piece = layer.decompress(data, _STEP)
            self._count(number, len(piece))
            out.append(piece)
            data = layer.unconsumed_tail
        return b"".join(out)

    def _count(self, number: int, size: int) -> None:
        self._made[number] += size
        if self._made[number] > self._limit:
            raise TooLarge
