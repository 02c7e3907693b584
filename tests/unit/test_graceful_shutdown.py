"""SIGTERM: the answer in flight finishes, then the socket closes with 1012, within 5 s."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.utils.live import free_port
from tests.utils.model_server import FakeModelServer

SENTENCES = [
    f"Step {n} of connecting the headphones is described here [MANUAL: page 6]. "
    for n in range(1, 9)
]


async def _ready(url: str, process: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            assert process.returncode is None, "the server exited"
            try:
                if (await client.get(f"{url}/ready")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the server did not become ready")


async def test_sigterm_lets_the_answer_finish_then_closes_with_1012(tmp_path: Path) -> None:
    model = FakeModelServer(deltas=SENTENCES, delay_s=0.25)  # about 2 s of answer
    await model.start()
    port = free_port()
    env = {
        **os.environ,
        "HSC_DATA_DIR": str(tmp_path),
        "HSC_PORT": str(port),
        "HSC_FETCH_ALLOW_PRIVATE": "true",
        "HSC_ANSWER_PROVIDER": "openai",
        "HSC_OPENAI_BASE_URL": model.base_url,
        "HSC_SHUTDOWN_GRACE_S": "4",
        "HSC_LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hsc_jit", "serve", env=env
    )
    try:
        await _ready(f"http://127.0.0.1:{port}", process)
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws") as ws:
            question = {"type": "query", "product_id": "roland-td27kv", "query": "headphones?"}
            await ws.send(json.dumps(question))
            while json.loads(await ws.recv())["type"] != "answer_chunk":
                pass
            process.send_signal(signal.SIGTERM)
            stopped_at = time.monotonic()
            kinds = []
            while True:
                message = json.loads(await ws.recv())
                kinds.append(message["type"])
                if message["type"] in ("final_answer", "error"):
                    break
            assert kinds[-1] == "final_answer"
            assert message["provider"] == "openai"
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), timeout=5)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 1012
        # uvicorn re-raises the signal it caught once it has shut down cleanly.
        assert await asyncio.wait_for(process.wait(), 10) in (0, -signal.SIGTERM)
        assert time.monotonic() - stopped_at < 5
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await model.stop()
