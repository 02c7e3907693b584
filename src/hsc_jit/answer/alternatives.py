"""Ways of naming one property where a page naming it one way answers a question naming it
another: open-back or closed-back, an XLR or a 1/4-inch jack, a wood or a plastic key.

A customer asks one way ("does it have XLR outputs?") and the unit that answers names the
property only another way ("Outputs: 1/4-inch phone type"): the answer is no. A product may
have both kinds of jack; a unit naming only one of them still answers for the jacks it lists.
"""

from __future__ import annotations

import re

from hsc_jit.answer.terms import terms

_GROUPS: tuple[tuple[re.Pattern[str], ...], ...] = tuple(
    tuple(re.compile(rf"(?<![\w.-])(?<!\d/)(?:{way})(?!\w)", re.I) for way in ways)
    for ways in (
        ("open", "closed"),
        ("internal", "external"),
        ("mono", "stereo"),
        ("analog|analogue", "digital"),
        ("wired", "wireless"),
        ("active", "passive"),
        ("tubes?|valves?", "solid[- ]state"),
        ("condenser", "dynamic"),
        ("monophonic", "polyphonic"),
        ("balanced", "unbalanced"),
        # Connectors.
        (
            "xlr",
            "rca",
            r"(?:1/4|¼|quarter)[- ]?(?:inch|in\.?|\x22|”)?|6\.35?\s?mm",
            r"(?:1/8|⅛)[- ]?(?:inch|in\.?|\x22|”)?|3\.5\s?mm|mini(?:ature)?[- ]?(?:jack|phone)"
            r"|stereo mini(?:ature)?",
            r"5[- ]?pin",
            "speakon",
        ),
        # Not "metal": customers ask about the genre as often.
        ("wood|wooden", "plastic(?:ky)?", "aluminum|aluminium|steel"),
        # Computers and phones: "PC" is how customers say Windows.
        (
            "windows|pc",
            "mac|macs|macos|mac os(?: x)?|os x|macintosh|macbook|imac",
            "ios|ipados|ipad|iphone",
            "android",
            "linux",
            "chromebook|chrome ?os",
        ),
    )
)
# "only for the Mac", "Windows only": a word of exclusion right before or after the way named.
# Not "with just an iPad": that asks whether the iPad is enough, not whether it is all.
_ONLY_BEFORE = re.compile(
    r"\b(?:only|solely|exclusively)\s+(?:(?:for|on|in|with)\s+)?(?:(?:the|a|an)\s+)?$", re.I
)
_ONLY_AFTER = re.compile(r"\W+(?:only|exclusively)\b", re.I)
_ONLY_REACH = 24  # characters before the way named
# "Can I buy it anywhere besides Roland Cloud?": the words after it name the one way asked past.
_BESIDES = re.compile(
    r"\b(?:besides|other than|apart from|aside from|except(?: for)?|instead of)\s+"
    r"((?:the\s+|a\s+|an\s+|my\s+)?[\w'-]+(?:\s+[\w'-]+){0,2})",
    re.I,
)
# "available exclusively through Roland Cloud", "use only the supplied adapter"; not the praise
# of "not only ... but".
_EXCLUSIVE = re.compile(r"\bexclusive(?:ly)?\b|(?<!\bnot )\bonly\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


def named_otherwise(question: str, text: str) -> bool:
    """``text`` names a property the question asks about only in another way than it does."""
    for ways in _GROUPS:
        said = [way.search(text) is not None for way in ways]
        asked = [i for i, way in enumerate(ways) if way.search(question)]
        if asked and any(said) and not any(said[i] for i in asked):
            return True
        alone = [i for i in asked if _only(question, ways[i])]
        if alone and any(said[i] for i in range(len(ways)) if i not in alone):
            return True
    return False


def _only(question: str, way: re.Pattern[str]) -> bool:
    """The question asks whether it is ``way`` alone: "Windows only?", "just for the Mac?"."""
    return any(
        _ONLY_BEFORE.search(question, max(0, found.start() - _ONLY_REACH), found.start())
        or _ONLY_AFTER.match(question, found.end())
        for found in way.finditer(question)
    )


def named_alone(question: str, text: str) -> bool:
    """The question asks past one way ("besides Roland Cloud", "other than the FS-5U") and
    ``text`` says that way is the only one ("exclusively through Roland Cloud")."""
    past = [terms(found.group(1)) for found in _BESIDES.finditer(question)]
    return any(
        _EXCLUSIVE.search(sentence) and named & terms(sentence)
        for named in past
        if named
        for sentence in _SENTENCE.split(text)
    )
