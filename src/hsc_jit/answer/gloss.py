"""A Hebrew question put in the English words of the manual it asks about.

Customers in Israel ask in Hebrew about products whose manuals are English. A Hebrew question
shares only its Latin model names with such a manual, and the sentence model reads Hebrew as
single letters, so its pages were ranked at random and the answer refused. The question's
Hebrew words are looked up in a lexicon of the words customers use about instruments and their
manuals (``hebrew_lexicon.tsv``: a Hebrew word, then the English words a manual uses for it),
after the one-letter prefixes Hebrew writes onto a word ("והאוזניות" is "and the headphones")
and a plural or construct ending; Latin words and numbers stay as typed. The English gloss is
then searched and answered like an English question, while the customer is answered in Hebrew.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

from hsc_jit.answer.question import QUESTION_WORDS, understand
from hsc_jit.text.language import detect, ordinary_finals

_LEXICON = "hebrew_lexicon.tsv"
# One-letter words written onto the next: and, the, in, to, from, that, as.
_PREFIXES = "והבלמשכ"
_MAX_PREFIXES = 2  # "וה", "מה", "שב", ...
# A word cut shorter than this is another word: "שקל" (shekel) is not "קל" (light), "עצה"
# (advice) not "עץ" (wood).
_MIN_CUT = 3
_GERESH = "'׳\"״’"
# A Hebrew word with its geresh or gershayim ("בלוטות'", "מ\"מ") or joined by a hyphen to the
# next ("יו-אס-בי"), or a Latin word or number with the punctuation inside a model code
# ("TR-8S", "3.5", "FP־30X" with a Hebrew hyphen).
_WORD = re.compile(
    rf"[\u05d0-\u05ea]+(?:(?:[{_GERESH}]|-(?=[\u05d0-\u05ea]))[\u05d0-\u05ea]*)*"
    r"|[A-Za-z0-9]+(?:[-./\u05be][A-Za-z0-9]+)*"
)
_HEBREW = re.compile(r"[\u05d0-\u05ea]")
_GERESH_MARK = re.compile(f"[{_GERESH}]")
# What צריך, חייב and their forms gloss to (not צריכה, which is also "consumption").
_NEED = "need"
_NEGATIONS = frozenset({"no", "not", "without"})
# A question mark, as a customer ends a question with it ("?", "?!", "??").
_ASKED = re.compile(r"\?[?!]*\s*$")


@cache
def _lexicon() -> dict[str, str]:
    entries: dict[str, list[str]] = {}
    for line in _lexicon_text().splitlines():
        hebrew, _, english = line.partition("\t")
        if hebrew and english:
            words = entries.setdefault(_key(hebrew), [])  # a word met twice keeps both readings
            # "-": an everyday word that is no other word with a prefix ("מעולה", excellent,
            # is not "מ" + "עולה", costs), and says nothing to search for.
            words.extend(w for w in english.split() if w not in words and w != "-")
    return {hebrew: " ".join(english) for hebrew, english in entries.items()}


@cache
def _lexicon_text() -> str:
    return (files("hsc_jit.answer") / _LEXICON).read_text(encoding="utf-8")


def _key(word: str) -> str:
    """A Hebrew word as looked up: without its geresh or quotes and its final letters made
    ordinary ("בלוטות'" and "בלוטות" meet)."""
    return ordinary_finals(_GERESH_MARK.sub("", word))


def english_gloss(question: str) -> str | None:
    """``question`` in the manual's English words; None for a question not in Hebrew."""
    if detect(question) != "he":
        return None
    lexicon = _lexicon()
    words = []
    for token in _WORD.findall(question):
        if not _HEBREW.search(token):
            words.append(token.replace("\u05be", "-"))
            continue
        # A hyphenated word the lexicon lacks is looked up part by part ("תת-צעדים").
        key = _key(token)
        parts = [key] if key in lexicon else key.split("-")
        words.extend(found for part in parts if (found := _look_up(part, lexicon)))
    gloss = " ".join(words)
    if not gloss or not _ASKED.search(question):
        return gloss
    # Hebrew asks yes or no by the question mark alone ("יש לו יציאת אוזניות?"), where English
    # puts "does" first: a question with no question word is such a question.
    glossed = set(gloss.casefold().split())
    if glossed.intersection(QUESTION_WORDS):
        return f"{gloss}?"
    # "אני צריך לשים מיקרופון?" asks what English asks as "do I need ...?": whether the customer
    # is spared a burden (question._BURDEN). Not "can I use it without needing ...": a question
    # that asks otherwise, or with a negation, keeps its own reading.
    if _NEED in words and not _NEGATIONS & glossed:
        rest = [w for w in words if w != _NEED]
        if rest[:1] == ["does"]:  # "האם": "do I need" stands for it
            rest = rest[1:]
        if not understand(" ".join(rest)).polar:
            return f"do i need {' '.join(rest)}?"
    if not understand(gloss).polar:
        gloss = f"does {gloss}"
    return f"{gloss}?"


def _look_up(word: str, lexicon: dict[str, str]) -> str | None:
    """The word as the lexicon has it, else without one or two prefix letters, each form also
    as its singular or absolute form ("אנלוגיים" → "אנלוגי", "ערכות" → "ערכה", "רמת" → "רמה")."""
    for cut in range(min(_MAX_PREFIXES, len(word) - 1) + 1):
        if cut and word[cut - 1] not in _PREFIXES:
            return None
        for form in _forms(word[cut:]):
            if (form == word or len(form) >= _MIN_CUT) and form in lexicon:
                return lexicon[form]
    return None


def _forms(stem: str) -> Iterator[str]:
    yield stem
    if stem.endswith("ימ"):
        yield stem[:-2]
    elif stem.endswith("ות"):
        yield stem[:-2]
        yield stem[:-2] + "ה"
    elif stem.endswith("ת"):
        yield stem[:-1] + "ה"
