"""Domain errors: one base class with a user-safe message, an HTTP status and a protocol code."""

from __future__ import annotations

from typing import Any, Literal

ErrorCode = Literal[
    "invalid_json",
    "invalid_message",
    "unknown_type",
    "product_not_found",
    "document_unavailable",
    "rate_limited",
    "too_large",
    "provider_error",
    "not_found",
    "internal",
]


class HscError(Exception):
    """Base of every error the service reports to a client."""

    status_code: int = 500
    code: ErrorCode = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(HscError):
    status_code = 422
    code: ErrorCode = "invalid_message"


class ProductNotFound(HscError):
    status_code = 404
    code: ErrorCode = "product_not_found"

    def __init__(self, product_id: str) -> None:
        super().__init__(f"No product with id {product_id!r} in the catalog.")
        self.product_id = product_id


class AnswerNotFound(HscError):
    """Feedback about an answer this service never gave, or one since expired."""

    status_code = 404
    code: ErrorCode = "not_found"

    def __init__(self, answer_id: str) -> None:
        super().__init__(f"No answer with id {answer_id!r}: it may have expired.")


DocumentReason = Literal[
    "no_document",
    "blocked_url",
    "not_found",
    "forbidden",
    "http_error",
    "timeout",
    "too_large",
    "too_many_redirects",
    "connection_failed",
    "unsupported_type",
    "empty",
    "scanned_pdf",
    "encrypted_pdf",
    "corrupt_pdf",
    "extract_timeout",
]


class UnknownBrand(HscError):
    status_code = 404
    code: ErrorCode = "not_found"

    def __init__(self, brand_id: str) -> None:
        super().__init__(f"No brand with id {brand_id!r} in the catalog.")
        self.brand_id = brand_id


class DocumentUnavailable(HscError):
    """The product's manual could not be fetched or read; ``reason`` says why (logged, counted)."""

    status_code = 502
    code: ErrorCode = "document_unavailable"

    def __init__(self, reason: DocumentReason, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.reason: DocumentReason = reason
        self.url = url


class ProviderError(HscError):
    status_code = 502
    code: ErrorCode = "provider_error"


class RateLimited(HscError):
    status_code = 429
    code: ErrorCode = "rate_limited"


class CatalogImportError(HscError):
    """A catalog file was refused; ``location`` names file and line or index."""

    status_code = 422
    code: ErrorCode = "invalid_message"

    def __init__(self, location: str, problem: str) -> None:
        super().__init__(f"{location}: {problem}")
        self.location = location
        self.problem = problem


def error_frame(code: ErrorCode, message: str, seq: int | None = None) -> dict[str, Any]:
    """The protocol's ``error`` message for the answer stream; the socket and the NDJSON route
    send it through ``api.schemas.ErrorMessage``, which leaves ``seq`` out the same way."""
    frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if seq is not None:
        frame["seq"] = seq
    return frame
