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
from sklearn.model_selection import (  # type: ignore[import-untyped]
    GroupKFold,
    StratifiedKFold,
)

from bench._shared_data import data_dir
from bench.devset_pages import DEMO, fold, half
from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.evidence import Source, rank_evidence
from hsc_jit.answer.features import FEATURES
from hsc_jit.answer.ranker import (
    COVERAGE_FEATURES,
    MODEL_FILE,
    Pool,
    coverage_row,
    coverage_seed,
    pool,
)
from hsc_jit.answer.units import MAX_UNITS
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
MAX_WRONGLY_REFUSED = 0.03
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
KEEP_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
MIN_KEEP_GRID = (0.05, 0.1, 0.2, 0.3)
FOLDS = 5
_TAIL = ("pool_cover", "matched", "page", "size")
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
        writer.writerow(["question", "product", "half", "answerable", "label", *FEATURES, *_TAIL])
        for number, (item, candidates) in enumerate(question_pools(items, folder)):
            facts = [fold(f) for f in item["key_facts"]]
            evidence = set(item["evidence_pages"])
            for unit, row in zip(candidates.units, candidates.features, strict=True):
                label = unit.page in evidence and any(f in fold(unit.text) for f in facts)
                writer.writerow(
                    [
                        number,
                        item["product"],
                        half(item["product"]),
                        int(item["answerable"]),
                        int(label),
                        *(f"{value:.6g}" for value in row),
                        *(f"{value:.6g}" for value in candidates.coverage[-2:]),
                        unit.page,
                        unit.units,
                    ]
                )
    print(f"wrote {FEATURES_FILE.relative_to(ROOT)} ({len(items)} questions)")


@dataclass
class Table:
    question: np.ndarray
    product: np.ndarray
    half: np.ndarray
    answerable: np.ndarray
    label: np.ndarray
    features: np.ndarray
    coverage: np.ndarray  # pool_cover, matched (the same for a question's rows)
    page: np.ndarray
    size: np.ndarray  # answer units the candidate takes

    def subset(self, mask: np.ndarray) -> Table:
        return Table(*(getattr(self, name)[mask] for name in self.__dataclass_fields__))


def read_table() -> Table:
    with gzip.open(FEATURES_FILE, "rt", encoding="utf-8") as source:
        reader = csv.reader(source)
        header = next(reader)
        if tuple(header[5:]) != (*FEATURES, *_TAIL):
            raise SystemExit("the stored features are not the current ones: run `features`")
        rows = list(reader)
    numbers = np.asarray([[float(v) for v in r[5:]] for r in rows])
    width = len(FEATURES)
    return Table(
        question=np.asarray([int(r[0]) for r in rows]),
        product=np.asarray([r[1] for r in rows]),
        half=np.asarray([r[2] for r in rows]),
        answerable=np.asarray([int(r[3]) for r in rows]),
        label=np.asarray([int(r[4]) for r in rows]),
        features=numbers[:, :width],
        coverage=numbers[:, width : width + 2],
        page=numbers[:, width + 2].astype(int),
        size=numbers[:, width + 3].astype(int),
    )


def fit_units(table: Table, c: float) -> Fitted:
    """The unit model, fitted on the answerable questions of ``table``."""
    table = table.subset(table.answerable == 1)
    mean = table.features.mean(axis=0)
    scale = table.features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit((table.features - mean) / scale, table.label)
    return model.coef_[0], float(model.intercept_[0]), mean, scale


def logits_of(table: Table, fitted: Fitted) -> np.ndarray:
    weights, bias, mean, scale = fitted
    return np.asarray(((table.features - mean) / scale) @ weights + bias)


def questions(table: Table) -> Iterator[np.ndarray]:
    """The row indexes of each question of ``table``."""
    for question in np.unique(table.question):
        yield np.flatnonzero(table.question == question)


def answered(table: Table, logits: np.ndarray, keep_share: float, min_keep: float) -> float:
    """Share of answerable questions whose answer (lead + units kept) holds a key fact.

    The answer as ``best_units`` builds it: the lead, then units of the lead's page rated at
    least ``max(min_keep, keep_share * best)``, within the answer's length in units.
    """
    right = []
    for rows in questions(table):
        if not table.answerable[rows[0]]:
            continue
        order = rows[np.argsort(-logits[rows], kind="stable")]
        probabilities = 1 / (1 + np.exp(-logits[order]))
        lead = order[0]
        chosen, budget = [lead], MAX_UNITS - table.size[lead]
        floor = max(min_keep, keep_share * probabilities[0])
        for row, probability in zip(order[1:], probabilities[1:], strict=True):
            if probability < floor or budget <= 0:
                break
            if table.page[row] == table.page[lead] and table.size[row] <= budget:
                chosen.append(row)
                budget -= table.size[row]
        right.append(bool(table.label[chosen].max()))
    return float(np.mean(right)) if right else 0.0


def out_of_fold(table: Table, c: float) -> np.ndarray:
    logits = np.zeros(len(table.label))
    for train, held in product_folds(table):
        logits[held] = logits_of(table.subset(held), fit_units(table.subset(train), c))
    return logits


def product_folds(table: Table) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    yield from GroupKFold(n_splits=FOLDS).split(table.features, table.label, table.product)


def choose_c(table: Table) -> float:
    scores = {c: answered(table, out_of_fold(table, c), 1.01, 1.0) for c in C_GRID}
    figures = ", ".join(f"{c}: {s:.3f}" for c, s in scores.items())
    print(f"unit model C → out-of-fold top-1: {figures}")
    return max(scores, key=lambda c: scores[c])


def choose_keep(table: Table, logits: np.ndarray) -> tuple[float, float]:
    scores = {
        (share, floor): answered(table, logits, share, floor)
        for share in KEEP_GRID
        for floor in MIN_KEEP_GRID
    }
    best = max(scores, key=lambda key: (scores[key], key))  # ties: keep fewer units
    print(f"keep share {best[0]}, min {best[1]}: out-of-fold answers {scores[best]:.1%}")
    return best


def coverage_rows(table: Table, logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coverage features and answerable label per question."""
    features, labels = [], []
    for rows in questions(table):
        candidates = Pool(
            intent=None,  # type: ignore[arg-type]  # not read by coverage_row
            units=(),
            features=table.features[rows],
            coverage=coverage_seed(*table.coverage[rows[0]]),
        )
        features.append(coverage_row(candidates, logits[rows]))
        labels.append(table.answerable[rows[0]])
    return np.asarray(features), np.asarray(labels)


def fit_coverage(x: np.ndarray, y: np.ndarray) -> Fitted:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=COVERAGE_C, max_iter=5000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    return model.coef_[0], float(model.intercept_[0]), mean, scale


def coverage_probabilities(x: np.ndarray, fitted: Fitted) -> np.ndarray:
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
    c = choose_c(tune)
    oof = out_of_fold(tune, c)
    keep_share, min_keep = choose_keep(tune, oof)
    unit = fit_units(tune, c)
    for name, part in (("tune", tune), ("test", test)):
        logits = logits_of(part, unit)
        print(
            f"{name}: best unit right {answered(part, logits, 1.01, 1.0):.1%}, "
            f"answer right {answered(part, logits, keep_share, min_keep):.1%}"
        )
    # Coverage: out-of-fold unit scores and probabilities, so the threshold is not optimistic.
    x_tune, y_tune = coverage_rows(tune, oof)
    coverage = fit_coverage(x_tune, y_tune)
    oof_p = np.zeros(len(y_tune))
    for train, held in StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(x_tune, y_tune):
        oof_p[held] = coverage_probabilities(
            x_tune[held], fit_coverage(x_tune[train], y_tune[train])
        )
    threshold = choose_threshold(oof_p, y_tune)
    point = operating_point(oof_p, y_tune, threshold)
    print(f"coverage threshold {threshold:.4f}, tune (out of fold): {point}")
    x_test, y_test = coverage_rows(test, logits_of(test, unit))
    point = operating_point(coverage_probabilities(x_test, coverage), y_test, threshold)
    print(f"coverage on test: {point}")
    weights, bias, mean, scale = unit
    cw, cb, cm, cs = coverage
    MODEL_PATH.write_text(
        json.dumps(
            {
                "trained_by": "bench/train_answer_ranker.py, tuning half of answers_real.jsonl",
                "features": list(FEATURES),
                "weights": _rounded(weights),
                "bias": round(bias, 6),
                "mean": _rounded(mean),
                "scale": _rounded(scale),
                "coverage_features": list(COVERAGE_FEATURES),
                "coverage_weights": _rounded(cw),
                "coverage_bias": round(cb, 6),
                "coverage_mean": _rounded(cm),
                "coverage_scale": _rounded(cs),
                "coverage_threshold": round(threshold, 4),
                "max_wrongly_refused": MAX_WRONGLY_REFUSED,
                "keep_share": keep_share,
                "min_keep": min_keep,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]


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
