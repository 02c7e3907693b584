"""Content words of a text, stemmed, for matching a question against manual sentences."""

from __future__ import annotations

import re
from functools import lru_cache

from hsc_jit.retrieve.lexicon import stems

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOPWORD_TEXT = """
    a about after again all also am an and any are as at be because been before being both
    but by can could did do does doing don down during each few for from further had has have
    having he her here hers how i if in into is it its itself just me more most my no nor not
    now of off on once only or other our out over own same she should so some such than that the
    their them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours please want need
    get got make use using used way tell know thing many much lot kind able"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_MIN_PART = 3
_NEGATING_PREFIXES = frozenset({"non", "anti"})


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    return stems([word])[0]


@lru_cache(maxsize=4096)
def terms(text: str) -> frozenset[str]:
    """Stemmed content words: "Connecting the headphones?" -> {"connect", "headphon"}.

    A hyphenated word is also its parts and the parts joined, as customers type it apart or
    together: "velocity-sensitive" meets "velocity sensitive", "built-in" meets "built in",
    "hi-hat" meets "hihat", "61-note" meets "notes". Parts shorter than three letters or with
    a digit ("TD" and "27" of "TD-27") would match too much alone, and the parts of a word that
    negates them ("non-slip", "anti-glare") mean the opposite.
    """
    words: list[str] = []
    for word in _WORD.findall(text.casefold()):
        words.append(word)
        if "-" in word:
            parts = word.split("-")
            words.append("".join(parts))
            if parts[0] not in _NEGATING_PREFIXES:
                words.extend(p for p in parts if len(p) >= _MIN_PART and p.isalpha())
    return frozenset(_stem(word) for word in words if word not in _STOPWORDS)
