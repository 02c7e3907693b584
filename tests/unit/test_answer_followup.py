"""Follow-up questions made standalone from the conversation's earlier questions."""

from __future__ import annotations

import time

import pytest

from hsc_jit.answer.followup import standalone
from hsc_jit.answer.terms import terms


@pytest.mark.parametrize(
    ("follow_up", "earlier", "expected"),
    [
        ("and the hi-hat?", "how do I connect the kick pad?", "how do I connect the hi-hat?"),
        ("And the hi-hat", "How do I connect the kick pad?", "How do I connect the hi-hat?"),
        ("and patterns?", "how many patches can it store?", "how many patterns can it store?"),
        (
            "and the fantom 7?",
            "how many keys does the fantom 8 have?",
            "how many keys does the fantom 7 have?",
        ),
        (
            "what about the 6?",
            "how many keys does the fantom 8 have?",
            "how many keys does the fantom 6 have?",
        ),
        (
            "and which damper pedal?",
            "what expression pedal fits the rd-2000?",
            "what damper pedal fits the rd-2000?",
        ),
    ],
)
def test_a_fragment_takes_the_place_of_the_earlier_subject(
    follow_up: str, earlier: str, expected: str
) -> None:
    assert standalone(follow_up, [earlier]) == expected


def test_a_scenario_is_added_to_the_earlier_question() -> None:
    assert (
        standalone("what about in live mode?", ["how do I change the tempo?"])
        == "how do I change the tempo in live mode?"
    )


def test_a_scenario_replaces_the_earlier_one_with_the_same_preposition() -> None:
    assert (
        standalone("and on rechargeables?", ["how long does it last on alkaline batteries?"])
        == "how long does it last on rechargeables?"
    )


def test_undoing_that_carries_the_earlier_action() -> None:
    assert (
        standalone("how do I undo that?", ["how do I delete a pattern?"])
        == "how do I undo deleting a pattern?"
    )


def test_doing_that_another_way_repeats_the_earlier_action() -> None:
    assert (
        standalone("can I do that with a footswitch?", ["how do I stop the looper?"])
        == "can I stop the looper with a footswitch?"
    )


@pytest.mark.parametrize(
    ("follow_up", "earlier", "topic"),
    [
        ("and how long do they last?", "what batteries does the ae-10 take?", "batteri"),
        ("and how many of them?", "can I connect expression pedals?", "pedal"),
        ("does it have one too for the line out?", "is there a ground lift on the DI out?", "lift"),
        ("how do I save one?", "how many programs does the piano hold?", "program"),
    ],
)
def test_a_pronoun_question_gets_the_earlier_topic_words(
    follow_up: str, earlier: str, topic: str
) -> None:
    rewritten = standalone(follow_up, [earlier])
    assert topic in terms(rewritten)
    assert terms(follow_up) - {"one"} <= terms(rewritten)  # its own words stay


def test_a_bare_question_frame_goes_over_the_earlier_question() -> None:
    assert (
        standalone("how long for?", ["can the sh-01a run on batteries?"])
        == "how long can the sh-01a run on batteries?"
    )


@pytest.mark.parametrize(
    "follow_up",
    [
        "how do I connect the hi-hat?",
        "and how do I split the keyboard?",
        "how many reverb types are there?",
        "does half-pedaling work with the sustain pedal?",
        "which daws does it have control modes for?",
        "my kick pad makes no sound at all when I hit it hard",
        "ok thanks",
    ],
)
def test_a_question_that_stands_alone_is_unchanged(follow_up: str) -> None:
    assert standalone(follow_up, ["how do I connect the kick pad?"]) == follow_up


@pytest.mark.parametrize("follow_up", ["and the hi-hat?", "how do I undo that?", "ומה עם זה?"])
def test_without_earlier_turns_the_text_is_unchanged(follow_up: str) -> None:
    assert standalone(follow_up, []) == follow_up


def test_a_three_turn_chain_builds_on_the_rewritten_turn() -> None:
    earlier = ["how many user scenes can I store on the ae-20?"]
    earlier.append(standalone("and how many favorites?", earlier))
    assert earlier[-1] == "how many favorites can I store on the ae-20?"
    third = standalone("what about presets?", earlier)
    assert third == "how many presets can I store on the ae-20?"


def test_only_the_most_recent_earlier_question_is_used() -> None:
    earlier = ["how do I connect the kick pad?", "how do I clean the mesh heads?"]
    assert standalone("and the cymbals?", earlier) == "how do I clean the cymbals?"


@pytest.mark.parametrize(
    "follow_up", ["ומה לגבי ה-hi-hat?", "ומה עם hi-hat?", "מה לגבי ה-hi-hat?", "ו-hi-hat?"]
)
def test_hebrew_and_x_and_what_about_x(follow_up: str) -> None:
    assert standalone(follow_up, ["how do I connect the kick pad?"]) == (
        "how do I connect the hi-hat?"
    )


def test_a_hebrew_pronoun_gets_the_earlier_action() -> None:
    rewritten = standalone("ואיך מבטלים את זה?", ["how do I delete a pattern?"])
    assert {"delet", "pattern"} <= terms(rewritten)
    assert "מבטלים" in rewritten


def test_a_hebrew_question_of_its_own_is_unchanged() -> None:
    question = "איך מחברים אוזניות למכשיר?"
    assert standalone(question, ["how do I connect the kick pad?"]) == question


def test_long_inputs_stay_bounded() -> None:
    long_text = "and the hi-hat " * 500
    assert standalone(long_text, ["how do I connect the kick pad?"]) == long_text
    long_earlier = "how do I connect the kick pad " + "and the snare " * 1000 + "?"
    assert len(standalone("and the hi-hat?", [long_earlier])) <= 400
    earlier = ["how do I change the tempo?"]
    for scenario in ["in live mode", "with the app", "on stage", "at home", "for recording"] * 40:
        earlier.append(standalone(f"what about {scenario}?", earlier))
    assert max(len(question) for question in earlier) <= 400


def test_same_input_same_output_and_fast() -> None:
    earlier = ["how do I connect the kick pad on the td-17?"]
    first = standalone("and the second crash?", earlier)
    started = time.perf_counter()
    for _ in range(1000):
        assert standalone("and the second crash?", earlier) == first
    # Generous for a loaded CI machine; typically tens of microseconds a call.
    assert (time.perf_counter() - started) / 1000 < 0.002
