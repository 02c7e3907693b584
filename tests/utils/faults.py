"""Helpers for the fault, abuse and access tests: a small catalog, its import, socket questions."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import websockets

from tests.utils.live import LiveServer

ADMIN_TOKEN = "admin-token-for-tests-0123456789"
OPENAI_KEY = "sk-test-secret-key-abcdef0123456789"


def fault_catalog(manuals: dict[str, str | None], brand: str = "faultco") -> bytes:
    """A v3 catalog file: one product per id, whose manual is at the url given (or none)."""
    products = []
    for product_id, url in manuals.items():
        product: dict[str, Any] = {
            "id": product_id,
            "name": product_id.replace("-", " ").title(),
            "category": "Test gear",
        }
        if url is not None:
            product["documentation"] = {"type": "manual", "url": url, "backup_url": None}
        products.append(product)
    identity = {"id": brand, "name": brand.title(), "hq": "Testville"}
    return json.dumps({"brand_identity": identity, "products": products}).encode()


def admin_headers(token: str = ADMIN_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def import_catalog(server: LiveServer, body: bytes, token: str = ADMIN_TOKEN) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/admin/catalog/import",
        content=body,
        headers={**admin_headers(token), "Content-Type": "application/json"},
        timeout=30,
    )


async def recv_json(ws: Any, within_s: float = 30) -> dict[str, Any]:
    async with asyncio.timeout(within_s):
        message: dict[str, Any] = json.loads(await ws.recv())
    return message


async def until_end(ws: Any, within_s: float = 30) -> list[dict[str, Any]]:
    """Every message up to and including the query's final_answer or error."""
    messages = []
    while True:
        message = await recv_json(ws, within_s)
        messages.append(message)
        if message["type"] in ("final_answer", "error"):
            return messages


async def ask(
    server: LiveServer, product_id: str, question: str, seq: int = 1, within_s: float = 30
) -> list[dict[str, Any]]:
    """One question on a socket of its own; checks nothing follows the end of the answer."""
    async with websockets.connect(server.ws_url) as ws:
        await ws.send(
            json.dumps({"type": "query", "product_id": product_id, "query": question, "seq": seq})
        )
        messages = await until_end(ws, within_s)
        await ws.send(json.dumps({"type": "ping", "seq": -1}))
        assert await recv_json(ws) == {"type": "pong", "seq": -1}, "a second end followed"
    return messages


def ask_http(server: LiveServer, product_id: str, question: str) -> list[dict[str, Any]]:
    """One question through ``POST /api/ask``: its 200 stream's messages."""
    body = {"product_id": product_id, "query": question}
    with httpx.stream("POST", f"{server.url}/api/ask", json=body, timeout=30) as response:
        assert response.status_code == 200
        return [json.loads(line) for line in response.iter_lines() if line]


def get(server: LiveServer, path: str, **kwargs: Any) -> httpx.Response:
    """A blocking GET; fine in an async test too, as the server runs on a thread of its own."""
    return httpx.get(f"{server.url}{path}", timeout=10, **kwargs)


def post(server: LiveServer, path: str, **kwargs: Any) -> httpx.Response:
    """A blocking POST, like ``get``."""
    return httpx.post(f"{server.url}{path}", timeout=10, **kwargs)


def predict(server: LiveServer, text: str) -> list[str]:
    response = httpx.get(f"{server.url}/api/predict", params={"q": text}, timeout=10)
    response.raise_for_status()
    return [item["product"]["id"] for item in response.json()["predictions"]]


def health(server: LiveServer) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{server.url}/health", timeout=10).json()
    return body


def wait_for(check: Callable[[], bool], timeout: float = 10, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout} s")
        time.sleep(0.05)
