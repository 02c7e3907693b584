"""loadtest/config.py: the load test's settings and thresholds from HSC_LOAD_* variables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loadtest.config import DEFAULT_PRODUCTS, LoadTestConfig, catalog_names, ws_url


def test_defaults_follow_the_guide() -> None:
    config = LoadTestConfig.from_env({})
    assert (config.typing_weight, config.query_weight) == (3, 1)
    assert (config.wait_min_s, config.wait_max_s) == (1.0, 5.0)
    assert config.debounce_ms == 150
    assert {"Roland TD27", "Shure SM58", "Fender Stratocaster"} <= set(config.products)
    assert config.p95_typing_ms == 10
    assert config.max_error_rate == 0
    assert config.samples_path is None
    assert config.seed is None


def test_values_are_read_and_typed() -> None:
    config = LoadTestConfig.from_env(
        {
            "HSC_LOAD_HOST": "http://10.0.0.5:8080/",
            "HSC_LOAD_TYPING_WEIGHT": "5",
            "HSC_LOAD_QUERY_WEIGHT": "2",
            "HSC_LOAD_WAIT_MIN_S": "0.5",
            "HSC_LOAD_WAIT_MAX_S": "2",
            "HSC_LOAD_PRODUCTS": "Nord Stage 4 | Shure SM58\nShure SM58||",
            "HSC_LOAD_QUESTIONS": "How do I tune it, quickly?|What cable?",
            "HSC_LOAD_P95_TYPING_MS": "25",
            "HSC_LOAD_MAX_ERROR_RATE": "0.001",
            "HSC_LOAD_TYPE_QUESTION": "no",
            "HSC_LOAD_SAMPLES": "/tmp/samples.csv",
            "HSC_LOAD_SEED": "7",
            "HSC_LOAD_HTTP_USERS": "4",
        }
    )
    assert config.host == "http://10.0.0.5:8080"
    assert config.ws_url == "ws://10.0.0.5:8080/ws"
    assert (config.typing_weight, config.query_weight) == (5, 2)
    assert (config.wait_min_s, config.wait_max_s) == (0.5, 2.0)
    assert config.products == ("Nord Stage 4", "Shure SM58")
    assert config.questions == ("How do I tune it, quickly?", "What cable?")
    assert config.p95_typing_ms == 25.0
    assert config.max_error_rate == 0.001
    assert config.type_question is False
    assert config.samples_path == Path("/tmp/samples.csv")
    assert config.seed == 7
    assert config.http_users == 4


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HSC_LOAD_TYPING_WEIGHT": "three"}, "HSC_LOAD_TYPING_WEIGHT: not an integer"),
        ({"HSC_LOAD_WAIT_MIN_S": "-1"}, "HSC_LOAD_WAIT_MIN_S: must be at least 0"),
        ({"HSC_LOAD_WAIT_MIN_S": "6"}, "HSC_LOAD_WAIT_MAX_S: must be at least"),
        ({"HSC_LOAD_P95_TYPING_MS": "0"}, "HSC_LOAD_P95_TYPING_MS: must be above 0"),
        ({"HSC_LOAD_P95_TYPING_MS": "nan"}, "HSC_LOAD_P95_TYPING_MS: must be finite"),
        ({"HSC_LOAD_MAX_ERROR_RATE": "2"}, "HSC_LOAD_MAX_ERROR_RATE: must be at most 1"),
        ({"HSC_LOAD_HOST": "127.0.0.1:8000"}, "HSC_LOAD_HOST: must start with http"),
        ({"HSC_LOAD_PRODUCTS": " | "}, "HSC_LOAD_PRODUCTS: no values"),
        ({"HSC_LOAD_TYPE_QUESTION": "maybe"}, "HSC_LOAD_TYPE_QUESTION: not a boolean"),
        ({"HSC_LOAD_PREDICTION_LIMIT": "51"}, "HSC_LOAD_PREDICTION_LIMIT: must be at most 50"),
        (
            {"HSC_LOAD_TYPING_WEIGHT": "0", "HSC_LOAD_QUERY_WEIGHT": "0"},
            "HSC_LOAD_TYPING_WEIGHT, HSC_LOAD_QUERY_WEIGHT: one must be above 0",
        ),
        (
            {"HSC_LOAD_PRODUCTS_FILE": "/nonexistent/catalog.json"},
            "HSC_LOAD_PRODUCTS_FILE: cannot read",
        ),
    ],
)
def test_bad_values_name_their_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LoadTestConfig.from_env(env)


def test_blank_values_mean_the_default() -> None:
    config = LoadTestConfig.from_env({"HSC_LOAD_WAIT_MIN_S": " ", "HSC_LOAD_PRODUCTS": ""})
    assert config.wait_min_s == 1.0
    assert config.products == DEFAULT_PRODUCTS


def test_catalog_names_from_json_and_jsonl(tmp_path: Path) -> None:
    v3 = tmp_path / "roland_catalog.json"
    v3.write_text(
        json.dumps(
            {"products": [{"name": "Roland TD-27KV"}, {"name": "Roland TD-27KV"}, {"id": "x"}]}
        )
    )
    lines = tmp_path / "catalog.jsonl"
    lines.write_text(
        "\n".join(
            json.dumps(item)
            for item in ({"name": "EAW CIS300"}, {"name": "פסנתר חשמלי"}, {"name": "1234"})
        )
        + "\n"
    )
    assert catalog_names(v3) == ("Roland TD-27KV",)
    assert catalog_names(lines) == ("EAW CIS300",)  # a Latin keyboard types neither of the others
    config = LoadTestConfig.from_env(
        {"HSC_LOAD_PRODUCTS": "Shure SM58", "HSC_LOAD_PRODUCTS_FILE": str(lines)}
    )
    assert config.products == ("Shure SM58", "EAW CIS300")


def test_catalog_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="is not a catalog"):
        catalog_names(path)


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("http://127.0.0.1:8000", "ws://127.0.0.1:8000/ws"),
        ("https://support.example.com/", "wss://support.example.com/ws"),
    ],
)
def test_ws_url(host: str, url: str) -> None:
    assert ws_url(host) == url
