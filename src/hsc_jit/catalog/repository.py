"""Catalog queries. Each function issues a fixed number of statements, whatever the catalog size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hsc_jit.catalog.models import (
    Brand,
    CatalogState,
    Product,
    ProductDocument,
    ProductRelation,
    UnansweredQuestion,
)
from hsc_jit.db_utils import chunked


@dataclass(slots=True)
class RelatedProduct:
    relation: ProductRelation
    target: Product


@dataclass(slots=True)
class ProductContext:
    product: Product
    brand: Brand
    related: list[RelatedProduct] = field(default_factory=list)
    documents: list[ProductDocument] = field(default_factory=list)


async def get_product_context(session: AsyncSession, product_id: str) -> ProductContext | None:
    contexts = await get_product_contexts(session, [product_id])
    return contexts.get(product_id)


async def get_product_contexts(
    session: AsyncSession, product_ids: Sequence[str] | None = None
) -> dict[str, ProductContext]:
    """Products with brand, related items and documents: three statements per 500 ids.

    ``None`` loads the whole catalog (for the prediction snapshot) in three statements.
    """
    batches: list[Sequence[str] | None] = (
        [None] if product_ids is None else list(chunked(list(dict.fromkeys(product_ids)), 500))
    )
    contexts: dict[str, ProductContext] = {}
    for batch in batches:
        contexts.update(await _load_contexts(session, batch))
    return contexts


async def _load_contexts(
    session: AsyncSession, ids: Sequence[str] | None
) -> dict[str, ProductContext]:
    stmt = select(Product, Brand).join(Brand, Brand.id == Product.brand_id).order_by(Product.id)
    if ids is not None:
        stmt = stmt.where(Product.id.in_(ids))
    contexts = {
        product.id: ProductContext(product, brand) for product, brand in await session.execute(stmt)
    }
    if not contexts:
        return contexts
    target = aliased(Product)
    rel_stmt = (
        select(ProductRelation, target)
        .join(target, target.id == ProductRelation.target_id)
        .order_by(ProductRelation.product_id, ProductRelation.position)
    )
    doc_stmt = select(ProductDocument).order_by(
        ProductDocument.product_id, ProductDocument.position
    )
    if ids is not None:
        rel_stmt = rel_stmt.where(ProductRelation.product_id.in_(ids))
        doc_stmt = doc_stmt.where(ProductDocument.product_id.in_(ids))
    for relation, related in await session.execute(rel_stmt):
        if relation.product_id in contexts:
            contexts[relation.product_id].related.append(RelatedProduct(relation, related))
    for document in await session.scalars(doc_stmt):
        if document.product_id in contexts:
            contexts[document.product_id].documents.append(document)
    return contexts


async def list_brands_with_counts(session: AsyncSession) -> list[tuple[Brand, int]]:
    """Every brand with its number of products, in one statement."""
    count = func.count(Product.id)
    rows = await session.execute(
        select(Brand, count)
        .outerjoin(Product, Product.brand_id == Brand.id)
        .group_by(Brand.id)
        .order_by(Brand.name)
    )
    return [(brand, int(n)) for brand, n in rows]


async def count_products(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count(Product.id))) or 0)


async def catalog_version(session: AsyncSession) -> int:
    version = await session.scalar(select(CatalogState.version).where(CatalogState.id == 1))
    return int(version or 0)


async def record_unanswered(
    session: AsyncSession, product_id: str, question: str, scenario: str
) -> None:
    session.add(UnansweredQuestion(product_id=product_id, question=question, scenario=scenario))


async def list_unanswered(session: AsyncSession, limit: int = 100) -> list[UnansweredQuestion]:
    rows = await session.scalars(
        select(UnansweredQuestion)
        .order_by(UnansweredQuestion.created_at.desc(), UnansweredQuestion.id.desc())
        .limit(limit)
    )
    return list(rows)


async def delete_unanswered(session: AsyncSession, before: datetime) -> int:
    """Delete unanswered questions recorded before ``before``."""
    result = await session.execute(
        delete(UnansweredQuestion)
        .where(UnansweredQuestion.created_at < before)
        .returning(UnansweredQuestion.id)
    )
    return len(result.all())
