"""Hostile manuals against a running server: time to the end, peak memory, typing latency.

Starts ``hsc-jit serve`` at its defaults and a manual server on 127.0.0.1 that misbehaves on
purpose, one product per kind of manual; for each kind it asks one question while 10 sockets
keep typing, and prints how long the question took to end (and how it ended), the server's peak
memory (its process and its extraction workers) above where it started, that memory after the
question, and typing latency p50/p99 meanwhile. The floor is the same typing with no question.

    uv run python -m bench.hostile [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import psutil
import websockets
from tests.utils.pdfs import text_pdf

from bench._server import serve

ADMIN_TOKEN = "bench-hostile-admin-token-0123"  # noqa: S105 (a throwaway server's)
TYPISTS = 10
TYPING_INTERVAL_S = 0.1
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def _gzip_bomb(inflated: int, stacked: bool) -> bytes:
    """``inflated`` zero bytes gzipped (about a thousandth of it on the wire), and when
    ``stacked`` gzipped again (a few KB)."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [inner.compress(block) for _ in range(inflated >> 20)]
    parts.append(inner.flush())
    once = b"".join(parts)
    return gzip.compress(once, 9) if stacked else once


def _response(status: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def manuals() -> dict[str, Handler]:
    bomb = _gzip_bomb(2 << 30, stacked=True)
    single = _gzip_bomb(1 << 30, stacked=False)
    deep = (
        b"<html><body><p>Intro of a deep page.</p>"
        + b"<div>" * 100_000
        + b"x"
        + b"</div>" * 100_000
    )
    flat = (
        b"<html><body>" + b"<p>A paragraph of a very long manual page.</p>" * 900_000 + b"</body>"
    )
    many = text_pdf([f"Page {n}\nThe unit has a power switch on page {n}." for n in range(3000)])
    empty = text_pdf([""] * 50_000)
    junk = random.Random(7).randbytes(2 << 20)  # the same bytes every run
    corrupt = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + junk

    def fixed(body: bytes, headers: dict[str, str]) -> Handler:
        async def handler(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(_response("200 OK", body, headers))
            await writer.drain()

        return handler

    async def silent(_reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(3600)

    async def drip(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 99999\r\n\r\n"
        )
        for _ in range(3600):
            writer.write(b"%")
            await writer.drain()
            await asyncio.sleep(1)

    async def loop(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(_response("302 Found", b"", {"Location": "/loop.pdf"}))
        await writer.drain()

    return {
        "stacked gzip bomb (2 GB)": fixed(
            bomb, {"Content-Type": "application/pdf", "Content-Encoding": "gzip, gzip"}
        ),
        "single gzip bomb (1 GB)": fixed(
            single, {"Content-Type": "application/pdf", "Content-Encoding": "gzip"}
        ),
        "HTML nested 100k deep": fixed(deep, {"Content-Type": "text/html"}),
        "flat HTML, 40 MB": fixed(flat, {"Content-Type": "text/html"}),
        "PDF of 3,000 pages": fixed(many, {"Content-Type": "application/pdf"}),
        "PDF of 50,000 empty pages": fixed(empty, {"Content-Type": "application/pdf"}),
        "corrupt PDF (2 MB)": fixed(corrupt, {"Content-Type": "application/pdf"}),
        "silent server": silent,
        "drip, a byte a second": drip,
        "redirect loop": loop,
    }


@contextmanager
def manual_server(handlers: dict[str, Handler]) -> Iterator[tuple[str, dict[str, str]]]:
    """Serve each handler at its own path on 127.0.0.1 from a thread; yields base and paths."""
    paths = {kind: f"/m{n}.pdf" for n, kind in enumerate(handlers)}
    by_path = {paths[kind]: handler for kind, handler in handlers.items()}
    by_path["/loop.pdf"] = handlers["redirect loop"]
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def route(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = (await reader.readline()).decode(errors="replace").split()
        while (await reader.readline()).strip():
            pass
        handler = by_path.get(request[1] if len(request) > 1 else "")
        if handler is not None:
            with suppress(ConnectionError, OSError):
                await handler(reader, writer)
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(route, "127.0.0.1", 0)
        box["port"] = server.sockets[0].getsockname()[1]
        box["stop"] = asyncio.Event()
        ready.set()
        async with server:
            await box["stop"].wait()

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    ready.wait(30)
    try:
        yield f"http://127.0.0.1:{box['port']}", paths
    finally:
        loop.call_soon_threadsafe(box["stop"].set)
        thread.join(5)


def server_memory(pid: int) -> int:
    """RSS of the server and its children (the extraction workers), in bytes."""
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total


async def typing_latencies(ws_url: str, stop: asyncio.Event) -> list[float]:
    """Typing frames from several sockets until ``stop``; each frame's time to its prediction."""
    times: list[float] = []

    async def typist(number: int) -> None:
        async with websockets.connect(ws_url) as ws:
            seq = 0
            while not stop.is_set():
                seq += 1
                started = time.perf_counter()
                await ws.send(
                    json.dumps({"type": "typing", "content": f"rol td{number}", "seq": seq})
                )
                while json.loads(await ws.recv()).get("type") != "prediction":
                    pass
                times.append(time.perf_counter() - started)
                await asyncio.sleep(TYPING_INTERVAL_S)

    await asyncio.gather(*(typist(n) for n in range(TYPISTS)))
    return times


async def one_kind(ws_url: str, product_id: str | None, pid: int) -> dict[str, Any]:
    """Typing meanwhile, and the question (None: typing alone for the floor, 5 s)."""
    stop = asyncio.Event()
    typing = asyncio.create_task(typing_latencies(ws_url, stop))
    base = server_memory(pid)
    peak = base
    started = time.perf_counter()
    outcome = "-"

    async def ask() -> str:
        if product_id is None:
            await asyncio.sleep(5)
            return "-"
        async with websockets.connect(ws_url, max_size=None) as ws:
            query = {
                "type": "query",
                "product_id": product_id,
                "query": "Where is the power switch?",
            }
            await ws.send(json.dumps(query))
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "final_answer":
                    return "answer"
                if message["type"] == "error":
                    return f"error {message['code']}"

    question = asyncio.create_task(ask())
    while not question.done():
        peak = max(peak, server_memory(pid))
        await asyncio.sleep(0.1)
    outcome = question.result()
    elapsed = time.perf_counter() - started
    stop.set()
    times = sorted(await typing)
    await asyncio.sleep(1)
    after = server_memory(pid)

    def q(p: float) -> float:
        return times[min(len(times) - 1, int(p * len(times)))] * 1000 if times else 0.0

    return {
        "seconds": round(elapsed, 2),
        "outcome": outcome,
        "peak_mb_above_start": round((peak - base) / 2**20),
        "after_mb_above_start": round((after - base) / 2**20),
        "typing_p50_ms": round(q(0.5), 1),
        "typing_p99_ms": round(q(0.99), 1),
        "typing_frames": len(times),
    }


def settle(pid: int, limit_s: float = 120.0) -> float:
    """Wait until the server and its workers are idle (< 10% of a core for 2 s), so each kind
    is measured alone; the seconds it took."""
    started = time.monotonic()
    tree = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    for process in tree:  # the first reading only starts the count
        process.cpu_percent(interval=None)
    quiet = 0
    while time.monotonic() - started < limit_s and quiet < 2:
        time.sleep(1)
        busy = 0.0
        for process in tree:
            with suppress(psutil.NoSuchProcess):
                busy += process.cpu_percent(interval=None)
        quiet = quiet + 1 if busy < 10 else 0
    return time.monotonic() - started


def server_pid() -> int:
    for process in psutil.Process().children(recursive=True):
        if "hsc_jit" in " ".join(process.cmdline()) and "serve" in process.cmdline():
            return int(process.pid)
    raise RuntimeError("the server process was not found")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    handlers = manuals()
    report: dict[str, Any] = {}
    env = {"HSC_ADMIN_TOKEN": ADMIN_TOKEN, "HSC_TYPING_RATE_PER_S": "20", "HSC_TYPING_BURST": "40"}
    with manual_server(handlers) as (base, paths), serve(env) as url:
        catalog = {
            "brand_identity": {"id": "hostile", "name": "Hostile"},
            "products": [
                {
                    "id": f"hostile-{n}",
                    "name": f"Hostile {kind}",
                    "documentation": {"type": "pdf", "url": base + paths[kind]},
                }
                for n, kind in enumerate(handlers)
            ],
        }
        response = httpx.post(
            f"{url}/api/admin/catalog/import",
            content=json.dumps(catalog),
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            timeout=60,
        )
        response.raise_for_status()
        pid = server_pid()
        ws_url = url.replace("http", "ws", 1) + "/ws"
        report["floor (typing alone)"] = asyncio.run(one_kind(ws_url, None, pid))
        for n, kind in enumerate(handlers):
            settle(pid)
            report[kind] = asyncio.run(one_kind(ws_url, f"hostile-{n}", pid))
    print(
        f"{'kind':28} {'ends after':>10} {'how':>28} {'peak MB':>8} {'after MB':>8} "
        f"{'typing p50':>10} {'p99':>8}"
    )
    for kind, row in report.items():
        print(
            f"{kind:28} {row['seconds']:>9.1f}s {row['outcome']:>28} "
            f"{row['peak_mb_above_start']:>8} {row['after_mb_above_start']:>8} "
            f"{row['typing_p50_ms']:>8.1f}ms {row['typing_p99_ms']:>6.1f}ms"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
