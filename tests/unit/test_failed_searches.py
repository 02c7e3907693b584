"""Failed searches: only the last text of a typing burst that found nothing confident counts,
in memory until a flush writes the counts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog.db import create_engine, create_sessionmaker
from hsc_jit.config import Settings
from hsc_jit.predict.normalize import normalize
from hsc_jit.services.searches import Burst, FailedSearches
from hsc_jit.support import searches
from tests.utils.db import migrated


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def sessionmaker(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with migrated(settings) as (_engine, made):
        yield made


async def counted(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessionmaker() as session:
        return {row.text: row.count for row in await searches.most_frequent(session, 100)}


def type_out(
    recorder: FailedSearches, text: str, confidence: int = 0, burst: Burst | None = None
) -> None:
    """Every prefix, as a customer's keystrokes arrive (normalised, as predictions pass it)."""
    for end in range(1, len(text) + 1):
        recorder.typed(normalize(text[:end]), confidence, burst)


async def test_the_last_text_of_a_burst_counts_once_its_burst_is_over(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = Clock()
    recorder = FailedSearches(sessionmaker, min_confidence=50, flush_s=60, clock=clock)
    type_out(recorder, "Zildjan K-Custom")
    await recorder.flush()
    assert await counted(sessionmaker) == {}  # still typing, as far as anyone knows
    clock.now += 3
    await recorder.flush()
    assert await counted(sessionmaker) == {"zildjan k custom": 1}


async def test_confident_texts_and_short_ones_are_not_failures(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    recorder = FailedSearches(sessionmaker, min_confidence=50, flush_s=60)
    type_out(recorder, "roland td27", confidence=90)
    recorder.typed(normalize("xy"), 0)
    recorder.typed(normalize("   "), 0)
    await recorder.flush(everything=True)
    assert await counted(sessionmaker) == {}


async def test_a_confident_ending_forgets_the_burst_s_failures(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    recorder = FailedSearches(sessionmaker, min_confidence=50, flush_s=60)
    type_out(recorder, "kor", confidence=10)
    recorder.typed(normalize("korg kronos"), 95)
    await recorder.flush(everything=True)
    assert await counted(sessionmaker) == {}


async def test_on_a_socket_only_its_own_typing_ends_a_failure(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    recorder = FailedSearches(sessionmaker, min_confidence=50, flush_s=60)
    mine, theirs = Burst(), Burst()
    type_out(recorder, "kor", burst=mine)
    recorder.typed(normalize("korg kronos"), 95, theirs)  # another customer's: "kor" stands
    type_out(recorder, "zildj", burst=mine)
    recorder.typed(normalize("zil"), 0, mine)  # backspaces ...
    recorder.typed(normalize("zildjian k"), 95, mine)  # ... then a confident ending
    await recorder.flush(everything=True)
    assert await counted(sessionmaker) == {"kor": 1}


async def test_a_burst_lists_a_bounded_number_of_failures_and_the_latest_stay(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = Clock()
    recorder = FailedSearches(sessionmaker, min_confidence=50, flush_s=60, clock=clock)
    burst = Burst()
    recorder.typed(normalize("zzz"), 0, burst)
    recorder.typed(normalize("qqq"), 0, burst)
    for number in range(20):
        recorder.typed(normalize(f"other {number}"), 0, burst)
    recorder.typed(normalize("zzz"), 0, burst)  # typed again: among the latest once more
    for number in range(20, 40):
        recorder.typed(normalize(f"other {number}"), 0, burst)
    assert len(burst.pending) <= 32
    recorder.typed(normalize("zzz top"), 95, burst)
    recorder.typed(normalize("qqq top"), 95, burst)  # listed too long ago to be known
    clock.now += 3
    await recorder.flush()
    found = await counted(sessionmaker)
    assert "zzz" not in found
    assert found["qqq"] == 1


async def test_counts_add_up_across_flushes_and_recorders(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = Clock()
    first = FailedSearches(sessionmaker, min_confidence=50, flush_s=60, clock=clock)
    second = FailedSearches(sessionmaker, min_confidence=50, flush_s=60, clock=clock)
    for recorder in (first, second, first):
        type_out(recorder, "theremin")
        clock.now += 3
        await recorder.flush()
    type_out(second, "flugelhorn")
    await second.flush(everything=True)  # at shutdown: whatever is pending counts
    assert await counted(sessionmaker) == {"theremin": 3, "flugelhorn": 1}
    async with sessionmaker() as session:
        listed = [row.text for row in await searches.most_frequent(session, 1)]
    assert listed == ["theremin"]


async def test_a_database_that_is_down_loses_one_batch_not_the_typing(settings: Settings) -> None:
    engine = create_engine(settings)  # not migrated: writing fails
    try:
        recorder = FailedSearches(create_sessionmaker(engine), min_confidence=50, flush_s=60)
        type_out(recorder, "theremin")
        await recorder.flush(everything=True)  # logged, not raised
        type_out(recorder, "theremin")  # and typing goes on
    finally:
        await engine.dispose()
