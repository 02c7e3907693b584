"""hsc_jit.ops.checklist: the guide's before-production checklist from a /metrics text."""

from __future__ import annotations

import json
import math
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from hsc_jit.ops.checklist import (
    CheckResult,
    cgroup_memory_limit,
    evaluate,
    fetch_and_check,
    histogram_quantile,
)

MIB = 1024 * 1024
FAST = (0.005, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0)
SLOW = (0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0)


def exposition(
    *,
    hits: int = 80,
    misses: int = 20,
    prediction_s: float = 0.004,
    answer_s: float = 2.0,
    ok: int = 10_000,
    errors: int = 2,
    rss: int | None = 300 * MIB,
) -> str:
    """Real prometheus-client output (the app's metric names), with chosen figures."""
    registry = CollectorRegistry()
    cache_hits = Counter("cache_hits", "", ["layer", "cache"], registry=registry)
    cache_misses = Counter("cache_misses", "", ["layer", "cache"], registry=registry)
    # Half the hits in L2, each of them an L1 miss first: hit rate is hits / (hits + misses).
    l2_hits = hits - hits // 2
    cache_hits.labels("l1", "prediction").inc(hits // 2)
    cache_hits.labels("l2", "answer").inc(l2_hits)
    if misses or l2_hits:
        cache_misses.labels("l1", "prediction").inc(misses + l2_hits)
    if misses:
        cache_misses.labels("l2", "answer").inc(misses)
    prediction = Histogram("prediction_latency_seconds", "", buckets=FAST, registry=registry)
    for _ in range(100):
        prediction.observe(prediction_s)
    answers = Histogram(
        "answer_generation_seconds", "", ["provider"], buckets=SLOW, registry=registry
    )
    for provider in ("openai", "extractive"):
        for _ in range(20):
            answers.labels(provider).observe(answer_s)
    requests = Counter("http_requests", "", ["method", "route", "status"], registry=registry)
    requests.labels("GET", "/api/products", "200").inc(ok)
    if errors:
        requests.labels("GET", "/api/products", "503").inc(errors)
    requests.labels("GET", "/missing", "404").inc(5)
    if rss is not None:
        Gauge("process_resident_memory_bytes", "", registry=registry).set(rss)
    return generate_latest(registry).decode()


def by_name(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.name: r for r in results}


def test_healthy_instance_passes_everything() -> None:
    results = by_name(evaluate(exposition(), memory_limit=1024 * MIB))
    assert list(results) == [
        "cache hit rate",
        "P95 prediction latency",
        "P95 answer latency",
        "error rate",
        "memory vs limit",
    ]
    assert all(r.passed and r.applicable for r in results.values()), [
        r.line() for r in results.values()
    ]
    assert results["cache hit rate"].value == pytest.approx(0.8)
    assert results["error rate"].value == pytest.approx(2 / 10_007)
    assert results["memory vs limit"].value == pytest.approx(300 / 1024)
    # 0.004 s lies in the first bucket (0, 0.005]: 0.005 * 0.95 by interpolation.
    assert results["P95 prediction latency"].value == pytest.approx(0.00475)
    assert results["P95 prediction latency"].threshold == 0.2


@pytest.mark.parametrize(
    ("overrides", "failing"),
    [
        ({"hits": 50, "misses": 50}, "cache hit rate"),
        ({"hits": 60, "misses": 40}, "cache hit rate"),  # exactly 60% is not "> 60%"
        ({"prediction_s": 0.3}, "P95 prediction latency"),
        ({"answer_s": 12.0}, "P95 answer latency"),
        ({"ok": 900, "errors": 2}, "error rate"),
        ({"rss": 900 * MIB}, "memory vs limit"),
    ],
)
def test_each_threshold_fails(overrides: dict[str, float], failing: str) -> None:
    results = by_name(evaluate(exposition(**overrides), memory_limit=1024 * MIB))  # type: ignore[arg-type]
    failed = {name for name, r in results.items() if not r.passed}
    assert failed == {failing}, [r.line() for r in results.values()]
    assert "FAIL" in results[failing].line()


def test_values_measured_for_failures() -> None:
    results = by_name(
        evaluate(exposition(prediction_s=0.3, answer_s=12.0, rss=900 * MIB), 1024 * MIB)
    )
    # All 100 observations in (0.2, 0.5]: 0.2 + 0.3 * 0.95.
    assert results["P95 prediction latency"].value == pytest.approx(0.485)
    # All in (10, 20]: 10 + 10 * 0.95.
    assert results["P95 answer latency"].value == pytest.approx(19.5)
    assert results["memory vs limit"].value == pytest.approx(900 / 1024)


def test_no_traffic_fails_rather_than_passes() -> None:
    registry = CollectorRegistry()
    Counter("cache_hits", "", ["layer", "cache"], registry=registry)
    Histogram("prediction_latency_seconds", "", buckets=FAST, registry=registry)
    results = by_name(evaluate(generate_latest(registry).decode(), memory_limit=MIB))
    for name in ("cache hit rate", "P95 prediction latency", "P95 answer latency", "error rate"):
        assert results[name].applicable
        assert not results[name].passed
        assert results[name].value is None
        assert results[name].detail


def test_memory_without_a_known_limit_is_not_applicable() -> None:
    results = by_name(evaluate(exposition(), memory_limit=None))
    memory = results["memory vs limit"]
    if cgroup_memory_limit() is None:
        assert not memory.applicable
        assert "no limit known" in memory.detail
        assert memory.line().startswith("N/A")
    else:  # running inside a memory-limited container
        assert memory.applicable


def test_memory_without_process_metrics_is_not_applicable() -> None:
    memory = by_name(evaluate(exposition(rss=None), memory_limit=MIB))["memory vs limit"]
    assert not memory.applicable
    assert "multiprocess" in memory.detail


def test_cgroup_limit(tmp_path: Path) -> None:
    v2, v1 = tmp_path / "memory.max", tmp_path / "memory.limit_in_bytes"
    assert cgroup_memory_limit(v2, v1) is None  # neither readable
    v1.write_text("9223372036854771712\n")
    assert cgroup_memory_limit(v2, v1) is None  # cgroup v1 "unlimited"
    v1.write_text("536870912\n")
    assert cgroup_memory_limit(v2, v1) == 512 * MIB
    v2.write_text("max\n")
    assert cgroup_memory_limit(v2, v1) is None
    v2.write_text("1073741824\n")
    assert cgroup_memory_limit(v2, v1) == 1024 * MIB


def test_hand_written_exposition() -> None:
    text = """\
# HELP cache_hits_total Cache hits.
# TYPE cache_hits_total counter
cache_hits_total{layer="l1",cache="prediction"} 700.0
# HELP cache_misses_total Cache misses.
# TYPE cache_misses_total counter
cache_misses_total{layer="l1",cache="prediction"} 300.0
# HELP prediction_latency_seconds x
# TYPE prediction_latency_seconds histogram
prediction_latency_seconds_bucket{le="0.1"} 90.0
prediction_latency_seconds_bucket{le="0.2"} 100.0
prediction_latency_seconds_bucket{le="+Inf"} 100.0
prediction_latency_seconds_count 100.0
prediction_latency_seconds_sum 5.0
# HELP http_requests_total x
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/health",status="200"} 1000.0
http_requests_total{method="GET",route="/health",status="500"} 1.0
"""
    results = by_name(evaluate(text, memory_limit=MIB))
    assert results["cache hit rate"].value == pytest.approx(0.7)
    assert results["cache hit rate"].passed
    # rank 95 lies in (0.1, 0.2] holding 10: 0.1 + 0.1 * (95 - 90) / 10.
    assert results["P95 prediction latency"].value == pytest.approx(0.15)
    assert results["error rate"].value == pytest.approx(1 / 1001)
    assert results["error rate"].passed  # 1 / 1001 = 0.0999%: just under 0.1%
    assert not results["P95 answer latency"].passed  # no answers recorded


def test_malformed_exposition_raises() -> None:
    with pytest.raises(ValueError, match="exposition"):
        evaluate("this is {not metrics")


@pytest.mark.parametrize(
    ("q", "buckets", "expected"),
    [
        (0.5, {1.0: 10, 2.0: 20, math.inf: 20}, 1.0),
        (0.75, {1.0: 10, 2.0: 20, math.inf: 20}, 1.5),
        (0.99, {1.0: 10, 2.0: 20, math.inf: 30}, 2.0),  # in +Inf: the highest finite bound
        (0.5, {1.0: 0, math.inf: 0}, math.nan),  # no observations
        (0.5, {1.0: 5, 2.0: 10}, math.nan),  # no +Inf bucket
        (0.5, {-1.0: 10, math.inf: 10}, -1.0),  # first bucket with a non-positive bound
        (1.2, {1.0: 1, math.inf: 1}, math.inf),
        (-0.1, {1.0: 1, math.inf: 1}, -math.inf),
    ],
)
def test_histogram_quantile_matches_promql(
    q: float, buckets: dict[float, float], expected: float
) -> None:
    got = histogram_quantile(q, buckets)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


def test_results_serialise() -> None:
    results = evaluate(exposition(), memory_limit=1024 * MIB)
    data = json.loads(json.dumps([r.as_dict() for r in results]))
    assert data[0]["name"] == "cache hit rate"
    assert data[0]["status"] == "PASS"
    assert {"passed", "value", "threshold", "applicable", "detail"} <= set(data[0])
    assert results[1].line().startswith("PASS  P95 prediction latency")
    assert "200.0 ms" in results[1].line()


async def test_fetch_and_check_reads_metrics() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, text=exposition())

    results = await fetch_and_check(
        "http://app:8000/", 1024 * MIB, transport=httpx.MockTransport(handler)
    )
    assert seen == ["http://app:8000/metrics"]
    assert all(r.passed for r in results)


async def test_fetch_and_check_reports_an_unreachable_endpoint() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="down")

    (result,) = await fetch_and_check(
        "http://app:8000/metrics", None, transport=httpx.MockTransport(handler)
    )
    assert result.name == "metrics endpoint"
    assert not result.passed
    assert result.applicable
    assert "503" in result.detail
    assert result.line().startswith("FAIL")
