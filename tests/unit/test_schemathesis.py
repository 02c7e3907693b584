"""Schemathesis against the live server's own OpenAPI schema: no operation answers 5xx.

The admin routes are included and given the token, so their handlers are exercised too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.schemas import OpenApiSchema

from hsc_jit.config import Settings
from tests.utils.faults import ADMIN_TOKEN, admin_headers
from tests.utils.live import LiveServer, live_settings, running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    base = Settings(
        data_dir=tmp_path_factory.mktemp("schemathesis"),
        admin_token=ADMIN_TOKEN,
        fetch_allow_private=True,
        log_json=False,
        log_level="CRITICAL",
        catalog_poll_s=3600,
    )
    with running(live_settings(base)) as live:
        yield live


@pytest.fixture
def api_schema(server: LiveServer) -> OpenApiSchema:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers=admin_headers(), checks=[not_a_server_error], timeout=30
    )
