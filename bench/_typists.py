"""Simulated customers typing into the chat box, against the project and its floor in turns.

One asyncio process runs every user. Each user holds one socket to every target and types
product names key by key (``loadtest.keystrokes``: human gaps, lower case or not, typos, the
app's debounce), sometimes followed by a question as v3's single box invites, then thinks for a
while. The run is cut into phases of a few seconds: in each phase every user types to one
target only, and the targets take turns, so both see the same load on the same machine within
seconds of each other. A user in the middle of a name when its phase ends drops it (after its
answers arrive) and starts another in the next target's phase.

At each phase boundary the CPU time of every target's processes, of this process and of the
whole machine is read; a target's CPU per frame is its CPU over its own phases divided by the
frames it answered in them, which other jobs on the machine do not inflate.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import psutil
from loadtest.config import LoadTestConfig
from loadtest.keystrokes import as_typed, debounced, keystrokes
from loadtest.report import percentile
from websockets.asyncio.client import ClientConnection, connect

Processes = Callable[[], list[psutil.Process]]
# The machine's busy time (Linux counts guest time inside user time; steal is not ours).
_BUSY = ("user", "nice", "system", "irq", "softirq")


@dataclass(frozen=True)
class Target:
    name: str
    ws_url: str
    processes: Processes | None  # whose CPU is the target's; None: not measurable (--url)


@dataclass(frozen=True)
class Plan:
    """``warmup_s`` of each target first (not measured), then turns of ``phase_s``."""

    seconds: float
    phase_s: float
    warmup_s: float
    targets: int

    @property
    def measured_from(self) -> float:
        return self.warmup_s * self.targets

    @property
    def total_s(self) -> float:
        return self.measured_from + self.seconds

    def boundaries(self) -> list[float]:
        """Every phase's start, and the end of the run."""
        starts = [self.warmup_s * i for i in range(self.targets)]
        at = self.measured_from
        while at < self.total_s - 1e-9:
            starts.append(at)
            at += self.phase_s
        return [*starts, self.total_s]

    def phase_at(self, elapsed: float) -> int:
        """The phase number at ``elapsed`` seconds into the run."""
        if elapsed < self.measured_from:
            return int(elapsed // self.warmup_s) if self.warmup_s > 0 else 0
        return self.targets + int((elapsed - self.measured_from) // self.phase_s)

    def target_of(self, phase: int) -> int:
        return phase % self.targets

    def measured(self, phase: int) -> bool:
        return phase >= self.targets


@dataclass(slots=True)
class Reply:
    phase: int
    ms: float
    bytes: int
    items: int


@dataclass
class TargetRecord:
    replies: list[Reply] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0


def _cpu_seconds(processes: Sequence[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue  # gone since it was listed
        total += times.user + times.system
    return total


class Run:
    """One run of ``users`` typists over ``targets`` as ``plan`` says."""

    def __init__(
        self,
        targets: Sequence[Target],
        plan: Plan,
        config: LoadTestConfig,
        names: Sequence[str],
        weights: Sequence[float],
        users: int,
        seed: int,
    ) -> None:
        self.targets = list(targets)
        self.plan = plan
        self.config = config
        self.names = list(names)
        self.weights = list(weights)
        self.users = users
        self.seed = seed
        self.records = [TargetRecord() for _ in targets]
        # Cumulative CPU seconds at each phase boundary: each target's processes (None when
        # they cannot be read), then this process, then the whole machine.
        self.readings: list[list[float | None]] = []
        self.load_average: list[tuple[float, float, float]] = []
        self._started = 0.0
        self._me = psutil.Process()

    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def phase(self) -> int:
        return self.plan.phase_at(self.elapsed())

    async def execute(self) -> None:
        sockets = await asyncio.gather(*(self._open(number) for number in range(self.users)))
        self.load_average.append(psutil.getloadavg())
        self._started = time.perf_counter()
        users = [
            asyncio.create_task(Typist(self, number, sockets[number]).run())
            for number in range(self.users)
        ]
        try:
            await self._read_cpu_at_boundaries()
        finally:
            for task in users:
                task.cancel()
            await asyncio.gather(*users, return_exceptions=True)
            await asyncio.gather(*(ws.close() for connections in sockets for ws in connections))
        self.load_average.append(psutil.getloadavg())

    async def _open(self, number: int) -> list[ClientConnection]:
        return [
            await connect(
                f"{target.ws_url}?client_id=typist-{number}",
                max_size=None,
                # Unbounded: with a bound, frames nobody reads once the run ends would stop
                # the reading, and with it the closing handshake.
                max_queue=None,
                compression=None,
            )
            for target in self.targets
        ]

    async def _read_cpu_at_boundaries(self) -> None:
        for boundary in self.plan.boundaries():
            await asyncio.sleep(max(0.0, boundary - self.elapsed()))
            self.readings.append(self._read_cpu())

    def _read_cpu(self) -> list[float | None]:
        times = psutil.cpu_times()
        return [
            *(None if t.processes is None else _cpu_seconds(t.processes()) for t in self.targets),
            _cpu_seconds([self._me]),
            sum(getattr(times, name, 0.0) for name in _BUSY),
        ]

    # ---- the figures -----------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Per target: latency percentiles, CPU per frame, frame sizes; the machine's share."""
        phases = list(range(len(self.readings) - 1))
        measured = [p for p in phases if self.plan.measured(p)]
        frames_total = 0
        result: dict[str, Any] = {"targets": {}}
        cpu_targets = 0.0
        for index, target in enumerate(self.targets):
            own = [p for p in measured if self.plan.target_of(p) == index]
            replies = [r for r in self.records[index].replies if r.phase in own]
            frames_total += len(replies)
            cpu = self._cpu_over(own, index)
            if cpu is not None:
                cpu_targets += cpu
            seconds = sum(self._duration(p) for p in own)
            result["targets"][target.name] = _target_figures(
                replies,
                self.records[index],
                cpu,
                seconds,
                self.config.prediction_limit,
            )
        generator = self._cpu_over(measured, len(self.targets)) or 0.0
        machine = self._cpu_over(measured, len(self.targets) + 1) or 0.0
        seconds = sum(self._duration(p) for p in measured)
        result["generator"] = {
            "cpu_s": round(generator, 3),
            "cores": round(generator / seconds, 3),
            "cpu_ms_per_frame": round(1000 * generator / frames_total, 4) if frames_total else None,
        }
        result["machine"] = {
            "cores": psutil.cpu_count(),
            "busy_cores": round(machine / seconds, 3),
            "others_cores": round(max(0.0, machine - generator - cpu_targets) / seconds, 3),
            "load_average_1m": [round(load[0], 2) for load in self.load_average],
        }
        return result

    def _duration(self, phase: int) -> float:
        boundaries = self.plan.boundaries()
        return boundaries[phase + 1] - boundaries[phase]

    def _cpu_over(self, phases: Sequence[int], column: int) -> float | None:
        """CPU seconds of one column of the readings over ``phases``."""
        total = 0.0
        for phase in phases:
            start, end = self.readings[phase][column], self.readings[phase + 1][column]
            if start is None or end is None:
                return None
            total += end - start
        return total


def _target_figures(
    replies: Sequence[Reply],
    record: TargetRecord,
    cpu_s: float | None,
    seconds: float,
    limit: int,
) -> dict[str, Any]:
    latencies = [r.ms for r in replies]
    full = [r.bytes for r in replies if r.items == limit]
    frames = len(replies)
    return {
        "frames": frames,
        "frames_per_s": round(frames / seconds, 1) if seconds else None,
        "errors": record.errors,
        "timeouts": record.timeouts,
        "p50_ms": _round(percentile(latencies, 0.50)),
        "p95_ms": _round(percentile(latencies, 0.95)),
        "p99_ms": _round(percentile(latencies, 0.99)),
        "max_ms": _round(max(latencies, default=math.nan)),
        "cpu_s": None if cpu_s is None else round(cpu_s, 3),
        "cpu_ms_per_frame": None
        if cpu_s is None or not frames
        else round(1000 * cpu_s / frames, 4),
        "mean_frame_bytes": round(sum(r.bytes for r in replies) / frames) if frames else None,
        "mean_frame_bytes_full": round(sum(full) / len(full)) if full else None,
    }


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 3)


class Typist:
    """One customer: types a name (and maybe a question), waits for the answers, thinks."""

    def __init__(self, run: Run, number: int, sockets: Sequence[ClientConnection]) -> None:
        self.run_ = run
        self.sockets = sockets
        config = run.config
        self.rng = random.Random(run.seed * 100_003 + number)
        self.gap_ms = self.rng.uniform(config.key_gap_min_ms, config.key_gap_max_ms)
        self.seq = 0
        self.pending: dict[int, tuple[float, int]] = {}  # seq -> (sent at, phase)
        self.drained = asyncio.Event()
        self.drained.set()

    async def run(self) -> None:
        readers = [
            asyncio.create_task(self._read(index, ws)) for index, ws in enumerate(self.sockets)
        ]
        config = self.run_.config
        try:
            # Users arrive over the first think time rather than all at once.
            await asyncio.sleep(self.rng.uniform(0, config.wait_max_s))
            while True:
                await self._type(self._text())
                await asyncio.sleep(self.rng.uniform(config.wait_min_s, config.wait_max_s))
        finally:
            for reader in readers:
                reader.cancel()

    def _text(self) -> str:
        config, rng = self.run_.config, self.rng
        name = rng.choices(self.run_.names, self.run_.weights)[0]
        typed = as_typed(name, rng, config.misspell_rate)
        asks = config.query_weight / max(1, config.typing_weight + config.query_weight)
        if config.type_question and rng.random() < asks:
            question = rng.choice(config.questions)
            typed = f"{typed} {question[0].lower()}{question[1:]}"
        return typed

    async def _type(self, text: str) -> None:
        run, config = self.run_, self.run_.config
        phase = run.phase()
        target = run.plan.target_of(phase)
        started = time.perf_counter()
        keys = keystrokes(text, self.rng, median_gap_ms=self.gap_ms)
        for key in debounced(keys, config.debounce_ms):
            delay = started + key.at_ms / 1000 - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if run.plan.target_of(run.phase()) != target:
                break  # the other target's turn: this name is dropped
            self.seq += 1
            frame = {
                "type": "typing",
                "content": key.text,
                "seq": self.seq,
                "limit": config.prediction_limit,
            }
            self.pending[self.seq] = (time.perf_counter(), run.phase())
            self.drained.clear()
            await self.sockets[target].send(orjson.dumps(frame).decode())
        try:
            # Not asyncio.wait_for: on Python 3.11 it can swallow the cancel that ends the run.
            async with asyncio.timeout(config.prediction_timeout_s):
                await self.drained.wait()
        except TimeoutError:
            run.records[target].timeouts += len(self.pending)
            self.pending.clear()
            self.drained.set()

    async def _read(self, index: int, ws: ClientConnection) -> None:
        record = self.run_.records[index]
        async for raw in ws:
            arrived = time.perf_counter()
            frame = orjson.loads(raw)
            sent = self.pending.pop(frame.get("seq"), None)
            if sent is None:
                continue  # late: already counted as a timeout
            if frame.get("type") == "prediction":
                size = len(raw) if isinstance(raw, bytes) else len(raw.encode())
                ms = (arrived - sent[0]) * 1000
                record.replies.append(Reply(sent[1], ms, size, len(frame["data"])))
            else:
                record.errors += 1
            if not self.pending:
                self.drained.set()
