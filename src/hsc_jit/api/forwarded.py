"""The client behind a trusted proxy that says so with RFC 7239 ``Forwarded``.

Uvicorn believes ``X-Forwarded-For`` from ``HSC_TRUSTED_PROXIES``; some proxies send only the
standard header. When the connection comes from a trusted proxy and carries ``Forwarded`` but
no ``X-Forwarded-For``, the client is the right-most ``for=`` address that is not itself a
trusted proxy, and ``proto=`` gives the scheme. Anything unreadable leaves the proxy's address:
a client never gets to choose its own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_WS_SCHEMES = {"http": "ws", "https": "wss"}


class TrustedProxies:
    def __init__(self, entries: Sequence[str]) -> None:
        self._everyone = "*" in entries
        self._networks = [ipaddress.ip_network(e, strict=False) for e in entries if e != "*"]

    def __contains__(self, address: Address) -> bool:
        return self._everyone or any(address in network for network in self._networks)


def _address(node: str) -> Address | None:
    """The IP of a ``for=`` node (``1.2.3.4``, ``"1.2.3.4:80"``, ``"[2001:db8::1]:80"``); None
    for ``unknown`` and obfuscated names."""
    node = node.strip().strip('"')
    if node.startswith("["):
        node = node[1 : node.find("]")]
    elif node.count(":") == 1:
        node = node.split(":", 1)[0]
    try:
        return ipaddress.ip_address(node)
    except ValueError:
        return None


def forwarded_client(header: str, trusted: TrustedProxies) -> tuple[Address | None, str | None]:
    """The client address and the scheme the header gives, right to left past trusted hops;
    (None, None) when a hop is unknown or hidden."""
    hops = []
    for element in header.split(","):
        pairs = {}
        for pair in element.split(";"):
            key, _, value = pair.partition("=")
            pairs[key.strip().lower()] = value.strip()
        hops.append(pairs)
    address: Address | None = None
    for hop in reversed(hops):
        address = _address(hop.get("for", ""))
        if address is None:
            return None, None
        proto = hop.get("proto", "").strip('"').lower()
        if address not in trusted:
            break
    # Every hop trusted: the left-most is the client, as uvicorn reads X-Forwarded-For.
    return address, proto if proto in _WS_SCHEMES else None


class ForwardedHeader:
    def __init__(self, app: ASGIApp, trusted_proxies: Sequence[str]) -> None:
        self._app = app
        self._trusted = TrustedProxies(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            self._apply(scope)
        await self._app(scope, receive, send)

    def _apply(self, scope: Scope) -> None:
        headers = dict(scope["headers"])
        header = headers.get(b"forwarded")
        client = scope.get("client")
        if header is None or b"x-forwarded-for" in headers or not client:
            return
        peer = _address(str(client[0]))
        if peer is None or peer not in self._trusted:
            return
        address, proto = forwarded_client(header.decode("latin-1"), self._trusted)
        if address is None:
            return
        scope["client"] = (str(address), 0)
        if proto is not None:
            scope["scheme"] = proto if scope["type"] == "http" else _WS_SCHEMES[proto]
