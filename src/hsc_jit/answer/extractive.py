"""The default provider: an answer made of the manual's own sentences. No model, no network.

The learned ranker (``answer/ranker.py``) picks the unit that answers — a sentence, a spec line,
a list intro with its steps — and the answer leads with it, grown to its short paragraph or its
steps; further units join only while the ranker rates them near it (``Keep``). The answer is shaped
by the question: a yes/no question opens with "Yes." or "No." (a negation in the evidence,
"included" for "do I need to buy it separately", a burden the page does not require for "do I
have to ...", says which), and a "which" question's answer is led by the heading that names it.
When the ranker's coverage model says the manual does not answer, the answer says so instead of
guessing. Same request, same answer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import replace

from hsc_jit.answer import markers
from hsc_jit.answer.advice import pick_suggestion, pick_tip
from hsc_jit.answer.alternatives import named_alone, named_otherwise
from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.features import instruction
from hsc_jit.answer.question import first_alternative, plain, understand
from hsc_jit.answer.ranker import Selection, focus_terms, model, select, spelled
from hsc_jit.answer.requirements import names_own_version, requirement_met
from hsc_jit.answer.terms import terms
from hsc_jit.answer.units import (
    MAX_UNITS,
    PAGE_FOOTER,
    Sentence,
    Unit,
    count_units,
    ends_sentence,
    list_end,
    opens_list,
    spec_label,
)
from hsc_jit.answer.values import states_value
from hsc_jit.text.language import hebrew_share
from hsc_jit.text.messages import MessageKey, say

# A sentence brings its whole paragraph along when that is this short.
_PARAGRAPH_UNITS = 3
_PARAGRAPH_CHARS = 450
_TOKEN = re.compile(r"[a-z0-9']+")
_NAMING = re.compile(r"\s*which\b", re.I)
_NAME_CHARS = 60  # a longer "heading" is a line of text, not a name
_JOINED_NEGATION = "non"  # as a page hyphenates it: "non-velocity-sensitive"
# A thing denied by what is joined after it: "fan-free", "phantom-power-free", "tool-less";
# run together only for words no page uses otherwise ("fanless", not "timeless", "endless").
_DENIED_AFTER = re.compile(
    r"\b([a-z]+(?:-[a-z]+)*)-(?:free|less)\b"
    r"|\b(fan|cord|driver|screw|solder|cable|fret|tool|key|battery)less\b"
)
# Kinds of value a page states with a number of their own; not a size ("which size battery?"
# asks for AA, not for the product's dimensions), a tempo or a colour.
_NUMBERED_VALUES = frozenset(
    {
        "weight",
        "duration",
        "power",
        "price",
        "frequency",
        "bits",
        "impedance",
        "polyphony",
        "version",
    }
)
_DIGIT = re.compile(r"\d")
_NOT_DENIED = frozenset({"lead"})  # "lead-free" is about solder, not leads or lead sounds
_CODE = re.compile(r"(?=.*[a-z])(?=.*\d)")  # letters and digits: "rpu3", not "2" or "2023"
_NEGATIVE = re.compile(
    r"^(?:not|no|without|cannot|never|none|neither|nor|unsupported|optional|separately|"
    r"lacks?|unable|unavailable|incompatible|\w+n't)$"
)
# A negation word that negates nothing, in the way pages praise: "not only ... but", "none is
# more famous than", "has never been easier", "never-before-heard", "we couldn't resist adding".
# "not only" negates when the question asks "only" itself ("is it just for pianos?"); a
# comparative does when "than" follows it ("no more than 5 kg"); resisting and waiting only
# after "can" or "could" ("no wait is needed" is a no).
_ONLY = frozenset({"only", "just", "merely"})
_COMPARATIVES = frozenset({"more", "less", "better", "easier", "greater"})
_CANNOT_HELP = frozenset({"resist", "wait"})
# Harm denied is no thing denied ("does not affect the headphones", "won't damage the mic"),
# unless the harm is what is asked ("does phantom power damage it?").
_HARM = frozenset(
    {"affect", "damage", "harm", "hurt", "interfere", "interrupt", "degrade", "disturb", "stop"}
)
_PRAISE_SKIPS = frozenset({"is", "are", "was", "were", "be", "been"})  # "none is more ..."
_INCLUDED = re.compile(r"\b(?:includ\w*|supplied|bundled|comes? with|no need|not required)\b", re.I)
_NOT_INCLUDED = re.compile(r"\b(?:sold separately|optional|not included|required|requires)\b", re.I)
# A spec line's label naming what its row lists ("Accessories:", "Options (sold separately):").
_INCLUDED_LABEL = re.compile(r"\b(?:accessor\w*|includ\w*|supplied|in the box|contents)\b", re.I)
_OPTIONAL_LABEL = re.compile(r"\b(?:options?|optional|sold separately|not included)\b", re.I)
_INCLUSION_TERMS = terms("included supplied bundled comes with box accessories")
_NEAR = 8  # words between a negation and the thing asked about (chosen on the tuning half)
# A question's own "without a driver": the negation stands right before the thing it negates.
_ASKED_NEAR = 3
# Where a clause ends: a negation beyond it is about something else.
_CLAUSE = re.compile(r"[.;:!?]\s|,?\s+(?:because|while|whereas|although|but|so that)\s")
# A model of a series as a page writes it ("FANTOM 7", "GO:KEYS 5", "HP702") and as a customer
# types it ("fantom 7", "hp702").
_MODEL = re.compile(r"\b([A-Z][A-Z:]*[A-Z])[ -]?(\d+)(?!\d)")
_ASKED_MODEL = re.compile(r"\b([a-z][a-z:]*[a-z])[ -]?(\d+)(?!\d)", re.I)
# Where what a page says of one model ends: not at a colon, which parts a model from what it has
# ("FANTOM 8: 1/4-inch phones jack; FANTOM 7: stereo miniature phones jack").
_MODEL_CLAUSE = re.compile(r"[.;!?]\s|,?\s+(?:while|whereas|although|but)\s")


class ExtractiveProvider:
    """Deterministic answers from the evidence alone."""

    name = "extractive"

    async def stream(self, request: AnswerRequest) -> AsyncIterator[str]:
        # Chunk by chunk: the sentences go out before the suggestion and tip are chosen.
        for chunk in _compose(request):
            yield chunk


def compose_answer(request: AnswerRequest) -> list[str]:
    """The answer as protocol chunks: sentences, citations, suggestion, pro tip."""
    return list(_compose(request))


def _compose(request: AnswerRequest) -> Iterator[str]:
    if not request.covered or not request.evidence:
        yield not_covered_text(request)
        return
    selection = request.selection or select(request)
    chosen = best_units(selection)
    if not chosen:
        yield not_covered_text(request)
        return
    chosen = _with_value(selection, chosen)
    focus = focus_terms(request)
    opening = ""
    if selection.intent.polar:
        chosen = _with_requirement(request.question, selection, chosen, focus)
        lead = _lead(selection, chosen)
        said = polar_opening(request.question, chosen, lead, focus)
        # The spec line that says how the thing asked about is made leads, whatever it said.
        spoken = _line_about(chosen, lead, _asked(request.question, focus))
        chosen = _spoken_first(chosen, *spoken)
        opening = say(said, request.lang) + " "
    if quotes_another_language(request, chosen):
        opening = f"{say('from_english_manual', request.lang)} {opening}"
    # A "which" question asks for a name, and product pages name a kit, a mode or a finish in
    # the heading over its description ("Eastern Wisdom" / "A melodic kit with an Asian feel
    # ..."): the heading leads its run of units.
    naming = _NAMING.match(request.question) is not None
    product = terms(request.product_name) - terms(request.brand_name) if naming else frozenset()
    section: tuple[int, str] | None = None
    for unit, following in zip(chosen, [*chosen[1:], None], strict=True):
        text = unit.text
        if naming and (unit.page, unit.section) != section and _names_its_units(unit, product):
            text = f"{unit.section}: {text}"
        section = (unit.page, unit.section)
        yield opening + text
        if following is None or following.page != unit.page:
            yield markers.citation(unit.page)  # once after a run of one page's units
            opening = ""
        else:
            opening = " "  # the next unit's text continues this chunk's sentence run
    answer_text = " ".join(u.text for u in chosen)
    suggestion = pick_suggestion(request, focus, terms(answer_text))
    if suggestion is not None:
        yield markers.suggestion(suggestion)
    tip = pick_tip(request, focus, {u.text for u in chosen})
    if tip is not None:
        yield markers.pro_tip(tip)


def not_covered_text(request: AnswerRequest) -> str:
    lang = request.lang
    brand = request.brand_name
    support = say("support_of_brand", lang, brand=brand) if brand else say("support_generic", lang)
    return say("not_covered", lang, product=full_product_name(request), support=support)


def quotes_another_language(request: AnswerRequest, chosen: Sequence[Unit]) -> bool:
    """A Hebrew question answered from an English manual says so before the quotes."""
    return request.lang == "he" and hebrew_share(" ".join(u.text for u in chosen)) < 0.5


def full_product_name(request: AnswerRequest) -> str:
    brand, product = request.brand_name, request.product_name
    if brand and not product.casefold().startswith(brand.casefold()):
        return f"{brand} {product}"
    return product


def best_units(selection: Selection) -> list[Unit]:
    """The lead unit grown to its paragraph or steps, and the units ``Keep`` lets join."""
    if not selection.ranked:
        return []
    keep = model().keep
    best, lead = selection.ranked[0]
    chosen = [grow(lead, MAX_UNITS, lead=True)]
    chars = len(chosen[0].text)
    for probability, unit in selection.ranked[1:]:
        if keep.stops(best, probability, chars):
            break  # ranked best first: everything after this is weaker still
        if not keep.admits(probability, unit.page == lead.page):
            continue
        unit = grow(unit, MAX_UNITS, lead=False)
        if not any(_overlap(u, unit) for u in chosen):
            chosen.append(unit)
            chars += len(unit.text) + 1
    # The lead's page reads in its order first; another page's unit follows with its citation.
    # A number question leads with its number, "what comes with it" with the list, and a yes
    # or no with the unit that decided it, whatever the page puts above it.
    leads = selection.intent.kind in ("number", "inclusion") or selection.intent.polar
    first = [chosen.pop(0)] if leads else []
    return first + sorted(chosen, key=lambda u: (u.page != lead.page, u.rank, u.first))


def _with_value(selection: Selection, chosen: list[Unit]) -> list[Unit]:
    """A question asking for a kind of value ("what does it weigh?") whose answer states none is
    answered first by the best unit stating one with a number."""
    kinds = selection.intent.values & _NUMBERED_VALUES
    if not kinds or any(states_value(kinds, unit.text) for unit in chosen):
        return chosen
    stating = _rated_near_lead(
        selection, lambda unit: states_value(kinds, unit.text) and bool(_DIGIT.search(unit.text))
    )
    return chosen if stating is None else [grow(stating, MAX_UNITS, lead=False), *chosen]


def _with_requirement(
    question: str, selection: Selection, chosen: list[Unit], focus: frozenset[str]
) -> list[Unit]:
    """A question naming the customer's system version ("I'm on iOS 9") is answered first by
    a unit stating the version required of what it asks about (not "the Song app requires
    ..." for the editor app)."""
    asking = plain(first_alternative(question))
    if not names_own_version(asking):
        return chosen
    required = _rated_near_lead(
        selection, lambda unit: requirement_met(asking, [unit.text], focus) is not None
    )
    if required is None or any(_overlap(unit, required) for unit in chosen):
        return chosen
    return [required, *chosen]


def _rated_near_lead(selection: Selection, fits: Callable[[Unit], bool]) -> Unit | None:
    """The best-rated unit that ``fits``, from any page, among those the ranker rates as high
    as a further unit must be (``Keep``)."""
    best = selection.ranked[0][0]
    keep = model().keep
    for probability, unit in selection.ranked:
        if keep.stops(best, probability, 0):
            return None
        if fits(unit):
            return unit
    return None


def _names_its_units(unit: Unit, product: frozenset[str]) -> bool:
    """Whether the unit's heading names what the unit describes: not a page title (it shares
    a word with the product's name), a running footer or a line of text, and not over a spec
    line, whose own label already says what it is."""
    heading = unit.section
    return (
        bool(heading)
        and len(heading) <= _NAME_CHARS
        and heading.casefold() not in unit.text.casefold()
        and not terms(heading) & product
        and not PAGE_FOOTER.match(heading)
        and not unit.spec
    )


def _lead(selection: Selection, chosen: Sequence[Unit]) -> Unit:
    """The chosen unit grown from the ranker's best, wherever the page order put it."""
    best = selection.ranked[0][1]
    return next((u for u in chosen if _overlap(u, best)), chosen[0])


def polar_opening(
    question: str, chosen: Sequence[Unit], lead: Unit, focus: frozenset[str]
) -> MessageKey:
    """ "yes" or "no" for a yes/no question, from what the ranker's best unit says (the unit
    first on the page decided it wrongly more often), or the spec line of the answer about the
    thing asked (``_line_about``); "not_said_directly" when the answer names nothing asked about
    (a guessed "Yes." there was wrong about half the time)."""
    intent = understand(question)
    asked = _asked(question, focus)
    if asked and not any(_named_terms(unit.text) & asked for unit in chosen):
        return "not_said_directly"
    words = frozenset(_TOKEN.findall(plain(question).casefold()))
    # "Will it work without a driver?" - "no driver needed": the negations agree (those of the
    # alternative a "Yes" answers: "is it included, or sold separately?" / "sold separately").
    asking = plain(first_alternative(question))
    negated_asking = _negated(asking, asked, words, near=_ASKED_NEAR)
    # "My iPad is on iOS 9, will it run?" and "Requires iOS 10.3 or later", wherever it stands.
    texts = [unit.text for unit in chosen]
    met = None if negated_asking else requirement_met(asking, texts, focus)
    if met is not None:
        return "yes" if met else "no"
    # "Besides Roland Cloud?" is answered by any unit saying it is sold only there.
    alone = any(named_alone(asking, unit.text) for unit in chosen)
    unit, line = _line_about(chosen, lead, asked)
    about = _of_model_asked(asking, unit.text if line is None else unit.page_sentences[line].text)
    # An either-or question is answered for its first alternative: "is it wood or is it
    # plastic?" asks whether it is wood.
    if (named_otherwise(asking, about) or alone) and not negated_asking:
        return "no"
    if (intent.kind == "inclusion" or intent.need) and _said_included(lead.text, asked):
        # "The DP-10 damper pedal is included, while the optional RPU-3 ...": the thing asked
        # about is included whatever else is optional.
        return "no" if intent.need else "yes"
    if intent.need:
        # "Do I need ...?": "no ... required" and "included" say no; "optional", "required",
        # and an instruction to do the thing asked ("Hold the power button ...") say yes.
        if _negated(lead.text, asked, words, allow_optional=False):
            return "no"
        if _NOT_INCLUDED.search(lead.text) or _told_to(lead.text, question):
            return "yes"
        if intent.burden:
            return "no"  # see question._BURDEN: pages that speak of a burden mostly spare it
        return "no" if _INCLUDED.search(lead.text) else "yes"
    # What comes with a product and what is optional are most often listed line by line: any
    # line of the answer may say it. Other questions stand on their best unit alone, where an
    # "optional" is about something else ("runs on AA batteries ... optional dock").
    inclusion = intent.kind == "inclusion"
    units = chosen if inclusion else [lead]
    negated = any(_negated(u.text, asked, words, allow_optional=inclusion) for u in units)
    return "no" if negated and not negated_asking else "yes"


def _asked(question: str, focus: frozenset[str]) -> frozenset[str]:
    """The words of what a yes/no question asks about, and the manual's words for them."""
    return focus | understand(question).related


def _line_about(
    chosen: Sequence[Unit], lead: Unit, asked: frozenset[str]
) -> tuple[Unit, int | None]:
    """The unit that says how the thing asked about is made, and the index of the line in it
    that does (None: all of it): the lead, unless a spec line of the answer names more of the
    thing in its label than the lead's first line names ("is the headphone jack 1/4-inch?":
    "OUTPUT jack: 1/4-inch phone type" led, "PHONES jack: stereo miniature phone type" beside
    it). A spec line's label says what its value is about; a sentence, any of its words."""

    def label_names(text: str) -> int:
        label = spec_label(text)
        return 0 if label is None else len(terms(label[0]) & asked)

    first = lead.page_sentences[lead.first].text
    lead_names = label_names(first) if spec_label(first) else len(terms(first) & asked)
    lines = [(unit, index) for unit in chosen for index in range(unit.first, unit.last + 1)]
    best = max(lines, key=lambda at: label_names(at[0].page_sentences[at[1]].text), default=None)
    if best is not None and label_names(best[0].page_sentences[best[1]].text) > lead_names:
        return best
    return lead, None


def _of_model_asked(question: str, text: str) -> str:
    """``text`` without its clauses about other models of the series the question names one of
    ("The FANTOM 8 EX has 88 hammer-action keys, while the FANTOM 7 EX features semi-weighted
    synth action", asked of the FANTOM 7 EX)."""
    asked = {_model(*found) for found in _ASKED_MODEL.findall(question)}
    if not asked:
        return text
    clauses = _MODEL_CLAUSE.split(text)
    models = [{_model(*found) for found in _MODEL.findall(clause)} for clause in clauses]
    named = set().union(*models)
    others = {
        model
        for model in named - asked
        if any(model[0] == family and (family, number) in named for family, number in asked)
    }
    if not others:
        return text
    kept = (c for c, m in zip(clauses, models, strict=True) if not m & others or m & asked)
    return ". ".join(kept)


def _model(family: str, number: str) -> tuple[str, str]:
    return family.replace(":", "").casefold(), number


def _spoken_first(chosen: Sequence[Unit], unit: Unit, line: int | None) -> list[Unit]:
    """``chosen`` led by ``unit``'s ``line`` (the rest of ``unit`` following), or as it is when
    the lead decided (``line`` None): a requirement or a value put first stays first."""
    if line is None:
        return list(chosen)
    rest = [other for other in chosen if other is not unit]
    if unit.first == unit.last:
        return [unit, *rest]
    sentences = unit.page_sentences
    spans = ((line, line), (unit.first, line - 1), (line + 1, unit.last))
    parts = [
        replace(
            unit, text=" ".join(s.text for s in sentences[first : last + 1]), first=first, last=last
        )
        for first, last in spans
        if first <= last
    ]
    return [*parts, *rest]


def _told_to(text: str, question: str) -> bool:
    """``text`` tells the reader to do what the question asks whether one must: "do I need to
    hold the power button?" / "Hold the power button for two seconds" (but "do I have to pay?"
    / "Download it for free" is no instruction to pay)."""
    verb = instruction(text)
    return verb is not None and bool(terms(verb) & terms(question))


def _said_included(text: str, asked: frozenset[str]) -> bool:
    """A clause that names the thing asked about and says it is included; when the question
    names a model code ("is the RPU-3 included?"), a clause naming that code: "the DP-10 damper
    pedal is included" says nothing of the RPU-3 pedal."""
    things = asked - _INCLUSION_TERMS
    codes = frozenset(code for thing in things for code in spelled(thing) if _CODE.match(code))
    # "Accessories: Owner's manual, AC adaptor, damper pedal (DP-2)": the label says it.
    label, value = spec_label(text) or ("", "")
    listed = _INCLUDED_LABEL.search(label) and not _OPTIONAL_LABEL.search(text)
    if listed and terms(value) & things and (not codes or codes & spelled(value)):
        return True
    return any(
        _INCLUDED.search(clause)
        and not _NOT_INCLUDED.search(clause)
        and any(terms(token) & things for token in tokens)
        and (not codes or bool(codes & spelled(clause)))
        for clause, tokens in _clauses(text)
    )


def _clauses(text: str) -> list[tuple[str, list[str]]]:
    """Each clause of ``text``, case-folded, with its words; contractions spelt out, typeset
    apostrophes included ("won’t" is "will not")."""
    return [(clause, _TOKEN.findall(clause)) for clause in _CLAUSE.split(plain(text).casefold())]


def _negated(
    text: str,
    asked: frozenset[str],
    question: frozenset[str],
    allow_optional: bool = True,
    near: int = _NEAR,
) -> bool:
    """A negation within a few words of the thing asked about, in the same clause (anywhere, if
    it is not named): "a built-in speaker, because you never know" says nothing against it.
    ``question`` is the question's own words (see ``_negates``)."""
    negated = named = False
    ignored = () if allow_optional else ("optional", "separately")
    # A spec line's label speaks for its whole value: "Options (sold separately): Keyboard
    # stand KS-G8B, pedal unit KPD-70, headphones RH-5".
    label, value = spec_label(text) or ("", "")
    if allow_optional and _OPTIONAL_LABEL.search(label) and terms(value) & asked:
        return True
    folded = text.casefold()
    for clause, tokens in _clauses(text):
        if _denied_after(clause, folded, asked, question):
            return True
        hits = [i for i, token in enumerate(tokens) if terms(token) & asked]
        # "non-velocity-sensitive" negates what it is joined to, not "non-piano sounds" nearby.
        negations = [
            i
            for i, token in enumerate(tokens)
            if (_NEGATIVE.match(token) and token not in ignored and _negates(tokens, i, question))
            or (token == _JOINED_NEGATION and i + 1 in hits)
        ]
        if any(abs(h - n) <= near for h in hits for n in negations):
            return True
        negated, named = negated or bool(negations), named or bool(hits)
    return negated and not named


def _denied_after(clause: str, text: str, asked: frozenset[str], question: frozenset[str]) -> bool:
    """``clause`` denies a thing asked about by what is joined after it ("a fan-free design"),
    unless ``text`` also names that thing on its own ("noise-free recordings with the noise
    gate": the compound describes something else) or the question joins it the same way ("is
    it royalty free?", "hands-free?"; ``question`` is its words)."""
    for found in _DENIED_AFTER.finditer(clause):
        word = found.group(1) or found.group(2)
        thing = terms(word) & asked
        if not thing or thing & _NOT_DENIED:
            continue
        last = word.rsplit("-", 1)[-1]
        if {f"{last}free", f"{last}less"} & question or (
            last in question and {"free", "less"} & question
        ):
            continue
        if terms(text.replace(found.group(0), " ")) & thing:
            continue
        return True
    return False


def _named_terms(text: str) -> frozenset[str]:
    """``terms`` of ``text`` and of the things it denies by joining ("fanless" names a fan)."""
    joined = [found.group(1) or found.group(2) for found in _DENIED_AFTER.finditer(text.casefold())]
    return terms(text).union(*(terms(word) for word in joined))


def _negates(tokens: Sequence[str], at: int, question: frozenset[str]) -> bool:
    """Whether the negation at ``tokens[at]`` denies something rather than praising it;
    ``question`` is the question's own words."""
    i = next((i for i in range(at + 1, len(tokens)) if tokens[i] not in _PRAISE_SKIPS), None)
    if i is None:
        return True
    word = tokens[i]
    if word in _ONLY:
        return bool(_ONLY & question)
    if word in _COMPARATIVES:
        return tokens[i + 1 : i + 2] == ["than"]
    if word in _HARM:
        return bool(terms(word) & terms(" ".join(question)))
    if word in _CANNOT_HELP:
        return tokens[at - 1 : at] not in (["can"], ["could"])
    return word != "before"


def grow(unit: Unit, budget: int, lead: bool) -> Unit:
    """The unit with its short paragraph; the lead also with the next sentence or steps.

    The best match often states a problem and the next sentence its fix, or names a task
    ("Pairing for Bluetooth audio") whose steps follow as a list.
    """
    sentences = unit.page_sentences
    first, last = unit.first, unit.last
    paragraph = _short_paragraph(sentences, first, last)
    if paragraph is not None and count_units(sentences[paragraph[0] : paragraph[1] + 1]) <= budget:
        first, last = paragraph
    elif lead and last + 1 < len(sentences):
        following = sentences[last + 1]
        if following.paragraph == sentences[last].paragraph and not following.item:
            last = _fit(sentences, first, list_end(sentences, last + 1), budget)
    if lead and last + 1 < len(sentences) and opens_list(sentences, last + 1):
        # The paragraph names a task and the list after it gives the steps.
        last = _fit(sentences, first, list_end(sentences, last + 1, budget), budget)
    if (first, last) == (unit.first, unit.last):
        return unit
    text = " ".join(s.text for s in sentences[first : last + 1])
    return replace(unit, text=text, first=first, last=last)


def _fit(sentences: Sequence[Sentence], first: int, last: int, budget: int) -> int:
    """``last``, or the last index before it that keeps ``first..`` within ``budget`` units."""
    while last > first and count_units(sentences[first : last + 1]) > budget:
        last -= 1
    return last


def _overlap(one: Unit, other: Unit) -> bool:
    return one.page == other.page and one.first <= other.last and other.first <= one.last


def _short_paragraph(
    sentences: Sequence[Sentence], first: int, last: int
) -> tuple[int, int] | None:
    """``(first, last)`` of the paragraph around ``first..last`` when it is short and all text."""
    if sentences[first].item:
        return None  # a list item's paragraph is the item itself
    number = sentences[first].paragraph
    start = first
    while start > 0 and sentences[start - 1].paragraph == number:
        start -= 1
    end = last
    while end + 1 < len(sentences) and sentences[end + 1].paragraph == number:
        end += 1
    if sentences[end].text.endswith(":"):
        end = list_end(sentences, end)
    texts = [s.text for s in sentences[start : end + 1]]
    if count_units(sentences[start : end + 1]) > _PARAGRAPH_UNITS:
        return None
    if sum(map(len, texts)) > _PARAGRAPH_CHARS:
        return None
    if not all(ends_sentence(t) or t.endswith(":") for t in texts):
        return None  # a heading line is no part of the answer
    return start, end
