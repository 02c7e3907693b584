"""The forwarded client address under gunicorn's workers, with the per-IP budget in Redis.

tests/live/test_trusted_proxies.py checks the single-process server; here two workers share
each address's budget through the real Redis, so the count holds whichever worker answers.
"""

from __future__ import annotations

import ipaddress
import uuid

import httpx
import pytest
from bench._server import serve

from tests.integration._services import REDIS_URL, require_redis

pytestmark = pytest.mark.integration

# Two predictions per address, then 429, in every worker together.
TIGHT = {
    "HSC_TYPING_RATE_PER_S": "0.01",
    "HSC_TYPING_BURST": "2",
    "HSC_IP_RATE_MULTIPLIER": "1",
    "HSC_REDIS_URL": REDIS_URL,
}


def _predict(url: str, client: str) -> int:
    headers = {"X-Forwarded-For": client}
    return httpx.get(f"{url}/api/predict", params={"q": "td27"}, headers=headers).status_code


def _address() -> str:
    # Fresh in Redis for every run: 64 random bits of the documentation prefix.
    return str(ipaddress.IPv6Address((0x20010DB8 << 96) | uuid.uuid4().int >> 64))


def test_gunicorn_workers_believe_a_trusted_proxy_and_only_it() -> None:
    require_redis()
    trusted = {**TIGHT, "HSC_TRUSTED_PROXIES": '["127.0.0.0/8"]'}
    with serve(trusted, workers=2) as url:
        customer = _address()
        assert [_predict(url, customer) for _ in range(3)] == [200, 200, 429]
        assert _predict(url, _address()) == 200  # another customer behind the same proxy
    with serve(TIGHT, workers=2) as url:
        # Untrusted: the header is ignored, every request is 127.0.0.1's.
        statuses = [_predict(url, _address()) for _ in range(3)]
    assert statuses.count(429) >= 1
