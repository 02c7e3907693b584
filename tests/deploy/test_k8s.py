"""deploy/k8s: every manifest against the Kubernetes OpenAPI schemas (offline, bundled with
kubernetes-validate), plus the guide's figures and the wiring between the objects; the
optional components and the overlays, structurally and (with kustomize or kubectl installed)
rendered."""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from pydantic import ValidationError

from hsc_jit.api.app import create_app
from hsc_jit.config import Settings
from tests.deploy.conftest import (
    K8S_BASE,
    K8S_COMPONENTS,
    K8S_OVERLAYS,
    PROMETHEUS,
    k8s_manifest_files,
    k8s_object,
    k8s_objects,
    kustomizations,
    kustomize_build,
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
    (doc,) = load_yaml_documents(K8S_BASE / "kustomization.yaml")
    return doc


def test_kustomization_lists_every_manifest_but_the_example_secret() -> None:
    resources = kustomization()["resources"]
    assert all((K8S_BASE / name).is_file() for name in resources)
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


def probe_path(probe: dict[str, Any]) -> str:
    assert probe["httpGet"]["port"] in ("http", 8000)
    return str(probe["httpGet"]["path"])


def test_probes_ask_the_right_questions() -> None:
    container = server()
    # Liveness restarts the container: /live, which answers whatever the database does.
    # Never /health: it answers 503 while PostgreSQL is down and no catalog is loaded.
    assert probe_path(container["livenessProbe"]) == "/live"
    assert probe_path(container["readinessProbe"]) == "/ready"
    assert probe_path(container["startupProbe"]) in ("/live", "/ready")
    assert "/health" not in {
        probe_path(container[name]) for name in ("livenessProbe", "readinessProbe", "startupProbe")
    }
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 8000, "internal": 9000}


def test_probe_timings() -> None:
    liveness, readiness, startup = (
        server()[name] for name in ("livenessProbe", "readinessProbe", "startupProbe")
    )
    # The guide's period, timeout and threshold; its 30 s initial delay is the startup
    # probe's job now (liveness does not run until the startup probe has passed).
    timings = ("periodSeconds", "timeoutSeconds", "failureThreshold")
    assert tuple(liveness[key] for key in timings) == (10, 5, 3)
    assert tuple(readiness[key] for key in timings) == (5, 3, 3)
    assert "initialDelaySeconds" not in liveness
    # Generous: gunicorn forks the workers, each spawns extraction processes and loads the
    # embedding model, on a pod limited to one CPU.
    budget = startup["failureThreshold"] * startup["periodSeconds"]
    assert budget >= 120, budget
    assert startup["timeoutSeconds"] <= startup["periodSeconds"]


def test_probe_paths_are_routes_of_the_app(tmp_path: Path) -> None:
    paths = set(create_app(Settings(data_dir=tmp_path)).openapi()["paths"])
    container = server()
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        assert probe_path(container[name]) in paths, name


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


def test_base_spreads_pods_and_leaves_node_choice_to_components() -> None:
    affinity = pod_spec()["affinity"]
    anti = affinity["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert anti[0]["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
    # Spot nodes are a cluster's choice: components/gke-spot, not the base.
    assert "nodeAffinity" not in affinity
    assert "tolerations" not in pod_spec()
    text = (K8S_BASE / "deployment.yaml").read_text()
    assert not [line for line in text.splitlines() if "spot" in line.split("#")[0]]


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
    # /metrics and /api/admin on the container's `internal` port only.
    assert (settings.port, settings.internal_port) == (8000, 9000)


def test_example_secret_holds_placeholders_only() -> None:
    secret = k8s_object("Secret", "hsc-jit-secrets")
    assert "data" not in secret
    values = secret["stringData"]
    assert set(values) >= {"HSC_DATABASE_URL", "HSC_REDIS_URL", "HSC_ADMIN_TOKEN"}
    assert all("CHANGE-ME" in value for value in values.values())
    # A pod started with the placeholder token refuses to start rather than run with it.
    with pytest.raises(ValidationError):
        Settings(admin_token=values["HSC_ADMIN_TOKEN"])


# --- components and overlays -----------------------------------------------------------------

COMPONENTS = kustomizations(K8S_COMPONENTS)
OVERLAYS = kustomizations(K8S_OVERLAYS)
# Custom resources: no schema bundled with kubernetes-validate, so their fields are checked
# against the Prometheus Operator's (monitoring.coreos.com/v1) by name below.
CUSTOM_KINDS = {"PodMonitor", "PrometheusRule"}


def folder_kustomization(folder: Path) -> dict[str, Any]:
    (doc,) = load_yaml_documents(folder / "kustomization.yaml")
    return doc


def component_objects(folder: Path) -> list[dict[str, Any]]:
    return [
        doc
        for name in folder_kustomization(folder).get("resources", [])
        for doc in load_yaml_documents(folder / name)
    ]


def test_components_and_overlays_exist() -> None:
    assert {p.name for p in COMPONENTS} >= {"gke-spot", "monitoring"}
    assert OVERLAYS, "at least one example overlay"


@pytest.mark.parametrize("folder", COMPONENTS, ids=lambda p: p.name)
def test_components_are_kustomize_components(folder: Path) -> None:
    doc = folder_kustomization(folder)
    assert (doc["apiVersion"], doc["kind"]) == ("kustomize.config.k8s.io/v1alpha1", "Component")
    for name in doc.get("resources", []):
        assert (folder / name).is_file(), name
    for patch in doc.get("patches", []):
        assert (folder / patch["path"]).is_file(), patch
    for obj in component_objects(folder):
        assert obj["metadata"].get("namespace") in (None, "hsc-jit")


@pytest.mark.parametrize("folder", OVERLAYS, ids=lambda p: p.name)
def test_overlays_build_on_the_base(folder: Path) -> None:
    doc = folder_kustomization(folder)
    assert (doc["apiVersion"], doc["kind"]) == ("kustomize.config.k8s.io/v1beta1", "Kustomization")
    assert doc["namespace"] == "hsc-jit"
    assert [(folder / r).resolve() for r in doc["resources"]] == [K8S_BASE.resolve()]
    for component in doc.get("components", []):
        assert (folder / component).resolve() in {c.resolve() for c in COMPONENTS}


def _merge(base: Any, patch: Any) -> Any:
    """Enough of a strategic merge for the component's patch: maps merge, lists are added."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(patch, list):
        return base + patch
    return patch


def spot_patch() -> dict[str, Any]:
    folder = K8S_COMPONENTS / "gke-spot"
    (patch,) = folder_kustomization(folder)["patches"]
    (doc,) = load_yaml_documents(folder / patch["path"])
    return doc


def assert_prefers_spot_nodes(pod: dict[str, Any]) -> None:
    affinity = pod["affinity"]
    (preferred,) = affinity["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert preferred["weight"] == 100
    (expression,) = preferred["preference"]["matchExpressions"]
    assert expression == {"key": "cloud.google.com/gke-spot", "operator": "In", "values": ["true"]}
    # Preferred, never required: without spot nodes the pods still schedule.
    assert "requiredDuringSchedulingIgnoredDuringExecution" not in affinity["nodeAffinity"]
    # The base's spreading is kept, not replaced.
    assert affinity["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert {"key": "cloud.google.com/gke-spot", "operator": "Equal", "value": "true",
            "effect": "NoSchedule"} in pod["tolerations"]  # fmt: skip


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_spot_component_patches_the_deployment(version: str) -> None:
    patch = spot_patch()
    deployment = k8s_object("Deployment", "hsc-jit")
    assert (patch["kind"], patch["metadata"]["name"]) == ("Deployment", "hsc-jit")
    assert set(patch["spec"]["template"]["spec"]) == {"affinity", "tolerations"}
    patched = _merge(deployment, patch)
    kubernetes_validate.validate(patched, version, strict=True)
    assert_prefers_spot_nodes(patched["spec"]["template"]["spec"])


def monitoring_object(kind: str) -> dict[str, Any]:
    (obj,) = [o for o in component_objects(K8S_COMPONENTS / "monitoring") if o["kind"] == kind]
    assert obj["apiVersion"] == "monitoring.coreos.com/v1"
    return obj


# Field names of the Prometheus Operator's v1 CRDs that these files may use (a typo fails).
_PODMONITOR_SPEC = {"selector", "podMetricsEndpoints", "namespaceSelector", "jobLabel",
                    "podTargetLabels", "sampleLimit", "attachMetadata"}  # fmt: skip
_POD_ENDPOINT = {"port", "portNumber", "path", "scheme", "interval", "scrapeTimeout",
                 "honorLabels", "relabelings", "metricRelabelings", "params"}  # fmt: skip
_RELABEL = {"action", "sourceLabels", "separator", "targetLabel", "regex", "replacement",
            "modulus"}  # fmt: skip
_RULE = {"alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"}


def test_podmonitor_scrapes_the_server_pods_as_the_alerts_expect() -> None:
    monitor = monitoring_object("PodMonitor")
    spec = monitor["spec"]
    assert set(spec) <= _PODMONITOR_SPEC
    pod_labels = k8s_object("Deployment", "hsc-jit")["spec"]["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= pod_labels.items()
    (endpoint,) = spec["podMetricsEndpoints"]
    assert set(endpoint) <= _POD_ENDPOINT
    assert endpoint["port"] in {p["name"] for p in server()["ports"]}
    assert endpoint["path"] == "/metrics"
    for relabel in endpoint["relabelings"]:
        assert set(relabel) <= _RELABEL
    # HSCJITTargetDown selects up{job="hsc-jit"}: the job label must be that.
    assert {"action": "replace", "targetLabel": "job", "replacement": "hsc-jit"} in endpoint[
        "relabelings"
    ]
    assert 'up{job="hsc-jit"}' in (PROMETHEUS / "alerts.yml").read_text()


def test_prometheusrule_is_alerts_yml() -> None:
    rule = monitoring_object("PrometheusRule")
    (alerts,) = load_yaml_documents(PROMETHEUS / "alerts.yml")
    assert set(rule["spec"]) == {"groups"}
    assert rule["spec"]["groups"] == alerts["groups"], (
        "prometheusrule.yaml is out of date: "
        "uv run --no-sync python deploy/k8s/components/monitoring/sync_rules.py"
    )
    for group in rule["spec"]["groups"]:
        assert set(group) <= {"name", "rules", "interval", "limit"}
        for item in group["rules"]:
            assert set(item) <= _RULE


def test_prometheusrule_file_is_what_sync_rules_writes() -> None:
    path = K8S_COMPONENTS / "monitoring" / "sync_rules.py"
    spec = importlib.util.spec_from_file_location("sync_rules", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TARGET.read_text(encoding="utf-8") == module.render(), (
        f"run: uv run --no-sync python {path.relative_to(K8S_BASE.parents[2])}"
    )


# Rendered with kustomize (or kubectl kustomize): skipped where neither is installed.

RENDERED = [K8S_BASE, *OVERLAYS]


def _render_id(folder: Path) -> str:
    return folder.name if folder != K8S_BASE else "base"


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("folder", RENDERED, ids=_render_id)
def test_rendered_objects_validate(folder: Path, version: str) -> None:
    objects = kustomize_build(folder)
    assert objects
    for obj in objects:
        if obj["kind"] in CUSTOM_KINDS:
            continue  # checked field by field above
        kubernetes_validate.validate(obj, version, strict=True)


@pytest.mark.parametrize("folder", RENDERED, ids=_render_id)
def test_rendered_objects_are_in_the_namespace(folder: Path) -> None:
    for obj in kustomize_build(folder):
        if obj["kind"] == "Namespace":
            assert obj["metadata"]["name"] == "hsc-jit"
        else:
            assert obj["metadata"]["namespace"] == "hsc-jit", obj["metadata"]["name"]
        assert obj["metadata"]["labels"]["app.kubernetes.io/part-of"] == "hsc-jit"


def _rendered_pod(objects: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    (deployment,) = [o for o in objects if o["kind"] == "Deployment"]
    return dict(deployment["spec"]["template"]["spec"])


def test_rendered_base_is_the_base_files() -> None:
    objects = kustomize_build(K8S_BASE)
    kinds = {(o["kind"], o["metadata"]["name"]) for o in objects}
    expected = {(doc["kind"], doc["metadata"]["name"]) for _, doc in k8s_objects()}
    assert kinds == expected - {("Secret", "hsc-jit-secrets")}
    assert not {kind for kind, _ in kinds} & CUSTOM_KINDS
    pod = _rendered_pod(objects)
    assert "nodeAffinity" not in pod["affinity"]
    (container,) = pod["containers"]
    assert container["image"] == "registry.example.com/hsc-jit:0.1.0"
    assert probe_path(container["livenessProbe"]) == "/live"


def test_rendered_gke_overlay_adds_spot_nodes_and_monitoring() -> None:
    objects = kustomize_build(K8S_OVERLAYS / "gke")
    assert_prefers_spot_nodes(_rendered_pod(objects))
    kinds = {o["kind"]: o for o in objects}
    assert set(kinds) >= CUSTOM_KINDS
    (alerts,) = load_yaml_documents(PROMETHEUS / "alerts.yml")
    assert kinds["PrometheusRule"]["spec"]["groups"] == alerts["groups"]
    base = {(o["kind"], o["metadata"]["name"]) for o in kustomize_build(K8S_BASE)}
    assert base <= {(o["kind"], o["metadata"]["name"]) for o in objects}
