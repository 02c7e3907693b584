"""HTTP users: the read-only API and the streamed answer route, each under a stable name.

| name | request |
|---|---|
| ``/api/predict [sample]`` | ``GET /api/predict?q=`` once per user: real product ids to look up |
| ``/api/predict`` | ``GET /api/predict?q=<typed name>&limit=K`` |
| ``/api/products/[id]`` | ``GET /api/products/{id}`` of a predicted product |
| ``/api/ask`` | ``POST /api/ask`` until the response headers |
| ``/api/ask→first_chunk`` | ... until the first ``answer_chunk`` line |
| ``/api/ask→final_answer`` | ... the stream read to its end (failed by an ``error`` line) |
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

from locust import HttpUser, between, task

from loadtest.config import get_config
from loadtest.keystrokes import as_typed

CONFIG = get_config()


class AnswerStreamError(Exception):
    """The NDJSON answer ended in an ``error`` or without a ``final_answer``."""


class HttpApiUser(HttpUser):
    """A client of the HTTP API (another app, a script, the widget's fallback)."""

    host = CONFIG.host
    weight = CONFIG.http_weight
    fixed_count = CONFIG.http_users
    wait_time = between(CONFIG.wait_min_s, CONFIG.wait_max_s)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self.rng = random.Random(CONFIG.seed)
        self.product_ids: list[str] = []

    def on_start(self) -> None:
        with self.client.get(
            "/api/predict",
            params={"q": "", "limit": 50},
            name="/api/predict [sample]",
            catch_response=True,
        ) as response:
            ids = _ids(response)
            if response.status_code == 200 and ids is not None:
                self.product_ids = ids
                response.success()
            else:
                response.failure(f"status {response.status_code}")

    @task(3)
    def predict(self) -> None:
        self._predict(as_typed(self.rng.choice(CONFIG.products), self.rng, CONFIG.misspell_rate))

    @task(1)
    def product(self) -> None:
        if not self.product_ids:
            return
        product_id = self.rng.choice(self.product_ids)
        with self.client.get(
            f"/api/products/{product_id}", name="/api/products/[id]", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif response.json().get("product", {}).get("id") != product_id:
                response.failure("a different product came back")
            else:
                response.success()

    @task(1)
    def ask(self) -> None:
        ids = self._predict(self.rng.choice(CONFIG.products))
        if not ids:
            return
        body = {
            "product_id": ids[0],
            "query": self.rng.choice(CONFIG.questions),
            "scenario": self.rng.choice(CONFIG.scenarios),
        }
        started = time.perf_counter()
        with self.client.post(
            "/api/ask", json=body, name="/api/ask", stream=True, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            response.success()
            self._read_answer(response, started)

    def _read_answer(self, response: Any, started: float) -> None:
        length = 0
        first_chunk = False
        final: dict[str, Any] | None = None
        error: Exception | None = None
        tag = ""
        try:
            for line in response.iter_lines():
                if not line:
                    continue
                length += len(line) + 1
                message = json.loads(line)
                kind = message.get("type")
                if kind == "answer_chunk" and not first_chunk:
                    first_chunk = True
                    self._report("/api/ask→first_chunk", started, length)
                elif kind == "error" and message.get("code") in CONFIG.expected_errors:
                    tag = str(message["code"])  # a right answer: "no manual for this product"
                elif kind == "error":
                    error = AnswerStreamError(f"{message.get('code')}: {message.get('message')}")
                elif kind == "final_answer":
                    final = message
        except Exception as exc:  # a broken stream or a line that is not JSON
            error = exc
        if final is not None:
            tag = "cached" if final.get("cached") else "fresh"
        elif error is None and not tag:
            error = AnswerStreamError("the stream ended without a final_answer")
        self._report("/api/ask→final_answer", started, length, error, tag)

    def _predict(self, text: str) -> list[str]:
        with self.client.get(
            "/api/predict",
            params={"q": text, "limit": CONFIG.prediction_limit},
            name="/api/predict",
            catch_response=True,
        ) as response:
            ids = _ids(response)
            if response.status_code != 200 or ids is None:
                response.failure(f"status {response.status_code}")
                return []
            response.success()
            self.product_ids = list(dict.fromkeys([*ids[:3], *self.product_ids]))[:200]
            return ids

    def _report(
        self,
        name: str,
        started: float,
        length: int,
        exception: Exception | None = None,
        tag: str = "",
    ) -> None:
        self.environment.events.request.fire(
            request_type="POST",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=length,
            exception=exception,
            context={"tag": tag} if tag else {},
        )


def _ids(response: Any) -> list[str] | None:
    try:
        predictions = response.json()["predictions"]
        return [str(item["product"]["id"]) for item in predictions]
    except (ValueError, KeyError, TypeError):
        return None
