"""Locust event hooks: record every request sample, and fail the run on missed thresholds.

With ``HSC_LOAD_SAMPLES`` set, each request becomes one CSV row (see loadtest/samples.py).
When Locust quits, the exit code is 1 if the p95 of ``typing→prediction`` or the error rate
misses its threshold (``HSC_LOAD_P95_TYPING_MS``, ``HSC_LOAD_MAX_ERROR_RATE``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from locust import events
from locust.env import Environment

from loadtest.config import get_config
from loadtest.report import TYPING, percentile
from loadtest.samples import Sample, SampleWriter

log = logging.getLogger("loadtest")


class _Recorder:
    def __init__(self) -> None:
        self.writer: SampleWriter | None = None
        self.typing_ms: list[float] = []
        self.requests = 0
        self.failures = 0

    def on_request(
        self,
        request_type: str,
        name: str,
        response_time: float,
        response_length: int,
        exception: BaseException | None = None,
        context: dict[str, Any] | None = None,
        **_: Any,
    ) -> None:
        self.requests += 1
        if exception is not None:
            self.failures += 1
        elif name == TYPING:
            self.typing_ms.append(response_time)
        if self.writer is not None:
            self.writer.write(
                Sample(
                    t=time.time(),
                    type=request_type,
                    name=name,
                    ms=float(response_time or 0.0),
                    bytes=int(response_length or 0),
                    ok=exception is None,
                    tag=str((context or {}).get("tag", "")),
                    error="" if exception is None else f"{type(exception).__name__}: {exception}",
                )
            )

    def on_test_start(self, environment: Environment, **_: Any) -> None:
        path = get_config().samples_path
        if path is not None and self.writer is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = SampleWriter(path)

    def on_test_stop(self, environment: Environment, **_: Any) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def on_quitting(self, environment: Environment, **_: Any) -> None:
        config = get_config()
        problems = []
        p95 = percentile(self.typing_ms, 0.95)
        if self.typing_ms and not p95 < config.p95_typing_ms:
            problems.append(f"p95 {TYPING} {p95:.2f} ms >= {config.p95_typing_ms:g} ms")
        rate = self.failures / self.requests if self.requests else 0.0
        if rate > config.max_error_rate:
            problems.append(f"error rate {rate:.4%} > {config.max_error_rate:.4%}")
        if problems:
            log.error("thresholds missed: %s", "; ".join(problems))
            environment.process_exit_code = 1
        elif self.typing_ms:
            log.info("thresholds met: p95 %s %.2f ms, error rate %.4f%%", TYPING, p95, rate * 100)


_recorder = _Recorder()
_installed = False


def install() -> None:
    """Register the hooks once per process."""
    global _installed
    if _installed:
        return
    _installed = True
    events.request.add_listener(_recorder.on_request)  # type: ignore[no-untyped-call]
    events.test_start.add_listener(_recorder.on_test_start)  # type: ignore[no-untyped-call]
    events.test_stop.add_listener(_recorder.on_test_stop)  # type: ignore[no-untyped-call]
    events.quitting.add_listener(_recorder.on_quitting)  # type: ignore[no-untyped-call]
