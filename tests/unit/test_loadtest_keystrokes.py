"""loadtest/keystrokes.py: human typing, the app's 150 ms debounce, typos."""

from __future__ import annotations

import itertools
import random

import pytest
from loadtest.keystrokes import Keystroke, as_typed, debounced, keystrokes, misspell


def test_one_keystroke_per_character_in_order() -> None:
    keys = keystrokes("Shure SM58", random.Random(1))
    assert [k.text for k in keys] == ["Shure SM58"[:i] for i in range(1, 11)]
    assert keys[0].at_ms == 0
    assert all(b.at_ms > a.at_ms for a, b in itertools.pairwise(keys))


def test_gaps_centre_on_the_typists_speed() -> None:
    rng = random.Random(2)
    gaps = []
    for _ in range(200):
        keys = keystrokes("abcdefghij", rng, median_gap_ms=120, pause_after_space=0)
        gaps += [b.at_ms - a.at_ms for a, b in itertools.pairwise(keys)]
    gaps.sort()
    assert 100 < gaps[len(gaps) // 2] < 140
    assert gaps[0] > 20  # nobody types two keys in the same millisecond


def test_pauses_come_after_spaces() -> None:
    keys = keystrokes("a b", random.Random(3), median_gap_ms=100, spread=0.01, pause_after_space=1)
    # "a" at 0, " " at ~100, "b" after ~100 plus a pause of 250-800 ms
    assert keys[2].at_ms - keys[1].at_ms > 340


def test_debounce_sends_only_after_a_quiet_150_ms() -> None:
    keys = [
        Keystroke(0, "r"),
        Keystroke(100, "ro"),
        Keystroke(200, "rol"),  # 300 ms until the next key: sent at 350
        Keystroke(500, "rola"),
        Keystroke(649, "rolan"),  # 150 ms exactly: the timer fires first
        Keystroke(799, "roland"),  # the last key always sends
    ]
    assert debounced(keys, 150) == [
        Keystroke(350, "rol"),
        Keystroke(799, "rolan"),
        Keystroke(949, "roland"),
    ]


def test_debounce_of_fast_typing_sends_once() -> None:
    keys = [Keystroke(i * 50.0, "x" * (i + 1)) for i in range(20)]
    assert debounced(keys, 150) == [Keystroke(950 + 150, "x" * 20)]
    assert debounced([], 150) == []


def test_debounced_texts_grow_and_end_with_the_whole_name() -> None:
    rng = random.Random(4)
    for _ in range(50):
        sends = debounced(keystrokes("Roland TD-27KV V-Drums", rng), 150)
        assert sends[-1].text == "Roland TD-27KV V-Drums"
        assert all(len(b.text) > len(a.text) for a, b in itertools.pairwise(sends))
        assert all(b.at_ms - a.at_ms >= 150 for a, b in itertools.pairwise(sends))


@pytest.mark.parametrize(
    "name", ["Roland TD27", "Shure SM58", "Fender Stratocaster", "Nord Stage 4 88"]
)
def test_a_misspelling_is_one_small_edit_away(name: str) -> None:
    rng = random.Random(5)
    for _ in range(100):
        typo = misspell(name, rng)
        assert typo != name
        assert typo[0] == name[0]
        assert abs(len(typo) - len(name)) <= 1
        assert _edit_distance(typo.lower(), name.lower()) <= 2  # a swap counts two


def test_misspellings_vary() -> None:
    rng = random.Random(6)
    typos = {misspell("Roland TD-27KV", rng) for _ in range(200)}
    assert len(typos) > 20
    assert "Roland TD27KV" in typos  # the dropped hyphen people type


def test_nothing_to_misspell() -> None:
    assert misspell("A", random.Random(7)) == "A"
    assert misspell("", random.Random(7)) == ""


def test_as_typed_mixes_case_and_typos() -> None:
    rng = random.Random(8)
    typed = [as_typed("Shure SM58", rng, 0.3) for _ in range(1000)]
    assert 400 < typed.count("shure sm58") + typed.count("Shure SM58") < 800
    assert 200 < sum(t.lower() != "shure sm58" for t in typed) < 400
    assert all(
        t == "Shure SM58" or t == "shure sm58"
        for t in (as_typed("Shure SM58", rng, 0) for _ in range(50))
    )


def test_seeded_typing_repeats() -> None:
    def run(seed: int) -> list[Keystroke]:
        rng = random.Random(seed)
        return debounced(keystrokes(as_typed("Moog Grandmother", rng, 0.5), rng), 150)

    assert run(9) == run(9)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
