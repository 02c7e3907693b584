"""Start ``hsc-jit serve`` on a free 127.0.0.1 port with its own data folder, for benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

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
    """``command`` running, its output discarded; asked to stop afterwards, then killed, also
    when the benchmark itself is stopped with SIGTERM."""
    with _stopped_by_sigterm():
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM raises SystemExit while inside: by default it ends Python without running its
    ``finally`` blocks, and a killed benchmark left its server running on."""
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread may set one; from another, SIGTERM ends the run as it did.
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        # None: a handler not set from Python, which cannot be set back; the default is.
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


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
