"""Answer providers by name: ``HSC_ANSWER_PROVIDER`` picks one, ``build_provider`` makes it.

Each factory imports its SDK only when chosen, so an instance on the default extractive
provider never loads google-genai or llama-cpp. Settings a provider needs are checked here, at
start-up, with a message that names the variable to set.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from hsc_jit.answer.base import AnswerProvider
from hsc_jit.answer.extractive import ExtractiveProvider
from hsc_jit.config import Settings
from hsc_jit.errors import ProviderError

ProviderFactory = Callable[[Settings, httpx.AsyncClient | None], AnswerProvider]
# The hosted API refuses requests without a key; a server of one's own usually needs none.
_KEYED_HOSTS = frozenset({"api.openai.com"})


def _extractive(settings: Settings, http_client: httpx.AsyncClient | None) -> AnswerProvider:
    return ExtractiveProvider()


def _openai(settings: Settings, http_client: httpx.AsyncClient | None) -> AnswerProvider:
    from hsc_jit.answer.openai_compat import OpenAIProvider

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    if not key and urlsplit(settings.openai_base_url).hostname in _KEYED_HOSTS:
        raise ProviderError(
            f"HSC_ANSWER_PROVIDER=openai with {settings.openai_base_url} needs HSC_OPENAI_API_KEY "
            "(or set HSC_OPENAI_BASE_URL to an OpenAI-compatible server of your own)."
        )
    # The SDK runs on its own HTTP stack (httpx2), so it keeps its own connection pool.
    return OpenAIProvider(
        base_url=settings.openai_base_url,
        api_key=key or None,
        model=settings.openai_model,
        timeout=settings.answer_timeout_s,
        token_budget=settings.prompt_token_budget,
    )


def _gemini(settings: Settings, http_client: httpx.AsyncClient | None) -> AnswerProvider:
    if settings.gemini_api_key is None or not settings.gemini_api_key.get_secret_value():
        raise ProviderError("HSC_ANSWER_PROVIDER=gemini needs HSC_GEMINI_API_KEY.")
    from hsc_jit.answer.gemini import GeminiProvider

    return GeminiProvider(
        api_key=settings.gemini_api_key.get_secret_value(),
        model=settings.gemini_model,
        base_url=settings.gemini_base_url,
        timeout=settings.answer_timeout_s,
        token_budget=settings.prompt_token_budget,
        http_client=http_client,
    )


def _llamacpp(settings: Settings, http_client: httpx.AsyncClient | None) -> AnswerProvider:
    from hsc_jit.answer.llamacpp import LlamaCppProvider

    return LlamaCppProvider(
        model_path=settings.llamacpp_model_path,
        n_ctx=settings.llamacpp_n_ctx,
        threads=settings.llamacpp_threads,
        token_budget=settings.prompt_token_budget,
    )


PROVIDERS: dict[str, ProviderFactory] = {
    "extractive": _extractive,
    "openai": _openai,
    "gemini": _gemini,
    "llamacpp": _llamacpp,
}


def build_provider(
    settings: Settings, http_client: httpx.AsyncClient | None = None
) -> AnswerProvider:
    """The provider ``settings.answer_provider`` names, sharing ``http_client`` where it can."""
    factory = PROVIDERS.get(settings.answer_provider)
    if factory is None:
        known = ", ".join(sorted(PROVIDERS))
        raise ProviderError(
            f"HSC_ANSWER_PROVIDER={settings.answer_provider!r} is not one of {known}."
        )
    return factory(settings, http_client)
