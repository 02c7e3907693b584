"""One handler turns domain errors into ``{"error", "detail", "code"}`` with their status."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from hsc_jit.errors import HscError, RateLimited


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HscError)
    async def _domain_error(_request: Request, exc: HscError) -> JSONResponse:
        return JSONResponse(
            {"error": type(exc).__name__, "code": exc.code, "detail": exc.message},
            status_code=exc.status_code,
            # Buckets refill continuously: a second is enough for at least one more request.
            headers={"Retry-After": "1"} if isinstance(exc, RateLimited) else None,
        )

    async def _unavailable(_request: Request, _exc: Exception) -> JSONResponse:
        # A database connection that went away: say so instead of a bare 500.
        return JSONResponse(
            {
                "error": "ServiceUnavailable",
                "code": "internal",
                "detail": "A backing service is unavailable; try again shortly.",
            },
            status_code=503,
        )

    app.add_exception_handler(OSError, _unavailable)
    app.add_exception_handler(SQLAlchemyError, _unavailable)
