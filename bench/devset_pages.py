"""The page texts a dev-set item is judged against, and a checker for the answers dev sets.

Product pages come from ``corpus.json`` of the shared product-page corpus (exact PDF page
texts); demo manuals are extracted by the project's own extractor, so page numbers are the
ones an answer cites.

    uv run python -m bench.devset_pages [--data ../shared/data] FILE.jsonl...

prints every item whose key facts are not on its evidence pages, or whose fields are off. A line
of the follow-ups set (``turns``) is checked turn by turn, each turn as an answers item.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from bench._shared_data import data_dir
from hsc_jit.fetch.extract import DocumentKind, extract

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "hsc_jit" / "demo"
KINDS = (
    "yes_no",
    "number",
    "inclusion",
    "compatibility",
    "procedure",
    "paraphrase",
    "lookup",
    "unanswerable",
)
FOLLOW_UPS = (
    "ellipsis",
    "what_about",
    "pronoun",
    "scenario",
    "how_many",
    "yes_no",
    "standalone",
    "hebrew",
)
# The category the product pages are imported under (bench.answers); the answer path leaves
# its words out of the question, so training must see it too.
PRODUCT_PAGES_CATEGORY = "Instruments"
_SPACE = re.compile(r"\s+")
_SPLIT_SALT = 148


def half(product: str) -> str:
    """``tune`` or ``test``: the half of the dev set a product's questions belong to."""
    # The salt was picked, before any result was seen, for halves of even size and mix.
    digest = hashlib.sha256(f"{_SPLIT_SALT}:{product}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "test"


def fold(text: str) -> str:
    """Case and whitespace folded, and typographic quotes made plain, for fact matching."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE.sub(" ", text).casefold().strip()


@cache
def product_pages(folder: Path) -> dict[str, dict[int, str]]:
    corpus = json.loads((folder / "product-pages" / "corpus.json").read_text(encoding="utf-8"))
    return {
        product["slug"]: {page["page"]: page["text"] for page in product["pages"]}
        for product in corpus["products"]
    }


@cache
def demo_pages(product_id: str) -> dict[int, str]:
    catalog = json.loads((DEMO / "catalog.json").read_text(encoding="utf-8"))
    product = next(p for p in catalog["products"] if p["id"] == product_id)
    url = product["documentation"]["url"]
    path = DEMO / "manuals" / url.rsplit("/", 1)[-1]
    kind: DocumentKind = "pdf" if path.suffix == ".pdf" else "html"
    document = extract(path.read_bytes(), kind)
    return {page.number: page.text for page in document.pages}


def pages_of(item: dict[str, Any], folder: Path) -> dict[int, str]:
    if item["source"] == "product-pages":
        return product_pages(folder)[item["product"]]
    return demo_pages(item["product"])


def problems(item: dict[str, Any], folder: Path) -> list[str]:
    found: list[str] = []
    if item.get("kind") not in KINDS:
        found.append(f"kind {item.get('kind')!r}")
    if item.get("source") not in ("product-pages", "demo"):
        found.append(f"source {item.get('source')!r}")
        return found
    try:
        pages = pages_of(item, folder)
    except (KeyError, StopIteration):
        return [*found, f"unknown product {item.get('product')!r}"]
    answerable = item.get("answerable")
    if answerable != (item.get("kind") != "unanswerable"):
        found.append("answerable must be false exactly for kind unanswerable")
    if item.get("polar") not in (None, "yes", "no"):
        found.append(f"polar {item.get('polar')!r}")
    if item.get("kind") == "yes_no" and item.get("polar") is None:
        found.append("a yes_no item needs polar")
    if not answerable:
        if item.get("key_facts") or item.get("evidence_pages"):
            found.append("unanswerable items have no key facts or evidence pages")
        return found
    facts = [fold(f) for f in item.get("key_facts", [])]
    evidence = item.get("evidence_pages", [])
    if not facts or not evidence:
        return [*found, "answerable items need key facts and evidence pages"]
    for page in evidence:
        if page not in pages:
            found.append(f"no page {page}")
        elif not any(f in fold(pages[page]) for f in facts):
            found.append(f"page {page} holds no key fact")
    for fact in facts:
        if not any(fact in fold(text) for text in pages.values()):
            found.append(f"key fact {fact!r} is on no page")
    return found


def turn_items(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    """A follow-ups line's turns as answers items (every turn is answerable)."""
    return [
        {
            "source": conversation["source"],
            "product": conversation["product_id"],
            "scenario": "general",
            "answerable": True,
            **turn,
        }
        for turn in conversation["turns"]
    ]


def turn_problems(item: dict[str, Any], number: int, folder: Path) -> list[str]:
    """``problems`` of the ``number``-th turn (0 = the first question) of a conversation."""
    found = problems(item, folder)
    if number and item.get("follow_up") not in FOLLOW_UPS:
        found.append(f"follow_up {item.get('follow_up')!r}")
    if number and not item.get("standalone"):
        found.append("a follow-up needs its standalone question")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description="Check answers dev-set files.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--data", help="the shared data folder")
    args = parser.parse_args()
    folder = data_dir(args.data)
    bad = 0
    kinds: Counter[str] = Counter()
    total = 0
    for path in args.files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            line_item = json.loads(line)
            if "turns" in line_item:
                checks = [
                    (item, turn_problems(item, turn, folder))
                    for turn, item in enumerate(turn_items(line_item))
                ]
            else:
                checks = [(line_item, problems(line_item, folder))]
            for item, found in checks:
                total += 1
                kinds[item.get("kind", "?")] += 1
                for problem in found:
                    bad += 1
                    print(f"{path.name}:{number}: {problem}: {item.get('question')}")
    print(f"{total} items, {bad} problems; " + ", ".join(f"{k} {n}" for k, n in kinds.items()))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
