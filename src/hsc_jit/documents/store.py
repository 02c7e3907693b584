"""Fetched manuals in the database: a document row and its pages, replaced atomically, and the
sentence vectors of each document version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hsc_jit.catalog.models import StoredDocument, StoredPage, StoredVectors
from hsc_jit.db_utils import as_utc


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoadedPage:
    number: int
    heading: str | None
    text: str


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """A manual's text, page by page, as requested under its catalog URL."""

    url: str
    final_url: str
    title: str
    kind: str
    version: str
    etag: str | None
    last_modified: str | None
    checked_at: float
    pages: tuple[LoadedPage, ...]
    extraction: int  # the version of the reader that made the pages (``fetch.pages``)

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "final_url": self.final_url,
            "title": self.title,
            "kind": self.kind,
            "version": self.version,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "checked_at": self.checked_at,
            "pages": [[p.number, p.heading, p.text] for p in self.pages],
            "extraction": self.extraction,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoadedDocument:
        return cls(
            url=data["url"],
            final_url=data["final_url"],
            title=data["title"],
            kind=data["kind"],
            version=data["version"],
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            checked_at=float(data["checked_at"]),
            pages=tuple(LoadedPage(int(n), h, t) for n, h, t in data["pages"]),
            extraction=int(data.get("extraction", 1)),  # cached before the readers had one
        )


async def load(session: AsyncSession, url: str) -> LoadedDocument | None:
    """The stored document for a catalog URL, with its pages: two statements."""
    document = await session.scalar(
        select(StoredDocument).where(StoredDocument.url_hash == url_key(url))
    )
    if document is None:
        return None
    pages = await session.scalars(
        select(StoredPage).where(StoredPage.document_id == document.id).order_by(StoredPage.number)
    )
    return _loaded(document, [LoadedPage(p.number, p.heading, p.text) for p in pages])


async def save(
    session: AsyncSession, document: LoadedDocument, byte_size: int, content_type: str | None
) -> None:
    """Insert or replace a document and all its pages in the caller's transaction."""
    key = url_key(document.url)
    fetched = datetime.fromtimestamp(document.checked_at, tz=UTC)
    existing = await session.scalar(select(StoredDocument).where(StoredDocument.url_hash == key))
    if existing is None:
        existing = StoredDocument(url_hash=key, url=document.url)
        session.add(existing)
    else:
        await session.execute(delete(StoredPage).where(StoredPage.document_id == existing.id))
        if existing.content_sha256 != document.version:
            await _drop_orphan_vectors(session, existing.content_sha256, existing.id)
    existing.final_url = document.final_url
    existing.kind = document.kind
    existing.content_type = content_type
    existing.title = document.title
    existing.etag = document.etag
    existing.last_modified = document.last_modified
    existing.content_sha256 = document.version
    existing.extraction = document.extraction
    existing.byte_size = byte_size
    existing.page_count = len(document.pages)
    existing.fetched_at = fetched
    existing.checked_at = fetched
    await session.flush()
    session.add_all(
        StoredPage(document_id=existing.id, number=p.number, heading=p.heading, text=p.text)
        for p in document.pages
    )


async def touch(session: AsyncSession, url: str, checked_at: datetime) -> None:
    """Record a successful revalidation (304 or unchanged content)."""
    await session.execute(
        update(StoredDocument)
        .where(StoredDocument.url_hash == url_key(url))
        .values(checked_at=checked_at)
    )


async def load_vectors(
    session: AsyncSession, version: str, model: str, fingerprint: str
) -> np.ndarray | None:
    """The stored float32 vectors of a document version, if they belong to these sentences."""
    row = await session.get(StoredVectors, (version, model))
    if row is None or row.fingerprint != fingerprint:
        return None
    vectors = np.frombuffer(row.vectors, dtype=np.float16)
    if vectors.size != row.count * row.dimensions:
        return None  # a truncated row: computing them again beats ranking on garbage
    return vectors.reshape(row.count, row.dimensions).astype(np.float32)


async def save_vectors(
    session: AsyncSession, version: str, model: str, fingerprint: str, vectors: np.ndarray
) -> None:
    """Insert or replace the vectors of a document version in the caller's transaction."""
    await session.execute(
        delete(StoredVectors).where(StoredVectors.version == version, StoredVectors.model == model)
    )
    session.add(
        StoredVectors(
            version=version,
            model=model,
            fingerprint=fingerprint,
            dimensions=int(vectors.shape[1]),
            count=int(vectors.shape[0]),
            vectors=np.ascontiguousarray(vectors, dtype=np.float16).tobytes(),
        )
    )


async def _drop_orphan_vectors(session: AsyncSession, version: str, document_id: int) -> None:
    """Vectors of a version no other stored document still has."""
    shared = exists().where(
        StoredDocument.content_sha256 == version, StoredDocument.id != document_id
    )
    await session.execute(delete(StoredVectors).where(StoredVectors.version == version, ~shared))


def _loaded(document: StoredDocument, pages: list[LoadedPage]) -> LoadedDocument:
    return LoadedDocument(
        url=document.url,
        final_url=document.final_url,
        title=document.title,
        kind=document.kind,
        version=document.content_sha256,
        etag=document.etag,
        last_modified=document.last_modified,
        checked_at=as_utc(document.checked_at).timestamp(),
        pages=tuple(pages),
        extraction=document.extraction,
    )
