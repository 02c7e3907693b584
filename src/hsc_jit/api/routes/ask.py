"""``POST /api/ask``: the query flow as a stream of newline-delimited JSON messages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Body, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from hsc_jit.api.http_limits import limit_questions
from hsc_jit.api.protocol import MAX_QUERY_CHARS
from hsc_jit.api.state import StateDep
from hsc_jit.config import Scenario
from hsc_jit.services.answers import Question

router = APIRouter(prefix="/api", tags=["answers"])


class AskBody(BaseModel):
    product_id: str = Field(min_length=1, max_length=255)
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    scenario: Scenario = "general"


@router.post(
    "/ask",
    response_class=StreamingResponse,
    dependencies=[Depends(limit_questions)],
    responses={
        200: {"content": {"application/x-ndjson": {}}},
        429: {"description": "Too many questions from this address"},
    },
)
async def ask(body: Annotated[AskBody, Body()], state: StateDep) -> StreamingResponse:
    """Answer a question about one product from its manual, streamed as NDJSON."""
    question = Question(body.product_id, body.query.strip(), body.scenario)

    async def lines() -> AsyncIterator[bytes]:
        with state.drain.track():
            async for message in state.answers.answer_stream(question):
                yield orjson.dumps(message) + b"\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")
