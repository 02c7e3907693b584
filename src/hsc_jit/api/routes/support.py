"""``POST /api/feedback`` (rate an answer) and ``POST /api/handoff`` (ask for a person)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from hsc_jit.api.errors import error_responses
from hsc_jit.api.http_limits import limit_feedback, limit_handoffs
from hsc_jit.api.schemas import FeedbackBody, FeedbackCreated, HandoffBody, HandoffCreated
from hsc_jit.api.state import StateDep
from hsc_jit.support import webhook

router = APIRouter(prefix="/api", tags=["support"])


@router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackCreated,
    dependencies=[Depends(limit_feedback)],
    responses=error_responses(404, 422, 429),
)
async def feedback(body: Annotated[FeedbackBody, Body()], state: StateDep) -> dict[str, Any]:
    """Rate an answer by its ``answer_id``; a second rating of it replaces the first."""
    await state.conversations.rate(body.answer_id, body.rating, body.comment)
    return {"answer_id": body.answer_id}


@router.post(
    "/handoff",
    status_code=201,
    response_model=HandoffCreated,
    dependencies=[Depends(limit_handoffs)],
    responses=error_responses(422, 429, 503),
)
async def handoff(body: Annotated[HandoffBody, Body()], state: StateDep) -> dict[str, Any]:
    """Ask for a person: the ticket is stored before this answers, then sent to the helpdesk."""
    contact = webhook.Contact(**body.contact.model_dump())
    ticket_id = await state.handoff.create(body.conversation_id, body.message, contact)
    return {"ticket_id": ticket_id}
