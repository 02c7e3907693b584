"""DocumentFetcher against a real server on 127.0.0.1 that misbehaves on purpose."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import socket
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client import REGISTRY

from hsc_jit.config import Settings
from hsc_jit.errors import DocumentUnavailable
from hsc_jit.fetch import client as fetch_client
from hsc_jit.fetch.client import DocumentFetcher, FetchPolicy, build_http_client
from tests.utils.manual_server import ManualServer, Request, Route, manual_server, respond
from tests.utils.pdfs import text_pdf

PDF = text_pdf(["Page one of the manual.", "Page two of the manual."])
HTML = b"<!DOCTYPE html><html><body><h1>Manual</h1><p>Text.</p></body></html>"
LIMIT = 64 * 1024
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"


def _static(status: int, body: bytes = b"", **headers: str) -> Route:
    async def route(request: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, status, body, {k.replace("_", "-"): v for k, v in headers.items()})

    return route


async def _pdf_with_validators(request: Request, writer: asyncio.StreamWriter) -> None:
    headers = {"Content-Type": "application/pdf", "ETag": ETAG, "Last-Modified": LAST_MODIFIED}
    if request.headers.get("if-none-match") == ETAG:
        await respond(writer, 304, headers=headers)
    else:
        await respond(writer, 200, PDF, headers)


async def _hang(request: Request, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(3600)


async def _drip(request: Request, writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 100000\r\n\r\n"
    )
    while True:  # each byte arrives well within the read timeout; the total bound must stop it
        writer.write(b"x")
        await writer.drain()
        await asyncio.sleep(0.02)


async def _huge(request: Request, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nConnection: close\r\n\r\n")
    writer.write(b"%PDF-1.4\n")
    for _ in range(64):
        writer.write(b"0" * 4096)
        await writer.drain()


class _Flaky:
    """500 on the first request, the PDF afterwards."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, request: Request, writer: asyncio.StreamWriter) -> None:
        self.calls += 1
        if self.calls == 1:
            await respond(writer, 500, b"busy")
        else:
            await respond(writer, 200, PDF, {"Content-Type": "application/pdf"})


@pytest.fixture
async def server() -> AsyncIterator[ManualServer]:
    routes: dict[str, Route] = {
        "/manual.pdf": _pdf_with_validators,
        "/manual.html": _static(200, HTML, Content_Type="text/html; charset=utf-8"),
        "/forbidden": _static(403, b"no"),
        "/unauthorized": _static(401, b"no"),
        "/teapot": _static(418, b"short and stout"),
        "/down": _static(503, b"down"),
        "/flaky": _Flaky(),
        "/hang": _hang,
        "/drip": _drip,
        "/huge": _huge,
        "/declared-huge": _static(200, b"", Content_Length="1000000000"),
        "/loop": _static(302, Location="/loop"),
        "/moved": _static(301, Location="/manual.pdf"),
        "/mislabeled": _static(200, PDF, Content_Type="text/plain"),
        "/zip": _static(200, b"PK\x03\x04 not a manual", Content_Type="application/zip"),
        "/login-page": _static(200, HTML, Content_Type="application/pdf"),
        "/empty": _static(200, b"", Content_Type="application/pdf"),
    }
    async with manual_server(routes) as running:
        running.routes["/to-private"] = _static(
            302, Location=running.url("/manual.pdf", "localhost")
        )
        yield running


def _policy(**changes: object) -> FetchPolicy:
    policy = FetchPolicy(
        max_bytes=LIMIT,
        max_redirects=3,
        total_timeout_s=5.0,
        retries=2,
        retry_backoff_s=0.01,
        allow_hosts=frozenset({"127.0.0.1"}),
    )
    return dataclasses.replace(policy, **changes)  # type: ignore[arg-type]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(fetch_connect_timeout_s=0.5, fetch_read_timeout_s=0.3)
    async with build_http_client(settings) as http_client:
        yield http_client


@pytest.fixture
def fetcher(client: httpx.AsyncClient) -> DocumentFetcher:
    return DocumentFetcher(client, _policy())


async def _failure(fetcher: DocumentFetcher, url: str) -> DocumentUnavailable:
    with pytest.raises(DocumentUnavailable) as caught:
        await fetcher.fetch(url)
    assert caught.value.url == url
    return caught.value


async def test_fetches_a_pdf_with_its_validators(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    result = await fetcher.fetch(server.url("/manual.pdf"))
    assert (result.kind, result.content, result.content_type) == ("pdf", PDF, "application/pdf")
    assert (result.etag, result.last_modified) == (ETAG, LAST_MODIFIED)
    assert result.final_url == server.url("/manual.pdf")
    assert not result.not_modified


async def test_an_unchanged_manual_answers_not_modified(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    result = await fetcher.fetch(server.url("/manual.pdf"), etag=ETAG, last_modified=LAST_MODIFIED)
    assert result.not_modified
    assert (result.content, result.kind, result.etag) == (b"", "pdf", ETAG)


async def test_fetches_html(fetcher: DocumentFetcher, server: ManualServer) -> None:
    result = await fetcher.fetch(server.url("/manual.html"))
    assert (result.kind, result.content_type) == ("html", "text/html")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/nowhere", "not_found"),
        ("/forbidden", "forbidden"),
        ("/unauthorized", "forbidden"),
        ("/teapot", "http_error"),
    ],
)
async def test_client_errors_are_not_retried(
    fetcher: DocumentFetcher, server: ManualServer, path: str, reason: str
) -> None:
    assert (await _failure(fetcher, server.url(path))).reason == reason
    assert server.hits[path] == 1


async def test_a_server_error_is_retried_until_it_recovers(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    result = await fetcher.fetch(server.url("/flaky"))
    assert result.content == PDF
    assert server.hits["/flaky"] == 2


async def test_a_persistent_server_error_gives_up_after_the_retries(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    error = await _failure(fetcher, server.url("/down"))
    assert error.reason == "http_error"
    assert "503" in error.message
    assert server.hits["/down"] == 3


async def test_a_hanging_server_times_out_after_retries(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    assert (await _failure(fetcher, server.url("/hang"))).reason == "timeout"
    assert server.hits["/hang"] == 3


async def test_a_slow_drip_is_stopped_by_the_total_time_bound(
    client: httpx.AsyncClient, server: ManualServer
) -> None:
    fetcher = DocumentFetcher(client, _policy(total_timeout_s=0.5, max_bytes=10**6))
    error = await _failure(fetcher, server.url("/drip"))
    assert error.reason == "timeout"
    assert "0.5 s" in error.message


@pytest.mark.parametrize("path", ["/huge", "/declared-huge"])
async def test_a_body_over_the_limit_is_refused(
    fetcher: DocumentFetcher, server: ManualServer, path: str
) -> None:
    error = await _failure(fetcher, server.url(path))
    assert error.reason == "too_large"
    assert "64 KB" in error.message


async def test_a_redirect_is_followed(fetcher: DocumentFetcher, server: ManualServer) -> None:
    result = await fetcher.fetch(server.url("/moved"))
    assert result.final_url == server.url("/manual.pdf")
    assert result.content == PDF


async def test_a_redirect_loop_is_cut(fetcher: DocumentFetcher, server: ManualServer) -> None:
    assert (await _failure(fetcher, server.url("/loop"))).reason == "too_many_redirects"
    assert server.hits["/loop"] == 4  # the first request and three redirects


async def test_a_redirect_into_the_private_network_is_refused(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    assert (await _failure(fetcher, server.url("/to-private"))).reason == "blocked_url"
    assert server.hits["/manual.pdf"] == 0


async def test_private_addresses_need_permission(
    client: httpx.AsyncClient, server: ManualServer
) -> None:
    strict = DocumentFetcher(client, _policy(allow_hosts=frozenset()))
    assert (await _failure(strict, server.url("/manual.pdf"))).reason == "blocked_url"
    assert server.hits["/manual.pdf"] == 0
    relaxed = DocumentFetcher(client, _policy(allow_hosts=frozenset(), allow_private=True))
    assert (await relaxed.fetch(server.url("/manual.pdf"))).content == PDF


async def test_the_request_goes_to_the_checked_address_not_to_a_new_lookup(
    client: httpx.AsyncClient, server: ManualServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "manuals.invalid" resolves nowhere, so only the address the check returned can reach the
    # server; a fetcher that let httpx look the name up again (DNS rebinding) would fail here.
    port = httpx.URL(server.url("/")).port
    looked_up: list[str] = []

    async def resolve(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolve)
    # This machine has no public address to serve from: loopback stands in for one.
    monkeypatch.setattr(fetch_client, "_is_public", lambda address: address == "127.0.0.1")
    hosts: list[str] = []

    async def record_host(request: Request, writer: asyncio.StreamWriter) -> None:
        hosts.append(request.headers["host"])
        await respond(writer, 200, PDF, {"Content-Type": "application/pdf"})

    server.routes["/pinned.pdf"] = record_host
    strict = DocumentFetcher(client, _policy(allow_hosts=frozenset()))
    url = f"http://manuals.invalid:{port}/pinned.pdf"

    result = await strict.fetch(url)

    assert result.content == PDF and result.final_url == url
    assert looked_up == ["manuals.invalid"]
    assert hosts == [f"manuals.invalid:{port}"]  # virtual hosting still sees the name


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/manual.pdf",
        "file:///etc/passwd",
        "not a web address",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/manual.pdf",
        "http://10.1.2.3/manual.pdf",
    ],
)
async def test_unsafe_addresses_are_blocked(fetcher: DocumentFetcher, url: str) -> None:
    assert (await _failure(fetcher, url)).reason == "blocked_url"


@pytest.mark.parametrize(
    ("path", "outcome"),
    [
        ("/mislabeled", "pdf"),
        ("/zip", "unsupported_type"),
        ("/login-page", "unsupported_type"),
        ("/empty", "empty"),
    ],
)
async def test_the_type_comes_from_the_bytes_as_well_as_the_header(
    fetcher: DocumentFetcher, server: ManualServer, path: str, outcome: str
) -> None:
    try:
        kind: str = (await fetcher.fetch(server.url(path))).kind
    except DocumentUnavailable as exc:
        kind = exc.reason
    assert kind == outcome


async def test_an_unreachable_server_is_a_connection_failure(fetcher: DocumentFetcher) -> None:
    async with manual_server({}) as closed:
        url = closed.url("/manual.pdf")
    assert (await _failure(fetcher, url)).reason == "connection_failed"


async def test_fetch_first_falls_back_to_the_backup(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    result = await fetcher.fetch_first([server.url("/nowhere"), server.url("/manual.pdf")])
    assert result.content == PDF


async def test_fetch_first_reports_the_first_urls_error(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    with pytest.raises(DocumentUnavailable) as caught:
        await fetcher.fetch_first([server.url("/nowhere"), server.url("/forbidden")])
    assert caught.value.reason == "not_found"
    assert server.hits["/forbidden"] == 1


async def test_each_failed_fetch_is_counted_once(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    def count() -> float:
        value = REGISTRY.get_sample_value("document_unavailable_total", {"reason": "forbidden"})
        return value or 0.0

    before = count()
    await _failure(fetcher, server.url("/forbidden"))
    with pytest.raises(DocumentUnavailable):
        await fetcher.fetch_first([server.url("/forbidden"), server.url("/unauthorized")])
    assert count() == before + 2


async def test_messages_are_distinct_and_free_of_internals(
    client: httpx.AsyncClient, fetcher: DocumentFetcher, server: ManualServer
) -> None:
    paths = ["/nowhere", "/forbidden", "/teapot", "/loop", "/huge", "/zip", "/to-private"]
    errors = [await _failure(fetcher, server.url(path)) for path in paths]
    messages = [error.message for error in errors]
    assert len(set(messages)) == len(messages)
    for message in messages:
        assert message.startswith("The manual")
        assert "httpx" not in message
        assert "Traceback" not in message
        assert "127.0.0.1" not in message


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700::1", True),
        ("::ffff:8.8.8.8", True),  # IPv4-mapped: judged by the address it wraps
        ("64:ff9b::808:808", True),  # NAT64 of a public address
        ("100.64.0.1", False),  # carrier-grade NAT: some clouds serve metadata there
        ("198.18.0.1", False),  # benchmarking range
        ("192.0.2.1", False),  # documentation range
        ("0.0.0.0", False),
        ("::ffff:127.0.0.1", False),
        ("64:ff9b::7f00:1", False),  # NAT64 of loopback
        ("2002:7f00:1::1", False),  # 6to4 of loopback
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo wrapping a reserved client
        ("fd00::1", False),
        ("ff0e::1", False),  # multicast is never a manual server
        ("fe80::1%eth0", False),
    ],
)
def test_only_globally_routable_addresses_are_public(address: str, public: bool) -> None:
    assert fetch_client._is_public(address) is public


def _gzip(data: bytes, times: int) -> bytes:
    for _ in range(times):
        data = gzip.compress(data, compresslevel=9)
    return data


# 16 MB of zeros: ~16 KB gzipped once (under the 64 KB limit on the wire), ~160 B twice.
_ZEROS = b"\0" * (16 << 20)


@pytest.mark.parametrize(
    ("layers", "encoding"),
    [(1, "gzip"), (2, "gzip, gzip")],
)
async def test_a_gzip_bomb_is_stopped_at_the_limit(
    fetcher: DocumentFetcher, server: ManualServer, layers: int, encoding: str
) -> None:
    headers = {"Content-Type": "application/pdf", "Content-Encoding": encoding}
    server.routes["/bomb.pdf"] = _static(200, _gzip(_ZEROS, layers), **headers)
    tracemalloc.start()
    try:
        failure = await _failure(fetcher, server.url("/bomb.pdf"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert failure.reason == "too_large"
    # Cut off as soon as a layer outgrows the 64 KB limit: inflating a whole chunk at once
    # (as httpx does) would hold tens of megabytes.
    assert peak < 8 << 20


async def test_stacked_encodings_of_a_real_manual_are_undone(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    headers = {"Content-Type": "application/pdf", "Content-Encoding": "gzip, deflate"}
    body = zlib.compress(gzip.compress(PDF))
    server.routes["/layered.pdf"] = _static(200, body, **headers)
    assert (await fetcher.fetch(server.url("/layered.pdf"))).content == PDF


async def test_an_encoding_we_cannot_undo_is_refused_plainly(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    server.routes["/br.pdf"] = _static(200, b"\x1b\x00", Content_Encoding="br")
    failure = await _failure(fetcher, server.url("/br.pdf"))
    assert failure.reason == "unsupported_type"
    assert "(br)" in str(failure)


class _BusyThenFine:
    """429 with a Retry-After the first time, the PDF afterwards."""

    def __init__(self, retry_after: str) -> None:
        self.retry_after = retry_after
        self.times: list[float] = []

    async def __call__(self, request: Request, writer: asyncio.StreamWriter) -> None:
        self.times.append(asyncio.get_running_loop().time())
        if len(self.times) == 1:
            await respond(writer, 429, b"busy", {"Retry-After": self.retry_after})
        else:
            await respond(writer, 200, PDF, {"Content-Type": "application/pdf"})


async def test_a_busy_server_is_retried_after_the_wait_it_asks_for(
    fetcher: DocumentFetcher, server: ManualServer
) -> None:
    busy = _BusyThenFine("1")
    server.routes["/busy.pdf"] = busy
    assert (await fetcher.fetch(server.url("/busy.pdf"))).content == PDF
    assert len(busy.times) == 2
    assert 1.0 <= busy.times[1] - busy.times[0] < 1.5  # the server's wait, a little jitter


def test_retry_waits_are_jittered_and_read_from_either_form() -> None:
    waits = {fetch_client._retry_delay(0.5, 1, None) for _ in range(20)}
    assert len(waits) > 1 and all(0.5 <= w <= 1.5 for w in waits)
    assert fetch_client._seconds("7") == 7.0
    assert fetch_client._seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert fetch_client._seconds("soon") is None
