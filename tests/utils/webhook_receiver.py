"""A helpdesk's webhook on 127.0.0.1, in a thread: checks each ticket's signature as the
operations guide tells a receiver to, and counts what arrived."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.utils.live import free_port

SECRET = "helpdesk-shared-secret-0123456789"


class WebhookReceiver:
    def __init__(self, secret: str = SECRET, port: int = 0) -> None:
        self.secret = secret.encode()
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/hsc/tickets"
        self.tickets: list[dict[str, Any]] = []  # signed correctly, in arrival order
        self.forged = 0
        # Statuses to answer with before answering 200, one per request.
        self.refusals: list[int] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def arrivals(self) -> Counter[str]:
        with self._lock:
            return Counter(ticket["ticket_id"] for ticket in self.tickets)

    def wait_for(self, ticket_ids: set[str], within_s: float = 30) -> Counter[str]:
        deadline = time.monotonic() + within_s
        while not ticket_ids <= set(self.arrivals()):
            if time.monotonic() > deadline:
                raise AssertionError(f"never arrived: {ticket_ids - set(self.arrivals())}")
            time.sleep(0.05)
        return self.arrivals()

    def _receive(self, body: bytes, signature: str | None) -> int:
        expected = "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        with self._lock:
            if self.refusals:
                return self.refusals.pop(0)
            if signature is None or not hmac.compare_digest(signature, expected):
                self.forged += 1
                return 401
            self.tickets.append(json.loads(body))
            return 200

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._receive(body, self.headers.get("X-HSC-Signature"))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet test output

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def receiving(receiver: WebhookReceiver | None = None) -> Iterator[WebhookReceiver]:
    receiver = receiver or WebhookReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
