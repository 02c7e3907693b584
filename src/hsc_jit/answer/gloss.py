"""A Hebrew question put in the English words of the manual it asks about.

Customers in Israel ask in Hebrew about products whose manuals are English. A Hebrew question
shares only its Latin model names with such a manual, and the sentence model reads Hebrew as
single letters, so its pages were ranked at random and the answer refused. The question's
Hebrew words are looked up in a lexicon of the words customers use about instruments and their
manuals (``hebrew_lexicon.tsv``: a Hebrew word, then the English words a manual uses for it),
after the one-letter prefixes Hebrew writes onto a word ("והאוזניות" is "and the headphones");
Latin words and numbers stay as typed. The English gloss is then searched and answered like an
English question, while the customer is answered in Hebrew.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files

from hsc_jit.text.language import detect

_LEXICON = "hebrew_lexicon.tsv"
# One-letter words written onto the next: and, the, in, to, from, that, as.
_PREFIXES = "והבלמשכ"
_MAX_PREFIXES = 2  # "וה", "מה", "שב", ...
# Plural and feminine endings, as _key writes them (final letters made ordinary).
_ENDINGS = ("ימ", "ות", "ה", "ת")
# A Hebrew word with its geresh or gershayim ("בלוטות'", "מ\"מ"), or a Latin word or number
# with the punctuation inside a model code ("TR-8S", "3.5").
_WORD = re.compile(
    r"[\u05d0-\u05ea]+(?:['׳\"״][\u05d0-\u05ea]*)*|[A-Za-z0-9]+(?:[-./][A-Za-z0-9]+)*"
)
_HEBREW = re.compile(r"[\u05d0-\u05ea]")
_FINALS = str.maketrans("ךםןףץ", "כמנפצ")


@cache
def _lexicon() -> dict[str, str]:
    text = (files("hsc_jit.answer") / _LEXICON).read_text(encoding="utf-8")
    entries: dict[str, str] = {}
    for line in text.splitlines():
        hebrew, _, english = line.partition("\t")
        if hebrew and english:
            # A word met twice keeps both readings.
            key = _key(hebrew)
            entries[key] = f"{entries[key]} {english}" if key in entries else english
    return entries


def _key(word: str) -> str:
    """A Hebrew word as looked up: without its geresh or quotes and its final letters made
    ordinary ("בלוטות'" and "בלוטות" meet)."""
    return re.sub(r"['׳\"״]", "", word).translate(_FINALS)


@lru_cache(maxsize=4096)
def english_gloss(question: str) -> str | None:
    """``question`` in the manual's English words; None for a question not in Hebrew."""
    if detect(question) != "he":
        return None
    lexicon = _lexicon()
    words = []
    for token in _WORD.findall(question):
        if not _HEBREW.search(token):
            words.append(token)
            continue
        english = _look_up(_key(token), lexicon)
        if english:
            words.append(english)
    gloss = " ".join(words)
    return f"{gloss}?" if question.rstrip().endswith("?") and gloss else gloss


def _look_up(word: str, lexicon: dict[str, str]) -> str | None:
    """The word, else the word without one or two prefix letters, as the lexicon has it; each
    also without a plural or feminine ending ("אנלוגיים" → "אנלוגי")."""
    for cut in range(min(_MAX_PREFIXES, len(word) - 2) + 1):
        if cut and word[cut - 1] not in _PREFIXES:
            return None
        stem = word[cut:]
        for form in (stem, *(stem[: -len(e)] for e in _ENDINGS if stem.endswith(e))):
            found = lexicon.get(form) if len(form) >= 2 else None
            if found is not None:
                return found
    return None
