"""The extracted form of a manual, and the text clean-up shared by the PDF and HTML readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from hsc_jit.errors import DocumentUnavailable

DocumentKind = Literal["pdf", "html"]
# The readers' version: raise it with a change that gives a manual other pages or other text,
# and every stored manual read by an earlier one is read again (``documents/service.py``).
# 2: a PDF table's columns a tab apart, its wrapped cells rejoined to their rows.
# 3: a PDF line's short wrapped end, printed as the line above it, joins it (not a heading).
EXTRACTION = 3

_SPACES = re.compile(r"[^\S\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """One citable page: a PDF page, or a section of an HTML manual."""

    number: int  # 1-based, as an answer cites it
    text: str
    heading: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    title: str
    pages: list[ExtractedPage]


def clean_line(text: str) -> str:
    """One line with runs of whitespace (including no-break spaces) collapsed."""
    return _SPACES.sub(" ", text.replace("\u00ad", "")).strip()


def split_sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part]


def too_many_pages(pages: int, limit: int) -> DocumentUnavailable:
    return DocumentUnavailable(
        "too_large", f"The manual has {pages:,} pages; this server reads at most {limit:,}."
    )
