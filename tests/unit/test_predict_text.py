"""Text folding and the typo look-up behind the product index."""

from __future__ import annotations

import pytest

from hsc_jit.predict.normalize import atoms, fold, normalize
from hsc_jit.predict.typo import TypoIndex, deletions, edit_budget


def test_fold_drops_case_diacritics_and_hebrew_final_letters() -> None:
    assert fold("Córdoba ÉLAN") == "cordoba elan"
    assert fold("מיקרופון") == "מיקרופונ"
    assert fold("שָׁלוֹם") == "שלומ"  # points removed, final mem made ordinary


def test_atoms_split_letters_from_digits() -> None:
    assert atoms("Roland TD-27KV") == ["roland", "td", "27", "kv"]
    assert atoms("td27kv") == atoms("td 27 kv") == atoms("TD-27KV")
    assert atoms("157B2210") == ["157", "b", "2210"]
    assert atoms("פסנתר SP-A500") == ["פסנתר", "sp", "a", "500"]


def test_normalize_is_one_key_for_every_spelling() -> None:
    assert normalize("  Roland   TD-27KV ") == normalize("roland td27kv") == "roland td 27 kv"
    assert normalize("?!") == ""


@pytest.mark.parametrize(("length", "budget"), [(1, 0), (3, 0), (4, 1), (7, 1), (8, 2), (20, 2)])
def test_edit_budget_grows_with_word_length(length: int, budget: int) -> None:
    assert edit_budget(length) == budget


def test_deletions_reach_the_requested_depth() -> None:
    assert deletions("abc", 1) == {"abc", "bc", "ac", "ab"}
    assert "a" in deletions("abc", 2)
    assert "" not in deletions("abc", 2)


@pytest.fixture(scope="module")
def typos() -> TypoIndex:
    return TypoIndex(enumerate(["roland", "keyboard", "mix", "shure", "stage"]))


def test_typo_lookup_finds_words_within_budget(typos: TypoIndex) -> None:
    assert typos.lookup("rolnd") == [(0, 1)]
    assert typos.lookup("keybaord") == [(1, 1)]  # a swap counts once
    assert typos.lookup("kybaord") == [(1, 2)]  # long words forgive two
    assert typos.lookup("shur") == [(3, 1)]
    assert typos.lookup("stgae") == [(4, 1)]


def test_typo_lookup_spares_short_words_and_exact_hits(typos: TypoIndex) -> None:
    assert typos.lookup("mic") == []
    assert typos.lookup("roland") == []
    assert typos.lookup("rlnd") == []  # two edits in a six-letter word is too many


def test_typo_lookup_gives_up_on_words_longer_than_any_indexed(typos: TypoIndex) -> None:
    assert typos.lookup("keyboards") == [(1, 1)]
    assert typos.lookup("k" * 1000) == []
