"""When Redis fails: count it, warn once, skip Redis for a while, then let one call try again."""

from __future__ import annotations

import time
from collections.abc import Callable

import structlog

from hsc_jit.observability.metrics import REDIS_ERRORS

log = structlog.get_logger(__name__)


class Breaker:
    """Closed while Redis answers; open for ``retry_after_s`` after a failure."""

    def __init__(self, retry_after_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._retry_after_s = retry_after_s
        self._clock = clock
        self._retry_at = 0.0
        self.degraded = False

    def allow(self) -> bool:
        """Whether to call Redis now; once per window a degraded breaker lets one call through."""
        if not self.degraded:
            return True
        now = self._clock()
        if now < self._retry_at:
            return False
        # This caller is the trial: everyone else keeps skipping Redis until it reports back.
        self._retry_at = now + self._retry_after_s
        return True

    def failed(self, operation: str, error: BaseException) -> None:
        REDIS_ERRORS.labels(operation=operation).inc()
        self._retry_at = self._clock() + self._retry_after_s
        if not self.degraded:
            self.degraded = True
            log.warning(
                "cache.redis_unavailable",
                operation=operation,
                error=type(error).__name__,
                detail=str(error),
                retry_after_s=self._retry_after_s,
            )

    def succeeded(self) -> None:
        if self.degraded:
            self.degraded = False
            log.info("cache.redis_recovered")
