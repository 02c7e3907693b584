"""``GET /api/config``: what the web app and the widget read at start, so one build serves
every deployment."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter

from hsc_jit.api.schemas import ClientConfig
from hsc_jit.api.state import StateDep
from hsc_jit.config import Lang

router = APIRouter(prefix="/api", tags=["catalog"])


@router.get("/config", response_model=ClientConfig)
async def client_config(state: StateDep) -> dict[str, Any]:
    """The client's run-time settings (``HSC_PUBLIC_WS_URL``, ``HSC_DEFAULT_LANG``, ...)."""
    settings = state.settings
    return {
        "ws_url": settings.public_ws_url,
        "languages": list(get_args(Lang)),
        "default_lang": settings.default_lang,
        "prediction_limit": settings.client_prediction_limit,
        "typing_debounce_ms": settings.client_typing_debounce_ms,
    }
