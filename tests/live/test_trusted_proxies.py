"""Who the client is: X-Forwarded-For believed only from the proxies in HSC_TRUSTED_PROXIES.

Behind an Ingress every request comes from the proxy; per-IP limits must see the customer's
address, but only when the proxy is trusted, or any client could pick its own address.
"""

from __future__ import annotations

import httpx
import pytest
from bench._server import serve
from pydantic import ValidationError

from hsc_jit.config import Settings
from hsc_jit.server import uvicorn_config

# Two predictions per address, then 429.
TIGHT = {"HSC_TYPING_RATE_PER_S": "0.01", "HSC_TYPING_BURST": "2", "HSC_IP_RATE_MULTIPLIER": "1"}


def _predict(url: str, client: str) -> int:
    headers = {"X-Forwarded-For": client}
    return httpx.get(f"{url}/api/predict", params={"q": "td27"}, headers=headers).status_code


def test_a_trusted_proxy_gives_each_customer_their_own_budget() -> None:
    with serve({**TIGHT, "HSC_TRUSTED_PROXIES": '["127.0.0.0/8"]'}) as url:
        assert [_predict(url, "203.0.113.1") for _ in range(3)] == [200, 200, 429]
        assert _predict(url, "203.0.113.2") == 200  # another customer behind the same proxy


def test_an_untrusted_proxy_cannot_choose_the_client_address() -> None:
    with serve(TIGHT) as url:
        assert [_predict(url, "203.0.113.1") for _ in range(2)] == [200, 200]
        assert _predict(url, "203.0.113.2") == 429  # the header is ignored: one address


def _predict_forwarded(url: str, forwarded: str) -> int:
    headers = {"Forwarded": forwarded}
    return httpx.get(f"{url}/api/predict", params={"q": "td27"}, headers=headers).status_code


def test_the_standard_forwarded_header_from_a_trusted_proxy() -> None:
    with serve({**TIGHT, "HSC_TRUSTED_PROXIES": '["127.0.0.0/8"]'}) as url:
        first = 'for="203.0.113.1:4711";proto=https, for=127.0.0.2'  # via a second trusted hop
        assert [_predict_forwarded(url, first) for _ in range(3)] == [200, 200, 429]
        assert _predict_forwarded(url, 'for="[2001:db8::17]:80"') == 200  # another customer


def test_an_untrusted_peer_cannot_use_the_forwarded_header() -> None:
    with serve(TIGHT) as url:
        assert [_predict_forwarded(url, "for=203.0.113.1") for _ in range(2)] == [200, 200]
        assert _predict_forwarded(url, "for=203.0.113.2") == 429


def test_the_servers_get_the_trusted_list() -> None:
    config = uvicorn_config(Settings(trusted_proxies=["10.0.0.0/8", "192.0.2.7"]))
    assert config.proxy_headers
    assert config.forwarded_allow_ips == ["10.0.0.0/8", "192.0.2.7"]
    assert not uvicorn_config(Settings()).proxy_headers


def test_a_bad_proxy_address_stops_start_up() -> None:
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings(trusted_proxies=["proxy.internal"])
