"""Download one manual safely: public hosts only, bounded in size, time, redirects and retries.

Redirects are followed here, not by httpx, so that every hop's host is resolved and checked
before a request goes out, and the request then goes to the address that was checked (with the
original Host header and TLS server name), so a name that resolves differently a moment later
(DNS rebinding) cannot steer it into our network. Every refusal is a ``DocumentUnavailable``
with a message a customer can read, counted once per failed fetch in ``DOCUMENT_UNAVAILABLE``.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import random
import socket
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
import structlog

from hsc_jit.config import Settings
from hsc_jit.errors import DocumentReason, DocumentUnavailable
from hsc_jit.fetch.inflate import Inflater, TooLarge, UnknownEncoding, encodings
from hsc_jit.fetch.pages import DocumentKind
from hsc_jit.observability.metrics import DOCUMENT_DOWNLOADS, DOCUMENT_UNAVAILABLE

log = structlog.get_logger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# The PDF specification lets readers accept the header anywhere in the first 1024 bytes.
_PDF_MAGIC_WINDOW = 1024
_HTML_MARKERS = (b"<!doctype html", b"<html")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What a fetch may do; built from settings, narrowed in tests."""

    max_bytes: int
    max_redirects: int
    total_timeout_s: float
    retries: int
    retry_backoff_s: float
    allow_private: bool = False
    allow_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        return cls(
            max_bytes=settings.fetch_max_bytes,
            max_redirects=settings.fetch_max_redirects,
            total_timeout_s=settings.fetch_total_timeout_s,
            retries=settings.fetch_retries,
            retry_backoff_s=settings.fetch_retry_backoff_s,
            allow_private=settings.fetch_allow_private,
            allow_hosts=frozenset(host.lower() for host in settings.fetch_allow_hosts),
        )


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A downloaded manual. On a 304 ``content`` is empty and ``kind`` is the declared type."""

    content: bytes
    kind: DocumentKind
    content_type: str
    etag: str | None
    last_modified: str | None
    final_url: str
    not_modified: bool = False


def build_http_client(settings: Settings) -> httpx.AsyncClient:
    """One pooled client for the process; the total time bound is applied per fetch."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(
            connect=settings.fetch_connect_timeout_s,
            read=settings.fetch_read_timeout_s,
            write=settings.fetch_read_timeout_s,
            pool=settings.fetch_connect_timeout_s,
        ),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        follow_redirects=False,
        headers={"User-Agent": settings.fetch_user_agent},
    )


class _Transient(Exception):
    """A failure worth retrying (timeout, connection error, 429, 5xx); ``error`` is raised at
    the end; ``retry_after`` is the server's own wait in seconds, when it sent one."""

    def __init__(self, error: DocumentUnavailable, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


class DocumentFetcher:
    def __init__(self, client: httpx.AsyncClient, policy: FetchPolicy) -> None:
        self._client = client
        self._policy = policy

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Download ``url``, sending the validators so an unchanged manual answers 304."""
        try:
            return await self._fetch(url, etag, last_modified)
        except DocumentUnavailable as exc:
            DOCUMENT_UNAVAILABLE.labels(reason=exc.reason).inc()
            raise

    async def fetch_first(self, urls: Sequence[str]) -> FetchResult:
        """The first of ``urls`` that downloads; if none does, the first URL's error."""
        if not urls:
            error = DocumentUnavailable("no_document", "This product has no manual to read.")
            DOCUMENT_UNAVAILABLE.labels(reason=error.reason).inc()
            raise error
        first_error: DocumentUnavailable | None = None
        for url in urls:
            try:
                return await self._fetch(url, None, None)
            except DocumentUnavailable as exc:
                log.info("fetch.failed", url=url, reason=exc.reason)
                first_error = first_error or exc
        assert first_error is not None
        DOCUMENT_UNAVAILABLE.labels(reason=first_error.reason).inc()
        raise first_error

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        headers = {
            "Accept": "application/pdf, text/html;q=0.9, */*;q=0.1",
            # What fetch/inflate.py can undo within its limits, nothing else.
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        DOCUMENT_DOWNLOADS.inc()
        try:
            async with asyncio.timeout(self._policy.total_timeout_s):
                return await self._with_retries(url, headers)
        except TimeoutError:
            raise _fail(
                "timeout",
                f"The manual took longer than {self._policy.total_timeout_s:g} s to download.",
                url,
            ) from None

    async def _with_retries(self, url: str, headers: dict[str, str]) -> FetchResult:
        attempt = 0
        while True:
            try:
                return await self._follow(url, headers)
            except _Transient as transient:
                if attempt >= self._policy.retries:
                    raise transient.error from None
                delay = _retry_delay(self._policy.retry_backoff_s, attempt, transient.retry_after)
                log.info("fetch.retry", url=url, reason=transient.error.reason, delay_s=delay)
                attempt += 1
                await asyncio.sleep(delay)

    async def _follow(self, url: str, headers: dict[str, str]) -> FetchResult:
        current = _parse(url)
        for _hop in range(self._policy.max_redirects + 1):
            address = await self._check_host(current, url)
            location = await self._request(current, address, headers, url)
            if isinstance(location, FetchResult):
                return location
            current = location
        raise _fail(
            "too_many_redirects",
            f"The manual's address redirected more than {self._policy.max_redirects} times.",
            url,
        )

    async def _request(
        self, target: httpx.URL, address: str | None, headers: dict[str, str], url: str
    ) -> FetchResult | httpx.URL:
        """One hop to ``address`` (``target``'s host when None): the result, or the URL a
        redirect points to."""
        if address is None:
            request = self._client.build_request("GET", target, headers=headers)
        else:
            request = self._client.build_request(
                "GET",
                target.copy_with(host=address),
                headers={**headers, "Host": target.netloc.decode("ascii")},
                # TLS: the certificate is checked against the name, not the address.
                extensions={"sni_hostname": target.host} if target.scheme == "https" else {},
            )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException:
            error = _fail("timeout", "The manual's server did not answer in time.", url)
            raise _Transient(error) from None
        except httpx.TransportError:
            error = _fail("connection_failed", "The manual's server could not be reached.", url)
            raise _Transient(error) from None
        try:
            status = response.status_code
            if status in _REDIRECTS and "location" in response.headers:
                try:
                    return target.join(response.headers["location"])
                except httpx.InvalidURL:
                    message = "The manual's server sent a bad redirect."
                    raise _fail("http_error", message, url) from None
            if status == 304:
                return self._not_modified(response, target)
            _check_status(status, url, response.headers.get("retry-after"))
            content = await self._read_body(response, url)
        finally:
            await response.aclose()
        content_type = _media_type(response)
        return FetchResult(
            content=content,
            kind=_sniff_kind(content, content_type, url),
            content_type=content_type,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            final_url=str(target),
        )

    async def _read_body(self, response: httpx.Response, url: str) -> bytes:
        limit = self._policy.max_bytes
        too_large = _fail("too_large", f"The manual is larger than the {_size(limit)} limit.", url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        try:
            inflater = Inflater(encodings(response.headers.get("content-encoding", "")), limit)
        except UnknownEncoding as unknown:
            message = f"The manual's server sent it in an encoding we cannot read ({unknown})."
            raise _fail("unsupported_type", message, url) from None
        chunks: list[bytes] = []
        received = 0
        try:
            # Raw bytes, inflated here a bounded step at a time off the event loop: decoded
            # bytes are counted, so a small compressed body cannot inflate past the limit.
            async for raw in response.aiter_raw():
                chunk = await asyncio.to_thread(inflater.feed, raw) if inflater.layered else raw
                received += len(chunk)
                if received > limit:
                    raise too_large
                chunks.append(chunk)
            chunks.append(inflater.flush())
        except TooLarge:
            raise too_large from None
        except zlib.error:
            message = "The manual's server sent a damaged compressed file."
            raise _fail("http_error", message, url) from None
        except httpx.TimeoutException:
            error = _fail("timeout", "The manual's server stopped sending data.", url)
            raise _Transient(error) from None
        except httpx.TransportError:
            message = "The connection broke while downloading the manual."
            raise _Transient(_fail("connection_failed", message, url)) from None
        content = b"".join(chunks)
        if len(content) > limit:
            raise too_large
        return content

    def _not_modified(self, response: httpx.Response, target: httpx.URL) -> FetchResult:
        content_type = _media_type(response)
        # No body to sniff: trust the declared type, then the address.
        pdf = content_type == "application/pdf" or target.path.lower().endswith(".pdf")
        return FetchResult(
            content=b"",
            kind="pdf" if pdf else "html",
            content_type=content_type,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            final_url=str(target),
            not_modified=True,
        )

    async def _check_host(self, target: httpx.URL, url: str) -> str | None:
        """The public address to connect to; refuses hosts that resolve into our own network.

        None when the host is not checked (private addresses allowed, or an allowed host).
        """
        if self._policy.allow_private or target.host.lower() in self._policy.allow_hosts:
            return None
        port = target.port or (443 if target.scheme == "https" else 80)
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(
                target.raw_host.decode("ascii"), port, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError) as exc:
            error = _fail("connection_failed", "The manual's web address could not be found.", url)
            # Only a temporary DNS failure is worth another try; an unknown name stays unknown.
            if isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN:
                raise _Transient(error) from None
            raise error from None
        addresses = [str(info[4][0]) for info in infos]
        if not addresses or not all(_is_public(address) for address in addresses):
            raise _fail(
                "blocked_url",
                "The manual's address points into a private network, which is not allowed.",
                url,
            )
        return addresses[0].split("%", 1)[0]


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        message = "The manual's address is not a valid web address."
        raise _fail("blocked_url", message, url) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise _fail("blocked_url", "Only http and https manual addresses can be fetched.", url)
    return parsed


# NAT64's well-known prefix carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _is_public(address: str) -> bool:
    """Only globally routable unicast addresses, and whatever an IPv6 address wraps is too.

    An allow-list of what is public rather than a list of what is not: carrier-grade NAT
    (100.64.0.0/10, where some clouds serve instance metadata), benchmarking and documentation
    ranges are all not global.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        # An address that only carries an IPv4 one (mapped, NAT64) is that address.
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.sixtofour is not None:
            addresses.append(ip.sixtofour)
        if ip.teredo is not None:
            addresses.extend(ip.teredo)
    return all(a.is_global and not a.is_multicast for a in addresses)


def _check_status(status: int, url: str, retry_after: str | None = None) -> None:
    if 200 <= status < 300:
        return
    if status == 404 or status == 410:
        raise _fail("not_found", "The manual is no longer at its address (not found).", url)
    if status in (401, 403):
        raise _fail("forbidden", "The manual's server refused access to it.", url)
    error = _fail("http_error", f"The manual's server answered with an error ({status}).", url)
    if status >= 500 or status == 429:
        raise _Transient(error, _seconds(retry_after))
    raise error


# A server's Retry-After is honoured up to this; a longer one is the total timeout's business.
_MAX_RETRY_AFTER_S = 30.0


def _retry_delay(backoff_s: float, attempt: int, retry_after: float | None) -> float:
    """The server's Retry-After when it sent one, else exponential backoff; both jittered so
    that many instances retrying one server do not arrive together."""
    if retry_after is not None:
        return min(retry_after, _MAX_RETRY_AFTER_S) * random.uniform(1.0, 1.2)
    return float(backoff_s * 2**attempt * random.uniform(0.5, 1.5))


def _seconds(retry_after: str | None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not retry_after:
        return None
    value = retry_after.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, float(when.timestamp()) - time.time())


def _media_type(response: httpx.Response) -> str:
    declared = str(response.headers.get("content-type", ""))
    return declared.split(";", 1)[0].strip().lower()


def _sniff_kind(content: bytes, content_type: str, url: str) -> DocumentKind:
    """PDF magic bytes win over any declared type; HTML needs its type or its markup."""
    if not content.strip():
        raise _fail("empty", "The manual's address returned an empty file.", url)
    if b"%PDF-" in content[:_PDF_MAGIC_WINDOW]:
        return "pdf"
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    looks_html = head.startswith(_HTML_MARKERS) or b"<html" in head
    if content_type == "application/pdf":
        # A web page where a PDF was promised is nearly always a login or error page.
        if looks_html:
            message = "The manual's address returned a web page instead of the PDF."
            raise _fail("unsupported_type", message, url)
        raise _fail("corrupt_pdf", "The manual's PDF file is damaged and cannot be read.", url)
    if content_type in _HTML_TYPES or looks_html:
        return "html"
    raise _fail(
        "unsupported_type", "The manual is in a format that cannot be read (not PDF or HTML).", url
    )


def _size(limit: int) -> str:
    mib = 1024 * 1024
    return f"{limit / mib:g} MB" if limit >= mib else f"{limit / 1024:g} KB"


def _fail(reason: DocumentReason, message: str, url: str) -> DocumentUnavailable:
    return DocumentUnavailable(reason, message, url)
