"""The HTTP routes of PROTOCOL.md against a live server on the demo catalog."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
from pydantic import BaseModel

from hsc_jit.api.schemas import AnswerStreamMessage, BrandList, PredictionList, ProductContext
from tests.utils.live import LiveServer


def test_brands_lists_demo_brands_with_counts(demo_server: LiveServer) -> None:
    body = httpx.get(f"{demo_server.url}/api/brands").json()
    assert body["total_brands"] == len(body["brands"]) >= 4
    names = {b["name"] for b in body["brands"]}
    assert {"Roland", "Shure"} <= names
    assert all(isinstance(b["hq"], str) and b["product_count"] >= 1 for b in body["brands"])


def test_product_with_related_items(demo_server: LiveServer) -> None:
    body = httpx.get(f"{demo_server.url}/api/products/roland-td27kv").json()
    assert body["product"]["name"].startswith("Roland TD-27KV")
    assert body["product"]["brand_identity"]["id"] == body["brand"]["id"] == "roland"
    assert body["product"]["documentation"]["url"].startswith(demo_server.url + "/demo/manuals/")
    related = body["context"]["related_items"]
    assert related and {"id", "name", "type", "label", "category", "image"} <= set(related[0])
    assert {r["type"] for r in related} <= {"accessory", "related", "spare_part"}


def test_unknown_product_is_404(demo_server: LiveServer) -> None:
    response = httpx.get(f"{demo_server.url}/api/products/no-such-thing")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "product_not_found" and "no-such-thing" in error["message"]


def test_predict_typo_and_model_number(demo_server: LiveServer) -> None:
    body = httpx.get(f"{demo_server.url}/api/predict", params={"q": "rolnd td27"}).json()
    assert body["query"] == "rolnd td27"
    top = body["predictions"][0]
    assert top["product"]["id"] == "roland-td27kv"
    assert 0 <= top["confidence"] <= 100
    assert "related_items" in top["context"]


def test_predict_within_one_brand(demo_server: LiveServer) -> None:
    url = f"{demo_server.url}/api/predict"
    own = httpx.get(url, params={"q": "rolnd", "brand": "roland"}).json()["predictions"]
    assert own and {p["product"]["brand"] for p in own} == {"roland"}
    elsewhere = httpx.get(url, params={"q": "rolnd td27", "brand": "nord"}).json()["predictions"]
    assert all(p["product"]["brand"] == "nord" for p in elsewhere)
    unknown = httpx.get(url, params={"q": "td27", "brand": "acme"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    assert httpx.get(url, params={"brand": ""}).status_code == 422


def test_predict_empty_gives_a_sample_and_long_text_is_refused(demo_server: LiveServer) -> None:
    sample = httpx.get(f"{demo_server.url}/api/predict").json()["predictions"]
    assert 1 <= len(sample) <= 50
    assert (
        len(httpx.get(f"{demo_server.url}/api/predict", params={"limit": 3}).json()["predictions"])
        == 3
    )
    too_long = httpx.get(f"{demo_server.url}/api/predict", params={"q": "x" * 1001})
    assert too_long.status_code == 422


def test_ask_streams_ndjson_to_one_final_answer(demo_server: LiveServer) -> None:
    body = {"product_id": "roland-td27kv", "query": "How do I connect headphones?"}
    with httpx.stream("POST", f"{demo_server.url}/api/ask", json=body, timeout=30) as response:
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [line for line in response.iter_lines() if line]
    for line in lines:  # each line is its model, to the byte
        assert AnswerStreamMessage.model_validate_json(line).model_dump_json() == line
    messages = [json.loads(line) for line in lines]
    types = [m["type"] for m in messages]
    assert types[0] == "status"
    assert types[-1] == "final_answer"
    assert types.count("final_answer") == 1 and "error" not in types
    assert types.index("context") < types.index("final_answer")
    text = "".join(m["content"] for m in messages if m["type"] == "answer_chunk")
    assert "[MANUAL: page " in text
    final = messages[-1]
    assert final["found"] is True and final["provider"] == "extractive"
    assert final["sources"] and {"page", "url", "title"} <= set(final["sources"][0])


def test_a_slip_in_the_question_gets_the_answer_the_right_word_gets(
    demo_server: LiveServer,
) -> None:
    def answer(query: str) -> str:
        body = {"product_id": "roland-td27kv", "query": query}
        with httpx.stream("POST", f"{demo_server.url}/api/ask", json=body, timeout=30) as reply:
            messages = [json.loads(line) for line in reply.iter_lines() if line]
        return "".join(m["content"] for m in messages if m["type"] == "answer_chunk")

    right = answer("How do I connect headphones?")
    assert "[MANUAL: page " in right
    assert answer("How do I connect headphnoes?") == right


def test_ask_unknown_product_ends_in_one_error(demo_server: LiveServer) -> None:
    body = {"product_id": "nope", "query": "hello"}
    with httpx.stream("POST", f"{demo_server.url}/api/ask", json=body) as response:
        messages = [json.loads(line) for line in response.iter_lines() if line]
    assert [m["type"] for m in messages] == ["status", "error"]
    assert messages[1]["code"] == "product_not_found"
    assert messages[0]["msg"] == messages[1]["message"]


def test_bodies_are_their_models_to_the_byte(demo_server: LiveServer) -> None:
    cases: list[tuple[str, type[BaseModel]]] = [
        ("/api/brands", BrandList),
        ("/api/products/roland-td27kv", ProductContext),
        ("/api/predict?q=rolnd+td27", PredictionList),
        ("/api/predict", PredictionList),
    ]
    for path, model in cases:
        text = httpx.get(demo_server.url + path).text
        assert model.model_validate_json(text).model_dump_json() == text, path


def test_probes_metrics_and_security_headers(demo_server: LiveServer) -> None:
    health = httpx.get(f"{demo_server.url}/health").json()
    assert health["status"] == "healthy"
    assert health["database"]["status"] == "ok"
    assert health["cache"]["status"] == "disabled"
    assert health["index"]["ready"] and health["index"]["products"] >= 20
    ready = httpx.get(f"{demo_server.url}/ready")
    assert ready.status_code == 200
    httpx.get(f"{demo_server.url}/api/predict", params={"q": "nord"})
    metrics = httpx.get(f"{demo_server.url}/metrics").text
    assert "prediction_latency_seconds_bucket" in metrics
    assert 'http_requests_total{method="GET",route="/api/predict",status="200"}' in metrics
    assert 'route="/health"' not in metrics
    response = httpx.get(f"{demo_server.url}/api/brands")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "content-security-policy" in response.headers


def test_admin_routes_are_off_without_a_token(demo_server: LiveServer) -> None:
    response = httpx.post(f"{demo_server.url}/api/admin/catalog/reload")
    assert response.status_code == 404
    # The same answer as a path that does not exist.
    assert response.json() == httpx.post(f"{demo_server.url}/api/no-such-route").json()


def test_a_body_over_the_cap_is_refused_declared_or_streamed(demo_server: LiveServer) -> None:
    huge = b'{"product_id": "roland-td27kv", "query": "' + b"x" * 200_000 + b'"}'
    declared = httpx.post(f"{demo_server.url}/api/ask", content=huge, timeout=10)
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for start in range(0, len(huge), 8192):
            yield huge[start : start + 8192]

    streamed = httpx.post(f"{demo_server.url}/api/ask", content=chunks(), timeout=10)
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "too_large"
