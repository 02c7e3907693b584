"""Real services for integration tests.

A missing service skips the test with the reason locally; under ``CI=true`` it fails it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import pytest
import redis
from redis.exceptions import RedisError

# db 15: tests never share a database with a developer's running instance.
REDIS_URL = os.environ.get("HSC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def unavailable(what: str, reason: str) -> NoReturn:
    message = f"{what} is not available ({reason})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " — required when CI=true")
    pytest.skip(message)


def _ping(url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def require_redis(url: str = REDIS_URL) -> None:
    try:
        _ping(url)
    except (RedisError, OSError) as exc:
        unavailable(f"Redis at {url}", f"{type(exc).__name__}: {exc}")


def redis_url() -> str:
    """The shared test Redis, once it has answered a PING."""
    require_redis()
    return REDIS_URL


class RedisServer:
    """A redis-server of the test's own on a spare port, which the test may kill and restart."""

    def __init__(self, binary: str, port: int) -> None:
        self._binary = binary
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, ready_within_s: float = 10.0) -> None:
        self._process = subprocess.Popen(
            [
                *(self._binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + ready_within_s
        while True:
            try:
                _ping(self.url)
                return
            except (RedisError, OSError):
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.kill()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def own_redis_server() -> Iterator[RedisServer]:
    """Start a private redis-server; it is killed on exit whatever the test did to it."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server", "not on PATH")
    server = RedisServer(binary, _spare_port())
    server.start()
    try:
        yield server
    finally:
        server.kill()
