"""Which language a customer writes in: the client may say; otherwise the letters tell."""

from __future__ import annotations

from hsc_jit.config import Lang

# Model codes, brand names and units are Latin in Hebrew questions too ("איך מחברים את FP-30X?"),
# so a question is Hebrew once a fair share of its letters are.
_HEBREW_SHARE = 0.2


# A word being typed has no final letter yet, and a word looked up in a lexicon may be cut
# before its last letter: both compare with final letters made ordinary.
_HEBREW_FINALS = str.maketrans("ךםןףץ", "כמנפצ")


def _is_hebrew(char: str) -> bool:
    return "\u05d0" <= char <= "\u05ea"


def ordinary_finals(text: str) -> str:
    """``text`` with Hebrew final letters written as ordinary ones ("ם" as "מ")."""
    return text.translate(_HEBREW_FINALS)


def hebrew_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _is_hebrew(c)) / len(letters)


def detect(text: str) -> Lang:
    return "he" if hebrew_share(text) >= _HEBREW_SHARE else "en"


def language_of(text: str, declared: Lang | None = None) -> Lang:
    """The language the client declared, else the one the text is written in."""
    return declared or detect(text)
