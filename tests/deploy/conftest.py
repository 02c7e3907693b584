"""Shared paths and loaders for the deployment checks (deploy/)."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
K8S_BASE = K8S / "base"
K8S_COMPONENTS = K8S / "components"
K8S_OVERLAYS = K8S / "overlays"
PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"


def load_yaml_documents(path: Path) -> list[dict[str, Any]]:
    """Every non-empty YAML document of a file."""
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def k8s_manifest_files() -> list[Path]:
    """Every Kubernetes manifest of the base, deploy/k8s/base (the kustomization is not one)."""
    return sorted(p for p in K8S_BASE.glob("*.yaml") if p.name != "kustomization.yaml")


def k8s_objects() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in k8s_manifest_files() for doc in load_yaml_documents(path)]


def k8s_object(kind: str, name: str) -> dict[str, Any]:
    for _, doc in k8s_objects():
        if doc["kind"] == kind and doc["metadata"]["name"] == name:
            return doc
    pytest.fail(f"no {kind}/{name} in deploy/k8s/base")


def kustomizations(folder: Path) -> list[Path]:
    """The folders right under ``folder`` holding a kustomization.yaml (components, overlays)."""
    return sorted(p.parent for p in folder.glob("*/kustomization.yaml"))


def kustomize_command() -> list[str] | None:
    """``kustomize build`` or ``kubectl kustomize``, whichever is installed; None without."""
    if path := shutil.which("kustomize"):
        return [path, "build"]
    if path := shutil.which("kubectl"):
        return [path, "kustomize"]
    return None


@cache
def kustomize_build(folder: Path) -> tuple[dict[str, Any], ...]:
    """The objects ``folder`` renders to; skips the test when no kustomize is installed."""
    command = kustomize_command()
    if command is None:
        pytest.skip("neither kustomize nor kubectl installed: the structural checks still run")
    result = subprocess.run(
        [*command, str(folder)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)
