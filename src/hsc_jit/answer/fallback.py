"""Run the configured provider and fall back to the extractive answer when it fails.

A provider error, a timeout (no first output, or a stall between deltas, for ``timeout``
seconds; or the whole answer taking longer than ``total_timeout``) or an answer that yields no
chunk all end in the extractive answer, and are counted in ``llm_errors{provider, kind}``.

A model answer to a covered question that cites no page is not grounded: it counts as failure
``uncited`` and the extractive answer, which cites, follows it after a notice.

When the provider fails after some chunks already went to the client, those cannot be taken
back. The unfinished sentence is dropped, one notice chunk says the rest comes from the manual,
and the extractive answer follows; the shared chunker keeps that to one suggestion and one pro
tip in total. ``provider`` then reads ``"<primary>+extractive"``.

Cancelling the consumer (the client went away) propagates into the provider's stream, whose
``finally`` closes its HTTP response; nothing keeps running.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Literal

import structlog

from hsc_jit.answer.base import AnswerProvider, AnswerRequest
from hsc_jit.answer.chunking import Chunker
from hsc_jit.answer.streams import close_stream
from hsc_jit.observability.metrics import LLM_ERRORS

log = structlog.get_logger(__name__)
FailureKind = Literal["error", "timeout", "empty", "uncited"]
NOTICE = "The answer was interrupted, so the rest comes straight from the manual."
UNCITED_NOTICE = "That answer cited no page of the manual, so here is what the manual says."
_CITATION = re.compile(r"^\[MANUAL: page \d+\]$")
# Each wait is bounded by ``timeout``; this bounds a provider that trickles forever.
_TOTAL_TIMEOUT_FACTOR = 4


class FallbackAnswer:
    """Async iterator of protocol chunks; ``provider`` and ``failure`` are final once it ends."""

    def __init__(
        self,
        primary: AnswerProvider,
        extractive: AnswerProvider,
        request: AnswerRequest,
        timeout: float,
        total_timeout: float | None = None,
    ) -> None:
        self.provider = primary.name
        self.failure: FailureKind | None = None
        self._primary = primary
        self._extractive = extractive
        self._request = request
        self._timeout = timeout
        self._total_timeout = total_timeout or timeout * _TOTAL_TIMEOUT_FACTOR
        self._chunks = self._run()

    def __aiter__(self) -> FallbackAnswer:
        return self

    async def __anext__(self) -> str:
        return await anext(self._chunks)

    async def aclose(self) -> None:
        await self._chunks.aclose()

    async def _run(self) -> AsyncGenerator[str, None]:
        chunker = Chunker.for_request(self._request)
        if self._primary.name == self._extractive.name:
            async for chunk in _chunked(self._extractive.stream(self._request), chunker):
                yield chunk
            return
        emitted = 0
        cited = False
        raw = self._primary.stream(self._request)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._total_timeout
        try:
            while True:
                # Only the wait is under the timeout, never a yield: the timer must not fire
                # while the consumer holds the chunk.
                async with asyncio.timeout(min(self._timeout, deadline - loop.time())):
                    delta = await anext(raw, None)
                if delta is None:
                    break
                for chunk in chunker.feed(delta):
                    emitted += 1
                    cited = cited or bool(_CITATION.match(chunk))
                    yield chunk
            for chunk in chunker.flush():
                emitted += 1
                cited = cited or bool(_CITATION.match(chunk))
                yield chunk
            if emitted == 0:
                self.failure = "empty"
            elif not cited and self._request.covered and self._request.evidence:
                self.failure = "uncited"
        except TimeoutError:
            self.failure = "timeout"
        except Exception as exc:  # any provider failure ends in the extractive answer
            self.failure = "error"
            log.warning(
                "answer.provider_failed", provider=self._primary.name, error=repr(exc)[:300]
            )
        finally:
            await close_stream(raw)
        if self.failure is None:
            return
        LLM_ERRORS.labels(provider=self._primary.name, kind=self.failure).inc()
        log.info("answer.fallback", provider=self._primary.name, kind=self.failure, after=emitted)
        self.provider = self._extractive.name
        chunker.discard_pending()
        if emitted:
            self.provider = f"{self._primary.name}+{self._extractive.name}"
            yield UNCITED_NOTICE if self.failure == "uncited" else NOTICE
        async for chunk in _chunked(self._extractive.stream(self._request), chunker):
            yield chunk


def answer_with_fallback(
    primary: AnswerProvider,
    extractive: AnswerProvider,
    request: AnswerRequest,
    timeout: float,
    total_timeout: float | None = None,
) -> FallbackAnswer:
    """The answer's chunks, from ``primary`` or, when it fails, from ``extractive``."""
    return FallbackAnswer(primary, extractive, request, timeout, total_timeout)


async def _chunked(deltas: AsyncIterator[str], chunker: Chunker) -> AsyncIterator[str]:
    try:
        async for delta in deltas:
            for chunk in chunker.feed(delta):
                yield chunk
        for chunk in chunker.flush():
            yield chunk
    finally:
        await close_stream(deltas)
