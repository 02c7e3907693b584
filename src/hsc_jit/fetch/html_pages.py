"""HTML → pages with selectolax: the main content, boilerplate dropped, one page per h2 section.

An HTML manual has no printed pages, so each section (split at h2, long ones split again on
block boundaries) is what an answer cites as ``page N``.
"""

from __future__ import annotations

import re
from collections.abc import Generator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from hsc_jit.errors import DocumentUnavailable
from hsc_jit.fetch.pages import ExtractedDocument, ExtractedPage, clean_line, split_sentences

SECTION_CHARS = 3000
MAX_DEPTH = 200  # element nesting; no real manual comes near it

_DROPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "nav",
        "aside", "form", "button", "select", "input", "textarea", "dialog", "img", "picture",
        "video", "audio", "header", "footer",
    }
)  # fmt: skip
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
_NOISE_WORDS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "cookie", "cookies",
        "consent", "footer", "sidebar",
    }
)  # fmt: skip
# Never dropped for a class name: a body with class="has-sidebar" is still the page.
_CONTAINERS = frozenset({"html", "body", "main", "article"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "hr", "li", "main", "p", "section", "summary", "caption",
    }
)  # fmt: skip
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)

# A block is (heading level or 0 for body text, one line of text).
_Block = tuple[int, str]


def extract_html(content: bytes) -> ExtractedDocument:
    tree = LexborHTMLParser(_decode(content))
    if tree.root is not None and _deeper_than(tree.root, MAX_DEPTH):
        # No real manual comes near this; the parser's own work grows with the depth.
        raise DocumentUnavailable(
            "unsupported_type",
            f"The manual's web page is nested too deeply to read (over {MAX_DEPTH} levels).",
        )
    title = _title(tree)
    blocks = _main_blocks(tree)
    if not blocks:
        raise DocumentUnavailable("empty", "The manual's web page contains no readable text.")
    pages = [
        ExtractedPage(number=number, text=text, heading=heading)
        for number, (heading, text) in enumerate(_sections(blocks), start=1)
    ]
    return ExtractedDocument(title=title or blocks[0][1][:200], pages=pages)


def _deeper_than(root: LexborNode, limit: int) -> bool:
    """Whether any element sits more than ``limit`` levels below ``root`` (no recursion)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in node.iter())
    return False


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    declared = _META_CHARSET.search(content[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8"]:
        try:
            return content.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("cp1252", errors="replace")


def _title(tree: LexborHTMLParser) -> str:
    for selector in ("h1", "title"):  # a <title> often ends in the site's name
        node = tree.css_first(selector)
        if node is not None and (text := clean_line(node.text(separator=""))):
            return text
    return ""


def _main_blocks(tree: LexborHTMLParser) -> list[_Block]:
    """Blocks of the first main-content element that has text, else of the whole body."""
    candidates = [tree.css_first(s) for s in ("main", "[role=main]", "article")] + [tree.body]
    for root in candidates:
        if root is not None:
            walker = _Walker()
            _walk(root, walker)
            if blocks := walker.finish():
                return blocks
    return []


class _Walker:
    """Collects text blocks: headings, paragraphs, list items, table rows."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.inline: list[str] = []

    def finish(self) -> list[_Block]:
        self.flush()
        return self.blocks

    def lines(self) -> list[str]:
        return [text for _level, text in self.finish()]

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline.clear()
        self.blocks.extend((0, line) for line in map(clean_line, text.split("\n")) if line)


# A step of the walk: it yields (element, walker) for each element whose text goes to that
# walker, and carries on once that element has been walked.
_Step = Generator[tuple[LexborNode, _Walker], None, None]


def _walk(root: LexborNode, walker: _Walker) -> None:
    """``root``'s text into ``walker``, without recursion: each element's step waits on a stack
    of its own while the elements it hands over are walked, however deep the page nests."""
    steps: list[_Step] = [_step(root, walker)]
    while steps:
        handed = next(steps[-1], None)
        if handed is None:
            steps.pop()
        else:
            steps.append(_step(*handed))


def _step(node: LexborNode, walker: _Walker) -> _Step:
    for child in node.iter(include_text=True):
        if child.is_text_node:
            walker.inline.append(child.text_content or "")
        elif child.is_element_node and not _is_noise(child):
            yield from _element(child, walker)


def _element(node: LexborNode, walker: _Walker) -> _Step:
    tag = node.tag or ""
    if tag == "br":
        walker.inline.append("\n")
    elif tag in _HEADINGS:
        walker.flush()
        heading = _Walker()
        yield node, heading
        if text := clean_line(" ".join(heading.lines())):
            walker.blocks.append((_HEADINGS[tag], text))
    elif tag in ("ul", "ol"):
        walker.flush()
        for item in node.iter():
            if item.tag == "li" and not _is_noise(item):
                inner = _Walker()
                yield item, inner
                for index, text in enumerate(inner.lines()):
                    # Nested list items and later paragraphs of an item are indented under it.
                    walker.blocks.append((0, f"• {text}" if index == 0 else f"  {text}"))
    elif tag == "table":
        walker.flush()
        # This table's own rows only: css("tr") would also take every nested table's rows,
        # and each nested level would walk them again.
        sections = [c for c in node.iter() if c.tag in ("thead", "tbody", "tfoot")]
        for row in [r for part in [node, *sections] for r in part.iter() if r.tag == "tr"]:
            cells: list[str] = []
            for cell in row.iter():
                if cell.tag in ("td", "th"):
                    inner = _Walker()
                    yield cell, inner
                    cells.append(" ".join(inner.lines()))
            if any(cells):
                walker.blocks.append((0, " | ".join(cells)))
    elif tag == "pre":
        walker.flush()
        text = node.text(separator="")
        walker.blocks.extend((0, line) for line in map(clean_line, text.split("\n")) if line)
    elif tag in _BLOCK_TAGS:
        walker.flush()
        yield node, walker
        walker.flush()
    else:  # inline: its text joins the paragraph around it
        yield node, walker


def _is_noise(node: LexborNode) -> bool:
    tag = node.tag or ""
    attrs = node.attributes
    if tag in _DROPPED_TAGS and not (tag == "header" and node.css_first("h1") is not None):
        return True  # a header holding the h1 is the article's title block, kept
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if (attrs.get("role") or "") in _DROPPED_ROLES:
        return True
    if tag in _CONTAINERS:
        return False
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return not _NOISE_WORDS.isdisjoint(_WORD_SPLIT.split(names))


def _sections(blocks: list[_Block]) -> list[tuple[str | None, str]]:
    """(heading, text) per h2 section; a title-only opening joins the first h2 section."""
    sections: list[tuple[str | None, list[str]]] = []
    for level, text in blocks:
        if not sections or level == 2:
            sections.append((text if level in (1, 2) else None, []))
        sections[-1][1].append(text)
    if len(sections) > 1 and len(sections[0][1]) == 1 and blocks[0][0] == 1:
        title_line = sections.pop(0)[1][0]
        sections[0][1].insert(0, title_line)
    return [
        (heading, chunk) for heading, lines in sections for chunk in _chunks(lines, SECTION_CHARS)
    ]


def _chunks(lines: list[str], limit: int) -> list[str]:
    """Lines grouped into chunks of about ``limit`` characters, cut only between lines."""
    pieces = [piece for line in lines for piece in _split_long(line, limit)]
    chunks: list[list[str]] = [[]]
    size = 0
    for piece in pieces:
        if chunks[-1] and size + len(piece) > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(piece)
        size += len(piece) + 1
    return ["\n".join(chunk) for chunk in chunks]


def _split_long(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    parts: list[str] = [""]
    for sentence in split_sentences(line):
        if parts[-1] and len(parts[-1]) + len(sentence) > limit:
            parts.append("")
        parts[-1] = f"{parts[-1]} {sentence}".strip()
    return parts
