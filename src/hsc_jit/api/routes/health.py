"""Probes and metrics.

* ``/live``: liveness. The process and its event loop answer; nothing else is looked at (no
  database, Redis or catalog), so an outage of a dependency never gets a pod restarted.
* ``/ready``: readiness. 200 when this instance can serve (catalog loaded, not draining).
* ``/health``: the detailed report for people and dashboards; 503 when this instance cannot
  serve at all. Not a liveness probe: it queries the database (waiting up to its connect
  timeout) and answers 503 while PostgreSQL is down and no catalog is loaded.
* ``/metrics``: Prometheus.
"""

from __future__ import annotations

import os
import time

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
from hsc_jit.api.schemas import Health, Live, NotReady, Ready
from hsc_jit.api.state import StateDep
from hsc_jit.observability import health

router = APIRouter(tags=["operations"])


@router.get("/live", response_model=Live)
async def get_live() -> Live:
    """200 while the process and its event loop answer. Touches no dependency, by design."""
    return Live()


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "Unhealthy: this instance cannot serve"}},
)
async def get_health(state: StateDep, response: Response) -> Health:
    """Healthy, degraded (serving with a dependency down) or unhealthy (cannot serve)."""
    database = await health.database_status(state.engine)
    cache_status = state.cache.status()
    snapshot = state.holder.current
    status = health.overall(database["status"], cache_status, snapshot is not None)
    if status == "unhealthy":
        response.status_code = 503
    return Health.model_validate(
        {
            "status": status,
            "version": __version__,
            "uptime_s": round(time.time() - state.started_at, 1),
            "database": database,
            "cache": {
                "status": cache_status,
                "redis_configured": state.settings.redis_url is not None,
            },
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
    )


@router.get(
    "/ready",
    response_model=Ready,
    responses={503: {"model": NotReady, "description": "Not ready, with the reason"}},
)
async def get_ready(state: StateDep) -> Ready | JSONResponse:
    """200 when this instance can serve; 503 with the reason otherwise."""
    if state.shutting_down.is_set() or state.drain.draining:
        return _not_ready("shutting down")
    if state.holder.current is None:
        reason = "catalog not loaded yet"
        if state.holder.last_error:
            reason += f" ({state.holder.last_error})"
        return _not_ready(reason)
    return Ready(products=len(state.holder.current.products))


def _not_ready(reason: str) -> JSONResponse:
    return JSONResponse(NotReady(reason=reason).model_dump(mode="json"), 503)


@router.get("/metrics", include_in_schema=False)
async def get_metrics() -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
