"""Ways of naming one property where a page naming it one way answers a question naming it
another: open-back or closed-back, an XLR or a 1/4-inch jack, a wood or a plastic key.

A customer asks one way ("does it have XLR outputs?") and the unit that answers names the
property only another way ("Outputs: 1/4-inch phone type"): the answer is no. A product may
have both kinds of jack; a unit naming only one of them still answers for the jacks it lists.
"""

from __future__ import annotations

import re

Ways = tuple[re.Pattern[str], ...]

_GROUPS: tuple[Ways, ...] = tuple(
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
    )
)


def _asked_ways(question: str) -> tuple[tuple[Ways, Ways], ...]:
    """Each property the question names, as (the ways it names it, all the ways)."""
    found = []
    for ways in _GROUPS:
        asked = tuple(way for way in ways if way.search(question))
        if asked:
            found.append((asked, ways))
    return tuple(found)


def named_otherwise(question: str, text: str) -> bool:
    """``text`` names a property the question asks about only in another way than it does."""
    return any(
        not any(way.search(text) for way in asked) and any(way.search(text) for way in ways)
        for asked, ways in _asked_ways(question)
    )
