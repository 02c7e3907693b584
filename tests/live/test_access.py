"""Access: admin routes behind their bearer token, CORS from settings, security headers, and no
token or API key ever written to the logs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY
from pydantic import ValidationError

from hsc_jit.config import Settings
from tests.utils.background import in_background
from tests.utils.faults import ADMIN_TOKEN, OPENAI_KEY, admin_headers, ask, fault_catalog
from tests.utils.live import LiveServer, live_settings, running
from tests.utils.model_server import FakeModelServer

ADMIN_ROUTES = [
    ("POST", "/api/admin/catalog/import"),
    ("POST", "/api/admin/catalog/reload"),
    ("POST", "/api/admin/cache/purge"),
    ("GET", "/api/admin/unanswered"),
    ("GET", "/api/admin/tickets"),
    ("GET", "/api/admin/feedback"),
    ("GET", "/api/admin/searches"),
]
ORIGIN = "https://app.example.com"


def _base(tmp: Path, **overrides: object) -> Settings:
    """Settings built (and so validated) from the overrides, on a free port."""
    fields = {
        "data_dir": tmp,
        "fetch_allow_private": True,
        "log_json": False,
        "log_level": "WARNING",
        "catalog_poll_s": 3600,
        **overrides,
    }
    return live_settings(Settings(**fields))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("access")
    # static_dir without an index.html: no web app mounted, so unknown paths are plain 404s.
    settings = _base(tmp, admin_token=ADMIN_TOKEN, cors_origins=[ORIGIN], static_dir=tmp)
    with running(settings) as live:
        yield live


def _call(server: LiveServer, method: str, path: str, **kwargs: object) -> httpx.Response:
    return httpx.request(method, server.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_admin_routes_need_the_bearer_token(server: LiveServer, method: str, path: str) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer x"},
        {"Authorization": "Bearer " + ADMIN_TOKEN[:-1]},
        {"Authorization": "Bearer " + ADMIN_TOKEN + "x"},
        {"Authorization": "Basic " + ADMIN_TOKEN},
        {"Authorization": ADMIN_TOKEN},
        {"X-Admin-Token": ADMIN_TOKEN},
    ):
        response = _call(server, method, path, headers=headers)
        assert response.status_code == 401, (headers, response.status_code)
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "unauthorized"
        assert ADMIN_TOKEN not in response.text
    body = fault_catalog({"acme-anvil-2": None}, brand="acme") if path.endswith("import") else None
    response = _call(server, method, path, headers=admin_headers(), content=body)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_admin_routes_do_not_exist_without_a_token(
    demo_server: LiveServer, method: str, path: str
) -> None:
    assert demo_server.settings.admin_token is None
    for headers in ({}, admin_headers()):
        response = _call(demo_server, method, path, headers=headers)
        assert response.status_code == 404
        assert response.json() == {"error": {"code": "not_found", "message": "Not Found"}}


def test_a_purge_by_the_documented_name_drops_cached_predictions(server: LiveServer) -> None:
    def counted(kind: str) -> float:
        labels = {"layer": "l1", "cache": "predict"}
        return REGISTRY.get_sample_value(f"cache_{kind}_total", labels) or 0.0

    def predict() -> list[str]:
        response = _call(server, "GET", "/api/predict", params={"q": "rolnd td27 purge"})
        return [p["product"]["id"] for p in response.json()["predictions"]]

    first = predict()
    hits, misses = counted("hits"), counted("misses")
    assert predict() == first
    assert (counted("hits"), counted("misses")) == (hits + 1, misses)
    purged = _call(server, "POST", "/api/admin/cache/purge?cache=predict", headers=admin_headers())
    assert purged.json() == {"purged": "predict"}
    assert predict() == first
    assert (counted("hits"), counted("misses")) == (hits + 1, misses + 1)


def test_a_short_admin_token_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(admin_token="short")


def test_cors_preflight_allows_the_configured_origin_only(server: LiveServer) -> None:
    request = {"Access-Control-Request-Method": "GET"}
    allowed = _call(server, "OPTIONS", "/api/predict", headers={"Origin": ORIGIN, **request})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    # A shop's page sends no cookies or auth to the public routes.
    assert "access-control-allow-credentials" not in allowed.headers
    assert "GET" in allowed.headers["access-control-allow-methods"]
    post = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    for path in ("/api/ask", "/api/feedback", "/api/handoff"):
        preflight = _call(server, "OPTIONS", path, headers=post)
        assert preflight.status_code == 200, path
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
    evil = _call(
        server, "OPTIONS", "/api/predict", headers={"Origin": "https://evil.example", **request}
    )
    assert evil.status_code == 400
    assert "access-control-allow-origin" not in evil.headers
    not_allowed_method = _call(
        server,
        "OPTIONS",
        "/api/predict",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"},
    )
    assert not_allowed_method.status_code == 400


def test_cors_headers_on_responses(server: LiveServer) -> None:
    ok = _call(server, "GET", "/api/brands", headers={"Origin": ORIGIN})
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-credentials" not in ok.headers
    evil = _call(server, "GET", "/api/brands", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in evil.headers


def test_admin_routes_never_answer_another_origin(server: LiveServer) -> None:
    """Not even a listed one: a browser on a shop's page can neither send the token (the
    preflight fails) nor read an answer."""
    for origin in (ORIGIN, "https://evil.example"):
        preflight = _call(
            server,
            "OPTIONS",
            "/api/admin/unanswered",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        assert "access-control-allow-origin" not in preflight.headers
        answer = _call(
            server, "GET", "/api/admin/unanswered", headers={"Origin": origin, **admin_headers()}
        )
        assert answer.status_code == 200  # the token, not the origin, is what lets a tool in
        assert "access-control-allow-origin" not in answer.headers


def test_a_wildcard_origin_never_comes_with_credentials(tmp_path: Path) -> None:
    with running(_base(tmp_path, cors_origins=["*"], load_demo_catalog=False)) as server:
        response = _call(server, "GET", "/health", headers={"Origin": "https://any.example"})
        preflight = _call(
            server,
            "OPTIONS",
            "/api/predict",
            headers={"Origin": "https://any.example", "Access-Control-Request-Method": "GET"},
        )
    for answer in (response, preflight):
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in answer.headers
    with pytest.raises(ValidationError, match="cannot be combined"):
        Settings(cors_origins=["*", ORIGIN])


def test_no_cors_headers_without_configured_origins(demo_server: LiveServer) -> None:
    response = _call(demo_server, "GET", "/api/brands", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/brands", 200),
        ("GET", "/api/products/ghost", 404),
        ("GET", "/api/predict?q=" + "x" * 1001, 422),
        ("POST", "/api/admin/cache/purge", 401),
        ("GET", "/health", 200),
        ("GET", "/ready", 200),
        ("GET", "/metrics", 200),
        ("GET", "/no/such/page", 404),
        ("GET", "/openapi.json", 200),
    ],
)
def test_security_headers_on_every_response(
    server: LiveServer, method: str, path: str, status: int
) -> None:
    response = _call(server, method, path)
    assert response.status_code == status
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "object-src 'none'" in headers["content-security-policy"]
    assert len(headers.get_list("content-security-policy")) == 1
    assert headers["x-request-id"]


def test_security_headers_on_streams_and_docs(server: LiveServer) -> None:
    with httpx.stream(
        "POST",
        f"{server.url}/api/ask",
        json={"product_id": "ghost", "query": "hello?"},
        timeout=30,
    ) as response:
        assert response.headers["x-content-type-options"] == "nosniff"
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert lines[-1]["code"] == "product_not_found"
    docs = _call(server, "GET", "/docs")
    assert docs.status_code == 200
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    assert docs.headers["x-frame-options"] == "DENY"


def test_frame_ancestors_come_from_the_settings(tmp_path: Path) -> None:
    shop = "https://shop.example"
    settings = _base(tmp_path, frame_ancestors=["'self'", shop], load_demo_catalog=False)
    with running(settings) as framed:
        response = _call(framed, "GET", "/health")
    assert f"frame-ancestors 'self' {shop}" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers  # it could not name the shop
    for wrong in (["*"], ["shop.example"], ["https://shop.example/page"]):
        with pytest.raises(ValidationError):
            Settings(frame_ancestors=wrong)


def test_the_client_config_is_served_at_run_time(tmp_path: Path) -> None:
    settings = _base(
        tmp_path,
        load_demo_catalog=False,
        default_lang="he",
        public_ws_url="wss://support.example/ws",
        client_prediction_limit=5,
    )
    with running(settings) as configured:
        config = _call(configured, "GET", "/api/config").json()
    assert config == {
        "ws_url": "wss://support.example/ws",
        "languages": ["en", "he"],
        "default_lang": "he",
        "prediction_limit": 5,
        "typing_debounce_ms": 150,
    }
    with pytest.raises(ValidationError, match="ws://"):
        Settings(public_ws_url="https://support.example/ws")
    with pytest.raises(ValidationError):
        Settings(default_lang="fr")


def test_a_request_id_from_the_client_is_echoed_only_when_safe(server: LiveServer) -> None:
    plain = _call(server, "GET", "/health", headers={"X-Request-ID": "abc-123"})
    assert plain.headers["x-request-id"] == "abc-123"
    long = _call(server, "GET", "/health", headers={"X-Request-ID": "a" * 500})
    assert len(long.headers["x-request-id"]) <= 64


@asynccontextmanager
async def fake_openai() -> AsyncIterator[FakeModelServer]:
    # Page 5 ("a singer who holds the microphone") is what "How should I hold it?" finds.
    fake = FakeModelServer(deltas=["Hold it close. ", "[MANUAL: page 5]"])
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def test_tokens_and_api_keys_never_reach_the_logs(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with in_background(fake_openai) as provider:
        settings = _base(
            tmp_path,
            admin_token=ADMIN_TOKEN,
            openai_api_key=OPENAI_KEY,
            openai_base_url=provider.base_url,
            answer_provider="openai",
            answer_timeout_s=1.0,
            log_level="DEBUG",
            log_json=True,
        )
        with running(settings) as server:
            for route_method, path in ADMIN_ROUTES:
                body = b"{" if path.endswith("import") else None  # a refused import logs too
                for headers in (admin_headers(), admin_headers(ADMIN_TOKEN + "-wrong")):
                    _call(server, route_method, path, headers=headers, content=body)
            _call(server, "GET", "/api/predict", params={"q": "shure"}, headers=admin_headers())
            answered = await ask(server, "shure-sm58", "How should I hold it?")
            provider.mode = "error"  # a provider failure is logged with its exception
            failed = await ask(server, "shure-sm58", "Does it need batteries?")
            provider.mode = "hang"
            timed_out = await ask(server, "shure-sm58", "Does it need power?")
    assert answered[-1]["provider"] == "openai"
    assert failed[-1]["provider"] == timed_out[-1]["provider"] == "extractive"
    assert provider.requests and len(provider.requests) == 3
    captured = capfd.readouterr()
    logs = captured.out + captured.err
    assert "answer.provider_failed" in logs  # the logs were captured, at every level
    for secret in (ADMIN_TOKEN, OPENAI_KEY, OPENAI_KEY[3:]):
        assert secret not in logs
