"""Customers' words for a manual's: stems spelt two ways, and what a manual calls a thing a
customer names in their own words ("wall wart" is an "AC adaptor", "roll it" is "casters").

The second is ``customer_words.tsv``: a customer's word or phrase, a tab, then the words
manuals and spec sheets use for it. A question's words reach a page or a sentence through the
manual's words too, weighed below its own.
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
_STOPWORDS = frozenset(STOPWORDS_EN_PLUS)


def stems(words: list[str], stemmer: Stemmer.Stemmer) -> list[str]:
    """Snowball stems of lower-case ``words``, spelt one way (``SAME_STEM``)."""
    return [SAME_STEM.get(stem, stem) for stem in stemmer.stemWords(words)]


@dataclass(frozen=True, slots=True)
class CustomerWords:
    """Customer words (stems; a phrase is its stems in order) → the manual's words (stems)."""

    single: dict[str, frozenset[str]]
    phrases: dict[tuple[str, ...], frozenset[str]]
    longest: int

    def related(self, text: str) -> frozenset[str]:
        """The manual's words for the customer's words and phrases in ``text``."""
        said = _stems_of(text)
        found: set[str] = set()
        for start, stem in enumerate(said):
            found |= self.single.get(stem, frozenset())
            for end in range(start + 2, min(start + self.longest, len(said)) + 1):
                found |= self.phrases.get(tuple(said[start:end]), frozenset())
        return frozenset(found)


def _stems_of(text: str) -> list[str]:
    return stems(_WORD.findall(text.lower()), _stemmer())


def _stemmer() -> Stemmer.Stemmer:
    # One per thread: PyStemmer objects must not be shared between threads.
    stemmer: Stemmer.Stemmer | None = getattr(_PER_THREAD, "stemmer", None)
    if stemmer is None:
        stemmer = _PER_THREAD.stemmer = Stemmer.Stemmer("english")
    return stemmer


def parse(text: str) -> CustomerWords:
    """The lexicon in ``text``; ValueError naming the line of an entry it cannot read."""
    single: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        customer, tab, manual = line.partition("\t")
        said, meant = _stems_of(customer), _stems_of(manual)
        if not tab or not said or not meant:
            raise ValueError(
                f"{_FILE} line {number}: want a customer's word or phrase, a tab, then the "
                f"manual's words; got {line!r}"
            )
        if len(said) == 1 and said[0] in _STOPWORDS:
            # "cans" (headphones) stems to "can", a word in most questions.
            raise ValueError(f"{_FILE} line {number}: {customer.strip()!r} reads as a stop word")
        if len(said) == 1:
            single.setdefault(said[0], set()).update(meant)
        else:
            phrases.setdefault(tuple(said), set()).update(meant)
    return CustomerWords(
        {word: frozenset(meant) for word, meant in single.items()},
        {key: frozenset(meant) for key, meant in phrases.items()},
        max(map(len, phrases), default=1),
    )


@cache
def customer_words() -> CustomerWords:
    return parse(files("hsc_jit.retrieve").joinpath(_FILE).read_text(encoding="utf-8"))
