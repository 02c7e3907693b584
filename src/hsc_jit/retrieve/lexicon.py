"""Customers' words for a manual's: stems spelt two ways, and what a manual calls a thing a
customer names in their own words ("wall wart" is an "AC adaptor", "roll it" is "casters").

The second is ``customer_words.tsv``: a customer's word or phrase, a tab, then the words
manuals and spec sheets use for it. A question reaches a page (``retrieve/rank.py``) and a
sentence (``answer/question.py``, the ranker's features) through the manual's words too.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

# Stems that customers and manuals spell differently: British/American spelling, word forms
# Snowball leaves apart, and a few everyday words for a manual's term. Applied to both sides.
SAME_STEM = {
    "adaptor": "adapt",
    "colour": "color",
    "grey": "gray",
    "initialis": "initi",
    "weigh": "weight",
    "heavi": "weight",
    "earphon": "headphon",
    "connector": "connect",
    "cord": "cabl",
}
_FILE = "customer_words.tsv"
_WORD = re.compile(r"[a-z0-9]+")
_PER_THREAD = threading.local()
# The page ranker's stop words. "off" names a state in a manual ("Auto Off", "switch off").
STOPWORDS = (frozenset(STOPWORDS_EN_PLUS) - {"off"}) | {
    "also", "could", "may", "might", "must", "please", "shall", "tell", "would",
}  # fmt: skip


def stems(words: list[str]) -> list[str]:
    """Snowball stems of lower-case ``words``, spelt one way (``SAME_STEM``)."""
    return [SAME_STEM.get(stem, stem) for stem in _stemmer().stemWords(words)]


@dataclass(frozen=True, slots=True)
class CustomerWords:
    """Customer words (stems; a phrase is its stems in order) → the manual's words (stems)."""

    single: dict[str, frozenset[str]]
    phrases: dict[tuple[str, ...], frozenset[str]]
    longest: int

    def entries(self, text: str, ignore: frozenset[str] = frozenset()) -> list[frozenset[str]]:
        """The manual's words of each entry that ``text`` holds, in the order it holds them.

        An entry made only of ``ignore`` words (the product's name: "Go:Keys" asks nothing
        about keys) is skipped; "piano stool" is still asked of a piano.
        """
        said = _stems_of(text)
        found: list[frozenset[str]] = []
        for start, stem in enumerate(said):
            if stem in self.single and stem not in ignore:
                found.append(self.single[stem])
            for end in range(start + 2, min(start + self.longest, len(said)) + 1):
                phrase = tuple(said[start:end])
                if phrase in self.phrases and not ignore.issuperset(phrase):
                    found.append(self.phrases[phrase])
        return list(dict.fromkeys(found))

    def related(self, text: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
        """Every manual word of the entries ``text`` holds."""
        return frozenset().union(*self.entries(text, ignore))


def _stems_of(text: str) -> list[str]:
    return stems(_WORD.findall(text.lower()))


def _stemmer() -> Stemmer.Stemmer:
    # One per thread: PyStemmer objects must not be shared between threads.
    stemmer: Stemmer.Stemmer | None = getattr(_PER_THREAD, "stemmer", None)
    if stemmer is None:
        stemmer = _PER_THREAD.stemmer = Stemmer.Stemmer("english")
    return stemmer


def parse(text: str) -> CustomerWords:
    """The lexicon in ``text``; ValueError naming the line of an entry it cannot read."""
    single: dict[str, frozenset[str]] = {}
    phrases: dict[tuple[str, ...], frozenset[str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        customer, tab, manual = line.partition("\t")
        spoken = _WORD.findall(customer.lower())
        said = stems(spoken)
        # A number is a value a page states, no word for a thing ("61-key" is not "61").
        words = [w for w in _WORD.findall(manual.lower()) if w not in STOPWORDS]
        meant = [w for w in stems(words) if not w.isdigit()]
        if not tab or not said:
            raise ValueError(
                f"{_FILE} line {number}: want a customer's word or phrase, a tab, then the "
                f"manual's words; got {line!r}"
            )
        if not meant:
            raise ValueError(f"{_FILE} line {number}: no manual word but stop words and numbers")
        if len(said) == 1 and (spoken[0] in STOPWORDS or said[0] in STOPWORDS):
            # "cans" (headphones) stems to "can", a word in most questions.
            raise ValueError(f"{_FILE} line {number}: {customer.strip()!r} reads as a stop word")
        if (said[0] in single) if len(said) == 1 else (tuple(said) in phrases):
            # "wobble" (an LFO) and "wobbly" (a stand) stem alike: one would take the other's.
            raise ValueError(
                f"{_FILE} line {number}: {customer.strip()!r} reads as an earlier entry"
            )
        if len(said) == 1:
            single[said[0]] = frozenset(meant)
        else:
            phrases[tuple(said)] = frozenset(meant)
    return CustomerWords(
        single,
        phrases,
        max(map(len, phrases), default=1),
    )


@cache
def customer_words() -> CustomerWords:
    return parse(files("hsc_jit.retrieve").joinpath(_FILE).read_text(encoding="utf-8"))
