"""Read-only catalog routes: brands, one product, predictions."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.exc import SQLAlchemyError

from hsc_jit.api.errors import error_responses
from hsc_jit.api.http_limits import limit_predictions
from hsc_jit.api.schemas import (
    MAX_PREDICTIONS,
    MAX_TYPING_CHARS,
    BrandList,
    PredictionList,
    ProductContext,
)
from hsc_jit.api.state import StateDep
from hsc_jit.catalog import repository
from hsc_jit.catalog.models import MAX_ID_LENGTH
from hsc_jit.catalog.views import brand_view, context_view
from hsc_jit.errors import ProductNotFound
from hsc_jit.services.snapshot import CatalogSnapshot

router = APIRouter(prefix="/api", tags=["catalog"])


@router.get("/brands", response_model=BrandList, responses=error_responses(503))
async def list_brands(state: StateDep) -> dict[str, Any]:
    """Every brand with its number of products."""
    try:
        async with state.sessionmaker() as session:
            rows = await repository.list_brands_with_counts(session)
        brands = [brand_view(brand, count) for brand, count in rows]
    except (OSError, SQLAlchemyError):  # the database is down: count from the snapshot
        snapshot = state.holder.current
        if snapshot is None:
            raise
        brands = _brands_from(snapshot)
    return {"total_brands": len(brands), "brands": brands}


def _brands_from(snapshot: CatalogSnapshot) -> list[dict[str, Any]]:
    counts = Counter(p.brand["id"] for p in snapshot.products.values())
    views = {p.brand["id"]: p.brand for p in snapshot.products.values()}
    return sorted(
        ({**views[brand_id], "product_count": n} for brand_id, n in counts.items()),
        key=lambda brand: str(brand["name"]),
    )


@router.get(
    "/products/{product_id}",
    response_model=ProductContext,
    responses=error_responses(404, 422, 503),
)
async def get_product(product_id: str, state: StateDep) -> dict[str, Any]:
    """A product with its brand and related items."""
    try:
        async with state.sessionmaker() as session:
            context = await repository.get_product_context(session, product_id)
        view = context_view(context) if context else None
    except (OSError, SQLAlchemyError):  # the database is down: the snapshot still knows it
        snapshot = state.holder.current
        product = snapshot.get(product_id) if snapshot else None
        view = product.view if product else None
    if view is None:
        raise ProductNotFound(product_id)
    return view


@router.get(
    "/predict",
    response_model=PredictionList,
    dependencies=[Depends(limit_predictions)],
    responses=error_responses(404, 422, 429),
)
async def predict(
    state: StateDep,
    q: Annotated[str, Query(max_length=MAX_TYPING_CHARS, description="The text typed so far")] = "",
    limit: Annotated[int | None, Query(ge=1, le=MAX_PREDICTIONS)] = None,
    brand: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_ID_LENGTH,
            description="Only this brand's products (its id)",
        ),
    ] = None,
) -> dict[str, Any]:
    """The products the text most likely means, best first (empty text: a catalog sample)."""
    return {"query": q, "predictions": await state.predictions.predict(q, limit, brand)}
