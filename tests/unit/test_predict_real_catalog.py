"""The headline examples on the distributor's real catalog (../shared/data)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from bench._shared_data import load_catalog

from hsc_jit.predict.index import ProductIndex


@functools.cache
def _index(folder: Path) -> tuple[ProductIndex, dict[str, str]]:
    entries = load_catalog(folder)
    return ProductIndex.build(entries), {entry.id: entry.name for entry in entries}


@pytest.fixture
def real(shared_data: Path) -> tuple[ProductIndex, dict[str, str]]:
    return _index(shared_data)


def test_the_real_catalog_loads_whole(real: tuple[ProductIndex, dict[str, str]]) -> None:
    index, _ = real
    assert len(index) > 5000


@pytest.mark.parametrize(
    ("text", "expected_id"),
    [
        ("rolnd td27", "roland-td27kv"),
        ("td-27kv", "roland-td27kv"),
        ("td 27", "roland-td27kv"),
        ("2210", "antigua_36_wfl2210br1"),
        ("פסנתר חשמלי Medeli SP-A500", "medeli_85_spa500"),
    ],
)
def test_headline_examples(
    real: tuple[ProductIndex, dict[str, str]], text: str, expected_id: str
) -> None:
    index, _ = real
    assert index.search(text, 1)[0].product_id == expected_id


@pytest.mark.parametrize(
    ("text", "expected_name"),
    [
        # FP-30X comes in black and white under one name; either is right.
        ("rolnd fp30x how do i connect headphones", "Roland FP-30X"),
        ("my roland fp30x wont turn on", "Roland FP-30X"),
        ("digital piano fp 30x", "Roland FP-30X"),
        ("nord sta", "Nord Stage"),
        ("td17", "Roland TD-17"),
    ],
)
def test_headline_examples_by_name(
    real: tuple[ProductIndex, dict[str, str]], text: str, expected_name: str
) -> None:
    index, names = real
    assert expected_name in names[index.search(text, 1)[0].product_id]


def test_sample_covers_many_brands(real: tuple[ProductIndex, dict[str, str]]) -> None:
    index, _ = real
    assert len(index.sample(50)) == 50
    assert len(set(index.sample(50))) == 50
