"""How people type into the box: keystrokes with human gaps, the app's debounce, typos.

Pure functions of a ``random.Random``, so a seed repeats a run and the tests pin them down.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

# Neighbours on a QWERTY keyboard, for fat-finger substitutions.
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbour_keys() -> dict[str, str]:
    near: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, key in enumerate(row):
            keys = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            # The rows are staggered: above sits right of below.
            for other, cols in ((r - 1, (c, c + 1)), (r + 1, (c - 1, c))):
                if 0 <= other < len(_ROWS):
                    keys += [_ROWS[other][i] for i in cols if 0 <= i < len(_ROWS[other])]
            near[key] = "".join(dict.fromkeys(keys))
    return near


_NEIGHBOURS = _neighbour_keys()


@dataclass(frozen=True, slots=True)
class Keystroke:
    """The box holds ``text`` from ``at_ms`` after the first key on."""

    at_ms: float
    text: str


def keystrokes(
    text: str,
    rng: random.Random,
    *,
    median_gap_ms: float = 150.0,
    spread: float = 0.35,
    pause_after_space: float = 0.3,
    pause_ms: tuple[float, float] = (250.0, 800.0),
) -> list[Keystroke]:
    """One keystroke per character: log-normal gaps around ``median_gap_ms``.

    After a space the typist sometimes pauses (looks at the screen, thinks of the next word).
    """
    keys: list[Keystroke] = []
    at = 0.0
    for index in range(1, len(text) + 1):
        if index > 1:
            at += rng.lognormvariate(math.log(median_gap_ms), spread)
            if text[index - 2] == " " and rng.random() < pause_after_space:
                at += rng.uniform(*pause_ms)
        keys.append(Keystroke(round(at, 3), text[:index]))
    return keys


def debounced(keys: Sequence[Keystroke], debounce_ms: float = 150.0) -> list[Keystroke]:
    """The frames a debounced box sends: the text so far, ``debounce_ms`` after a key that no
    other key followed within ``debounce_ms``. The last key always sends."""
    sends: list[Keystroke] = []
    for index, key in enumerate(keys):
        following = keys[index + 1].at_ms if index + 1 < len(keys) else math.inf
        if following - key.at_ms >= debounce_ms:
            sends.append(Keystroke(key.at_ms + debounce_ms, key.text))
    return sends


def misspell(name: str, rng: random.Random) -> str:
    """``name`` with one typo: a dropped, doubled, swapped or neighbouring key, or a dropped
    separator ("TD-27" -> "TD27"). The first character stays (people rarely miss it)."""
    editable = [i for i, c in enumerate(name) if i > 0 and c.isalnum()]
    if not editable:
        return name
    separators = [i for i, c in enumerate(name) if i > 0 and c in "- " and i < len(name) - 1]
    kinds = ["drop", "double", "swap", "neighbour"] + (["separator"] if separators else [])
    for _ in range(8):
        kind = rng.choice(kinds)
        i = rng.choice(editable)
        if kind == "drop":
            typo = name[:i] + name[i + 1 :]
        elif kind == "double":
            typo = name[:i] + name[i] + name[i:]
        elif kind == "swap" and i + 1 < len(name):
            typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        elif kind == "neighbour" and name[i].lower() in _NEIGHBOURS:
            near = rng.choice(_NEIGHBOURS[name[i].lower()])
            typo = name[:i] + (near.upper() if name[i].isupper() else near) + name[i + 1 :]
        elif kind == "separator":
            j = rng.choice(separators)
            typo = name[:j] + name[j + 1 :]
        else:
            continue
        if typo != name and typo.strip():
            return typo
    return name


def as_typed(name: str, rng: random.Random, misspell_rate: float) -> str:
    """How one user types ``name``: often all lower case, sometimes with a typo."""
    typed = name.lower() if rng.random() < 0.5 else name
    if rng.random() < misspell_rate:
        typed = misspell(typed, rng)
    return typed
