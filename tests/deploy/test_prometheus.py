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

from tests.deploy.conftest import DEPLOY, GRAFANA, PROMETHEUS, REPO, load_yaml_documents

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
    annotations = rule["annotations"]
    for annotation in ("summary", "description"):
        assert len(annotations.get(annotation, "")) > 20, f"{name}: {annotation}"
    # The conventional annotation (Alertmanager templates, Grafana and PagerDuty show it);
    # what to do lives in the runbook, not in a custom annotation.
    assert set(annotations) == {"summary", "description", "runbook_url"}, name


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub (and most Markdown renderers) give the headings of a document."""
    anchors: set[str] = set()
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        match = None if in_code else re.match(r"#{1,6} +(.+?) *#*$", line)
        if match:
            text = re.sub(r"[`*_\[\]()]", "", match.group(1)).strip().lower()
            slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
            anchor, n = slug, 1
            while anchor in anchors:
                anchor, n = f"{slug}-{n}", n + 1
            anchors.add(anchor)
    return anchors


def test_github_anchors() -> None:
    lines = ["# Limits and failure modes", "## `/ws` limits", "```", "# no heading", "```"]
    doc = "\n".join([*lines, "## Probes", "## Probes"])
    assert github_anchors(doc) == {"limits-and-failure-modes", "ws-limits", "probes", "probes-1"}


def test_links_inside_the_runbook_document_resolve() -> None:
    text = (REPO / "docs" / "operations-limits.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links, "the runbooks link to the probes and failure modes"
    assert links <= github_anchors(text), links - github_anchors(text)


@pytest.mark.parametrize("name", sorted(alert_rules()))
def test_runbook_url_points_at_an_existing_section_in_the_repository(name: str) -> None:
    url = alert_rules()[name]["annotations"]["runbook_url"]
    # A path in this repository, never a guessed public address (deploy/README.md says how to
    # prefix it with where the docs are published).
    assert "://" not in url and not url.startswith("/"), url
    path, _, anchor = url.partition("#")
    assert path == "docs/operations-limits.md", url
    assert anchor == name.lower(), url
    assert anchor in github_anchors((REPO / path).read_text(encoding="utf-8")), url


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


FILTER = 'namespace=~"$namespace", pod=~"$pod"'


def without_filter(expr: str) -> str:
    """A panel's query as it reads without the dashboard's namespace and pod filter."""
    return expr.replace(f"{{{FILTER}}}", "").replace(f", {FILTER}}}", "}")


def test_dashboard_panels_and_thresholds() -> None:
    p95 = "histogram_quantile(0.95, sum by (le) (rate(prediction_latency_seconds_bucket[5m])))"
    assert without_filter(panel("P95 prediction latency")["targets"][0]["expr"]) == p95
    assert thresholds("P95 prediction latency") == [("green", None), ("red", 0.2)]
    assert thresholds("Cache hit rate") == [("red", None), ("orange", 0.5), ("green", 0.6)]
    assert thresholds("Active WebSocket connections") == [("green", None), ("red", 10000)]
    assert thresholds("Error rate (5xx / all requests)")[-1] == ("red", 0.01)
    error_expr = without_filter(panel("Error rate (5xx / all requests)")["targets"][0]["expr"])
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


def variables() -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in dashboard()["templating"]["list"]}


def variable_query(variable: dict[str, Any]) -> str:
    query = variable["query"]
    return str(query["query"] if isinstance(query, dict) else query)


def test_dashboard_variables() -> None:
    found = variables()
    assert list(found) == ["datasource", "namespace", "pod"]
    datasource = found["datasource"]
    assert (datasource["type"], datasource["query"]) == ("datasource", "prometheus")
    for name in ("namespace", "pod"):
        variable = found[name]
        assert variable["type"] == "query"
        assert variable["datasource"]["uid"] == "${datasource}"
        assert re.fullmatch(rf"label_values\(up\{{[^}}]*\}}, {name}\)", variable_query(variable))
        assert variable["definition"] == variable_query(variable)
        # "All" as .*, which also matches series without the label (the compose stack has no
        # namespace or pod), and is the default.
        assert variable["includeAll"] is True
        assert variable["allValue"] == ".*"
        assert variable["current"]["value"] == ["$__all"]
    assert 'namespace=~"$namespace"' in variable_query(found["pod"])  # pods of those namespaces


def test_dashboard_variables_filter_every_query() -> None:
    for where, expr in dashboard_expressions().items():
        names = promql_metric_names(expr)
        selectors = re.findall(r"\b(" + "|".join(names) + r")\b(\{[^{}]*\})?", expr)
        assert selectors, where
        for name, matchers in selectors:
            assert matchers.endswith(f"{FILTER}}}"), f"{where}: {name}{matchers}"
        assert without_filter(expr).count("$") == 0, where


def test_dashboard_datasource_is_a_variable_defaulting_to_the_provisioned_one() -> None:
    (doc,) = load_yaml_documents(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")
    uids = {source["uid"] for source in doc["datasources"]}
    used = {
        holder["datasource"]["uid"]
        for item in dashboard()["panels"]
        for holder in [item, *item.get("targets", [])]
        if "datasource" in holder
    }
    assert used == {"${datasource}"}
    assert variables()["datasource"]["current"]["value"] in uids


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
    # The internal port: the public one answers /metrics 404 (HSC_INTERNAL_PORT).
    (compose,) = load_yaml_documents(DEPLOY / "compose.yaml")
    internal = compose["services"]["app"]["environment"]["HSC_INTERNAL_PORT"]
    assert job["static_configs"][0]["targets"] == [f"app:{internal}"]


def test_alert_files_are_where_compose_mounts_them() -> None:
    (compose,) = load_yaml_documents(DEPLOY / "compose.yaml")
    assert "./prometheus:/etc/prometheus:ro" in compose["services"]["prometheus"]["volumes"]
    assert Path(PROMETHEUS / "alerts.yml").is_file()
