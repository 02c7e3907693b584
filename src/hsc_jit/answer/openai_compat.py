"""Answers from any OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp server, Ollama)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import openai
from openai.types.chat import ChatCompletionMessageParam

from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.prompt import build_prompt
from hsc_jit.errors import ProviderError

# Local servers ignore the key but the client sends one; a placeholder keeps OPENAI_API_KEY
# from the environment out of requests to a server it was never meant for.
NO_KEY = "not-needed"
MAX_ANSWER_TOKENS = 700


class OpenAIProvider:
    name = "openai"

    def __init__(
        self, *, base_url: str, api_key: str | None, model: str, timeout: float, token_budget: int
    ) -> None:
        self._model = model
        self._token_budget = token_budget
        # No retries: a failed answer falls back to the extractive one at once.
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=api_key or NO_KEY, timeout=timeout, max_retries=0
        )

    async def stream(self, request: AnswerRequest) -> AsyncIterator[str]:
        prompt = build_prompt(request, self._token_budget)
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ]
        try:
            response = await self._client.chat.completions.create(
                model=self._model,
                messages=messages,
                stream=True,
                temperature=0.2,
                max_tokens=MAX_ANSWER_TOKENS,
            )
        except openai.OpenAIError as exc:
            raise ProviderError(f"The answer service failed: {type(exc).__name__}") from exc
        # Closing the response on every exit, cancellation included, frees the connection.
        async with response:
            try:
                async for event in response:
                    for choice in event.choices:
                        if choice.delta.content:
                            yield choice.delta.content
            except openai.OpenAIError as exc:
                raise ProviderError(f"The answer stream broke: {type(exc).__name__}") from exc

    async def aclose(self) -> None:
        await self._client.close()
