"""The floor of the typing benchmark: a bare uvicorn socket that answers each frame at once.

``python -m bench._floor PORT DATA_FILE`` serves a plain ASGI app (no FastAPI, routing,
middleware, state, rate limits, metrics or logging) on 127.0.0.1 with the project's WebSocket
settings (``hsc_jit.server.WS_OPTIONS``). Each frame it receives is answered with a canned
``prediction`` frame: DATA_FILE's JSON array (a real frame's ``data``, so the same size) with the
frame's ``seq`` and ``content`` echoed. What the project spends above this is its own work.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import uvicorn
from starlette.types import Receive, Scope, Send

from bench._server import child, wait_until
from hsc_jit.server import WS_OPTIONS


def floor_app(data: bytes) -> Any:
    """An ASGI app answering every socket frame with ``data`` as a prediction's items."""
    head = b'{"type":"prediction","data":' + data + b',"seq":'

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return  # no lifespan and no HTTP: uvicorn answers HTTP with 500 and goes on
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            frame = orjson.loads(message.get("text") or message.get("bytes") or b"{}")
            seq = orjson.dumps(frame.get("seq"))
            query = orjson.dumps(frame.get("content", ""))
            text = (head + seq + b',"query":' + query + b"}").decode()
            await send({"type": "websocket.send", "text": text})

    return app


@contextmanager
def floor_server(data: bytes, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """The floor in its own process on ``port``, answering with ``data``; stopped afterwards."""
    with tempfile.NamedTemporaryFile(prefix="hsc-floor-", suffix=".json") as file:
        file.write(data)
        file.flush()
        with child([sys.executable, "-m", "bench._floor", str(port), file.name]) as process:
            wait_until(process, lambda: _listening(port), 30, "the floor server")
            yield process


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def main(argv: list[str]) -> None:
    port, data_file = int(argv[0]), Path(argv[1])
    app = floor_app(data_file.read_bytes())
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        **WS_OPTIONS,
        lifespan="off",
        access_log=False,
        log_level="warning",
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main(sys.argv[1:])
