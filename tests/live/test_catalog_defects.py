"""Catalog files with every kind of defect: refused cleanly (or repaired with a warning), never
a crash, and a refused file changes nothing. test_catalog_import.py covers the common cases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hsc_jit.catalog import repository
from hsc_jit.catalog.importer import import_paths
from hsc_jit.config import Settings
from tests.utils.catalog_checks import table_counts
from tests.utils.db import migrated
from tests.utils.faults import ADMIN_TOKEN, admin_headers, fault_catalog, import_catalog, predict
from tests.utils.live import LiveServer, live_settings, running

WEIRD: list[Any] = [
    None, True, 3, -2.5, 10**30, "", "text", [], [1, "x", None], {}, {"a": {"b": [1]}},
]  # fmt: skip
FIELDS = [
    "id", "name", "brand", "brand_name", "category", "description", "production_country", "sku",
    "family", "images", "documentation", "manual_url", "relationships", "price", "specs",
    "specifications", "brand_identity",
]  # fmt: skip
TEXT_FIELDS = ("category", "description", "production_country", "sku", "family")
DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE_NUMBER = b'[{"id": "a", "name": "A", "brand": "b", "price": ' + b"9" * 5000 + b"}]"
MANUALS_NOT_A_LIST = b'[{"id": "a", "name": "A", "brand": "b", "manuals": 3}]'


async def test_wrong_types_in_every_field_are_refused_or_repaired(
    settings: Settings, tmp_path: Path
) -> None:
    async with migrated(settings) as (_engine, sessionmaker):
        for field in FIELDS:
            for index, value in enumerate(WEIRD):
                path = tmp_path / f"{field}-{index}.json"
                product = {"id": f"p-{field}-{index}", "name": "Thing", "brand": "acme"}
                path.write_text(json.dumps([{**product, field: value}]))
                report = await import_paths(sessionmaker, [path])
                if not report.ok:
                    assert all(e.startswith(str(path)) for e in report.errors), report.errors
                    continue
                async with sessionmaker() as session:
                    context = await repository.get_product_context(session, product["id"])
                if field in ("id", "name"):  # an id or name that was accepted is text
                    continue
                assert context is not None, (field, value)
                for text_field in TEXT_FIELDS:
                    held = getattr(context.product, text_field)
                    assert held is None or isinstance(held, str), (field, value, text_field)


@pytest.mark.parametrize(
    "top",
    [
        {"brand_identity": [], "products": []},
        {"brand_identity": "acme", "products": []},
        {"brands": {"id": "x"}, "products": []},
        {"brands": [3], "products": []},
        {"products": {"id": "x"}},
        {"products": [3, "x"]},
        [None],
        "just a string",
        None,
    ],
)
async def test_wrong_types_at_the_top_are_refused(
    settings: Settings, tmp_path: Path, top: Any
) -> None:
    path = tmp_path / "top.json"
    path.write_text(json.dumps(top))
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [path])
        assert not report.ok
        assert report.errors[0].startswith(str(path))
        assert set((await table_counts(sessionmaker)).values()) == {0}


async def test_a_file_that_is_not_utf8_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('[{"id": "a", "name": "Café", "brand": "b"}]'.encode("latin-1"))
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [path])
    assert report.errors == [f"{path}: not UTF-8 text (byte 25)"]


@pytest.mark.parametrize("content", [DEEP, HUGE_NUMBER, MANUALS_NOT_A_LIST])
async def test_unreadable_files_are_refused_by_the_cli_import(
    settings: Settings, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    async with migrated(settings) as (_engine, sessionmaker):
        report = await import_paths(sessionmaker, [path])
        counts = await table_counts(sessionmaker)
    if content == MANUALS_NOT_A_LIST:  # repairable: the product goes in, the manuals do not
        assert report.ok
        assert any("'manuals' is not a list" in w for w in report.warnings)
        assert counts["product_documents"] == 0
    else:
        assert report.errors[0].startswith(f"{path}")
        assert "invalid JSON" in report.errors[0]
        assert set(counts.values()) == {0}


# -- the same files through POST /api/admin/catalog/import -------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    base = Settings(
        data_dir=tmp_path_factory.mktemp("catalog-defects"),
        load_demo_catalog=False,
        admin_token=ADMIN_TOKEN,
        log_json=False,
        log_level="CRITICAL",
        catalog_poll_s=3600,
    )
    with running(live_settings(base)) as live:
        good = fault_catalog({"acme-rocket-7": None, "acme-anvil-2": None}, brand="acme")
        assert import_catalog(live, good).status_code == 200
        yield live


def _version(server: LiveServer) -> int:
    version: int = httpx.get(f"{server.url}/health").json()["index"]["catalog_version"]
    return version


@pytest.mark.parametrize(
    ("body", "format"),
    [
        (b"", "json"),
        (b"\xff\xfe\x00{", "json"),
        ('[{"id": "a", "name": "Café", "brand": "b"}]'.encode("latin-1"), "json"),
        (DEEP, "json"),
        (b'{"products": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001, "json"),
        (HUGE_NUMBER, "json"),
        (b'{"products": "nope"}', "json"),
        (b'[{"id": ["a"], "name": "A", "brand": "b"}]', "json"),
        (b'{"id": "j", "name": "J", "brand": "b"}\n{"id": 1.5}\n', "jsonl"),
        (b'{"id": "j", "name": "J", "brand": "b"}\n' + DEEP, "jsonl"),
        (b"[1, 2", "jsonl"),
    ],
)
def test_the_admin_import_refuses_defective_files_cleanly(
    server: LiveServer, body: bytes, format: str
) -> None:
    version = _version(server)
    response = httpx.post(
        f"{server.url}/api/admin/catalog/import",
        params={"format": format, "name": "defective"},
        content=body,
        headers=admin_headers(),
        timeout=30,
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "defective" in error["message"]
    assert _version(server) == version
    assert predict(server, "acme rocket")[0] == "acme-rocket-7"


def test_the_admin_import_refuses_a_huge_file(server: LiveServer) -> None:
    version = _version(server)
    body = b"[" + b" " * (50 * 1024 * 1024) + b"]"
    response = httpx.post(
        f"{server.url}/api/admin/catalog/import",
        content=body,
        headers=admin_headers(),
        timeout=60,
    )
    assert response.status_code == 413
    assert _version(server) == version
