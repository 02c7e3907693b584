"""Prometheus config and alert rules (promtool), the Grafana dashboard, and the metric names
both use, checked against the metrics the app actually registers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.conftest import DEPLOY, GRAFANA, PROMETHEUS, load_yaml_documents

ALERTS = PROMETHEUS / "alerts.yml"
ALERTS_TEST = PROMETHEUS / "alerts_test.yml"
CONFIG = PROMETHEUS / "prometheus.yml"
DASHBOARD = GRAFANA / "dashboards" / "hsc-jit.json"

# Series Prometheus itself attaches to every scrape target; not exported by the app.
PROMETHEUS_SYNTHETIC = frozenset({"up"})


# --- promtool ----------------------------------------------------------------------------------


def promtool() -> str:
    """promtool's path; skipped locally when missing, a failure under CI=true."""
    path = shutil.which("promtool")
    if path is None:
        message = "promtool not found (Debian package `prometheus`: apt-get install prometheus)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — required when CI=true")
        pytest.skip(message)
    return path


def run_promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool(), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_promtool_check_rules() -> None:
    result = run_promtool("check", "rules", str(ALERTS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_check_config() -> None:
    result = run_promtool("check", "config", str(CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_rule_unit_tests() -> None:
    # Run from the folder: alerts_test.yml names its rule file relative to itself.
    result = subprocess.run(
        [promtool(), "test", "rules", ALERTS_TEST.name],
        cwd=PROMETHEUS,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_rule_unit_tests_cover_at_least_two_alerts() -> None:
    tested = {
        case["alertname"]
        for test in yaml.safe_load(ALERTS_TEST.read_text())["tests"]
        for case in test.get("alert_rule_test", [])
        if case.get("exp_alerts")
    }
    assert len(tested) >= 2, tested
    assert tested <= set(alert_rules()), tested - set(alert_rules())


# --- the rules themselves ------------------------------------------------------------------


@cache
def alert_rules() -> dict[str, dict[str, Any]]:
    (doc,) = load_yaml_documents(ALERTS)
    return {rule["alert"]: rule for group in doc["groups"] for rule in group["rules"]}


@pytest.mark.parametrize("name", sorted(alert_rules()))
def test_every_alert_has_duration_severity_and_runbook(name: str) -> None:
    rule = alert_rules()[name]
    assert re.fullmatch(r"\d+[smh]", rule.get("for", "")), f"{name}: needs a `for:` duration"
    assert rule["labels"]["severity"] in {"warning", "critical"}
    for annotation in ("summary", "description", "action"):
        assert len(rule["annotations"].get(annotation, "")) > 20, f"{name}: {annotation}"


@pytest.mark.parametrize(
    ("alert", "fragment", "threshold"),
    [
        (
            "HSCJITPredictionLatencyHigh",
            "histogram_quantile(0.95, sum by (le) (rate(prediction_latency_seconds_bucket[5m])))",
            "> 0.2",
        ),
        ("HSCJITAnswerLatencyHigh", "answer_generation_seconds_bucket", "> 10"),
        ("HSCJITCacheHitRateLow", "cache_misses_total", "< 0.5"),
        ("HSCJITWebSocketConnectionsHigh", "websocket_active_connections", "> 10000"),
        ("HSCJITErrorRateHigh", 'http_requests_total{status=~"5.."}', "> 0.01"),
        ("HSCJITErrorRateAboveTarget", 'http_requests_total{status=~"5.."}', "> 0.001"),
    ],
)
def test_alert_thresholds_are_the_guides(alert: str, fragment: str, threshold: str) -> None:
    expr = " ".join(alert_rules()[alert]["expr"].split())
    assert fragment in expr
    assert threshold in expr


# --- metric names ------------------------------------------------------------------------------

_PROMQL_WORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
     "bool", "offset", "inf", "nan"}
)  # fmt: skip


def promql_metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (functions, keywords, labels removed)."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)
    text = re.sub(r"'(?:\\.|[^'\\])*'", "''", text)
    text = re.sub(r"\{[^{}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # ranges, subqueries
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    text = re.sub(r"\$\{?\w+\}?", "", text)  # Grafana variables
    names: set[str] = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        token = match.group()
        before = text[match.start() - 1] if match.start() else " "
        if before.isdigit() or before == ".":  # 1e3, 5m
            continue
        if text[match.end() :].lstrip().startswith("("):  # a function call
            continue
        if token.lower() in _PROMQL_WORDS:
            continue
        names.add(token)
    return names


def test_promql_metric_names_parser() -> None:
    expr = (
        "histogram_quantile(0.95, sum by (le, provider) (rate(answer_generation_seconds_bucket"
        '{provider!="x",le=~"1.*"}[5m] offset 1h))) > 1e3 and on (instance) up{job="a b"} == 0'
        " unless sum without (pod) (websocket_active_connections) / $__rate_interval"
    )
    assert promql_metric_names(expr) == {
        "answer_generation_seconds_bucket",
        "up",
        "websocket_active_connections",
    }


@cache
def exported_sample_names() -> frozenset[str]:
    """Every sample name the app's registry can export, derived from the metric families."""
    from prometheus_client import REGISTRY

    import hsc_jit.observability.metrics  # noqa: F401  (registers the app's metrics)

    suffixes = {
        "counter": ("_total", "_created"),
        "histogram": ("_bucket", "_count", "_sum", "_created"),
        "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
        "summary": ("", "_count", "_sum", "_created"),
        "gauge": ("",),
        "info": ("_info",),
        "stateset": ("",),
        "unknown": ("",),
    }
    return frozenset(
        family.name + suffix for family in REGISTRY.collect() for suffix in suffixes[family.type]
    )


def test_exported_names_include_the_app_metrics() -> None:
    names = exported_sample_names()
    for expected in (
        "prediction_latency_seconds_bucket",
        "answer_generation_seconds_count",
        "cache_hits_total",
        "websocket_active_connections",
        "http_requests_total",
        "process_resident_memory_bytes",
    ):
        assert expected in names


def alert_expressions() -> dict[str, str]:
    return {name: rule["expr"] for name, rule in alert_rules().items()}


@cache
def dashboard() -> dict[str, Any]:
    return dict(json.loads(DASHBOARD.read_text()))


def dashboard_expressions() -> dict[str, str]:
    return {
        f"{panel['title']} [{target['refId']}]": target["expr"]
        for panel in dashboard()["panels"]
        for target in panel.get("targets", [])
    }


@pytest.mark.parametrize(
    ("where", "expressions"),
    [("alerts.yml", alert_expressions()), ("hsc-jit.json", dashboard_expressions())],
)
def test_every_metric_used_is_exported_by_the_app(where: str, expressions: dict[str, str]) -> None:
    known = exported_sample_names() | PROMETHEUS_SYNTHETIC
    unknown = {
        name: sorted(promql_metric_names(expr) - known)
        for name, expr in expressions.items()
        if promql_metric_names(expr) - known
    }
    assert not unknown, f"{where} uses metrics the app does not export: {unknown}"
    assert all(promql_metric_names(expr) for expr in expressions.values())


@pytest.mark.parametrize(
    ("where", "expressions"),
    [("alerts.yml", alert_expressions()), ("hsc-jit.json", dashboard_expressions())],
)
def test_no_process_metrics_in_multiprocess_mode(where: str, expressions: dict[str, str]) -> None:
    """Under gunicorn /metrics comes from the multiprocess collector: no process_* series."""
    used = set().union(*(promql_metric_names(e) for e in expressions.values()))
    assert not {n for n in used if n.startswith(("process_", "python_"))}, where


# --- the dashboard ---------------------------------------------------------------------------


def panel(title: str) -> dict[str, Any]:
    for candidate in dashboard()["panels"]:
        if candidate["title"] == title and candidate["type"] == "timeseries":
            return dict(candidate)
    pytest.fail(f"no time-series panel {title!r}")


def thresholds(title: str) -> list[tuple[str, float | None]]:
    steps = panel(title)["fieldConfig"]["defaults"]["thresholds"]["steps"]
    return [(step["color"], step["value"]) for step in steps]


def test_dashboard_panels_and_thresholds() -> None:
    p95 = "histogram_quantile(0.95, sum by (le) (rate(prediction_latency_seconds_bucket[5m])))"
    assert panel("P95 prediction latency")["targets"][0]["expr"] == p95
    assert thresholds("P95 prediction latency") == [("green", None), ("red", 0.2)]
    assert thresholds("Cache hit rate") == [("red", None), ("orange", 0.5), ("green", 0.6)]
    assert thresholds("Active WebSocket connections") == [("green", None), ("red", 10000)]
    assert thresholds("Error rate (5xx / all requests)")[-1] == ("red", 0.01)
    error_expr = panel("Error rate (5xx / all requests)")["targets"][0]["expr"]
    assert '{status=~"5.."}' in error_expr
    assert "/ sum(rate(http_requests_total[5m]))" in error_expr
    assert thresholds("P95 answer latency") == [("green", None), ("red", 10)]
    assert "answer_generation_seconds_bucket" in panel("P95 answer latency")["targets"][0]["expr"]


def test_dashboard_structure() -> None:
    board = dashboard()
    assert board["uid"] == "hsc-jit"
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for item in board["panels"]:
        grid = item["gridPos"]
        assert grid["x"] + grid["w"] <= 24, item["title"]


def test_dashboard_datasource_is_the_provisioned_one() -> None:
    (doc,) = load_yaml_documents(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")
    uids = {source["uid"] for source in doc["datasources"]}
    used = {
        target["datasource"]["uid"]
        for item in dashboard()["panels"]
        for target in item.get("targets", [])
    }
    assert used
    assert used <= uids


def test_dashboard_provider_points_at_the_mounted_folder() -> None:
    (doc,) = load_yaml_documents(GRAFANA / "provisioning" / "dashboards" / "hsc-jit.yml")
    path = doc["providers"][0]["options"]["path"]
    (compose,) = load_yaml_documents(DEPLOY / "compose.yaml")
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./grafana/dashboards:{path}:ro" in mounts


def test_prometheus_config_loads_the_rules_and_scrapes_the_app() -> None:
    (doc,) = load_yaml_documents(CONFIG)
    assert [(CONFIG.parent / f).resolve() for f in doc["rule_files"]] == [ALERTS.resolve()]
    job = next(j for j in doc["scrape_configs"] if j["job_name"] == "hsc-jit")
    assert job.get("metrics_path", "/metrics") == "/metrics"
    assert job["static_configs"][0]["targets"] == ["app:8000"]


def test_alert_files_are_where_compose_mounts_them() -> None:
    (compose,) = load_yaml_documents(DEPLOY / "compose.yaml")
    assert "./prometheus:/etc/prometheus:ro" in compose["services"]["prometheus"]["volumes"]
    assert Path(PROMETHEUS / "alerts.yml").is_file()
