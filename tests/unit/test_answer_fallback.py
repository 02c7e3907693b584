"""The fallback with in-process providers: what counts as a failure, and what the client gets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.extractive import ExtractiveProvider, compose_answer
from hsc_jit.answer.fallback import answer_with_fallback
from hsc_jit.errors import ProviderError
from hsc_jit.text.sentences import split_sentences
from tests.utils.answer_requests import make_request


class Scripted:
    """Replays deltas with a pause before each, then raises ``error`` if given."""

    name = "scripted"

    def __init__(self, deltas: list[str], pause: float = 0, error: bool = False) -> None:
        self.deltas, self.pause, self.error = deltas, pause, error
        self.closed = False

    async def stream(self, request: AnswerRequest) -> AsyncIterator[str]:
        try:
            for delta in self.deltas:
                await asyncio.sleep(self.pause)
                yield delta
            if self.error:
                raise ProviderError("scripted failure")
        finally:
            self.closed = True


def extractive_chunks() -> list[str]:
    """The extractive answer as the chunker delivers it: one sentence per chunk."""
    return [sentence for chunk in compose_answer(make_request()) for sentence in split_chunk(chunk)]


def split_chunk(chunk: str) -> list[str]:
    return [chunk] if chunk.startswith("[") else split_sentences(chunk)


async def run(primary: Scripted, wait_s: float = 1, total_s: float | None = None) -> list[str]:
    answer = answer_with_fallback(primary, ExtractiveProvider(), make_request(), wait_s, total_s)
    chunks = [c async for c in answer]
    chunks.append(f"provider={answer.provider} failure={answer.failure}")
    return chunks


async def test_a_good_answer_passes_through() -> None:
    primary = Scripted(["It is on the front. ", "[MANUAL: page 6]"])
    assert await run(primary) == [
        "It is on the front.",
        "[MANUAL: page 6]",
        "provider=scripted failure=None",
    ]
    assert primary.closed


async def test_only_made_up_markers_count_as_empty() -> None:
    chunks = await run(Scripted(["[MANUAL: page 404]", "[SUGGESTION: Moon Rocket]"]))
    assert chunks[:-1] == extractive_chunks()
    assert chunks[-1] == "provider=extractive failure=empty"


async def test_an_error_before_any_chunk_gives_the_extractive_answer_alone() -> None:
    chunks = await run(Scripted(["Half a sent"], error=True))
    assert chunks[:-1] == extractive_chunks()
    assert chunks[-1] == "provider=extractive failure=error"


async def test_a_trickle_is_cut_by_the_total_timeout() -> None:
    primary = Scripted([f"word{i} " for i in range(100)], pause=0.05)
    chunks = await run(primary, wait_s=1, total_s=0.3)
    assert chunks[-1] == "provider=extractive failure=timeout"
    assert primary.closed


async def test_extractive_as_primary_runs_once() -> None:
    extractive = ExtractiveProvider()
    answer = answer_with_fallback(extractive, extractive, make_request(), 1)
    assert [c async for c in answer] == extractive_chunks()
    assert answer.provider == "extractive"
    assert answer.failure is None
