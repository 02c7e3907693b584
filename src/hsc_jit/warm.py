"""``hsc-jit warm``: fetch and store products' manuals before customers ask."""

from __future__ import annotations

from collections.abc import Sequence

import typer
from rich.progress import Progress

from hsc_jit.cache.factory import build_cache
from hsc_jit.catalog import repository
from hsc_jit.catalog.db import create_engine, create_sessionmaker
from hsc_jit.catalog.migrate import upgrade
from hsc_jit.config import Settings
from hsc_jit.documents.service import DocumentService
from hsc_jit.errors import DocumentUnavailable
from hsc_jit.services.snapshot import DocumentRef

_VECTORS_WAIT_S = 3600.0  # warming is the time to embed a long manual, however long it takes


async def warm_documents(
    settings: Settings, product_ids: Sequence[str], all_products: bool
) -> list[str]:
    """Fetch every named product's documents and their sentence vectors; returns one line per
    failure (also printed)."""
    if settings.should_auto_migrate:
        await upgrade(settings)
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    cache = build_cache(settings)
    service = DocumentService.create(settings, sessionmaker, cache)
    failures: list[str] = []
    try:
        async with sessionmaker() as session:
            contexts = await repository.get_product_contexts(
                session, None if all_products else list(product_ids)
            )
        failures.extend(f"{pid}: not in the catalog" for pid in product_ids if pid not in contexts)
        jobs = [
            (pid, DocumentRef(d.url, d.backup_url, d.type, d.title))
            for pid, context in contexts.items()
            for d in context.documents
        ]
        stored = 0
        with Progress() as progress:
            task = progress.add_task("Fetching manuals", total=len(jobs))
            for product_id, ref in jobs:
                try:
                    ready = await service.ready(ref, vectors_wait_s=_VECTORS_WAIT_S)
                    meaning = " with sentence vectors" if ready.index.has_vectors else ""
                    progress.console.print(
                        f"{product_id}: {len(ready.document.pages)} pages{meaning}"
                    )
                    stored += 1
                except DocumentUnavailable as exc:
                    failures.append(f"{product_id}: {exc.reason}: {exc.message} ({ref.url})")
                progress.advance(task)
        typer.echo(f"{stored} of {len(jobs)} documents stored")
        for line in failures:
            typer.echo(f"failed: {line}", err=True)
        return failures
    finally:
        await service.close()
        await cache.close()
        await engine.dispose()
