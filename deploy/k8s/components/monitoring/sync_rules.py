"""Writes prometheusrule.yaml (beside this file) from deploy/prometheus/alerts.yml.

    uv run --no-sync python deploy/k8s/components/monitoring/sync_rules.py          # write
    uv run --no-sync python deploy/k8s/components/monitoring/sync_rules.py --check  # compare

alerts.yml stays the one source of the rules (compose loads it, promtool tests it); the
PrometheusRule for the Prometheus Operator is the same groups under ``spec``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ALERTS = HERE.parents[2] / "prometheus" / "alerts.yml"
TARGET = HERE / "prometheusrule.yaml"

HEADER = """\
# GENERATED from deploy/prometheus/alerts.yml by sync_rules.py (beside this file): do not edit.
# The alert rules as a Prometheus Operator PrometheusRule; see kustomization.yaml.
"""


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings (PromQL), so the file reads like alerts.yml."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def prometheus_rule(alerts: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "hsc-jit",
            "namespace": "hsc-jit",
            "labels": {"app.kubernetes.io/name": "hsc-jit"},
        },
        "spec": {"groups": alerts["groups"]},
    }


def render() -> str:
    alerts = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    body = yaml.dump(
        prometheus_rule(alerts), Dumper=_Dumper, sort_keys=False, width=100, allow_unicode=True
    )
    return HEADER + body


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
