"""Typed texts that found no confident product, for ``GET /api/admin/searches``.

Typing is the hot path, so a prediction only touches a dictionary here: its text (normalised)
is noted when its best confidence is under ``HSC_FAILED_SEARCH_CONFIDENCE``, and forgotten as
soon as a longer text of the same burst arrives ("kor" once "korg x" is typed): on a socket,
a text that socket typed (its ``Burst``); over HTTP, any text. A text not
typed further for ``_BURST_GAP_S`` was the last of its burst and is counted; the counts go to
the database in one transaction every ``HSC_FAILED_SEARCH_FLUSH_S`` and at shutdown.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog.db import transaction
from hsc_jit.catalog.models import utcnow
from hsc_jit.support import searches
from hsc_jit.support.models import SEARCH_TEXT_LENGTH
from hsc_jit.support.searches import Tally

log = structlog.get_logger(__name__)
_BURST_GAP_S = 2.0
_MIN_CHARS = 3  # "ro" finds nothing confident and says nothing
# Bounds on memory between flushes: a flood of junk text costs at most this many entries.
_MAX_PENDING = 10_000
_MAX_TALLIES = 10_000
# One socket's pending texts remembered; typing further drops a failure's text at once, so
# only edits that are no continuation (a backspace, another name) add up to this.
_BURST_TEXTS = 32


@dataclass(slots=True)
class Burst:
    """One socket's failed texts still pending, oldest first: typing further drops them by
    name, where a text of unknown origin must look up every prefix it has (a tenth of a
    cached keystroke's CPU)."""

    pending: list[str] = field(default_factory=list)


class FailedSearches:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        min_confidence: int,
        flush_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._min_confidence = min_confidence
        self._flush_s = flush_s
        self._clock = clock
        self._pending: OrderedDict[str, float] = OrderedDict()  # text -> when last typed
        self._tallies: dict[str, Tally] = {}

    def typed(self, normalized: str, confidence: int, burst: Burst | None = None) -> None:
        """Note one prediction: the text typed as ``normalize`` gives it (the prediction has it
        already), ``confidence`` of its best product (0: none), and whose typing it is if known."""
        key = normalized[:SEARCH_TEXT_LENGTH]
        # Typed further: not the end of its burst. Shorter texts are never pending.
        if burst is None:
            for end in range(_MIN_CHARS, len(key)):
                self._pending.pop(key[:end], None)
        else:
            kept = []
            for text in burst.pending:
                if text == key or text not in self._pending:
                    continue  # typed again (listed anew below), or counted already
                if key.startswith(text):
                    del self._pending[text]
                else:
                    kept.append(text)
            burst.pending = kept
        if confidence >= self._min_confidence or len(key) < _MIN_CHARS:
            return
        self._pending[key] = self._clock()
        self._pending.move_to_end(key)
        if burst is not None:
            burst.pending.append(key)
            del burst.pending[:-_BURST_TEXTS]
        if len(self._pending) > _MAX_PENDING:
            self._count(self._pending.popitem(last=False)[0])

    async def run(self) -> None:
        """Write the counts every ``flush_s`` until cancelled, then once more with everything."""
        try:
            while True:
                await asyncio.sleep(self._flush_s)
                await self.flush()
        finally:
            await self.flush(everything=True)

    async def flush(self, *, everything: bool = False) -> None:
        """Count the texts whose burst is over (all with ``everything``) and write the counts."""
        settled_before = float("inf") if everything else self._clock() - _BURST_GAP_S
        while self._pending:
            text, typed_at = next(iter(self._pending.items()))
            if typed_at > settled_before:
                break  # the rest were typed later still
            del self._pending[text]
            self._count(text)
        if not self._tallies:
            return
        batch, self._tallies = self._tallies, {}
        try:
            async with transaction(self._sessionmaker) as session:
                await searches.add(session, batch)
        except Exception as exc:  # a review list: one lost batch is not worth more
            log.warning("searches.not_saved", texts=len(batch), error=type(exc).__name__)

    def _count(self, text: str) -> None:
        tally = self._tallies.get(text)
        if tally is not None:
            tally.count += 1
            tally.last_seen = utcnow()
        elif len(self._tallies) < _MAX_TALLIES:
            self._tallies[text] = Tally(1, utcnow())
