"""The extractive answer: cited manual sentences, honest refusals, relevant extras only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hsc_jit.answer import extractive, ranker
from hsc_jit.answer.base import Evidence
from hsc_jit.answer.extractive import ExtractiveProvider, compose_answer
from hsc_jit.answer.markers import cited_page
from hsc_jit.answer.ranker import focus_terms, select
from hsc_jit.answer.terms import terms
from tests.utils.answer_requests import PAGE_POWER, make_request, with_passages


def cited(chunks: list[str]) -> list[int]:
    return [page for c in chunks if (page := cited_page(c)) is not None]


def text_of(chunks: list[str]) -> str:
    return " ".join(c for c in chunks if not c.startswith("["))


def test_sentences_come_from_the_evidence_and_each_is_cited() -> None:
    chunks = compose_answer(make_request("How do I connect headphones?"))

    assert "PHONES jack" in text_of(chunks)
    assert set(cited(chunks)) == {6}
    body = [c for c in chunks if not c.startswith("[SUGGESTION") and not c.startswith("[PRO")]
    # The sentences of one page, then its citation once.
    assert cited_page(body[-1]) == 6
    assert all(cited_page(c) is None for c in body[:-1])


def test_every_citation_points_at_an_evidence_page() -> None:
    request = make_request("How do I install the driver for USB recording?", pages=(10, 6))
    chunks = compose_answer(request)
    assert cited(chunks)
    assert set(cited(chunks)) <= {10, 6}
    assert "P-10 Driver" in text_of(chunks)


def test_not_covered_says_so_names_the_product_and_cites_nothing() -> None:
    chunks = compose_answer(make_request("What is the warranty period?", covered=False))

    assert len(chunks) == 1
    assert "Acme P-10" in chunks[0]
    assert "does not cover" in chunks[0]
    assert "Acme support" in chunks[0]
    assert "[" not in chunks[0]


def test_suggestion_only_when_the_question_is_about_an_accessory() -> None:
    headphones = compose_answer(make_request("How do I connect headphones?"))
    power = compose_answer(make_request("How do I turn the power on?", pages=(5,)))

    assert "[SUGGESTION: Acme RH-5 Headphones]" in headphones
    assert not any(c.startswith("[SUGGESTION") for c in power)


def test_pro_tip_follows_the_scenario() -> None:
    question = "How do I connect headphones?"
    live = compose_answer(make_request(question, pages=(6, 5), scenario="live"))
    studio = compose_answer(make_request(question, pages=(6, 10), scenario="studio"))

    assert live[-1].startswith("[PRO TIP: Auto Off can cut the sound")
    assert studio[-1].startswith("[PRO TIP: Set the audio buffer to 128 samples")


def test_no_tip_when_the_manual_has_none_for_the_scenario() -> None:
    chunks = compose_answer(
        make_request("How do I connect headphones?", pages=(6,), scenario="studio")
    )
    assert not any(c.startswith("[PRO TIP") for c in chunks)


def test_ranker_passages_win_close_calls() -> None:
    request = with_passages(
        make_request("How does the piano turn off?", pages=(5,)),
        5,
        "The piano turns off by itself after 30 minutes when Auto Off is on.",
    )
    assert "after 30 minutes" in text_of(compose_answer(request))


def test_same_request_same_answer() -> None:
    request = make_request("How do I record over USB?", pages=(10, 6, 5), scenario="studio")
    assert compose_answer(request) == compose_answer(request)


async def test_provider_streams_the_composed_answer() -> None:
    request = make_request()
    assert [c async for c in ExtractiveProvider().stream(request)] == compose_answer(request)


def _evidence(page: int, text: str, score: float) -> Evidence:
    return Evidence(page=page, text=text, score=score)


HEADPHONES_PAGE = """Headphones and volume
Connect headphones to either PHONES jack on the front edge of the module.
Set the headphone level with the [PHONES] knob; the [MASTER] knob does not change it.
The MASTER OUT jacks keep sending sound while headphones are connected."""

TROUBLE_PAGE = """Troubleshooting
The hi-hat always sounds open: check that the HH CTRL plug is connected to the module.
A pad plays twice when struck once: raise Mask Time in the trigger settings."""


def test_answer_stops_before_a_much_weaker_sentence_of_a_weak_page() -> None:
    request = replace(
        make_request("How do I connect headphones?"),
        evidence=[_evidence(6, HEADPHONES_PAGE, 2.0), _evidence(13, TROUBLE_PAGE, 1.0)],
    )
    chunks = compose_answer(request)

    assert "PHONES jack" in text_of(chunks)
    assert set(cited(chunks)) == {6}
    assert "hi-hat" not in text_of(chunks)


def test_equally_matching_sentence_of_a_weakly_ranked_page_is_not_cited() -> None:
    # The same words on both pages: only the pages' ranks tell them apart.
    weak = "Power\nConnect headphones to either PHONES jack on the front edge of the module."
    request = replace(
        make_request("How do I connect headphones?"),
        evidence=[_evidence(6, HEADPHONES_PAGE, 3.0), _evidence(5, weak, 1.0)],
    )
    assert set(cited(compose_answer(request))) == {6}
    sentence = weak.splitlines()[1]
    rated = {(u.page, u.text): p for p, u in select(request).ranked}
    assert rated[(6, sentence)] > rated[(5, sentence)]


def test_lead_sentence_brings_the_steps_it_introduces() -> None:
    page = """Bluetooth audio
The piano can play music from your phone through its speakers.
Pairing for Bluetooth audio:
1. Hold [FUNCTION] and press the [BLUETOOTH] key. The indicator blinks.
2. On your phone, select "P-10 Audio".
3. The indicator stays lit when connected.
NOTE: The range is about 10 meters."""
    request = replace(
        make_request("How do I play music from my phone?"),
        evidence=[_evidence(9, page, 2.0)],
    )
    text = text_of(compose_answer(request))
    assert "Pairing for Bluetooth audio: 1. Hold [FUNCTION]" in text
    assert 'select "P-10 Audio"' in text
    assert cited(compose_answer(request)) == [9]


def test_a_colon_at_a_line_end_runs_on_into_the_next_line() -> None:
    page = """Stage monitoring
You can also send the click only to the headphones:
[SETUP] > Click > "Output" = PHONES.
TIP: Before every show, save a backup of all kits to an SD card."""
    request = replace(
        make_request("How do I send the click only to the headphones?"),
        evidence=[_evidence(12, page, 2.0)],
    )
    text = text_of(compose_answer(request))
    assert 'Click > "Output" = PHONES' in text
    assert "backup" not in text


def test_the_product_name_is_no_question_word() -> None:
    request = replace(
        make_request("How many presets does the Subsequent 37 hold?"),
        product_name="Subsequent 37",
    )
    assert not terms("subsequent") & focus_terms(request)
    assert terms("presets hold") <= focus_terms(request)


POWER_SENTENCES = {
    "Power": 0.30,
    "Press the [POWER] button to turn the piano on.": 0.35,
    "The piano turns off by itself after 30 minutes when Auto Off is on.": 0.70,
    "CAUTION: Auto Off can cut the sound during a long pause on stage.": 0.45,
    "Turn Auto Off off before a performance: hold [FUNCTION] and press the A0 key.": 0.50,
}


def test_closeness_in_meaning_picks_the_lead_when_words_mislead() -> None:
    # "pause" only matches the CAUTION sentence; the meaning matches the Auto Off sentence.
    question = "why does it shut down on me when I pause?"
    page = Evidence(page=5, text=PAGE_POWER, score=2.0)
    by_meaning = replace(page, similarity=POWER_SENTENCES)
    chunks = compose_answer(replace(make_request(question), evidence=[by_meaning]))
    assert "turns off by itself after 30 minutes" in chunks[0]


def test_another_pages_sentence_joins_only_when_rated_high_and_with_its_citation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Most wrong citations were another page's sentences joining a right answer.
    question = "How do I connect headphones?"
    lead = {"Connect headphones to either PHONES jack on the front edge of the module.": 0.8}
    second = "Monitoring\nConnect headphones to the rear jack when a stand hides the front edge."
    evidence = [
        Evidence(page=6, text=HEADPHONES_PAGE, score=2.0, similarity=lead),
        Evidence(page=12, text=second, score=1.9, similarity={second.split("\n")[1]: 0.8}),
    ]
    request = replace(make_request(question), evidence=evidence)
    trained = ranker.model()
    chunks: list[str] = []
    for other_page, pages in ((1.01, {6}), (0.0, {6, 12})):
        keep = replace(trained.keep, other_page=other_page, floor=0.0, share=0.0)
        monkeypatch.setattr(extractive, "model", lambda keep=keep: replace(trained, keep=keep))
        chunks = compose_answer(request)
        assert set(cited(chunks)) == pages
    # The other page's sentence comes after the lead's page, cited right after it.
    rear = next(i for i, c in enumerate(chunks) if "rear jack" in c)
    assert chunks[rear + 1] == "[MANUAL: page 12]"
