"""Redis stops under a live server: predictions and answers go on from L1, /health says
degraded, and everything comes back by itself when Redis returns, with no request failing.

The test runs its own redis-server on a spare port; the shared one on 6379 is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from hsc_jit.config import Settings
from tests.integration._services import RedisServer, own_redis_server
from tests.utils.faults import ask, get, health, predict, wait_for
from tests.utils.live import LiveServer, live_settings, running

pytestmark = pytest.mark.integration

QUESTION = "How do I connect headphones?"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with own_redis_server() as server:
        yield server


@pytest.fixture
def server(tmp_path: Path, redis_server: RedisServer) -> Iterator[LiveServer]:
    base = Settings(
        data_dir=tmp_path,
        redis_url=redis_server.url,
        redis_timeout_s=0.3,
        redis_retry_after_s=0.3,
        fetch_allow_private=True,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
    )
    with running(live_settings(base)) as live:
        yield live


async def _serves(server: LiveServer, question: str = QUESTION) -> None:
    """Predictions (cached and new) and an answer, all without a failure."""
    assert predict(server, "rolnd td27")[0] == "roland-td27kv"
    assert predict(server, f"shure sm58 {question[:12]}")[0] == "shure-sm58"
    messages = await ask(server, "roland-td27kv", question)
    assert messages[-1]["type"] == "final_answer", messages[-1]
    product = get(server, "/api/products/shure-sm58")
    assert product.status_code == 200


async def test_redis_outage_serves_from_l1_and_recovers(
    server: LiveServer, redis_server: RedisServer
) -> None:
    await _serves(server)
    assert health(server)["status"] == "healthy"
    assert health(server)["cache"] == {"status": "ok", "redis_configured": True}

    redis_server.kill()
    await _serves(server)  # the cached answer, from L1
    await _serves(server, "Where is the power switch?")  # a new one, its manual from L1
    body = health(server)
    assert body["status"] == "degraded"
    assert body["cache"]["status"] == "degraded"
    assert get(server, "/ready").status_code == 200
    metrics = get(server, "/metrics").text
    assert "redis_errors_total" in metrics

    redis_server.start()
    # Only /health polls: the recovery needs no other traffic.
    wait_for(lambda: health(server)["status"] == "healthy", timeout=10, what="healthy again")
    await _serves(server, "How do I adjust the volume?")
    assert health(server)["cache"]["status"] == "ok"
    client = redis.Redis.from_url(redis_server.url)
    try:
        assert client.dbsize() > 0  # the restarted Redis is written to again
    finally:
        client.close()
