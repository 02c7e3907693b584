"""Catalog value types that the layers above pass around, free of the database's models."""

from __future__ import annotations

from dataclasses import dataclass

from hsc_jit.catalog.models import ProductDocument


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A manual the catalog names for a product: where to fetch it and what it is called."""

    url: str
    backup_url: str | None
    type: str | None
    title: str | None

    @classmethod
    def of(cls, document: ProductDocument) -> DocumentRef:
        return cls(document.url, document.backup_url, document.type, document.title)
