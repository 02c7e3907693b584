"""The probes mean what they say: ``/live`` answers while the process and its event loop do,
whatever the database, Redis or the catalog; ``/ready`` and ``/health`` look at them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from hsc_jit.api.app import create_app
from hsc_jit.api.state import get_state
from hsc_jit.config import Settings
from hsc_jit.observability import health
from tests.utils.live import LiveServer


def test_live_needs_nothing_started(settings: Settings) -> None:
    # No lifespan: no database engine, no cache, no catalog, no app state at all.
    client = TestClient(create_app(settings))
    response = client.get("/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response.headers["content-type"] == "application/json"


def test_live_consults_no_dependency(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(settings)

    def no_state() -> None:
        raise AssertionError("a liveness probe must not look at the app's state")

    def unreachable(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a liveness probe must not look at dependencies")

    app.dependency_overrides[get_state] = no_state
    monkeypatch.setattr(health, "database_status", unreachable)
    monkeypatch.setattr(health, "process_status", unreachable)
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/live").status_code == 200
    # The other probes do depend on the state (here: failing), which is the point of /live.
    assert client.get("/ready").status_code == 500
    assert client.get("/health").status_code == 500


async def test_live_while_the_database_is_down(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL down before the catalog loaded: /health 503, /ready 503, /live 200."""

    async def down(_engine: Any) -> dict[str, Any]:
        return {"status": "down", "error": "OSError: connection refused"}

    monkeypatch.setattr(health, "database_status", down)
    app = create_app(settings)
    with TestClient(app) as client:
        state = get_state_of(app)
        monkeypatch.setattr(state.holder, "current", None)
        assert client.get("/health").status_code == 503
        assert client.get("/health").json()["status"] == "unhealthy"
        assert client.get("/ready").status_code == 503
        live = client.get("/live")
    assert live.status_code == 200
    assert live.json() == {"status": "alive"}


def get_state_of(app: Any) -> Any:
    return app.state.hsc


def test_live_is_documented_with_its_model(settings: Settings) -> None:
    document = create_app(settings).openapi()
    operation = document["paths"]["/live"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"] == "#/components/schemas/Live"
    live = document["components"]["schemas"]["Live"]
    assert live["properties"]["status"]["const"] == "alive"
    assert operation["tags"] == ["operations"]


def test_live_on_a_running_server(demo_server: LiveServer) -> None:
    response = httpx.get(f"{demo_server.url}/live", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
