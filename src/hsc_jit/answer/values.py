"""What kind of value a question asks for (a weight, a size, a price) and whether a text states one.

"How much does it weigh?" is answered only by a text that states a weight ("4.1 kg",
"190-gram"). A manual that states none cannot answer it, however many of the question's words
it shares; and the page that does state one is the page to quote. Rules, not a model: each kind
is a handful of phrasings on the question's side and of units on the manual's.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A number, then an optional hyphen or space before its unit: "4.1 kg", "190-gram", "61-note".
# One-letter units are case-sensitive ("(?-i:g)"): "4G" is a network, "5 W" a power.
_N = r"\d[\d.,]*\s*-?\s*"
_COLOURS = r"black|white|red|blue|silver|gr[ae]y|green|yellow|orange|brown|natural|wood"
# kind → (how a question asks for it, how a text states it)
_KINDS: dict[str, tuple[str, str]] = {
    "weight": (
        r"\b(?:weigh|weighs|weight|how heavy|heaviness)\b",
        _N + r"(?:kg|(?-i:g)|grams?|grammes?|lbs?|pounds?|kilograms?|kilos?|oz|ounces?)\b",
    ),
    "size": (
        # "LFO depth", "note length" and "bit depth" are settings, not sizes.
        r"\b(?:dimensions?|how (?:big|large|wide|tall|deep|high)|what size|which size|"
        r"size of|width|height)\b",
        _N + r"(?:mm|cm|(?-i:m)|inch(?:es)?|in\.|ft|feet|foot|meters?|metres?)(?!\w)|"
        r"\d\s*(?:\"|″)|\b(?!0x)\d+(?:[.,]\d+)?\s*[x×]\s*\d",
    ),
    "duration": (
        r"\b(?:battery life|how many (?:hours|minutes|seconds)|how long (?:does|do|will|can|is|"
        r"are|until|before|to)\b.*\b(?:last|take|run|record|play|charg\w*|sampl\w*))\b",
        _N + r"(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b",
    ),
    "impedance": (r"\b(?:impedance|ohms?)\b", r"\d\s*(?:ohms?|Ω|kΩ)|\bimpedance\b"),
    "price": (
        r"\b(?:price|prices|cost|costs|dollars|euros|cheap\w*|expensive)\b|\$",
        r"[$€£₪]\s?\d|\d\s?(?:usd|eur|dollars|euros)\b",
    ),
    "frequency": (r"\b(?:sample rate|sampling rate|frequency response|khz|hz)\b", _N + r"k?hz\b"),
    "bits": (r"\b(?:bit[- ]depth|bit resolution|\d+[- ]?bits?)\b", r"\d+\s*-?\s*bits?\b"),
    "tempo": (
        r"\b(?:bpm|tempo range|(?:max|maximum|min|minimum|fastest|slowest) tempo)\b",
        r"\bbpm\b",
    ),
    "polyphony": (
        r"\b(?:polyphon\w*|how many voices)\b",
        r"\bpolyphon\w*|\d+\s*-?\s*voices?\b",
    ),
    "power": (
        r"\b(?:watts?|wattage|power output|power consumption)\b",
        _N + r"(?:(?-i:W)|watts?)\b",
    ),
    "version": (
        r"\b(?:(?:android|ios|ipados|macos|mac ?os|windows|os|bluetooth|usb|firmware|software) "
        r"version|what version)\b",
        r"\b(?:version|ver\.?|android|ios|ipados|macos|windows|bluetooth|usb|firmware)"
        r"\s*(?:version\s*)?v?\d",
    ),
    "colour": (
        # "a white finish", "what finishes": not "how do I finish a recording".
        rf"\b(?:colou?rs?|colou?red|finishes|(?:{_COLOURS}) finish|what finish)\b",
        rf"\b(?:{_COLOURS}|rosewood|walnut|oak|ebony|colou?rs?)\b",
    ),
}
_ASKED = {kind: re.compile(asked, re.I) for kind, (asked, _) in _KINDS.items()}
_STATED = {kind: re.compile(stated, re.I) for kind, (_, stated) in _KINDS.items()}


@lru_cache(maxsize=4096)
def asked_values(question: str) -> frozenset[str]:
    """The kinds of value ``question`` asks for; empty for most questions."""
    return frozenset(kind for kind, pattern in _ASKED.items() if pattern.search(question))


def states_value(kinds: frozenset[str], text: str) -> bool:
    """``text`` states a value of one of ``kinds``."""
    return any(_STATED[kind].search(text) for kind in kinds)
