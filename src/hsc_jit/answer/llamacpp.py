"""Answers from a local GGUF model through llama-cpp-python (the optional ``local`` extra).

The model file must already be on disk (``HSC_LLAMACPP_MODEL_PATH``): nothing is downloaded.
llama.cpp generates in a blocking loop, so it runs in a worker thread that hands each piece of
text to the event loop; a stop flag ends it at the next token when the answer is abandoned.
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.prompt import build_prompt
from hsc_jit.errors import ProviderError

REPEAT_PENALTY = 1.15
MAX_ANSWER_TOKENS = 400
_DONE = object()


def check_available(model_path: Path | None) -> Path:
    """The model path, or a ProviderError that says what to install or set."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise ProviderError(
            "HSC_ANSWER_PROVIDER=llamacpp needs llama-cpp-python: "
            "install the extra with `pip install 'hsc-jit[local]'`."
        )
    if model_path is None:
        raise ProviderError(
            "HSC_ANSWER_PROVIDER=llamacpp needs HSC_LLAMACPP_MODEL_PATH (a .gguf file)."
        )
    if not model_path.is_file():
        raise ProviderError(
            f"HSC_LLAMACPP_MODEL_PATH: no model file at {model_path} (models are never downloaded)."
        )
    return model_path


class LlamaCppProvider:
    name = "llamacpp"

    def __init__(
        self, *, model_path: Path | None, n_ctx: int, threads: int, token_budget: int
    ) -> None:
        self._model_path = check_available(model_path)
        self._n_ctx = n_ctx
        self._threads = threads
        # The prompt and the answer share the context window.
        self._token_budget = min(token_budget, n_ctx - MAX_ANSWER_TOKENS)
        self._llama: Any = None
        # One generation at a time: a llama.cpp context is not thread-safe.
        self._lock = asyncio.Lock()

    async def stream(self, request: AnswerRequest) -> AsyncIterator[str]:
        messages = build_prompt(request, self._token_budget).messages
        async with self._lock:
            if self._llama is None:
                self._llama = await asyncio.to_thread(self._load)
            queue: asyncio.Queue[object] = asyncio.Queue()
            stop = threading.Event()
            loop = asyncio.get_running_loop()

            def produce() -> None:
                try:
                    for text in self._generate(messages, stop):
                        loop.call_soon_threadsafe(queue.put_nowait, text)
                except Exception as exc:  # handed to the consumer, which raises it
                    loop.call_soon_threadsafe(queue.put_nowait, exc)
                finally:
                    loop.call_soon_threadsafe(queue.put_nowait, _DONE)

            worker = asyncio.ensure_future(asyncio.to_thread(produce))
            try:
                while (item := await queue.get()) is not _DONE:
                    if isinstance(item, Exception):
                        raise ProviderError(f"The local model failed: {item}") from item
                    assert isinstance(item, str)
                    yield item
            finally:
                stop.set()
                # The thread stops at its next token; wait for it so the model is free again.
                await asyncio.shield(worker)

    def _load(self) -> Any:
        from llama_cpp import Llama  # the optional extra: imported only when used

        return Llama(
            model_path=str(self._model_path),
            n_ctx=self._n_ctx,
            n_threads=self._threads,
            verbose=False,
        )

    def _generate(self, messages: list[dict[str, str]], stop: threading.Event) -> Iterator[str]:
        pieces = self._llama.create_chat_completion(
            messages=messages,
            stream=True,
            max_tokens=MAX_ANSWER_TOKENS,
            temperature=0.2,
            # Small local models fall into loops ("the jack is connected to the jack..."); a
            # slightly firmer penalty than llama.cpp's 1.1 stopped that on SmolLM2-135M.
            repeat_penalty=REPEAT_PENALTY,
        )
        for piece in pieces:
            if stop.is_set():
                break
            text = piece["choices"][0].get("delta", {}).get("content")
            if text:
                yield text
