"""Catalog rows as the protocol's product, brand and related-item objects (v3 field names)."""

from __future__ import annotations

from typing import Any

from hsc_jit.catalog.models import Brand, Product, ProductDocument
from hsc_jit.catalog.repository import ProductContext, RelatedProduct

JSON = dict[str, Any]


def brand_view(brand: Brand, product_count: int | None = None) -> JSON:
    view: JSON = {
        "id": brand.id,
        "name": brand.name,
        "hq": brand.hq or "",
        "founded": brand.founded,
        "website": brand.website,
        "logo_url": brand.logo_url,
        "description": brand.description,
    }
    if product_count is not None:
        view["product_count"] = product_count
    return view


def documentation_view(documents: list[ProductDocument]) -> JSON | None:
    if not documents:
        return None
    first = documents[0]
    return {"type": first.type, "url": first.url, "backup_url": first.backup_url}


def product_view(product: Product, brand: Brand, documents: list[ProductDocument]) -> JSON:
    view: JSON = {
        key: value
        for key, value in product.extra.items()
        if isinstance(value, str | int | float | bool | list) or value is None
    }
    if isinstance(product.extra.get("metadata"), dict):
        view["metadata"] = product.extra["metadata"]
    view.update(
        {
            "id": product.id,
            "name": product.name,
            "brand": product.brand_id,
            "category": product.category,
            "description": product.description,
            "production_country": product.production_country,
            "images": {"main": product.image_main, "thumbnail": product.image_thumbnail},
            "documentation": documentation_view(documents),
            "brand_identity": brand_view(brand),
            "price": product.price,
            "specs": product.specs or {},
            "family": product.family,
            "sku": product.sku,
        }
    )
    return view


def related_item_view(item: RelatedProduct) -> JSON:
    target = item.target
    return {
        "id": target.id,
        "name": target.name,
        "category": target.category,
        "type": item.relation.type,
        "label": item.relation.label,
        "image": target.image_thumbnail or target.image_main,
        "production_country": target.production_country,
    }


def context_view(context: ProductContext) -> JSON:
    """``{product, brand, context: {related_items}}`` as /api/products and predictions carry it."""
    return {
        "product": product_view(context.product, context.brand, context.documents),
        "brand": brand_view(context.brand),
        "context": {"related_items": [related_item_view(r) for r in context.related]},
    }
