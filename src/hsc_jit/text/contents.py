"""Whether a page is a manual's contents or index: lines that point to other pages."""

from __future__ import annotations

import itertools
import re

# A line pointing to another page: "Page 5: ...", "Auto Off ..... 12". A tab before a number
# does not: a PDF's table row is written so ("Kits<tab>50"), and a contents page whose numbers
# stand apart is still told by its rising numbers (``_NUMBERED``).
_POINTER = re.compile(r"\bpages?\s+\d+\b|(?:\.{3,}|[^\S\t]{2,})\s*\d+\s*$", re.I)
# A line ending in a number after its words; a contents page's numbers rise down the page.
_NUMBERED = re.compile(r"^\D.*\s(\d{1,4})\s*$")
_SHARE = 0.3  # of its lines pointing elsewhere make a page contents
_MIN_RISING = 5  # lines ending in page numbers that rise, for contents without leaders
_RISING_SHARE = 0.8  # of steps between them that do not fall
_STRICT_SHARE = 0.5  # of steps that rise (entries may share a page)


def is_contents(text: str) -> bool:
    """Most of a page is a list of pointers to other pages (contents, an index), with dot
    leaders, or as lines whose trailing numbers rise like page numbers ("Getting
    started 3" / "Connections 4"), which a spec table's "Instruments 465" / "Kits 100" do not."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 3:
        return False
    if sum(1 for line in lines if _POINTER.search(line)) >= _SHARE * len(lines):
        return True
    numbers = [int(m.group(1)) for line in lines if (m := _NUMBERED.match(line.strip()))]
    if len(numbers) < max(_MIN_RISING, _SHARE * len(lines)):
        return False
    steps = list(itertools.pairwise(numbers))
    # Page numbers never fall and mostly rise; "MIDI IN 1" / "MIDI OUT 1" / "USB 1" only repeat.
    rising = sum(1 for a, b in steps if b > a)
    falling = sum(1 for a, b in steps if b < a)
    return falling <= (1 - _RISING_SHARE) * len(steps) and rising >= _STRICT_SHARE * len(steps)
