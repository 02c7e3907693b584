"""ORM models: the catalog (brands, products, relationships, documents) and stored manual pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

RELATION_TYPES = ("accessory", "related", "spare_part")


# Product and brand ids: the columns', and so the catalog file's and the socket's, longest.
MAX_ID_LENGTH = 255


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class Brand(Base):
    __tablename__ = "brands"

    id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    hq: Mapped[str] = mapped_column(Text, default="")
    founded: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    logo_url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    products: Mapped[list[Product]] = relationship(back_populates="brand", lazy="raise")


class Product(Base):
    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), primary_key=True)
    brand_id: Mapped[str] = mapped_column(ForeignKey("brands.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    production_country: Mapped[str | None] = mapped_column(Text)
    image_main: Mapped[str | None] = mapped_column(Text)
    image_thumbnail: Mapped[str | None] = mapped_column(Text)
    sku: Mapped[str | None] = mapped_column(Text)
    family: Mapped[str | None] = mapped_column(Text)
    price: Mapped[float | None] = mapped_column(Float)
    specs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    brand: Mapped[Brand] = relationship(back_populates="products", lazy="raise")
    relations: Mapped[list[ProductRelation]] = relationship(
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="ProductRelation.position",
        foreign_keys="ProductRelation.product_id",
    )
    documents: Mapped[list[ProductDocument]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="ProductDocument.position"
    )


class ProductRelation(Base):
    """A typed link to another product; no foreign key, as the target may be imported later."""

    __tablename__ = "product_relations"
    __table_args__ = (UniqueConstraint("product_id", "target_id", "type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), index=True)
    type: Mapped[str] = mapped_column(String(20))
    label: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProductDocument(Base):
    """A manual the catalog names for a product."""

    __tablename__ = "product_documents"
    __table_args__ = (UniqueConstraint("product_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    backup_url: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class StoredDocument(Base):
    """A fetched manual, keyed by the catalog URL it was requested as."""

    __tablename__ = "stored_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url_hash: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    extraction: Mapped[int] = mapped_column(Integer, server_default="1")  # fetch.pages.EXTRACTION
    byte_size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    pages: Mapped[list[StoredPage]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="StoredPage.number"
    )


class StoredPage(Base):
    __tablename__ = "stored_pages"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("stored_documents.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    heading: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class StoredVectors(Base):
    """Sentence embeddings of one document version, computed once and shared by all instances.

    Keyed by content hash and model, so a re-fetched but unchanged manual keeps its vectors;
    ``fingerprint`` names the sentence list they belong to (see ``PageIndex.fingerprint``).
    """

    __tablename__ = "document_vectors"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    dimensions: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    vectors: Mapped[bytes] = mapped_column(LargeBinary)  # float16, row-major
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CatalogState(Base):
    """One row whose version changes with every catalog change, so instances know to rebuild."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnansweredQuestion(Base):
    """A question the product's documents did not cover, kept for review."""

    __tablename__ = "unanswered_questions"
    __table_args__ = (Index("ix_unanswered_created", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), index=True)
    question: Mapped[str] = mapped_column(Text)
    scenario: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
