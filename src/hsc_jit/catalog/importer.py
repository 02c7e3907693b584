"""Writing parsed catalog files to the database: idempotent upserts, one transaction per file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog.models import (
    Brand,
    CatalogState,
    Product,
    ProductDocument,
    ProductRelation,
    utcnow,
)
from hsc_jit.catalog.parse import ParsedFile, ProductRecord, iter_catalog_files, parse_file
from hsc_jit.db_utils import chunked
from hsc_jit.errors import CatalogImportError

UrlRewrite = Callable[[str], str]
_BATCH = 500  # rows a statement, well under the drivers' parameter limits


@dataclass(slots=True)
class ImportReport:
    files: int = 0
    brands: int = 0
    products: int = 0
    relationships: int = 0
    documents: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {
            "files": self.files,
            "brands": self.brands,
            "products": self.products,
            "relationships": self.relationships,
            "documents": self.documents,
            "skipped": self.skipped,
            "warnings": len(self.warnings),
            "errors": len(self.errors),
        }


async def import_paths(
    sessionmaker: async_sessionmaker[AsyncSession],
    paths: Sequence[Path],
    rewrite_url: UrlRewrite | None = None,
) -> ImportReport:
    """Import every catalog file under ``paths``; a refused file leaves the database untouched."""
    report = ImportReport()
    seen: dict[str, str] = {}
    try:
        files = list(iter_catalog_files(list(paths)))
    except CatalogImportError as exc:
        report.errors.append(exc.message)
        return report
    for path in files:
        try:
            parsed = parse_file(path)
        except CatalogImportError as exc:
            report.errors.append(exc.message)
            report.skipped += 1
            continue
        await import_parsed(sessionmaker, parsed, report, seen, rewrite_url)
    if report.files:
        await _warn_unknown_targets(sessionmaker, report)
    return report


async def import_parsed(
    sessionmaker: async_sessionmaker[AsyncSession],
    parsed: ParsedFile,
    report: ImportReport,
    seen: dict[str, str] | None = None,
    rewrite_url: UrlRewrite | None = None,
) -> None:
    seen = {} if seen is None else seen
    report.warnings.extend(parsed.warnings)
    products = {}
    for product in parsed.products:
        if product.id in products:
            report.warnings.append(f"{parsed.path}: duplicate id {product.id!r}; the last one wins")
        elif product.id in seen:
            report.warnings.append(
                f"{parsed.path}: duplicate id {product.id!r} (also in {seen[product.id]}); "
                "this file's entry wins"
            )
        products[product.id] = product
        seen[product.id] = parsed.path
    if rewrite_url:
        for product in products.values():
            for document in product.documents:
                document.url = rewrite_url(document.url)
                if document.backup_url:
                    document.backup_url = rewrite_url(document.backup_url)
    try:
        async with sessionmaker() as session, session.begin():
            await _upsert_brands(session, parsed)
            await _upsert_products(session, list(products.values()))
            await _bump_version(session)
    except Exception as exc:
        report.errors.append(f"{parsed.path}: not imported: {type(exc).__name__}: {exc}")
        report.skipped += 1
        return
    report.files += 1
    report.brands += len({b.id for b in parsed.brands})
    report.products += len(products)
    report.relationships += sum(len(p.relations) for p in products.values())
    report.documents += sum(len(p.documents) for p in products.values())


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


async def _upsert_brands(session: AsyncSession, parsed: ParsedFile) -> None:
    full: dict[str, dict[str, Any]] = {}
    implied: dict[str, dict[str, Any]] = {}
    for brand in parsed.brands:
        row = {
            "id": brand.id,
            "name": brand.name,
            "hq": brand.hq,
            "founded": brand.founded,
            "website": brand.website,
            "logo_url": brand.logo_url,
            "description": brand.description,
            "extra": brand.extra,
        }
        (full if brand.authoritative else implied)[brand.id] = row
    await _upsert(session, Brand, list(full.values()))
    rows = [row for key, row in implied.items() if key not in full]
    if rows:
        await session.execute(
            _insert(session, Brand).on_conflict_do_nothing(index_elements=["id"]), rows
        )


async def _upsert_products(session: AsyncSession, products: list[ProductRecord]) -> None:
    """The products, with their relations and documents replaced by the file's."""
    await _upsert(session, Product, _product_rows(products))
    ids = [p.id for p in products]
    for batch_ids in chunked(ids, _BATCH):
        for table in (ProductRelation, ProductDocument):
            await session.execute(delete(table).where(table.product_id.in_(batch_ids)))
    await _insert_rows(session, ProductRelation, _relation_rows(products))
    await _insert_rows(session, ProductDocument, _document_rows(products))


async def _upsert(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows``, or update every column but the id of the rows already there."""
    if not rows:
        return
    stmt = _insert(session, table)
    excluded = {c: getattr(stmt.excluded, c) for c in rows[0] if c != "id"}
    upsert = stmt.on_conflict_do_update(index_elements=["id"], set_=excluded)
    for batch in chunked(rows, _BATCH):
        await session.execute(upsert, batch)


async def _insert_rows(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    for batch in chunked(rows, _BATCH):
        await session.execute(_insert(session, table), batch)


def _product_rows(products: list[ProductRecord]) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "id": p.id,
            "brand_id": p.brand_id,
            "name": p.name,
            "category": p.category,
            "description": p.description,
            "production_country": p.production_country,
            "image_main": p.image_main,
            "image_thumbnail": p.image_thumbnail,
            "sku": p.sku,
            "family": p.family,
            "price": p.price,
            "specs": p.specs,
            "extra": p.extra,
            "updated_at": now,
        }
        for p in products
    ]


def _relation_rows(products: list[ProductRecord]) -> list[dict[str, Any]]:
    return [
        {
            "product_id": p.id,
            "target_id": r.target_id,
            "type": r.type,
            "label": r.label,
            "position": i,
        }
        for p in products
        for i, r in enumerate(p.relations)
    ]


def _document_rows(products: list[ProductRecord]) -> list[dict[str, Any]]:
    return [
        {
            "product_id": p.id,
            "url": d.url,
            "backup_url": d.backup_url,
            "type": d.type,
            "title": d.title,
            "position": i,
        }
        for p in products
        for i, d in enumerate(p.documents)
    ]


async def _bump_version(session: AsyncSession) -> None:
    result = await session.execute(
        update(CatalogState)
        .where(CatalogState.id == 1)
        .values(version=CatalogState.version + 1, updated_at=utcnow())
    )
    if getattr(result, "rowcount", 0) == 0:
        await session.execute(
            _insert(session, CatalogState).on_conflict_do_nothing(index_elements=["id"]),
            [{"id": 1, "version": 1, "updated_at": utcnow()}],
        )


async def _warn_unknown_targets(
    sessionmaker: async_sessionmaker[AsyncSession], report: ImportReport
) -> None:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(ProductRelation.product_id, ProductRelation.target_id)
            .outerjoin(Product, Product.id == ProductRelation.target_id)
            .where(Product.id.is_(None))
            .order_by(ProductRelation.product_id)
        )
        report.warnings.extend(
            f"relationship {source!r} -> {target!r}: no product {target!r} in the catalog"
            for source, target in rows
        )


def format_report(report: ImportReport) -> Iterable[str]:
    """The human summary printed by the CLI and returned by the admin route."""
    summary = report.summary()
    yield ", ".join(f"{key}: {value}" for key, value in summary.items())
    for warning in report.warnings:
        yield f"warning: {warning}"
    for error in report.errors:
        yield f"error: {error}"
