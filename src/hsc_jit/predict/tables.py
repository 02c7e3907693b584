"""The arrays behind ProductIndex: term postings, adjacent-term pairs and name weights.

Everything is built once and never written again (the arrays are made read-only), so any number
of threads can search the same tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt

from hsc_jit.predict.codes import CodeIndex
from hsc_jit.predict.normalize import atoms, is_digits
from hsc_jit.predict.typo import MIN_TYPO_LENGTH, TypoIndex

if TYPE_CHECKING:
    from hsc_jit.predict.index import CatalogEntry

# How much a word counts by where it stands: the name says most, the brand name (when the
# product name leaves it out) a little less, category and SKU only help break ties.
NAME_FIELD = 1.0
BRAND_FIELD = 0.8
SKU_FIELD = 0.5
CATEGORY_FIELD = 0.35

Ints = npt.NDArray[np.int32]
Offsets = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]
Bools = npt.NDArray[np.bool_]
_Scalar = TypeVar("_Scalar", bound=np.generic)


@dataclass(frozen=True, slots=True)
class Tables:
    terms: tuple[str, ...]  # sorted vocabulary; a term's id is its position
    term_ids: dict[str, int]
    term_length: Floats
    document_frequency: Ints
    offsets: Offsets  # postings of term t: [offsets[t], offsets[t + 1])
    posting_product: Ints
    posting_term: Ints
    posting_field: Floats
    pair_keys: npt.NDArray[np.int64]  # sorted; first term id * vocabulary size + second
    pair_offsets: Offsets
    pair_product: Ints
    name_weight: Floats  # per product: idf-weighted size of its name
    typos: TypoIndex
    codes: CodeIndex

    @property
    def products(self) -> int:
        return len(self.name_weight)

    def idf(self, frequency: float) -> float:
        """Inverse document frequency of a match set found in ``frequency`` products."""
        return float(np.log1p(self.products / max(frequency, 1.0)))


def joined_letters(text: str) -> list[str]:
    """Letter atoms split only by punctuation inside one word, joined: "Prem-XLR" -> "premxlr".

    A model code typed without its hyphens ("premxlr10") then still meets the name.
    """
    joined = []
    for word in text.split():
        run: list[str] = []
        for atom in [*atoms(word), "0"]:
            if is_digits(atom):
                if len(run) > 1:
                    joined.append("".join(run))
                run = []
            else:
                run.append(atom)
    return joined


def product_terms(entry: CatalogEntry) -> tuple[dict[str, float], list[str], set[str]]:
    """The product's terms with their field weights, the word sequence its pairs come from,
    and the name's own atoms (what "how much of the name was typed" is measured against)."""
    name = atoms(entry.name)
    fields = dict.fromkeys(name, NAME_FIELD)
    for term in joined_letters(entry.name):
        fields.setdefault(term, NAME_FIELD)
    brand = [term for term in atoms(entry.brand_name) if term not in fields]
    extras = (
        (brand, BRAND_FIELD),
        (atoms(entry.sku or ""), SKU_FIELD),
        (atoms(f"{entry.category or ''} {entry.family or ''}"), CATEGORY_FIELD),
    )
    for terms, weight in extras:
        for term in terms:
            fields.setdefault(term, weight)
    # A name without its brand reads as "<brand> <name>" to the customer.
    sequence = name if len(brand) < len(set(atoms(entry.brand_name))) else brand + name
    return fields, sequence, set(name)


def _read_only(array: npt.NDArray[_Scalar]) -> npt.NDArray[_Scalar]:
    array.flags.writeable = False
    return array


def _csr(
    keys: npt.NDArray[np.int64], products: Ints
) -> tuple[npt.NDArray[np.int64], Offsets, Ints]:
    """Group ``products`` by ``keys``: sorted unique keys, offsets into the grouped products."""
    order = np.lexsort((products, keys))
    unique, counts = np.unique(keys[order], return_counts=True)
    offsets = np.zeros(len(unique) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    return unique, offsets, products[order]


def build_tables(entries: Sequence[CatalogEntry]) -> Tables:
    """Index the entries; product ids in the tables are positions in ``entries``."""
    per_product = [product_terms(entry) for entry in entries]
    terms = tuple(sorted({term for fields, _, _ in per_product for term in fields}))
    term_ids = {term: position for position, term in enumerate(terms)}
    size = len(terms)

    term_col: list[int] = []
    product_col: list[int] = []
    field_col: list[float] = []
    pair_col: list[int] = []
    pair_product_col: list[int] = []
    name_col: list[int] = []
    name_product_col: list[int] = []
    for product, (fields, sequence, name) in enumerate(per_product):
        name_col.extend(term_ids[term] for term in name)
        name_product_col.extend([product] * len(name))
        for term, weight in fields.items():
            term_col.append(term_ids[term])
            product_col.append(product)
            field_col.append(weight)
        ids = [term_ids[term] for term in sequence]
        pairs = {first * size + second for first, second in itertools.pairwise(ids)}
        pair_col.extend(pairs)
        pair_product_col.extend([product] * len(pairs))

    term_arr = np.array(term_col, np.int64)
    product_arr = np.array(product_col, np.int32)
    field_arr = np.array(field_col, np.float32)
    _, offsets, posting_product = _csr(term_arr, product_arr)
    order = np.lexsort((product_arr, term_arr))
    frequency = np.bincount(term_arr, minlength=size).astype(np.int32)
    idf = np.log1p(len(entries) / np.maximum(frequency, 1)).astype(np.float32)
    name_weight = np.bincount(
        np.array(name_product_col, np.int64),
        weights=idf[np.array(name_col, np.int64)],
        minlength=len(entries),
    ).astype(np.float32)
    pair_keys, pair_offsets, pair_product = _csr(
        np.array(pair_col, np.int64), np.array(pair_product_col, np.int32)
    )
    typo_words = (
        (position, term)
        for position, term in enumerate(terms)
        if len(term) >= MIN_TYPO_LENGTH - 1 and not is_digits(term)
    )
    return Tables(
        terms=terms,
        term_ids=term_ids,
        term_length=_read_only(np.array([len(t) for t in terms], np.float32)),
        document_frequency=_read_only(frequency),
        offsets=_read_only(offsets),
        posting_product=_read_only(posting_product),
        posting_term=_read_only(term_arr[order].astype(np.int32)),
        posting_field=_read_only(field_arr[order]),
        pair_keys=_read_only(pair_keys),
        pair_offsets=_read_only(pair_offsets),
        pair_product=_read_only(pair_product),
        name_weight=_read_only(name_weight),
        typos=TypoIndex(typo_words),
        codes=CodeIndex(enumerate(entry.name for entry in entries)),
    )
