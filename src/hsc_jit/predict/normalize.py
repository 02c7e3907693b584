"""Text folding shared by the index and the queries.

Both sides go through the same steps, so "TD-27KV", "td 27kv" and "td27kv" meet: case and
diacritics are folded, Hebrew final letters become their ordinary forms (a word being typed has
no final letter yet), and text is cut into atoms, runs of letters or runs of digits.
"""

from __future__ import annotations

import re
import unicodedata

from hsc_jit.text.language import ordinary_finals

# Letters and digits part ways so a model number compares the same however it is spaced.
_ATOM = re.compile(r"[^\W\d_]+|\d+")


def fold(text: str) -> str:
    """Lower-cased text without diacritics, Hebrew points or Hebrew final letters."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return ordinary_finals(bare.casefold())


def atoms(text: str) -> list[str]:
    """The folded runs of letters and runs of digits in ``text``, in order."""
    return folded_atoms(fold(text))


def folded_atoms(folded: str) -> list[str]:
    """``atoms`` of a text ``fold`` has already folded."""
    return _ATOM.findall(folded)


def normalize(text: str) -> str:
    """Atoms joined by single spaces: a cache key, and the key for "the same name"."""
    return " ".join(atoms(text))


def is_digits(atom: str) -> bool:
    """Whether an atom is a run of digits (digits are never treated as typos)."""
    return atom[:1].isdigit()
