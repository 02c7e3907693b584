"""Train the extractive answer's ranker and coverage model on the tuning half of the dev set.

    uv run python -m bench.train_answer_ranker features [--data DIR]   # needs the product pages
    uv run python -m bench.train_answer_ranker fit                     # from the stored features

``features`` asks every dev-set question of the real set the way the server does (the manual's
pages as the extractor gives them, ranked by words and meaning, the answer units of the top
pages) and stores each unit's feature row, its label (it holds a key fact on an evidence page),
and the question's half in ``bench/devsets/answer_ranker_features.csv.gz``: numbers only, no
manual text. ``fit`` reads that file alone, so training is reproducible from the repository:
a logistic model over units, and a logistic coverage model over the question's best scores
whose threshold is chosen on out-of-fold predictions of the tuning half at the operating point
below. The test half is scored and printed, never used to choose anything.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]

from bench._shared_data import data_dir
from bench.devset_pages import DEMO, fold, half
from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.evidence import Source, rank_evidence
from hsc_jit.answer.features import FEATURES
from hsc_jit.answer.ranker import (
    COVERAGE_FEATURES,
    MODEL_FILE,
    Model,
    Pool,
    coverage_row,
    pool,
    unit_logits,
)
from hsc_jit.config import Settings
from hsc_jit.fetch.extract import DocumentKind, extract
from hsc_jit.retrieve.embed import SentenceEmbedder
from hsc_jit.retrieve.rank import PageIndex

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "bench" / "devsets" / "answers_real.jsonl"
FEATURES_FILE = ROOT / "bench" / "devsets" / "answer_ranker_features.csv.gz"
MODEL_PATH = ROOT / "src" / "hsc_jit" / "answer" / MODEL_FILE
# The operating point: refuse as many unanswerable questions as possible while wrongly
# refusing at most this share of answerable ones (out-of-fold, tuning half).
MAX_WRONGLY_REFUSED = 0.08
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
KEEP_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
MIN_KEEP_GRID = (0.05, 0.1, 0.2, 0.3)
FOLDS = 5
# Of 0.03, 0.3 and 3, the best out-of-fold ROC AUC on the tuning half (0.74).
COVERAGE_C = 0.3
Fitted = tuple[np.ndarray, float, np.ndarray, np.ndarray]  # weights, bias, mean, scale


@dataclass(frozen=True, slots=True)
class Manual:
    name: str
    brand: str
    title: str
    pages: dict[int, str]


def manuals(items: list[dict[str, Any]], folder: Path) -> dict[str, Manual]:
    catalog = json.loads((DEMO / "catalog.json").read_text(encoding="utf-8"))
    brands = {b["id"]: b["name"] for b in catalog["brands"]}
    demo = {p["id"]: p for p in catalog["products"]}
    found: dict[str, Manual] = {}
    for product in sorted({i["product"] for i in items}):
        if product in demo:
            entry = demo[product]
            path = DEMO / "manuals" / entry["documentation"]["url"].rsplit("/", 1)[-1]
            kind: DocumentKind = "pdf" if path.suffix == ".pdf" else "html"
            name, brand = entry["name"], brands[entry["brand"]]
        else:
            path = folder / "product-pages" / "pdf" / f"{product}.pdf"
            kind, brand, name = "pdf", "Roland", ""
        document = extract(path.read_bytes(), kind)
        found[product] = Manual(
            name=name or document.title,
            brand=brand,
            title=document.title,
            pages={page.number: page.text for page in document.pages},
        )
    return found


def question_pools(
    items: list[dict[str, Any]], folder: Path
) -> Iterator[tuple[dict[str, Any], Pool]]:
    """Each item with its candidate pool, built as the server builds it."""
    settings = Settings()
    embedder = SentenceEmbedder(threads=2)
    by_product = manuals(items, folder)
    indexes: dict[str, PageIndex] = {}
    for product, manual in by_product.items():
        index = PageIndex.build(sorted(manual.pages.items()), manual.title)
        indexes[product] = index.with_vectors(embedder.embed(index.sentences))
    for item in items:
        manual = by_product[item["product"]]
        vector = embedder.embed([item["question"]])[0]
        source = Source(indexes[item["product"]], manual.pages, manual.title, "")
        ranked = rank_evidence([source], item["question"], settings.answer_top_pages, vector)
        request = AnswerRequest(
            question=item["question"],
            scenario=item.get("scenario", "general"),
            product_name=manual.name,
            brand_name=manual.brand,
            product_category=None,
            evidence=[r.evidence for r in ranked],
        )
        matched = max((r.ranked.matched for r in ranked), default=0.0)
        yield item, pool(request, matched)


def write_features(folder: Path) -> None:
    items = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line]
    with gzip.open(FEATURES_FILE, "wt", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["question", "half", "answerable", "label", *FEATURES, "pool_cover", "matched"]
        )
        for number, (item, candidates) in enumerate(question_pools(items, folder)):
            facts = [fold(f) for f in item["key_facts"]]
            evidence = set(item["evidence_pages"])
            for unit, row in zip(candidates.units, candidates.features, strict=True):
                label = unit.page in evidence and any(f in fold(unit.text) for f in facts)
                writer.writerow(
                    [
                        number,
                        half(item["product"]),
                        int(item["answerable"]),
                        int(label),
                        *(f"{value:.6g}" for value in row),
                        *(f"{value:.6g}" for value in candidates.coverage[-2:]),
                    ]
                )
    print(f"wrote {FEATURES_FILE.relative_to(ROOT)} ({len(items)} questions)")


@dataclass
class Table:
    question: np.ndarray
    half: np.ndarray
    answerable: np.ndarray
    label: np.ndarray
    features: np.ndarray
    extra: np.ndarray  # pool_cover, matched per row (the same for a question's rows)

    def subset(self, mask: np.ndarray) -> Table:
        return Table(
            self.question[mask],
            self.half[mask],
            self.answerable[mask],
            self.label[mask],
            self.features[mask],
            self.extra[mask],
        )


def read_table() -> Table:
    with gzip.open(FEATURES_FILE, "rt", encoding="utf-8") as source:
        reader = csv.reader(source)
        header = next(reader)
        if tuple(header[4 : 4 + len(FEATURES)]) != FEATURES:
            raise SystemExit("the stored features are not the current ones: run `features`")
        rows = list(reader)
    numbers = np.asarray([[float(v) for v in r[4:]] for r in rows])
    return Table(
        question=np.asarray([int(r[0]) for r in rows]),
        half=np.asarray([r[1] for r in rows]),
        answerable=np.asarray([int(r[2]) for r in rows]),
        label=np.asarray([int(r[3]) for r in rows]),
        features=numbers[:, : len(FEATURES)],
        extra=numbers[:, len(FEATURES) :],
    )


def fit_units(table: Table, c: float) -> Fitted:
    mean = table.features.mean(axis=0)
    scale = table.features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit((table.features - mean) / scale, table.label)
    return model.coef_[0], float(model.intercept_[0]), mean, scale


def top1(table: Table, fitted: Fitted) -> float:
    """Share of answerable questions whose best-scored unit holds a key fact."""
    weights, bias, mean, scale = fitted
    logits = ((table.features - mean) / scale) @ weights + bias
    right = []
    for question in np.unique(table.question[table.answerable == 1]):
        rows = np.flatnonzero(table.question == question)
        right.append(table.label[rows[np.argmax(logits[rows])]] == 1)
    return float(np.mean(right)) if right else 0.0


def folds(table: Table) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    # Grouped by question here; the halves are already split by product.
    splitter = GroupKFold(n_splits=FOLDS)
    yield from splitter.split(table.features, table.label, table.question)


def choose_c(table: Table) -> float:
    scores = {}
    for c in C_GRID:
        found = []
        for train, held in folds(table):
            fitted = fit_units(table.subset(train), c)
            found.append(top1(table.subset(held), fitted))
        scores[c] = float(np.mean(found))
    print(
        "unit model C → out-of-fold top-1: " + ", ".join(f"{c}: {s:.3f}" for c, s in scores.items())
    )
    return max(scores, key=lambda c: scores[c])


def question_rows(table: Table, unit_model: Model) -> tuple[np.ndarray, np.ndarray]:
    """Coverage features and answerable label per question."""
    features, labels = [], []
    for question in np.unique(table.question):
        rows = np.flatnonzero(table.question == question)
        candidates = Pool(
            intent=None,  # type: ignore[arg-type]  # not read by coverage_row
            units=(),
            features=table.features[rows],
            coverage=np.array([0.0] * 6 + [*table.extra[rows[0]]]),
        )
        logits = unit_logits(candidates.features, unit_model)
        features.append(coverage_row(candidates, logits))
        labels.append(table.answerable[rows[0]])
    return np.asarray(features), np.asarray(labels)


def as_model(unit: Fitted, **extra: Any) -> Model:
    weights, bias, mean, scale = unit
    defaults: dict[str, Any] = {
        "coverage_weights": np.zeros(len(COVERAGE_FEATURES)),
        "coverage_bias": 0.0,
        "coverage_mean": np.zeros(len(COVERAGE_FEATURES)),
        "coverage_scale": np.ones(len(COVERAGE_FEATURES)),
        "coverage_threshold": 0.5,
        "keep_share": 1.01,
        "min_keep": 1.0,
    }
    return Model(weights, bias, mean, scale, **{**defaults, **extra})


def fit_coverage(x: np.ndarray, y: np.ndarray) -> Fitted:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=COVERAGE_C, max_iter=5000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    return model.coef_[0], float(model.intercept_[0]), mean, scale


def coverage_probabilities(
    x: np.ndarray, fitted: tuple[np.ndarray, float, np.ndarray, np.ndarray]
) -> np.ndarray:
    weights, bias, mean, scale = fitted
    return np.asarray(1 / (1 + np.exp(-(((x - mean) / scale) @ weights + bias))))


def choose_threshold(probabilities: np.ndarray, answerable: np.ndarray) -> float:
    best, chosen = -1.0, 0.0
    for threshold in np.unique(np.round(probabilities, 4)):
        wrongly = np.mean(probabilities[answerable == 1] < threshold)
        refused = np.mean(probabilities[answerable == 0] < threshold)
        if wrongly <= MAX_WRONGLY_REFUSED and refused > best:
            best, chosen = float(refused), float(threshold)
    return chosen


def operating_point(probabilities: np.ndarray, answerable: np.ndarray, threshold: float) -> str:
    wrongly = np.mean(probabilities[answerable == 1] < threshold)
    refused = np.mean(probabilities[answerable == 0] < threshold)
    return f"unanswerable refused {refused:.1%}, answerable wrongly refused {wrongly:.1%}"


def fit() -> None:
    table = read_table()
    tune = table.subset(table.half == "tune")
    test = table.subset(table.half == "test")
    c = choose_c(tune.subset(tune.answerable == 1))
    unit = fit_units(tune.subset(tune.answerable == 1), c)
    print(f"unit model C={c}: top-1 tune {top1(tune, unit):.1%}, test {top1(test, unit):.1%}")
    # Coverage: out-of-fold unit scores on the tuning half, so the threshold is not optimistic.
    oof_x, oof_y = [], []
    for train, held in folds(tune):
        fold_model = as_model(
            fit_units(tune.subset(train).subset(tune.subset(train).answerable == 1), c)
        )
        x, y = question_rows(tune.subset(held), fold_model)
        oof_x.append(x)
        oof_y.append(y)
    x_tune, y_tune = np.concatenate(oof_x), np.concatenate(oof_y)
    coverage = fit_coverage(x_tune, y_tune)
    oof_p = np.zeros(len(y_tune))
    for train, held in GroupKFold(n_splits=FOLDS).split(x_tune, y_tune, np.arange(len(y_tune))):
        oof_p[held] = coverage_probabilities(
            x_tune[held], fit_coverage(x_tune[train], y_tune[train])
        )
    threshold = choose_threshold(oof_p, y_tune)
    print(
        f"coverage threshold {threshold:.4f}: tune (out of fold) "
        + operating_point(oof_p, y_tune, threshold)
    )
    final = as_model(unit)
    x_test, y_test = question_rows(test, final)
    print(
        "coverage on test: "
        + operating_point(coverage_probabilities(x_test, coverage), y_test, threshold)
    )
    weights, bias, mean, scale = unit
    cw, cb, cm, cs = coverage
    MODEL_PATH.write_text(
        json.dumps(
            {
                "trained_by": "bench/train_answer_ranker.py, tuning half of answers_real.jsonl",
                "features": list(FEATURES),
                "weights": [round(float(v), 6) for v in weights],
                "bias": round(bias, 6),
                "mean": [round(float(v), 6) for v in mean],
                "scale": [round(float(v), 6) for v in scale],
                "coverage_features": list(COVERAGE_FEATURES),
                "coverage_weights": [round(float(v), 6) for v in cw],
                "coverage_bias": round(cb, 6),
                "coverage_mean": [round(float(v), 6) for v in cm],
                "coverage_scale": [round(float(v), 6) for v in cs],
                "coverage_threshold": round(threshold, 4),
                "max_wrongly_refused": MAX_WRONGLY_REFUSED,
                "keep_share": 0.8,
                "min_keep": 0.3,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("features", "fit"))
    parser.add_argument("--data", help="the shared data folder (product pages)")
    args = parser.parse_args()
    if args.step == "features":
        write_features(data_dir(args.data))
    else:
        fit()


if __name__ == "__main__":
    main()
