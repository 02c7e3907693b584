"""A page's answer units: its sentences, spec lines and list items, and list intros with steps.

Real manuals and spec sheets answer as often with a line ("• Keys: 61-note keyboard",
"Dimensions: 780 x 300 x 95 mm") as with a sentence, so every line that says something is a
unit. A short line with no end punctuation is a heading, naming the section of the units under
it, unless it states an amount ("Weight 7.9 kg", "Keyboard | 61 keys") or sits among a table's
rows or a list printed without bullets ("Instruments 465", "Keyboard stand KS-12"): a heading
heads the text after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from hsc_jit.text.contents import is_contents
from hsc_jit.text.sentences import AMOUNT, clean, sentence_spans

MAX_UNITS = 4  # an answer's length: a sentence, a list intro or one list item each
_MAX_CHARS = 600
_ENDS_SENTENCE = re.compile(r"[.!?][\"')\]]*$")
PAGE_FOOTER = re.compile(r"^page \d+(?: of \d+)?$", re.I)
_LIST_ITEM = re.compile(r"\s*(?:[•●▪◦■□‣∙·*\-–]|\d{1,2}[.)]|step\s+\d+[:.)]?)\s", re.I)
# "Label: value", or a table row as extraction writes it: "Label | value" from HTML, the
# columns a tab apart from a PDF.
_SPEC_LINE = re.compile(r"^([^:.!?|\t]{2,48})(?::\s*|\s\|\s|\t)(?=\S)")
_ADVICE = re.compile(r"^(?:note|caution|tip|important|warning|hint)\s*:", re.I)
_HEADING_WORDS = 9
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    paragraph: int  # the sentences of one paragraph (one line of the page text) share it
    item: bool  # opens a list item ("1. ...", "- ...", "• ...")
    heading: bool  # a title line: short, no end punctuation, no value, heads what follows
    section: str  # the nearest heading above it on the page, "" when none


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence, spec line or list item of an evidence page, or an intro with its list."""

    text: str
    page: int
    rank: int  # of the page among the evidence, 0 = best
    first: int  # index of its first sentence in the page
    last: int  # index of its last sentence in the page
    from_passage: bool
    page_sentences: tuple[Sentence, ...]

    @property
    def units(self) -> int:
        return count_units(self.page_sentences[self.first : self.last + 1])

    @property
    def spec(self) -> bool:
        """A "Label: value" line or an amount on a line of its own: a spec sheet's facts."""
        if self.first != self.last:
            return False
        sentence = self.page_sentences[self.first]
        line = not _ENDS_SENTENCE.search(sentence.text) and bool(AMOUNT.search(sentence.text))
        return bool(_SPEC_LINE.match(self.text)) or line

    @property
    def item(self) -> bool:
        return self.page_sentences[self.first].item

    @property
    def section(self) -> str:
        return self.page_sentences[self.first].section


@lru_cache(maxsize=1024)
def parse(text: str) -> tuple[Sentence, ...]:
    """The page's sentences with their paragraph, list-item and heading flags."""
    spans = [(start, start + len(text[start:end].rstrip())) for start, end in sentence_spans(text)]
    lines: list[_Line] = []
    paragraph = 0
    for index, (start, end) in enumerate(spans):
        if index and "\n" in text[spans[index - 1][1] : start]:
            paragraph += 1
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        item = not text[line_start:start].strip() and bool(_LIST_ITEM.match(text, start))
        sentence = clean(text[start:end])
        whole_line = (
            not text[line_start:start].strip()
            and not text[end : len(text) if line_end < 0 else line_end].strip()
        )
        tabular = (
            whole_line
            and not item
            and not _ENDS_SENTENCE.search(sentence)
            and not sentence.endswith(":")
            and len(sentence.split()) <= _HEADING_WORDS
        )
        titled = tabular and not _SPEC_LINE.match(sentence) and not AMOUNT.search(sentence)
        lines.append(_Line(sentence, paragraph, item, tabular, titled))
    parsed: list[Sentence] = []
    section = ""
    # A contents page's entries ("Connecting headphones 4") are pointers, not answers.
    table = not is_contents(text)
    for index, line in enumerate(lines):
        item, heading = line.item, line.titled
        if heading and table and _unbulleted_item(lines, index):
            item, heading = True, False
        if heading:
            section = line.text
        parsed.append(
            Sentence(line.text, line.paragraph, item, heading, "" if heading else section)
        )
    return tuple(parsed)


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    paragraph: int
    item: bool
    tabular: bool  # short, a line of its own, no end punctuation: a title or a table's row
    titled: bool  # tabular, and states no value: a heading unless its neighbours say otherwise


def _unbulleted_item(lines: Sequence[_Line], index: int) -> bool:
    """A title-like line in a run of short lines is a row or an item, not a heading: only the
    run's first line heads it (the page's own first line starts none), and a one-word line
    ("Options") stays a title, since a row has a label and a value."""
    after = index + 1
    line = lines[index]
    if index == 0 or " " not in line.text or not (after == len(lines) or lines[after].tabular):
        return False
    # Right after the page's title, a line holding a number is a row ("Kits 100 (60 preset)").
    return lines[index - 1].tabular if index > 1 else bool(_DIGIT.search(line.text))


def spec_label(text: str) -> tuple[str, str] | None:
    """A "Label: value" line's label and value ("Options (sold separately)", "stand, ...")."""
    found = _SPEC_LINE.match(text)
    return None if found is None else (found.group(1), text[found.end() :])


def page_units(
    text: str, page: int, rank: int, passages: Sequence[str] = (), budget: int = MAX_UNITS
) -> list[Unit]:
    """Every unit of one page, in reading order."""
    sentences = parse(text)
    picked = {clean(p).casefold() for p in passages}
    found: list[Unit] = []
    for index, sentence in enumerate(sentences):
        body, last = sentence.text, index
        if sentence.heading or PAGE_FOOTER.match(body) or len(body.split()) < 2:
            continue
        if body.endswith(":"):
            last = list_end(sentences, index, budget)
            if last == index:
                continue  # an intro without its list says nothing
            body = " ".join(s.text for s in sentences[index : last + 1])
        if len(body) > _MAX_CHARS:
            continue
        found.append(
            Unit(
                text=body,
                page=page,
                rank=rank,
                first=index,
                last=last,
                from_passage=any(s.text.casefold() in picked for s in sentences[index : last + 1]),
                page_sentences=sentences,
            )
        )
    return found


def count_units(sentences: Sequence[Sentence]) -> int:
    """Answer units: each sentence, except that a list item's further sentences are its own."""
    units = 0
    for index, sentence in enumerate(sentences):
        continues_item = (
            index > 0
            and not sentence.item
            and sentence.paragraph == sentences[index - 1].paragraph
            and any(s.item for s in sentences[:index] if s.paragraph == sentence.paragraph)
        )
        units += 0 if continues_item else 1
    return units


def opens_list(sentences: Sequence[Sentence], index: int) -> bool:
    """Whether a list starts at ``index``: a list item, or an intro ("To pair:") with items."""
    sentence = sentences[index]
    if sentence.item:
        return True
    return sentence.text.endswith(":") and index + 1 < len(sentences) and sentences[index + 1].item


def list_end(sentences: Sequence[Sentence], start: int, budget: int = MAX_UNITS) -> int:
    """Index of the last sentence of the intro or list item at ``start`` and the items after it.

    An intro ending in ":" with no list after it runs on into its next sentence ("...send the
    click only to the headphones:" / "[SETUP] > Click > ..."); a list ends at the first line
    that is no list item, at a heading or a footer, or when ``budget`` units are used.
    """
    last = start
    if sentences[start].text.endswith(":") and not opens_list(sentences, start):
        following = sentences[start + 1] if start + 1 < len(sentences) else None
        if (
            following is not None
            and not following.heading
            and _ENDS_SENTENCE.search(following.text)
            and not _ADVICE.match(following.text)
        ):
            return start + 1
        return start
    for index in range(start + 1, len(sentences)):
        sentence = sentences[index]
        if not sentence.item and sentence.paragraph != sentences[index - 1].paragraph:
            break  # the list ended: a paragraph that is no list item
        if sentence.heading or PAGE_FOOTER.match(sentence.text):
            break
        if count_units(sentences[start : index + 1]) > budget:
            break
        last = index
    return last


def ends_sentence(text: str) -> bool:
    return bool(_ENDS_SENTENCE.search(text))
