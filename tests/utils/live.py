"""A real HSC-JIT server on a free 127.0.0.1 port, in a thread of the test process."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from hsc_jit.api.app import create_app
from hsc_jit.config import Settings
from hsc_jit.server import WS_OPTIONS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app: FastAPI = create_app(settings)
        self.url = f"http://127.0.0.1:{settings.port}"
        self.ws_url = f"ws://127.0.0.1:{settings.port}/ws"
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=settings.port,
            log_config=None,
            ws_max_size=settings.max_frame_bytes,
            **WS_OPTIONS,
            timeout_graceful_shutdown=2,
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.run(self.server.serve())

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=15)


def live_settings(base: Settings, **overrides: object) -> Settings:
    port = free_port()
    return base.model_copy(
        update={"port": port, "public_base_url": f"http://127.0.0.1:{port}", **overrides}
    )


@contextmanager
def running(settings: Settings) -> Iterator[LiveServer]:
    server = LiveServer(settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()
