"""``HSC_INTERNAL_PORT``: /metrics and the admin routes answer there only, for uvicorn and for
gunicorn's workers; the public port answers them 404 as if they did not exist."""

from __future__ import annotations

import httpx
import pytest
from bench._server import serve
from pydantic import ValidationError

from hsc_jit.config import Settings
from tests.utils.faults import ADMIN_TOKEN, admin_headers
from tests.utils.live import free_port


@pytest.mark.parametrize("workers", [1, 2])
def test_metrics_and_admin_only_on_the_internal_port(workers: int) -> None:
    internal = free_port()
    env = {"HSC_INTERNAL_PORT": str(internal), "HSC_ADMIN_TOKEN": ADMIN_TOKEN}
    with serve(env, workers=workers) as url:
        private = f"http://127.0.0.1:{internal}"
        purge = "/api/admin/cache/purge"
        assert httpx.get(f"{url}/metrics").status_code == 404
        public_admin = httpx.post(f"{url}{purge}", headers=admin_headers())
        assert public_admin.status_code == 404
        assert public_admin.json()["error"]["code"] == "not_found"
        assert httpx.get(f"{url}/api/predict", params={"q": "td27"}).status_code == 200
        assert httpx.get(f"{url}/live").status_code == 200
        metrics = httpx.get(f"{private}/metrics")
        assert metrics.status_code == 200 and "http_requests_total" in metrics.text
        assert httpx.post(f"{private}{purge}", headers=admin_headers()).status_code == 200
        assert httpx.post(f"{private}{purge}").status_code == 401  # still behind the token


def test_without_the_setting_everything_is_on_one_port() -> None:
    with serve() as url:
        assert httpx.get(f"{url}/metrics").status_code == 200


def test_the_internal_port_must_differ_from_the_public_one() -> None:
    with pytest.raises(ValidationError, match="must differ"):
        Settings(port=8000, internal_port=8000)
