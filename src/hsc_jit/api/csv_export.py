"""CSV downloads of the admin review lists: one row per item, nested objects as columns
(``product_name``, ``contact_email``), lists joined with "; "."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, get_args

from pydantic import BaseModel
from starlette.responses import Response

# For the OpenAPI document of a route that also answers CSV.
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}}
}
# A cell a spreadsheet would run as a formula is written as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Column = tuple[str, tuple[str, ...]]  # the header, and the path to the value in a row


def csv_response(model: type[BaseModel], rows: Sequence[Mapping[str, Any]], name: str) -> Response:
    """``rows`` (each one ``model``) as a CSV attachment named ``name`` and today's date."""
    columns = list(_columns(model))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _ in columns])
    for row in rows:
        item = model.model_validate(row).model_dump()
        writer.writerow([_cell(_at(item, path)) for _, path in columns])
    filename = f"{name}-{datetime.now(UTC):%Y-%m-%d}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _columns(model: type[BaseModel], path: tuple[str, ...] = ()) -> Iterator[Column]:
    for name, field in model.model_fields.items():
        nested = _model_in(field.annotation)
        if nested is None:
            yield "_".join((*path, name)), (*path, name)
        else:
            yield from _columns(nested, (*path, name))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model ``annotation`` names, alone or as ``Model | None``."""
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _at(item: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = item
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
