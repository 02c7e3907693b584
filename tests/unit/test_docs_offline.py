"""``/docs`` and ``/redoc`` work offline: every file they load is the app's own."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from hsc_jit.api.app import create_app
from hsc_jit.config import Settings

# src="...", href="...", and the OpenAPI URL: Swagger UI's "url: '...'", ReDoc's spec-url="...".
_REFERENCES = re.compile(r"""(?:src|href|spec-url)=["']([^"']+)["']|\burl:\s*'([^']+)'""")


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))  # no lifespan: the pages need no database


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_only_local_files(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE), html
    references = [a or b for a, b in _REFERENCES.findall(html)]
    assert "/openapi.json" in references
    assert any(ref.endswith(".js") for ref in references)
    for reference in references:
        asset = client.get(reference)
        assert asset.status_code == 200, reference
        assert asset.content, reference
    csp = response.headers["content-security-policy"]
    assert "http" not in csp and "frame-ancestors 'none'" in csp


def test_swagger_ui_is_a_current_release(client: TestClient) -> None:
    # FastAPI publishes OpenAPI 3.1, which Swagger UI renders only from version 5.
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")


def test_no_cdn_page_is_left_behind(client: TestClient) -> None:
    assert client.get("/docs/oauth2-redirect").status_code == 404
    assert client.get("/docs/assets/no-such-file.js").status_code == 404
