"""``/metrics`` and the admin routes on an internal port only, when ``HSC_INTERNAL_PORT`` is set.

The public port then answers them 404, as if they did not exist, so an Ingress or a load
balancer that forwards everything cannot expose them; Prometheus and operators use the port
that only the cluster reaches.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

INTERNAL_PATHS = ("/metrics", "/api/admin")


class InternalOnly:
    def __init__(self, app: ASGIApp, port: int) -> None:
        self._app = app
        self._port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(INTERNAL_PATHS):
            server = scope.get("server")
            if server is None or server[1] != self._port:
                not_found = {"error": {"code": "not_found", "message": "Not Found"}}
                await JSONResponse(not_found, 404)(scope, receive, send)
                return
        await self._app(scope, receive, send)
