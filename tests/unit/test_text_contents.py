"""Contents pages: told apart from spec tables, kept out of the answer units."""

from __future__ import annotations

from hsc_jit.answer.units import page_units
from hsc_jit.text.contents import is_contents

TOC_RISING = """FP-30X Owner's Manual
Contents
Introduction 2
Getting started 3
Connecting headphones 4
Selecting sounds 6
Recording 8
Specifications 12"""

TOC_LEADERS = """Contents
Auto Off ..... 12
Bluetooth ..... 14
Headphones ..... 6"""

SPEC_TABLE = """TD-17 Specifications
Kits 100 (60 preset, 40 user)
Instruments 465
Songs 40
Recorder up to 20 minutes
Bluetooth audio and MIDI
Weight 7.9 kg"""


CONNECTIONS = """Connections
MIDI IN 1
MIDI OUT 1
USB port 1
Pedal jacks 2
Phones jacks 2
Outputs 2"""

PRESETS = """Presets by category
Pianos 120
Organs 60
Strings 45
Pads 40
Synth leads 30
Drum kits 12"""


def test_contents_with_page_numbers_or_leaders_is_told_from_a_spec_table() -> None:
    assert is_contents(TOC_RISING)
    assert is_contents(TOC_LEADERS)  # pointers need not rise: an index is alphabetical
    assert not is_contents(SPEC_TABLE)
    assert not is_contents(CONNECTIONS)  # numbers that repeat more than they rise
    assert not is_contents(PRESETS)  # numbers that fall
    assert not is_contents("Weight 7.9 kg\nKeys 61")  # too short to be a contents page


def test_a_contents_pages_entries_are_no_answer_units_but_a_tables_rows_are() -> None:
    assert [u.text for u in page_units(TOC_RISING, 1, 0)] == []
    # A page of short lines only: each row is its own unit, none runs on into the next.
    rows = [u.text for u in page_units(SPEC_TABLE, 9, 0)]
    assert rows == [
        "Kits 100 (60 preset, 40 user)",
        "Instruments 465",
        "Songs 40",
        "Recorder up to 20 minutes",
        "Bluetooth audio and MIDI",
        "Weight 7.9 kg",
    ]


def test_a_pdf_tables_rows_with_their_columns_a_tab_apart_are_no_contents() -> None:
    # As the PDF reader writes a table printed in columns; more than half its rows end in a
    # bare number after the tab.
    tabbed = "\n".join(
        [
            "TD-17 Specifications",
            "Kits\t100",
            "Instruments\t465",
            "Songs\t40",
            "Recorder\tup to 20 minutes",
            "USB audio\t28 channels out, 2 channels in, 44.1 kHz, class compliant on every system",
            "Bluetooth\taudio and MIDI",
            "Weight\t7.9 kg",
        ]
    )
    assert not is_contents(tabbed)
    # Each row its own unit, however long the one above a capitalised row.
    assert [u.text for u in page_units(tabbed, 9, 0)] == tabbed.split("\n")[1:]
