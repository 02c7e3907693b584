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
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Literal

import structlog

from hsc_jit.answer.base import AnswerProvider, AnswerRequest
from hsc_jit.answer.chunking import Chunker
from hsc_jit.answer.markers import cited_page
from hsc_jit.answer.streams import close_stream
from hsc_jit.observability.metrics import LLM_ERRORS
from hsc_jit.text.messages import say

log = structlog.get_logger(__name__)
FailureKind = Literal["error", "timeout", "empty", "uncited"]
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
        if self._primary.name != self._extractive.name:
            emitted, cited = 0, False
            async with contextlib.aclosing(self._from_primary(chunker)) as chunks:
                async for chunk in chunks:
                    emitted += 1
                    cited = cited or cited_page(chunk) is not None
                    yield chunk
            if self.failure is None:
                self.failure = self._judge(emitted, cited)
            if self.failure is None:
                return
            notice = self._fall_back(self.failure, chunker, emitted)
            if notice is not None:
                yield notice
        async for chunk in _chunked(self._extractive.stream(self._request), chunker):
            yield chunk

    async def _from_primary(self, chunker: Chunker) -> AsyncGenerator[str, None]:
        """The primary provider's chunks; an error or a timeout ends them and sets ``failure``."""
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
                    yield chunk
            for chunk in chunker.flush():
                yield chunk
        except TimeoutError:
            self.failure = "timeout"
        except Exception as exc:  # any provider failure ends in the extractive answer
            self.failure = "error"
            log.warning(
                "answer.provider_failed", provider=self._primary.name, error=repr(exc)[:300]
            )
        finally:
            await close_stream(raw)

    def _judge(self, emitted: int, cited: bool) -> FailureKind | None:
        """The failure of an answer the primary provider finished: none, or not one to serve."""
        if emitted == 0:
            return "empty"
        if not cited and self._request.covered and self._request.evidence:
            return "uncited"
        return None

    def _fall_back(self, failure: FailureKind, chunker: Chunker, emitted: int) -> str | None:
        """Count the failure and hand over to the extractive answer; the notice it needs, if any."""
        LLM_ERRORS.labels(provider=self._primary.name, kind=failure).inc()
        log.info("answer.fallback", provider=self._primary.name, kind=failure, after=emitted)
        self.provider = self._extractive.name
        chunker.discard_pending()
        if not emitted:
            return None
        self.provider = f"{self._primary.name}+{self._extractive.name}"
        return say("uncited" if failure == "uncited" else "interrupted", self._request.lang)


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
