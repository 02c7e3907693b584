"""Sentence boundaries in manual text."""

from __future__ import annotations

from hsc_jit.text.sentences import split_sentences


def test_a_dot_inside_a_button_name_ends_no_sentence() -> None:
    text = "Press [PIANO], [E. PIANO] or [OTHER] to choose a group. Then play."
    assert split_sentences(text) == [
        "Press [PIANO], [E. PIANO] or [OTHER] to choose a group.",
        "Then play.",
    ]


def test_a_dot_after_a_closed_bracket_still_ends_a_sentence() -> None:
    assert split_sentences("Press [ENTER]. Then press [EXIT].") == [
        "Press [ENTER].",
        "Then press [EXIT].",
    ]
