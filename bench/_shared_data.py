"""The distributor's real catalog from the shared data folder, as prediction entries.

The folder is ``--data``, else ``$HSC_SHARED_DATA``, else ``../shared/data`` beside the
repository. The catalog is the union of ``catalogs-v3/*.json`` and ``halilit-catalog.jsonl``;
an id seen twice keeps its first entry (v3 files first, in file-name order).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hsc_jit.predict.index import CatalogEntry

ROOT = Path(__file__).resolve().parents[1]
ENV = "HSC_SHARED_DATA"


def data_dir(given: str | None = None) -> Path:
    """The shared data folder: the argument, then the environment, then the default."""
    chosen = given or os.environ.get(ENV)
    return Path(chosen) if chosen else ROOT.parent / "shared" / "data"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _v3_entries(folder: Path) -> list[CatalogEntry]:
    entries = []
    for path in sorted((folder / "catalogs-v3").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        brand = document.get("brand_identity") or {}
        for product in document.get("products", []):
            brand_id = product.get("brand") or brand.get("id") or ""
            entries.append(
                CatalogEntry(
                    id=product["id"],
                    name=product["name"],
                    brand_id=brand_id,
                    brand_name=brand.get("name") or brand_id,
                    category=_text(product.get("category")),
                    sku=_text(product.get("sku")),
                    family=_text(product.get("family")),
                )
            )
    return entries


def _halilit_entries(folder: Path) -> list[CatalogEntry]:
    brands_file = folder / "halilit-brands.json"
    brands = {}
    if brands_file.exists():
        brands = {b["id"]: b["name"] for b in json.loads(brands_file.read_text(encoding="utf-8"))}
    entries = []
    with (folder / "halilit-catalog.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            product = json.loads(line)
            brand_id = product.get("brand") or ""
            entries.append(
                CatalogEntry(
                    id=product["id"],
                    name=product["name"],
                    brand_id=brand_id,
                    brand_name=product.get("brand_name") or brands.get(brand_id) or brand_id,
                    category=_text(product.get("category")),
                    sku=_text(product.get("sku")),
                )
            )
    return entries


def load_catalog(folder: Path) -> list[CatalogEntry]:
    """Every product of both snapshots, ids de-duplicated (first wins)."""
    seen: dict[str, CatalogEntry] = {}
    for entry in _v3_entries(folder) + _halilit_entries(folder):
        seen.setdefault(entry.id, entry)
    return list(seen.values())
