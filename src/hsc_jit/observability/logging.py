"""Structured JSON logs (structlog) with request/connection ids bound through contextvars."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

_SECRET_KEYS = re.compile(r"(token|secret|password|api_key|apikey|authorization)", re.I)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I)
_URL_CREDENTIALS = re.compile(r"(://[^/:@\s]+:)[^@/\s]+@")


def redact(value: Any) -> Any:
    if isinstance(value, str):
        return _URL_CREDENTIALS.sub(r"\1***@", _BEARER.sub(r"\1***", value))
    return value


def _redact_secrets(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # Last line of defence: whatever a caller logs, keys that name a secret never carry it out.
    for key in list(event):
        if _SECRET_KEYS.search(key):
            event[key] = "***"
        else:
            event[key] = redact(event[key])
    return event


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        # Tracebacks rendered first, so that the redaction covers their text too.
        structlog.processors.format_exc_info,
        _redact_secrets,
    ]


def _renderer(json: bool) -> Any:
    if json:
        return structlog.processors.JSONRenderer()
    return structlog.dev.ConsoleRenderer(colors=False)


_ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")


def _uvicorn_access_fields(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """uvicorn's access line ``'%s - "%s %s HTTP/%s" %d'`` as fields, besides the message;
    other records' arguments are already in their message."""
    args = event.pop("positional_args", ())
    record = event.get("_record")
    if (
        getattr(record, "name", None) == "uvicorn.access"
        and isinstance(args, tuple)
        and len(args) == len(_ACCESS_FIELDS)
    ):
        event.update(zip(_ACCESS_FIELDS, args, strict=True))
    return event


def stdlib_formatter(json: bool = True) -> logging.Formatter:
    """A ``logging`` formatter that renders standard-library records (uvicorn's, gunicorn's,
    any library's) as the app's own structlog lines: same keys, redaction and renderer."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_logger_name,
            _uvicorn_access_fields,
            *_shared_processors(),
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, _renderer(json)],
        pass_foreign_args=True,
    )


# The server loggers that uvicorn and gunicorn create with handlers of their own.
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "gunicorn.error", "gunicorn.access")


def stdlib_log_config(level: str = "INFO", json: bool = True) -> dict[str, Any]:
    """``logging.config.dictConfig`` input routing uvicorn's and gunicorn's records (and the
    root logger's) through :func:`stdlib_formatter` to stderr, where the app's lines go.

    For uvicorn's ``log_config`` and gunicorn's ``logconfig_dict``. The server loggers get no
    level here: uvicorn's follow the root level, gunicorn's keep its ``loglevel`` setting.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structlog": {"()": f"{__name__}.stdlib_formatter", "json": json}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "structlog",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {name: {"handlers": ["stderr"], "propagate": False} for name in SERVER_LOGGERS},
    }


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    structlog.configure(
        processors=[*_shared_processors(), _renderer(json)],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    # Records of the standard library's logging (libraries, and uvicorn's when it was started
    # without a log config) are rendered like the app's lines, not as bare messages.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(stdlib_formatter(json))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # bm25s sets its own logger to DEBUG, which would print a line per index built.
    for noisy in ("httpx", "httpcore", "uvicorn.access", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
