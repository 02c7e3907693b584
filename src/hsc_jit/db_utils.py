"""Small helpers shared by the modules that write SQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Slices of at most ``size``: keeps statements under the drivers' parameter limits."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
