"""A small real model server on 127.0.0.1 for provider tests: OpenAI-compatible or Gemini.

It speaks HTTP/1.1 over an asyncio socket server and streams server-sent events: OpenAI chat
completion chunks (``data: {...}`` then ``data: [DONE]``) or Gemini ``streamGenerateContent``
responses (``data: {"candidates": ...}``). ``mode`` says how it behaves; ``requests`` records
the JSON bodies it got and ``paths`` the request targets; ``closed`` is set when a client drops
a connection the server was still streaming on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["ok", "error", "hang", "empty", "break", "stall"]
Dialect = Literal["openai", "gemini"]


@dataclass
class FakeModelServer:
    deltas: list[str] = field(default_factory=list)
    mode: Mode = "ok"
    delay_s: float = 0.0
    dialect: Dialect = "openai"
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    _server: asyncio.Server | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}" + ("/v1" if self.dialect == "openai" else "")

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.paths.append(head.split(b" ", 2)[1].decode())
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            self.requests.append(json.loads(await reader.readexactly(length)))
            await self._respond(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            self.closed.set()
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _respond(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "error":
            body = b'{"error": {"message": "boom", "type": "server_error"}}'
            writer.write(
                b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            return
        if self.mode == "hang":
            await self._until_client_leaves(reader)
            return
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        deltas = [] if self.mode == "empty" else self.deltas
        for delta in deltas:
            writer.write(
                _chunk(_event(delta) if self.dialect == "openai" else _gemini_event(delta))
            )
            await writer.drain()
            await asyncio.sleep(self.delay_s)
        if self.mode == "break":
            writer.transport.abort()  # mid-stream: no [DONE], no end of body
            return
        if self.mode == "stall":
            await self._until_client_leaves(reader)
            return
        done = _chunk(b"data: [DONE]\n\n") if self.dialect == "openai" else b""
        writer.write(done + b"0\r\n\r\n")
        await writer.drain()

    async def _until_client_leaves(self, reader: asyncio.StreamReader) -> None:
        await reader.read()  # b"" once the client closed its end
        self.closed.set()


def _event(content: str) -> bytes:
    payload = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
    }
    return f"data: {json.dumps(payload)}\n\n".encode()


def _gemini_event(text: str) -> bytes:
    payload = {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}],
        "modelVersion": "test-model",
    }
    return f"data: {json.dumps(payload)}\r\n\r\n".encode()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"
