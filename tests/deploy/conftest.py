"""Shared paths and loaders for the deployment checks (deploy/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"


def load_yaml_documents(path: Path) -> list[dict[str, Any]]:
    """Every non-empty YAML document of a file."""
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def k8s_manifest_files() -> list[Path]:
    """Every Kubernetes manifest under deploy/k8s (the kustomization is not one)."""
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def k8s_objects() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in k8s_manifest_files() for doc in load_yaml_documents(path)]


def k8s_object(kind: str, name: str) -> dict[str, Any]:
    for _, doc in k8s_objects():
        if doc["kind"] == kind and doc["metadata"]["name"] == name:
            return doc
    pytest.fail(f"no {kind}/{name} in deploy/k8s")
