"""Slow clients (slowloris): a request head that does not arrive in time closes its connection,
in the single-process server and in gunicorn's workers alike."""

from __future__ import annotations

import contextlib
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest
import websockets.sync.client
from bench._server import serve

HEAD_TIMEOUT = {"HSC_HEADER_TIMEOUT_S": "1"}


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname or "", parts.port or 80), timeout=5)


def _closed_by_server(sock: socket.socket, within_s: float) -> bool:
    sock.settimeout(within_s)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


@pytest.mark.parametrize("workers", [1, 2])
def test_half_sent_and_silent_connections_are_closed(workers: int) -> None:
    with serve(HEAD_TIMEOUT, workers=workers) as url:
        silent = [_connect(url) for _ in range(20)]
        dripping = [_connect(url) for _ in range(20)]
        for sock in dripping:
            sock.sendall(b"GET /live HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.6)
        for sock in dripping:
            sock.sendall(b"X-Slow: 1\r\n")  # still trickling, but the head is late all the same
        try:
            assert all(_closed_by_server(sock, 3.0) for sock in silent + dripping)
        finally:
            for sock in silent + dripping:
                sock.close()
        assert httpx.get(f"{url}/live").status_code == 200


def test_a_prompt_client_and_an_open_socket_are_not_cut() -> None:
    with serve(HEAD_TIMEOUT) as url, httpx.Client() as client:
        ws_url = url.replace("http://", "ws://") + "/ws"
        with websockets.sync.client.connect(ws_url) as ws:
            for _ in range(3):  # one keep-alive connection, a request a little under a second
                assert client.get(f"{url}/live").status_code == 200
                time.sleep(0.8)
            ws.send('{"type": "ping", "seq": 1}')
            assert '"pong"' in str(ws.recv(timeout=5))


def _admitted(ws: websockets.sync.client.ClientConnection) -> bool:
    """The socket answers a ping; False when the server closed it as busy (1013)."""
    try:
        ws.send('{"type": "ping", "seq": 1}')
        return '"pong"' in str(ws.recv(timeout=5))
    except websockets.exceptions.ConnectionClosed:
        busy = ws.close_code == 1013
    assert busy, f"closed with {ws.close_code}, not as busy"
    return False


@pytest.mark.parametrize("workers", [1, 2])
def test_connections_past_the_cap_are_refused_and_the_cap_frees_as_they_close(
    workers: int,
) -> None:
    cap = 16
    with serve({"HSC_MAX_CONNECTIONS": str(cap)}, workers=workers) as url:
        ws_url = url.replace("http://", "ws://") + "/ws"
        with contextlib.ExitStack() as held:
            # Open sockets hold their connections until a process at its cap refuses one.
            admitted = 0
            while admitted <= cap * workers:
                if not _admitted(held.enter_context(websockets.sync.client.connect(ws_url))):
                    break
                admitted += 1
            assert cap <= admitted < cap * workers + 1
            if workers == 1:
                # A request past the cap: 503 at once.
                assert httpx.get(f"{url}/live", timeout=5).status_code == 503
        time.sleep(0.5)
        assert httpx.get(f"{url}/live", timeout=5).status_code == 200
        with websockets.sync.client.connect(ws_url) as ws:
            assert _admitted(ws)
