"""The FastAPI application: resources built in the lifespan, routes, static files."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match, Mount, WebSocketRoute
from starlette.types import Scope

from hsc_jit import __version__
from hsc_jit.api.body_limit import BodyLimit
from hsc_jit.api.cors import PublicCors
from hsc_jit.api.docs import install_docs
from hsc_jit.api.errors import install_error_handlers
from hsc_jit.api.forwarded import ForwardedHeader
from hsc_jit.api.internal_port import InternalOnly
from hsc_jit.api.ratelimit import Limits
from hsc_jit.api.routes import admin, ask, catalog, client_config, health, support
from hsc_jit.api.state import AppState
from hsc_jit.api.ws import websocket_endpoint
from hsc_jit.compose import Components, open_components
from hsc_jit.config import Settings, get_settings
from hsc_jit.demo.loader import MANUALS_DIR, seed_demo_catalog
from hsc_jit.observability.logging import configure_logging
from hsc_jit.observability.middleware import ObservabilityMiddleware
from hsc_jit.services.catalog_watch import watch_catalog

log = structlog.get_logger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    app = FastAPI(
        title="HSC-JIT",
        version=__version__,
        description="Just-in-time product support: predict the product, answer from its manual.",
        lifespan=_lifespan(settings),
        # FastAPI's pages load Swagger UI and ReDoc from a CDN: install_docs serves them offline.
        docs_url=None,
        redoc_url=None,
    )
    if settings.cors_origins:
        app.add_middleware(PublicCors, origins=settings.cors_origins)
    if settings.internal_port is not None:
        app.add_middleware(InternalOnly, port=settings.internal_port)
    if settings.trusted_proxies:
        app.add_middleware(ForwardedHeader, trusted_proxies=settings.trusted_proxies)
    app.add_middleware(ObservabilityMiddleware, frame_ancestors=settings.frame_ancestors)
    # Catalog imports have their own, larger cap (admin route); every other body is small.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, exempt=("/api/admin/",))
    install_error_handlers(app)
    for router in (
        catalog.router,
        client_config.router,
        ask.router,
        support.router,
        health.router,
        admin.router,
    ):
        app.include_router(router)
    install_docs(app)
    # A plain Starlette route: FastAPI's dependency machinery costs ~7 KB per open socket.
    app.router.routes.append(WebSocketRoute("/ws", websocket_endpoint))
    if MANUALS_DIR.is_dir():
        app.mount("/demo/manuals", StaticFiles(directory=MANUALS_DIR), name="demo-manuals")
    static = _static_dir(settings)
    if static is not None:
        app.router.routes.append(AppMount("/", AppFiles(directory=static, html=True), name="app"))
    return app


_SERVER_PATHS = ("/api/", "/demo/", "/ws", "/docs", "/redoc", "/openapi")


class AppMount(Mount):
    """The web app at ``/``, except for server paths: those get the router's JSON 404 or 405."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"].startswith(_SERVER_PATHS):
            return Match.NONE, {}
        return super().matches(scope)


class AppFiles(StaticFiles):
    """The built web app; any other path is one of its client-side routes, so gets index.html."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
        else:
            if response.status_code != 404:
                return response
        return await super().get_response("index.html", scope)


def _static_dir(settings: Settings) -> Path | None:
    candidate = settings.static_dir or Path.cwd() / "frontend" / "dist"
    return candidate if (candidate / "index.html").is_file() else None


def _lifespan(settings: Settings):  # type: ignore[no-untyped-def]
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_components(settings) as components:
            state = await _start(components)
            app.state.hsc = state
            try:
                yield
            finally:
                await _stop(state)
        log.info("app.stopped")

    return lifespan


async def _start(components: Components) -> AppState:
    settings = components.settings
    holder = components.holder
    await seed_demo_catalog(settings, components.sessionmaker)
    await holder.try_reload()
    state = AppState(
        settings=settings,
        engine=components.engine,
        sessionmaker=components.sessionmaker,
        cache=components.cache,
        bus=components.bus,
        holder=holder,
        predictions=components.predictions,
        answers=components.answers,
        limits=Limits.create(
            settings.typing_rate_per_s,
            settings.typing_burst,
            settings.query_rate_per_min,
            settings.query_burst,
            settings.ip_rate_multiplier,
            redis_url=settings.redis_url,
            redis_timeout_s=settings.redis_timeout_s,
            redis_retry_after_s=settings.redis_retry_after_s,
        ),
        conversations=components.conversations,
        handoff=components.handoff,
        review=components.review,
    )
    watch = watch_catalog(
        holder, state.cache, state.bus, settings.catalog_poll_s, settings.redis_retry_after_s
    )
    state.background.append(asyncio.create_task(watch))
    state.background += [asyncio.create_task(job) for job in components.support_jobs()]
    log.info(
        "app.started",
        products=len(holder.current.products) if holder.current else 0,
        database="sqlite" if settings.is_sqlite else "postgresql",
        redis=settings.redis_url is not None,
        provider=components.provider.name,
        handoff_webhook=components.delivery is not None,
    )
    return state


async def _stop(state: AppState) -> None:
    """Stop the background tasks; ``open_components`` then closes the parts."""
    state.shutting_down.set()
    for task in state.background:
        task.cancel()
    with contextlib.suppress(Exception):
        await asyncio.gather(*state.background, return_exceptions=True)
    await state.limits.aclose()
