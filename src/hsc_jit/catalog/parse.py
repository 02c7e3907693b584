"""Reading catalog files into records: v3 brand files, legacy product lists, JSON Lines.

Parsing is pure and strict about what makes a file unusable (bad JSON, a product without id or
name) and lenient, with warnings, about what can be repaired (a text field holding an object).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hsc_jit.catalog.models import MAX_ID_LENGTH, RELATION_TYPES
from hsc_jit.errors import CatalogImportError

_TEXT_FIELDS = ("category", "description", "production_country", "sku", "family")
_KNOWN_PRODUCT_KEYS = {
    "id",
    "name",
    "brand",
    "brand_name",
    "images",
    "documentation",
    "manual_url",
    "manuals",
    "relationships",
    "price",
    "specs",
    "specifications",
    "brand_identity",
    *_TEXT_FIELDS,
}


@dataclass(slots=True)
class BrandRecord:
    id: str
    name: str
    hq: str = ""
    founded: str | None = None
    website: str | None = None
    logo_url: str | None = None
    description: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    authoritative: bool = True
    """False when only implied by a product line, so it must not overwrite a full identity."""


@dataclass(slots=True)
class RelationRecord:
    target_id: str
    type: str
    label: str | None


@dataclass(slots=True)
class DocumentRecord:
    url: str
    backup_url: str | None
    type: str | None
    title: str | None = None


@dataclass(slots=True)
class ProductRecord:
    id: str
    name: str
    brand_id: str
    category: str | None = None
    description: str | None = None
    production_country: str | None = None
    sku: str | None = None
    family: str | None = None
    image_main: str | None = None
    image_thumbnail: str | None = None
    price: float | None = None
    specs: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    relations: list[RelationRecord] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFile:
    path: str
    brands: list[BrandRecord] = field(default_factory=list)
    products: list[ProductRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def iter_catalog_files(paths: list[Path]) -> Iterator[Path]:
    """The files named, and the .json/.jsonl files inside the folders named, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix in (".json", ".jsonl")
            )
        elif path.is_file():
            yield path
        else:
            raise CatalogImportError(str(path), "no such file or folder")


def parse_file(path: Path) -> ParsedFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogImportError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise CatalogImportError(str(path), f"cannot be read: {exc.strerror}") from exc
    if path.suffix == ".jsonl":
        return parse_jsonl(text, str(path))
    return parse_json(text, str(path))


def _loads(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogImportError(
            f"{where}:{exc.lineno}:{exc.colno}", f"invalid JSON: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise CatalogImportError(where, "invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise CatalogImportError(where, f"invalid JSON: {exc}") from exc


def parse_json(text: str, source: str) -> ParsedFile:
    data = _loads(text, source)
    parsed = ParsedFile(path=source)
    default_brand: BrandRecord | None = None
    if isinstance(data, dict):
        identity = data.get("brand_identity")
        if identity is not None:
            default_brand = _brand(identity, f"{source}: brand_identity", parsed)
            parsed.brands.append(default_brand)
        for index, raw in enumerate(_list_field(data, "brands", source)):
            parsed.brands.append(_brand(raw, f"{source}: brands[{index}]", parsed))
        if "products" not in data:
            raise CatalogImportError(source, "a catalog object needs a 'products' list")
        items = _list_field(data, "products", source)
    elif isinstance(data, list):
        if data and all(isinstance(i, dict) and _looks_like_brand(i) for i in data):
            for index, raw in enumerate(data):
                parsed.brands.append(_brand(raw, f"{source}: [{index}]", parsed))
            return parsed
        items = data
    else:
        raise CatalogImportError(source, "expected a JSON object or a list of products")
    prefix = "products" if isinstance(data, dict) else ""
    for index, raw in enumerate(items):
        where = f"{source}: {prefix}[{index}]"
        parsed.products.append(_product(raw, where, default_brand, parsed))
    return parsed


def parse_jsonl(text: str, source: str) -> ParsedFile:
    parsed = ParsedFile(path=source)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        raw = _loads(line, where)
        parsed.products.append(_product(raw, where, None, parsed))
    return parsed


def _list_field(data: dict[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise CatalogImportError(source, f"'{key}' must be a list")
    return value


def _looks_like_brand(item: dict[str, Any]) -> bool:
    return (
        "id" in item and "name" in item and not {"brand", "category", "documentation"} & set(item)
    )


def _required_text(raw: dict[str, Any], key: str, where: str, what: str) -> str:
    value = raw.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise CatalogImportError(where, f"{what} lacks '{key}' (a non-empty string)")
    value = value.strip()
    if len(value) > MAX_ID_LENGTH and key == "id":
        raise CatalogImportError(where, f"{what} id is longer than {MAX_ID_LENGTH} characters")
    return value


def _text(raw: dict[str, Any], key: str, where: str, parsed: ParsedFile) -> str | None:
    value = raw.get(key)
    if value is None or isinstance(value, str):
        return value.strip() or None if isinstance(value, str) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    parsed.warnings.append(f"{where}: '{key}' is not text; ignored")
    return None


def _brand(raw: Any, where: str, parsed: ParsedFile) -> BrandRecord:
    if not isinstance(raw, dict):
        raise CatalogImportError(where, "a brand must be a JSON object")
    known = {"id", "name", "hq", "founded", "website", "logo_url", "description"}
    return BrandRecord(
        id=_required_text(raw, "id", where, "brand"),
        name=_required_text(raw, "name", where, "brand"),
        hq=_text(raw, "hq", where, parsed) or "",
        founded=_text(raw, "founded", where, parsed),
        website=_text(raw, "website", where, parsed),
        logo_url=_text(raw, "logo_url", where, parsed),
        description=_text(raw, "description", where, parsed),
        extra={k: v for k, v in raw.items() if k not in known},
    )


def _product(
    raw: Any, where: str, default_brand: BrandRecord | None, parsed: ParsedFile
) -> ProductRecord:
    if not isinstance(raw, dict):
        raise CatalogImportError(where, "a product must be a JSON object")
    product_id = _required_text(raw, "id", where, "product")
    name = _required_text(raw, "name", where, "product")
    brand_id = _text(raw, "brand", where, parsed) or (default_brand.id if default_brand else None)
    if brand_id is None:
        raise CatalogImportError(where, f"product {product_id!r} names no brand")
    if len(brand_id) > MAX_ID_LENGTH:
        raise CatalogImportError(where, f"brand id is longer than {MAX_ID_LENGTH} characters")
    if default_brand is None or brand_id != default_brand.id:
        brand_name = _text(raw, "brand_name", where, parsed) or brand_id
        parsed.brands.append(BrandRecord(id=brand_id, name=brand_name, authoritative=False))
    images = raw.get("images") if isinstance(raw.get("images"), dict) else {}
    assert isinstance(images, dict)
    record = ProductRecord(
        id=product_id,
        name=name,
        brand_id=brand_id,
        image_main=_text(images, "main", where, parsed),
        image_thumbnail=_text(images, "thumbnail", where, parsed),
        price=_price(raw.get("price"), where, parsed),
        specs=_specs(raw, where, parsed),
        extra={k: v for k, v in raw.items() if k not in _KNOWN_PRODUCT_KEYS},
        relations=_relations(raw.get("relationships"), where, parsed),
        documents=_documents(raw, where, parsed),
    )
    for key in _TEXT_FIELDS:
        setattr(record, key, _text(raw, key, where, parsed))
    if images.get("logo"):
        record.extra["brand_logo"] = images["logo"]
    return record


def _price(value: Any, where: str, parsed: ParsedFile) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        parsed.warnings.append(f"{where}: price {value!r} is not a number; ignored")
        return None


def _specs(raw: dict[str, Any], where: str, parsed: ParsedFile) -> dict[str, Any]:
    specs: dict[str, Any] = {}
    for key in ("specifications", "specs"):
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, dict):
            specs.update(value)
        else:
            parsed.warnings.append(f"{where}: '{key}' is not an object; ignored")
    return specs


def _relations(value: Any, where: str, parsed: ParsedFile) -> list[RelationRecord]:
    if value is None:
        return []
    if not isinstance(value, list):
        parsed.warnings.append(f"{where}: 'relationships' is not a list; ignored")
        return []
    relations: dict[tuple[str, str], RelationRecord] = {}
    for index, item in enumerate(value):
        at = f"{where}.relationships[{index}]"
        target = item.get("target_id") if isinstance(item, dict) else None
        if not isinstance(target, str) or not 0 < len(target) <= MAX_ID_LENGTH:
            parsed.warnings.append(f"{at}: needs a 'target_id' (a product id); skipped")
            continue
        kind = item.get("type", "related")
        if kind not in RELATION_TYPES:
            parsed.warnings.append(f"{at}: unknown type {kind!r}; skipped")
            continue
        label = item.get("label") if isinstance(item.get("label"), str) else None
        relations[(item["target_id"], kind)] = RelationRecord(item["target_id"], kind, label)
    return list(relations.values())


def _documents(raw: dict[str, Any], where: str, parsed: ParsedFile) -> list[DocumentRecord]:
    documents: list[DocumentRecord] = []
    doc = raw.get("documentation")
    if isinstance(doc, dict) and (isinstance(doc.get("url"), str) and doc["url"].strip()):
        documents.append(
            DocumentRecord(
                url=doc["url"].strip(),
                backup_url=_text(doc, "backup_url", where, parsed),
                type=_text(doc, "type", where, parsed),
            )
        )
    elif doc not in (None, {}) and not isinstance(doc, dict):
        parsed.warnings.append(f"{where}: 'documentation' is not an object; ignored")
    if isinstance(raw.get("manual_url"), str) and raw["manual_url"].strip():
        documents.append(DocumentRecord(url=raw["manual_url"].strip(), backup_url=None, type=None))
    manuals = raw.get("manuals") or []
    if not isinstance(manuals, list):
        parsed.warnings.append(f"{where}: 'manuals' is not a list; ignored")
        manuals = []
    for item in manuals:
        if isinstance(item, str) and item.strip():
            documents.append(DocumentRecord(url=item.strip(), backup_url=None, type=None))
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            documents.append(
                DocumentRecord(
                    url=item["url"],
                    backup_url=_text(item, "backup_url", where, parsed),
                    type=_text(item, "type", where, parsed),
                    title=_text(item, "title", where, parsed),
                )
            )
    unique: dict[str, DocumentRecord] = {}
    for document in documents:
        if not document.url.startswith(("http://", "https://")):
            parsed.warnings.append(f"{where}: document url {document.url!r} is not http(s)")
        unique.setdefault(document.url, document)
    return list(unique.values())
