"""Turn a provider's raw text deltas into protocol answer chunks.

A provider streams text in arbitrary pieces: a marker may arrive as ``[MAN`` + ``UAL: pa`` +
``ge 3]``, sentences arrive a few tokens at a time, and a model spells markers its own way.
The ``Chunker`` buffers the deltas and emits sentence-sized text chunks that end on word
boundaries, and every marker as a chunk of its own in the protocol's spelling. Markers a model
made up (a page that is not in the evidence, an accessory that is not in the catalog) are
dropped, and at most one suggestion and one pro tip get through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hsc_jit.answer import markers
from hsc_jit.answer.base import AnswerRequest
from hsc_jit.text.sentences import clean, sentence_ends

# How far past a "[" the closing "]" may be before the "[" is taken as plain text.
_MARKER_MAX_CHARS = 400
# Page ranges wider than this are a model's vague gesture, not a citation.
_MAX_RANGE = 10

_PAGE_WORD = r"(?:pages?|pgs?|pp?)\.?\s*[:#]?\s*"
_PAGES = r"(?P<pages>\d+(?:\s*(?:,|&|and|-|–|to)\s*\d+)*)"
_MANUAL = re.compile(
    rf"^(?:(?:user'?s?\s+|owner'?s?\s+)?manual\s*[:,\-–]?\s*(?:{_PAGE_WORD})?|{_PAGE_WORD}){_PAGES}$",
    re.I,
)
_SUGGESTION = re.compile(
    r"^(?:suggestion|suggested(?:\s+accessory)?|recommended(?:\s+accessory)?|accessory)"
    r"\s*[:\-–]\s*(?P<name>.+)$",
    re.I | re.S,
)
_PRO_TIP = re.compile(r"^(?:pro[\s\-_]*tip|tip)\s*[:\-–]\s*(?P<tip>.+)$", re.I | re.S)
_MARKER_START = re.compile(
    r"^\[\s*(?:manual|pages?\b|pp?\.|suggest|recommend|accessory|pro[\s\-_]*tip|tip\s*[:\-–])", re.I
)
_PAGE_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
_RANGE = re.compile(r"^(\d+)\s*(?:-|–|to)\s*(\d+)$")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")
_EMPHASIS = re.compile(r"\*\*|__")
_ARTICLES = frozenset({"the", "a", "an", "our", "your"})
_NAME_NOISE = re.compile(r"[\"'“”‘’*`]|[.,;:!]+$")


class Chunker:
    """Buffers raw deltas; ``feed`` and ``flush`` return the protocol chunks ready so far."""

    def __init__(
        self,
        pages: Iterable[int],
        accessories: Iterable[str],
        *,
        min_chars: int = 24,
        max_chars: int = 240,
    ) -> None:
        self._pages = frozenset(pages)
        self._accessories = {_name_key(name): name for name in accessories}
        self._min_chars = min_chars
        self._max_chars = max_chars
        self._raw = ""  # not yet parsed; starts with an unclosed "[" when waiting for "]"
        self._prose = ""  # parsed text not yet emitted
        self._held: list[str] = []  # markers that wait for the end of the current sentence
        self._suggested = False
        self._tipped = False

    @classmethod
    def for_request(cls, request: AnswerRequest) -> Chunker:
        return cls([e.page for e in request.evidence], [a.name for a in request.accessories])

    def feed(self, delta: str) -> list[str]:
        self._raw += delta
        return self._drain(final=False)

    def flush(self) -> list[str]:
        """End of stream: everything still buffered, as chunks."""
        chunks = self._drain(final=True)
        self._raw = ""  # an unfinished marker: without its end it cannot be trusted
        chunks += self._take_sentences(eager=True)
        chunks += _sized(_tidy(self._prose), self._max_chars)
        self._prose = ""
        chunks += self._held
        self._held = []
        return chunks

    def discard_pending(self) -> None:
        """Forget the unfinished sentence and its markers (the stream broke off mid-way)."""
        self._raw = self._prose = ""
        self._held = []

    def _drain(self, *, final: bool) -> list[str]:
        chunks: list[str] = []
        while self._raw:
            opening = self._raw.find("[")
            if opening == -1:
                self._prose += self._raw
                self._raw = ""
                break
            self._prose += self._raw[:opening]
            self._raw = self._raw[opening:]
            closing = _closing_bracket(self._raw)
            if closing == -1:
                unclosed_text = final and not _MARKER_START.match(self._raw)
                if unclosed_text or len(self._raw) > _MARKER_MAX_CHARS:
                    self._prose += "["  # a bracket in the text, not a marker
                    self._raw = self._raw[1:]
                    continue
                break  # wait for the "]"; at the end of the stream, flush drops it
            candidate, self._raw = self._raw[1:closing], self._raw[closing + 1 :]
            parsed = self._parse(candidate)
            if parsed is None:
                self._prose += f"[{candidate}]"
            else:
                self._prose += " "  # a marker separates words: "page 3]Then" is two sentences
                chunks += self._place(parsed)
        chunks += self._take_sentences(eager=False)
        return chunks

    def _place(self, parsed: list[str]) -> list[str]:
        # Sentences finished before the marker go first, so that it follows the text it cites.
        chunks = self._take_sentences(eager=True)
        if _tidy(self._prose):
            self._held += parsed  # mid-sentence: cite after the sentence ends
        else:
            chunks += self._held + parsed
            self._held = []
        return chunks

    def _take_sentences(self, *, eager: bool) -> list[str]:
        chunks: list[str] = []
        start = 0
        for end in sentence_ends(self._prose):
            text = _tidy(self._prose[start:end])
            if text and len(text) < self._min_chars and not eager:
                continue  # too short alone: it goes with the next sentence
            start = end
            if text:
                chunks += _sized(text, self._max_chars) + self._held
                self._held = []
        self._prose = self._prose[start:]
        # A long sentence still arriving goes out in pieces that end on a word.
        while len(self._prose) > self._max_chars:
            cut = _last_space(self._prose, self._max_chars)
            if cut <= 0:
                break
            chunks += [t for t in [_tidy(self._prose[:cut])] if t]
            self._prose = self._prose[cut:]
        return chunks

    def _parse(self, inner: str) -> list[str] | None:
        """Canonical markers for ``[inner]``; [] when it is a marker to drop; None when not one."""
        text = inner.strip()
        if match := _MANUAL.match(text):
            return [markers.citation(p) for p in _pages(match["pages"]) if p in self._pages]
        if match := _SUGGESTION.match(text):
            name = self._accessory(match["name"])
            if name is None or self._suggested:
                return []
            self._suggested = True
            return [markers.suggestion(name)]
        if match := _PRO_TIP.match(text):
            tip = clean(match["tip"]).replace("[", "(").replace("]", ")")
            if not tip or self._tipped:
                return []
            self._tipped = True
            return [markers.pro_tip(tip)]
        return None

    def _accessory(self, given: str) -> str | None:
        key = _name_key(given)
        if key in self._accessories:
            return self._accessories[key]
        # "the RH-5 headphones" for "Roland RH-5 Headphones": accepted only when one name fits.
        words = set(key.split()) - _ARTICLES
        if len("".join(words)) < 4:
            return None
        fits = [
            name
            for known, name in self._accessories.items()
            if words <= set(known.split()) or set(known.split()) <= words
        ]
        return fits[0] if len(fits) == 1 else None


def _closing_bracket(raw: str) -> int:
    depth = 0
    for index, char in enumerate(raw):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _pages(spec: str) -> list[int]:
    pages: list[int] = []
    for item in _PAGE_SPLIT.split(spec):
        if match := _RANGE.match(item):
            first, last = int(match[1]), int(match[2])
            if 0 <= last - first <= _MAX_RANGE:
                pages += range(first, last + 1)
        elif item.isdigit():
            pages.append(int(item))
    return list(dict.fromkeys(pages))


def _tidy(text: str) -> str:
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", clean(_EMPHASIS.sub("", text)))
    # What is left of a sentence after its marker ("." of "...[MANUAL: page 3].") is no chunk.
    return text if any(char.isalnum() for char in text) else ""


def _sized(text: str, max_chars: int) -> list[str]:
    pieces: list[str] = []
    while len(text) > max_chars:
        cut = _last_space(text, max_chars)
        if cut <= 0:
            break
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def _last_space(text: str, limit: int) -> int:
    return max(text.rfind(" ", 0, limit + 1), text.rfind("\n", 0, limit + 1))


def _name_key(name: str) -> str:
    return " ".join(_NAME_NOISE.sub("", name).casefold().split())


def spaced(chunk: str, *, first: bool) -> str:
    """A text chunk after the first starts with a space; markers stay exactly as they are.

    So the chunks read right both as bubbles of their own and joined by a client that
    concatenates them ("...in the studio. These variations...").
    """
    if first or markers.is_marker(chunk) or chunk[:1].isspace():
        return chunk
    return f" {chunk}"
