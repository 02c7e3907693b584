"""uvicorn's and gunicorn's own log lines come out as the app's JSON lines (HSC_LOG_JSON),
not as plain text beside them: the config ``hsc_jit.server`` hands both servers, in process,
and from real server processes."""

from __future__ import annotations

import json
import logging
import logging.config
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config as GunicornConfig
from gunicorn.glogging import Logger as GunicornLogger

from hsc_jit.config import Settings
from hsc_jit.observability.logging import SERVER_LOGGERS, stdlib_log_config
from hsc_jit.server import Worker, gunicorn_options, uvicorn_config
from tests.deploy.conftest import REPO
from tests.utils.live import free_port


@pytest.fixture(autouse=True)
def _restore_server_loggers() -> Iterator[None]:
    """The configs below replace handlers on global loggers: put the previous ones back."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in SERVER_LOGGERS)]
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate, lg.disabled) for lg in loggers]
    yield
    for lg, handlers, level, propagate, disabled in saved:
        lg.handlers[:] = handlers
        lg.setLevel(level)
        lg.propagate = propagate
        lg.disabled = disabled


def settings(tmp_path: Path, *, json_logs: bool = True) -> Settings:
    return Settings(data_dir=tmp_path, log_json=json_logs, log_level="INFO")


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every non-empty line parsed as one JSON object; a plain-text line fails the test."""
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON log line: {line!r}\n--- all output:\n{text}")
        assert isinstance(record, dict), line
        records.append(record)
    return records


def by_logger(records: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get("logger") == name]


# --- in process ------------------------------------------------------------------------------


def test_uvicorn_error_records_are_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = uvicorn_config(settings(tmp_path))  # applies its log config, as uvicorn.run does
    assert isinstance(config.log_config, dict)
    error = logging.getLogger("uvicorn.error")
    error.info("Started server process [%d]", 4242)
    error.warning("Invalid HTTP request received.")
    try:
        raise RuntimeError("redis://cache:hunter2@redis:6379/0 refused")
    except RuntimeError:
        error.exception("Exception in ASGI application")
    records = by_logger(json_lines(capsys.readouterr().err), "uvicorn.error")
    started, invalid, failed = records
    assert started["event"] == "Started server process [4242]"
    assert started["level"] == "info"
    assert started["timestamp"].endswith("Z")
    assert invalid["level"] == "warning"
    assert failed["level"] == "error"
    assert "RuntimeError" in failed["exception"]
    # The app's redaction applies to the servers' lines too.
    assert "hunter2" not in json.dumps(failed)


def test_uvicorn_access_records_are_json_with_fields(capsys: pytest.CaptureFixture[str]) -> None:
    # Access lines are off (access_log=False, the app meters requests itself); whoever turns
    # them on gets them in the same shape, the request's parts as fields.
    logging.config.dictConfig(stdlib_log_config("INFO", json=True))
    access = logging.getLogger("uvicorn.access")
    access.setLevel(logging.INFO)  # the app quiets it to WARNING (configure_logging)
    access.info('%s - "%s %s HTTP/%s" %d', "10.0.0.7:51234", "GET", "/live", "1.1", 200)
    (record,) = by_logger(json_lines(capsys.readouterr().err), "uvicorn.access")
    assert record["event"] == '10.0.0.7:51234 - "GET /live HTTP/1.1" 200'
    assert (record["method"], record["path"], record["status"]) == ("GET", "/live", 200)
    assert record["client"] == "10.0.0.7:51234"
    assert record["level"] == "info"


def test_gunicorn_and_its_uvicorn_workers_log_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = GunicornConfig()
    for key, value in gunicorn_options(settings(tmp_path), workers=2).items():
        cfg.set(key, value)
    log = GunicornLogger(cfg)  # what gunicorn's arbiter builds from the config
    log.critical("WORKER TIMEOUT (pid:%s)", 4242)
    log.info("Booting worker with pid: %s", 4242)  # below gunicorn's loglevel (warning)
    # The real worker class hands gunicorn's handlers to uvicorn's loggers.
    Worker(age=1, ppid=os.getpid(), sockets=[], app=None, timeout=60, cfg=cfg, log=log).tmp.close()
    logging.getLogger("uvicorn.error").warning("Invalid HTTP request received.")
    records = json_lines(capsys.readouterr().err)
    (timeout,) = by_logger(records, "gunicorn.error")
    assert timeout["event"] == "WORKER TIMEOUT (pid:4242)"
    assert timeout["level"] == "critical"
    (invalid,) = by_logger(records, "uvicorn.error")
    assert invalid["level"] == "warning"


def test_plain_text_when_json_is_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    uvicorn_config(settings(tmp_path, json_logs=False))
    logging.getLogger("uvicorn.error").warning("Invalid HTTP request received.")
    (line,) = capsys.readouterr().err.splitlines()
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)
    assert "Invalid HTTP request received." in line
    assert "warning" in line


# --- real server processes -------------------------------------------------------------------

# A tiny ASGI app in place of the real one (whose start-up loads the catalog and the model):
# what is checked is the servers' own lines, through the exact config hsc_jit.server builds.
_SERVER_SCRIPT = textwrap.dedent(
    """
    import sys

    from hsc_jit.config import get_settings
    from hsc_jit.drain import DrainingServer
    from hsc_jit.server import _Gunicorn, gunicorn_options, uvicorn_config


    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


    class TinyGunicorn(_Gunicorn):
        def load(self):
            return app


    settings = get_settings()
    if sys.argv[1] == "gunicorn":
        TinyGunicorn(gunicorn_options(settings, 2)).run()
    else:
        config = uvicorn_config(settings)
        config.app, config.factory = app, False
        DrainingServer(config, settings.shutdown_grace_s).run()
    """
)


def _serve_and_poke(tmp_path: Path, server: str) -> str:
    """Start the server, send one malformed request, stop it with SIGTERM; its stderr."""
    port = free_port()
    env = {
        **os.environ,
        "HSC_HOST": "127.0.0.1",
        "HSC_PORT": str(port),
        "HSC_LOG_JSON": "true",
        "HSC_LOG_LEVEL": "INFO",
        "HSC_DATA_DIR": str(tmp_path),
        "HSC_SHUTDOWN_GRACE_S": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVER_SCRIPT, server],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the server did not start"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                    sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
                    sock.recv(1024)  # uvicorn answers 400 and logs a warning
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.3)  # let the worker write its line
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    # uvicorn re-raises the SIGTERM it handled once it has shut down.
    assert process.returncode in (0, -signal.SIGTERM), stderr
    assert stdout.strip() == "", stdout
    return stderr


def test_uvicorn_process_logs_only_json(tmp_path: Path) -> None:
    records = json_lines(_serve_and_poke(tmp_path, "uvicorn"))
    events = [r["event"] for r in by_logger(records, "uvicorn.error")]
    assert any(e.startswith("Uvicorn running on http://127.0.0.1:") for e in events), events
    assert "Invalid HTTP request received." in events
    assert "Shutting down" in events


def test_gunicorn_process_logs_only_json(tmp_path: Path) -> None:
    records = json_lines(_serve_and_poke(tmp_path, "gunicorn"))
    invalid = [r for r in by_logger(records, "uvicorn.error") if r["level"] == "warning"]
    assert [r["event"] for r in invalid] == ["Invalid HTTP request received."]
