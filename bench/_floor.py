"""The floor of the typing benchmark: a bare uvicorn socket that answers each frame at once.

``python -m bench._floor PORT DATA_FILE WORK_S`` serves a plain ASGI app (no FastAPI, routing,
middleware, state, rate limits, metrics or logging) on 127.0.0.1 with the project's WebSocket
settings (``hsc_jit.server.WS_OPTIONS``). Each frame it receives is answered with a canned
``prediction`` frame: DATA_FILE's JSON array (a real frame's ``data``, so the same size) with the
frame's ``seq`` and ``content`` echoed. What the project spends above this is its own work.

WORK_S (``bench.load --floor-work-ms``; 0 for the benchmark's figures) makes it spend that much
CPU on each frame first: answering later makes the write itself dearer, as the client has gone
to sleep by then and the kernel must wake it (see bench/README.md, Typing).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import uvicorn
from starlette.types import Receive, Scope, Send

from bench._server import child, wait_until
from hsc_jit.server import WS_OPTIONS


def floor_app(data: bytes, work_s: float = 0.0) -> Any:
    """An ASGI app answering every socket frame with ``data`` as a prediction's items, after
    ``work_s`` of busy CPU (0: at once)."""
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
            if work_s:
                _busy(work_s)
            await send({"type": "websocket.send", "text": text})

    return app


def _busy(seconds: float) -> None:
    """Spend ``seconds`` of CPU, as a server's own work would (a sleep would free the core)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


@contextmanager
def floor_server(data: bytes, port: int, work_s: float = 0.0) -> Iterator[subprocess.Popen[bytes]]:
    """The floor in its own process on ``port``, answering with ``data`` after ``work_s`` of
    CPU; stopped afterwards."""
    with tempfile.NamedTemporaryFile(prefix="hsc-floor-", suffix=".json") as file:
        file.write(data)
        file.flush()
        command = [sys.executable, "-m", "bench._floor", str(port), file.name, str(work_s)]
        with child(command) as process:
            wait_until(process, lambda: _listening(port), 30, "the floor server")
            yield process


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def main(argv: list[str]) -> None:
    port, data_file, work_s = int(argv[0]), Path(argv[1]), float(argv[2])
    app = floor_app(data_file.read_bytes(), work_s)
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
