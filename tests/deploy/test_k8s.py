"""deploy/k8s: every manifest against the Kubernetes OpenAPI schemas (offline, bundled with
kubernetes-validate), plus the guide's figures and the wiring between the objects."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from pydantic import ValidationError

from hsc_jit.config import Settings
from tests.deploy.conftest import (
    K8S,
    k8s_manifest_files,
    k8s_object,
    k8s_objects,
    load_yaml_documents,
)

# A floor most managed clusters still run, and a recent release; both bundled (no network).
K8S_VERSIONS = ("1.30.0", "1.33.0")


def _object_id(item: tuple[Path, dict[str, Any]]) -> str:
    path, doc = item
    return f"{path.name}:{doc['kind']}/{doc['metadata']['name']}"


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("item", k8s_objects(), ids=_object_id)
def test_manifest_validates_against_kubernetes_schema(
    item: tuple[Path, dict[str, Any]], version: str
) -> None:
    _, doc = item
    # strict: unknown fields (typos) fail instead of being ignored by the API server.
    kubernetes_validate.validate(doc, version, strict=True)


def test_schema_validation_catches_a_typo() -> None:
    deployment = copy.deepcopy(k8s_object("Deployment", "hsc-jit"))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSIONS[-1], strict=True)


def test_every_manifest_is_valid_yaml_with_kind_and_name() -> None:
    files = k8s_manifest_files()
    assert len(files) >= 8
    for path, doc in k8s_objects():
        assert doc.get("apiVersion"), path
        assert doc.get("kind"), path
        assert doc["metadata"].get("name"), path


# --- kustomization ---------------------------------------------------------------------------


def kustomization() -> dict[str, Any]:
    (doc,) = load_yaml_documents(K8S / "kustomization.yaml")
    return doc


def test_kustomization_lists_every_manifest_but_the_example_secret() -> None:
    resources = kustomization()["resources"]
    assert all((K8S / name).is_file() for name in resources)
    expected = {p.name for p in k8s_manifest_files()} - {"secret.example.yaml"}
    assert set(resources) == expected
    assert kustomization()["namespace"] == "hsc-jit"


def test_kustomization_sets_every_image_used() -> None:
    images = {image["name"] for image in kustomization()["images"]}
    used = set()
    for _, doc in k8s_objects():
        spec = doc.get("spec", {})
        pod = spec.get("template", {}).get("spec") or (
            spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec")
        )
        if pod:
            used |= {c["image"] for c in pod.get("containers", []) + pod.get("initContainers", [])}
    assert used == images


def test_namespaced_objects_carry_no_other_namespace() -> None:
    for path, doc in k8s_objects():
        assert doc["metadata"].get("namespace") in (None, "hsc-jit"), path


# --- the Deployment --------------------------------------------------------------------------


def pod_spec() -> dict[str, Any]:
    return dict(k8s_object("Deployment", "hsc-jit")["spec"]["template"]["spec"])


def server() -> dict[str, Any]:
    (container,) = pod_spec()["containers"]
    return dict(container)


def test_resources_are_the_guides() -> None:
    assert server()["resources"] == {
        "requests": {"memory": "1280Mi", "cpu": "500m"},
        "limits": {"memory": "2Gi", "cpu": "1000m"},
    }


def test_probes_are_the_guides() -> None:
    liveness = server()["livenessProbe"]
    assert liveness["httpGet"]["path"] == "/health"
    assert (
        liveness["initialDelaySeconds"],
        liveness["periodSeconds"],
        liveness["timeoutSeconds"],
        liveness["failureThreshold"],
    ) == (30, 10, 5, 3)
    readiness = server()["readinessProbe"]
    assert readiness["httpGet"]["path"] == "/ready"
    assert (
        readiness["initialDelaySeconds"],
        readiness["periodSeconds"],
        readiness["failureThreshold"],
    ) == (10, 5, 3)
    ports = {p["name"]: p["containerPort"] for p in server()["ports"]}
    assert ports == {"http": 8000}
    assert liveness["httpGet"]["port"] in ("http", 8000)


def test_graceful_shutdown_fits_the_grace_period() -> None:
    command = server()["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    pre_stop = int(command[1])
    config = k8s_object("ConfigMap", "hsc-jit-config")["data"]
    app_grace = float(config["HSC_SHUTDOWN_GRACE_S"])
    assert app_grace < 5, "the guide: graceful shutdown < 5s"
    assert pod_spec()["terminationGracePeriodSeconds"] > pre_stop + app_grace


def test_runs_non_root_read_only() -> None:
    pod = pod_spec()["securityContext"]
    assert pod["runAsNonRoot"] is True
    assert pod["runAsUser"] != 0
    for container in pod_spec()["containers"] + pod_spec()["initContainers"]:
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["readOnlyRootFilesystem"] is True
        assert context["capabilities"]["drop"] == ["ALL"]


def test_multiprocess_metrics_folder_is_an_empty_dir() -> None:
    env = {e["name"]: e.get("value") for e in server()["env"]}
    folder = env["PROMETHEUS_MULTIPROC_DIR"]
    mounts = {m["mountPath"]: m["name"] for m in server()["volumeMounts"]}
    volumes = {v["name"]: v for v in pod_spec()["volumes"]}
    assert "emptyDir" in volumes[mounts[folder]]
    assert "/tmp" in mounts  # gunicorn heartbeat files on a read-only root filesystem


def test_settings_come_from_the_configmap_and_secret() -> None:
    sources = {
        ("configMapRef" if "configMapRef" in s else "secretRef"): next(iter(s.values()))["name"]
        for s in server()["envFrom"]
    }
    assert sources == {"configMapRef": "hsc-jit-config", "secretRef": "hsc-jit-secrets"}
    k8s_object("ConfigMap", "hsc-jit-config")
    k8s_object("Secret", "hsc-jit-secrets")
    (migrate,) = pod_spec()["initContainers"]
    assert migrate["args"] == ["hsc-jit", "db", "upgrade"]
    assert migrate["envFrom"] == server()["envFrom"]


def test_prefers_spot_nodes_and_spreads_pods() -> None:
    affinity = pod_spec()["affinity"]
    (preferred,) = affinity["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert preferred["weight"] == 100
    (expression,) = preferred["preference"]["matchExpressions"]
    assert expression == {"key": "cloud.google.com/gke-spot", "operator": "In", "values": ["true"]}
    anti = affinity["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert anti[0]["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
    assert "requiredDuringSchedulingIgnoredDuringExecution" not in affinity["nodeAffinity"]


def test_replicas_are_left_to_the_hpa() -> None:
    assert "replicas" not in k8s_object("Deployment", "hsc-jit")["spec"]


def test_service_and_pdb_select_the_pods() -> None:
    labels = k8s_object("Deployment", "hsc-jit")["spec"]["template"]["metadata"]["labels"]
    service = k8s_object("Service", "hsc-jit")["spec"]
    assert service["selector"].items() <= labels.items()
    assert service["ports"][0]["targetPort"] in ("http", 8000)
    pdb = k8s_object("PodDisruptionBudget", "hsc-jit")["spec"]
    assert pdb["selector"]["matchLabels"].items() <= labels.items()


# --- the HPA -----------------------------------------------------------------------------------


def test_hpa_is_the_guides() -> None:
    hpa = k8s_object("HorizontalPodAutoscaler", "hsc-jit")
    assert hpa["apiVersion"] == "autoscaling/v2"
    spec = hpa["spec"]
    assert spec["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "hsc-jit",
    }
    assert (spec["minReplicas"], spec["maxReplicas"]) == (2, 10)
    targets = {m["resource"]["name"]: m["resource"]["target"] for m in spec["metrics"]}
    assert targets == {
        "cpu": {"type": "Utilization", "averageUtilization": 70},
        "memory": {"type": "Utilization", "averageUtilization": 80},
    }
    up, down = spec["behavior"]["scaleUp"], spec["behavior"]["scaleDown"]
    assert up["stabilizationWindowSeconds"] == 30
    assert up["policies"] == [{"type": "Percent", "value": 100, "periodSeconds": 15}]
    assert down["stabilizationWindowSeconds"] == 300
    assert down["policies"] == [{"type": "Percent", "value": 50, "periodSeconds": 15}]


# --- scheduled scaling -------------------------------------------------------------------------


def cronjobs() -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in k8s_objects() if doc["kind"] == "CronJob"}


def test_cronjobs_patch_the_hpa_floor() -> None:
    floors = {}
    for name, job in cronjobs().items():
        spec = job["spec"]
        assert spec["schedule"] != "*/1 * * * *", "would run every minute"
        assert re.fullmatch(r"0 \d{1,2} \* \* [\d*,-]+", spec["schedule"]), spec["schedule"]
        assert spec["concurrencyPolicy"] == "Forbid"
        pod = spec["jobTemplate"]["spec"]["template"]["spec"]
        assert pod["serviceAccountName"] == "hsc-jit-scaler"
        (container,) = pod["containers"]
        command = container["command"]
        assert command[:3] == ["kubectl", "patch", "horizontalpodautoscaler/hsc-jit"]
        floors[name] = int(re.search(r'"minReplicas":(\d+)', command[-1]).group(1))  # type: ignore[union-attr]
    assert floors == {"hsc-jit-scale-down-off-hours": 1, "hsc-jit-scale-up-work-hours": 3}


def test_scaler_may_only_patch_the_one_hpa() -> None:
    role = k8s_object("Role", "hsc-jit-scaler")
    assert role["rules"] == [
        {
            "apiGroups": ["autoscaling"],
            "resources": ["horizontalpodautoscalers"],
            "resourceNames": ["hsc-jit"],
            "verbs": ["get", "patch"],
        }
    ]
    binding = k8s_object("RoleBinding", "hsc-jit-scaler")
    assert binding["roleRef"]["name"] == "hsc-jit-scaler"
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "hsc-jit-scaler"}]
    k8s_object("ServiceAccount", "hsc-jit-scaler")


# --- configuration -------------------------------------------------------------------------


def test_configmap_holds_only_known_non_secret_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    data = k8s_object("ConfigMap", "hsc-jit-config")["data"]
    fields = set(Settings.model_fields)
    for key in data:
        assert key.startswith("HSC_"), key
        assert key[4:].lower() in fields, key
        assert not re.search(r"TOKEN|KEY|PASSWORD|DATABASE_URL|REDIS_URL", key), key
    for key, value in data.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HSC_DATABASE_URL", "postgresql://hsc:pw@db.example:5432/hsc")
    settings = Settings()
    assert settings.host == "0.0.0.0"
    assert settings.cors_origins == ["https://support.example.com"]
    assert not settings.should_auto_migrate


def test_example_secret_holds_placeholders_only() -> None:
    secret = k8s_object("Secret", "hsc-jit-secrets")
    assert "data" not in secret
    values = secret["stringData"]
    assert set(values) >= {"HSC_DATABASE_URL", "HSC_REDIS_URL", "HSC_ADMIN_TOKEN"}
    assert all("CHANGE-ME" in value for value in values.values())
    # A pod started with the placeholder token refuses to start rather than run with it.
    with pytest.raises(ValidationError):
        Settings(admin_token=values["HSC_ADMIN_TOKEN"])
