"""A system version the customer has against the one the manual requires.

"My iPad is on iOS 9, will the editor run?" and the page's "Requires iOS 10.3 or later": the
answer is no, whatever else the page says about the app. Only operating systems named with a
number are compared; a version named without one ("High Sierra") says nothing here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SYSTEMS = {
    "ios": "ios",
    "ipados": "ios",
    "android": "android",
    "windows": "windows",
    "macos": "macos",
    "mac os x": "macos",
    "mac os": "macos",
    "os x": "macos",
}
_SYSTEM = "|".join(sorted(map(re.escape, _SYSTEMS), key=len, reverse=True))
_VERSION = r"v?(\d+(?:\.\d+)*)"
_HAS = re.compile(rf"(?<![\w.-])({_SYSTEM})\s*{_VERSION}(?![\w.])", re.I)
_AT_LEAST = re.compile(
    rf"(?<![\w.-])({_SYSTEM})\s*{_VERSION}\s*(?:\+|(?:or|and)\s+(?:later|higher|newer|above|up))",
    re.I,
)


def requirement_met(question: str, texts: Iterable[str]) -> bool | None:
    """Whether the system version the question names meets one ``texts`` require; None when
    the question names none or no text requires a version of that system."""
    asked = _versions(_HAS, question)
    if not asked:
        return None
    for text in texts:
        for system, required in _versions(_AT_LEAST, text).items():
            if system in asked:
                return asked[system] >= required
    return None


def _versions(pattern: re.Pattern[str], text: str) -> dict[str, tuple[int, ...]]:
    return {
        _SYSTEMS[" ".join(name.casefold().split())]: tuple(int(p) for p in number.split("."))
        for name, number in pattern.findall(text)
    }
