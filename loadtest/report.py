"""Aggregating a load run: percentiles per message type, a timeline, cache figures, targets.

Pure functions over :class:`loadtest.samples.Sample` rows and parsed ``/metrics`` expositions;
``bench/load.py`` feeds them and writes the JSON, Markdown and chart.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from hsc_jit.ops.checklist import Samples as Exposition
from loadtest.samples import Sample

TYPING = "typing→prediction"


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values`` by linear interpolation; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class MessageStats:
    name: str
    type: str
    count: int
    failures: int
    error_rate: float
    per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    mean_bytes: float

    def as_dict(self) -> dict[str, Any]:
        return {k: _clean(v) for k, v in asdict(self).items()}


def _clean(value: Any) -> Any:
    """NaN is not JSON: empty figures become null."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    return value


def stats_for(name: str, type_: str, samples: Sequence[Sample], duration_s: float) -> MessageStats:
    """Latency over the successful samples; failures count towards the error rate only."""
    ok = [s.ms for s in samples if s.ok]
    failures = sum(1 for s in samples if not s.ok)
    count = len(samples)
    return MessageStats(
        name=name,
        type=type_,
        count=count,
        failures=failures,
        error_rate=failures / count if count else 0.0,
        per_s=count / duration_s if duration_s > 0 else math.nan,
        p50_ms=percentile(ok, 0.50),
        p95_ms=percentile(ok, 0.95),
        p99_ms=percentile(ok, 0.99),
        mean_ms=sum(ok) / len(ok) if ok else math.nan,
        max_ms=max(ok, default=math.nan),
        mean_bytes=sum(s.bytes for s in samples) / count if count else math.nan,
    )


def summarise(samples: Sequence[Sample], duration_s: float) -> dict[str, MessageStats]:
    """One entry per request name (and a ``[cached]``/``[fresh]`` split where tagged)."""
    groups: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[(sample.name, sample.type)].append(sample)
        if sample.tag:
            groups[(f"{sample.name} [{sample.tag}]", sample.type)].append(sample)
    return {
        name: stats_for(name, type_, group, duration_s)
        for (name, type_), group in sorted(groups.items())
    }


def totals(samples: Sequence[Sample], duration_s: float) -> MessageStats:
    return stats_for("total", "", samples, duration_s)


def top_errors(samples: Iterable[Sample], limit: int = 10) -> list[dict[str, Any]]:
    counts = Counter((s.name, s.error or "failed") for s in samples if not s.ok)
    return [
        {"name": name, "error": error, "count": count}
        for (name, error), count in counts.most_common(limit)
    ]


def timeline(
    samples: Sequence[Sample], start: float, bucket_s: float = 1.0, names: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Per bucket of ``bucket_s`` seconds from ``start``: requests and failures per second, and
    p50/p95 of each name in ``names`` (all names when empty)."""
    if not samples:
        return []
    wanted = set(names) or {s.name for s in samples}
    buckets: dict[int, list[Sample]] = defaultdict(list)
    for sample in samples:
        buckets[max(0, int((sample.t - start) // bucket_s))].append(sample)
    rows = []
    for index in range(max(buckets) + 1):
        group = buckets.get(index, [])
        row: dict[str, Any] = {
            "t": round(index * bucket_s, 3),
            "requests_per_s": len(group) / bucket_s,
            "failures_per_s": sum(1 for s in group if not s.ok) / bucket_s,
            "latency": {},
        }
        for name in sorted(wanted):
            ok = [s.ms for s in group if s.name == name and s.ok]
            if ok:
                row["latency"][name] = {
                    "count": len(ok),
                    "p50_ms": round(percentile(ok, 0.5), 3),
                    "p95_ms": round(percentile(ok, 0.95), 3),
                }
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# Cache figures from /metrics


def cache_counts(exposition: Exposition) -> dict[str, dict[str, float]]:
    """``{"<cache>/<layer>": {"hits": h, "misses": m}}`` from cache_hits/misses_total."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: {"hits": 0.0, "misses": 0.0})
    for metric, key in (("cache_hits_total", "hits"), ("cache_misses_total", "misses")):
        for labels, value in exposition.named(metric):
            label = f"{labels.get('cache', '?')}/{labels.get('layer', '?')}"
            counts[label][key] += value
    return dict(counts)


def cache_report(
    before: Mapping[str, Mapping[str, float]], after: Mapping[str, Mapping[str, float]]
) -> dict[str, Any]:
    """Hit rates over the run (``after - before``) and since the server started (``after``)."""

    def rates(counts: Mapping[str, Mapping[str, float]]) -> dict[str, Any]:
        hits = sum(c["hits"] for c in counts.values())
        misses = sum(c["misses"] for c in counts.values())
        return {
            "hits": hits,
            "misses": misses,
            "hit_rate": _clean(hits / (hits + misses)) if hits + misses else None,
            "by_cache": {
                label: {
                    **c,
                    "hit_rate": _clean(c["hits"] / (c["hits"] + c["misses"]))
                    if c["hits"] + c["misses"]
                    else None,
                }
                for label, c in sorted(counts.items())
            },
        }

    run = {
        label: {
            key: after[label][key] - before.get(label, {}).get(key, 0.0)
            for key in ("hits", "misses")
        }
        for label in after
    }
    return {"run": rates(run), "cumulative": rates(after)}


# ---------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    passed: bool
    value: float | None
    threshold: float
    unit: str
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: _clean(v) for k, v in asdict(self).items()}


def evaluate_targets(
    messages: Mapping[str, MessageStats],
    total: MessageStats,
    *,
    p95_typing_ms: float,
    max_error_rate: float,
    typing_users: int | None = None,
) -> list[Target]:
    typing = messages.get(TYPING)
    p95 = typing.p95_ms if typing and not math.isnan(typing.p95_ms) else None
    users = f" with {typing_users} typing users" if typing_users else ""
    return [
        Target(
            f"p95 {TYPING}",
            p95 is not None and p95 < p95_typing_ms,
            p95,
            p95_typing_ms,
            "ms",
            f"{typing.count if typing else 0} predictions{users}",
        ),
        Target(
            "error rate",
            total.count > 0 and total.error_rate <= max_error_rate,
            total.error_rate if total.count else None,
            max_error_rate,
            "ratio",
            f"{total.failures} failed of {total.count}",
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Markdown


def _ms(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value * 100:.2f} %"


def render_markdown(report: Mapping[str, Any]) -> str:
    run = report["run"]
    lines = [
        f"# Load run {run['started_at']}",
        "",
        f"{run['users']} WebSocket users + {run['http_users']} HTTP users for {run['seconds']} s "
        f"(spawn rate {run['spawn_rate']}/s) against {run['mode']} "
        f"({run['workers']} worker{'s' if run['workers'] != 1 else ''}), {run['url']}.",
        "",
        "## Targets",
        "",
        "| target | value | threshold | result |",
        "|---|---|---|---|",
    ]
    for target in report["targets"]:
        value, threshold = target["value"], target["threshold"]
        shown = (
            (_pct(value), _pct(threshold))
            if target["unit"] == "ratio"
            else (
                f"{_ms(value)} ms" if value is not None else "-",
                f"< {threshold} ms",
            )
        )
        result = "PASS" if target["passed"] else "FAIL"
        lines.append(
            f"| {target['name']} ({target['detail']}) | {shown[0]} | {shown[1]} | {result} |"
        )
    lines += [
        "",
        "## Latency per message type (ms, successful requests)",
        "",
        "| type | name | count | failures | per s | p50 | p95 | p99 | max | mean bytes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in report["messages"].values():
        lines.append(
            f"| {m['type']} | {m['name']} | {m['count']} | {m['failures']} | "
            f"{m['per_s'] or 0:.1f} | {_ms(m['p50_ms'])} | {_ms(m['p95_ms'])} | "
            f"{_ms(m['p99_ms'])} | {_ms(m['max_ms'])} | {m['mean_bytes'] or 0:.0f} |"
        )
    total = report["totals"]
    lines += [
        "",
        f"Throughput {total['per_s'] or 0:.1f} requests/s; error rate {_pct(total['error_rate'])} "
        f"({total['failures']} of {total['count']}).",
    ]
    if report.get("errors"):
        lines += ["", "| failed request | error | count |", "|---|---|---:|"]
        lines += [f"| {e['name']} | {e['error']} | {e['count']} |" for e in report["errors"]]
    cache = report.get("cache")
    if cache:
        lines += [
            "",
            "## Cache",
            "",
            "| cache/layer | hits (run) | misses (run) | hit rate (run) |",
        ]
        lines.append("|---|---:|---:|---:|")
        for label, c in cache["run"]["by_cache"].items():
            lines.append(
                f"| {label} | {c['hits']:.0f} | {c['misses']:.0f} | {_pct(c['hit_rate'])} |"
            )
        lines += [
            "",
            f"Hit rate over the run {_pct(cache['run']['hit_rate'])}; since the server started "
            f"{_pct(cache['cumulative']['hit_rate'])}.",
        ]
    server = report.get("server")
    if server and server.get("samples"):
        lines += [
            "",
            "## Server process",
            "",
            f"CPU mean {server['cpu_percent_mean']:.0f} %, max {server['cpu_percent_max']:.0f} % "
            f"(100 % = one core); RSS start {server['rss_mib_start']:.0f} MiB, "
            f"max {server['rss_mib_max']:.0f} MiB, end {server['rss_mib_end']:.0f} MiB.",
        ]
        if "locust_cpu_percent_mean" in server:
            lines += [
                "",
                f"On the same machine ({server.get('cores', '?')} cores) the load generator "
                f"(Locust) used {server['locust_cpu_percent_mean']:.0f} % CPU on average "
                f"({server['locust_cpu_percent_max']:.0f} % at most) and other processes "
                f"{server.get('other_cpu_percent_mean', 0):.0f} %: near a full core for Locust, "
                "or a busy machine, queueing outside the server adds to the measured latencies.",
            ]
    checklist = report.get("checklist")
    if checklist is not None:
        lines += ["", "## Before-production checklist (server /metrics)", "", "```"]
        lines += [item["line"] for item in checklist["items"]]
        lines += ["```", "", f"Checklist: {'PASS' if checklist['passed'] else 'FAIL'}."]
    lines += ["", "![latency and throughput](" + report.get("chart", "load.png") + ")", ""]
    return "\n".join(lines)
