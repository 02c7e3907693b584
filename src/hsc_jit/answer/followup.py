"""A follow-up question rewritten to stand alone, from the conversation's earlier questions.

Customers ask in a row: "how do I connect the kick pad?", then "and the hi-hat?". Ranking the
manual's pages needs the whole question, so an elliptical follow-up borrows from the most recent
earlier question (itself already standalone):

- a fragment ("and the hi-hat?", "which damper pedal?") takes the place of the earlier question's
  matching noun phrase; a scenario ("what about in live mode?") replaces the earlier phrase that
  opens with the same preposition, or is appended;
- a question with a pronoun and almost no words of its own ("how long do they last?", "how do I
  undo that?") gets the earlier question's topic in place of the pronoun; "that" after a
  "how do I ..." question becomes its action ("undo clearing a loop");
- a bare question frame ("and how many?", "how long for?") is put in front of the earlier
  question.

Anything else already stands alone and is returned as typed. Rules, not a model: same input,
same output, in tens of microseconds. Hebrew gets the common "and X?" / "what about X?" forms
("ו", "ומה עם", "ומה לגבי") and a pronoun ("את זה") replaced by the earlier topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hsc_jit.answer.question import understand
from hsc_jit.answer.terms import terms

# Longer texts are not elliptical, and no longer earlier question is copied: bounds the output.
_MAX_CHARS = 300
# A question with a pronoun and at most this many content words of its own borrows the earlier
# topic; with more it names its own. "it" and "they" are often the product itself, which needs
# no resolving; "that", "one" stand for the earlier thing (both chosen on the tuning half).
_THIN_IT = 0
_THIN_THAT = 1
# An unframed text of at most this many words is a fragment ("and the second crash pad?").
_FRAGMENT_WORDS = 6
# The earlier topic put in place of a pronoun is at most this many words.
_TOPIC_WORDS = 12

_TOKEN = re.compile(r"\w+(?:[-:'’./]\w+)*")
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_CONNECTIVE = re.compile(r"^(?:(?:and|also|so|ok|okay|then|but|well|oh|hmm+)\b[\s,:]*)+", re.I)
_ABOUT = re.compile(r"^(?:what|how)\s+about\b[\s,:]*|^what\s+of\s+", re.I)
_HE_ABOUT = re.compile(r"^ו?מה\s+(?:עם|לגבי)\s+")
_HE_AND = re.compile(r"^ו-?")
_HE_ARTICLE = re.compile(r"^ה-?(?=[A-Za-z0-9])")
_HE_FRAME = re.compile(r"^(?:איך|מה|כמה|האם|למה|איפה|מתי|אפשר|יש|אם|איזה|איזו|באיזה|מי)(?!\S)")
_HE_PRONOUN = re.compile(r"(?:את\s+)?(?<!\S)(?:זה|זאת|אותו|אותה|אותם|אותן)(?!\S)")
_FRAME = re.compile(
    r"^(?:how|what|what's|what’s|whats|which|where|when|why|who|whose|is|are|am|was|were|do|"
    r"does|did|can|could|will|would|should|shall|may|might|must|has|have|had|isn't|aren't|"
    r"doesn't|don't|didn't|can't|won't|wouldn't|shouldn't|any|tell|show|explain|i|i'm|my|"
    r"please)\b",
    re.I,
)
# The question word and its measure ("how many", "what's"): the frame, not the topic.
_WH = re.compile(
    r"^(?:how(?:\s+(?:many|much|long|often|far|big|heavy|large|loud|old|fast|deep|wide|"
    r"tall|high|low))?|what(?:'s|’s)?|whats|which|where|when|why|who)\b",
    re.I,
)
_WH_FRAGMENT = re.compile(r"^(?:how\s+(?:many|much)|what|which)\s+", re.I)
_AUXILIARY = re.compile(
    r"^(?:(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|had|may|must)"
    r"\s+)?(?:(?:i|you|we|it|there)\s+)?",
    re.I,
)
_PROCEDURE = re.compile(
    r"^\s*how\s+(?:(?:do|can|could|should|would|will)\s+(?:i|you|we)|to)\s+"
    r"(?P<verb>[a-z]+)(?P<rest>[^?!]*)",
    re.I,
)
# A topic opens with its first content word or determiner ("before the td-17 ..." → "the td-17").
_LEADING = re.compile(r"^(?:(?:before|after|in|on|at|with|for|to|from|of|about)\s+)+", re.I)
# The earlier question up to its asker: "can I", "how do I".
_SUBJECT = re.compile(
    r"^(?:how\s+)?(?:do|does|can|could|should|would|will|is|are)\s+(?:i|you|we)\b", re.I
)
_DO_PRONOUN = re.compile(r"\bdo\s+(?:that|it|this|the\s+same)\b", re.I)
_ENDING = re.compile(r"[\s?!.…,;:]+$")
_TRAILING = re.compile(
    r"(?:\s+(?:too|as\s+well|also|instead|then|for|then\s+please|please))+$", re.I
)
_PRONOUNS = frozenset(
    ["it", "its", "they", "them", "their", "those", "these", "that", "this", "one", "ones", "own"]
)
_PERSONAL = frozenset(["it", "its", "they", "them", "their"])
# Pronouns that stand alone only when no noun follows ("that level", "one hand", "my own
# sounds" are not).
_DETERMINER_LIKE = frozenset(["that", "this", "those", "these", "one", "ones", "own"])
# A run after one of these is the action ("do I [connect]", "it [works]"), not a thing.
_SUBJECTS = frozenset(["i", "you", "we", "to", "it", "they", "still", "not", "also", "just"])
_DETERMINERS = frozenset(["the", "a", "an", "my", "your", "our", "their", "his", "her"])
_PREPOSITION = re.compile(
    r"^(?:in|on|at|with|without|for|to|from|during|over|via|under|into|through|when|while|if|"
    r"after|before|using)$",
    re.I,
)
# Words that ask nothing of their own in a follow-up ("how long do they last?").
_GENERIC = terms(
    "long last take happen come back instead still too also again else exactly really thank "
    "thanks ok okay great cool sure then"
) | terms(" ".join(_PRONOUNS))
# Verbs that follow a product or accessory in a question ("which stand fits", "does it come
# with"): they end a noun phrase, so a fragment replaces the noun and keeps the verb.
_VERBS = terms(
    "fit fits work works come comes go goes run runs take takes uses support supports needs "
    "hold holds include includes last lasts connect connects sync syncs plug plugs save saves "
    "load loads gets makes send sends turn turns weigh weighs accept accepts handle handles "
    "store stores cost costs keep keeps stay stays ship ships remember remembers host hosts"
)


@dataclass(frozen=True, slots=True)
class _Run:
    """A run of content words in the earlier question, by character span."""

    start: int
    end: int
    text: str
    wh_object: bool  # right after the question word: "how many [patches]", "which [stand]"
    verb: bool  # right after "do I", "can you": the action, not a thing
    digits: bool


def standalone(text: str, earlier: Sequence[str]) -> str:
    """``text`` as a question that stands alone, given the customer's earlier questions.

    ``earlier`` are the conversation's earlier questions, oldest first, each already standalone
    (the previous results of this function). ``text`` comes back unchanged when it names its own
    subject or action, when there is no earlier question, or when it is too long to be a
    follow-up.
    """
    if not earlier or len(text) > _MAX_CHARS or not text.strip():
        return text
    previous = _ENDING.sub("", earlier[-1].strip()[:_MAX_CHARS])
    if not previous:
        return text
    body = _ENDING.sub("", text.strip())
    if _HEBREW.search(body):
        return _hebrew(text, body, previous)
    rest = _CONNECTIVE.sub("", body)
    about = _ABOUT.match(rest)
    if about:
        rest = rest[about.end() :]
        head, comma, tail = rest.partition(",")
        if comma and _FRAME.match(tail.strip()):
            # "what about live, can I get the click in my in-ears?": a question with a scenario.
            question = standalone(tail.strip(), earlier)
            return f"{_ENDING.sub('', question)} {head.strip()}?"
        return _fragment(text, rest, previous)
    if not _FRAME.match(rest):
        if len(_TOKEN.findall(rest)) <= _FRAGMENT_WORDS:
            return _fragment(text, rest, previous)
        return text
    wh = _WH_FRAGMENT.match(rest)
    if wh and _only_content(rest[wh.end() :]):
        # "and which damper pedal?", "how many favorites?": a noun phrase with its question word.
        return _wh_fragment(text, wh.group(0), rest[wh.end() :], previous)
    return _framed(text, rest, previous)


def _framed(text: str, rest: str, previous: str) -> str:
    """A question with its own frame: its pronoun resolved, or the earlier question under it."""
    pronoun = _pronoun(list(_TOKEN.finditer(rest)))
    own = terms(rest) - _GENERIC
    done = _DO_PRONOUN.search(rest)
    procedure = _procedure(previous)
    if done and procedure is not None:
        # "can I do that with my foot?": the earlier action itself.
        action = _action(procedure, gerund=False)
        return f"{rest[: done.start()]}{action}{rest[done.end() :]}?"
    thin = _THIN_IT if pronoun is not None and pronoun.group(0).lower() in _PERSONAL else _THIN_THAT
    if pronoun is not None and (done or len(own) <= thin):
        topic = _topic(previous, pronoun.group(0))
        return f"{rest[: pronoun.start()]}{topic}{rest[pronoun.end() :]}?"
    if pronoun is None and not own:
        # "and how many?", "how long for?": this frame over the earlier question's words.
        frame = _TRAILING.sub("", rest)
        return f"{frame} {_without_wh(previous)}?"
    return text


def _fragment(text: str, fragment: str, previous: str) -> str:
    """The earlier question with ``fragment`` in place of its matching phrase."""
    fragment = _TRAILING.sub("", fragment.strip())
    words = _TOKEN.findall(fragment)
    if not words or not (terms(fragment) - _GENERIC):
        return text  # "ok thanks", "really?": nothing to ask about
    if _PREPOSITION.match(words[0]):
        return _scenario(fragment, words[0], previous)
    subject = _SUBJECT.match(previous)
    if subject and words[0].lower().endswith("ing") and len(words[0]) > 4:
        # "what about playing along with my phone?": a new action for the earlier asker.
        return f"{subject.group(0)} {fragment}?"
    fragment = _without_determiner(fragment)
    run = _best_run(_runs(previous), fragment)
    if run is None:
        return f"{previous} {fragment}?"
    return f"{previous[: run.start]}{_replacement(run, fragment)}{previous[run.end :]}?"


def _wh_fragment(text: str, wh: str, noun: str, previous: str) -> str:
    """ "which damper pedal?" after "what stand fits it?": the noun in the earlier frame."""
    noun = _without_determiner(_TRAILING.sub("", noun.strip()))
    run = _best_run(_runs(previous), noun)
    if run is None:
        return text
    earlier_wh = _WH.match(previous)
    same = earlier_wh is not None and _wh_kind(earlier_wh.group(0)) == _wh_kind(wh)
    if same or not run.wh_object:
        return f"{previous[: run.start]}{_replacement(run, noun)}{previous[run.end :]}?"
    return f"{wh.strip()} {noun}{previous[run.end :]}?"


def _scenario(fragment: str, preposition: str, previous: str) -> str:
    """ "and on rechargeables?": replaces the earlier phrase with that preposition, else added."""
    wh = _WH.match(previous)
    start = wh.end() if wh else 0
    found = [
        m.start()
        for m in re.finditer(rf"\b{re.escape(preposition)}\b", previous, re.I)
        if m.start() > start
    ]
    if found:
        return f"{previous[: found[-1]]}{fragment}?"
    return f"{previous} {fragment}?"


def _hebrew(text: str, body: str, previous: str) -> str:
    """The "and X?" and "what about X?" forms, and a pronoun in a Hebrew question."""
    about = _HE_ABOUT.match(body)
    rest = body[about.end() :] if about else _HE_AND.sub("", body, count=1)
    rest = rest.strip()
    if _HE_FRAME.match(rest):
        pronoun = _HE_PRONOUN.search(rest)
        if pronoun is None:
            return text
        topic = _topic(previous, "that")
        return f"{rest[: pronoun.start()]}{topic}{rest[pronoun.end() :]}?"
    if not about and rest == body.strip():
        return text  # no "and", no "what about": a Hebrew text of its own
    return _fragment(text, _HE_ARTICLE.sub("", rest), previous)


def _pronoun(tokens: list[re.Match[str]]) -> re.Match[str] | None:
    """The pronoun standing for an earlier thing ("undo that?", not "that level").

    In "does it have one too?" "it" is the product and "one" the earlier thing, so "that",
    "one" and the like come before "it" and "they".
    """
    found: list[re.Match[str]] = []
    for index, token in enumerate(tokens):
        word = token.group(0).lower()
        if word not in _PRONOUNS:
            continue
        following = tokens[index + 1].group(0) if index + 1 < len(tokens) else None
        if word in _DETERMINER_LIKE and following is not None and terms(following) - _GENERIC:
            continue
        found.append(token)
    return min(found, key=lambda t: t.group(0).lower() in _PERSONAL, default=None)


def _procedure(previous: str) -> re.Match[str] | None:
    """The verb and the rest of a "how do I ..." question, else None."""
    if understand(previous).kind != "procedure":
        return None
    return _PROCEDURE.match(previous)


def _topic(previous: str, pronoun: str) -> str:
    """What a pronoun stands for: the earlier action for "that", else the earlier topic."""
    procedure = _procedure(previous)
    if procedure is not None:
        if pronoun.lower() in ("that", "this"):
            return _action(procedure, gerund=True)
        return _clip(procedure.group("rest").strip())
    words = _AUXILIARY.sub("", _without_wh(previous), count=1)
    return _clip(_LEADING.sub("", words) or words)


def _action(procedure: re.Match[str], gerund: bool) -> str:
    """ "clear a loop on the rc-5" (or "clearing ...") from "how do I clear a loop on the rc-5"."""
    verb = procedure.group("verb")
    return _clip(f"{_gerund(verb) if gerund else verb}{procedure.group('rest')}".strip())


def _gerund(verb: str) -> str:
    """ "clear" → "clearing", "delete" → "deleting", "stop" → "stopping"."""
    lower = verb.lower()
    if lower.endswith("ie"):
        return verb[:-2] + "ying"
    if lower.endswith("e") and not lower.endswith(("ee", "ye", "oe")) and len(lower) > 2:
        return verb[:-1] + "ing"
    vowels = "aeiou"
    short = len(lower) == 3 or (len(lower) == 4 and lower[1] not in vowels)
    if (
        short
        and lower[-1] not in vowels + "wxy"
        and lower[-2] in vowels
        and lower[-3] not in vowels
    ):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _runs(previous: str) -> list[_Run]:
    """Runs of content words of the earlier question, the question word left out."""
    wh = _WH.match(previous)
    start = wh.end() if wh else 0
    runs: list[_Run] = []
    current: list[re.Match[str]] = []
    before = ""  # the word before the run
    last = ""
    for token in _TOKEN.finditer(previous, start):
        word = token.group(0)
        stems = terms(word)
        if stems and current and stems <= _VERBS:
            runs.append(_run(previous, current, before, wh is not None and not runs))
            current, last = [], "it"  # the verb stands alone: a run marked as a verb
        if stems:
            if not current:
                before = last
            current.append(token)
        else:
            if current:
                runs.append(_run(previous, current, before, wh is not None and not runs))
                current = []
            last = word.lower()
    if current:
        runs.append(_run(previous, current, before, wh is not None and not runs))
    return runs


def _run(previous: str, tokens: list[re.Match[str]], before: str, first: bool) -> _Run:
    text = previous[tokens[0].start() : tokens[-1].end()]
    return _Run(
        start=tokens[0].start(),
        end=tokens[-1].end(),
        text=text,
        wh_object=first and before in ("", "the", "a", "an", "my", "of"),
        verb=before in _SUBJECTS,
        digits=any(c.isdigit() for c in text),
    )


def _best_run(runs: list[_Run], fragment: str) -> _Run | None:
    """The earlier phrase a fragment stands in for: one sharing a word, else one like it."""
    wanted = terms(fragment)
    shared = [run for run in runs if terms(run.text) & wanted]
    if shared:
        return max(shared, key=lambda run: len(terms(run.text) & wanted))
    things = [run for run in runs if not run.verb]
    digits = any(c.isdigit() for c in fragment)
    alike = [run for run in things if run.digits == digits]
    for candidates in (alike, things):
        if candidates:
            return next((run for run in candidates if run.wh_object), candidates[0])
    return None


def _replacement(run: _Run, fragment: str) -> str:
    """ "fantom 6 ex" for "the 6" in place of "fantom 7 ex": a lone number swaps a number."""
    if fragment.isdigit():
        words = run.text.split()
        numbers = [i for i, word in enumerate(words) if word.isdigit()]
        if numbers:
            words[numbers[0]] = fragment
            return " ".join(words)
    return fragment


def _without_wh(question: str) -> str:
    found = _WH.match(question)
    return question[found.end() :].strip() if found else question


def _without_determiner(phrase: str) -> str:
    words = phrase.split(maxsplit=1)
    if len(words) == 2 and words[0].lower() in _DETERMINERS:
        return words[1]
    return phrase


def _only_content(phrase: str) -> bool:
    """Nouns only ("damper pedal", "the favorites"), no verb or pronoun after the question word."""
    words = _TOKEN.findall(phrase)
    return (
        bool(words)
        and all(terms(word) or word.lower() in _DETERMINERS for word in words)
        and not any(word.lower() in _PRONOUNS for word in words)
    )


def _wh_kind(wh: str) -> str:
    # "what" and "which" ask the same way; "how many" asks for a number.
    words = wh.lower().split()
    return "what" if words[0].rstrip("'’s") in ("what", "which") else " ".join(words)


def _clip(words: str) -> str:
    tokens = list(_TOKEN.finditer(words))
    if len(tokens) > _TOPIC_WORDS:
        return words[: tokens[_TOPIC_WORDS - 1].end()]
    return words
