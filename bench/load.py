"""Load runs: typing against the project and its floor (default), or the full mix with Locust.

The default run measures the typing hot path. It starts ``hsc-jit serve`` on 127.0.0.1 with the
distributor's real catalog when the shared data folder is there (``--data``, else
``$HSC_SHARED_DATA``, else ``../shared/data``; otherwise the demo catalog, and it says so), and
beside it the floor: a bare uvicorn socket with the same WebSocket settings that answers each
frame at once with a canned prediction frame of the project's median full size
(``bench/_floor.py``). ``--users`` simulated customers type product names into both, in
alternating phases (``bench/_typists.py``), and it prints, side by side and as ratios,
typing→prediction p50/p95/p99 and server CPU per frame, the frame sizes, the generator's own CPU
and the machine's load, and writes them to ``--json`` (default
``bench/results/load-typing-<stamp>.json``).

``--locust`` runs the full mix instead: loadtest/locustfile.py headless for ``--users``
WebSocket users (typing and questions) plus ``--http-users`` HTTP API users, sampling the
server's CPU and memory, and writes to ``--out``:

* ``load-<stamp>.json`` / ``.md``: p50/p95/p99 per message type, throughput, error rate, cache
  hit rate (``cache_hits_total`` / ``cache_misses_total``), server CPU and RSS, the targets and
  the before-production checklist measured from the server's ``/metrics`` at the end;
* ``load-<stamp>.png``: latency and throughput over time, with the server's CPU and memory;
* ``load-<stamp>-samples.csv`` (every request) and ``load-<stamp>-locust.log``.

Both start the server with embedded SQLite and the in-process cache by default; with
``--services`` a fresh PostgreSQL database and a spare Redis db, both removed afterwards.

    uv run python -m bench.load --users 200 --seconds 60
    uv run python -m bench.load --services --workers 2
    uv run python -m bench.load --url http://127.0.0.1:8000   # a running server: no CPU figures
    uv run python -m bench.load --locust --users 200 --http-users 10 --seconds 60

Exits 1 when a target or (``--locust``) the checklist fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import psutil
from websockets.asyncio.client import connect as websockets_connect

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: ``python bench/load.py``
    sys.path.insert(0, str(REPO))

from loadtest.config import LoadTestConfig  # noqa: E402
from loadtest.report import (  # noqa: E402
    TYPING,
    cache_counts,
    cache_report,
    evaluate_targets,
    render_markdown,
    summarise,
    timeline,
    top_errors,
    totals,
)
from loadtest.samples import read_samples  # noqa: E402

from bench._floor import floor_server  # noqa: E402
from bench._server import free_port, serve  # noqa: E402
from bench._shared_data import data_dir, load_catalog  # noqa: E402
from bench._typists import Plan, Run, Target  # noqa: E402
from hsc_jit.ops.checklist import fetch_and_check, parse_exposition  # noqa: E402

LOCUSTFILE = REPO / "loadtest" / "locustfile.py"
ADMIN_TOKEN = "load-run-admin-token-0123456789"  # noqa: S105 - a throwaway server's token
CHART_NAMES = (TYPING, "query→first_chunk", "query→final_answer", "/api/predict")


# ---------------------------------------------------------------------------------------------
# The server's process tree, sampled


def child_processes(keyword: str, root: psutil.Process | None = None) -> list[psutil.Process]:
    """This process's children whose command line holds ``keyword``, with their children."""
    root = root or psutil.Process()
    found: list[psutil.Process] = []
    for child in root.children(recursive=False):
        try:
            if keyword in " ".join(child.cmdline()):
                found += [child, *child.children(recursive=True)]
        except psutil.Error:
            continue
    return found


def server_processes() -> list[psutil.Process]:
    """``hsc_jit serve`` started by this process, with its workers and helpers."""
    return child_processes("hsc_jit")


class ProcessSampler:
    """CPU (100 % = one core) and RSS of the server tree every ``interval_s`` seconds."""

    def __init__(self, interval_s: float = 1.0, metrics_url: str | None = None) -> None:
        self.interval_s = interval_s
        self.metrics_url = metrics_url
        self.samples: list[dict[str, Any]] = []
        self._known: dict[int, psutil.Process] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="server-sampler", daemon=True)

    def __enter__(self) -> ProcessSampler:
        self._tick(prime=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        with httpx.Client(timeout=2) as client:
            count = 0
            while not self._stop.wait(self.interval_s):
                count += 1
                sample = self._tick()
                if sample is not None and self.metrics_url and count % 5 == 0:
                    sample.update(_metrics_figures(client, self.metrics_url))

    def _tick(self, prime: bool = False) -> dict[str, Any] | None:
        cpu, rss, fds, alive = self._measure(server_processes())
        # The load generator and whatever else runs here share the CPUs: when they take them,
        # the latencies Locust measures grow with their queueing, not the server's work.
        locust_cpu = self._measure(child_processes("locust"))[0]
        machine_cpu = psutil.cpu_percent(None) * (psutil.cpu_count() or 1)
        if prime or alive == 0:
            return None
        sample = {
            "t": time.time(),
            "cpu_percent": round(cpu, 1),
            "rss_mib": round(rss / 1048576, 1),
            "fds": fds,
            "processes": alive,
            "locust_cpu_percent": round(locust_cpu, 1),
            "other_cpu_percent": round(max(0.0, machine_cpu - cpu - locust_cpu), 1),
        }
        self.samples.append(sample)
        return sample

    def _measure(self, processes: list[psutil.Process]) -> tuple[float, float, int, int]:
        cpu = rss = 0.0
        fds = alive = 0
        for process in processes:
            known = self._known.setdefault(process.pid, process)
            try:
                with known.oneshot():
                    cpu += known.cpu_percent(None)
                    rss += known.memory_info().rss
                    fds += known.num_fds()
                alive += 1
            except psutil.Error:
                self._known.pop(process.pid, None)
        return cpu, rss, fds, alive


def _metrics_figures(client: httpx.Client, url: str) -> dict[str, Any]:
    try:
        exposition = parse_exposition(client.get(url).text)
    except (httpx.HTTPError, ValueError):
        return {}
    hits = exposition.total("cache_hits_total")
    misses = exposition.total("cache_misses_total")
    return {
        "ws_active": exposition.total("websocket_active_connections"),
        "cache_hits": hits,
        "cache_misses": misses,
    }


def server_summary(samples: Sequence[dict[str, Any]]) -> dict[str, Any]:
    if not samples:
        return {"samples": []}
    cpu = [s["cpu_percent"] for s in samples]
    rss = [s["rss_mib"] for s in samples]
    locust = [s["locust_cpu_percent"] for s in samples]
    other = [s["other_cpu_percent"] for s in samples]
    return {
        "cpu_percent_mean": round(sum(cpu) / len(cpu), 1),
        "cpu_percent_max": max(cpu),
        "locust_cpu_percent_mean": round(sum(locust) / len(locust), 1),
        "locust_cpu_percent_max": max(locust),
        "other_cpu_percent_mean": round(sum(other) / len(other), 1),
        "rss_mib_start": rss[0],
        "rss_mib_max": max(rss),
        "rss_mib_end": rss[-1],
        "fds_max": max(s["fds"] for s in samples),
        "cores": psutil.cpu_count(),
        "samples": list(samples),
    }


# ---------------------------------------------------------------------------------------------
# Starting the server


@contextmanager
def started_server(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    """(base URL, mode) of the server under test."""
    if args.url:
        yield args.url.rstrip("/"), "an external server"
        return
    from loadtest.services import fresh_database, spare_redis_db

    env: dict[str, str] = {"HSC_LOG_JSON": "false"}
    mode = "embedded SQLite + in-process cache"
    with ExitStack() as stack:
        if args.services:
            database = stack.enter_context(fresh_database())
            redis_url = stack.enter_context(spare_redis_db())
            env |= {
                "HSC_DATABASE_URL": database,
                "HSC_REDIS_URL": redis_url,
                "HSC_AUTO_MIGRATE": "true",
            }
            mode = f"PostgreSQL {database.rsplit('/', 1)[1]} + Redis {redis_url}"
        if args.real_catalog:
            env["HSC_ADMIN_TOKEN"] = ADMIN_TOKEN
        url = stack.enter_context(serve(env, args.workers))
        if args.real_catalog:
            print(import_real_catalog(url, data_dir(args.data)))
        yield url, mode


def import_real_catalog(url: str, folder: Path) -> str:
    """Post the shared catalogs (91 brand files, 4,773-product JSON Lines) to the admin route."""
    files = [(p, "json") for p in sorted((folder / "catalogs-v3").glob("*.json"))]
    files.append((folder / "halilit-catalog.jsonl", "jsonl"))
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(base_url=url, timeout=300, headers=headers) as client:
        for path, kind in files:
            response = client.post(
                "/api/admin/catalog/import",
                params={"format": kind, "name": path.name},
                content=path.read_bytes(),
            )
            if response.status_code != 200:
                raise RuntimeError(
                    f"importing {path.name}: {response.status_code} {response.text[:300]}"
                )
        products = len(
            client.get("/api/predict", params={"q": "", "limit": 50}).json()["predictions"]
        )
    return f"imported {len(files)} catalog files from {folder} (sample of {products} products)"


# ---------------------------------------------------------------------------------------------
# Running Locust


def run_locust(args: argparse.Namespace, url: str, samples: Path, log: Path) -> int:
    env = {
        **os.environ,
        "HSC_LOAD_HOST": url,
        "HSC_LOAD_SAMPLES": str(samples),
        "HSC_LOAD_HTTP_USERS": str(args.http_users),
        "PYTHONUNBUFFERED": "1",
    }
    if args.products_file:
        env["HSC_LOAD_PRODUCTS_FILE"] = str(args.products_file)
    classes = ["WebSocketUser"] + (["HttpApiUser"] if args.http_users else [])
    command = [
        *(sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"),
        *("--host", url, "--users", str(args.users + args.http_users)),
        *("--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.seconds}s"),
        *("--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING"),
        *classes,
    ]
    with log.open("w") as output:
        process = subprocess.run(
            command, env=env, cwd=REPO, stdout=output, stderr=subprocess.STDOUT
        )
    return process.returncode


def scrape(url: str) -> dict[str, dict[str, float]]:
    try:
        text = httpx.get(f"{url}/metrics", timeout=10).text
        return cache_counts(parse_exposition(text))
    except (httpx.HTTPError, ValueError):
        return {}


# ---------------------------------------------------------------------------------------------
# The chart


def draw_chart(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = report["timeline"]
    server = report["server"].get("samples", [])
    start = report["run"]["started_epoch"]
    figure, axes = plt.subplots(3, 1, figsize=(11, 10), sharex=True)
    latency, throughput, process = axes
    for name in CHART_NAMES:
        points = [(r["t"], r["latency"][name]) for r in rows if name in r["latency"]]
        if not points:
            continue
        xs = [t for t, _ in points]
        (line,) = latency.plot(xs, [p["p95_ms"] for _, p in points], label=f"{name} p95")
        latency.plot(
            xs,
            [p["p50_ms"] for _, p in points],
            linestyle=":",
            color=line.get_color(),
            label=f"{name} p50",
        )
    latency.set_yscale("log")
    latency.set_ylabel("latency (ms, log)")
    latency.set_title(
        f"HSC-JIT load: {report['run']['users']} WebSocket + "
        f"{report['run']['http_users']} HTTP users, {report['run']['mode']}"
    )
    latency.legend(fontsize=7, ncol=2, loc="upper left")
    latency.grid(True, which="both", alpha=0.3)

    xs = [r["t"] for r in rows]
    throughput.plot(xs, [r["requests_per_s"] for r in rows], label="requests/s")
    throughput.plot(xs, [r["failures_per_s"] for r in rows], color="red", label="failures/s")
    typing = [r["latency"].get(TYPING, {}).get("count", 0) for r in rows]
    throughput.plot(xs, typing, color="green", alpha=0.6, label="predictions/s")
    throughput.set_ylabel("per second")
    throughput.legend(fontsize=7, loc="upper left")
    throughput.grid(True, alpha=0.3)

    if server:
        sx = [s["t"] - start for s in server]
        process.plot(sx, [s["cpu_percent"] for s in server], color="purple", label="server CPU %")
        process.plot(
            sx, [s["locust_cpu_percent"] for s in server], "--", color="gray", label="Locust CPU %"
        )
        process.plot(
            sx, [s["other_cpu_percent"] for s in server], ":", color="black", label="other CPU %"
        )
        process.set_ylabel("CPU % (one core = 100)")
        memory = process.twinx()
        memory.plot(sx, [s["rss_mib"] for s in server], color="orange", label="RSS MiB")
        memory.set_ylabel("server RSS (MiB)")
        lines = process.get_legend_handles_labels()
        more = memory.get_legend_handles_labels()
        process.legend(lines[0] + more[0], lines[1] + more[1], fontsize=7, loc="upper left")
    else:
        process.text(
            0.5, 0.5, "no server process sampled (--url)", ha="center", transform=process.transAxes
        )
    process.set_xlabel("seconds since the start of the run")
    process.grid(True, alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


# ---------------------------------------------------------------------------------------------
# The run


def build_report(
    args: argparse.Namespace,
    *,
    url: str,
    mode: str,
    started: float,
    ended: float,
    samples_path: Path,
    locust_exit: int,
    cache_before: dict[str, dict[str, float]],
    cache_after: dict[str, dict[str, float]],
    server_samples: list[dict[str, Any]],
    checklist: list[Any],
    thresholds: LoadTestConfig,
) -> dict[str, Any]:
    samples = read_samples(samples_path) if samples_path.exists() else []
    if samples:  # the load itself, without Locust's start-up
        started = min(s.t - s.ms / 1000 for s in samples)
        ended = max(s.t for s in samples)
    duration = max(ended - started, 1e-9)
    messages = summarise(samples, duration)
    total = totals(samples, duration)
    targets = evaluate_targets(
        messages,
        total,
        p95_typing_ms=thresholds.p95_typing_ms,
        max_error_rate=thresholds.max_error_rate,
        typing_users=args.users,
    )
    applicable = [r for r in checklist if r.applicable]
    checklist_passed = bool(applicable) and all(r.passed for r in applicable)
    return {
        "run": {
            "started_at": datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds"),
            "started_epoch": started,
            "duration_s": round(duration, 1),
            "users": args.users,
            "http_users": args.http_users,
            "seconds": args.seconds,
            "spawn_rate": args.spawn_rate,
            "workers": args.workers,
            "mode": mode,
            "url": url,
            "locust_exit_code": locust_exit,
            "cpu_cores": psutil.cpu_count(),
        },
        "targets": [t.as_dict() for t in targets],
        "messages": {name: m.as_dict() for name, m in messages.items()},
        "totals": total.as_dict(),
        "errors": top_errors(samples),
        "cache": cache_report(cache_before, cache_after) if cache_after else None,
        "server": server_summary(server_samples),
        "checklist": {
            "passed": checklist_passed,
            "items": [{**r.as_dict(), "line": r.line()} for r in checklist],
        },
        "timeline": timeline(samples, started, 1.0, CHART_NAMES),
        "passed": all(t.passed for t in targets) and checklist_passed,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=200, help="WebSocket users (default 200)")
    parser.add_argument("--seconds", type=int, default=60, help="run time (default 60)")
    parser.add_argument("--services", action="store_true", help="PostgreSQL + Redis on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--url", help="test a running server instead of starting one")
    parser.add_argument(
        "--data", help="shared data folder (default: $HSC_SHARED_DATA or ../shared/data)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    typing = parser.add_argument_group("typing against the floor (the default)")
    typing.add_argument("--phase-seconds", type=float, default=10, help="one turn (default 10)")
    typing.add_argument(
        "--warmup-seconds", type=float, default=5, help="each target's unmeasured start (default 5)"
    )
    typing.add_argument(
        "--zipf",
        type=float,
        default=1.0,
        help="popularity of the names typed: rank r is typed in proportion to 1/r**ZIPF "
        "(default 1; 0: every name alike)",
    )
    typing.add_argument(
        "--floor-work-ms",
        type=float,
        default=0.0,
        help="CPU the floor spends on each frame before answering (default 0: a bare socket); "
        "shows what answering later costs the write alone",
    )
    typing.add_argument("--demo-catalog", action="store_true", help="even when the data is there")
    typing.add_argument("--json", type=Path, help="where to write the figures")
    mix = parser.add_argument_group("the full mix with Locust (--locust)")
    mix.add_argument("--locust", action="store_true", help="run the Locust suite instead")
    mix.add_argument(
        "--http-users", type=int, default=10, help="HTTP API users on top (default 10)"
    )
    mix.add_argument("--spawn-rate", type=float, default=50, help="users started per second")
    mix.add_argument("--real-catalog", action="store_true", help="import the shared data first")
    mix.add_argument("--products-file", type=Path, help="type names from this catalog too")
    mix.add_argument("--memory-limit", type=int, help="bytes, for the checklist's memory item")
    args = parser.parse_args(argv)
    if args.users < 1 or args.http_users < 0 or args.seconds < 1 or args.spawn_rate <= 0:
        parser.error("--users and --seconds must be at least 1, --spawn-rate above 0")
    if args.phase_seconds <= 0 or args.warmup_seconds < 0:
        parser.error("--phase-seconds must be above 0, --warmup-seconds at least 0")
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return run_locust_mix(args, stamp) if args.locust else run_typing(args, stamp)


# ---------------------------------------------------------------------------------------------
# Typing against the floor

# The targets: CPU per frame, and latency as a multiple of the floor's in the same run.
TARGET_CPU_MS = 0.40
TARGET_P95_RATIO = 2.0
TARGET_P99_RATIO = 2.5


def run_typing(args: argparse.Namespace, stamp: str) -> int:
    config = LoadTestConfig.from_env()  # keystroke gaps, debounce, typos, questions, limit
    folder = data_dir(args.data)
    args.real_catalog = not args.demo_catalog and (folder / "catalogs-v3").is_dir()
    if args.real_catalog:
        names = [entry.name for entry in load_catalog(folder)]
        catalog = f"the real catalog ({len(names)} names typed)"
    else:
        names = list(config.products)
        reason = "--demo-catalog" if args.demo_catalog else f"no shared data at {folder}"
        catalog = f"the demo catalog ({reason}; {len(names)} names typed)"
    print(f"catalog: {catalog}")
    weights = zipf_weights(len(names), args.zipf, random.Random(config.seed or 0))
    with started_server(args) as (url, mode):
        data = asyncio.run(median_full_data(ws_endpoint(url), names, config.prediction_limit))
        floor_port = free_port()
        with floor_server(data, floor_port, args.floor_work_ms / 1000) as floor:
            floor_process = psutil.Process(floor.pid)
            targets = [
                Target("project", ws_endpoint(url), None if args.url else server_processes),
                Target("floor", f"ws://127.0.0.1:{floor_port}/", lambda: [floor_process]),
            ]
            plan = Plan(args.seconds, args.phase_seconds, args.warmup_seconds, len(targets))
            print(
                f"server {url} ({mode}) and the floor on port {floor_port}: {args.users} users, "
                f"{args.warmup_seconds:g} s warm-up each, then {args.seconds} s in turns of "
                f"{args.phase_seconds:g} s"
                + (
                    f"; the floor spends {args.floor_work_ms:g} ms a frame"
                    if args.floor_work_ms
                    else ""
                )
            )
            cache_before = scrape(url)
            run = Run(targets, plan, config, names, weights, args.users, config.seed or 0)
            asyncio.run(run.execute())
            cache_after = scrape(url)
    report = {
        "run": {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "users": args.users,
            "seconds": args.seconds,
            "phase_seconds": args.phase_seconds,
            "warmup_seconds": args.warmup_seconds,
            "zipf": args.zipf,
            "catalog": catalog,
            "mode": mode,
            "workers": args.workers,
            "prediction_limit": config.prediction_limit,
            "floor_data_bytes": len(data),
            "floor_work_ms": args.floor_work_ms,
        },
        **run.summary(),
        "cache": cache_report(cache_before, cache_after) if cache_after else None,
    }
    report["targets_met"] = typing_targets(report)
    path = args.json or args.out / f"load-typing-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_typing(report)
    print(f"\nreport: {path}")
    return 0 if all(t["passed"] for t in report["targets_met"]) else 1


def ws_endpoint(url: str) -> str:
    return url.replace("http", "ws", 1) + "/ws"


def zipf_weights(count: int, exponent: float, rng: random.Random) -> list[float]:
    """A weight per name: shuffled ranks, rank r weighing 1/r**exponent."""
    ranks = list(range(1, count + 1))
    rng.shuffle(ranks)
    return [rank**-exponent for rank in ranks]


async def median_full_data(ws_url: str, names: Sequence[str], limit: int) -> bytes:
    """The ``data`` of the project's median-sized full prediction frame for whole names."""
    sizes: list[tuple[int, bytes]] = []
    async with websockets_connect(ws_url, max_size=None) as ws:
        for seq, name in enumerate(random.Random(1).sample(list(names), min(100, len(names)))):
            await ws.send(orjson.dumps({"type": "typing", "content": name, "seq": seq}).decode())
            frame = orjson.loads(await ws.recv())
            if len(frame["data"]) == limit:
                data = orjson.dumps(frame["data"])
                sizes.append((len(data), data))
    if not sizes:
        raise RuntimeError(f"no name typed predicted {limit} products: nothing to size the floor")
    return sorted(sizes)[len(sizes) // 2][1]


def typing_targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    project, floor = report["targets"]["project"], report["targets"]["floor"]
    results = [
        {
            "name": "no errors or timeouts",
            "value": project["errors"] + project["timeouts"],
            "passed": project["errors"] + project["timeouts"] == 0,
        }
    ]
    if project["cpu_ms_per_frame"] is not None:
        results.append(
            {
                "name": f"server CPU per frame <= {TARGET_CPU_MS} ms",
                "value": project["cpu_ms_per_frame"],
                "passed": project["cpu_ms_per_frame"] <= TARGET_CPU_MS,
            }
        )
    if report["run"].get("floor_work_ms"):
        return results  # a floor made to work is no floor: its ratios are no targets
    for key, limit in (("p95_ms", TARGET_P95_RATIO), ("p99_ms", TARGET_P99_RATIO)):
        ratio = _ratio(project[key], floor[key])
        results.append(
            {
                "name": f"{key[:3]} <= {limit} x the floor's",
                "value": ratio,
                "passed": ratio is not None and ratio <= limit,
            }
        )
    return results


def _ratio(value: float | None, floor: float | None) -> float | None:
    return None if value is None or not floor else round(value / floor, 2)


def print_typing(report: dict[str, Any]) -> None:
    project, floor = report["targets"]["project"], report["targets"]["floor"]
    print(f"\n{'typing→prediction':<26} {'project':>10} {'floor':>10} {'ratio':>7}")
    for key, label in (
        ("frames", "frames answered"),
        ("frames_per_s", "frames/s in its turns"),
        ("p50_ms", "p50 ms"),
        ("p95_ms", "p95 ms"),
        ("p99_ms", "p99 ms"),
        ("max_ms", "max ms"),
        ("cpu_ms_per_frame", "server CPU ms per frame"),
        ("mean_frame_bytes", "mean frame bytes"),
        ("mean_frame_bytes_full", "mean bytes, full frames"),
        ("errors", "errors"),
        ("timeouts", "timeouts"),
    ):
        ratio = _ratio(project[key], floor[key])
        print(
            f"{label:<26} {_figure(project[key]):>10} {_figure(floor[key]):>10} "
            f"{'' if ratio is None else f'{ratio:.2f}x':>7}"
        )
    generator, machine = report["generator"], report["machine"]
    print(
        f"generator CPU {generator['cpu_ms_per_frame']} ms per frame ({generator['cores']} cores); "
        f"machine: {machine['cores']} cores, {machine['busy_cores']} busy on average, "
        f"{machine['others_cores']} by other processes; load average (1 min) "
        + " -> ".join(str(load) for load in machine["load_average_1m"])
    )
    cache = report["cache"]
    if cache:
        predict = cache["run"]["by_cache"].get("predict/l1", {}).get("hit_rate")
        print(f"prediction cache hit rate over the run (warm-up included): {_figure(predict)}")
    for target in report["targets_met"]:
        print(
            f"target {'PASS' if target['passed'] else 'FAIL'}  {target['name']}: {target['value']}"
        )


def _figure(value: Any) -> str:
    return "-" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# The full mix with Locust


def run_locust_mix(args: argparse.Namespace, stamp: str) -> int:
    thresholds = LoadTestConfig.from_env()  # HSC_LOAD_P95_TYPING_MS, HSC_LOAD_MAX_ERROR_RATE
    base = args.out / f"load-{stamp}"
    samples_path = Path(f"{base}-samples.csv")
    log_path = Path(f"{base}-locust.log")

    with started_server(args) as (url, mode):
        print(
            f"server {url} ({mode}); {args.users} WebSocket + {args.http_users} HTTP users, "
            f"{args.seconds} s"
        )
        cache_before = scrape(url)
        sampler = ProcessSampler(1.0, f"{url}/metrics")
        started = time.time()
        with sampler:
            locust_exit = run_locust(args, url, samples_path, log_path)
        ended = time.time()
        cache_after = scrape(url)
        checklist = asyncio.run(fetch_and_check(url, args.memory_limit))

    report = build_report(
        args,
        url=url,
        mode=mode,
        started=started,
        ended=ended,
        samples_path=samples_path,
        locust_exit=locust_exit,
        cache_before=cache_before,
        cache_after=cache_after,
        server_samples=sampler.samples,
        checklist=checklist,
        thresholds=thresholds,
    )
    report["chart"] = f"{base.name}.png"
    draw_chart(report, Path(f"{base}.png"))
    Path(f"{base}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    Path(f"{base}.md").write_text(render_markdown(report))
    print_summary(report)
    print(f"\nreport: {base}.md  {base}.json  {base}.png")
    return 0 if report["passed"] else 1


def print_summary(report: dict[str, Any]) -> None:
    print(f"\n{'name':<28} {'count':>7} {'fail':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for m in report["messages"].values():
        figures = [
            m[k] if m[k] is not None else float("nan") for k in ("p50_ms", "p95_ms", "p99_ms")
        ]
        print(
            f"{m['name']:<28} {m['count']:>7} {m['failures']:>5} "
            + " ".join(f"{v:>8.2f}" for v in figures)
        )
    total = report["totals"]
    print(f"throughput {total['per_s']:.1f}/s, error rate {total['error_rate'] * 100:.3f} %")
    cache = report["cache"]
    if cache:
        rate = cache["run"]["hit_rate"]
        print(f"cache hit rate over the run: {'-' if rate is None else f'{rate * 100:.1f} %'}")
    server = report["server"]
    if server.get("samples"):
        print(
            f"server CPU mean {server['cpu_percent_mean']:.0f} % "
            f"max {server['cpu_percent_max']:.0f} %, RSS max {server['rss_mib_max']:.0f} MiB; "
            f"Locust CPU mean {server['locust_cpu_percent_mean']:.0f} %, "
            f"other processes {server['other_cpu_percent_mean']:.0f} % "
            f"(of {100 * (psutil.cpu_count() or 1)} %)"
        )
    for target in report["targets"]:
        print(
            f"target {'PASS' if target['passed'] else 'FAIL'}  {target['name']}: "
            f"{target['value']} ({target['detail']})"
        )
    print("checklist:")
    for item in report["checklist"]["items"]:
        print("  " + item["line"])


if __name__ == "__main__":
    raise SystemExit(main())
