"""Admin routes behind ``HSC_ADMIN_TOKEN``: catalog import and reload, cache purge, review lists.

With no token configured the routes answer 404, as if they did not exist.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Literal

import structlog
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hsc_jit.api.csv_export import CSV_RESPONSE, csv_response
from hsc_jit.api.errors import describe_problems, error_responses
from hsc_jit.api.schemas import (
    FailedSearch,
    FailedSearchList,
    FeedbackEntry,
    FeedbackList,
    ImportResult,
    PurgeResult,
    Rating,
    ReloadResult,
    Ticket,
    TicketList,
    UnansweredList,
    UnansweredQuestion,
)
from hsc_jit.api.state import AppState, StateDep, get_state
from hsc_jit.catalog.importer import ImportReport, import_parsed
from hsc_jit.catalog.parse import parse_json, parse_jsonl
from hsc_jit.errors import CatalogImportError
from hsc_jit.services.catalog_watch import announce, announce_catalog_change

log = structlog.get_logger(__name__)
MAX_IMPORT_BYTES = 50 * 1024 * 1024
_bearer = HTTPBearer(auto_error=False)


def require_admin(
    state: Annotated[AppState, Depends(get_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    token = state.settings.admin_token
    if token is None:
        raise HTTPException(404, "Not Found")
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), token.get_secret_value().encode()):
        raise HTTPException(
            401, "A valid admin bearer token is required.", {"WWW-Authenticate": "Bearer"}
        )


router = APIRouter(
    prefix="/api/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 404),
)


@router.post("/catalog/import", response_model=ImportResult, responses=error_responses(413, 422))
async def import_catalog(
    request: Request,
    state: StateDep,
    format: Annotated[Literal["json", "jsonl"], Query()] = "json",
    name: Annotated[str, Query(max_length=200)] = "upload",
) -> dict[str, Any]:
    """Import one catalog file sent as the request body (v3 JSON or JSON Lines)."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_IMPORT_BYTES:
            raise HTTPException(413, f"A catalog file may be at most {MAX_IMPORT_BYTES} bytes.")
    try:
        text = body.decode("utf-8")
        parsed = parse_jsonl(text, name) if format == "jsonl" else parse_json(text, name)
    except UnicodeDecodeError as exc:
        raise HTTPException(422, f"{name}: not UTF-8 text") from exc
    except CatalogImportError as exc:
        raise HTTPException(422, exc.message) from exc
    except (ValueError, RecursionError, TypeError) as exc:
        # The parser's blind spots (nesting too deep, a 5000-digit number, a field of an
        # unexpected type) refuse the file like any other defect instead of answering 500.
        log.warning("admin.catalog_unreadable", name=name, error=type(exc).__name__)
        raise HTTPException(422, f"{name}: not a readable catalog ({type(exc).__name__})") from exc
    report = ImportReport()
    await import_parsed(state.sessionmaker, parsed, report)
    if not report.ok:
        raise HTTPException(422, f"{name} was refused: {describe_problems(report.errors)}")
    await announce_catalog_change(state.holder, state.bus)
    return {"summary": report.summary(), "warnings": report.warnings}


@router.post("/catalog/reload", response_model=ReloadResult)
async def reload_catalog(state: StateDep) -> dict[str, Any]:
    """Rebuild this instance's index now and tell the others."""
    await state.holder.reload(force=True)
    await announce_catalog_change(state.holder, state.bus)
    snapshot = state.holder.current
    return {
        "version": snapshot.version if snapshot else None,
        "products": len(snapshot.products) if snapshot else 0,
    }


@router.post("/cache/purge", response_model=PurgeResult, responses=error_responses(422))
async def purge_cache(
    state: StateDep, cache: Annotated[str | None, Query(max_length=50, pattern=r"^[a-z_]+$")] = None
) -> dict[str, Any]:
    """Drop cached predictions, documents and answers (one cache by name, or all)."""
    await state.cache.purge(cache)
    await announce(state.bus, {"kind": "purge", "cache": cache})
    return {"purged": cache or "all"}


# Every review list: how many rows, and as JSON or as a CSV download.
Limit = Annotated[int, Query(ge=1, le=1000)]
Format = Annotated[Literal["json", "csv"], Query(description="csv: a spreadsheet download")]


@router.get(
    "/unanswered",
    response_model=UnansweredList,
    responses={**CSV_RESPONSE, **error_responses(422)},
)
async def unanswered(state: StateDep, limit: Limit = 100, format: Format = "json") -> Any:
    """The latest questions the manuals did not cover, and the same grouped by product and by
    wording (CSV: the questions)."""
    found = await state.review.unanswered(limit)
    if format == "csv":
        return csv_response(UnansweredQuestion, found["questions"], "unanswered")
    return found


@router.get(
    "/tickets", response_model=TicketList, responses={**CSV_RESPONSE, **error_responses(422)}
)
async def tickets(state: StateDep, limit: Limit = 100, format: Format = "json") -> Any:
    """Requests for a person, undelivered first, with their delivery state."""
    rows = await state.review.tickets(limit)
    return csv_response(Ticket, rows, "tickets") if format == "csv" else {"tickets": rows}


@router.get(
    "/feedback", response_model=FeedbackList, responses={**CSV_RESPONSE, **error_responses(422)}
)
async def feedback(
    state: StateDep,
    limit: Limit = 100,
    format: Format = "json",
    rating: Annotated[Rating | None, Query(description="Only these ratings.")] = None,
) -> Any:
    """Rated answers: down-votes first, or only the ``rating`` asked for; latest first."""
    rows = await state.review.feedback(limit, rating)
    return csv_response(FeedbackEntry, rows, "feedback") if format == "csv" else {"feedback": rows}


@router.get(
    "/searches",
    response_model=FailedSearchList,
    responses={**CSV_RESPONSE, **error_responses(422)},
)
async def searches(state: StateDep, limit: Limit = 100, format: Format = "json") -> Any:
    """Typed texts that found no confident product, most frequent first."""
    rows = await state.review.searches(limit)
    return csv_response(FailedSearch, rows, "searches") if format == "csv" else {"searches": rows}
