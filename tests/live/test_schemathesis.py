"""Schemathesis against the live server's own OpenAPI schema: no operation answers 5xx.

The admin routes are included and given the token, so their handlers are exercised too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from hsc_jit.api.app import create_app
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


# The schema the app publishes, read without serving it; the cases then go to the live server.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(log_json=False, log_level="WARNING")).openapi()
)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(
    server: LiveServer, case: schemathesis.Case[Any]
) -> None:
    case.call_and_validate(
        base_url=server.url, headers=admin_headers(), checks=[not_a_server_error], timeout=30
    )


def test_the_published_schema_is_the_served_one(server: LiveServer) -> None:
    served = httpx.get(f"{server.url}/openapi.json", timeout=10).json()
    assert served == schema.raw_schema
