"""Ranking by meaning: sentence vectors let a question worded unlike the manual find its page."""

from __future__ import annotations

import numpy as np
import pytest

from hsc_jit.retrieve.embed import SentenceEmbedder
from hsc_jit.retrieve.rank import COVERAGE_SIMILARITY, PageIndex, assess_coverage
from tests.unit.test_rank_pages import MANUAL


@pytest.fixture(scope="module")
def lexical() -> PageIndex:
    return PageIndex.build(MANUAL, title="TR-9 Owner's Manual")


@pytest.fixture(scope="module")
def hybrid(lexical: PageIndex, embedder: SentenceEmbedder) -> PageIndex:
    return lexical.with_vectors(embedder.embed(lexical.sentences))


def test_a_question_sharing_no_word_finds_its_page_by_meaning(
    lexical: PageIndex, hybrid: PageIndex, embedder: SentenceEmbedder
) -> None:
    question = "will it talk to my macbook?"
    assert lexical.rank(question) == []
    ranked = hybrid.rank(question, query_vector=embedder.embed([question])[0])
    assert ranked[0].page == 3
    assert "The USB port carries audio and MIDI to a computer." in ranked[0].passages
    # No word of the question is on the page: the manual is not shown to cover it.
    assert ranked[0].matched == 0


def test_words_still_count_and_every_sentence_gets_its_closeness(
    hybrid: PageIndex, embedder: SentenceEmbedder
) -> None:
    question = "How do I turn off the auto off function?"
    best = hybrid.rank(question, query_vector=embedder.embed([question])[0])[0]
    assert best.page == 2
    assert set(best.similarity) == {
        "Power",
        "Connect the AC adaptor to the DC IN jack.",
        "The TR-9 turns off automatically after 30 minutes without use.",
        "To disable Auto Off, hold SHIFT while powering on.",
    }
    closest = max(best.similarity, key=best.similarity.__getitem__)
    assert "Auto Off" in closest or "turns off" in closest


def test_without_a_question_vector_the_ranking_is_by_words_alone(
    lexical: PageIndex, hybrid: PageIndex
) -> None:
    question = "Where do I plug in my headphones?"
    assert hybrid.rank(question) == lexical.rank(question)
    assert hybrid.rank(question)[0].similarity == {}


def test_vectors_must_match_the_sentences(lexical: PageIndex) -> None:
    assert not lexical.has_vectors
    with pytest.raises(ValueError, match="sentences"):
        lexical.with_vectors(np.zeros((3, 384), dtype=np.float32))
    paired = lexical.with_vectors(np.zeros((len(lexical.sentences), 384), dtype=np.float32))
    assert paired.has_vectors and not lexical.has_vectors  # the original stays as it was
    assert paired.nbytes > lexical.nbytes


def test_the_fingerprint_names_the_sentences(lexical: PageIndex) -> None:
    assert PageIndex.build(MANUAL).fingerprint == lexical.fingerprint
    changed = [(number, text.replace("30 minutes", "60 minutes")) for number, text in MANUAL]
    assert PageIndex.build(changed).fingerprint != lexical.fingerprint


def test_a_question_close_in_meaning_is_covered_though_its_words_differ(
    lexical: PageIndex, hybrid: PageIndex, embedder: SentenceEmbedder
) -> None:
    question = "will the TR-9 switch itself off when I leave it alone?"
    by_words = lexical.rank(question)
    assert not assess_coverage(question, by_words)  # "switch", "leave", "alone" are not in it
    ranked = hybrid.rank(question, query_vector=embedder.embed([question])[0])
    assert ranked[0].page == 2
    assert max(ranked[0].similarity.values()) >= COVERAGE_SIMILARITY
    assert assess_coverage(question, ranked)


def test_a_question_the_manual_does_not_answer_stays_uncovered(
    hybrid: PageIndex, embedder: SentenceEmbedder
) -> None:
    # Ranked by meaning, some page always comes closest; close is not close enough.
    question = "can I load my own samples into the TR-9?"
    ranked = hybrid.rank(question, query_vector=embedder.embed([question])[0])
    assert ranked and not assess_coverage(question, ranked)
