"""Catalog checks that run the same on SQLite (unit) and PostgreSQL (integration)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hsc_jit.catalog import repository
from hsc_jit.catalog.importer import import_paths
from hsc_jit.catalog.models import Brand, Product, ProductDocument, ProductRelation
from hsc_jit.catalog.views import context_view
from tests.utils.db import count_statements


async def table_counts(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessionmaker() as session:
        return {
            model.__tablename__: int(
                await session.scalar(select(func.count()).select_from(model)) or 0
            )
            for model in (Brand, Product, ProductRelation, ProductDocument)
        }


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "catalog"


async def check_sample_imports(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """The test sample (tests/data/catalog) imports completely, with its defects as warnings."""
    v3 = await import_paths(sessionmaker, [SAMPLE / "catalogs-v3"])
    assert v3.ok, v3.errors
    assert v3.files == 3
    assert sum("duplicate id 'acme-hp3'" in w for w in v3.warnings) == 1
    assert sum("is not text" in w for w in v3.warnings) == 1
    assert sum("no product 'missing-throne'" in w for w in v3.warnings) == 1
    async with sessionmaker() as session:
        assert await repository.count_products(session) == 9

    jsonl = await import_paths(sessionmaker, [SAMPLE / "halilit-catalog.jsonl"])
    assert jsonl.ok, jsonl.errors
    assert jsonl.products == 12
    async with sessionmaker() as session:
        assert await repository.count_products(session) == 9 + 12
        context = await repository.get_product_context(session, "acme-sp88")
        hebrew = await repository.get_product_context(session, "delta_p1")
    assert context is not None
    view = context_view(context)
    related = {item["id"]: item for item in view["context"]["related_items"]}
    assert set(related) == {"acme-hp3", "acme-dp1", "acme-sp61", "acme-psu12"}
    assert related["acme-psu12"]["type"] == "spare_part"
    assert related["acme-hp3"]["label"] == "Recommended Headphones"
    assert view["brand"]["hq"] == "Springfield, USA"
    assert view["product"]["documentation"]["type"] == "pdf"
    assert hebrew is not None
    assert context_view(hebrew)["product"]["name"] == "פסנתר חשמלי Delta P-1"
    json.dumps(view)  # the view is plain JSON

    before = await table_counts(sessionmaker)
    again = await import_paths(
        sessionmaker, [SAMPLE / "catalogs-v3", SAMPLE / "halilit-catalog.jsonl"]
    )
    assert again.ok
    assert await table_counts(sessionmaker) == before  # idempotent upsert by id


async def check_real_data_imports(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], data: Path
) -> None:
    v3 = await import_paths(sessionmaker, [data / "catalogs-v3"])
    assert v3.ok, v3.errors
    assert v3.files == 91
    async with sessionmaker() as session:
        assert await repository.count_products(session) == 277
    assert sum("duplicate id" in w for w in v3.warnings) == 2

    jsonl = await import_paths(sessionmaker, [data / "halilit-catalog.jsonl"])
    assert jsonl.ok, jsonl.errors
    assert jsonl.products == 4773
    async with sessionmaker() as session:
        assert await repository.count_products(session) == 277 + 4773
        context = await repository.get_product_context(session, "roland-td17kvx2")
    assert context is not None
    view = context_view(context)
    related = {item["id"]: item for item in view["context"]["related_items"]}
    assert set(related) == {
        "roland-rh300", "roland-ne10", "roland-dap3x",
        "roland-td17kv", "roland-td27kv", "roland-pd120",
    }  # fmt: skip
    assert related["roland-pd120"]["type"] == "spare_part"
    assert related["roland-ne10"]["label"] == "Noise Eater (Essential for Apartments)"
    assert view["brand"]["hq"].startswith("Hamamatsu")
    assert view["product"]["documentation"]["type"] == "pdf"
    json.dumps(view)  # the view is plain JSON

    before = await table_counts(sessionmaker)
    again = await import_paths(sessionmaker, [data / "catalogs-v3", data / "halilit-catalog.jsonl"])
    assert again.ok
    assert await table_counts(sessionmaker) == before  # idempotent upsert by id


async def check_constant_statements(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[int, int]:
    """Statements to read one product's context and to list brands with counts."""
    async with sessionmaker() as session:
        some_id = await session.scalar(select(ProductRelation.product_id).limit(1))
        assert some_id is not None
        with count_statements(engine) as product_statements:
            context = await repository.get_product_context(session, some_id)
            assert context is not None
            assert context.related
            context_view(context)
        with count_statements(engine) as brand_statements:
            rows = await repository.list_brands_with_counts(session)
            assert rows
            for brand, _count in rows:
                assert brand.name
    return len(product_statements), len(brand_statements)
