"""Every metric the dashboard and the alert rules use is in a running app's /metrics."""

from __future__ import annotations

import json

import httpx
import websockets
from prometheus_client.parser import text_string_to_metric_families

from tests.deploy.test_prometheus import (
    PROMETHEUS_SYNTHETIC,
    alert_expressions,
    dashboard_expressions,
    promql_metric_names,
)
from tests.utils.live import LiveServer

_SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_count", "_sum"),
    "gauge": ("",),
}


async def test_dashboard_and_alerts_use_only_scraped_metrics(demo_server: LiveServer) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        await ws.send(json.dumps({"type": "typing", "content": "nord stage"}))
        await ws.recv()
        await ws.send(
            json.dumps({"type": "query", "product_id": "shure-sm58", "query": "cable to use?"})
        )
        while json.loads(await ws.recv())["type"] not in ("final_answer", "error"):
            pass
    async with httpx.AsyncClient() as client:
        text = (await client.get(f"{demo_server.url}/metrics")).text
    scraped = {
        family.name + suffix
        for family in text_string_to_metric_families(text)
        for suffix in _SUFFIXES.get(family.type, ("",))
    }
    used = {
        name
        for expressions in (alert_expressions(), dashboard_expressions())
        for expr in expressions.values()
        for name in promql_metric_names(expr)
    }
    assert used
    assert used - scraped - PROMETHEUS_SYNTHETIC == set()
