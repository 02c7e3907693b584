"""Asyncio servers of the tests (manuals, a fake OpenAI) on their own loop in a daemon thread.

A live HSC-JIT server runs in a thread too, so with both off the test's loop a fixture can be
module-scoped and a synchronous test can drive them all.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class BackgroundLoop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


@contextmanager
def in_background(factory: Callable[[], AbstractAsyncContextManager[T]]) -> Iterator[T]:
    """Enter the async context manager ``factory()`` on a loop of its own; exit it there."""
    background = BackgroundLoop()
    manager = factory()
    try:
        value = background.run(manager.__aenter__())
        try:
            yield value
        finally:
            background.run(manager.__aexit__(None, None, None))
    finally:
        background.close()
