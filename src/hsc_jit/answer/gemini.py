"""Answers from Google's Gemini API, streamed; a photo the customer attached goes along."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import AsyncIterator

import httpx
from google import genai
from google.genai import errors, types

from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.prompt import build_prompt
from hsc_jit.answer.streams import close_stream
from hsc_jit.errors import ProviderError

MAX_ANSWER_TOKENS = 700
_DATA_URL = re.compile(r"^data:(?P<mime>image/[a-z0-9.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]+)$")


class GeminiProvider:
    name = "gemini"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        timeout: float,
        base_url: str | None = None,
        token_budget: int,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._model = model
        self._token_budget = token_budget
        options = types.HttpOptions(
            base_url=base_url,  # None: Google's endpoint; else a gateway in front of it
            timeout=int(timeout * 1000),
            # No retries: a failed answer falls back to the extractive one at once.
            retry_options=types.HttpRetryOptions(attempts=1),
            httpx_async_client=http_client,
        )
        self._client = genai.Client(api_key=api_key, http_options=options)

    async def stream(self, request: AnswerRequest) -> AsyncIterator[str]:
        prompt = build_prompt(request, self._token_budget)
        parts = [types.Part.from_text(text=prompt.user)]
        image = image_part(request.image) if request.image else None
        if image is not None:
            parts.append(image)
        config = types.GenerateContentConfig(
            system_instruction=prompt.system,
            temperature=0.2,
            max_output_tokens=MAX_ANSWER_TOKENS,
        )
        try:
            responses = await self._client.aio.models.generate_content_stream(
                model=self._model,
                contents=[types.Content(role="user", parts=parts)],
                config=config,
            )
            try:
                async for response in responses:
                    if response.text:
                        yield response.text
            finally:
                await close_stream(responses)
        except errors.APIError as exc:
            raise ProviderError(f"The Gemini answer failed: {exc.code} {exc.status}") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"The Gemini answer failed: {type(exc).__name__}") from exc

    async def aclose(self) -> None:
        await self._client.aio.aclose()


def image_part(data_url: str) -> types.Part | None:
    """The image of a ``data:image/...;base64,`` URL; None when it is not one (then ignored)."""
    match = _DATA_URL.match(data_url.strip())
    if match is None:
        return None
    try:
        data = base64.b64decode(match["data"], validate=False)
    except (binascii.Error, ValueError):
        return None
    return types.Part.from_bytes(data=data, mime_type=match["mime"]) if data else None
