"""A question's slips mended from the manual's own words: "bluetoth" → "bluetooth".

A customer who types "does it have bluetoth?" shares no word with a manual that says
"Bluetooth", and the sentence model cuts the slip into pieces that mean nothing, so a slip in
the one word that matters loses the answer. A question word the manual does not use, that is no
English word either, is replaced by the manual's word one edit away (a letter dropped, doubled,
swapped with its neighbour or mistyped); when several are, by the one the manual uses most, and
when none is, by a word the question rules are keyed on ("haevy" → "heavy": the manual says
"weight"). Two words the manual writes as one are joined ("blue tooth").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from hsc_jit.answer.features import english_word
from hsc_jit.answer.question import ASKING_WORDS
from hsc_jit.text.edits import LETTERS, one_edit

# Shorter words are too often one edit from another real word ("mic" and "mix").
MIN_LENGTH = 5
_WORD = re.compile(r"[^\W_]+")
_ENDINGS = ("es", "ed", "ing")


def mend(question: str, manuals: Sequence[Mapping[str, int]]) -> str:
    """``question`` with each slip replaced by the manual word it most likely meant;
    ``manuals``: how often each manual uses each of its words (lower case)."""

    def uses(word: str) -> int:
        return sum(counts.get(word, 0) for counts in manuals)

    def slip(folded: str) -> bool:
        if len(folded) < MIN_LENGTH or uses(folded) or _english(folded):
            return False
        # "laptops" for the manual's "laptop" is no slip.
        return not (uses(_singular(folded)) or uses(f"{folded}s"))

    def mended(word: str) -> str:
        folded = word.casefold()
        if not slip(folded):
            return word
        # Keyboard slips rarely hit the first letter but for swapping it with the second
        # ("whats" is not "hats", "ehavy" is "heavy"), and a word's digits are its model
        # ("fp10x" and "fp30x" are two products, not a slip).
        digits, swapped = _digits(folded), folded[1::-1] + folded[2:]
        edits = [
            edit
            for edit in one_edit(folded, LETTERS)
            if (edit[0] == folded[0] or edit == swapped) and _digits(edit) == digits
        ]
        found = {edit: n for edit in edits if (n := uses(edit))}
        if found:
            return max(sorted(found), key=found.__getitem__)
        return min((edit for edit in edits if edit in ASKING_WORDS), default=word)

    def joined(first: str, second: str) -> str | None:
        """Two words the manual writes as one ("blue tooth" for its "bluetooth"), unless it
        uses both halves too ("set up" beside "setup")."""
        whole = f"{first}{second}".casefold()
        if len(whole) < MIN_LENGTH or not uses(whole):
            return None
        return None if uses(first.casefold()) and uses(second.casefold()) else whole

    words = list(_WORD.finditer(question))
    parts: list[str] = []
    end, skip = 0, False
    for word, after in zip(words, [*words[1:], None], strict=True):
        if skip:  # the second half of a word joined
            skip = False
            continue
        parts.append(question[end : word.start()])
        whole = None
        if after is not None and question[word.end() : after.start()] == " ":
            whole = joined(word.group(), after.group())
        if whole is not None and after is not None:
            parts.append(whole)
            end, skip = after.end(), True
        else:
            parts.append(mended(word.group()))
            end = word.end()
    parts.append(question[end:])
    return "".join(parts)


def _digits(word: str) -> str:
    return "".join(c for c in word if c.isdigit())


def _english(word: str) -> bool:
    """An English word, or one inflected ("wipes", "tweaked"): the vocabulary lists stems.
    "knobss" is no plural of "knobs"."""
    stems = (word, _singular(word), *(word.removesuffix(ending) for ending in _ENDINGS))
    return any(english_word(stem) for stem in stems if stem)


def _singular(word: str) -> str:
    """``word`` without its plural "s"; "" when it has none ("knobss" is no plural of "knobs")."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else ""
