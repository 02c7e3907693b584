"""Ways of naming one property where a page naming it one way answers a question naming it
another: open-back or closed-back, an XLR or a 1/4-inch jack, a wood or a plastic key.

A customer asks one way ("does it have XLR outputs?") and the unit that answers names the
property only another way ("Outputs: 1/4-inch phone type"): the answer is no. A product may
have both kinds of jack; a unit naming only one of them still answers for the jacks it lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hsc_jit.answer.terms import terms

_PARTS = (
    r"(?:snares?|shells?|bod(?:y|ies)|hardware|knobs?|plates?|hoops?|cymbals?|bells?|rims?"
    r"|chassis|cases?|casings?|housings?|enclosures?|frames?|panels?|tops?|construction)"
)


@dataclass(frozen=True, slots=True)
class _Group:
    """One property's ways, as a question names them and as a page does."""

    asked: tuple[re.Pattern[str], ...]
    said: tuple[re.Pattern[str], ...]
    gear: bool  # customers name these of their own gear as often as of the product


def _group(ways: tuple[str, ...], proper: bool = False, gear: bool = False) -> _Group:
    """``proper``: the ways are names a page writes capitalised ("Windows", "iPad") and
    customers often do not; in lower case a page means something else ("two windows").
    ``gear``: a way named after "my", "with a", "like a" ... is the customer's, not asked."""
    compiled = [rf"(?<![\w.-])(?<!\d/)(?:{way})(?!\w)" for way in ways]
    return _Group(
        tuple(re.compile(way, re.I) for way in compiled),
        tuple(re.compile(way, 0 if proper else re.I) for way in compiled),
        gear,
    )


_GROUPS = (
    _group(("open", "closed")),
    _group(("internal", "external")),
    _group(("mono", "stereo")),
    _group(("analog|analogue", "digital")),
    _group(("wired", "wireless")),
    _group(("active", "passive")),
    _group(("tubes?|valves?", "solid[- ]state")),
    _group(("condenser", "dynamic")),
    _group(("monophonic", "polyphonic")),
    _group(("balanced", "unbalanced")),
    # Connectors.
    _group(
        (
            "xlr",
            "rca",
            r"(?:1/4|¼|quarter)[- ]?(?:inch|in\.?|\x22|”)?|6\.35?\s?mm",
            r"(?:1/8|⅛)[- ]?(?:inch|in\.?|\x22|”)?|3\.5\s?mm|mini(?:ature)?[- ]?(?:jack|phone)"
            r"|stereo mini(?:ature)?",
            r"5[- ]?pin",
            "speakon",
        )
    ),
    # USB sockets.
    _group(
        (
            r"usb[- ]?c|(?:usb )?type[- ]?c",
            r"usb[- ]?b|(?:usb )?type[- ]?b|usb b type",
            # Roland's spec sheets write "USB port: MicroB type".
            r"micro[- ]?usb|usb micro[- ]?b?|micro[- ]?b(?: type)?",
            r"mini[- ]?usb|usb mini[- ]?b?",
            r"usb[- ]?a|(?:usb )?type[- ]?a",
        ),
        gear=True,
    ),
    _group(
        ("aa", "aaa"), gear=True
    ),  # battery sizes; not 9 V, which pages mostly say of an adaptor
    _group(("bluetooth", r"wi-?fi|wireless lan|wlan"), gear=True),
    # Microphones' polar patterns, guitars' pickups, headphones' fit.
    _group(
        (
            "cardioid",
            r"super[- ]?cardioid",
            r"hyper[- ]?cardioid",
            r"omni(?:[- ]?directional)?",
            r"figure[- ](?:8|of[- ]eight)|bi-?directional",
        ),
        gear=True,
    ),
    _group((r"single[- ]coils?", r"humbuck(?:ers?|ing)", r"p-?90s?"), gear=True),
    _group((r"over[- ]ear|circumaural", r"on[- ]ear|supra-?aural", r"in[- ]ear"), gear=True),
    # Key actions; not "weighted" alone, which a semi-weighted keyboard is too.
    _group(
        (
            r"hammer[- ]action|fully[- ]weighted|graded[- ]hammer",
            r"(?:semi|half)[- ]weighted",
            r"synth[- ]action|unweighted|non[- ]weighted",
        )
    ),
    # Metal, brass and bronze only as what a part is made of: customers ask about metal the
    # genre as often, and a page's "strings and brass" are sounds.
    _group(
        (
            "wood|wooden",
            "plastic(?:ky)?",
            rf"aluminum|aluminium|steel|metal(?=\s+{_PARTS})",
            rf"brass(?=\s+{_PARTS})",
            rf"bronze(?=\s+{_PARTS})|b20",
        )
    ),
    # Woods of shells and bodies; not oak, rosewood or ebony, which pages name as finishes.
    _group(
        (
            "maple",
            "birch",
            "mahogany",
            "walnut",
            "poplar",
            "alder",
            "basswood",
            "spruce",
            "cedar",
            "beech",
            "bubinga",
            "purpleheart",
        )
    ),
    # Computers and phones; not "PC", which a MIDI page means as Program Change.
    _group(
        (
            "Windows|WINDOWS",
            "Mac|MAC|Macs|macOS|MacOS|Mac OS(?: X)?|OS X|Macintosh|MacBook|iMac",
            "iOS|IOS|iPadOS|iPad|iPhone",
            "Android|ANDROID",
            "Linux|LINUX",
            "Chromebook|Chrome ?OS",
        ),
        proper=True,
    ),
)
# "only for the Mac", "Windows only?": a word of exclusion right before the way named, or after
# it at the end of a clause ("my Mac only has USB-C" is no such question, nor is "with just an
# iPad", which asks whether the iPad is enough).
_ONLY_BEFORE = re.compile(
    r"\b(?:only|solely|exclusively)\s+(?:for|on|in)\s+(?:(?:the|a|an)\s+)?$", re.I
)
_ONLY_AFTER = re.compile(r"\s+(?:only|exclusively)\s*(?:[?!.,;]|$)", re.I)
_ONLY_REACH = 24  # "exclusively for the " and no further back
# Before a way named in the question: the customer's own gear, or a comparison.
_OWNED = re.compile(
    r"\b(?:my|our)\b|\b(?:with|like|than|for|to)\s+(?:a|an|the)\s+(?:[\w'-]+\s+)?$", re.I
)
# "Can I buy it anywhere besides Roland Cloud?": the words after it name the one way asked
# past. Not at the question's start: "besides the loops, are there percussion hits?" asks
# about something more.
_BESIDES = re.compile(
    r"(?<=\w\s)(?:besides|other than|apart from|aside from|except(?: for)?|instead of)\s+"
    r"((?:the\s+|a\s+|an\s+|my\s+)?[\w'-]+(?:\s+[\w'-]+){0,2})",
    re.I,
)
# "available exclusively through Roland Cloud", "use only the FS-5U"; not the praise of "not
# only ... but". What it allows follows within a few words.
_EXCLUSIVE = re.compile(r"\bexclusive(?:ly)?\b|(?<!\bnot )\bonly\b", re.I)
_ALLOWED_WORDS = 5
_WORD = re.compile(r"[\w'-]+")


def named_otherwise(question: str, text: str) -> bool:
    """``text`` names a property the question asks about only in another way than it does."""
    for group in _GROUPS:
        said = [way.search(text) is not None for way in group.said]
        asked = [i for i, way in enumerate(group.asked) if _asked(question, way, group.gear)]
        if asked and any(said) and not any(said[i] for i in asked):
            return True
        alone = [i for i in asked if _only(question, group.asked[i])]
        if alone and any(said[i] for i in range(len(said)) if i not in alone):
            return True
    return False


def _asked(question: str, way: re.Pattern[str], gear: bool) -> bool:
    """The question names ``way``; for a ``gear`` group, as the product's, not as the
    customer's own gear ("my USB-C laptop", "like a cardioid"), which the product may well
    work with."""
    return any(
        not gear or not _OWNED.search(question[: found.start()].rsplit(",", 1)[-1])
        for found in way.finditer(question)
    )


def _only(question: str, way: re.Pattern[str]) -> bool:
    """The question asks whether it is ``way`` alone: "Windows only?", "only for the Mac?"."""
    return any(
        _ONLY_BEFORE.search(question, max(0, found.start() - _ONLY_REACH), found.start())
        or _ONLY_AFTER.match(question, found.end())
        for found in way.finditer(question)
    )


def named_alone(question: str, text: str) -> bool:
    """The question asks past one way ("besides Roland Cloud", "other than the FS-5U") and
    ``text`` says that way is the only one ("exclusively through Roland Cloud")."""
    past = [named for found in _BESIDES.finditer(question) if (named := terms(found.group(1)))]
    if not past:
        return False
    for exclusive in _EXCLUSIVE.finditer(text):
        allowed = terms(" ".join(_WORD.findall(text, exclusive.end())[:_ALLOWED_WORDS]))
        if any(named <= allowed for named in past):
            return True
    return False
