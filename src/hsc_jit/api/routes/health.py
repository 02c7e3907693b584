"""Probes: ``/health`` (liveness, with details), ``/ready`` (readiness), ``/metrics``."""

from __future__ import annotations

import os
import time
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from hsc_jit import __version__
from hsc_jit.api.state import StateDep
from hsc_jit.observability import health

router = APIRouter(tags=["operations"])


@router.get("/health")
async def get_health(state: StateDep) -> JSONResponse:
    """Healthy, degraded (serving with a dependency down) or unhealthy (cannot serve)."""
    database = await health.database_status(state.engine)
    cache_status = state.cache.status()
    snapshot = state.holder.current
    status = health.overall(database["status"], cache_status, snapshot is not None)
    body: dict[str, Any] = {
        "status": status,
        "version": __version__,
        "uptime_s": round(time.time() - state.started_at, 1),
        "database": database,
        "cache": {"status": cache_status, "redis_configured": state.settings.redis_url is not None},
        "index": {
            "ready": snapshot is not None,
            "products": len(snapshot.products) if snapshot else 0,
            "catalog_version": snapshot.version if snapshot else None,
            "last_reload_error": state.holder.last_error,
        },
        "process": health.process_status(),
        "connections": {
            "websockets": len(state.connections),
            "queries_in_flight": state.queries_in_flight,
        },
    }
    return JSONResponse(body, status_code=503 if status == "unhealthy" else 200)


@router.get("/ready")
async def get_ready(state: StateDep) -> JSONResponse:
    """200 when this instance can serve; 503 with the reason otherwise."""
    if state.shutting_down.is_set() or state.drain.draining:
        return JSONResponse({"status": "not_ready", "reason": "shutting down"}, 503)
    if state.holder.current is None:
        reason = "catalog not loaded yet"
        if state.holder.last_error:
            reason += f" ({state.holder.last_error})"
        return JSONResponse({"status": "not_ready", "reason": reason}, 503)
    return JSONResponse({"status": "ready", "products": len(state.holder.current.products)}, 200)


@router.get("/metrics", include_in_schema=False)
async def get_metrics() -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
