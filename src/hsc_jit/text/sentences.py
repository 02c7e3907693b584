"""Sentence boundaries in manual text and in model output.

Manual text extracted from PDFs wraps lines mid-sentence, lists steps as ``1.`` and bullets
as ``•``, and writes ``approx. 5 m`` or ``see p. 12``; a plain split on ``.`` breaks all of
these. The same rules find sentence ends in a streamed answer, where a boundary is only
trusted once the whitespace after it has arrived.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# A dot after these words rarely ends a sentence.
_ABBREVIATED_WORDS = (
    "e.g i.e etc approx ca no nos fig figs p pp pg vol min max incl excl vs mr mrs ms dr st "
    "ref sec ch esp resp cf al"
)
_ABBREVIATIONS = frozenset(_ABBREVIATED_WORDS.split())
_ALWAYS_ABBREVIATED = frozenset({"e.g", "i.e", "cf", "vs"})
_BULLET = r"(?:[•●▪◦■□‣∙·*\-–]|\d{1,2}[.)]|step\s+\d+[:.)]?)"
_LINE_STARTS_ITEM = re.compile(
    rf"\s*(?:{_BULLET}\s|(?:note|caution|tip|important|warning)\s*:)", re.I
)
_TERMINATOR = re.compile(r"[.!?]+[\"')\]]*(?=\s)")
_NEWLINE = re.compile(r"[ \t]*\n")
_LEADING_BULLET = re.compile(r"^\s*(?:[•●▪◦■□‣∙·*]|-(?=\s))\s*")
# A tab stays, spaces around it dropped: it is a PDF table's column gap
# (``fetch/pdf_pages.py``), the row's structure.
_SPACES = re.compile(r"[^\S\t]+")
_AROUND_TAB = re.compile(r"[^\S\t]*\t\s*")
_HEADING_SHARE = 0.7
_MIN_WIDTH = 60  # characters of a printed page's line, the narrowest a wrap is measured by
_PROSE_LINE = re.compile(r"[.!?][\"')\]]*[ \t]*$", re.M)
_ROW_WORDS = 9  # a spec row is a label and a value; a wrapped line of prose is longer
# Lower case only, and not "in" (inches): "Type A" and "1/4 in" end rows, "with a" and
# "Cubase, and" do not.
_UNFINISHED = re.compile(
    r"(?:[,&]|\b(?:and|or|nor|of|for|with|the|a|an|to|from|by|on|at|into|via|than|plus|"
    r"your|its|our|their|this|these|that|which|is|are))$"
)
# A spec sheet's row by its label: "Accessories: Owner's manual, AC adaptor, ..." followed by
# "Options: ..." ends however long it is (a wrapped value's next line starts with no label).
_LABELLED = re.compile(r"[A-Z][\w/&()'.+-]*(?:[ \t]+[\w/&()'.+-]+){0,3}[ \t]*:[ \t]*\S")
# An amount with its unit ("7.9 kg", "61 keys", "610 x 350 mm"); one-letter units only standing
# alone ("24 V DC", not "TD-27 V-Drums"). A line stating one is a spec sheet's row.
AMOUNT = re.compile(
    r"\d[\d.,]*\s*-?\s*(?:kg|lbs?|grams?|mm|cm|inch(?:es)?|watts?|hz|khz|ms|bits?|hours?|"
    r"minutes?|mins?|seconds?|secs?|ohms?|db[uv]?|gb|mb|"
    r"keys|notes|voices|pads|tones|sounds|kits|patterns|tracks|presets|patches|programs|"
    r"channels|songs|(?-i:g|m|W|V|A|h|k?[Ω\u2126]|mAh?)(?![\w-]))\b|\d\s*[x×]\s*\d",
    re.I,
)


def sentence_ends(text: str) -> Iterator[int]:
    """Offsets just past each sentence end in ``text`` that is followed by whitespace."""
    ends = sorted({*_terminator_ends(text), *_line_ends(text)})
    yield from ends


def split_sentences(text: str) -> list[str]:
    """Complete text as a list of sentences, whitespace collapsed and bullets dropped."""
    return [clean(text[start:end]) for start, end in sentence_spans(text)]


@lru_cache(maxsize=2048)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each non-blank sentence of complete text, leading space excluded.

    Remembered: the pages of a busy manual are split for every question about it.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for end in [*sentence_ends(text), len(text)]:
        piece = text[start:end]
        if clean(piece):
            spans.append((start + len(piece) - len(piece.lstrip()), end))
        start = end
    return tuple(spans)


def clean(text: str) -> str:
    """One line of text: bullet dropped, whitespace collapsed but for a table's tabs."""
    cleaned = _SPACES.sub(" ", _LEADING_BULLET.sub("", text))
    return (_AROUND_TAB.sub("\t", cleaned) if "\t" in cleaned else cleaned).strip()


def _terminator_ends(text: str) -> Iterator[int]:
    for match in _TERMINATOR.finditer(text):
        if match.group().startswith(".") and (
            _is_abbreviation(text, match.start()) or _in_brackets(text, match.start())
        ):
            continue
        yield match.end()


def _in_brackets(text: str, dot: int) -> bool:
    """A dot inside a button name, "[E. PIANO]", ends no sentence: "[" open before it on its line
    and "]" closing after it on the same line."""
    line_start = text.rfind("\n", 0, dot) + 1
    line_end = text.find("\n", dot)
    line_end = len(text) if line_end < 0 else line_end
    opened = text.rfind("[", line_start, dot)
    return opened >= 0 and "]" not in text[opened:dot] and "]" in text[dot:line_end]


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("(\"'").casefold()
    if word.isdigit():
        # "1." opening a line is a step number; "set it to 5." ends a sentence.
        line_start = text.rfind("\n", 0, word_start) + 1
        return not text[line_start:word_start].strip()
    if word in _ALWAYS_ABBREVIATED:
        return True
    following = text[dot + 1 :].lstrip()
    # "approx. 5 m" and "no. 3" continue; "...and so on, etc. Then" ends.
    return word in _ABBREVIATIONS and (not following or not following[0].isupper())


def _line_ends(text: str) -> Iterator[int]:
    width = max((len(line.strip()) for line in text.splitlines()), default=0)
    if not _PROSE_LINE.search(text):
        # Short lines and not one sentence ending a line (a spec sheet, a contents page): no
        # prose was wrapped here, whatever the longest line is.
        width = max(width, _MIN_WIDTH)
    line_start = 0
    for match in _NEWLINE.finditer(text):
        line = text[line_start : match.start()].strip()
        line_start = match.end()
        after = text[match.end() :]
        if not line:
            continue
        # A wrapped line goes on; a blank line, a new list item or a finished line ends one,
        # and so does a heading (a line well short of the others) or a spec sheet's row (a
        # table row, or a few words stating an amount), followed by a capital.
        # A line ending in a comma or a word that joins ("Cubase, and" / "Studio One") is
        # wrapped whatever its length or the next line's capital.
        may_end = after[:1].isupper() and not _UNFINISHED.search(line)
        heading = len(line) < _HEADING_SHARE * width and may_end
        short = len(line.split()) <= _ROW_WORDS
        row = may_end and (" | " in line or (short and bool(AMOUNT.search(line))))
        # A PDF's table rows, a tab between their columns, each end whatever follows.
        tabbed = "\t" in line and "\t" in after.split("\n", 1)[0]
        labelled = bool(_LABELLED.match(line) and _LABELLED.match(after.lstrip(" \t")))
        if (
            after.startswith("\n")
            or _LINE_STARTS_ITEM.match(after)
            or line[-1] in ".!?:"
            or heading
            or row
            or tabbed
            or labelled
        ):
            yield match.end()
