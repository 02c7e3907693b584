"""The openai provider against a real OpenAI-compatible server on 127.0.0.1, with the fallback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from hsc_jit.answer.extractive import ExtractiveProvider
from hsc_jit.answer.fallback import answer_with_fallback
from hsc_jit.answer.openai_compat import OpenAIProvider
from hsc_jit.errors import ProviderError
from hsc_jit.observability.metrics import LLM_ERRORS
from hsc_jit.text.messages import say
from tests.utils.answer_requests import make_request
from tests.utils.model_server import FakeModelServer

NOTICE = say("interrupted", "en")
UNCITED_NOTICE = say("uncited", "en")

ANSWER = [
    "Plug your headphones into the PHO",
    "NES jack on the front. [MAN",
    "UAL: page 6] The speakers go silent by themselves. [Manual: p. 99] ",
    "[SUGGESTION: Acme RH-5 Headphones] [PRO TIP: Turn the volume down first.]",
]


@pytest.fixture
async def server() -> AsyncIterator[FakeModelServer]:
    fake = FakeModelServer(deltas=list(ANSWER))
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def provider(server: FakeModelServer) -> AsyncIterator[OpenAIProvider]:
    openai = OpenAIProvider(
        base_url=server.base_url, api_key=None, model="test-model", timeout=5, token_budget=1500
    )
    yield openai
    await openai.aclose()


def errors(kind: str) -> float:
    return float(LLM_ERRORS.labels(provider="openai", kind=kind)._value.get())


async def collect(provider: OpenAIProvider, wait_s: float = 5) -> tuple[list[str], str]:
    run = answer_with_fallback(provider, ExtractiveProvider(), make_request(), wait_s)
    return [chunk async for chunk in run], run.provider


async def test_streamed_answer_becomes_protocol_chunks(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    chunks, answered_by = await collect(provider)

    assert answered_by == "openai"
    assert chunks == [
        "Plug your headphones into the PHONES jack on the front.",
        "[MANUAL: page 6]",
        "The speakers go silent by themselves.",
        "[SUGGESTION: Acme RH-5 Headphones]",
        "[PRO TIP: Turn the volume down first.]",
    ]
    request = server.requests[0]
    assert request["model"] == "test-model"
    assert request["stream"] is True
    assert "[Page 6]" in request["messages"][1]["content"]


async def test_raw_stream_yields_deltas_as_sent(provider: OpenAIProvider) -> None:
    assert [d async for d in provider.stream(make_request())] == ANSWER


async def test_server_error_falls_back_to_extractive(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    server.mode = "error"
    before = errors("error")

    chunks, answered_by = await collect(provider)

    assert answered_by == "extractive"
    assert "[MANUAL: page 6]" in chunks
    assert NOTICE not in chunks
    assert errors("error") == before + 1


async def test_server_error_is_a_provider_error(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    server.mode = "error"
    with pytest.raises(ProviderError):
        [d async for d in provider.stream(make_request())]


async def test_hanging_server_times_out_and_falls_back(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    server.mode = "hang"
    before = errors("timeout")

    chunks, answered_by = await collect(provider, wait_s=0.3)

    assert answered_by == "extractive"
    assert "[MANUAL: page 6]" in chunks
    assert errors("timeout") == before + 1
    await asyncio.wait_for(server.closed.wait(), 2)  # the abandoned request was closed


async def test_stall_mid_stream_continues_with_a_notice(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    server.mode = "stall"
    server.deltas = ANSWER[:3]

    chunks, answered_by = await collect(provider, wait_s=0.3)

    assert answered_by == "openai+extractive"
    assert chunks[:4] == [
        "Plug your headphones into the PHONES jack on the front.",
        "[MANUAL: page 6]",
        "The speakers go silent by themselves.",
        NOTICE,
    ]
    assert chunks[4:]
    assert all(c != NOTICE for c in chunks[4:])
    await asyncio.wait_for(server.closed.wait(), 2)


async def test_empty_output_falls_back(server: FakeModelServer, provider: OpenAIProvider) -> None:
    server.mode = "empty"
    before = errors("empty")

    chunks, answered_by = await collect(provider)

    assert answered_by == "extractive"
    assert chunks
    assert errors("empty") == before + 1


async def test_broken_connection_mid_stream_keeps_one_suggestion(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    server.mode = "break"
    before = errors("error")

    chunks, answered_by = await collect(provider)

    assert answered_by == "openai+extractive"
    assert chunks.index(NOTICE) > 0
    assert sum(c.startswith("[SUGGESTION:") for c in chunks) <= 1
    assert sum(c.startswith("[PRO TIP:") for c in chunks) == 1
    assert errors("error") == before + 1


async def test_cancelling_the_consumer_closes_the_connection(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    server.mode = "stall"
    server.deltas = ANSWER[:2]
    first = asyncio.Event()

    async def consume() -> None:
        async for _ in answer_with_fallback(provider, ExtractiveProvider(), make_request(), 30):
            first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    await asyncio.wait_for(server.closed.wait(), 2)


async def test_an_uncited_answer_is_followed_by_the_manuals_own(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    server.deltas = ["Plug your headphones into the jack on the front. ", "Enjoy!"]
    before = errors("uncited")

    chunks, answered_by = await collect(provider)

    assert answered_by == "openai+extractive"
    assert chunks[:2] == ["Plug your headphones into the jack on the front.", "Enjoy!"]
    assert chunks[2] == UNCITED_NOTICE
    assert "[MANUAL: page 6]" in chunks[3:]
    assert errors("uncited") == before + 1


async def test_an_uncited_refusal_of_an_uncovered_question_stands(
    server: FakeModelServer, provider: OpenAIProvider
) -> None:
    server.deltas = ["The manual does not cover this, so I won't guess."]
    run = answer_with_fallback(
        provider, ExtractiveProvider(), make_request("Is it waterproof?", covered=False), 5
    )

    chunks = [chunk async for chunk in run]

    assert run.provider == "openai" and run.failure is None
    assert chunks == ["The manual does not cover this, so I won't guess."]
