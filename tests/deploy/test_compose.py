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
