"""Cross-origin access for the public routes only: the admin routes never answer other sites."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

_PRIVATE = "/api/admin"


class PublicCors:
    """``CORSMiddleware`` for every HTTP path but the admin routes.

    Without CORS headers a browser on a shop's page cannot read an admin answer, nor send the
    bearer token at all (the preflight fails), whatever the shop's page does.
    """

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self._app = app
        self._cors = CORSMiddleware(
            app,
            allow_origins=origins,
            # The public routes need no cookies or auth: a shop's page never sends credentials.
            allow_credentials=False,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(_PRIVATE):
            await self._app(scope, receive, send)
        else:
            await self._cors(scope, receive, send)
