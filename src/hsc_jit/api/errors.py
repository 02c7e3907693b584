"""Every HTTP error answers ``{"error": {"code", "message"}}`` (``schemas.ErrorResponse``).

Handlers for the app's ``HscError``, Starlette's ``HTTPException`` (FastAPI's, the router's 404
and 405, the static files' 404), request validation, a backing service that went away, and
anything unexpected; headers an error carries (``Retry-After``, ``WWW-Authenticate``, ``Allow``)
are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from hsc_jit.api.schemas import ApiErrorCode, ErrorInfo, ErrorResponse
from hsc_jit.errors import HscError, RateLimited

_CODES: dict[int, ApiErrorCode] = {
    400: "invalid_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_request",
    429: "rate_limited",
    503: "unavailable",
}
_DESCRIPTIONS = {
    401: "A valid admin bearer token is required",
    404: "Not found",
    413: "The request body is too large",
    422: "The request is not valid",
    429: "Too many requests from this address; retry after Retry-After seconds",
    503: "A backing service is unavailable",
}
_MAX_PROBLEMS = 5
ERROR_REF = "#/components/schemas/ErrorResponse"


def error_response(
    status: int, code: ApiErrorCode, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = ErrorResponse(error=ErrorInfo(code=code, message=message))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def code_for(status: int) -> ApiErrorCode:
    return _CODES.get(status, "internal" if status >= 500 else "invalid_request")


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a route: each status documented with the error body.

    As JSON whatever the route's own media type (``/api/ask`` streams NDJSON), so by reference
    rather than ``model`` (``docs.install_docs`` adds the component).
    """
    content = {"application/json": {"schema": {"$ref": ERROR_REF}}}
    return {
        status: {"description": _DESCRIPTIONS.get(status, "Error"), "content": content}
        for status in statuses
    }


def describe_problems(problems: Iterable[str]) -> str:
    """Several problems as one message, the first few named."""
    listed = list(problems)
    shown = "; ".join(listed[:_MAX_PROBLEMS])
    more = len(listed) - _MAX_PROBLEMS
    return shown + (f"; and {more} more" if more > 0 else "")


def _validation_message(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())) or "request"
        problems.append(f"Invalid '{where}': {error.get('msg', 'invalid')}.")
    return describe_problems(problems) or "The request is not valid."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HscError)
    async def _domain_error(_request: Request, exc: HscError) -> JSONResponse:
        # Buckets refill continuously: a second is enough for at least one more request.
        headers = {"Retry-After": "1"} if isinstance(exc, RateLimited) else None
        return error_response(exc.status_code, exc.code, exc.message, headers)

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "The request failed."
        return error_response(exc.status_code, code_for(exc.status_code), message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _validation_message(exc))

    async def _unavailable(_request: Request, _exc: Exception) -> JSONResponse:
        # A database connection that went away: say so instead of a bare 500.
        return error_response(
            503, "unavailable", "A backing service is unavailable; try again shortly."
        )

    async def _unexpected(_request: Request, _exc: Exception) -> JSONResponse:
        # Starlette logs the exception and re-raises it after this answer is sent.
        return error_response(500, "internal", "Something went wrong; please try again.")

    app.add_exception_handler(OSError, _unavailable)
    app.add_exception_handler(SQLAlchemyError, _unavailable)
    app.add_exception_handler(Exception, _unexpected)
