"""loadtest/report.py and loadtest/samples.py: percentiles, timeline, cache figures, targets."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from loadtest.report import (
    TYPING,
    cache_counts,
    cache_report,
    evaluate_targets,
    percentile,
    render_markdown,
    summarise,
    timeline,
    top_errors,
    totals,
)
from loadtest.samples import Sample, SampleWriter, read_samples

from hsc_jit.ops.checklist import parse_exposition


def _sample(t: float, name: str, ms: float, ok: bool = True, **extra: object) -> Sample:
    return Sample(t=t, type="WS", name=name, ms=ms, bytes=100, ok=ok, **extra)  # type: ignore[arg-type]


def test_percentile_interpolates_like_numpy() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 0.5) == pytest.approx(50.5)
    assert percentile(values, 0.95) == pytest.approx(95.05)
    assert percentile(values, 0.99) == pytest.approx(99.01)
    assert percentile([3.0], 0.99) == 3.0
    assert percentile([5.0, 1.0], 0.0) == 1.0
    assert math.isnan(percentile([], 0.5))


def test_summary_per_name_counts_failures_apart_from_latency() -> None:
    samples = [_sample(i, TYPING, float(i)) for i in range(1, 101)]
    samples.append(_sample(50, TYPING, 9999.0, ok=False, error="TimeoutError"))
    samples += [
        _sample(10, "query→final_answer", 400.0, tag="fresh"),
        _sample(20, "query→final_answer", 20.0, tag="cached"),
    ]
    summary = summarise(samples, duration_s=100)
    typing = summary[TYPING]
    assert typing.count == 101
    assert typing.failures == 1
    assert typing.error_rate == pytest.approx(1 / 101)
    assert typing.per_s == pytest.approx(1.01)
    assert typing.p95_ms == pytest.approx(95.05)  # the failed 9999 ms is not a latency
    assert typing.max_ms == 100
    assert summary["query→final_answer"].count == 2
    assert summary["query→final_answer [cached]"].p50_ms == 20
    assert summary["query→final_answer [fresh]"].p50_ms == 400
    total = totals(samples, 100)
    assert (total.count, total.failures) == (103, 1)
    assert top_errors(samples) == [{"name": TYPING, "error": "TimeoutError", "count": 1}]


def test_empty_figures_are_null_in_json() -> None:
    stats = summarise([_sample(1, "connect", 5.0, ok=False)], 10)["connect"]
    assert stats.as_dict()["p95_ms"] is None
    assert stats.as_dict()["error_rate"] == 1.0


def test_timeline_buckets_by_second() -> None:
    start = 1000.0
    samples = [
        _sample(1000.2, TYPING, 2.0),
        _sample(1000.7, TYPING, 4.0),
        _sample(1002.5, TYPING, 8.0),
        _sample(1002.6, "connect", 50.0, ok=False),
    ]
    rows = timeline(samples, start, 1.0, names=[TYPING])
    assert [r["t"] for r in rows] == [0, 1, 2]
    assert rows[0]["requests_per_s"] == 2
    assert rows[0]["latency"][TYPING] == {"count": 2, "p50_ms": 3.0, "p95_ms": 3.9}
    assert rows[1]["requests_per_s"] == 0
    assert rows[1]["latency"] == {}
    assert rows[2]["failures_per_s"] == 1
    assert "connect" not in rows[2]["latency"]
    assert timeline([], start) == []


METRICS_BEFORE = """\
# TYPE cache_hits_total counter
cache_hits_total{cache="predict",layer="l1"} 10.0
# TYPE cache_misses_total counter
cache_misses_total{cache="predict",layer="l1"} 10.0
"""
METRICS_AFTER = """\
# TYPE cache_hits_total counter
cache_hits_total{cache="predict",layer="l1"} 100.0
cache_hits_total{cache="answers",layer="l2"} 30.0
# TYPE cache_misses_total counter
cache_misses_total{cache="predict",layer="l1"} 20.0
cache_misses_total{cache="answers",layer="l2"} 10.0
"""


def test_cache_hit_rates_over_the_run_and_since_start() -> None:
    before = cache_counts(parse_exposition(METRICS_BEFORE))
    after = cache_counts(parse_exposition(METRICS_AFTER))
    report = cache_report(before, after)
    assert report["run"]["hits"] == 120  # 90 predict + 30 answers
    assert report["run"]["misses"] == 20
    assert report["run"]["hit_rate"] == pytest.approx(120 / 140, abs=1e-3)
    assert report["run"]["by_cache"]["predict/l1"]["hit_rate"] == 0.9
    assert report["cumulative"]["hit_rate"] == pytest.approx(130 / 160, abs=1e-3)
    assert cache_report({}, {})["run"]["hit_rate"] is None


def test_targets() -> None:
    fast = [_sample(i, TYPING, 3.0) for i in range(100)]
    messages, total = summarise(fast, 10), totals(fast, 10)
    targets = evaluate_targets(
        messages, total, p95_typing_ms=10, max_error_rate=0, typing_users=200
    )
    assert [t.passed for t in targets] == [True, True]
    assert targets[0].detail == "100 predictions with 200 typing users"

    slow = [
        *fast,
        *[_sample(i, TYPING, 50.0) for i in range(10)],
        _sample(1, "connect", 1, ok=False),
    ]
    targets = evaluate_targets(
        summarise(slow, 10), totals(slow, 10), p95_typing_ms=10, max_error_rate=0
    )
    assert [t.passed for t in targets] == [False, False]
    no_typing = evaluate_targets({}, totals([], 1), p95_typing_ms=10, max_error_rate=0)
    assert [t.passed for t in no_typing] == [False, False]


def test_samples_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "samples.csv"
    written = [
        _sample(1.5, TYPING, 2.25),
        _sample(
            2.0,
            "query→final_answer",
            80.0,
            ok=False,
            tag="",
            error='ServerError: provider_error: "x", y',
        ),
    ]
    writer = SampleWriter(path)
    for sample in written[:1]:
        writer.write(sample)
    writer.close()
    writer = SampleWriter(path)  # appending: no second header
    writer.write(written[1])
    writer.close()
    assert read_samples(path) == written


def test_markdown_report_has_the_figures() -> None:
    samples = [_sample(i, TYPING, 3.0) for i in range(10)]
    messages, total = summarise(samples, 10), totals(samples, 10)
    report = {
        "run": {
            "started_at": "2025-01-01T00:00:00Z",
            "users": 200,
            "http_users": 10,
            "seconds": 60,
            "spawn_rate": 50,
            "mode": "embedded",
            "workers": 1,
            "url": "http://127.0.0.1:1",
        },
        "targets": [
            t.as_dict()
            for t in evaluate_targets(messages, total, p95_typing_ms=10, max_error_rate=0)
        ],
        "messages": {k: v.as_dict() for k, v in messages.items()},
        "totals": total.as_dict(),
        "errors": [],
        "cache": cache_report({}, cache_counts(parse_exposition(METRICS_AFTER))),
        "server": {
            "samples": [{}],
            "cpu_percent_mean": 55.0,
            "cpu_percent_max": 99.0,
            "rss_mib_start": 100.0,
            "rss_mib_max": 150.0,
            "rss_mib_end": 140.0,
        },
        "checklist": {"passed": True, "items": [{"line": "PASS  cache hit rate  81.2%"}]},
        "chart": "load.png",
    }
    text = render_markdown(report)
    assert "| p95 typing→prediction (10 predictions) | 3.00 ms | < 10 ms | PASS |" in text
    assert "| WS | typing→prediction | 10 | 0 |" in text
    assert "| answers/l2 | 30 | 10 | 75.00 % |" in text
    assert "Checklist: PASS." in text
    assert "![latency and throughput](load.png)" in text
