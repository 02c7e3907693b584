"""Catalog import into SQLite: formats, idempotence, refusals that change nothing, warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hsc_jit.catalog import repository
from hsc_jit.catalog.importer import import_paths
from hsc_jit.config import Settings
from tests.utils.catalog_checks import (
    SAMPLE,
    check_constant_statements,
    check_real_data_imports,
    check_sample_imports,
    table_counts,
)
from tests.utils.db import migrated


def _v3_file(path: Path, products: list[dict[str, object]], brand: str = "acme") -> Path:
    path.write_text(
        json.dumps(
            {
                "brand_identity": {"id": brand, "name": brand.title(), "hq": "Springfield"},
                "products": products,
            }
        )
    )
    return path


def _product(pid: str, **extra: object) -> dict[str, object]:
    return {"id": pid, "name": pid.upper(), "category": "Keys", **extra}


async def test_sample_catalog_imports_completely(settings: Settings) -> None:
    async with migrated(settings) as (_engine, sessionmaker):
        await check_sample_imports(sessionmaker)


async def test_real_data_sets_import_completely(settings: Settings, shared_data: Path) -> None:
    async with migrated(settings) as (engine, sessionmaker):
        await check_real_data_imports(engine, sessionmaker, shared_data)


async def test_context_and_brand_listing_take_constant_statements(
    settings: Settings, tmp_path: Path
) -> None:
    small = _v3_file(
        tmp_path / "small.json",
        [_product("a-1", relationships=[{"type": "accessory", "target_id": "a-2", "label": "x"}]),
         _product("a-2")],
    )  # fmt: skip
    async with migrated(settings) as (engine, sessionmaker):
        await import_paths(sessionmaker, [small])
        small_counts = await check_constant_statements(engine, sessionmaker)
        await import_paths(sessionmaker, [SAMPLE / "catalogs-v3", SAMPLE / "halilit-catalog.jsonl"])
        large_counts = await check_constant_statements(engine, sessionmaker)
    assert small_counts == large_counts
    assert large_counts[0] <= 3
    assert large_counts[1] == 1


async def test_invalid_json_is_reported_with_line_and_changes_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    good = _v3_file(tmp_path / "good.json", [_product("p-1")])
    broken = tmp_path / "broken.json"
    broken.write_text(
        '{"brand_identity": {"id": "x", "name": "X"},\n "products": [\n {"id": "p-9",}\n]}'
    )
    async with migrated(settings) as (_engine, sessionmaker):
        await import_paths(sessionmaker, [good])
        before = await table_counts(sessionmaker)
        report = await import_paths(sessionmaker, [broken])
        assert not report.ok
        assert report.errors[0].startswith(f"{broken}:3:")
        assert "invalid JSON" in report.errors[0]
        assert await table_counts(sessionmaker) == before


async def test_product_without_name_refuses_the_whole_file(
    settings: Settings, tmp_path: Path
) -> None:
    bad = _v3_file(tmp_path / "bad.json", [_product("ok-1"), {"id": "no-name"}])
    lines = tmp_path / "bad.jsonl"
    lines.write_text(
        json.dumps({"id": "j-1", "name": "J", "brand": "b"})
        + "\n"
        + json.dumps({"name": "no id"})
        + "\n"
    )
    good = _v3_file(tmp_path / "good.json", [_product("g-1")], brand="good")
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [bad, lines, good])
        assert report.skipped == 2
        assert any(e.startswith(f"{bad}: products[1]") and "'name'" in e for e in report.errors)
        assert any(e.startswith(f"{lines}:2") and "'id'" in e for e in report.errors)
        async with sessionmaker() as session:
            assert await repository.count_products(session) == 1  # only the good file


async def test_unknown_targets_and_duplicates_are_warnings(
    settings: Settings, tmp_path: Path
) -> None:
    path = _v3_file(
        tmp_path / "warn.json",
        [
            _product(
                "w-1", relationships=[{"type": "accessory", "target_id": "ghost", "label": "?"}]
            ),
            _product("w-1"),
            _product("w-2", category={"not": "text"}),
        ],
    )
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [path])
    assert report.ok
    assert report.products == 2
    assert any("duplicate id 'w-1'" in w for w in report.warnings)
    assert any("'category' is not text" in w for w in report.warnings)
    assert not any("ghost" in w for w in report.warnings)  # the last w-1 has no relationship


async def test_relationship_to_unknown_product_warns(settings: Settings, tmp_path: Path) -> None:
    path = _v3_file(
        tmp_path / "rel.json",
        [
            _product(
                "r-1", relationships=[{"type": "accessory", "target_id": "ghost", "label": "?"}]
            )
        ],
    )
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [path])
        async with sessionmaker() as session:
            context = await repository.get_product_context(session, "r-1")
    assert any("'r-1' -> 'ghost'" in w for w in report.warnings)
    assert context is not None and context.related == []


async def test_legacy_product_list_and_brand_list(settings: Settings, tmp_path: Path) -> None:
    brands = tmp_path / "brands.json"
    brands.write_text(json.dumps([{"id": "zed", "name": "Zed Audio"}]))
    legacy = tmp_path / "legacy.json"
    legacy.write_text(
        json.dumps([{"id": "z-1", "name": "Zed One", "brand": "zed", "price": "1,299"}])
    )
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [brands, legacy])
        async with sessionmaker() as session:
            context = await repository.get_product_context(session, "z-1")
    assert report.ok, report.errors
    assert context is not None
    assert context.brand.name == "Zed Audio"  # a product line does not overwrite the identity
    assert context.product.price == 1299.0


@pytest.mark.parametrize(
    "content", ["", "42", '{"products": 3}', '{"brand_identity": {"id": "x"}, "products": []}']
)
async def test_malformed_files_are_refused(
    settings: Settings, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_text(content)
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [path])
        assert not report.ok
        assert report.errors[0].startswith(str(path))
        assert await table_counts(sessionmaker) == {
            "brands": 0, "products": 0, "product_relations": 0, "product_documents": 0,
        }  # fmt: skip


async def test_missing_path_is_an_error(settings: Settings, tmp_path: Path) -> None:
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [tmp_path / "nope.json"])
    assert report.errors == [f"{tmp_path / 'nope.json'}: no such file or folder"]
