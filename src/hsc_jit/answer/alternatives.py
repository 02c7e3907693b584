"""Ways one property is named that cannot all hold of one thing: open-back or closed-back, an
XLR or a 1/4-inch output, a wood or a plastic key.

A customer asks one way ("does it have XLR outs?") and the page that answers names the
property another way ("OUTPUT jacks: 1/4-inch phone type"): the answer is no.
"""

from __future__ import annotations

import re

Ways = tuple[re.Pattern[str], ...]

_GROUPS: tuple[Ways, ...] = tuple(
    tuple(re.compile(rf"(?<![\w/.])(?:{way})(?!\w)", re.I) for way in ways)
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
        ("double|dual", "single"),
        # Connectors.
        (
            "xlr",
            "rca",
            r"(?:1/4|¼|quarter)[- ]?(?:inch|in\.?|\x22|”)?|6\.3\s?mm|trs",
            r"(?:1/8|⅛)[- ]?(?:inch|in\.?|\x22|”)?|3\.5\s?mm|mini(?:ature)?[- ]?(?:jack|phone)"
            r"|stereo mini(?:ature)?",
            r"5[- ]?pin|din",
            "speakon",
        ),
        ("wood|wooden", "plastic(?:ky)?", "metal|aluminum|aluminium|steel"),
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
