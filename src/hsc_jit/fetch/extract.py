"""Manual bytes → titled, numbered pages; CPU-bound, so the server runs it in worker processes."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from hsc_jit.errors import DocumentReason, DocumentUnavailable
from hsc_jit.fetch.html_pages import extract_html
from hsc_jit.fetch.pages import DocumentKind, ExtractedDocument, ExtractedPage
from hsc_jit.fetch.pdf_pages import extract_pdf

__all__ = ["DocumentKind", "ExtractedDocument", "ExtractedPage", "Extractor", "extract"]


def extract(content: bytes, kind: DocumentKind) -> ExtractedDocument:
    """Pages of a PDF or HTML manual; raises ``DocumentUnavailable`` when it has no usable text."""
    if not content.strip():
        raise DocumentUnavailable("empty", "The manual's file is empty.")
    return extract_pdf(content) if kind == "pdf" else extract_html(content)


@dataclass(frozen=True, slots=True)
class _Failure:
    """A ``DocumentUnavailable`` in picklable form (its constructor takes more than its args)."""

    reason: DocumentReason
    message: str


def _extract_in_worker(content: bytes, kind: DocumentKind) -> ExtractedDocument | _Failure:
    try:
        return extract(content, kind)
    except DocumentUnavailable as exc:
        return _Failure(exc.reason, exc.message)


def _warm_up() -> None:
    """Nothing: importing this module in the worker loads pdfium before the first manual."""


class Extractor:
    """Runs ``extract`` off the event loop in a bounded pool of worker processes.

    Processes, not a thread: pdfium is not thread-safe, a process pool extracts several manuals
    on several cores at once, and a crash inside pdfium on a hostile PDF kills one worker, not
    the server. Workers are spawned, not forked, because forking a threaded server is unsafe.
    """

    def __init__(self, max_workers: int) -> None:
        self._max_workers = max_workers
        self._pool = self._start_pool()

    def _start_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self._max_workers, mp_context=multiprocessing.get_context("spawn")
        )
        pool.submit(_warm_up)  # start the workers now rather than on the first question
        return pool

    async def extract(self, content: bytes, kind: DocumentKind) -> ExtractedDocument:
        pool = self._pool
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(pool, _extract_in_worker, content, kind)
        except BrokenProcessPool:
            if pool is self._pool:  # the first caller to notice replaces it
                self._pool = self._start_pool()
            reason: DocumentReason = "corrupt_pdf" if kind == "pdf" else "unsupported_type"
            raise DocumentUnavailable(reason, "The manual's file could not be read.") from None
        if isinstance(outcome, _Failure):
            raise DocumentUnavailable(outcome.reason, outcome.message)
        return outcome

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
