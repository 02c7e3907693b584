"""Running the app: uvicorn for one process, gunicorn with uvicorn workers for several.

Both servers log through the app's formatter (``stdlib_log_config``): with ``HSC_LOG_JSON``
(the default) their own lines are JSON like the app's, never plain text beside them.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from typing import Any

import uvicorn
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from uvicorn_worker import UvicornWorker

from hsc_jit.config import Settings, get_settings
from hsc_jit.drain import DrainingServer
from hsc_jit.observability.logging import stdlib_log_config
from hsc_jit.slow_clients import head_deadline_protocol

APP_FACTORY = "hsc_jit.api.app:create_app"
# Frames are short JSON: per-message deflate would cost ~40 KB of zlib state per idle socket.
WS_OPTIONS: dict[str, Any] = {"ws": "websockets-sansio", "ws_per_message_deflate": False}


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    """The single-process server's config. Building it applies its logging config."""
    return uvicorn.Config(
        APP_FACTORY,
        factory=True,
        host=settings.host,
        port=settings.port,
        ws_max_size=settings.max_frame_bytes,
        **WS_OPTIONS,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        log_config=stdlib_log_config(settings.log_level, settings.log_json),
        access_log=False,
        # Only the proxies named in HSC_TRUSTED_PROXIES may say who the client is.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
        limit_concurrency=settings.max_connections,
        http=head_deadline_protocol(settings.header_timeout_s),
        server_header=False,
    )


def _ports(settings: Settings) -> list[int]:
    """The public port, and the internal one when it is set."""
    internal = settings.internal_port
    return [settings.port] if internal is None else [settings.port, internal]


def listen_addresses(settings: Settings) -> list[str]:
    """``host:port`` for each port (gunicorn's ``bind``)."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return [f"{host}:{port}" for port in _ports(settings)]


def _listen(settings: Settings) -> list[socket.socket]:
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    return [socket.create_server((settings.host, port), family=family) for port in _ports(settings)]


def run_uvicorn(settings: Settings) -> None:
    DrainingServer(uvicorn_config(settings), settings.shutdown_grace_s).run(
        sockets=_listen(settings)
    )


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from hsc_jit.api.app import create_app

        return create_app()


def use_multiprocess_metrics() -> None:
    """Point prometheus-client at a shared folder; must run before it is first imported."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="hsc-jit-metrics-")


def gunicorn_options(settings: Settings, workers: int) -> dict[str, Any]:
    """The guide's production flags; see ``use_multiprocess_metrics`` for the metrics.

    ``logconfig_dict`` replaces gunicorn's own plain-text handlers; its uvicorn workers hand
    gunicorn's handlers on to uvicorn's loggers, so both come out as the app's lines.
    """
    return {
        "bind": listen_addresses(settings),
        "workers": workers,
        "worker_class": "hsc_jit.server.Worker",
        # The guide's --worker-connections is read by gunicorn's own async workers only; a
        # uvicorn worker's limit is limit_concurrency (HSC_MAX_CONNECTIONS, set in Worker).
        "max_requests": 1000,
        "max_requests_jitter": 100,
        "graceful_timeout": max(1, int(settings.shutdown_grace_s)),
        "timeout": 60,
        "keepalive": 5,
        "child_exit": _child_exit,
        "accesslog": None,
        "loglevel": "warning",
        "logconfig_dict": stdlib_log_config(settings.log_level, settings.log_json),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies),
    }


def run_gunicorn(settings: Settings, workers: int) -> None:
    _Gunicorn(gunicorn_options(settings, workers)).run()


def _child_exit(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


class Worker(UvicornWorker):  # type: ignore[misc]
    """Uvicorn inside gunicorn, with the same frame limit and quiet headers as ``run_uvicorn``."""

    CONFIG_KWARGS = {  # noqa: RUF012
        **UvicornWorker.CONFIG_KWARGS,
        **WS_OPTIONS,
        "server_header": False,
        "log_config": None,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grace_s = get_settings().shutdown_grace_s
        self.config.ws_max_size = get_settings().max_frame_bytes
        self.config.limit_concurrency = get_settings().max_connections
        self.config.proxy_headers = bool(get_settings().trusted_proxies)
        self.config.http = head_deadline_protocol(get_settings().header_timeout_s)

    async def _serve(self) -> None:
        # As UvicornWorker._serve, with the server that drains answers before closing sockets.
        self.config.app = self.wsgi
        server = DrainingServer(self.config, self.grace_s)
        self._install_sigquit_handler()
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)
