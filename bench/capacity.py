"""Capacity: many idle WebSockets on one server process, memory per connection, typing latency.

Starts ``hsc-jit serve`` (one process, embedded defaults) with the open-file limit raised (it is
raised here and inherited by the server), opens ``--sockets`` idle connections to ``/ws`` from
``--client-processes`` asyncio processes, and reports:

* the server's RSS with none, half and all of the sockets open; memory per connection is the
  slope between half and all (one-time growth left out), the plain (all - none) / sockets too;
* typing-to-prediction latency p50/p95/p99 from ``--typers`` concurrent typists, measured with
  no idle sockets and again with all of them open (same texts, warm prediction cache, so the
  difference is the sockets'), plus a pass of new texts with the sockets open;
* whether every idle socket still answers a ``ping`` at the end.

    uv run python -m bench.capacity --sockets 5000

Target: under 30 KB per connection. Writes ``capacity-<stamp>.json`` to ``--out``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import resource
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import psutil
from websockets.asyncio.client import ClientConnection, connect

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: ``python bench/capacity.py``
    sys.path.insert(0, str(REPO))

from loadtest.config import DEFAULT_PRODUCTS, DEFAULT_QUESTIONS, ws_url  # noqa: E402
from loadtest.keystrokes import as_typed, debounced, keystrokes  # noqa: E402
from loadtest.report import percentile  # noqa: E402

from bench._server import serve  # noqa: E402
from bench.load import server_processes  # noqa: E402
from hsc_jit.ops.checklist import parse_exposition  # noqa: E402

TARGET_KB = 30.0


def raise_open_files(needed: int) -> tuple[int, int]:
    """Raise this process's RLIMIT_NOFILE (children inherit it); returns (soft, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft, hard
    if hard != resource.RLIM_INFINITY and hard < needed:
        try:  # root may raise the hard limit too
            resource.setrlimit(resource.RLIMIT_NOFILE, (needed, needed))
            return needed, needed
        except (ValueError, OSError):
            needed = hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


# ---------------------------------------------------------------------------------------------
# Idle sockets, held by client processes


def hold_idle_sockets(
    url: str, count: int, concurrency: int, deflate: bool, pipe: Connection
) -> None:
    """Child process: open ``count`` sockets, report, hold until told, ping them all, close."""
    asyncio.run(_hold(url, count, concurrency, deflate, pipe))


async def _hold(url: str, count: int, concurrency: int, deflate: bool, pipe: Connection) -> None:
    gate = asyncio.Semaphore(concurrency)
    errors: dict[str, int] = {}

    async def open_one(index: int) -> ClientConnection | None:
        async with gate:
            try:
                return await connect(
                    f"{url}?client_id=idle-{index}",
                    ping_interval=None,  # idle: the server's keepalive pings are answered anyway
                    open_timeout=60,
                    max_queue=4,
                    compression="deflate" if deflate else None,
                )
            except Exception as exc:
                key = f"{type(exc).__name__}: {exc}"[:120]
                errors[key] = errors.get(key, 0) + 1
                return None

    # Two halves, so that the parent can measure the server at both and take the slope.
    sockets: list[ClientConnection] = []
    for step in (count // 2, count - count // 2):
        await asyncio.to_thread(pipe.recv)  # "open"
        started = time.perf_counter()
        first = len(sockets)
        opened = await asyncio.gather(*(open_one(i) for i in range(first, first + step)))
        sockets += [s for s in opened if s is not None]
        pipe.send({"open": len(sockets), "failed": first + step - len(sockets), "errors": errors,
                   "seconds": time.perf_counter() - started})  # fmt: skip
    await asyncio.to_thread(pipe.recv)  # "ping"

    async def ping(ws: ClientConnection) -> bool:
        async with gate:
            try:
                await ws.send('{"type": "ping", "seq": 1}')
                async with asyncio.timeout(30):
                    while True:
                        frame = json.loads(await ws.recv())
                        if frame.get("type") == "pong":
                            return True
            except Exception:
                return False

    alive = sum(await asyncio.gather(*(ping(ws) for ws in sockets)))
    pipe.send({"alive": alive})
    await asyncio.to_thread(pipe.recv)  # "close"

    async def close(ws: ClientConnection) -> None:
        async with gate:
            with contextlib.suppress(Exception):  # the socket is going away either way
                await asyncio.wait_for(ws.close(), 10)

    await asyncio.gather(*(close(ws) for ws in sockets))
    pipe.send({"closed": len(sockets)})


# ---------------------------------------------------------------------------------------------
# Typing latency


def typing_texts(seed: int, count: int) -> list[str]:
    """The debounced frames people send while typing names and questions."""
    import random

    rng = random.Random(seed)
    texts: list[str] = []
    while len(texts) < count:
        name = as_typed(rng.choice(DEFAULT_PRODUCTS), rng, 0.3)
        if rng.random() < 0.3:
            name += " " + rng.choice(DEFAULT_QUESTIONS).lower()
        texts += [k.text for k in debounced(keystrokes(name, rng), 150)]
    return texts[:count]


async def typing_latency(url: str, typers: int, frames: int, seed: int) -> dict[str, Any]:
    """``typers`` sockets typing concurrently, one frame in flight each; ms per round trip."""
    latencies: list[float] = []
    failures = 0

    async def typist(number: int) -> None:
        nonlocal failures
        texts = typing_texts(seed * 1000 + number, frames)
        async with connect(f"{url}?client_id=typist-{number}", max_size=None) as ws:
            for seq, text in enumerate(texts, 1):
                started = time.perf_counter()
                await ws.send(json.dumps({"type": "typing", "content": text, "seq": seq}))
                while True:
                    frame = json.loads(await ws.recv())
                    if frame.get("seq") == seq:
                        break
                if frame.get("type") == "prediction":
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    failures += 1
                await asyncio.sleep(0.01)

    await asyncio.gather(*(typist(i) for i in range(typers)))
    return {
        "count": len(latencies),
        "failures": failures,
        "p50_ms": round(percentile(latencies, 0.50), 3),
        "p95_ms": round(percentile(latencies, 0.95), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "max_ms": round(max(latencies, default=float("nan")), 3),
    }


# ---------------------------------------------------------------------------------------------
# Server figures


def server_rss() -> tuple[int, int]:
    """(RSS bytes, open fds) of the server tree started by this process."""
    rss = fds = 0
    for process in server_processes():
        try:
            rss += process.memory_info().rss
            fds += process.num_fds()
        except psutil.Error:
            continue
    return rss, fds


def active_sockets(base_url: str) -> float | None:
    try:
        text = httpx.get(f"{base_url}/metrics", timeout=10).text
        return float(parse_exposition(text).total("websocket_active_connections"))
    except (httpx.HTTPError, ValueError):
        return None


def settled_rss(seconds: float = 3.0) -> int:
    """RSS once it stops moving (the largest of a few readings a second apart)."""
    readings = []
    deadline = time.monotonic() + seconds
    while True:
        readings.append(server_rss()[0])
        if time.monotonic() >= deadline:
            return max(readings[-3:])
        time.sleep(1.0)


# ---------------------------------------------------------------------------------------------
# The run


def run(args: argparse.Namespace, base_url: str) -> dict[str, Any]:
    url = ws_url(base_url)
    print(f"server {base_url}; warming up")
    asyncio.run(typing_latency(url, args.typers, args.frames, seed=1))  # warm caches and code
    baseline = asyncio.run(typing_latency(url, args.typers, args.frames, seed=1))
    rss_base = settled_rss()
    fds_base = server_rss()[1]

    share = [args.sockets // args.client_processes] * args.client_processes
    share[0] += args.sockets - sum(share)
    context = multiprocessing.get_context("spawn")
    pipes: list[Connection] = []
    children = []
    print(f"opening {args.sockets} idle sockets from {args.client_processes} processes")
    started = time.perf_counter()
    for count in share:
        parent, child = context.Pipe()
        process = context.Process(
            target=hold_idle_sockets,
            args=(url, count, args.concurrency, args.deflate, child),
            daemon=True,
        )
        process.start()
        pipes.append(parent)
        children.append(process)
    for pipe in pipes:
        pipe.send("open")
    half = sum(pipe.recv()["open"] for pipe in pipes)
    time.sleep(2)
    rss_half = settled_rss()
    for pipe in pipes:
        pipe.send("open")
    opened = [pipe.recv() for pipe in pipes]
    open_seconds = time.perf_counter() - started
    sockets_open = sum(o["open"] for o in opened)
    errors: dict[str, int] = {}
    for o in opened:
        for key, value in o["errors"].items():
            errors[key] = errors.get(key, 0) + value
    print(f"{sockets_open} open in {open_seconds:.1f} s; measuring")
    time.sleep(2)
    reported = active_sockets(base_url)
    rss_loaded = settled_rss()
    fds_loaded = server_rss()[1]
    loaded_warm = asyncio.run(typing_latency(url, args.typers, args.frames, seed=1))
    loaded_fresh = asyncio.run(typing_latency(url, args.typers, args.frames, seed=2))
    cpu_idle = _cpu_while_idle()

    for pipe in pipes:
        pipe.send("ping")
    alive = sum(pipe.recv()["alive"] for pipe in pipes)
    for pipe in pipes:
        pipe.send("close")
    for pipe in pipes:
        pipe.recv()
    for process in children:
        process.join(timeout=30)
    time.sleep(2)
    rss_closed = server_rss()[0]

    # The slope between half and all the sockets leaves out one-time growth (arenas, buffers,
    # lazily built objects) that the first connections trigger; the plain delta includes it.
    added = sockets_open - half
    per_connection = (rss_loaded - rss_half) / added if added > 0 else float("nan")
    per_connection_delta = (rss_loaded - rss_base) / sockets_open if sockets_open else float("nan")
    return {
        "run": {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "url": base_url,
            "sockets": args.sockets,
            "client_processes": args.client_processes,
            "typers": args.typers,
            "frames_per_typer": args.frames,
            "idle_sockets_offer_deflate": args.deflate,
            "cpu_cores": psutil.cpu_count(),
            "open_files_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        },
        "sockets_open": sockets_open,
        "sockets_failed": args.sockets - sockets_open,
        "open_errors": errors,
        "open_seconds": round(open_seconds, 2),
        "server_reported_active": reported,
        "still_answering_ping": alive,
        "server_fds": {"base": fds_base, "loaded": fds_loaded},
        "server_cpu_percent_with_idle_sockets": cpu_idle,
        "rss_mib": {
            "base": round(rss_base / 1048576, 1),
            "half": round(rss_half / 1048576, 1),
            "loaded": round(rss_loaded / 1048576, 1),
            "after_close": round(rss_closed / 1048576, 1),
        },
        "sockets_at_half": half,
        "bytes_per_connection": round(per_connection),
        "kb_per_connection": round(per_connection / 1024, 2),
        "kb_per_connection_whole_delta": round(per_connection_delta / 1024, 2),
        "target_kb_per_connection": TARGET_KB,
        "passed": sockets_open == args.sockets and per_connection / 1024 < TARGET_KB,
        "typing": {
            "no_idle_sockets": baseline,
            "idle_sockets_open_same_texts": loaded_warm,
            "idle_sockets_open_new_texts": loaded_fresh,
        },
    }


def _cpu_while_idle(seconds: float = 3.0) -> float:
    processes = server_processes()
    for process in processes:
        process.cpu_percent(None)
    time.sleep(seconds)
    total = 0.0
    for process in processes:
        try:
            total += process.cpu_percent(None)
        except psutil.Error:
            continue
    return round(total, 1)


def print_report(report: dict[str, Any]) -> None:
    rss = report["rss_mib"]
    print(
        f"\n{report['sockets_open']} of {report['run']['sockets']} idle sockets open "
        f"(server reports {report['server_reported_active']}), "
        f"{report['still_answering_ping']} still answering ping at the end"
    )
    print(
        f"server RSS {rss['base']} MiB -> {rss['half']} MiB (half) -> {rss['loaded']} MiB "
        f"(after close {rss['after_close']} MiB)"
    )
    print(
        f"memory per connection: {report['kb_per_connection']} KB between half and all "
        f"(target < {TARGET_KB:g} KB): {'PASS' if report['passed'] else 'FAIL'}; "
        f"{report['kb_per_connection_whole_delta']} KB as (all - none) / sockets"
    )
    print(f"server CPU with the sockets idle: {report['server_cpu_percent_with_idle_sockets']} %")
    for phase, figures in report["typing"].items():
        print(
            f"typing {phase:<30} n={figures['count']:<5} p50 {figures['p50_ms']:.2f}  "
            f"p95 {figures['p95_ms']:.2f}  p99 {figures['p99_ms']:.2f} ms  "
            f"failures {figures['failures']}"
        )
    if report["open_errors"]:
        print("errors opening sockets:", report["open_errors"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sockets", type=int, default=5000)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--concurrency", type=int, default=200, help="handshakes at once per process"
    )
    parser.add_argument(
        "--deflate",
        action="store_true",
        help="idle sockets offer permessage-deflate, as browsers do (costs the server more)",
    )
    parser.add_argument("--typers", type=int, default=20, help="concurrent typists measured")
    parser.add_argument("--frames", type=int, default=50, help="typing frames per typist")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args(argv)
    if args.sockets < 1 or args.client_processes < 1:
        parser.error("--sockets and --client-processes must be at least 1")

    soft, _hard = raise_open_files(args.sockets + 1024)
    per_process = args.sockets // args.client_processes + 256
    if soft < per_process:
        parser.error(f"the open-file limit is {soft}; {per_process} needed per process")
    env = {
        "HSC_WS_IDLE_TIMEOUT_S": "3600",  # idle on purpose
        "HSC_LOG_JSON": "false",
    }
    with serve(env, workers=1) as base_url:
        report = run(args, base_url)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"capacity-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2))
    print_report(report)
    print(f"\nreport: {path}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
