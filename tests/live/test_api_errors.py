"""One error body on every HTTP route and status: ``{"error": {"code", "message"}}``.

Most statuses against the live demo server; a failing dependency (500, 503) in process.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import httpx
import pytest
from fastapi.testclient import TestClient

from hsc_jit.api.app import create_app
from hsc_jit.api.schemas import ErrorResponse
from hsc_jit.api.state import get_state
from hsc_jit.config import Settings
from tests.utils.live import LiveServer


class _Reply(Protocol):
    """httpx's response, or the test client's (its own copy of httpx)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def text(self) -> str: ...
    def json(self) -> Any: ...


def _error(response: _Reply, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert ErrorResponse.model_validate(body).model_dump() == body  # no other field
    assert body["error"]["code"] == code and body["error"]["message"]
    return body


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("GET", "/api/products/ghost", {}, 404, "product_not_found"),
        ("GET", "/api/no-such-route", {}, 404, "not_found"),
        ("GET", "/demo/manuals/no-such.pdf", {}, 404, "not_found"),
        ("DELETE", "/api/brands", {}, 405, "method_not_allowed"),
        ("GET", "/api/predict", {"params": {"q": "x" * 1001}}, 422, "invalid_request"),
        ("GET", "/api/predict", {"params": {"limit": "many"}}, 422, "invalid_request"),
        ("POST", "/api/ask", {"json": {"product_id": "x"}}, 422, "invalid_request"),
        (
            "POST",
            "/api/ask",
            {"content": b"{", "headers": {"content-type": "application/json"}},
            422,
            "invalid_request",
        ),
        ("POST", "/api/admin/catalog/reload", {}, 404, "not_found"),
    ],
)
def test_every_error_has_the_one_shape(
    demo_server: LiveServer,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    code: str,
) -> None:
    response = httpx.request(method, demo_server.url + path, timeout=30, **kwargs)
    _error(response, status, code)


def test_validation_errors_name_the_field(demo_server: LiveServer) -> None:
    response = httpx.get(f"{demo_server.url}/api/predict", params={"limit": 0})
    message = _error(response, 422, "invalid_request")["error"]["message"]
    assert "query.limit" in message


def test_a_method_not_allowed_keeps_its_allow_header(demo_server: LiveServer) -> None:
    response = httpx.delete(f"{demo_server.url}/api/brands")
    _error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize(
    ("raised", "status", "code"),
    [(OSError("database gone"), 503, "unavailable"), (RuntimeError("bug"), 500, "internal")],
)
def test_failures_inside_a_route_have_the_shape_too(
    settings: Settings, raised: Exception, status: int, code: str
) -> None:
    app = create_app(settings)

    def failing_state() -> None:
        raise raised

    app.dependency_overrides[get_state] = failing_state
    client = TestClient(app, raise_server_exceptions=False)  # no lifespan: nothing to start
    # /ready is not metered: a 5xx elsewhere would count in this process's HTTP metrics, which
    # other tests read through the demo server's /metrics.
    body = _error(client.get("/ready"), status, code)
    assert str(raised) not in body["error"]["message"]  # nothing internal leaks


def test_the_openapi_document_types_every_response(settings: Settings) -> None:
    document = create_app(settings).openapi()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    probes = {("/health", "503"), ("/ready", "503")}  # their own bodies, not errors
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                content = response["content"]
                if path == "/api/ask" and status == "200":
                    # A stream: its lines are documented as the items of the media type.
                    schema = content["application/x-ndjson"]["itemSchema"]
                else:
                    schema = content["application/json"]["schema"]
                ref = schema["$ref"].removeprefix("#/components/schemas/")
                assert ref in schemas, (path, status)
                if not status.startswith("2") and (path, status) not in probes:
                    assert ref == "ErrorResponse", (path, status)
