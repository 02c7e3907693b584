"""Sentence boundaries in manual text."""

from __future__ import annotations

import pytest

from hsc_jit.text.sentences import AMOUNT, clean, split_sentences


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


@pytest.mark.parametrize(
    "row",
    [
        "Output impedance 150 ohms",
        "Impedance 600 Ω",
        "Load 10 k\u2126",  # the ohm sign, as some PDFs write it
        "Sensitivity -59 dBV/Pa",
        "Noise -128 dBu",
        "Filter slope 24 dB per octave",
        "Memory 3 GB",
        "Battery 2000 mAh",
        "Sampling time 20 min",
        "Delay up to 2 sec",
    ],
)
def test_a_row_stating_an_amount_ends_its_sentence(row: str) -> None:
    # The row is the page's longest line, so only the amount tells it from a line of prose
    # that wraps on into the next.
    page = f"Specs\n{row}\nConnectors are XLR."
    assert AMOUNT.search(row)
    assert row in split_sentences(page)


def test_words_that_only_start_like_units_are_no_amounts() -> None:
    for text in ("20 minimum", "TD-27 V-Drums", "3 gbps-ish", "40 dbx units"):
        assert not AMOUNT.search(text), text


def test_a_wrapped_line_ending_in_a_joining_word_goes_on_whatever_its_length() -> None:
    # A PDF wraps a bullet mid-list; the short remainder starts with a capital, like a heading.
    page = (
        "The flagship keyboard brings every engine, every effect and every control surface of "
        "the series together in one instrument for the stage and the studio.\n"
        "Features\n"
        "• Comprehensive connectivity with multi-channel audio I/O, MIDI I/O, dual CV outputs,\n"
        "USB, and more\n"
        "• Dedicated software control modes for Ableton Live, Logic Pro, Cubase, and\n"
        "Studio One\n"
        "• A rugged metal chassis built to travel to every show, rehearsal and session you play"
    )
    sentences = split_sentences(page)
    wrapped = "Dedicated software control modes for Ableton Live, Logic Pro, Cubase, and Studio One"
    assert wrapped in sentences
    assert (
        "Comprehensive connectivity with multi-channel audio I/O, MIDI I/O, dual CV outputs, "
        "USB, and more"
    ) in sentences


@pytest.mark.parametrize("row", ["Connector USB Type A", "Output jack 1/4 in"])
def test_a_row_ending_in_a_capital_letter_or_inches_still_ends(row: str) -> None:
    # "A" is no article and "in" no preposition here: the row ends before the next one.
    page = f"Connections\n{row}\nWeight 2 kg"
    assert row in split_sentences(page)


def test_a_spec_sheet_row_ends_where_the_next_labelled_row_begins_however_long() -> None:
    sheet = (
        "Accessories: Owner's manual, AC adaptor, power cord, music rest, damper pedal (DP-2)\n"
        "Options (sold separately): Keyboard stand KS-G8B, pedal unit KPD-70, headphones RH-5\n"
        "Connectors: PHONES jack x 2: stereo 1/4-inch phone type; OUTPUT jacks: 1/4-inch\n"
        "phone type; USB COMPUTER port: USB Type-B\n"
        "Weight: 17.4 kg"
    )
    assert split_sentences(sheet) == [
        "Accessories: Owner's manual, AC adaptor, power cord, music rest, damper pedal (DP-2)",
        "Options (sold separately): Keyboard stand KS-G8B, pedal unit KPD-70, headphones RH-5",
        # A wrapped value's next line names no label: the row goes on.
        "Connectors: PHONES jack x 2: stereo 1/4-inch phone type; OUTPUT jacks: 1/4-inch phone"
        " type; USB COMPUTER port: USB Type-B",
        "Weight: 17.4 kg",
    ]


def test_a_tables_tab_is_kept_and_the_spaces_around_it_dropped() -> None:
    assert clean("• Weight \t 9.5  kg") == "Weight\t9.5 kg"
    assert clean("Weight\n\t9.5 kg") == "Weight\t9.5 kg"
    assert clean("no  tab   here") == "no tab here"
