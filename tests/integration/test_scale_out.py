"""Scale-out: two server processes on one PostgreSQL database and one Redis db, and gunicorn.

The two instances are real ``hsc-jit serve`` processes on their own ports. Their manuals come
from an HTTP server this module starts on 127.0.0.1, which counts what it is asked for. The
catalog index is polled only hourly here, so a change reaching the other instance within
seconds came through Redis pub/sub.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import asyncpg
import httpx
import psutil
import pytest
from bench._server import serve
from loadtest.services import fresh_database, spare_redis_db
from redis.exceptions import RedisError
from websockets.asyncio.client import ClientConnection, connect

from tests.integration._services import unavailable
from tests.integration.conftest import POSTGRES_ADMIN_URL

pytestmark = pytest.mark.integration

ADMIN_TOKEN = "scale-out-test-admin-token"
BRAND = {"id": "scaletest", "name": "Scaletest", "hq": "Test Town", "founded": 2024}
QUESTION = "How do I connect headphones?"

MANUAL = """<!DOCTYPE html><html><head><title>{name} Owner's Manual</title></head><body><main>
<h1>{name} Owner's Manual</h1>
<p>This manual explains how to set up and play the {name}.</p>
<h2>Connecting headphones</h2>
<p>Connect stereo headphones to the PHONES jack on the front panel. The speakers mute while
headphones are connected. Use the PHONES LEVEL knob to set a comfortable volume.</p>
<h2>Power</h2>
<p>Use only the supplied AC adaptor. Connect the adaptor to the DC IN jack, then press the
power button. The unit turns itself off after 30 minutes without use (Auto Off).</p>
<h2>Saving your settings</h2>
<p>Hold WRITE and press a number button to save the current settings to that memory.</p>
</main></body></html>"""


# ---------------------------------------------------------------------------------------------
# A manual host that counts requests


class ManualHost:
    """Serves MANUAL for ``/manuals/<name>.html``; counts GETs per path; may answer slowly."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.delay_s: dict[str, float] = {}
        self._lock = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with host._lock:
                    host.hits[self.path] += 1
                time.sleep(host.delay_s.get(self.path, 0.0))
                if not self.path.startswith("/manuals/"):
                    self.send_error(404)
                    return
                name = self.path.removeprefix("/manuals/").removesuffix(".html")
                body = MANUAL.format(name=f"Scaletest {name.upper()}").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/manuals/{name}.html"

    def __enter__(self) -> ManualHost:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def product(product_id: str, name: str, manual_url: str) -> dict[str, Any]:
    return {
        "id": product_id,
        "name": name,
        "brand": BRAND["id"],
        "category": "keys",
        "description": f"{name}, a product of the scale-out test.",
        "documentation": {"type": "html", "url": manual_url, "backup_url": None},
    }


# ---------------------------------------------------------------------------------------------
# Two instances on the same PostgreSQL database and Redis db


@dataclass
class Cluster:
    a: str
    b: str
    manuals: ManualHost


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with ExitStack() as stack:
        try:
            database = stack.enter_context(fresh_database(POSTGRES_ADMIN_URL, prefix="hsc_test"))
        except (OSError, asyncpg.PostgresError) as exc:
            unavailable("PostgreSQL", f"{type(exc).__name__}: {exc}")
        try:
            redis_url = stack.enter_context(spare_redis_db())
        except (RedisError, OSError, RuntimeError) as exc:
            unavailable("Redis", f"{type(exc).__name__}: {exc}")
        manuals = stack.enter_context(ManualHost())
        folder = tmp_path_factory.mktemp("scale-out")
        catalog = folder / "scaletest.json"
        catalog.write_text(
            json.dumps(
                {
                    "brand_identity": BRAND,
                    "products": [
                        product("scaletest-dm1", "Scaletest DM-1 Drum Module", manuals.url("dm1")),
                        product("scaletest-cs9", "Scaletest CS-9 Synthesizer", manuals.url("cs9")),
                        product("scaletest-px5", "Scaletest PX-5 Piano", manuals.url("px5")),
                    ],
                }
            )
        )
        env = {
            "HSC_DATABASE_URL": database,
            "HSC_REDIS_URL": redis_url,
            "HSC_AUTO_MIGRATE": "true",
            "HSC_LOAD_DEMO_CATALOG": "false",
            "HSC_CATALOG_POLL_S": "3600",  # only pub/sub can spread a change within seconds
            "HSC_ADMIN_TOKEN": ADMIN_TOKEN,
            "HSC_LOG_JSON": "false",
            # Both instances answer by meaning, so they share one cache key for an answer.
            "HSC_SEMANTIC_WAIT_S": "60",
        }
        imported = subprocess.run(
            [sys.executable, "-m", "hsc_jit", "catalog", "import", "--quiet", str(catalog)],
            env={**os.environ, **env, "HSC_DATA_DIR": str(folder)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert imported.returncode == 0, imported.stderr
        env["HSC_AUTO_MIGRATE"] = "false"  # the import migrated the database
        with ThreadPoolExecutor(2) as pool:  # both start at once
            a, b = pool.map(lambda _: stack.enter_context(serve(env)), range(2))
        yield Cluster(a, b, manuals)


def ws(base_url: str, client_id: str) -> str:
    return f"ws{base_url.removeprefix('http')}/ws?client_id={client_id}"


async def ask(
    socket: ClientConnection, product_id: str, question: str, seq: int
) -> list[dict[str, Any]]:
    """Every frame of one query, up to its final_answer or error."""
    await socket.send(
        json.dumps({"type": "query", "product_id": product_id, "query": question, "seq": seq})
    )
    frames: list[dict[str, Any]] = []
    async with asyncio.timeout(45):
        while True:
            frame = json.loads(await socket.recv())
            frames.append(frame)
            if frame["type"] in ("final_answer", "error") and frame.get("seq") == seq:
                return frames


async def ask_once(base_url: str, product_id: str, question: str) -> dict[str, Any]:
    async with connect(ws(base_url, "asker")) as socket:
        return (await ask(socket, product_id, question, 1))[-1]


# ---------------------------------------------------------------------------------------------
# The tests


async def test_an_answer_cached_through_one_instance_is_a_hit_through_the_other(
    cluster: Cluster,
) -> None:
    first = await ask_once(cluster.a, "scaletest-dm1", QUESTION)
    assert first["type"] == "final_answer", first
    assert first["cached"] is False
    second = await ask_once(cluster.b, "scaletest-dm1", QUESTION)
    assert second["type"] == "final_answer", second
    assert second["cached"] is True
    assert second["sources"] == first["sources"]
    assert cluster.manuals.hits["/manuals/dm1.html"] == 1  # b read the manual a stored


async def test_a_cold_manual_asked_through_both_at_once_is_downloaded_once(
    cluster: Cluster,
) -> None:
    path = "/manuals/cs9.html"
    cluster.manuals.delay_s[path] = 1.5  # both questions arrive while the download runs
    assert cluster.manuals.hits[path] == 0
    answers = await asyncio.gather(
        ask_once(cluster.a, "scaletest-cs9", QUESTION),
        ask_once(cluster.b, "scaletest-cs9", "How do I save my settings?"),
    )
    assert [a["type"] for a in answers] == ["final_answer", "final_answer"], answers
    assert cluster.manuals.hits[path] == 1


async def test_a_catalog_import_reaches_the_other_instance_within_seconds(
    cluster: Cluster,
) -> None:
    name = "Scaletest Zephyr Z-7 Organ"
    new = {k: v for k, v in product("scaletest-z7", name, "").items() if k != "documentation"}
    body = {"brand_identity": BRAND, "products": [new]}
    async with httpx.AsyncClient(timeout=30) as client:
        before = await client.get(f"{cluster.b}/api/predict", params={"q": name})
        assert "scaletest-z7" not in [p["product"]["id"] for p in before.json()["predictions"]]
        response = await client.post(
            f"{cluster.a}/api/admin/catalog/import",
            params={"format": "json", "name": "zephyr.json"},
            content=json.dumps(body),
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        assert response.status_code == 200, response.text
        imported = time.monotonic()
        top: str | None = None
        while time.monotonic() - imported < 5:
            answer = await client.get(f"{cluster.b}/api/predict", params={"q": "zephyr z7 organ"})
            predictions = answer.json()["predictions"]
            top = predictions[0]["product"]["id"] if predictions else None
            if top == "scaletest-z7":
                break
            await asyncio.sleep(0.1)
    assert top == "scaletest-z7", "the import did not reach the other instance within 5 s"


async def test_a_client_never_receives_another_clients_frames(cluster: Cluster) -> None:
    texts = {
        "one": ["scaletest d", "scaletest dm", "scaletest dm-1"],
        "two": ["scaletest c", "scaletest cs", "scaletest cs-9"],
        "three": ["scaletest p", "scaletest px", "scaletest px-5"],
    }
    # "three" is on the other instance with the same client_id as "one" (a second tab).
    places = {"one": (cluster.a, "tab"), "two": (cluster.a, "other"), "three": (cluster.b, "tab")}
    received: dict[str, list[dict[str, Any]]] = {}

    async def client(who: str) -> None:
        base_url, client_id = places[who]
        async with connect(ws(base_url, client_id)) as socket:
            for seq, text in enumerate(texts[who], start=100 * len(who)):
                await socket.send(json.dumps({"type": "typing", "content": text, "seq": seq}))
            frames = []
            if who == "one":  # one also asks, while the others type
                frames += await ask(socket, "scaletest-px5", QUESTION, 7)
            try:
                async with asyncio.timeout(1.5):
                    while True:
                        frames.append(json.loads(await socket.recv()))
            except TimeoutError:
                pass
            received[who] = frames

    await asyncio.gather(*(client(who) for who in texts))
    for who, frames in received.items():
        predictions = [f for f in frames if f["type"] == "prediction"]
        assert [p["query"] for p in predictions] == texts[who], who
        assert [p["seq"] for p in predictions] == [100 * len(who) + i for i in range(3)], who
        answer_frames = [f for f in frames if f["type"] != "prediction"]
        if who == "one":
            assert answer_frames[-1]["type"] == "final_answer"
            assert answer_frames[-1]["seq"] == 7
        else:
            assert answer_frames == [], f"{who} received frames of another client"


def test_gunicorn_with_two_workers_answers() -> None:
    with serve({"HSC_LOG_JSON": "false"}, workers=2) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        assert len(_workers_listening_on(port)) == 2
        response = httpx.get(f"{base_url}/api/predict", params={"q": "Roland TD27"}, timeout=30)
        assert response.json()["predictions"][0]["product"]["id"] == "roland-td27kv"

        async def session(number: int) -> list[dict[str, Any]]:
            async with connect(ws(base_url, f"gunicorn-{number}")) as socket:
                await socket.send(json.dumps({"type": "typing", "content": "shure sm58", "seq": 1}))
                prediction = json.loads(await socket.recv())
                assert prediction["data"][0]["product"]["id"] == "shure-sm58"
                return await ask(socket, "shure-sm58", "How do I avoid feedback on stage?", 2)

        async def sessions() -> list[list[dict[str, Any]]]:
            return await asyncio.gather(*(session(n) for n in range(6)))

        for frames in asyncio.run(sessions()):
            final = frames[-1]
            assert final["type"] == "final_answer", final
            assert final["found"] is True
            assert any(f["type"] == "answer_chunk" for f in frames)
        metrics = httpx.get(f"{base_url}/metrics", timeout=30).text
        assert "prediction_latency_seconds_count" in metrics  # summed across the workers


def _workers_listening_on(port: int) -> list[psutil.Process]:
    """Gunicorn's workers: the children of our server process that share its listening socket."""
    workers = []
    for child in psutil.Process().children(recursive=True):
        try:
            listening = any(
                c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port
                for c in child.net_connections(kind="tcp")
            )
            parent = child.parent()
        except psutil.Error:
            continue
        if listening and parent is not None and parent.pid != os.getpid():
            workers.append(child)
    return workers
