"""Start ``hsc-jit serve`` on a free 127.0.0.1 port with its own data folder, for benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(extra_env: dict[str, str] | None = None, workers: int = 1) -> Iterator[str]:
    """Yields the base URL once /ready answers 200; stops the server afterwards."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="hsc-bench-") as data_dir:
        env = {
            **os.environ,
            "HSC_DATA_DIR": data_dir,
            "HSC_PORT": str(port),
            "HSC_HOST": "127.0.0.1",
            "HSC_FETCH_ALLOW_PRIVATE": "true",
            "HSC_LOG_LEVEL": "WARNING",
            "HSC_TYPING_RATE_PER_S": "100000",
            "HSC_TYPING_BURST": "100000",
            "HSC_QUERY_RATE_PER_MIN": "100000",
            "HSC_QUERY_BURST": "100000",
            **(extra_env or {}),
        }
        command = [sys.executable, "-m", "hsc_jit", "serve", "--workers", str(workers)]
        with child(command, env) as process:
            url = f"http://127.0.0.1:{port}"
            wait_until(process, lambda: _answers_ready(url), 60, "the server")
            yield url


@contextmanager
def child(
    command: list[str], env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` running, its output discarded; asked to stop afterwards, then killed."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until(
    process: subprocess.Popen[bytes], ready: Callable[[], bool], within_s: float, what: str
) -> None:
    """Polls ``ready`` until it holds; raises when ``process`` exits first or time runs out."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} was not ready within {within_s:g} s")


def _answers_ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/ready", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
