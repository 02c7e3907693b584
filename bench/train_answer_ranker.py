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
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
from sklearn.model_selection import (  # type: ignore[import-untyped]
    GroupKFold,
    StratifiedKFold,
)

from bench._shared_data import data_dir
from bench.devset_pages import DEMO, PRODUCT_PAGES_CATEGORY, fold, half
from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.evidence import Source, mended_question, rank_evidence
from hsc_jit.answer.extractive import grow
from hsc_jit.answer.features import FEATURES
from hsc_jit.answer.ranker import (
    COVERAGE_FEATURES,
    MODEL_FILE,
    SEEDS,
    Keep,
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
# The operating point (``choose_threshold``): the most questions right out of fold on the tuning
# half, wrongly refusing at most this share of answerable ones, the limit.
MAX_WRONGLY_REFUSED = 0.08
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
KEEP_GRID = (0.2, 0.3, 0.5, 0.7, 0.9, 1.01)
MIN_KEEP_GRID = (0.1, 0.2, 0.3, 0.4, 0.5)
OTHER_PAGE_GRID = (0.7, 0.8, 0.9, 1.01)  # 1.01: never another page's unit
MAX_CHARS_GRID = (400, 600, 800, 1000)
# Further units may join an answer only while its citations stay nearly as often on an evidence
# page as those of answers that quote their lead alone: at most this much less.
CITATION_SLACK = 0.03
LEAD_ONLY = Keep(share=1.01, floor=1.01, other_page=1.01, max_chars=0)
FOLDS = 5
_TAIL = (*SEEDS, "page", "size", "lead_chars", "chars", "on_evidence")
COVERAGE_C_GRID = (0.03, 0.3, 3.0)
THRESHOLD_WINDOW = 0.05  # the threshold's neighbourhood its right outcomes are averaged over
THRESHOLD_MARGIN = 1.0  # questions: thresholds this close to the best average tie
Fitted = tuple[np.ndarray, float, np.ndarray, np.ndarray]  # weights, bias, mean, scale


@dataclass(frozen=True, slots=True)
class Manual:
    name: str
    brand: str
    category: str | None
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
            name, brand, category = entry["name"], brands[entry["brand"]], entry.get("category")
        else:
            path = folder / "product-pages" / "pdf" / f"{product}.pdf"
            kind, brand, name, category = "pdf", "Roland", "", PRODUCT_PAGES_CATEGORY
        document = extract(path.read_bytes(), kind)
        found[product] = Manual(
            name=name or document.title,
            brand=brand,
            category=category,
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
        source = Source(indexes[item["product"]], manual.pages, manual.title, "")
        asked = mended_question([source], item["question"])
        vector = embedder.embed([asked])[0]
        ranked = rank_evidence([source], asked, settings.answer_top_pages, vector)
        request = AnswerRequest(
            question=asked,
            scenario=item.get("scenario", "general"),
            product_name=manual.name,
            brand_name=manual.brand,
            product_category=manual.category,
            evidence=[r.evidence for r in ranked],
        )
        matched = max((r.ranked.matched for r in ranked), default=0.0)
        yield item, pool(request, matched)


def write_features(folder: Path) -> None:
    items = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line]
    # mtime=0: the same features give the same bytes, so a rerun shows no change in git.
    with (
        gzip.GzipFile(FEATURES_FILE, "wb", mtime=0) as packed,
        io.TextIOWrapper(packed, encoding="utf-8", newline="") as out,
    ):
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
                        *map(_stored, row),
                        *map(_stored, candidates.coverage[-len(SEEDS) :]),
                        unit.page,
                        unit.units,
                        # As best_units quotes it: grown to its paragraph (and steps, as lead).
                        len(grow(unit, MAX_UNITS, lead=True).text),
                        len(grow(unit, MAX_UNITS, lead=False).text),
                        int(unit.page in evidence),
                    ]
                )
    print(f"wrote {FEATURES_FILE.relative_to(ROOT)} ({len(items)} questions)")


def _stored(value: float) -> str:
    """A feature as the table keeps it: four decimals. The sentence model's int8 kernels round
    differently per CPU, which moved a tenth of the rows in the sixth digit; at four
    decimals the table computed on another machine reads nearly the same."""
    return f"{float(value):.4f}".rstrip("0").rstrip(".")


@dataclass
class Table:
    question: np.ndarray
    product: np.ndarray
    half: np.ndarray
    answerable: np.ndarray
    label: np.ndarray
    features: np.ndarray
    coverage: np.ndarray  # the question's coverage SEEDS (the same for all its rows)
    page: np.ndarray
    size: np.ndarray  # answer units the candidate takes
    lead_chars: np.ndarray  # the candidate's length as the answer's lead, grown
    chars: np.ndarray  # ... and as a further unit
    on_evidence: np.ndarray  # the candidate is on an evidence page (its citation is right)

    def subset(self, mask: np.ndarray) -> Table:
        return Table(*(getattr(self, name)[mask] for name in self.__dataclass_fields__))


def read_table(path: Path = FEATURES_FILE) -> Table:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        reader = csv.reader(source)
        header = next(reader)
        if tuple(header[5:]) != (*FEATURES, *_TAIL):
            raise SystemExit("the stored features are not the current ones: run `features`")
        rows = list(reader)
    numbers = np.asarray([[float(v) for v in r[5:]] for r in rows])
    width, seeds = len(FEATURES), len(SEEDS)
    return Table(
        question=np.asarray([int(r[0]) for r in rows]),
        product=np.asarray([r[1] for r in rows]),
        half=np.asarray([r[2] for r in rows]),
        answerable=np.asarray([int(r[3]) for r in rows]),
        label=np.asarray([int(r[4]) for r in rows]),
        features=numbers[:, :width],
        coverage=numbers[:, width : width + seeds],
        page=numbers[:, width + seeds].astype(int),
        size=numbers[:, width + seeds + 1].astype(int),
        lead_chars=numbers[:, width + seeds + 2].astype(int),
        chars=numbers[:, width + seeds + 3].astype(int),
        on_evidence=numbers[:, width + seeds + 4].astype(int),
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


def questions(table: Table) -> list[np.ndarray]:
    """The row indexes of each question of ``table``, in question order."""
    # One sort, not a scan of the table per question: choosing Keep asks twice per setting.
    order = np.argsort(table.question, kind="stable")
    if not len(order):
        return []
    _, starts = np.unique(table.question[order], return_index=True)
    return np.split(order, starts[1:])


def answers_right(table: Table, logits: np.ndarray, keep: Keep) -> tuple[np.ndarray, np.ndarray]:
    """Per question of ``table`` (``questions`` order): its answer holds a key fact; and per
    page the answer cites, whether it is an evidence page (the citation is right).

    The answer as ``best_units`` builds it: the lead, then the units ``keep`` lets join. An
    unanswerable question's answer never holds a key fact.
    """
    right: list[bool] = []
    cited: list[int] = []
    for rows in questions(table):
        order = rows[np.argsort(-logits[rows], kind="stable")]
        probabilities = 1 / (1 + np.exp(-logits[order]))
        lead = order[0]
        chosen, chars = [lead], int(table.lead_chars[lead])
        for row, probability in zip(order[1:], probabilities[1:], strict=True):
            if keep.stops(float(probabilities[0]), float(probability), chars):
                break
            if keep.admits(float(probability), bool(table.page[row] == table.page[lead])):
                chosen.append(row)
                chars += int(table.chars[row]) + 1
        right.append(bool(table.label[chosen].max()))
        if table.answerable[lead]:
            # One citation per page: after the run of that page's units.
            pages = dict(zip(table.page[chosen], table.on_evidence[chosen], strict=True))
            cited.extend(pages.values())
    return np.asarray(right), np.asarray(cited)


def answered(table: Table, logits: np.ndarray, keep: Keep) -> tuple[float, float]:
    """Shares of answerable questions answered with a key fact, and of right citations."""
    right, cited = answers_right(table, logits, keep)
    right = right[question_answerable(table) == 1]
    return (float(np.mean(right)) if len(right) else 0.0), float(np.mean(cited))


def question_answerable(table: Table) -> np.ndarray:
    return np.asarray([table.answerable[rows[0]] for rows in questions(table)])


def out_of_fold(table: Table, c: float) -> np.ndarray:
    logits = np.zeros(len(table.label))
    for train, held in product_folds(table):
        logits[held] = logits_of(table.subset(held), fit_units(table.subset(train), c))
    return logits


def product_folds(table: Table) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    yield from GroupKFold(n_splits=FOLDS).split(table.features, table.label, table.product)


def choose_c(table: Table) -> float:
    """The strongest regularisation (smallest C) whose out-of-fold top-1 is within two
    questions of the best: closer than that is noise, and a weaker fit carries further."""
    scores = {c: answered(table, out_of_fold(table, c), LEAD_ONLY)[0] for c in C_GRID}
    figures = ", ".join(f"{c}: {s:.3f}" for c, s in scores.items())
    print(f"unit model C → out-of-fold top-1: {figures}")
    margin = 2 / int(np.sum(question_answerable(table)))
    return min(c for c, score in scores.items() if score >= max(scores.values()) - margin)


def choose_keep(table: Table, logits: np.ndarray) -> Keep:
    """The most answers right whose citations stay within ``CITATION_SLACK`` of the lead's
    alone, counted over each setting's allowed neighbours in the grid (ties: the shorter,
    stricter answer).

    Several settings tie at the top, and which of them ties shifts with a question or two;
    a setting whose neighbours are as good sits inside that flat stretch, not at its edge, so
    features computed again on another CPU pick it again. A neighbour whose citations fall
    behind is no part of the stretch, however many it answers.
    """
    _, lead_page = answered(table, logits, LEAD_ONLY)
    grids = (KEEP_GRID, MIN_KEEP_GRID, OTHER_PAGE_GRID, MAX_CHARS_GRID)
    spots = list(itertools.product(*(range(len(grid)) for grid in grids)))
    keeps = {
        spot: Keep(
            KEEP_GRID[spot[0]],
            MIN_KEEP_GRID[spot[1]],
            OTHER_PAGE_GRID[spot[2]],
            MAX_CHARS_GRID[spot[3]],
        )
        for spot in spots
    }
    scores = {spot: answered(table, logits, keeps[spot]) for spot in spots}
    allowed = {spot for spot in spots if scores[spot][1] >= lead_page - CITATION_SLACK}

    def around(spot: tuple[int, ...]) -> float:
        near = itertools.product(
            *(
                range(max(i - 1, 0), min(i + 2, len(grid)))
                for grid, i in zip(grids, spot, strict=True)
            )
        )
        return float(np.mean([scores[other][0] for other in near if other in allowed]))

    best = max(
        allowed,
        key=lambda spot: (
            round(around(spot), 9),
            scores[spot][0],
            -keeps[spot].max_chars,
            keeps[spot].other_page,
            keeps[spot].share,
            keeps[spot].floor,
        ),
    )
    right, cited = scores[best]
    chosen = keeps[best]
    print(f"{chosen}: out-of-fold answers {right:.1%}, citations {cited:.1%} ({lead_page:.1%})")
    return chosen


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


def fit_coverage(x: np.ndarray, y: np.ndarray, c: float) -> Fitted:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    return model.coef_[0], float(model.intercept_[0]), mean, scale


def coverage_probabilities(x: np.ndarray, fitted: Fitted) -> np.ndarray:
    weights, bias, mean, scale = fitted
    return np.asarray(1 / (1 + np.exp(-(((x - mean) / scale) @ weights + bias))))


def coverage_out_of_fold(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    probabilities = np.zeros(len(y))
    for train, held in StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(x, y):
        probabilities[held] = coverage_probabilities(x[held], fit_coverage(x[train], y[train], c))
    return probabilities


def choose_coverage_c(x: np.ndarray, y: np.ndarray) -> float:
    scores = {c: float(roc_auc_score(y, coverage_out_of_fold(x, y, c))) for c in COVERAGE_C_GRID}
    figures = ", ".join(f"{c}: {s:.3f}" for c, s in scores.items())
    print(f"coverage model C → out-of-fold ROC AUC: {figures}")
    return max(scores, key=lambda c: scores[c])


def choose_threshold(probabilities: np.ndarray, answerable: np.ndarray, right: np.ndarray) -> float:
    """The threshold that leaves the most questions right, refusing at most the allowed share.

    Right is an unanswerable question refused, or an answerable one answered with a key fact:
    a refusal pays only where it saves more wrong answers than it costs right ones. The count
    is averaged over thresholds within ``THRESHOLD_WINDOW``: over a wide range it moves by a
    question or two, and a one-question spike must not decide where the threshold sits. Of
    the unbroken run of thresholds within ``THRESHOLD_MARGIN`` questions of the best average
    around it, the middle one (of two, the lower, refusing less): the peak wanders along that
    flat stretch when the features are computed again.
    """
    grid = np.round(np.arange(0.01, 1.0, 0.01), 2)
    allowed, outcomes = [], []
    for threshold in grid:
        refused = probabilities < threshold
        allowed.append(np.mean(refused[answerable == 1]) <= MAX_WRONGLY_REFUSED)
        outcomes.append(int(np.sum(refused & (answerable == 0)) + np.sum(~refused & right)))
    counts = np.asarray(outcomes, dtype=float)
    smoothed = np.asarray(
        [counts[np.abs(grid - threshold) <= THRESHOLD_WINDOW + 1e-9].mean() for threshold in grid]
    )
    ok = np.asarray(allowed)
    # The averages are ratios of whole counts: a difference of exactly the margin must count.
    near = ok & (smoothed >= smoothed[ok].max() - THRESHOLD_MARGIN - 1e-9)
    start = end = int(np.argmax(np.where(ok, smoothed, -np.inf)))
    while start > 0 and near[start - 1]:
        start -= 1
    while end + 1 < len(grid) and near[end + 1]:
        end += 1
    return float(grid[(start + end) // 2])


def operating_point(probabilities: np.ndarray, answerable: np.ndarray, threshold: float) -> str:
    wrongly = np.mean(probabilities[answerable == 1] < threshold)
    refused = np.mean(probabilities[answerable == 0] < threshold)
    return f"unanswerable refused {refused:.1%}, answerable wrongly refused {wrongly:.1%}"


def fit(features: Path = FEATURES_FILE, model: Path = MODEL_PATH) -> None:
    """Train on the table at ``features`` and write the model to ``model``."""
    table = read_table(features)
    tune = table.subset(table.half == "tune")
    test = table.subset(table.half == "test")
    c = choose_c(tune)
    oof = out_of_fold(tune, c)
    keep = choose_keep(tune, oof)
    unit = fit_units(tune, c)
    for name, part in (("tune", tune), ("test", test)):
        logits = logits_of(part, unit)
        right, cited = answered(part, logits, keep)
        print(
            f"{name}: best unit right {answered(part, logits, LEAD_ONLY)[0]:.1%}, "
            f"answer right {right:.1%}, citations {cited:.1%}"
        )
    # Coverage: out-of-fold unit scores and probabilities, so the threshold is not optimistic.
    x_tune, y_tune = coverage_rows(tune, oof)
    coverage_c = choose_coverage_c(x_tune, y_tune)
    coverage = fit_coverage(x_tune, y_tune, coverage_c)
    oof_p = coverage_out_of_fold(x_tune, y_tune, coverage_c)
    threshold = choose_threshold(oof_p, y_tune, answers_right(tune, oof, keep)[0])
    point = operating_point(oof_p, y_tune, threshold)
    print(f"coverage threshold {threshold:.4f}, tune (out of fold): {point}")
    x_test, y_test = coverage_rows(test, logits_of(test, unit))
    p_test = coverage_probabilities(x_test, coverage)
    point = operating_point(p_test, y_test, threshold)
    print(f"coverage on test: {point}, ROC AUC {roc_auc_score(y_test, p_test):.3f}")
    weights, bias, mean, scale = unit
    cw, cb, cm, cs = coverage
    model.write_text(
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
                "keep": asdict(keep),
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {model}")


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
