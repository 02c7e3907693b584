"""``POST /api/ask``: the query flow as a stream of newline-delimited JSON messages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Body, Depends
from fastapi.responses import StreamingResponse

from hsc_jit.api.errors import error_responses
from hsc_jit.api.http_limits import limit_questions
from hsc_jit.api.schemas import AnswerStreamMessage, AskBody
from hsc_jit.api.state import StateDep
from hsc_jit.services.answers import Question

router = APIRouter(prefix="/api", tags=["answers"])
# Added to the components by ``docs.install_docs``: FastAPI only adds models a route returns.
STREAM_ITEM_REF = "#/components/schemas/AnswerStreamMessage"


class NDJSONResponse(StreamingResponse):
    """Declares the stream's media type, so the OpenAPI document puts the line schema there."""

    media_type = "application/x-ndjson"


@router.post(
    "/ask",
    response_class=NDJSONResponse,
    response_model=None,
    dependencies=[Depends(limit_questions)],
    responses={
        200: {
            "description": "One AnswerStreamMessage per line, ending in final_answer or error",
            # OpenAPI 3.2's schema of each item of a sequential media type.
            "content": {"application/x-ndjson": {"itemSchema": {"$ref": STREAM_ITEM_REF}}},
        },
        **error_responses(422, 429),
    },
)
async def ask(body: Annotated[AskBody, Body()], state: StateDep) -> NDJSONResponse:
    """Answer a question about one product from its manual, streamed as NDJSON."""
    question = Question(
        body.product_id,
        body.query.strip(),
        body.scenario,
        conversation_id=body.conversation_id,
        lang=body.lang,
    )

    async def lines() -> AsyncIterator[bytes]:
        with state.drain.track():
            async for message in state.answers.answer_stream(question):
                # Through the model: what the stream carries is what the contract says.
                line = AnswerStreamMessage.model_validate(message).model_dump_json()
                yield line.encode() + b"\n"

    return NDJSONResponse(lines())
