"""``hsc-jit``: serve, migrate, import catalogs, warm manuals, check an instance, the schema."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from hsc_jit.config import Settings, get_settings

if TYPE_CHECKING:  # the commands import what they run when run, so that --help stays quick
    from hsc_jit.catalog.importer import ImportReport

app = typer.Typer(help="HSC-JIT: just-in-time product support.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
catalog_app = typer.Typer(help="The product catalog.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(catalog_app, name="catalog")


def load_settings() -> Settings:
    """Settings from the environment; a bad one stops here with one line naming it."""
    get_settings.cache_clear()
    try:
        return get_settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "settings"
        given = error.get("input")
        secret = any(word in field for word in ("token", "key", "password", "secret"))
        shown = f" (got {given!r})" if isinstance(given, str | int | float) and not secret else ""
        typer.echo(f"error: HSC_{field.upper()}: {error['msg']}{shown}", err=True)
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (HSC_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (HSC_PORT).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes; >1 runs gunicorn.")] = None,
) -> None:
    """Run the server (migrating SQLite and loading the demo catalog on first run)."""
    # Options become the variables, so that gunicorn's workers see them too.
    for key, value in (("HSC_HOST", host), ("HSC_PORT", port), ("HSC_WORKERS", workers)):
        if value is not None:
            os.environ[key] = str(value)
    settings = load_settings()
    from hsc_jit.observability.logging import configure_logging
    from hsc_jit.server import run_gunicorn, run_uvicorn, use_multiprocess_metrics

    configure_logging(settings.log_level, settings.log_json)

    if settings.workers > 1:
        use_multiprocess_metrics()
        asyncio.run(_prepare(settings))
        # Migrated once here, so the workers do not race to migrate the same file.
        os.environ["HSC_AUTO_MIGRATE"] = "false"
        get_settings.cache_clear()
        run_gunicorn(settings, settings.workers)
    else:
        run_uvicorn(settings)


async def _prepare(settings: Settings) -> None:
    from hsc_jit.compose import open_components
    from hsc_jit.demo.loader import seed_demo_catalog

    async with open_components(settings) as components:
        await seed_demo_catalog(settings, components.sessionmaker)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply the schema migrations."""
    settings = load_settings()
    from hsc_jit.catalog.migrate import upgrade_sync

    upgrade_sync(settings, revision)
    typer.echo(f"database at {revision}")


@catalog_app.command("import")
def catalog_import(
    paths: Annotated[list[Path], typer.Argument(help="Catalog files or folders.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary.")] = False,
) -> None:
    """Import v3 catalog JSON files, legacy product lists and JSON Lines (idempotent upsert)."""
    settings = load_settings()
    from hsc_jit.catalog.importer import format_report

    report = asyncio.run(_import(settings, paths))
    for index, line in enumerate(format_report(report)):
        if index == 0 or not quiet or line.startswith("error"):
            typer.echo(line, err=line.startswith("error"))
    if not report.ok:
        raise typer.Exit(1)


async def _import(settings: Settings, paths: list[Path]) -> ImportReport:
    from hsc_jit.catalog.importer import import_paths
    from hsc_jit.compose import open_components
    from hsc_jit.services.catalog_watch import announce

    async with open_components(settings) as components:
        report = await import_paths(components.sessionmaker, paths)
        if report.files:
            await announce(components.bus, {"kind": "catalog", "source": "cli"})
        return report


@app.command()
def warm(
    product_ids: Annotated[
        list[str] | None, typer.Argument(help="Products whose manuals to fetch.")
    ] = None,
    all_products: Annotated[
        bool, typer.Option("--all", help="Every product with a manual.")
    ] = False,
) -> None:
    """Fetch and store manuals ahead of time."""
    if not product_ids and not all_products:
        typer.echo("error: name product ids or pass --all", err=True)
        raise typer.Exit(2)
    settings = load_settings()
    from hsc_jit.warm import warm_documents

    failures = asyncio.run(warm_documents(settings, product_ids or [], all_products))
    if failures:
        raise typer.Exit(1)


@app.command()
def check(
    url: Annotated[
        str, typer.Option(help="Base URL of a running instance.")
    ] = "http://127.0.0.1:8000",
    memory_limit: Annotated[int | None, typer.Option(help="Memory limit in bytes.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The before-production checklist, measured from a running instance's /metrics."""
    from hsc_jit.ops.checklist import fetch_and_check

    results = asyncio.run(fetch_and_check(url, memory_limit))
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        for result in results:
            typer.echo(result.line())
    if not all(r.passed for r in results if r.applicable):
        raise typer.Exit(1)


@app.command()
def unanswered(
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    grouped: Annotated[
        bool, typer.Option("--grouped", help="Per product, questions worded alike, as one line.")
    ] = False,
) -> None:
    """The latest questions the manuals did not cover."""
    settings = load_settings()
    from hsc_jit.compose import open_components

    async def run() -> None:
        async with open_components(settings, migrate=False) as components:
            review = await components.review.unanswered(limit, grouped=grouped)
        if grouped:
            for group in review["groups"]:
                name = group["product_name"] or group["product_id"]
                typer.echo(f"{group['count']:>4}x  {name}  {group['example']}")
            return
        for row in review["questions"]:
            typer.echo(
                f"{row['created_at'][:16].replace('T', ' ')}  {row['product_id']}  "
                f"[{row['scenario']}]  {row['question']}"
            )

    asyncio.run(run())


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the document here, not to stdout.")
    ] = None,
) -> None:
    """The wire contract as one JSON Schema: socket frames both ways, HTTP bodies."""
    from hsc_jit.api.contract import render_contract_schema

    text = render_contract_schema()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
