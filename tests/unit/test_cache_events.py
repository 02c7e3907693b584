"""The event bus on its in-memory twin, and the factories' choice of backend."""

from __future__ import annotations

import asyncio

import pytest
from structlog.testing import capture_logs

from hsc_jit.cache.events import EventBus, MemoryBus
from hsc_jit.cache.factory import build_cache, build_event_bus, bus_backend
from hsc_jit.config import Settings


async def test_a_message_reaches_every_subscriber_of_its_channel_only() -> None:
    backend = MemoryBus()
    publisher, listener = EventBus(backend), EventBus(backend)

    async with (
        listener.subscribe("catalog") as first,
        listener.subscribe("catalog") as second,
        listener.subscribe("other") as other,
    ):
        await publisher.publish("catalog", {"version": "v2"})

        assert await asyncio.wait_for(anext(first), 1) == {"version": "v2"}
        assert await asyncio.wait_for(anext(second), 1) == {"version": "v2"}
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(anext(other), 0.05)
    assert backend._queues == {}


async def test_payloads_that_are_not_json_objects_are_skipped() -> None:
    backend = MemoryBus()
    bus = EventBus(backend)

    with capture_logs() as logs:
        async with bus.subscribe("catalog") as messages:
            await backend.publish("catalog", b"not json")
            await backend.publish("catalog", b"[1, 2]")
            await bus.publish("catalog", {"ok": True})
            assert await asyncio.wait_for(anext(messages), 1) == {"ok": True}

    assert [e["event"] for e in logs] == ["events.message_skipped"] * 2


async def test_publish_refuses_what_is_not_json() -> None:
    with pytest.raises(TypeError, match="event channel 'catalog' takes JSON values only"):
        await EventBus(MemoryBus()).publish("catalog", {"when": {1, 2}})


async def test_without_a_redis_url_everything_stays_in_process(settings: Settings) -> None:
    cache, bus = build_cache(settings), build_event_bus(settings)
    try:
        assert cache.status() == "disabled"
        assert isinstance(bus._backend, MemoryBus)
    finally:
        await bus.close()
        await cache.close()


def test_an_unknown_bus_scheme_is_named_without_the_rest_of_the_url() -> None:
    with pytest.raises(ValueError, match="'kafka' is not one of") as raised:
        bus_backend("kafka://user:secret@host", timeout_s=1, retry_after_s=1)
    assert "secret" not in str(raised.value)
