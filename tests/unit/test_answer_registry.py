"""Choosing a provider by name, and the errors that say what to set."""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import pytest
from pydantic import SecretStr

from hsc_jit.answer.extractive import ExtractiveProvider
from hsc_jit.answer.openai_compat import OpenAIProvider
from hsc_jit.answer.registry import build_provider
from hsc_jit.config import Settings
from hsc_jit.errors import ProviderError


def test_default_is_extractive(settings: Settings) -> None:
    assert isinstance(build_provider(settings), ExtractiveProvider)


def test_openai_needs_a_key_for_the_hosted_api(settings: Settings) -> None:
    settings = settings.model_copy(update={"answer_provider": "openai", "openai_api_key": None})
    with pytest.raises(ProviderError, match="HSC_OPENAI_API_KEY"):
        build_provider(settings)


async def test_openai_without_key_is_fine_for_an_own_server(settings: Settings) -> None:
    settings = settings.model_copy(
        update={"answer_provider": "openai", "openai_base_url": "http://127.0.0.1:8080/v1"}
    )
    provider = build_provider(settings)
    assert isinstance(provider, OpenAIProvider)
    assert provider.name == "openai"
    await provider.aclose()


def test_gemini_needs_a_key(settings: Settings) -> None:
    settings = settings.model_copy(update={"answer_provider": "gemini"})
    with pytest.raises(ProviderError, match="HSC_GEMINI_API_KEY"):
        build_provider(settings)


@pytest.fixture
def genai_imported() -> None:
    # google-genai 3.3 has an invalid escape in a docstring: compiling it warns, and this suite
    # turns warnings into errors. Once compiled it is cached and imports quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        importlib.import_module("google.genai")


@pytest.mark.usefixtures("genai_imported")
async def test_gemini_with_a_key(settings: Settings) -> None:
    settings = settings.model_copy(
        update={"answer_provider": "gemini", "gemini_api_key": SecretStr("test-key")}
    )
    provider = build_provider(settings)
    assert provider.name == "gemini"


def test_llamacpp_says_what_is_missing(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(
        update={"answer_provider": "llamacpp", "llamacpp_model_path": tmp_path / "none.gguf"}
    )
    with pytest.raises(ProviderError, match=r"hsc-jit\[local\]|HSC_LLAMACPP_MODEL_PATH"):
        build_provider(settings)


def test_unknown_name_lists_the_known_ones(settings: Settings) -> None:
    settings = settings.model_copy(update={"answer_provider": "nope"})
    with pytest.raises(ProviderError, match="extractive, gemini, llamacpp, openai"):
        build_provider(settings)
