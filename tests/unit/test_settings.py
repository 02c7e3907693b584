"""Settings come from HSC_ variables; a bad one stops start-up with one line naming it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hsc_jit.cli import app
from hsc_jit.config import Settings


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("HSC_PORT", "eighty", "HSC_PORT: Input should be a valid integer"),
        ("HSC_PORT", "70000", "HSC_PORT: Input should be less than or equal to 65535"),
        ("HSC_REDIS_URL", "http://cache", "HSC_REDIS_URL: Value error, must be a redis://"),
        (
            "HSC_DATABASE_URL",
            "mysql://x/y",
            "HSC_DATABASE_URL: Value error, must be sqlite+aiosqlite",
        ),
        ("HSC_LOG_LEVEL", "LOUD", "HSC_LOG_LEVEL: Input should be 'DEBUG'"),
        ("HSC_ANSWER_PROVIDER", "magic", "HSC_ANSWER_PROVIDER: Input should be 'extractive'"),
    ],
)
def test_bad_setting_stops_with_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {expected}")


def test_secret_values_are_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSC_ADMIN_TOKEN", "short-secret")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "HSC_ADMIN_TOKEN" in result.stderr
    assert "short-secret" not in result.stderr


def test_defaults_are_the_embedded_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for key in ("HSC_DATABASE_URL", "HSC_REDIS_URL"):
        monkeypatch.delenv(key, raising=False)
    settings = Settings()
    assert settings.effective_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.effective_database_url.endswith("/data/hsc-jit.sqlite3")
    assert settings.redis_url is None
    assert settings.should_auto_migrate
    assert (settings.db_pool_size, settings.db_max_overflow, settings.db_pool_recycle_s) == (
        20,
        10,
        3600,
    )


def test_postgres_urls_are_normalised_to_asyncpg() -> None:
    settings = Settings(database_url="postgresql://u@db:5432/hsc")
    assert settings.effective_database_url == "postgresql+asyncpg://u@db:5432/hsc"
    assert not settings.should_auto_migrate


def test_wildcard_cors_cannot_mix_with_origins() -> None:
    with pytest.raises(ValueError, match="cannot be combined"):
        Settings(cors_origins=["*", "https://shop.example"])


def test_a_webhook_needs_a_valid_url_and_its_secret() -> None:
    secret = "helpdesk-shared-secret-0123456789"
    with pytest.raises(ValueError, match="HSC_HANDOFF_WEBHOOK_SECRET: required"):
        Settings(handoff_webhook_url="https://desk.example/hook")
    for url in ("desk.example/hook", "ftp://desk.example/hook", "https:///hook"):
        with pytest.raises(ValueError, match="must be an http:// or https:// URL with a host"):
            Settings(handoff_webhook_url=url, handoff_webhook_secret=secret)
    settings = Settings(
        handoff_webhook_url="https://desk.example/hook", handoff_webhook_secret=secret
    )
    assert settings.handoff_webhook_secret is not None
    assert secret not in repr(settings)
    assert Settings(handoff_webhook_url="").handoff_webhook_url is None  # empty: not configured


def test_a_short_webhook_secret_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HSC_HANDOFF_WEBHOOK_SECRET", "short-secret")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "HSC_HANDOFF_WEBHOOK_SECRET: Value error, must be at least 16" in result.stderr
    assert "short-secret" not in result.stderr
