"""The demo catalog, its generated manuals and the dev sets over them stay consistent."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from bench.devset_pages import problems

from hsc_jit.catalog.parse import parse_file
from hsc_jit.demo.loader import DEMO_BASE, DEMO_CATALOG, MANUALS_DIR

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_demo_manuals", ROOT / "scripts" / "make_demo_manuals.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the body runs
    spec.loader.exec_module(module)
    return module


def _jsonl(name: str) -> list[dict[str, Any]]:
    path = ROOT / "bench" / "devsets" / name
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def test_demo_catalog_parses_and_relationships_resolve() -> None:
    parsed = parse_file(DEMO_CATALOG)
    assert not parsed.warnings
    raw = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    assert set(raw) == {"brands", "products"}
    ids = {p["id"] for p in raw["products"]}
    brands = {b["id"] for b in raw["brands"]}
    assert len(ids) == len(raw["products"]) >= 25
    for product in raw["products"]:
        assert product["brand"] in brands
        for rel in product["relationships"]:
            assert rel["target_id"] in ids, (product["id"], rel)
        doc = product["documentation"]
        if doc:
            assert doc["url"].startswith(DEMO_BASE + "/demo/manuals/")
            assert (MANUALS_DIR / doc["url"].rsplit("/", 1)[1]).is_file()


def test_manual_pages_hold_their_planned_text() -> None:
    gen = _generator()
    for src in sorted(gen.SRC_DIR.glob("*.md")):
        manual = gen.parse(src)
        out = MANUALS_DIR / manual.file
        if manual.is_pdf:
            assert gen.check_pdf(manual, out.read_bytes()) == []
        else:
            assert out.read_text(encoding="utf-8") == gen.render_html(manual)


def test_devset_pages_exist() -> None:
    gen = _generator()
    pages = {}
    for src in gen.SRC_DIR.glob("*.md"):
        manual = gen.parse(src)
        pages[manual.meta["id"]] = len(manual.sections)
    for item in _jsonl("documents.jsonl"):
        assert 1 <= item["page"] <= pages[item["product_id"]], item
    answer_sets = ("answers.jsonl", "answers_holdout.jsonl", "answers_holdout2.jsonl")
    for item in (item for name in answer_sets for item in _jsonl(name)):
        assert item["product_id"] in pages
        assert item["answerable"] == bool(item["key_facts"]) == bool(item["evidence_pages"])
        assert all(1 <= p <= pages[item["product_id"]] for p in item["evidence_pages"])


def test_product_pages_devset_pages_exist(shared_data: Path) -> None:
    corpus = json.loads((shared_data / "product-pages" / "corpus.json").read_text(encoding="utf-8"))
    counts = {p["slug"]: p["page_count"] for p in corpus["products"]}
    items = _jsonl("product_pages.jsonl")
    assert len(items) >= 40
    for item in items:
        assert 1 <= item["page"] <= counts[item["slug"]], item


def test_product_page_answer_sets_hold_their_key_facts(shared_data: Path) -> None:
    held_out = ("answers_holdout3.jsonl", "answers_holdout4.jsonl", "answers_holdout5.jsonl")
    for name in ("answers_real.jsonl", *held_out):
        for item in _jsonl(name):
            assert not problems(item, shared_data), (name, item["question"])


def test_pdf_page_count_matches_source() -> None:
    gen = _generator()
    for src in gen.SRC_DIR.glob("*.md"):
        manual = gen.parse(src)
        if manual.is_pdf:
            doc = pdfium.PdfDocument(MANUALS_DIR / manual.file)
            try:
                assert len(doc) == len(manual.sections)
            finally:
                doc.close()
