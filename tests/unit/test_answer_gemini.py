"""The gemini provider against a Gemini-shaped streaming server on 127.0.0.1, and its image
hand-over."""

from __future__ import annotations

import asyncio
import base64
import importlib
import warnings
from collections.abc import AsyncIterator
from dataclasses import replace
from types import ModuleType
from typing import Any

import pytest

from hsc_jit.answer.extractive import ExtractiveProvider
from hsc_jit.answer.fallback import answer_with_fallback
from hsc_jit.errors import ProviderError
from tests.utils.answer_requests import make_request
from tests.utils.model_server import FakeModelServer


@pytest.fixture
def gemini() -> ModuleType:
    # google-genai 3.3 has an invalid escape in a docstring: compiling it warns, and this suite
    # turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return importlib.import_module("hsc_jit.answer.gemini")


def test_a_data_url_becomes_an_inline_image(gemini: ModuleType) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    url = "data:image/png;base64," + base64.b64encode(png).decode()

    part = gemini.image_part(url)

    assert part.inline_data.mime_type == "image/png"
    assert part.inline_data.data == png


@pytest.mark.parametrize(
    "url", ["https://example.com/a.png", "data:text/plain;base64,aGk=", "data:image/png;base64,"]
)
def test_anything_else_is_ignored(gemini: ModuleType, url: str) -> None:
    assert gemini.image_part(url) is None


ANSWER = [
    "Plug your headphones into the PHO",
    "NES jack on the front. [MANUAL: page 6] ",
    "[PRO TIP: Turn the volume down first.]",
]


@pytest.fixture
async def server() -> AsyncIterator[FakeModelServer]:
    fake = FakeModelServer(deltas=list(ANSWER), dialect="gemini")
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def provider(gemini: ModuleType, server: FakeModelServer) -> AsyncIterator[Any]:
    client = gemini.GeminiProvider(
        api_key="test-key",
        model="test-model",
        base_url=server.base_url,
        timeout=5,
        token_budget=1500,
    )
    yield client
    await client.aclose()


async def test_the_answer_streams_from_the_gemini_api(
    server: FakeModelServer, provider: Any
) -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16).decode()
    request = replace(make_request(), image=f"data:image/png;base64,{png}")

    assert [text async for text in provider.stream(request)] == ANSWER

    [path] = server.paths
    assert path.endswith("/models/test-model:streamGenerateContent?alt=sse")
    body = server.requests[0]
    parts = body["contents"][0]["parts"]
    assert "[Page 6]" in parts[0]["text"]
    assert parts[1]["inlineData"] == {"data": png, "mime_type": "image/png"}
    assert "cite" in body["systemInstruction"]["parts"][0]["text"].casefold()


async def test_a_server_error_is_a_provider_error(server: FakeModelServer, provider: Any) -> None:
    server.mode = "error"
    with pytest.raises(ProviderError, match="Gemini answer failed"):
        [text async for text in provider.stream(make_request())]


async def test_a_hanging_server_falls_back_to_the_extractive_answer(
    server: FakeModelServer, provider: Any
) -> None:
    server.mode = "hang"
    run = answer_with_fallback(provider, ExtractiveProvider(), make_request(), 0.3)
    chunks = [chunk async for chunk in run]
    assert run.provider == "extractive"
    assert "[MANUAL: page 6]" in chunks
    await asyncio.wait_for(server.closed.wait(), 2)  # the abandoned request was closed
