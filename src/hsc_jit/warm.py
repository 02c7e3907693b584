"""``hsc-jit warm``: fetch and store products' manuals before customers ask."""

from __future__ import annotations

from collections.abc import Sequence

import typer
from rich.progress import Progress

from hsc_jit.catalog import repository
from hsc_jit.catalog.refs import DocumentRef
from hsc_jit.compose import open_components
from hsc_jit.config import Settings
from hsc_jit.errors import DocumentUnavailable

_VECTORS_WAIT_S = 3600.0  # warming is the time to embed a long manual, however long it takes


async def warm_documents(
    settings: Settings, product_ids: Sequence[str], all_products: bool
) -> list[str]:
    """Fetch every named product's documents and their sentence vectors; returns one line per
    failure (also printed)."""
    async with open_components(settings) as components:
        async with components.sessionmaker() as session:
            contexts = await repository.get_product_contexts(
                session, None if all_products else list(product_ids)
            )
        failures = [f"{pid}: not in the catalog" for pid in product_ids if pid not in contexts]
        jobs = [
            (pid, DocumentRef.of(d)) for pid, context in contexts.items() for d in context.documents
        ]
        stored = 0
        with Progress() as progress:
            task = progress.add_task("Fetching manuals", total=len(jobs))
            for product_id, ref in jobs:
                try:
                    ready = await components.documents.ready(ref, vectors_wait_s=_VECTORS_WAIT_S)
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
