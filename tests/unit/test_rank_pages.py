"""Page ranking: the answer page first, its best sentences as passages, and honest coverage."""

from __future__ import annotations

import pytest

from hsc_jit.retrieve.rank import PageIndex, assess_coverage

MANUAL = [
    (1, "TR-9 Owner's Manual\nThank you for choosing the Roland TR-9 rhythm composer. "
        "Read this manual carefully to use the TR-9 for many years."),
    (2, "Power\nConnect the AC adaptor to the DC IN jack. The TR-9 turns off automatically "
        "after 30 minutes without use. To disable Auto Off, hold SHIFT while powering on."),
    (3, "Connections\nConnect headphones to the PHONES jack. Use the MIDI OUT jack to drive "
        "another synthesizer. The USB port carries audio and MIDI to a computer."),
    (4, "Patterns\nPress a step button to enter a note. Press START to play the pattern. "
        "Each pattern has up to 64 steps and can be chained with others."),
    (5, "Specifications\n• Weight: 2.1 kg\n• Dimensions: 400 x 260 x 70 mm\n"
        "• Power consumption: 600 mA"),
]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> PageIndex:
    return PageIndex.build(MANUAL, title="TR-9 Owner's Manual")


@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("How do I turn off the auto off function?", 2),
        ("Where do I plug in my headphones?", 3),
        ("Can I send MIDI to another synth?", 3),
        ("How many steps can a pattern have?", 4),
        ("What is the weight of the unit?", 5),
        ("powering", 2),
    ],
)
def test_the_answer_page_ranks_first(index: PageIndex, question: str, page: int) -> None:
    assert index.rank(question)[0].page == page


def test_ranked_pages_are_best_first_and_limited_to_k(index: PageIndex) -> None:
    ranked = index.rank("Connect the jack", k=2)
    assert len(ranked) == 2
    assert ranked[0].score >= ranked[1].score > 0


def test_passages_are_the_best_sentences_of_the_page(index: PageIndex) -> None:
    top = index.rank("How do I disable Auto Off?")[0]
    assert top.passages[0] == "To disable Auto Off, hold SHIFT while powering on."
    assert 1 <= len(top.passages) <= 3
    assert all(passage in MANUAL[1][1] for passage in top.passages)


def test_a_model_number_matches_however_it_is_written() -> None:
    index = PageIndex.build(MANUAL)
    for question in ("tr9 rhythm", "TR-9 rhythm", "TR 9 rhythm"):
        assert index.rank(question)[0].page == 1


def test_words_of_the_title_do_not_pick_the_page(index: PageIndex) -> None:
    # Page 1 repeats "TR-9" most, but only page 2 says how the TR-9 turns off.
    assert index.rank("How does the TR-9 turn off?")[0].page == 2


def test_a_question_sharing_no_word_ranks_nothing(index: PageIndex) -> None:
    assert index.rank("Bluetooth pairing?") == []
    assert index.rank("") == []


@pytest.mark.parametrize(
    "question",
    ["How do I disable auto off?", "Where is the PHONES jack?", "What is the weight of the TR-9?"],
)
def test_covered_questions_are_covered(index: PageIndex, question: str) -> None:
    assert assess_coverage(question, index.rank(question))


@pytest.mark.parametrize(
    "question",
    [
        "How do I pair the TR-9 with a Bluetooth speaker?",
        "Does the TR-9 have a built-in battery?",
        "What colour options exist?",
        "",
    ],
)
def test_questions_the_manual_does_not_cover_are_flagged(index: PageIndex, question: str) -> None:
    assert not assess_coverage(question, index.rank(question))


def test_an_empty_document_ranks_nothing() -> None:
    assert PageIndex.build([]).rank("anything") == []
    assert PageIndex.build([(1, "")]).rank("anything") == []


def test_ranking_is_deterministic() -> None:
    first = PageIndex.build(MANUAL).rank("connect jack", k=5)
    second = PageIndex.build(MANUAL).rank("connect jack", k=5)
    assert first == second


def test_off_is_a_word_a_manual_means() -> None:
    index = PageIndex.build(
        [
            (1, "Tempo\nPress STOP to stop the click and turn the dial to set the tempo."),
            (2, "Power\nAuto Off: the unit turns itself off after 4 hours. Set Auto Off to OFF."),
        ]
    )
    assert index.rank("how do I stop it turning itself off")[0].page == 2


def test_a_question_word_the_manual_lacks_may_begin_one_it_uses() -> None:
    index = PageIndex.build(
        [
            (1, "Loops\nPress the pedal to stop the loop. Hold it to clear the loop."),
            (2, "Control\nConnect a footswitch to CTL 1 to stop and clear the loop."),
        ]
    )
    assert index.rank("stop and clear the loop with my foot")[0].page == 2
    assert index.rank("zzzz") == []


def test_a_contents_page_yields_to_the_page_it_points_to() -> None:
    contents = "Contents\n- Page 2: Auto Off\n- Page 3: Tempo\n- Page 4: Auto Off timer"
    pages = [
        (1, contents),
        (2, "Settings\nThe unit saves power: Auto Off turns it off after 4 hours of no use. "
            "Choose another time in the menu, or switch the function off for a long session."),
        (3, "Tempo\nTurn the dial to set the tempo."),
    ]  # fmt: skip
    assert PageIndex.build(pages).rank("auto off")[0].page == 2


def test_the_heading_of_a_page_weighs_more_than_a_passing_mention() -> None:
    pages = [
        (1, "Recording\nThe recorder can record your playing along with the metronome, "
            "and it can play back the take."),
        (2, "Metronome\nPress CLICK to start the click. Set its level and its sound in the menu."),
        (3, "Power\nTurn it on."),
    ]  # fmt: skip
    # Equal on the body text, and the page without the heading comes first.
    assert PageIndex.build(pages).rank("metronome")[0].page == 2
