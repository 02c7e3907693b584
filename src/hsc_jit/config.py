"""Settings: every knob is an ``HSC_`` environment variable, checked at start-up."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Scenario = Literal["general", "studio", "live"]
ProviderName = Literal["extractive", "openai", "gemini", "llamacpp"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
Lang = Literal["en", "he"]
_ORIGIN = re.compile(
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$"
)


def _default_data_dir() -> Path:
    return Path.cwd() / "data"


class Settings(BaseSettings):
    """All configuration of one HSC-JIT instance."""

    model_config = SettingsConfigDict(
        env_prefix="HSC_", env_file=None, extra="ignore", validate_default=True
    )

    # Serving
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # When set, /metrics and /api/admin answer on this port only (see api/internal_port.py).
    internal_port: int | None = Field(None, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    log_level: LogLevel = "INFO"
    log_json: bool = True
    public_base_url: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    # Sites that may frame the app; none by default (the widget needs no frame).
    frame_ancestors: list[str] = Field(default_factory=list)
    # Proxies whose X-Forwarded-For is believed (addresses or CIDRs); none by default.
    trusted_proxies: list[str] = Field(default_factory=list)
    max_connections: int = Field(8192, ge=16, le=1_000_000)
    # Seconds a client has to send a request's headers (slowloris).
    header_timeout_s: float = Field(10.0, gt=0, le=300)
    static_dir: Path | None = None
    shutdown_grace_s: float = Field(4.0, gt=0, le=60)

    # Storage
    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    db_pool_size: int = Field(20, ge=1, le=500)
    db_max_overflow: int = Field(10, ge=0, le=500)
    db_pool_recycle_s: int = Field(3600, ge=1)
    db_pool_timeout_s: float = Field(30.0, gt=0)
    db_connect_timeout_s: float = Field(5.0, gt=0, le=120)
    db_echo: bool = False
    load_demo_catalog: bool = True
    auto_migrate: bool | None = None
    catalog_poll_s: float = Field(30.0, gt=0, le=3600)

    # Cache
    redis_url: str | None = None
    cache_l1_max_items: int = Field(10_000, ge=1)
    cache_l1_max_bytes: int = Field(256 * 1024 * 1024, ge=1024 * 1024)
    cache_l1_max_ttl_s: float = Field(60.0, gt=0)
    cache_default_ttl_s: int = Field(1800, ge=1)
    prediction_cache_ttl_s: int = Field(1800, ge=1)
    answer_cache_ttl_s: int = Field(86_400, ge=1)
    redis_timeout_s: float = Field(0.5, gt=0, le=30)
    redis_retry_after_s: float = Field(5.0, gt=0, le=600)

    # Prediction
    predict_default_limit: int = Field(10, ge=1, le=50)

    # Fetching manuals
    fetch_connect_timeout_s: float = Field(5.0, gt=0, le=120)
    fetch_read_timeout_s: float = Field(15.0, gt=0, le=600)
    fetch_total_timeout_s: float = Field(60.0, gt=0, le=3600)
    fetch_max_bytes: int = Field(50 * 1024 * 1024, ge=1024)
    fetch_max_redirects: int = Field(5, ge=0, le=20)
    fetch_retries: int = Field(2, ge=0, le=10)
    fetch_retry_backoff_s: float = Field(0.5, ge=0, le=30)
    fetch_allow_private: bool = False
    fetch_allow_hosts: list[str] = Field(default_factory=list)
    fetch_user_agent: str = "HSC-JIT/0.1 (+product-support manual fetcher)"
    document_ttl_s: int = Field(7 * 86_400, ge=1)
    extract_workers: int = Field(2, ge=1, le=32)
    extract_timeout_s: float = Field(30.0, gt=0, le=3600)
    document_max_pages: int = Field(3000, ge=1, le=100_000)
    document_max_chars: int = Field(8_000_000, ge=10_000, le=200_000_000)
    document_max_html_bytes: int = Field(10 * 2**20, ge=64 * 1024, le=2**30)
    # Each sentence costs ~12 ms of embedding: 50,000 bound a manual's to minutes of one core.
    document_max_sentences: int = Field(50_000, ge=100, le=10_000_000)
    fetch_failure_ttl_s: float = Field(60.0, ge=0, le=86400)
    index_cache_mb: int = Field(256, ge=8, le=65_536)

    # Ranking by meaning (sentence embeddings)
    semantic_ranking: bool = True
    semantic_wait_s: float = Field(1.2, ge=0, le=600)
    embed_threads: int = Field(1, ge=1, le=64)

    # Answers
    answer_provider: ProviderName = "extractive"
    answer_deadline_s: float = Field(20.0, ge=1, le=600)
    answer_timeout_s: float = Field(30.0, gt=0, le=600)
    answer_top_pages: int = Field(3, ge=1, le=20)
    prompt_token_budget: int = Field(3000, ge=200, le=200_000)
    openai_base_url: str = "https://api.openai.com/v1"
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.0-flash"
    gemini_base_url: str | None = None
    llamacpp_model_path: Path | None = None
    llamacpp_n_ctx: int = Field(4096, ge=256)
    llamacpp_threads: int = Field(2, ge=1, le=64)

    # Abuse limits
    max_body_bytes: int = Field(65_536, ge=1024, le=50 * 2**20)
    max_frame_bytes: int = Field(64 * 1024, ge=1024)
    typing_rate_per_s: float = Field(20.0, gt=0)
    typing_burst: int = Field(40, ge=1)
    query_rate_per_min: float = Field(30.0, gt=0)
    query_burst: int = Field(10, ge=1)
    ip_rate_multiplier: float = Field(5.0, ge=1)
    max_concurrent_queries: int = Field(2, ge=1, le=32)
    ws_idle_timeout_s: float = Field(300.0, gt=0)
    flood_close_after: int = Field(50, ge=1)

    # Admin
    admin_token: SecretStr | None = None

    # Conversations, feedback, handoff and the review lists
    conversation_max_turns: int = Field(50, ge=1, le=1000)
    conversation_retention_days: int = Field(30, ge=1, le=3650)
    conversation_prompt_tokens: int = Field(600, ge=0, le=100_000)
    handoff_webhook_url: str | None = None
    handoff_webhook_secret: SecretStr | None = None
    handoff_webhook_timeout_s: float = Field(10.0, gt=0, le=120)
    handoff_retry_base_s: float = Field(2.0, gt=0, le=3600)
    handoff_retry_cap_s: float = Field(600.0, gt=0, le=86_400)
    handoff_poll_s: float = Field(10.0, gt=0, le=3600)
    failed_search_confidence: int = Field(50, ge=1, le=100)
    failed_search_flush_s: float = Field(60.0, gt=0, le=3600)
    unanswered_group_similarity: float = Field(0.6, gt=0, le=1)

    # What the web app and the widget read at run time (``GET /api/config``)
    public_ws_url: str | None = None
    default_lang: Lang = "en"
    client_prediction_limit: int = Field(8, ge=1, le=50)
    client_typing_debounce_ms: int = Field(150, ge=0, le=2000)

    @field_validator("public_base_url", "openai_base_url", "gemini_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if value.startswith(("postgres://", "postgresql://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must be sqlite+aiosqlite:///PATH or postgresql://USER@HOST/DB "
                "(postgresql+asyncpg:// is accepted too)"
            )
        return value

    @field_validator("admin_token")
    @classmethod
    def _admin_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @field_validator("handoff_webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return value

    @field_validator("handoff_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @field_validator("cors_origins", "frame_ancestors")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        """Origins as a browser sends them: scheme://host[:port], no path, no trailing slash."""
        for entry in value:
            if entry not in ("*", "'self'") and not _ORIGIN.match(entry):
                raise ValueError(
                    f"{entry!r} is not an origin like https://shop.example or http://host:8080"
                )
        return value

    @field_validator("public_ws_url")
    @classmethod
    def _ws_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("ws://", "wss://")):
            raise ValueError("must start with ws:// or wss://")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            if entry != "*":
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(f"{entry!r} is not an IP address or network") from None
        return value

    @model_validator(mode="after")
    def _no_wildcard_with_credentials(self) -> Settings:
        if "*" in self.cors_origins and len(self.cors_origins) > 1:
            raise ValueError("HSC_CORS_ORIGINS: '*' cannot be combined with other origins")
        if "'self'" in self.cors_origins:
            raise ValueError("HSC_CORS_ORIGINS: the server's own origin is always allowed")
        if self.internal_port == self.port:
            raise ValueError("HSC_INTERNAL_PORT must differ from HSC_PORT")
        if "*" in self.frame_ancestors:
            raise ValueError("HSC_FRAME_ANCESTORS: list the sites that may frame the app, not *")
        return self

    @model_validator(mode="after")
    def _webhook_needs_its_secret(self) -> Settings:
        if self.handoff_webhook_url and self.handoff_webhook_secret is None:
            # Unsigned tickets would let anyone who finds the helpdesk's URL forge them.
            raise ValueError(
                "HSC_HANDOFF_WEBHOOK_SECRET: required when HSC_HANDOFF_WEBHOOK_URL is set"
            )
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'hsc-jit.sqlite3').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def should_auto_migrate(self) -> bool:
        """SQLite migrates itself; PostgreSQL, shared by many pods, by ``hsc-jit db upgrade``."""
        return self.is_sqlite if self.auto_migrate is None else self.auto_migrate

    @property
    def effective_public_base_url(self) -> str:
        if self.public_base_url:
            return self.public_base_url
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
