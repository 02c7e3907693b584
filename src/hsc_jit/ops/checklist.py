"""The v3 performance guide's "Before Going to Production" checklist, measured from /metrics.

``evaluate`` is pure: it takes a Prometheus text exposition (what ``GET /metrics`` returns) and
returns one :class:`CheckResult` per checklist item the exposition can answer:

* cache hit rate > 60 %          hits in any layer / lookups (every lookup starts in L1, so the
                                 lookups are L1's hits and misses: an L2 hit is not also a miss)
* P95 prediction latency < 200 ms  prediction_latency_seconds buckets, all label sets summed
* P95 answer (LLM) latency < 10 s  answer_generation_seconds buckets, all providers summed
* error rate < 0.1 %             http_requests_total with a 5xx status / all http_requests_total
* memory < 80 % of the limit     process_resident_memory_bytes / the memory limit

Counters and histograms are cumulative, so the figures cover everything since the process (or,
under gunicorn, the metrics folder) started - not a 5-minute window as on the dashboard.
Quantiles are estimated as PromQL's ``histogram_quantile`` does: linear interpolation inside
the bucket that holds the rank.

An item with no data (no cache lookups, no predictions yet) fails: the checklist cannot vouch
for it. Memory is *not applicable* when no limit is known, or when the exposition has no
``process_resident_memory_bytes`` (prometheus-client's multiprocess mode, used under
gunicorn, exports no process metrics).

``fetch_and_check`` fetches ``<url>/metrics`` with httpx and evaluates it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import httpx
from prometheus_client.parser import text_string_to_metric_families

__all__ = [
    "ANSWER_P95_MAX_S",
    "CACHE_HIT_RATE_MIN",
    "ERROR_RATE_MAX",
    "MEMORY_FRACTION_MAX",
    "PREDICTION_P95_MAX_S",
    "CheckResult",
    "Samples",
    "cgroup_memory_limit",
    "evaluate",
    "fetch_and_check",
    "histogram_quantile",
    "parse_exposition",
]

# The guide's "Before Going to Production" thresholds.
CACHE_HIT_RATE_MIN = 0.60
PREDICTION_P95_MAX_S = 0.200
ANSWER_P95_MAX_S = 10.0
ERROR_RATE_MAX = 0.001
MEMORY_FRACTION_MAX = 0.80

_CGROUP_V2_LIMIT = Path("/sys/fs/cgroup/memory.max")
_CGROUP_V1_LIMIT = Path("/sys/fs/cgroup/memory/memory.limit_in_bytes")
# cgroup v1 reports "no limit" as a huge page-aligned number (about 2**63).
_CGROUP_V1_UNLIMITED = 1 << 60

Unit = Literal["ratio", "seconds", "bytes"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One checklist item: what was measured, against what, and whether it passed."""

    name: str
    passed: bool
    value: float | None
    threshold: float | None
    comparison: Literal["<", ">"]
    unit: Unit
    applicable: bool = True
    detail: str = ""

    @property
    def status(self) -> str:
        if not self.applicable:
            return "N/A"
        return "PASS" if self.passed else "FAIL"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["status"] = self.status
        return data

    def line(self) -> str:
        """One human-readable line, e.g. ``PASS  P95 prediction latency  12.0 ms (< 200.0 ms)``."""
        measured = "-" if self.value is None else _format(self.value, self.unit)
        text = f"{self.status:<4}  {self.name:<24} {measured:>10}"
        if self.threshold is not None:
            text += f"  ({self.comparison} {_format(self.threshold, self.unit)})"
        return f"{text}  {self.detail}" if self.detail else text


def _format(value: float, unit: Unit) -> str:
    if math.isnan(value):
        return "NaN"
    if unit == "ratio":
        return f"{value * 100:.2f}%" if value < 0.01 else f"{value * 100:.1f}%"
    if unit == "seconds":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value / (1024 * 1024):.0f} MiB"


# --------------------------------------------------------------------------------------------
# Parsing


@dataclass(frozen=True, slots=True)
class Samples:
    """Every sample of an exposition: (sample name, labels, value)."""

    rows: tuple[tuple[str, Mapping[str, str], float], ...]

    def named(self, name: str) -> Iterable[tuple[Mapping[str, str], float]]:
        return ((labels, value) for sample, labels, value in self.rows if sample == name)

    def has(self, name: str) -> bool:
        return any(sample == name for sample, _, _ in self.rows)

    def total(self, name: str) -> float:
        return math.fsum(value for _, value in self.named(name))


def parse_exposition(text: str) -> Samples:
    """Parse a Prometheus text exposition; a malformed one raises ``ValueError``."""
    rows: list[tuple[str, Mapping[str, str], float]] = []
    try:
        for family in text_string_to_metric_families(text):
            rows.extend((s.name, dict(s.labels), float(s.value)) for s in family.samples)
    except Exception as exc:  # the parser raises assorted errors on malformed input
        raise ValueError(f"not a Prometheus text exposition: {exc}") from exc
    return Samples(tuple(rows))


# --------------------------------------------------------------------------------------------
# Quantiles


def histogram_quantile(q: float, buckets: Mapping[float, float]) -> float:
    """PromQL's ``histogram_quantile`` over cumulative bucket counts ``{upper bound: count}``.

    Linear interpolation within the bucket holding rank ``q * total``; the lowest bucket
    starts at 0 (if its bound is positive); a rank in the +Inf bucket returns the highest
    finite bound. NaN when there are no observations or no +Inf bucket.
    """
    if math.isnan(q):
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    bounds = sorted(buckets)
    if len(bounds) < 2 or not math.isinf(bounds[-1]):
        return math.nan
    # Cumulative counts should never decrease; smooth over scrape races as Prometheus does.
    counts: list[float] = []
    for bound in bounds:
        counts.append(max(buckets[bound], counts[-1] if counts else 0.0))
    total = counts[-1]
    if total <= 0:
        return math.nan
    rank = q * total
    index = next(i for i, count in enumerate(counts) if count >= rank)
    if index == len(bounds) - 1:
        return bounds[-2]
    if index == 0 and bounds[0] <= 0:
        return bounds[0]
    lower = 0.0 if index == 0 else bounds[index - 1]
    below = 0.0 if index == 0 else counts[index - 1]
    upper = bounds[index]
    in_bucket = counts[index] - below
    if in_bucket <= 0:
        return upper
    return lower + (upper - lower) * (rank - below) / in_bucket


def _summed_buckets(samples: Samples, histogram: str) -> dict[float, float]:
    """``sum by (le)`` over every label set of one histogram."""
    buckets: dict[float, float] = {}
    for labels, value in samples.named(f"{histogram}_bucket"):
        le = labels.get("le")
        if le is None:
            continue
        bound = float(le)  # "+Inf" parses to inf
        buckets[bound] = buckets.get(bound, 0.0) + value
    return buckets


# --------------------------------------------------------------------------------------------
# Checks


def _check_cache_hit_rate(samples: Samples) -> CheckResult:
    hits = samples.total("cache_hits_total")
    lookups = sum(
        value
        for name in ("cache_hits_total", "cache_misses_total")
        for labels, value in samples.named(name)
        if labels.get("layer", "l1") == "l1"
    )
    if lookups <= 0:
        return CheckResult(
            "cache hit rate",
            False,
            None,
            CACHE_HIT_RATE_MIN,
            ">",
            "ratio",
            detail="no cache lookups recorded yet: put production-like traffic through first",
        )
    rate = hits / lookups
    return CheckResult(
        "cache hit rate",
        rate > CACHE_HIT_RATE_MIN,
        rate,
        CACHE_HIT_RATE_MIN,
        ">",
        "ratio",
        detail=f"{hits:.0f} hits / {lookups:.0f} lookups",
    )


def _check_p95(samples: Samples, name: str, histogram: str, limit: float) -> CheckResult:
    buckets = _summed_buckets(samples, histogram)
    observations = max(buckets.values(), default=0.0)
    if observations <= 0:
        return CheckResult(
            name,
            False,
            None,
            limit,
            "<",
            "seconds",
            detail=f"no {histogram} observations yet",
        )
    p95 = histogram_quantile(0.95, buckets)
    if math.isnan(p95):
        return CheckResult(
            name, False, None, limit, "<", "seconds", detail=f"{histogram} has no +Inf bucket"
        )
    return CheckResult(
        name, p95 < limit, p95, limit, "<", "seconds", detail=f"{observations:.0f} observations"
    )


def _check_error_rate(samples: Samples) -> CheckResult:
    total = 0.0
    errors = 0.0
    for labels, value in samples.named("http_requests_total"):
        total += value
        if labels.get("status", "").startswith("5"):
            errors += value
    if total <= 0:
        return CheckResult(
            "error rate",
            False,
            None,
            ERROR_RATE_MAX,
            "<",
            "ratio",
            detail="no HTTP requests recorded yet",
        )
    rate = errors / total
    return CheckResult(
        "error rate",
        rate < ERROR_RATE_MAX,
        rate,
        ERROR_RATE_MAX,
        "<",
        "ratio",
        detail=f"{errors:.0f} 5xx of {total:.0f} requests",
    )


def _check_memory(samples: Samples, memory_limit: int | None) -> CheckResult:
    name = "memory vs limit"
    if not samples.has("process_resident_memory_bytes"):
        return CheckResult(
            name,
            False,
            None,
            MEMORY_FRACTION_MAX,
            "<",
            "ratio",
            applicable=False,
            detail="no process_resident_memory_bytes in the exposition (multiprocess mode "
            "exports no process metrics): check `kubectl top pod` instead",
        )
    rss = samples.total("process_resident_memory_bytes")
    source = "given"
    if memory_limit is None:
        memory_limit = cgroup_memory_limit()
        source = "cgroup of this process"
    if memory_limit is None or memory_limit <= 0:
        return CheckResult(
            name,
            False,
            None,
            MEMORY_FRACTION_MAX,
            "<",
            "ratio",
            applicable=False,
            detail=f"no limit known (RSS {rss / 1048576:.0f} MiB): pass the pod's limit",
        )
    fraction = rss / memory_limit
    return CheckResult(
        name,
        fraction < MEMORY_FRACTION_MAX,
        fraction,
        MEMORY_FRACTION_MAX,
        "<",
        "ratio",
        detail=f"RSS {rss / 1048576:.0f} MiB of {memory_limit / 1048576:.0f} MiB ({source})",
    )


def cgroup_memory_limit(v2: Path = _CGROUP_V2_LIMIT, v1: Path = _CGROUP_V1_LIMIT) -> int | None:
    """This process's cgroup memory limit in bytes, or None when unlimited or unreadable.

    Only the right limit for the checked instance when the check runs inside its container.
    """
    for path, unlimited in ((v2, None), (v1, _CGROUP_V1_UNLIMITED)):
        try:
            raw = path.read_text().strip()
        except OSError:
            continue
        if not raw.isdigit():  # "max" (cgroup v2: no limit)
            return None
        value = int(raw)
        if unlimited is not None and value >= unlimited:
            return None
        return value
    return None


def evaluate(exposition: str, memory_limit: int | None = None) -> list[CheckResult]:
    """The checklist for one /metrics exposition (see the module docstring).

    ``memory_limit`` in bytes; when None, this process's cgroup limit is used if readable.
    Raises ``ValueError`` when ``exposition`` is not a Prometheus text exposition.
    """
    samples = parse_exposition(exposition)
    return [
        _check_cache_hit_rate(samples),
        _check_p95(
            samples, "P95 prediction latency", "prediction_latency_seconds", PREDICTION_P95_MAX_S
        ),
        _check_p95(samples, "P95 answer latency", "answer_generation_seconds", ANSWER_P95_MAX_S),
        _check_error_rate(samples),
        _check_memory(samples, memory_limit),
    ]


def _metrics_url(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/metrics") else f"{url}/metrics"


async def fetch_and_check(
    url: str,
    memory_limit: int | None = None,
    *,
    timeout_s: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[CheckResult]:
    """Fetch ``<url>/metrics`` and evaluate it.

    When the endpoint cannot be read, the result is a single failed "metrics endpoint" item
    saying why, so callers print it like any other result.
    """
    target = _metrics_url(url)
    try:
        async with httpx.AsyncClient(timeout=timeout_s, transport=transport) as client:
            response = await client.get(target, headers={"Accept": "text/plain"})
            response.raise_for_status()
        return evaluate(response.text, memory_limit)
    except (httpx.HTTPError, ValueError) as exc:
        return [
            CheckResult(
                "metrics endpoint",
                False,
                None,
                None,
                ">",
                "ratio",
                detail=f"{target}: {type(exc).__name__}: {exc}",
            )
        ]
