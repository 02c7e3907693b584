"""Logs are JSON and never carry secrets, whatever a caller passes."""

from __future__ import annotations

import json

import pytest
import structlog

from hsc_jit.observability.logging import configure_logging


def test_secrets_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=True)
    log = structlog.get_logger("t")
    log.info(
        "calling",
        api_key="sk-live-abcdef",
        header="Authorization: Bearer abc.def.ghi",
        url="redis://user:hunter2@cache:6379/0",
        admin_token="tok-123456789012345",
    )
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["event"] == "calling"
    for secret in ("sk-live-abcdef", "abc.def.ghi", "hunter2", "tok-123456789012345"):
        assert secret not in line
    assert record["api_key"] == "***"
    assert record["url"] == "redis://user:***@cache:6379/0"
