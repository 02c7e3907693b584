"""The protocol's answer markers: each a chunk of its own, spelled exactly as here.

``[MANUAL: page N]`` cites a manual page, ``[SUGGESTION: name]`` names a catalog accessory and
``[PRO TIP: advice]`` closes the answer. The prompt (``answer/prompt.py``) teaches models these
spellings, the chunker (``answer/chunking.py``) turns whatever a model writes into them, and the
client and the answer's sources list read them.
"""

from __future__ import annotations

import re

# The citation anywhere in a text; group 1 is the page.
CITATION = re.compile(r"\[MANUAL: page (\d+)\]")
# A chunk that is one citation: white space before it does not make it prose.
_CITATION_CHUNK = re.compile(rf"^\s*{CITATION.pattern}$")
_MARKER = re.compile(r"^\[(?:MANUAL: page \d+|SUGGESTION: .+|PRO TIP: .+)\]$", re.S)
_ANY_MARKER = re.compile(r"\s*\[(?:MANUAL: page \d+|SUGGESTION: [^\]]+|PRO TIP: [^\]]+)\]")


def citation(page: int) -> str:
    return f"[MANUAL: page {page}]"


def suggestion(name: str) -> str:
    return f"[SUGGESTION: {name}]"


def pro_tip(tip: str) -> str:
    return f"[PRO TIP: {tip}]"


def is_marker(chunk: str) -> bool:
    """True for a chunk that is one marker of any kind, exactly as the protocol spells it."""
    return _MARKER.match(chunk) is not None


def cited_page(chunk: str) -> int | None:
    """The page a citation chunk cites; None for any other chunk."""
    match = _CITATION_CHUNK.match(chunk)
    return int(match[1]) if match else None


def without_markers(text: str) -> str:
    """An answer's prose alone: its citations, suggestion and tip taken out."""
    return _ANY_MARKER.sub("", text).strip()
