"""Manual bytes → titled, numbered pages; CPU-bound, so the server runs it in worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from hsc_jit.errors import DocumentReason, DocumentUnavailable
from hsc_jit.fetch.html_pages import extract_html
from hsc_jit.fetch.pages import DocumentKind, ExtractedDocument, ExtractedPage, too_many_pages
from hsc_jit.fetch.pdf_pages import extract_pdf
from hsc_jit.observability.metrics import EXTRACT_TIMEOUTS

__all__ = [
    "DocumentKind",
    "DocumentLimits",
    "ExtractedDocument",
    "ExtractedPage",
    "Extractor",
    "extract",
]
_NICE = 10


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """How much of one manual this server reads (``HSC_DOCUMENT_MAX_PAGES`` / ``_MAX_CHARS`` /
    ``_MAX_HTML_BYTES``): beyond them its index and vectors would cost more memory and time than
    a question may."""

    max_pages: int = 3000
    max_chars: int = 8_000_000
    # Checked before parsing: a parsed HTML tree takes ~15 times the page's size, and the worker
    # keeps that memory after the page is refused for its text.
    max_html_bytes: int = 10 * 1024 * 1024


def extract(
    content: bytes, kind: DocumentKind, limits: DocumentLimits = DocumentLimits()
) -> ExtractedDocument:
    """Pages of a PDF or HTML manual; raises ``DocumentUnavailable`` when it has no usable text
    or is over ``limits`` (reason ``too_large``, the limit named in the message)."""
    if not content.strip():
        raise DocumentUnavailable("empty", "The manual's file is empty.")
    refuse_oversized(content, kind, limits)
    document = extract_pdf(content, limits.max_pages) if kind == "pdf" else extract_html(content)
    if len(document.pages) > limits.max_pages:
        raise too_many_pages(len(document.pages), limits.max_pages)
    chars = sum(len(page.text) for page in document.pages)
    if chars > limits.max_chars:
        raise DocumentUnavailable(
            "too_large",
            f"The manual holds {chars:,} characters of text; this server reads at most "
            f"{limits.max_chars:,} per manual.",
        )
    return document


def refuse_oversized(content: bytes, kind: DocumentKind, limits: DocumentLimits) -> None:
    """Raises ``DocumentUnavailable`` for an HTML page over ``limits.max_html_bytes``."""
    if kind == "html" and len(content) > limits.max_html_bytes:
        raise DocumentUnavailable(
            "too_large",
            f"The manual's web page is {len(content) / 2**20:.1f} MB; this server reads pages "
            f"of at most {limits.max_html_bytes / 2**20:.1f} MB.",
        )


@dataclass(frozen=True, slots=True)
class _Failure:
    """A ``DocumentUnavailable`` in picklable form (its constructor takes more than its args)."""

    reason: DocumentReason
    message: str


def _extract_in_worker(
    content: bytes, kind: DocumentKind, limits: DocumentLimits
) -> ExtractedDocument | _Failure:
    try:
        return extract(content, kind, limits)
    except DocumentUnavailable as exc:
        return _Failure(exc.reason, exc.message)
    except (RecursionError, MemoryError, ValueError) as exc:
        # A hostile file the parsers choke on: refused like any unreadable manual.
        reason: DocumentReason = "corrupt_pdf" if kind == "pdf" else "unsupported_type"
        return _Failure(reason, f"The manual's file could not be read ({type(exc).__name__}).")


def _warm_up() -> None:
    """Nothing: importing this module in the worker loads pdfium before the first manual."""


def _start_worker() -> None:
    """Extraction is batch work: below the server's own threads in the CPU's queue."""
    with contextlib.suppress(OSError):
        os.nice(_NICE)


class Extractor:
    """Runs ``extract`` off the event loop in a bounded pool of worker processes.

    Processes, not a thread: pdfium is not thread-safe, a process pool extracts several manuals
    on several cores at once, and a crash inside pdfium on a hostile PDF kills one worker, not
    the server. Workers are spawned, not forked, because forking a threaded server is unsafe.
    An extraction that outlasts ``timeout_s`` has its pool's processes killed and replaced
    (a stuck worker cannot be stopped any other way); manuals that were extracting beside it
    are tried once more on the new pool.
    """

    def __init__(
        self, max_workers: int, timeout_s: float = 30.0, limits: DocumentLimits = DocumentLimits()
    ) -> None:
        self._max_workers = max_workers
        self._timeout_s = timeout_s
        self._limits = limits
        self._pool = self._start_pool()

    def _start_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self._max_workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
        )
        pool.submit(_warm_up)  # start the workers now rather than on the first question
        return pool

    async def extract(self, content: bytes, kind: DocumentKind) -> ExtractedDocument:
        # Refused here too: an oversized page never costs a worker its copy.
        refuse_oversized(content, kind, self._limits)
        for attempt in range(2):
            pool = self._pool
            try:
                future = pool.submit(_extract_in_worker, content, kind, self._limits)
                outcome = await asyncio.wait_for(asyncio.wrap_future(future), self._timeout_s)
            except TimeoutError:
                self._replace(pool)
                EXTRACT_TIMEOUTS.inc()
                raise DocumentUnavailable(
                    "extract_timeout",
                    f"The manual took too long to read (over {self._timeout_s:g} s).",
                ) from None
            except BrokenProcessPool:
                killed = pool is not self._pool  # another extraction's timeout replaced it
                self._replace(pool)
                if killed and attempt == 0:
                    continue
                reason: DocumentReason = "corrupt_pdf" if kind == "pdf" else "unsupported_type"
                raise DocumentUnavailable(reason, "The manual's file could not be read.") from None
            if isinstance(outcome, _Failure):
                raise DocumentUnavailable(outcome.reason, outcome.message)
            return outcome
        raise AssertionError("unreachable")  # the loop returns or raises

    def _replace(self, pool: ProcessPoolExecutor) -> None:
        """Kill ``pool``'s workers and start a new pool, once per pool however many notice."""
        if pool is self._pool:
            self._pool = self._start_pool()
        _kill(pool)

    def close(self) -> None:
        # Never waits on a stuck worker (shutdown must finish within the pod's grace period):
        # the workers are killed first, then the pool is waited for, which takes milliseconds
        # and lets it release its queues' semaphores before the process exits.
        _kill(self._pool, wait=True)


def _kill(pool: ProcessPoolExecutor, wait: bool = False) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    pool.shutdown(wait=wait, cancel_futures=True)
