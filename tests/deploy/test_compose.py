"""deploy/compose.yaml: parses, has every service, Redis runs with the guide's flags."""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy.conftest import DEPLOY, load_yaml_documents


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    (doc,) = load_yaml_documents(DEPLOY / "compose.yaml")
    return doc


def test_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) >= {"app", "postgres", "redis", "prometheus", "grafana"}


def test_redis_runs_with_the_guides_flags(compose: dict[str, Any]) -> None:
    command = compose["services"]["redis"]["command"].split()
    assert command[0] == "redis-server"
    flags = dict(zip(command[1::2], command[2::2], strict=True))
    assert flags == {
        "--maxmemory": "512mb",
        "--maxmemory-policy": "allkeys-lru",
        "--tcp-backlog": "511",
        "--timeout": "0",
        "--tcp-keepalive": "300",
    }


def test_postgres_is_16(compose: dict[str, Any]) -> None:
    assert compose["services"]["postgres"]["image"].startswith("postgres:16")


def test_app_is_built_from_the_dockerfile_and_wired(compose: dict[str, Any]) -> None:
    app = compose["services"]["app"]
    assert app["build"] == {"context": "..", "dockerfile": "deploy/docker/Dockerfile"}
    assert (DEPLOY / ".." / app["build"]["dockerfile"]).is_file()
    env = app["environment"]
    assert env["HSC_DATABASE_URL"].startswith("postgresql://")
    assert "@postgres:5432/" in env["HSC_DATABASE_URL"]
    assert env["HSC_REDIS_URL"] == "redis://redis:6379/0"
    assert env["HSC_HOST"] == "0.0.0.0"
    assert "PROMETHEUS_MULTIPROC_DIR" in env
    assert "8000:8000" in app["ports"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert compose["services"]["migrate"]["command"] == ["hsc-jit", "db", "upgrade"]


def test_no_secret_values_in_the_file(compose: dict[str, Any]) -> None:
    env = compose["services"]["app"]["environment"]
    for key in ("HSC_ADMIN_TOKEN", "HSC_OPENAI_API_KEY", "HSC_GEMINI_API_KEY"):
        assert env[key].startswith("${"), key
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${")
    assert ".env" in (DEPLOY / ".gitignore").read_text().split()


def test_dependencies_have_healthchecks(compose: dict[str, Any]) -> None:
    for name in ("postgres", "redis"):
        assert compose["services"][name]["healthcheck"]["test"], name


# --- what reaches the host's network ---------------------------------------------------------


def published(service: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(host address or None for every interface, container port) of each published port."""
    result: list[tuple[str | None, str]] = []
    for port in service.get("ports", []):
        if isinstance(port, dict):  # long syntax
            result.append((port.get("host_ip"), str(port["target"])))
            continue
        parts = str(port).rsplit(":", 2)
        if len(parts) == 3:  # ip:host:container
            result.append((parts[0].strip("[]"), parts[2]))
        else:  # host:container, or the container port alone (a random host port)
            result.append((None, parts[-1]))
    return result


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def test_published_port_parser() -> None:
    service = {"ports": ["8000:8000", "127.0.0.1:9090:9090", "[::1]:3000:3000", "5432",
                         {"target": 80, "host_ip": "127.0.0.1", "published": 8080}]}  # fmt: skip
    assert published(service) == [
        (None, "8000"),
        ("127.0.0.1", "9090"),
        ("::1", "3000"),
        (None, "5432"),
        ("127.0.0.1", "80"),
    ]


def test_nothing_without_authentication_is_published(compose: dict[str, Any]) -> None:
    services = compose["services"]
    # No authentication at all: never on the host's network interfaces.
    for name in ("prometheus", "postgres", "redis", "migrate"):
        for address, port in published(services[name]):
            assert address in LOOPBACK, f"{name} publishes {port} on every interface"
    # Grafana has a login, but sent in clear text: loopback too, by default.
    for address, port in published(services["grafana"]):
        assert address in LOOPBACK, f"grafana publishes {port} on every interface"
    assert ("127.0.0.1", "9090") in published(services["prometheus"])  # reachable on the host
    assert services["postgres"].get("ports") is None
    assert services["redis"].get("ports") is None
    # Only the app's public port: /metrics and the admin routes answer on the internal port,
    # published on the loopback alone (Prometheus scrapes it on the compose network).
    public = {name for name, svc in services.items() if any(a is None for a, _ in published(svc))}
    assert public == {"app"}
    app = services["app"]
    internal = str(app["environment"]["HSC_INTERNAL_PORT"])
    assert {port for address, port in published(app) if address is None} == {"8000"}
    assert ("127.0.0.1", internal) in published(app)


def test_how_to_reach_the_private_services_is_explained() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    assert "ssh -L 9090:127.0.0.1:9090" in text
