"""Ways of naming one property where a page naming it one way answers a question naming it
another: open-back or closed-back, an XLR or a 1/4-inch jack, a wood or a plastic key.

A customer asks one way ("does it have XLR outputs?") and the unit that answers names the
property only another way ("Outputs: 1/4-inch phone type"): the answer is no. A product may
have both kinds of jack; a unit naming only one of them still answers for the jacks it lists.
"""

from __future__ import annotations

import re

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
    )
)


def named_otherwise(question: str, text: str) -> bool:
    """``text`` names a property the question asks about only in another way than it does."""
    for ways in _GROUPS:
        said = [way.search(text) is not None for way in ways]
        asked = [i for i, way in enumerate(ways) if way.search(question)]
        if asked and any(said) and not any(said[i] for i in asked):
            return True
    return False
