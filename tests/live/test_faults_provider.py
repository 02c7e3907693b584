"""An answer provider that errors, hangs or says nothing, and a client that leaves mid-answer.

A live server on the demo catalog answers with ``HSC_ANSWER_PROVIDER=openai`` pointed at the
small OpenAI-compatible server of tests/utils/openai_server.py.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import websockets
from prometheus_client import REGISTRY

from hsc_jit.config import Settings
from tests.utils.background import in_background
from tests.utils.faults import ask, health, recv_json, until_end, wait_for
from tests.utils.live import LiveServer, live_settings, running
from tests.utils.model_server import FakeModelServer, Mode

ANSWER_TIMEOUT_S = 2.0
PRODUCT = "shure-sm58"


@asynccontextmanager
async def fake_openai() -> AsyncIterator[FakeModelServer]:
    fake = FakeModelServer()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeModelServer]:
    with in_background(fake_openai) as fake:
        yield fake


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, provider: FakeModelServer
) -> Iterator[LiveServer]:
    base = Settings(
        data_dir=tmp_path_factory.mktemp("provider"),
        answer_provider="openai",
        openai_base_url=provider.base_url,
        answer_timeout_s=ANSWER_TIMEOUT_S,
        # The first question waits for the manual's vectors however busy the machine, so the
        # pages (and the fake model's citation of page 1 among them) do not depend on timing.
        semantic_wait_s=30,
        fetch_allow_private=True,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
    )
    with running(live_settings(base)) as live:
        yield live


@pytest.fixture
def fake(provider: FakeModelServer) -> FakeModelServer:
    provider.mode = "ok"
    provider.deltas = ["Plug the ", "SM58 into a ", "mixer input. ", "[MANUAL: page 1]"]
    provider.closed = asyncio.Event()
    return provider


def llm_errors(kind: str) -> float:
    value = REGISTRY.get_sample_value("llm_errors_total", {"provider": "openai", "kind": kind})
    return value or 0.0


async def test_a_working_provider_answers(server: LiveServer, fake: FakeModelServer) -> None:
    messages = await ask(server, PRODUCT, "How do I plug the SM58 into a mixer?")
    final = messages[-1]
    assert final["type"] == "final_answer" and final["provider"] == "openai"
    text = "".join(m["content"] for m in messages if m["type"] == "answer_chunk")
    assert "mixer input" in text


async def test_a_model_reads_a_hebrew_question_as_typed_not_its_english_gloss(
    server: LiveServer, fake: FakeModelServer
) -> None:
    question = "איך מחברים את ה-SM58 למיקסר?"
    messages = await ask(server, PRODUCT, question)
    assert messages[-1]["type"] == "final_answer" and messages[-1]["found"]
    prompt = fake.requests[-1]["messages"][-1]["content"]
    assert f"Question: {question}" in prompt
    # ... while its pages were found by the gloss: the SM58's connection page among them.
    assert "mixer" in prompt.lower()


@pytest.mark.parametrize(
    ("mode", "kind"), [("error", "error"), ("hang", "timeout"), ("empty", "empty")]
)
async def test_a_failing_provider_falls_back_to_the_manual(
    server: LiveServer, fake: FakeModelServer, mode: Mode, kind: str
) -> None:
    fake.mode = mode
    errors = llm_errors(kind)
    requests = len(fake.requests)
    started = time.monotonic()
    messages = await ask(server, PRODUCT, f"What does the microphone pick up? ({mode})")
    final = messages[-1]
    assert final["type"] == "final_answer", final
    assert final["provider"] == "extractive"
    assert final["cached"] is False
    assert [m for m in messages if m["type"] == "answer_chunk"], "the fallback said nothing"
    assert len(fake.requests) == requests + 1
    assert llm_errors(kind) == errors + 1
    assert time.monotonic() - started < ANSWER_TIMEOUT_S + 5


async def test_an_answer_cached_by_another_build_or_model_is_not_served(
    server: LiveServer, fake: FakeModelServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "Can I plug the SM58 into a mixer?"
    first = (await ask(server, PRODUCT, question))[-1]
    again = (await ask(server, PRODUCT, question))[-1]
    assert (first["cached"], again["cached"]) == (False, True)
    # Instances of the next build (code, ranker, lexicons) share the cache while a deployment
    # rolls.
    monkeypatch.setattr("hsc_jit.services.answers.build_digest", lambda: "next-build")
    requests = len(fake.requests)
    rebuilt = (await ask(server, PRODUCT, question))[-1]
    assert rebuilt["type"] == "final_answer" and rebuilt["cached"] is False
    assert len(fake.requests) == requests + 1
    monkeypatch.setattr(server.settings, "openai_model", "another-model")
    assert (await ask(server, PRODUCT, question))[-1]["cached"] is False
    assert (await ask(server, PRODUCT, question))[-1]["cached"] is True


async def test_a_model_answer_within_a_conversation_is_not_served_to_another(
    server: LiveServer, fake: FakeModelServer
) -> None:
    async def ask_in(conversation: str | None, question: str) -> dict[str, Any]:
        frame = {"type": "query", "product_id": PRODUCT, "query": question, "seq": 1}
        async with websockets.connect(server.ws_url) as ws:
            await ws.send(
                json.dumps(frame | ({"conversation_id": conversation} if conversation else {}))
            )
            end: dict[str, Any] = (await until_end(ws))[-1]
        return end

    # The model reads the turns before the question: its answer is that conversation's, even
    # to words that stand alone and key the same.
    asked = "Which cable connects the SM58 to a mixer?"
    one = (await ask_in(None, "Can the SM58 go straight into a mixer?"))["conversation_id"]
    other = (await ask_in(None, "Does the SM58 need phantom power?"))["conversation_id"]
    requests = len(fake.requests)
    answers = [await ask_in(one, asked), await ask_in(other, asked), await ask_in(one, asked)]
    assert [a["cached"] for a in answers] == [False, False, False]
    assert len(fake.requests) == requests + 3
    assert (await ask_in(None, asked))["cached"] is False  # a first question is cached ...
    assert (await ask_in(None, asked))["cached"] is True  # ... and served to the next


async def test_a_stream_that_breaks_midway_is_finished_from_the_manual(
    server: LiveServer, fake: FakeModelServer
) -> None:
    fake.mode = "break"
    fake.deltas = ["The SM58 is a dynamic microphone. ", "It has a cardio"]
    messages = await ask(server, PRODUCT, "What kind of microphone is it?")
    final = messages[-1]
    assert final["type"] == "final_answer" and final["provider"] == "openai+extractive"
    chunks = [m["content"] for m in messages if m["type"] == "answer_chunk"]
    assert chunks[0].startswith("The SM58 is a dynamic microphone")
    assert not any("cardio" in c and "cardioid" not in c for c in chunks)  # no half sentence


async def test_a_client_that_leaves_mid_answer_cancels_the_generation(
    server: LiveServer, fake: FakeModelServer
) -> None:
    fake.mode = "stall"  # streams the deltas, then keeps the response open
    timeouts = llm_errors("timeout")
    async with websockets.connect(server.ws_url) as ws:
        await ws.send(
            json.dumps(
                {"type": "query", "product_id": PRODUCT, "query": "Does it need phantom power?"}
            )
        )
        while (await recv_json(ws))["type"] != "answer_chunk":
            pass
        assert health(server)["connections"] == {"websockets": 1, "queries_in_flight": 1}
        left = time.monotonic()
    # The provider's stream is closed at once, well before the answer timeout would close it.
    wait_for(fake.closed.is_set, timeout=ANSWER_TIMEOUT_S * 0.75, what="the provider stream closed")
    assert time.monotonic() - left < ANSWER_TIMEOUT_S
    wait_for(
        lambda: health(server)["connections"] == {"websockets": 0, "queries_in_flight": 0},
        what="no connection or query left",
    )
    state = server.app.state.hsc
    assert state.connections == set() and state.queries_in_flight == 0
    await asyncio.sleep(ANSWER_TIMEOUT_S)
    assert llm_errors("timeout") == timeouts  # cancelled, not timed out and answered anyway
