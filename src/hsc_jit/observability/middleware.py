"""ASGI middleware: HTTP metrics by route template, request ids in logs, security headers.

Pure ASGI rather than BaseHTTPMiddleware, so streamed answers are not buffered.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hsc_jit.observability.metrics import HTTP_DURATION, HTTP_REQUESTS

_UNMETERED = {"/live", "/health", "/ready", "/metrics"}
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_CSP = (
    "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self' ws: wss:; object-src 'none'"
)
# /docs and /redoc: their assets are the app's own (api/docs.py), but the pages start them with
# an inline script, and ReDoc runs its search in a worker made from a blob.
_DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'"
)


def _framing(frame_ancestors: Sequence[str]) -> tuple[list[tuple[bytes, bytes]], str]:
    """The headers that say who may frame our pages: nobody unless ``HSC_FRAME_ANCESTORS``
    lists sites (X-Frame-Options cannot name several, so it is sent only for nobody)."""
    if not frame_ancestors:
        return [(b"x-frame-options", b"DENY")], "frame-ancestors 'none'"
    return [], "frame-ancestors " + " ".join(frame_ancestors)


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, frame_ancestors: Sequence[str] = ()) -> None:
        self.app = app
        framing, ancestors = _framing(frame_ancestors)
        self._headers = [*_SECURITY_HEADERS, *framing]
        self._csp = f"{_CSP}; {ancestors}".encode()
        self._docs_csp = f"{_DOCS_CSP}; {ancestors}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # Each socket runs in its own task, whose context copy dies with it: no unbinding,
            # and no context manager held for the socket's whole life.
            structlog.contextvars.bind_contextvars(connection_id=uuid.uuid4().hex[:16])
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _header(scope, b"x-request-id") or uuid.uuid4().hex[:16]
        started = time.perf_counter()
        status = 500
        path: str = scope["path"]

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                csp = self._docs_csp if path.startswith(("/docs", "/redoc")) else self._csp
                headers = [
                    *message.get("headers", []),
                    *self._headers,
                    (b"content-security-policy", csp),
                    (b"x-request-id", request_id.encode()),
                ]
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_wrapper)
            finally:
                if path not in _UNMETERED:
                    route = _route_template(scope)
                    method = scope["method"]
                    HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
                    HTTP_DURATION.labels(method=method, route=route).observe(
                        time.perf_counter() - started
                    )


def _route_template(scope: Scope) -> str:
    route: Any = scope.get("route")
    template = getattr(route, "path", None)
    if isinstance(template, str):
        return template
    return "unmatched"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            text = value.decode("latin-1")
            return text[:64] if text.isprintable() else None
    return None
