"""Model codes typed one slip away: "rss12" for RSX12, "sn-1000t" for SN-1000HT.

Letters and digits are separate atoms (``normalize.py``), and a run of letters under four
characters gets no typo matching (among short words most near misses are other words), so a
slip in a code's letters ("rss" for "rsx") matches nothing and the code's digits alone cannot
tell the product from its neighbours. A whole code, letters and digits together, is long and
rare enough to be matched one edit away: a typed code that is not a catalog code but is one
edit from one or two of them points at their products.
"""

from __future__ import annotations

import string
from bisect import bisect_left
from collections.abc import Iterable

import numpy as np

from hsc_jit.predict.normalize import atoms, fold
from hsc_jit.text.edits import LETTERS, one_edit

Ints = np.ndarray
MIN_CODE_LENGTH = 3
# The catalog's longest is 16 ("16channel4return"); a longer word is no code, and its one-edit
# strings would be many.
MAX_CODE_LENGTH = 24
# A slip that lands within one edit of more codes than this says nothing about which was meant.
MAX_CODES = 2
_ALPHABET = LETTERS + string.digits


def code_of(word: str) -> str | None:
    """A word's letters and digits run together when it reads as a model code: it has a digit,
    or letters joined by punctuation ("JD-Xi"), and at least one letter."""
    if len(word) > 2 * MAX_CODE_LENGTH or word.isalpha():
        return None
    parts = atoms(word)
    if len(parts) < 2 or (not any(p[0].isdigit() for p in parts) and "-" not in word):
        return None
    code = "".join(parts)
    if not MIN_CODE_LENGTH <= len(code) <= MAX_CODE_LENGTH or code.isdigit():
        return None
    return code


class CodeIndex:
    """The catalog's model codes and the products that carry each."""

    __slots__ = ("_codes", "_longest", "_products")

    def __init__(self, names: Iterable[tuple[int, str]]) -> None:
        holders: dict[str, list[int]] = {}
        for product, name in names:
            for word in fold(name).split():
                code = code_of(word)
                if code is not None and product not in holders.setdefault(code, []):
                    holders[code].append(product)
        # Tuples, and no deletion index: at 100,000 products an index of every code's
        # deletions would cost more memory than the rest of the tables together.
        self._products = {code: tuple(products) for code, products in holders.items()}
        self._codes = tuple(sorted(self._products))
        self._longest = max(map(len, self._codes), default=0)

    def begins(self, text: str) -> bool:
        """Some catalog code begins with ``text`` (a code still being typed)."""
        at = bisect_left(self._codes, text)
        return at < len(self._codes) and self._codes[at].startswith(text)

    def slipped(self, code: str) -> list[Ints]:
        """The products of each catalog code one edit from ``code``, when there are at most
        ``MAX_CODES`` such codes; empty for a catalog code itself."""
        if code in self._products or len(code) > self._longest + 1:
            return []
        near = sorted(self._products.keys() & one_edit(code, _ALPHABET))
        if len(near) > MAX_CODES:
            return []
        return [np.array(self._products[found], np.int32) for found in near]
