"""Graceful shutdown: stop taking work, let answers in flight finish, then close the sockets.

On SIGTERM uvicorn would close every WebSocket with 1012 (service restart) at once, cutting
answers mid-stream. ``DrainingServer`` first stops accepting connections and marks the process
as draining (``/ready`` then answers 503 and new questions are refused), waits up to the grace
period for the answers in flight, and only then lets uvicorn close the sockets with 1012 so the
clients reconnect to another instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn


class Drain:
    """The process's answers in flight; signals are per process, so this is one per process."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.draining = False
        self._idle = asyncio.Event()
        self._idle.set()

    @contextmanager
    def track(self) -> Iterator[None]:
        """Counts one answer in flight for as long as the block runs."""
        self.in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self.in_flight -= 1
            if not self.in_flight:
                self._idle.set()

    async def wait(self, grace_s: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace_s):
                await self._idle.wait()


DRAIN = Drain()


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, grace_s: float) -> None:
        super().__init__(config)
        self.grace_s = grace_s

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        DRAIN.draining = True
        for server in self.servers:
            server.close()
        await DRAIN.wait(self.grace_s)
        await super().shutdown(sockets)
