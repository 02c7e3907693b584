"""Per-IP limits shared by every instance through the real Redis, per process without it."""

from __future__ import annotations

import uuid

import pytest

from hsc_jit.api.ratelimit import Limits
from tests.integration._services import REDIS_URL, require_redis

pytestmark = pytest.mark.integration


def _limits(redis_url: str | None) -> Limits:
    # A budget of two questions a minute per address.
    return Limits.create(20, 40, 2, 2, 1.0, redis_url=redis_url, redis_retry_after_s=60)


async def test_two_instances_share_one_budget_per_address() -> None:
    require_redis()
    first, second = _limits(REDIS_URL), _limits(REDIS_URL)
    address = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex}"
    served = [
        await first.query_per_ip.take(address),
        await second.query_per_ip.take(address),
        await first.query_per_ip.take(address),
        await second.query_per_ip.take(address),
    ]
    other = await first.query_per_ip.take(f"{address}-other")  # another address, its own budget
    await first.aclose()
    await second.aclose()
    assert served == [True, True, False, False]
    assert other


async def test_typing_is_taken_from_redis_in_leases_and_still_binds() -> None:
    require_redis()
    first, second = _limits(REDIS_URL), _limits(REDIS_URL)  # 40 typing frames per 2 s window
    address = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex}"
    served = [await first.typing_per_ip.take(address) for _ in range(30)]
    served += [await second.typing_per_ip.take(address) for _ in range(30)]
    await first.aclose()
    await second.aclose()
    assert sum(served) == 40
    assert all(served[:30]) and not any(served[50:])


async def test_without_redis_each_process_keeps_its_own_budget() -> None:
    first, second = _limits(None), _limits(None)
    assert [await first.query_per_ip.take("a") for _ in range(3)] == [True, True, False]
    assert await second.query_per_ip.take("a")


async def test_redis_down_falls_back_to_the_process_budget() -> None:
    down = _limits("redis://127.0.0.1:1/0")  # nothing listens there
    served = [await down.query_per_ip.take("a") for _ in range(3)]
    await down.aclose()
    assert served == [True, True, False]
