"""Scoring typed text against the tables, all products at once with numpy.

Each typed atom is looked up as an exact term, as the prefix of terms (only the atom still being
typed) and, failing an exact hit, as a typo of letter terms (digits never). The atom weighs the
inverse frequency of everything it matched; a product earns that weight times how well it
matched (exact > prefix > typo), plus a bonus for each two typed atoms found side by side in its
name (that is what tells "td 27" from a product with a "td" and a "27" far apart) and a small
bonus for how much of its name was typed.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from hsc_jit.predict.codes import code_of
from hsc_jit.predict.normalize import fold, folded_atoms, is_digits
from hsc_jit.predict.tables import Bools, Floats, Ints, Tables
from hsc_jit.predict.typo import MIN_TYPO_LENGTH
from hsc_jit.text.edits import LETTERS, one_edit

EXACT = 1.0
# Any prefix scores below an exact hit and above any typo; typing more of the term raises it.
PREFIX_FLOOR = 0.75
PREFIX_SPAN = 0.2
TYPO = {1: 0.7, 2: 0.55}
PAIR_BONUS = 1.5
COVERAGE_WEIGHT = 2.0
# Long questions typed into the box name the product early; the rest only costs time.
MAX_ATOMS = 24
# A name has a model code or two: codes tried one slip away per text, each costing up to
# ~0.3 ms (a text of junk codes would otherwise cost a worker milliseconds a keystroke).
MAX_SLIPS = 4
# A one-letter prefix can reach thousands of terms; pairs only need the likeliest few.
PAIR_PREFIX_TERMS = 256
# Candidates kept for the adjacent-pair pass.
CANDIDATES = 200
_LAST = "\U0010ffff"
_K = TypeVar("_K")
_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class AtomMatches:
    """What one typed atom matches: single terms with their quality, and a prefix range."""

    atom: str
    terms: Ints
    quality: Floats
    prefix: tuple[int, int]  # term ids [start, end) the atom is a proper prefix of
    weight: float

    def pair_terms(self) -> tuple[Ints, Floats]:
        """Term ids and qualities to try as one side of an adjacent pair."""
        start, end = self.prefix
        end = min(end, start + PAIR_PREFIX_TERMS)
        if start == end:
            return self.terms, self.quality
        prefix_quality = np.full(end - start, PREFIX_FLOOR, np.float32)
        return (
            np.concatenate([self.terms, np.arange(start, end, dtype=np.int32)]),
            np.concatenate([self.quality, prefix_quality]),
        )


@dataclass(frozen=True, slots=True)
class Scores:
    """The leading candidates; the arrays run parallel to ``products``."""

    products: Ints
    rank: Floats  # the ranking score
    coverage: Floats  # the share of the product's name that was typed (0-1)


def expand(tables: Tables, atom: str, typing: bool) -> AtomMatches | None:
    """Look one atom up; ``typing`` marks the atom still being typed (prefixes allowed)."""
    terms: list[int] = []
    quality: list[float] = []
    exact = tables.term_ids.get(atom)
    if exact is not None:
        terms.append(exact)
        quality.append(EXACT)
    start = end = 0
    if typing:
        start = bisect_left(tables.terms, atom) + (exact is not None)
        end = max(start, bisect_left(tables.terms, atom + _LAST))
    if exact is None and not is_digits(atom):
        for term, distance in tables.typos.lookup(atom):
            terms.append(term)
            quality.append(TYPO[distance])
    if not terms and start == end:
        return None
    term_ids = np.array(terms, np.int32)
    frequency = float(tables.document_frequency[term_ids].sum())
    frequency += float(tables.offsets[end] - tables.offsets[start])
    return AtomMatches(
        atom, term_ids, np.array(quality, np.float32), (start, end), tables.idf(frequency)
    )


def _credit(tables: Tables, match: AtomMatches) -> tuple[Ints, Floats]:
    """The products the atom matches, each once, and its best credit for each."""
    offsets, products, fields = tables.offsets, tables.posting_product, tables.posting_field
    start, end = match.prefix
    if start == end and len(match.terms) == 1:
        # One term lists each product once.
        term = int(match.terms[0])
        lo, hi = offsets[term], offsets[term + 1]
        return products[lo:hi], fields[lo:hi] * (float(match.quality[0]) * match.weight)
    best = np.zeros(tables.products, np.float32)
    for term, quality in zip(match.terms.tolist(), match.quality.tolist(), strict=True):
        lo, hi = offsets[term], offsets[term + 1]
        np.maximum.at(best, products[lo:hi], fields[lo:hi] * (quality * match.weight))
    if start < end:
        lo, hi = offsets[start], offsets[end]
        typed = (
            PREFIX_FLOOR
            + PREFIX_SPAN * len(match.atom) / tables.term_length[tables.posting_term[lo:hi]]
        )
        np.maximum.at(best, products[lo:hi], fields[lo:hi] * typed * match.weight)
    held = best.nonzero()[0].astype(np.int32)
    return held, best[held]


# An atom as matched: itself and the term range it is a prefix of.
AtomKey = tuple[str, tuple[int, int]]
# The digits typed right before and right after a short code ("" for none), and whether those
# after are still being typed: all a short code is checked against.
Neighbours = tuple[str, str, bool]


@dataclass(frozen=True, slots=True)
class Lookup:
    """One typed atom against the tables: its matches, its credits, its side of a pair."""

    match: AtomMatches
    products: Ints
    credit: Floats
    pair_side: tuple[Ints, Floats]
    # What the atom matches: two lookups with one key match alike. Kept, not derived from
    # ``match``: every keystroke reads it several times.
    key: AtomKey


# The products holding two atoms' terms side by side, and the bonus each earns, pair by pair.
PairHolders = tuple[Ints, Floats]


class Lookups:
    """Typed atoms, and typed atoms side by side, looked up against one index's tables once.

    Typing a name sends every word before the one being typed again with each keystroke, and
    customers type the same names: a look-up costs tens of microseconds, finding it again one.
    Safe from several threads: a dict's get and set are atomic.
    """

    # Each memo's generation (see ``Memo``): typed as the load types, the real 5,000-product
    # catalog's memos held 4 MB of arrays with every generation full.
    MAX_ENTRIES = 4096

    __slots__ = ("_adjacent", "_atoms", "_codes", "_fixed", "_joined", "_pairs", "tables")

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        size = self.MAX_ENTRIES
        self._atoms: Memo[tuple[str, bool], Lookup | None] = Memo(size)
        self._pairs: Memo[tuple[AtomKey, AtomKey], PairHolders] = Memo(size)
        self._codes: Memo[str, list[tuple[Ints, float]]] = Memo(size)
        # For the repairs (``repair``): a word typed wrong stays in the box for every keystroke
        # after it, and each asks the same questions of the tables again.
        self._adjacent: Memo[tuple[str, str, bool], bool] = Memo(size)
        self._joined: Memo[tuple[str, bool], tuple[str, str] | None] = Memo(size)
        self._fixed: Memo[tuple[str, Neighbours], str | None] = Memo(size)

    def get(self, atom: str, typing: bool) -> Lookup | None:
        """``atom`` looked up; ``typing``: still being typed (prefixes allowed)."""
        return self._atoms.recall((atom, typing), lambda: self._look_up(atom, typing))

    def _look_up(self, atom: str, typing: bool) -> Lookup | None:
        match = expand(self.tables, atom, typing)
        if match is None:
            return None
        products, credit = _credit(self.tables, match)
        return Lookup(match, products, credit, match.pair_terms(), (atom, match.prefix))

    def slipped_code(self, code: str) -> list[tuple[Ints, float]]:
        """The products of the catalog codes one slip from ``code``, each code's with the credit
        a one-edit typo of a word that rare earns."""
        return self._codes.recall(
            code,
            lambda: [
                (products, TYPO[1] * self.tables.idf(len(products)))
                for products in self.tables.codes.slipped(code)
            ],
        )

    def adjacent(self, left: str, right: str, right_is_prefix: bool = False) -> bool:
        """Some name holds the term ``left`` right before ``right`` (a term, or the start of
        one when ``right_is_prefix``)."""
        return self._adjacent.recall(
            (left, right, right_is_prefix),
            lambda: _adjacent(self.tables, left, right, right_is_prefix),
        )

    def beside(self, code: str, neighbours: Neighbours) -> list[bool]:
        """Whether ``code`` sits in some name beside each run of digits typed next to it."""
        left, right, right_is_prefix = neighbours
        found = []
        if right:
            found.append(self.adjacent(code, right, right_is_prefix))
        if left:
            found.append(self.adjacent(left, code))
        return found

    def fixed_code(self, code: str, neighbours: Neighbours) -> str | None:
        """The one catalog code one slip from the short ``code`` that some name holds beside
        the digits typed with it; None when there is none or more than one. Remembered: a
        slipped code stays in the box for every keystroke after it."""
        return self._fixed.recall((code, neighbours), lambda: self._fix(code, neighbours))

    def _fix(self, code: str, neighbours: Neighbours) -> str | None:
        terms = self.tables.term_ids
        found = {
            v for v in one_edit(code, LETTERS) if v in terms and any(self.beside(v, neighbours))
        }
        return found.pop() if len(found) == 1 else None

    def split_joined(self, atom: str, typing: bool = False) -> tuple[str, str] | None:
        """Two catalog words that sit side by side in some name and together spell ``atom``
        (the second one begun, when ``typing``)."""
        return self._joined.recall((atom, typing), lambda: self._split(atom, typing))

    def _split(self, atom: str, typing: bool) -> tuple[str, str] | None:
        known = self.tables.term_ids
        if atom in known or (typing and _begins_a_term(self.tables, atom)):
            return None  # a word, or the start of one: nothing was run together
        for cut in range(_MIN_PART, len(atom) - _MIN_PART + 1):
            if atom[:cut] in known and self.adjacent(atom[:cut], atom[cut:], typing):
                return atom[:cut], atom[cut:]
        return None

    def pair(self, left: Lookup, right: Lookup) -> PairHolders:
        """The products whose names hold ``left``'s and ``right``'s terms side by side."""
        return self._pairs.recall(
            (left.key, right.key),
            lambda: _pair_holders(self.tables, left.pair_side, right.pair_side),
        )


class Memo(Generic[_K, _V]):
    """Values computed once and remembered, in two generations of at most ``size`` each.

    When the current generation is full it becomes the old one and the old one is forgotten;
    a value found in the old generation moves back into the current one. So what customers
    keep typing ("roland", "fp") stays, where forgetting everything at once made a search
    under load recompute a third of its look-ups.
    """

    __slots__ = ("_current", "_old", "_size")

    def __init__(self, size: int) -> None:
        self._size = size
        self._current: dict[_K, _V] = {}
        self._old: dict[_K, _V] = {}

    def __len__(self) -> int:
        return len(self._current) + len(self._old)

    def recall(self, key: _K, compute: Callable[[], _V]) -> _V:
        """The value of ``key``, computed first if neither generation holds it."""
        # Not "in" and then [key]: another thread may start a generation between the two.
        try:
            return self._current[key]
        except KeyError:
            pass
        try:
            value = self._old[key]
        except KeyError:
            value = compute()
        if len(self._current) >= self._size:
            self._old, self._current = self._current, {}
        self._current[key] = value
        return value


def _pair_holders(
    tables: Tables, left: tuple[Ints, Floats], right: tuple[Ints, Floats]
) -> PairHolders:
    """Every product of every pair of ``left``'s and ``right``'s terms that some name holds,
    pair after pair, with that pair's bonus."""
    key = (left[0].astype(np.int64)[:, None] * len(tables.terms) + right[0]).ravel()
    quality = np.minimum(left[1][:, None], right[1][None, :]).ravel()
    slots = np.minimum(np.searchsorted(tables.pair_keys, key), len(tables.pair_keys) - 1)
    found = tables.pair_keys[slots] == key
    slots, quality = slots[found], quality[found]
    starts = tables.pair_offsets[slots]
    lengths = tables.pair_offsets[slots + 1] - starts
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    products = tables.pair_product[np.arange(total) + np.repeat(starts - ends + lengths, lengths)]
    bonus = np.repeat((PAIR_BONUS * quality.astype(np.float64)).astype(np.float32), lengths)
    return products, bonus


def _pair_bonus(lookups: Lookups, found: list[Lookup | None], candidates: Ints) -> Floats:
    """Reward candidates whose name holds two typed atoms' terms side by side, in order."""
    bonus = np.zeros(len(candidates), np.float32)
    pairs = [
        lookups.pair(left, right)
        for left, right in itertools.pairwise(found)
        if left is not None and right is not None
    ]
    pairs = [pair for pair in pairs if len(pair[0])]
    if not pairs:
        return bonus
    holders, value = pairs[0]
    if len(pairs) > 1:
        holders = np.concatenate([products for products, _ in pairs])
        value = np.concatenate([earned for _, earned in pairs])
    # Candidates are in order, so membership is a binary search.
    at = np.minimum(np.searchsorted(candidates, holders), len(candidates) - 1)
    held = candidates[at] == holders
    # np.add.at adds one by one in pair order: each candidate's float32 sum is as it was when
    # pairs were added one at a time.
    np.add.at(bonus, at[held], value[held])
    return bonus


_MIN_PART = 2  # letters in each part of a word typed joined or split


def repair(lookups: Lookups, typed: list[str], typing: bool = False) -> list[str]:
    """Words typed run together or split apart, and slipped short codes, put back as the
    catalog writes them.

    "remopowerstroke" is two catalog words side by side in a name ("Remo Powerstroke"),
    "ele ctric" is one ("electric"), and "em-90" is ME-90 when only "me" sits beside "90" in a
    name. Only what the catalog does not know is touched. The last atom while ``typing`` is a
    prefix: it is matched as one (digits included), never changed.
    """
    tables = lookups.tables
    codes = _ShortCodes(lookups, len(typed) - 1 if typing else -1)
    repaired: list[str] = []
    position = 0
    while position < len(typed):
        atom = typed[position]
        following = typed[position + 1] if position + 1 < len(typed) else ""
        if codes.prefix == position and not is_digits(atom):
            # Still being typed: "rolandfp" may be "roland" + the start of "fp30x".
            repaired.extend(lookups.split_joined(atom, typing=True) or [atom])
        elif (
            codes.prefix == position
            or is_digits(atom)
            or (atom in tables.term_ids and not codes.orphan_code(typed, position))
        ):
            repaired.append(atom)
        elif (
            following
            and codes.prefix != position + 1
            and not is_digits(following)
            and atom + following in tables.term_ids
        ):
            repaired.append(atom + following)  # a word split apart
            position += 1
        else:
            fixed = codes.fixed_code(typed, position)
            repaired.extend([fixed] if fixed else lookups.split_joined(atom) or [atom])
        position += 1
    return repaired


class _ShortCodes:
    """One text's short codes checked against the words beside them; ``prefix`` is the atom
    still typed."""

    def __init__(self, lookups: Lookups, prefix: int) -> None:
        self._lookups = lookups
        self.prefix = prefix
        self._fixes = 0

    def _neighbours(self, typed: list[str], position: int) -> Neighbours:
        after = position + 1
        right = typed[after] if after < len(typed) and is_digits(typed[after]) else ""
        left = typed[position - 1] if position > 0 and is_digits(typed[position - 1]) else ""
        return left, right, bool(right) and after == self.prefix

    def orphan_code(self, typed: list[str], position: int) -> bool:
        """A short letter code ("em" in "em-90") no name has beside the digits typed with it."""
        atom = typed[position]
        if len(atom) >= MIN_TYPO_LENGTH:
            return False
        beside = self._lookups.beside(atom, self._neighbours(typed, position))
        return bool(beside) and not any(beside)

    def fixed_code(self, typed: list[str], position: int) -> str | None:
        """The one catalog code one slip away from a short code typed beside digits.

        Short words get no typo matching (too many near misses), but a code is pinned by its
        digits.
        """
        atom = typed[position]
        if len(atom) >= MIN_TYPO_LENGTH or not atom.isalpha():
            return None
        neighbours = self._neighbours(typed, position)
        if self._fixes >= MAX_SLIPS or not (neighbours[0] or neighbours[1]):
            return None
        self._fixes += 1
        return self._lookups.fixed_code(atom, neighbours)


def _begins_a_term(tables: Tables, text: str) -> bool:
    at = bisect_left(tables.terms, text)
    return at < len(tables.terms) and tables.terms[at].startswith(text)


def _adjacent(tables: Tables, left: str, right: str, right_is_prefix: bool) -> bool:
    left_id = tables.term_ids.get(left)
    if left_id is None or not len(tables.pair_keys):
        return False
    if right_is_prefix:
        start = bisect_left(tables.terms, right)
        end = bisect_left(tables.terms, right + _LAST)
        rights = np.arange(start, end, dtype=np.int64)
    else:
        right_id = tables.term_ids.get(right)
        if right_id is None:
            return False
        rights = np.array([right_id], dtype=np.int64)
    keys = left_id * len(tables.terms) + rights
    slots = np.minimum(np.searchsorted(tables.pair_keys, keys), len(tables.pair_keys) - 1)
    return bool((tables.pair_keys[slots] == keys).any())


def score(lookups: Lookups, text: str, allowed: Bools | None = None) -> Scores | None:
    """The best candidates for ``text`` with their scores; None when nothing matches.

    ``allowed`` (one flag per product) keeps the others out before the leaders are cut, so a
    brand's page finds its own products however strongly the text matches another brand's.
    """
    tables = lookups.tables
    folded = fold(text)  # once: the atoms and the codes both read it
    found_atoms = folded_atoms(folded)
    # Only what is scored is repaired (every word of a 1,000-character text took ~90 ms); one
    # atom more, in case the last two are one word split apart. A text cut short has no word
    # still being typed.
    head = found_atoms[: MAX_ATOMS + 1]
    cut = len(head) < len(found_atoms)
    every = repair(lookups, head, typing=text[-1:].isalnum() and not cut)
    typed = every[:MAX_ATOMS]
    if not typed:
        return None
    # The last atom is still being typed unless the text ends in a space or punctuation.
    still_typing = text[-1:].isalnum() and not cut and len(typed) == len(every)
    found = [
        lookups.get(atom, still_typing and position == len(typed) - 1)
        for position, atom in enumerate(typed)
    ]
    matched = np.zeros(tables.products, np.float32)
    seen: set[AtomKey] = set()
    for lookup in found:
        # A repeated word says nothing new.
        if lookup is None or lookup.key in seen:
            continue
        seen.add(lookup.key)
        matched[lookup.products] += lookup.credit
    words = folded.split()[:MAX_ATOMS]
    codes = [(p, code) for p, word in enumerate(words) if (code := code_of(word)) is not None]
    for position, code in codes[:MAX_SLIPS]:
        # A code still being typed is a prefix ("fp-3" of FP-30X), not a slip of FP-30.
        if still_typing and position == len(words) - 1 and tables.codes.begins(code):
            continue
        for products, slip in lookups.slipped_code(code):
            matched[products] += slip
    if allowed is not None:
        matched[~allowed] = 0
    candidates = (matched > 0).nonzero()[0].astype(np.int32)
    if len(candidates) == 0:
        return None
    credit = matched[candidates]
    coverage = np.minimum(1.0, credit / np.maximum(tables.name_weight[candidates], 1e-6))
    rank = credit + COVERAGE_WEIGHT * coverage
    if len(candidates) > CANDIDATES:
        # Pairs only reorder near-equals, so they are looked up for the leaders alone.
        keep = np.sort(np.argpartition(-rank, CANDIDATES - 1)[:CANDIDATES])
        candidates, coverage, rank = candidates[keep], coverage[keep], rank[keep]
    rank = rank + _pair_bonus(lookups, found, candidates)
    # Both are float32 already: no copies.
    return Scores(
        candidates, rank.astype(np.float32, copy=False), coverage.astype(np.float32, copy=False)
    )
