"""The customer's words for a manual's: read from the lexicon, matched in questions, and used to
find the page a question worded unlike the manual asks about."""

from __future__ import annotations

import pytest

from hsc_jit.answer.question import understand
from hsc_jit.retrieve.lexicon import customer_words, parse
from hsc_jit.retrieve.rank import PageIndex

LEXICON = """\
# a comment, then a blank line

wall wart\tAC adaptor power supply
roll\tcasters wheels
roll call\tattendance
"""


def test_a_word_matches_in_any_form_and_a_phrase_only_whole_and_in_order() -> None:
    lexicon = parse(LEXICON)
    assert lexicon.related("Can I roll it?") == {"caster", "wheel"}
    assert lexicon.related("it rolls") == {"caster", "wheel"}
    assert lexicon.related("do I need a wall wart?") == {"ac", "adapt", "power", "suppli"}
    # Both words, but not side by side in this order: no wall wart.
    assert lexicon.related("a wart on the wall") == frozenset()
    assert lexicon.related("roll call") == {"caster", "wheel", "attend"}


def test_an_entry_made_of_the_products_own_name_is_skipped() -> None:
    lexicon = parse("keys\tnote keyboard\nsub\tsubwoofer\npiano stool\tbench seat\n")
    assert lexicon.related("does the go:keys have a sub out?") == {"note", "keyboard", "subwoof"}
    assert lexicon.related("does the go:keys have a sub out?", ignore=frozenset({"key"})) == {
        "subwoof"
    }
    # A stool is still asked of a piano.
    assert lexicon.related("which piano stool?", ignore=frozenset({"piano"})) == {"bench", "seat"}


def test_the_manuals_stop_words_and_numbers_are_left_out() -> None:
    lexicon = parse("busking\tbattery for the street\nfull keyboard\t88-key piano\n")
    assert lexicon.related("busking") == {"batteri", "street"}
    assert lexicon.related("a full keyboard") == {"key", "piano"}
    # Not "off": a manual's "Auto Off" is what the page ranker reads.
    assert parse("shuts off\tauto off\n").related("it shuts off") == {"auto", "off"}


@pytest.mark.parametrize(
    "line",
    [
        "no tab here",
        "\tadaptor",
        "wall wart\t",
        "wall wart\t - ",
        "wall wart\tof the",
        "!!\tadaptor",
        "cans\theadphones",
        "only\tsolo",
        "rolling\twheels",
    ],
)
def test_a_line_it_cannot_read_is_named(line: str) -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse(f"roll\tcasters\n{line}\n")


def test_the_shipped_lexicon_reads_and_every_entry_adds_a_word() -> None:
    lexicon = customer_words()
    assert len(lexicon.single) + len(lexicon.phrases) > 300
    for word, meant in lexicon.single.items():
        assert meant - {word}, word
    for phrase, meant in lexicon.phrases.items():
        assert meant - set(phrase), phrase


def test_a_question_in_the_customers_words_asks_for_the_manuals() -> None:
    assert {"adapt", "ac"} <= understand("Does it come with a wall wart?").related
    assert {"caster"} <= understand("Could I roll the piano to the other room myself?").related
    # Read as typed, as the page ranker reads it, not with "won't" spelt out.
    assert {"troubleshoot"} <= understand("my piano won't turn on, what now?").related


MANUAL = [
    (1, "GP-9 Digital Grand Piano\nA majestic instrument with a concert grand sound. "
        "The cabinet is finished in polished ebony."),
    (2, "Design\nIntegrated casters let you move the piano across the floor. "
        "The lid opens to two positions."),
    (3, "Specifications\n• Weight: 90 kg\n• Dimensions: 1500 x 1000 x 900 mm"),
]  # fmt: skip


def test_a_page_is_found_through_the_manuals_word_for_the_customers() -> None:
    index = PageIndex.build(MANUAL, title="GP-9 Digital Grand Piano")
    ranked = index.rank("Could I roll it to the other side of the room on my own?")
    assert ranked and ranked[0].page == 2


def test_the_products_own_name_reaches_no_page_through_the_lexicon() -> None:
    pages = [
        (1, "Specifications\nKeyboard: 61 full-size keys, velocity-sensitive note response"),
        (2, "Wireless\nStream songs from your phone over Bluetooth audio and MIDI."),
    ]
    index = PageIndex.build(pages, title="GO:KEYS Music Creation Keyboard")
    assert [ranked.page for ranked in index.rank("does the go:keys have bluetooth?")] == [2]
