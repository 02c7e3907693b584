"""Typo look-up over the index's words by deletion neighbourhoods.

Two words within edit distance k share a string reachable from each by at most k deletions, so
indexing every word's deletions finds the candidates with a few dictionary look-ups instead of a
scan of the vocabulary; rapidfuzz then confirms the true distance.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

MIN_TYPO_LENGTH = 4
LONG_WORD = 8


def edit_budget(length: int) -> int:
    """Edits forgiven in a word of this length: none under 4 letters, two from 8."""
    if length < MIN_TYPO_LENGTH:
        return 0
    return 1 if length < LONG_WORD else 2


def deletions(word: str, depth: int) -> set[str]:
    """``word`` and every string made from it by deleting up to ``depth`` characters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class TypoIndex:
    """Finds the indexed words within a word's edit budget (transpositions count once)."""

    __slots__ = ("_longest", "_neighbours", "_words")

    def __init__(self, words: Iterable[tuple[int, str]]) -> None:
        self._words: dict[int, str] = {}
        neighbours: dict[str, list[int]] = {}
        for word_id, word in words:
            self._words[word_id] = word
            # A word needs no more deletions than its own budget: see module docstring.
            for key in deletions(word, edit_budget(len(word))):
                neighbours.setdefault(key, []).append(word_id)
        self._neighbours = {key: tuple(ids) for key, ids in neighbours.items()}
        self._longest = max(map(len, self._words.values()), default=0)

    def lookup(self, word: str) -> list[tuple[int, int]]:
        """``(word id, distance)`` of the indexed words within budget, ``word`` itself excluded.

        The budget follows the longer of the two words, so a letter dropped from a short word
        ("dfam" typed "dam") is still forgiven.
        """
        seen: set[int] = set()
        found: list[tuple[int, int]] = []
        # Deletions grow with the square of the length; a word this long matches nothing.
        if len(word) > self._longest + edit_budget(len(word)):
            return found
        for key in deletions(word, edit_budget(len(word))):
            for word_id in self._neighbours.get(key, ()):
                if word_id in seen:
                    continue
                seen.add(word_id)
                candidate = self._words[word_id]
                budget = edit_budget(max(len(word), len(candidate)))
                distance = OSA.distance(word, candidate, score_cutoff=budget)
                if 0 < distance <= budget:
                    found.append((word_id, distance))
        return found
