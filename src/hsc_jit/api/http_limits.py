"""Per-IP limits for the HTTP routes that cost work or write: predictions, answers, feedback
and handoff.

They take from the same per-IP buckets as the socket's frames (feedback as typing, handoff as
questions), so a client cannot double its budget by switching transport.
"""

from __future__ import annotations

from fastapi import Request

from hsc_jit.api.state import StateDep
from hsc_jit.errors import RateLimited
from hsc_jit.observability.metrics import RATE_LIMITED


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def limit_predictions(request: Request, state: StateDep) -> None:
    if not await state.limits.typing_per_ip.take(_client_ip(request)):
        RATE_LIMITED.labels(kind="http_predict").inc()
        raise RateLimited("Too many predictions from this address; slow down a little.")


async def limit_questions(request: Request, state: StateDep) -> None:
    if not await state.limits.query_per_ip.take(_client_ip(request)):
        RATE_LIMITED.labels(kind="http_ask").inc()
        raise RateLimited("Too many questions from this address; try again in a moment.")


async def limit_feedback(request: Request, state: StateDep) -> None:
    if not await state.limits.typing_per_ip.take(_client_ip(request)):
        RATE_LIMITED.labels(kind="http_feedback").inc()
        raise RateLimited("Too many ratings from this address; slow down a little.")


async def limit_handoffs(request: Request, state: StateDep) -> None:
    if not await state.limits.query_per_ip.take(_client_ip(request)):
        RATE_LIMITED.labels(kind="http_handoff").inc()
        raise RateLimited("Too many requests from this address; try again in a moment.")
