"""The chunker: markers whole and alone, sentence-sized text on word boundaries, no inventions."""

from __future__ import annotations

import re

import pytest

from hsc_jit.answer.chunking import Chunker
from hsc_jit.text.sentences import split_sentences

MARKER = re.compile(r"^\[(MANUAL: page \d+|SUGGESTION: [^\]]+|PRO TIP: [^\]]+)\]$")


def run(text: str, step: int, pages: tuple[int, ...] = (3, 5, 12)) -> list[str]:
    chunker = Chunker(pages, ["Acme RH-5 Headphones", "Acme DP-10 Damper Pedal"])
    chunks: list[str] = []
    for start in range(0, len(text), step):
        chunks += chunker.feed(text[start : start + step])
    return chunks + chunker.flush()


ANSWER = (
    "Connect your headphones to the PHONES jack [MANUAL: page 12]. The speakers go silent. "
    "Press the [POWER] button first [MANUAL: page 3]. "
    "[SUGGESTION: Acme RH-5 Headphones] [PRO TIP: Turn the volume down before plugging in.]"
)


@pytest.mark.parametrize("step", [1, 2, 3, 7, 1000])
def test_markers_split_across_deltas_come_out_whole(step: int) -> None:
    assert run(ANSWER, step) == [
        "Connect your headphones to the PHONES jack.",
        "[MANUAL: page 12]",
        "The speakers go silent.",
        "Press the [POWER] button first.",
        "[MANUAL: page 3]",
        "[SUGGESTION: Acme RH-5 Headphones]",
        "[PRO TIP: Turn the volume down before plugging in.]",
    ]


def test_every_marker_stands_alone() -> None:
    for chunk in run(ANSWER, 4):
        assert ("[MANUAL" in chunk or "[SUGGESTION" in chunk or "[PRO TIP" in chunk) == bool(
            MARKER.match(chunk)
        )


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("[Manual: p. 12]", ["[MANUAL: page 12]"]),
        ("[MANUAL: pages 3]", ["[MANUAL: page 3]"]),
        ("[manual, page 5]", ["[MANUAL: page 5]"]),
        ("[Page 3]", ["[MANUAL: page 3]"]),
        ("[MANUAL: pages 3, 5]", ["[MANUAL: page 3]", "[MANUAL: page 5]"]),
        ("[MANUAL: pp. 3-5]", ["[MANUAL: page 3]", "[MANUAL: page 5]"]),
        ("[Pro tip - keep a spare cable]", ["[PRO TIP: keep a spare cable]"]),
        ("[Suggestion: the RH-5 headphones]", ["[SUGGESTION: Acme RH-5 Headphones]"]),
    ],
)
def test_marker_spellings_are_normalised(spelling: str, canonical: list[str]) -> None:
    assert run(f"Some answer text here. {spelling}", 3) == ["Some answer text here.", *canonical]


def test_hallucinated_pages_and_products_are_dropped() -> None:
    chunks = run(
        "It is on the back. [MANUAL: page 99] [SUGGESTION: Acme Space Laser] "
        "[SUGGESTION: Acme] Done now.",
        5,
    )
    assert chunks == ["It is on the back.", "Done now."]


def test_only_one_suggestion_and_one_tip_get_through() -> None:
    chunks = run(
        "[SUGGESTION: Acme RH-5 Headphones] [SUGGESTION: Acme DP-10 Damper Pedal] "
        "[PRO TIP: one] [PRO TIP: two]",
        3,
    )
    assert chunks == ["[SUGGESTION: Acme RH-5 Headphones]", "[PRO TIP: one]"]


def test_long_text_is_cut_into_sentence_sized_chunks_on_word_boundaries() -> None:
    words = [f"word{i}" for i in range(200)]
    text = " ".join(words) + ". Short end sentence here."

    chunks = run(text, 6)

    assert all(len(c) <= 240 for c in chunks)
    assert " ".join(chunks).split() == text.split()  # no word was cut in two


def test_short_sentences_are_joined_and_steps_kept() -> None:
    chunks = run("Yes. It works when you press the key on the left.\n1. Turn it on. ", 4)
    assert chunks == ["Yes. It works when you press the key on the left.", "1. Turn it on."]


def test_unfinished_marker_at_the_end_is_dropped_but_text_brackets_stay() -> None:
    assert run("Hold [SHIFT and press play. [PRO TIP: keep", 3) == ["Hold [SHIFT and press play."]


def test_sentence_splitting_copes_with_manual_text() -> None:
    text = (
        "Headphones\n• Connect headphones to the PHONES jack on the\nfront panel (approx. 5 cm"
        " from the edge), see p. 12. NOTE: Turn the volume down, e.g. to 2.\n"
        "1. Press [POWER].\n2. Wait."
    )
    assert split_sentences(text) == [
        "Headphones",
        "Connect headphones to the PHONES jack on the front panel (approx. 5 cm from the edge), "
        "see p. 12.",
        "NOTE: Turn the volume down, e.g. to 2.",
        "1. Press [POWER].",
        "2. Wait.",
    ]
