"""RFC 7239 ``Forwarded``: the client is the right-most hop that is not a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest

from hsc_jit.api.forwarded import TrustedProxies, forwarded_client

TRUSTED = TrustedProxies(["10.0.0.0/8", "192.0.2.7"])


@pytest.mark.parametrize(
    ("header", "client", "scheme"),
    [
        ("for=203.0.113.9", "203.0.113.9", None),
        ('for="203.0.113.9:4711";proto=https', "203.0.113.9", "https"),
        ('For="[2001:db8:cafe::17]:4711"', "2001:db8:cafe::17", None),
        ("for=198.51.100.1, for=203.0.113.9;proto=http, for=10.1.2.3", "203.0.113.9", "http"),
        ("for=203.0.113.9;by=10.0.0.1;host=shop.example;proto=HTTPS", "203.0.113.9", "https"),
        ("for=203.0.113.9;proto=gopher", "203.0.113.9", None),
    ],
)
def test_the_client_and_scheme(header: str, client: str, scheme: str | None) -> None:
    assert forwarded_client(header, TRUSTED) == (ipaddress.ip_address(client), scheme)


@pytest.mark.parametrize(
    "header",
    [
        "for=unknown",
        "for=_hidden, for=10.0.0.1",
        "",
        "for=",
        "garbage;;;==,",
        'for="[not-an-ip]"',
    ],
)
def test_unreadable_or_hidden_clients_name_nobody(header: str) -> None:
    assert forwarded_client(header, TRUSTED) == (None, None)


def test_when_every_hop_is_trusted_the_left_most_is_the_client() -> None:
    everyone = TrustedProxies(["*"])
    first = ipaddress.ip_address("203.0.113.9")
    assert forwarded_client("for=203.0.113.9, for=10.0.0.1", everyone) == (first, None)
    inner = ipaddress.ip_address("10.0.0.1")
    assert forwarded_client("for=10.0.0.1, for=192.0.2.7", TRUSTED) == (inner, None)
