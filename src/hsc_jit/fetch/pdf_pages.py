"""PDF → pages with pypdfium2: one page of text per PDF page, numbered as printed order.

pdfium is not thread-safe; callers run this in a worker process (see ``extract.Extractor``).
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from hsc_jit.errors import DocumentUnavailable
from hsc_jit.fetch.pages import ExtractedDocument, ExtractedPage, clean_line, too_many_pages

# pdfium turns a hyphen at the end of a line into U+FFFE and drops the line break.
_SOFT_HYPHEN = re.compile(r"(?<=[a-z])\ufffe(?=[a-z])")
_BULLET = re.compile(r"^[•▪◦●■\-–*]\s")
_TERMINAL = (".", "!", "?", ":", ";")
# A wrapped line fills most of the text width; a shorter one ends a paragraph or is a heading.
_WRAPPED_FRACTION = 0.7
_MIN_WRAP_WIDTH = 40  # shorter lines keep their breaks: a narrow column reads fine unjoined
# Running headers and footers: lines this close to a page's edge, on this share of its pages.
_EDGE_LINES = 2
_RUNNING_SHARE = 0.6
_RUNNING_MIN_PAGES = 3
_DIGITS = re.compile(r"\d+")
_RUNNING_NUMBERS = 2
_HEADING_CHARS = 80
_FILE_TITLE = re.compile(r"\.(pdf|docx?|indd|qxd)$|^microsoft word", re.IGNORECASE)
# A spec sheet's table prints its columns apart on one line ("Weight      9.5 kg"); pdfium
# writes the gap as one space, so the row would read as a heading or run into the next row.
# A gap wider than this many times the line's printed height (a character's loose box, about
# 1.15 em: so about 1.7 em) is a column gap (word gaps, even justified ones, stay under one
# em), kept as a tab: the row's structure for the answer units, and plain whitespace to
# whoever reads or matches the answer ("Synth polyphony 40 voices").
_COLUMN_GAP = 1.5
_COLUMN = "\t"
# One space between two printed characters, neither a bullet: two bullets set apart are a
# list's layout, not a table.
_BETWEEN_WORDS = re.compile(r"(?<=[^\s•▪◦●■]) (?=[^\s•▪◦●■])")
_LINE = re.compile(r"[^\r\n]+")
_LETTER = re.compile(r"\w")
_SAME_SIZE = 0.05  # heights this close (a share of the larger) are one size of type
_FONT_NAME_BYTES = 128
_LABELLED = re.compile(r"[^:]{1,48}:\s")  # a line with a label of its own: "Polyphony: 256 voices"
_SAME_X = 2.0  # points: two lines starting this close start in the same column
_ROW_GAP = 1.0  # line heights between a cell's lines, at most (fpdf2 leaves 0.7)
_LABEL_CHARS = 48  # as the answer units read a row's label


def extract_pdf(content: bytes, max_pages: int | None = None) -> ExtractedDocument:
    """The PDF's pages; one with more than ``max_pages`` is refused before any is read."""
    try:
        pdf = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            message = "The manual is a password-protected PDF and cannot be read."
            raise DocumentUnavailable("encrypted_pdf", message) from None
        raise _corrupt() from None
    if max_pages is not None and len(pdf) > max_pages:
        count = len(pdf)
        pdf.close()
        raise too_many_pages(count, max_pages)
    try:
        pages, has_images = _read_pages(pdf)
        title = _title(pdf, pages)
    except pdfium.PdfiumError:
        raise _corrupt() from None
    finally:
        pdf.close()
    if not pages:
        if has_images:
            message = "The manual is a scanned PDF without a text layer, so it cannot be searched."
            raise DocumentUnavailable("scanned_pdf", message)
        raise DocumentUnavailable("empty", "The manual's PDF contains no text.")
    return ExtractedDocument(title=title, pages=pages)


def _read_pages(pdf: pdfium.PdfDocument) -> tuple[list[ExtractedPage], bool]:
    """Pages that have text (blank pages are left out, numbers kept); whether any has images."""
    texts: dict[int, list[str]] = {}
    has_images = False
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            textpage = page.get_textpage()
            try:
                printed = _printed_lines(textpage)
                text = reflow(
                    "\n".join(line.text for line in printed), [line.style for line in printed]
                )
            finally:
                textpage.close()
            if text:
                texts[index + 1] = text.split("\n")
            elif not has_images:
                images = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))
                has_images = next(images, None) is not None
        finally:
            page.close()
    running = _running_lines(list(texts.values()))
    pages = []
    for number, lines in texts.items():
        kept = [line for i, line in enumerate(lines) if not _is_running(line, i, lines, running)]
        # A page that would lose every line was no header: it is all content.
        kept = kept or lines
        if kept:
            pages.append(ExtractedPage(number, "\n".join(kept), _heading(kept)))
    return pages, has_images


def _printed_lines(textpage: pdfium.PdfTextPage) -> list[_Line]:
    """The page's lines, each with where and how it is printed: a column gap on a line written
    as ``_COLUMN``, and a table cell that wraps over lines rejoined to its row."""
    text = str(textpage.get_text_range())  # typed Any by pypdfium2
    if len(text) != textpage.count_chars():  # beyond the BMP: indexes no longer match
        unknown = (math.nan,) * 4
        return [_Line(found.group(), *unknown, None) for found in _LINE.finditer(text)]
    handle = textpage.raw
    rect = pdfium_c.FS_RECTF()

    def box(index: int) -> _Box | None:
        # The loose box spans the font's height as printed, whatever scales it (a PDF may set
        # a font size of 1 and scale the text 10 times).
        if not pdfium_c.FPDFText_GetLooseCharBox(handle, index, ctypes.byref(rect)):
            return None
        return rect.left, rect.right, rect.bottom, rect.top

    font = ctypes.create_string_buffer(_FONT_NAME_BYTES)
    flags = ctypes.c_int()

    def style(start: int, end: int, first: _Box | None) -> _Style | None:
        """How the line's first letter or digit is printed (a bullet's glyph says nothing);
        ``first``: the box of the line's first character."""
        letter = _LETTER.search(text, start, end)
        if letter is None:
            return None
        at = letter.start()
        found = first if at == start else box(at)
        if found is None:
            return None
        # The font's name tells a standard font's bold ("Helvetica-Bold"), whose weight pdfium
        # reads as 0 like the regular's; the weight tells a bold that shares a name.
        named = pdfium_c.FPDFText_GetFontInfo(handle, at, font, _FONT_NAME_BYTES, flags)
        # A name longer than the buffer is not written: its length is all there is to compare.
        fits = 0 < named <= _FONT_NAME_BYTES
        name = font.raw[:named].rstrip(b"\0").decode("latin-1") if fits else f"#{named}"
        return found[3] - found[2], int(pdfium_c.FPDFText_GetFontWeight(handle, at)), name

    gaps: dict[int, float] = {}  # a column gap's index: where the next column starts
    # A gap between two text runs is a space pdfium generates; a typed space is a word gap.
    for found in _BETWEEN_WORDS.finditer(text):
        index = found.start()
        if not pdfium_c.FPDFText_IsGenerated(handle, index):
            continue
        before, after = box(index - 1), box(index + 1)
        if before is None or after is None:
            continue
        _, end, low, high = before
        start, _, next_low, next_high = after
        # On one line the two boxes overlap in height; the gap is measured in the line's size.
        if min(high, next_high) <= max(low, next_low):
            continue
        if start - end > _COLUMN_GAP * max(high - low, next_high - next_low):
            gaps[index] = start
    tabbed = (
        "".join(_COLUMN if i in gaps else char for i, char in enumerate(text)) if gaps else text
    )
    order = sorted(gaps)
    lines = []
    for found in _LINE.finditer(tabbed):
        # A line whose start is unknown is in no column and on no row (NaN is near nothing).
        first = box(found.start())
        x, _, bottom, top = first or (math.nan,) * 4
        at = bisect.bisect_left(order, found.end()) - 1  # the line's last gap, if any
        last = gaps[order[at]] if at >= 0 and order[at] >= found.start() else x
        printed = style(found.start(), found.end(), first)
        lines.append(_Line(found.group(), x, top, bottom, last, printed))
    return _rows(lines, sorted(set(gaps.values()))) if gaps else lines


_Box = tuple[float, float, float, float]  # a character's left, right, bottom and top
# A line's printed height, font weight and font name: the same in a paragraph and the item it
# wraps, another in a heading.
_Style = tuple[float, int, str]


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    x: float  # where it starts on the page
    top: float  # its first character's printed height (of the last line, once rows are joined)
    bottom: float
    last: float  # where its last column starts
    style: _Style | None  # of its first letter or digit; None when unknown


def _rows(lines: list[_Line], columns: list[float]) -> list[_Line]:
    """The lines with each table cell that wrapped rejoined to its row: a line starting where a
    column after the first starts, right under the row, continues it ("Outputs   2 x 1/4-inch
    main," / "Monitor L/R"); under a label printed alone beside a cell of several lines
    (centred on them, not above them as a heading is), it makes the label's row ("Pedal
    inputs" / "Sustain, Organ Swell")."""
    labels = [line.x for line in lines if _COLUMN in line.text]  # where one-line rows start
    rows: list[_Line] = []
    for line in lines:
        text = line.text.strip()
        if rows and _COLUMN not in text and any(_near(line.x, x) for x in columns):
            row = rows[-1]
            under = row.bottom - line.top <= _ROW_GAP * (line.top - line.bottom)
            if _COLUMN in row.text and under:
                # A column right of the row's last one is a cell of its own (the third column
                # after a second that wrapped); else the last cell wraps on.
                if line.x > row.last + _SAME_X:
                    cell = f"{row.text}{_COLUMN}{text}"
                    rows[-1] = _Line(cell, row.x, line.top, line.bottom, line.x, row.style)
                else:
                    wrapped = f"{row.text} {text}"
                    rows[-1] = _Line(wrapped, row.x, line.top, line.bottom, row.last, row.style)
                continue
            if _is_label(row, labels) and row.top <= line.top + _SAME_X:
                cell = f"{row.text}{_COLUMN}{text}"
                rows[-1] = _Line(cell, row.x, line.top, line.bottom, line.last, row.style)
                continue
        rows.append(_Line(text, line.x, line.top, line.bottom, line.last, line.style))
    return rows


def _is_label(line: _Line, labels: list[float]) -> bool:
    """A short line with no end punctuation, where the table's rows start."""
    return (
        len(line.text) <= _LABEL_CHARS
        and not line.text.endswith(_TERMINAL)
        and any(_near(line.x, x) for x in labels)
    )


def _near(x: float, y: float) -> bool:
    return abs(x - y) <= _SAME_X


def _edge_key(line: str) -> str:
    return _DIGITS.sub("#", line)


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Header and footer lines repeated at the edges of most pages ("Page # of #" included)."""
    if len(pages) < _RUNNING_MIN_PAGES:
        return set()
    counts = Counter(
        key
        for lines in pages
        for key in {_edge_key(line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
    )
    return {
        key
        for key, count in counts.items()
        if count >= _RUNNING_SHARE * len(pages) and _looks_running(key)
    }


def _looks_running(key: str) -> bool:
    """Words with a page number or two ("Page # of #"), not a line of figures.

    Lines of a spec sheet may differ only in their figures ("Output: # W", "# x # mm"); taking
    them for running lines would drop the sheet's facts.
    """
    label, _, value = key.partition(":")
    return key.count("#") <= _RUNNING_NUMBERS and not (value and "#" in value and label)


def _is_running(line: str, index: int, lines: list[str], running: set[str]) -> bool:
    at_edge = index < _EDGE_LINES or index >= len(lines) - _EDGE_LINES
    return at_edge and _edge_key(line) in running


def _heading(lines: list[str]) -> str | None:
    first = lines[0]
    if len(lines) > 1 and len(first) <= _HEADING_CHARS and not first.endswith(_TERMINAL):
        return None if _BULLET.match(first) else first
    return None


def reflow(raw: str, styles: Sequence[_Style | None] = ()) -> str:
    """Rejoin lines the PDF wrapped, keep real line breaks (headings, list items, paragraphs);
    ``styles``: how each line of ``raw`` is printed, where known."""
    text = _SOFT_HYPHEN.sub("", raw).replace("\ufffe", "-")
    rows = text.replace("\r\n", "\n").split("\n")
    printed = [(_clean_row(row), style) for row, style in zip_longest(rows, styles[: len(rows)])]
    lines = [(line, style) for line, style in printed if line]
    if not lines:
        return ""
    # A table row rejoined from its wrapped cell is no measure of the text width.
    widest = max((len(line) for line, _ in lines if _COLUMN not in line), default=0)
    wrap_width = max(_MIN_WRAP_WIDTH, _WRAPPED_FRACTION * widest)
    out: list[str] = [lines[0][0]]
    for index in range(1, len(lines)):
        previous, line = out[-1], lines[index][0]
        following = lines[index + 1][0] if index + 1 < len(lines) else ""
        if previous.endswith("-") and previous[-2:-1].islower() and line[:1].islower():
            out[-1] = previous[:-1] + line
        elif _continues(
            previous,
            line,
            following,
            wrap_width,
            _wraps(lines[index - 1], lines[index], wrap_width),
        ):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def _wraps(
    above: tuple[str, _Style | None], below: tuple[str, _Style | None], wrap_width: float
) -> bool:
    """``below`` is printed as ``above``, a full line, and has no label of its own (a spec
    list's "Polyphony: 256 voices" under a long "Keyboard: ..." is a line of its own)."""
    return (
        len(above[0]) >= wrap_width and not _LABELLED.match(below[0]) and _alike(above[1], below[1])
    )


def _alike(one: _Style | None, other: _Style | None) -> bool:
    """Two lines printed in the same font, weight and size of type."""
    if one is None or other is None:
        return False
    same_size = abs(one[0] - other[0]) <= _SAME_SIZE * max(one[0], other[0])
    return same_size and one[1:] == other[1:]


def _clean_row(line: str) -> str:
    """``clean_line`` for each column of a line; the columns stay apart."""
    cells = (clean_line(cell) for cell in line.split(_COLUMN))
    return _COLUMN.join(cell for cell in cells if cell)


def _continues(previous: str, line: str, following: str, wrap_width: float, wraps: bool) -> bool:
    if _BULLET.match(line) or _COLUMN in line:  # a row of its own, however wide the one above
        return False
    if line[:1].islower():
        return True
    if len(previous) < wrap_width or previous.endswith(_TERMINAL):
        return False
    # A short capitalised line without a full stop, before a new line or item, is a heading;
    # not when it is printed as the full line above it is (an item's wrapped end: "... with
    # Escapement and Ebony/Ivory" / "Feel (88 keys)", where a heading is set in a bold or
    # larger font).
    heading = len(line) < wrap_width / 2 and not line.endswith(_TERMINAL) and not wraps
    return not (heading and (not following or following[:1].isupper() or _BULLET.match(following)))


def _title(pdf: pdfium.PdfDocument, pages: list[ExtractedPage]) -> str:
    title = clean_line(pdf.get_metadata_value("Title") or "")
    if title and not _FILE_TITLE.search(title):
        return title
    return pages[0].text.split("\n", 1)[0][:200] if pages else ""


def _corrupt() -> DocumentUnavailable:
    message = "The manual's PDF file is damaged and cannot be read."
    return DocumentUnavailable("corrupt_pdf", message)
