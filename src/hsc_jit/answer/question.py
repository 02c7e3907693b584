"""What a question asks: its type, whether it wants a yes or no, and the thing it is about.

Rules, not a model: the types are few and signalled by a handful of phrasings ("how many",
"does it come with", "can I use it with", "how do I"), and a rule says why it fired. The thing
asked about is the question's content words, widened by the words manuals use for the same
thing ("keys" ~ "note keyboard", "in the box" ~ "included", "weigh" ~ "kg"), and the kind of
value it wants, if any (``answer/values.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from hsc_jit.answer.terms import terms
from hsc_jit.answer.values import asked_values
from hsc_jit.retrieve.lexicon import customer_words

Kind = Literal["number", "inclusion", "compatibility", "procedure", "lookup"]

# A yes/no question opens with an auxiliary ("does it ...", "are the pads ..."), or a later
# clause does with its subject after it ("my floor slopes, will it rock?").
_AUXILIARY = (
    r"(?:do|does|did|is|are|was|were|can|could|will|would|should|has|have|had|may|must|"
    r"isn'?t|doesn'?t|don'?t|can'?t|won'?t|aren'?t)"
)
_SUBJECT = r"(?:i|it|the|this|these|they|you|my|we|there|a|an|that)\b"
_POLAR_START = re.compile(
    rf"^\s*(?:(?:and|so|but|also|hi|hey|ok|okay|quick question)[,:]?\s+)*{_AUXILIARY}\b"
    rf"|(?:[,;:.!?]\s*|\b(?:and|so|but|then)\s+){_AUXILIARY}\s+{_SUBJECT}"
    # "if I play it at a gig will the crowd hear the click?": the main clause after the
    # condition, with no comma between ("..., how do I" is no yes/no question).
    rf"|^\s*if\b[^?]*?\s(?<!\bhow\s)(?<!\bwhat\s)(?<!\bwhere\s)(?<!\bwhich\s)(?<!\bwhen\s)"
    rf"(?<!\bwhy\s){_AUXILIARY}\s+{_SUBJECT}",
    re.I,
)
# "is it true that", "any chance it ..." and "I wonder if" ask for a yes or no too.
_POLAR_ANYWHERE = re.compile(
    r"\b(?:is there|are there|is it possible|any chance|wonder if)\b", re.I
)
QUESTION_WORDS = ("how", "what", "which", "where", "when", "why", "who")
_NOT_POLAR = re.compile(rf"^\s*(?:{'|'.join(QUESTION_WORDS)})\b", re.I)
_NUMBER = re.compile(
    r"\bhow (?:many|much|long|big|heavy|large|small|wide|tall|deep|far|loud|fast|old)\b|"
    r"\bwhat(?:'s| is| are)? (?:the )?(?:size|weight|dimensions?|length|height|width|depth|"
    r"number|amount|capacity|resolution|sample rate|bit depth|wattage|power|battery life|"
    r"polyphony|max(?:imum)?|min(?:imum)?)\b|"
    r"\b(?:number of|weigh|weight|dimensions|polyphony|battery life|sample rate|bit depth)\b",
    re.I,
)
_INCLUSION = re.compile(
    r"\b(?:come[s]? with|included|include[sd]?|in the box|bundled?|supplied|"
    r"separately|ship[s]? with|part of the package|what do i get|get with it)\b",
    re.I,
)
_COMPATIBILITY = re.compile(
    r"\b(?:work[s]? with|compatible|compatibility|use (?:it|this|them|my [\w-]+) with|"
    r"connect (?:it )?to|hook (?:it )?up|plug (?:it )?into|support[s]?|run on|"
    r"with (?:my|an?) (?:ipad|iphone|mac|pc|computer|laptop|android|windows|daw))\b",
    re.I,
)
_PROCEDURE = re.compile(
    r"\bhow (?:do|can|should|would) (?:i|you|we)\b|\bhow to\b|\bsteps? to\b|"
    r"\bwhat(?:'s| is) the (?:way|procedure) to\b",
    re.I,
)
# "What comes in the box?": the words of the phrase ask whether something is included, they
# are not the thing asked about (a manual's "stage box" or "DI box" answers nothing).
_INCLUSION_PHRASE = re.compile(
    r"\b(?:(?:comes?|ships?|shipped) (?:in the box|with it|with)|in the box|what do i get|"
    r"part of the package)\b",
    re.I,
)
_INCLUDED_WORDS = frozenset({"includ", "suppli", "bundl", "accessori"})
# Words of five letters or more that the rules here and in ``answer/values.py`` read a
# question's kind from, as customers type them: a slip in one ("haevy", "whichh") loses what
# kind of question it is, and the manual that answers "how heavy?" need not use the word
# "heavy" for the slip to be mended to it (``answer/spelling.py``). Keep it beside the patterns.
_ASKING = (
    "which where heavy heaviness weigh weighs weight dimensions length depth width height "
    "large small number amount capacity resolution maximum minimum include included includes "
    "supplied bundled separately compatible compatibility connect support supports polyphony "
    "voices battery batteries impedance price prices expensive power watts wattage frequency "
    "tempo colour colours color colors finish finishes version"
)
ASKING_WORDS = frozenset(_ASKING.split())

# Phones type "doesn’t" and "what’s" (smart punctuation); the patterns read "'".
_APOSTROPHES = str.maketrans("’‘ʼ", "'''")

# "Do I need to buy ...?", "... separately?": a yes means the thing is not included.
_NEED = re.compile(r"\b(?:need|have) to buy\b|\bneed an?\b|\bseparately\b", re.I)
# "Do I need ...?", "will I have to ...?", "is a driver required?": a burden the customer hopes
# to be spared, and pages that speak of it mostly spare it ("no need", "included", "free",
# "ready to play"); on the tuning half 13 of 14 such questions are answered no.
_BURDEN = re.compile(
    r"\bmust (?:i|you|we)\b|"
    r"\b(?:do|will|would|does|should) (?:i|you|we) (?:\w+ )?(?:need|have to)\b|"
    r"\b(?:is|are) (?:\w+ ){0,3}?(?:necessary|required|needed)\b",
    re.I,
)

# "..., or do I ...", "... or just the internal sounds?", "... or sold separately?": where an
# either-or question's second alternative starts ("a 1/4 or XLR input" offers no alternative).
_ALTERNATIVE = re.compile(
    r",?\s+or\s+(?=(?:do|does|is|are|will|would|can|should|must|just|only|sold|bought|"
    r"separately|i|you|we)\b)",
    re.I,
)

# "what's", "I'm", "grandmother's": the clitic is no content word, and left on it hides a stop
# word ("what's" is not "what") or the word itself ("grandmother's" is not "grandmother").
_NEGATED_CLITIC = re.compile(r"\b(?:(wo)|(ca)|(\w+))n['’]t\b", re.I)
_CLITIC = re.compile(r"['’](?:s|m|re|ve|ll|d)\b", re.I)


@dataclass(frozen=True, slots=True)
class Intent:
    """What the question asks: ``kind``, whether it wants yes/no, and its content words."""

    kind: Kind
    polar: bool
    focus: frozenset[str]  # the question's stemmed content words
    related: frozenset[str]  # words a manual may use for them instead
    # "in the box" asks for a manual's words for included things, whatever the item
    included: frozenset[str]
    need: bool  # "do I need ...", "... separately": the answer's yes means "not included"
    burden: bool  # "do I need / will I have to ...": asked by a customer hoping to be spared it
    values: frozenset[str]  # the kinds of value asked for ("weight" for "how heavy")


@lru_cache(maxsize=4096)
def understand(question: str) -> Intent:
    text = question.translate(_APOSTROPHES).strip()
    polar = bool(_POLAR_START.search(text) or _POLAR_ANYWHERE.search(text)) and not (
        _NOT_POLAR.match(text)
    )
    kind: Kind
    if _INCLUSION.search(text):
        kind = "inclusion"
    elif _NUMBER.search(text):
        kind = "number"
    elif _PROCEDURE.search(text):
        kind = "procedure"
    elif _COMPATIBILITY.search(text):
        kind = "compatibility"
    else:
        kind = "lookup"
    phrased = kind == "inclusion" and _INCLUSION_PHRASE.search(text)
    asked = _INCLUSION_PHRASE.sub(" ", text) if phrased else text
    focus = terms(plain(asked))
    # As typed, as the page ranker reads it: "won't turn on" is a customer's phrase.
    related = customer_words().related(asked) - focus
    first = first_alternative(text)
    burden = polar and bool(_BURDEN.search(first))
    need = burden or (polar and bool(_NEED.search(first)))
    return Intent(
        kind=kind,
        polar=polar,
        focus=focus,
        related=related,
        included=_INCLUDED_WORDS - focus - related if phrased else frozenset(),
        need=need,
        burden=burden,
        values=asked_values(text),
    )


def first_alternative(question: str) -> str:
    """The alternative of an either-or question that a "Yes" answers: "is the pedal included or
    do I buy it separately?" is a yes when it is included. Other questions are their own."""
    return _ALTERNATIVE.split(question, maxsplit=1)[0]


def plain(text: str) -> str:
    """``text`` with its contractions spelt out: "won't" → "will not", "what's" → "what"."""
    text = _NEGATED_CLITIC.sub(
        lambda m: f"{'will' if m.group(1) else 'can' if m.group(2) else m.group(3)} not", text
    )
    return _CLITIC.sub("", text)
