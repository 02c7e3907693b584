"""A system version the customer has against the one the manual requires.

"My iPad is on iOS 9, will the editor run?" and the page's "Requires iOS 10.3 or later": the
answer is no, whatever else the page says about the app. Only operating systems named with a
number are compared; a version named without one ("High Sierra") says nothing here, and
neither does a question about the requirement itself ("does it need iOS 17?", "is iOS 9 too
old?"), which the page's sentence answers as it stands. Nor does another thing's requirement:
"the Song app requires iOS 15" says nothing of the editor app asked about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hsc_jit.answer.terms import terms

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
_SYSTEM = "|".join(name.replace(" ", r"\s+") for name in sorted(_SYSTEMS, key=len, reverse=True))
# "Windows® 10", "Android OS 8.0", "macOS 10.15 Catalina or later", "Android 8.0 (Oreo) or later".
_NUMBERED = rf"(?<![\w.-])({_SYSTEM})(?:®|\s+os)?\s*v?(\d+(?:\.\d+)*)(?![\w.])"
_AT_LEAST = re.compile(
    rf"{_NUMBERED}(?:\s*\([^)]*\)|\s+[A-Z][a-z]+)?\s*"
    r"(?:\+|(?:or|and)\s+(?:later|higher|newer|above|up))",
    re.I,
)
# One requirement each: "The editor app requires iOS 12 or later; the Song app requires iOS 15".
_CLAUSE = re.compile(r"[;\n]|\.(?=\s|$)")
# What a requirement is of: the words before "requires" or before the first colon.
_SUBJECT = re.compile(r"([^:]*?)\s*(?:\brequire[sd]?\b|:)", re.I)
_SYSTEM_NAME = re.compile(rf"(?<![\w.-])(?:{_SYSTEM})(?:®|\s+os)?(?![\w.])", re.I)
# Words a requirement or a question about one may say besides the thing it is of: systems,
# devices, running.
_REQUIREMENT_WORDS = terms(
    "app application software version require requirement system later higher newer device "
    "phone tablet computer laptop ipad iphone mac pc ios ipados android windows macos os run "
    "work install open support compatible"
)
# The customer's own system: "on iOS 9", "with Windows 7", "I have Android 6", "running ...".
_OWN = re.compile(rf"\b(?:on|with|running|runs|run|have|has|got|using)\s+{_NUMBERED}", re.I)
# Questions about the requirement itself.
_ABOUT_REQUIREMENT = re.compile(
    r"\b(?:requir\w*|need\w*|upgrad\w*|updat\w*|old|outdated|minimum|support\w*)\b", re.I
)
# Windows 95, 98 and 2000 came before Windows 7.
_WINDOWS_BY_YEAR = 95


def names_own_version(question: str) -> bool:
    """The question names a system version the customer has (and does not ask about the
    requirement itself): only then is there anything to compare."""
    return bool(_owned(question))


def requirement_met(question: str, texts: Iterable[str], asked: frozenset[str]) -> bool | None:
    """Whether the system versions the question says the customer has meet those ``texts``
    require of what it asks about (``asked``: its terms); None when it names none, asks about
    the requirement itself, or no such text requires a version of a system it names."""
    owned = _owned(question)
    if not owned:
        return None
    required: dict[str, tuple[int, ...]] = {}
    clauses = (clause for text in texts for clause in _CLAUSE.split(text))
    for clause in clauses:
        if not _of_asked(clause, asked):
            continue
        for system, version in _versions(_AT_LEAST, clause).items():
            required.setdefault(system, version)
    judged = [owned[system] >= required[system] for system in owned if system in required]
    return all(judged) if judged else None


def _of_asked(clause: str, asked: frozenset[str]) -> bool:
    """The requirement ``clause`` states is of the thing asked about, or either names none:
    what it is of is what comes before "requires" or the first colon ("The Song app requires
    ...", "Editor app: iOS 10.3 or later"; "iOS: Requires iOS 10.3 or later." on the app's own
    page names nothing, nor does "will it run on iOS 13?")."""
    subject = _SUBJECT.match(clause)
    named = _things(terms(_SYSTEM_NAME.sub(" ", subject.group(1)))) if subject else None
    wanted = _things(asked)
    return not wanted or not named or bool(wanted & named)


def _things(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words - _REQUIREMENT_WORDS if not w.replace(".", "").isdigit())


def _owned(question: str) -> dict[str, tuple[int, ...]]:
    return {} if _ABOUT_REQUIREMENT.search(question) else _versions(_OWN, question)


def _versions(pattern: re.Pattern[str], text: str) -> dict[str, tuple[int, ...]]:
    """Each system ``pattern`` finds in ``text`` with its first version."""
    found: dict[str, tuple[int, ...]] = {}
    for name, number in pattern.findall(text):
        system = _SYSTEMS[" ".join(name.casefold().split())]
        version = tuple(int(part) for part in number.split("."))
        if system == "windows" and version[0] >= _WINDOWS_BY_YEAR:
            version = (0, *version)
        found.setdefault(system, version)
    return found
