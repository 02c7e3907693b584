"""Strings one typing slip away from a word, for matching what was meant to what was typed."""

from __future__ import annotations

import string

LETTERS = string.ascii_lowercase


def one_edit(word: str, alphabet: str) -> set[str]:
    """Every string one deletion, insertion, substitution or swap of neighbours from ``word``,
    inserting and substituting characters of ``alphabet``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {left + right[1:] for left, right in splits if right}
        | {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
        | {left + c + right[1:] for left, right in splits if right for c in alphabet}
        | {left + c + right for left, right in splits for c in alphabet}
    ) - {word}
