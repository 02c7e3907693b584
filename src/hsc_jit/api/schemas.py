"""Every shape on the wire (PROTOCOL.md), as pydantic models: the one source of the contract.

Socket frames both ways, HTTP request and response bodies, the error body; ``hsc-jit schema``
writes them as one JSON Schema, from which the web app's TypeScript types are generated. Field
order and presence follow what v3's client reads: a field is left out only where it always was.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from hsc_jit.cache.base import CacheStatus
from hsc_jit.catalog.models import MAX_ID_LENGTH
from hsc_jit.config import Lang, Scenario
from hsc_jit.errors import ErrorCode

MAX_TYPING_CHARS = 1000
MAX_QUERY_CHARS = 2000
MAX_IMAGE_CHARS = 8 * 1024 * 1024
MAX_PREDICTIONS = 50

# The largest ``seq`` a JavaScript client can hold exactly.
MAX_SEQ = 2**53
Seq = Annotated[int, Field(ge=-MAX_SEQ, le=MAX_SEQ)]
# Conversation and answer ids: a client may make up its own conversation id.
ConversationId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
AnswerId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
Rating = Literal["up", "down"]
MAX_NOTE_CHARS = 2000
BrandId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]

# The HTTP codes besides the domain's: one per status the routes and the framework answer with.
ApiErrorCode = Literal[
    ErrorCode, "invalid_request", "unauthorized", "method_not_allowed", "unavailable"
]


def _is_none(value: object) -> bool:
    return value is None


def _required_unless_omitted(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """A field the serializer leaves out when None is not required (the others all are)."""
    omitted = {name for name, info in model.model_fields.items() if info.exclude_if is not None}
    if "required" in schema:
        schema["required"] = [name for name in schema["required"] if name not in omitted]


class _Out(BaseModel):
    """What the server sends: every field present, unless declared with ``_omitted_when_none``."""

    model_config = ConfigDict(
        # A field a service adds but the contract lacks fails loudly instead of vanishing.
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        json_schema_extra=_required_unless_omitted,
    )


def _omitted_when_none() -> Any:
    return Field(default=None, exclude_if=_is_none)


# --- catalog objects -------------------------------------------------------------------------


class Brand(_Out):
    id: str
    name: str
    hq: str = Field(description="Always a string, '' when unknown: v3 calls string methods on it.")
    founded: str | None
    website: str | None
    logo_url: str | None
    description: str | None


class BrandWithCount(Brand):
    product_count: int


class Images(_Out):
    main: str | None
    thumbnail: str | None


class Documentation(_Out):
    type: str | None
    url: str
    backup_url: str | None


class Product(_Out):
    """A catalog product; besides these fields, whatever else the catalog file held."""

    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    brand: str = Field(description="The brand's id.")
    category: str | None
    description: str | None
    production_country: str | None
    images: Images
    documentation: Documentation | None
    brand_identity: Brand
    price: float | None
    specs: dict[str, Any]
    family: str | None
    sku: str | None


class RelatedItem(_Out):
    id: str = Field(description="A product id that can be asked about.")
    name: str
    category: str | None
    type: Literal["accessory", "related", "spare_part"]
    label: str | None
    image: str | None
    production_country: str | None


class RelatedItems(_Out):
    related_items: list[RelatedItem]


class ProductContext(_Out):
    """A product with its brand and related items: ``GET /api/products/{id}``."""

    product: Product
    brand: Brand
    context: RelatedItems


class Prediction(ProductContext):
    confidence: int = Field(ge=0, le=100)
    match_text: str


class Source(_Out):
    page: int
    url: str
    title: str


# --- client -> server frames -----------------------------------------------------------------


class _Frame(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=False, populate_by_name=True)


class TypingFrame(_Frame):
    type: Literal["typing"]
    content: str = Field(default="", max_length=MAX_TYPING_CHARS)
    seq: Seq | None = None
    limit: int = Field(default=10, ge=1, le=MAX_PREDICTIONS)
    brand: BrandId | None = Field(default=None, description="Predict only this brand's products.")


class QueryFrame(_Frame):
    type: Literal["query", "lock_and_query"]
    product_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    scenario: Scenario = "general"
    image: str | None = Field(default=None, max_length=MAX_IMAGE_CHARS)
    seq: Seq | None = None
    conversation_id: ConversationId | None = Field(
        default=None, description="Continue this conversation; without one a new one starts."
    )
    lang: Lang | None = Field(
        default=None, description="The customer's language; detected from the question if absent."
    )

    @field_validator("query")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("image")
    @classmethod
    def _data_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("data:image/"):
            raise ValueError("must be a data:image/... URL")
        return value


class PingFrame(_Frame):
    type: Literal["ping"]
    seq: Seq | None = None


class FeedbackBody(_Frame):
    """A rating of one answer: the ``feedback`` frame and ``POST /api/feedback``."""

    answer_id: AnswerId
    rating: Rating
    comment: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class FeedbackFrame(FeedbackBody):
    type: Literal["feedback"]
    seq: Seq | None = None


_EMAIL = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"
_PHONE = r"^\+?[0-9 ()./-]{3,40}$"


class Contact(_Frame):
    """How a person can reach the customer; every part optional."""

    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=_EMAIL)
    phone: str | None = Field(default=None, max_length=40, pattern=_PHONE)

    @field_validator("name", "email", "phone", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class HandoffBody(_Frame):
    """A request for a person: the ``handoff`` frame and ``POST /api/handoff``."""

    conversation_id: ConversationId
    message: str = Field(default="", max_length=MAX_NOTE_CHARS)
    contact: Contact = Field(default_factory=Contact)
    lang: Lang | None = None


class HandoffFrame(HandoffBody):
    type: Literal["handoff"]
    seq: Seq | None = None


class ClientFrame(
    RootModel[
        Annotated[
            TypingFrame | QueryFrame | PingFrame | FeedbackFrame | HandoffFrame,
            Field(discriminator="type"),
        ]
    ]
):
    """Any frame a client sends (parsed by ``protocol.parse_client_frame``, not through this)."""


# --- server -> client messages ---------------------------------------------------------------


class PredictionMessage(_Out):
    type: Literal["prediction"] = "prediction"
    data: list[Prediction]
    seq: int | None = Field(description="The seq of the typing frame answered.")
    query: str = Field(description="The content of the typing frame answered.")


class StatusMessage(_Out):
    type: Literal["status"] = "status"
    msg: str


class AnswerChunkMessage(_Out):
    type: Literal["answer_chunk"] = "answer_chunk"
    content: str


class AnswerContext(_Out):
    brand: Brand
    related_items: list[RelatedItem]
    scenario: Scenario
    sources: list[Source]


class ContextMessage(_Out):
    type: Literal["context"] = "context"
    data: AnswerContext


class FinalAnswerMessage(_Out):
    type: Literal["final_answer"] = "final_answer"
    content: str
    sources: list[Source]
    provider: str
    cached: bool
    found: bool = Field(description="False when the manual does not cover the question.")
    seq: int | None
    conversation_id: str
    answer_id: str = Field(description="Unique; what a feedback frame rates.")


class ErrorMessage(_Out):
    type: Literal["error"] = "error"
    code: ErrorCode
    message: str = Field(description="Safe to show to the user.")
    seq: int | None = _omitted_when_none()
    conversation_id: str | None = _omitted_when_none()
    answer_id: str | None = _omitted_when_none()


class FeedbackAckMessage(_Out):
    type: Literal["feedback_ack"] = "feedback_ack"
    answer_id: str
    seq: int | None = _omitted_when_none()


class HandoffAckMessage(_Out):
    type: Literal["handoff_ack"] = "handoff_ack"
    ticket_id: str
    seq: int | None = _omitted_when_none()


class PongMessage(_Out):
    type: Literal["pong"] = "pong"
    seq: int | None


AnswerEvent = Annotated[
    StatusMessage | AnswerChunkMessage | ContextMessage | FinalAnswerMessage | ErrorMessage,
    Field(discriminator="type"),
]


class AnswerStreamMessage(RootModel[AnswerEvent]):
    """One message of an answer, on the socket or one line of ``POST /api/ask``."""


AnyServerMessage = (
    PredictionMessage
    | StatusMessage
    | AnswerChunkMessage
    | ContextMessage
    | FinalAnswerMessage
    | ErrorMessage
    | PongMessage
    | FeedbackAckMessage
    | HandoffAckMessage
)


class ServerMessage(RootModel[Annotated[AnyServerMessage, Field(discriminator="type")]]):
    """Any message the server sends on the socket."""


def prediction_frame(data: str, seq: int | None, query: str) -> str:
    """A ``PredictionMessage`` as JSON text, ``data`` being its items' JSON array already.

    The typing hot path: the items are the snapshot's views, encoded once per catalog
    (``PredictionService.predict_json``); validating ten views costs ~0.7 ms a keystroke and
    encoding them again a tenth of that. The fields are in the model's order, and the tests
    check the frames against the model to the byte.
    """
    seq_json = "null" if seq is None else str(seq)
    query_json = orjson.dumps(query).decode()
    return f'{{"type":"prediction","data":{data},"seq":{seq_json},"query":{query_json}}}'


# --- HTTP bodies -----------------------------------------------------------------------------


class AskBody(BaseModel):
    product_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    scenario: Scenario = "general"
    conversation_id: ConversationId | None = None
    lang: Lang | None = None


class FeedbackCreated(_Out):
    answer_id: str


class HandoffCreated(_Out):
    ticket_id: str


class BrandList(_Out):
    total_brands: int
    brands: list[BrandWithCount]


class PredictionList(_Out):
    query: str
    predictions: list[Prediction]


class DatabaseHealth(_Out):
    status: Literal["ok", "down"]
    latency_ms: float | None = _omitted_when_none()
    error: str | None = _omitted_when_none()


class CacheHealth(_Out):
    status: CacheStatus
    redis_configured: bool


class IndexHealth(_Out):
    ready: bool
    products: int
    catalog_version: int | None
    last_reload_error: str | None


class ProcessHealth(_Out):
    memory_rss_bytes: int
    memory_percent_of_limit: float
    cpu_percent: float
    threads: int


class ConnectionsHealth(_Out):
    websockets: int
    queries_in_flight: int


class Health(_Out):
    status: Literal["healthy", "degraded", "unhealthy"]
    version: str
    uptime_s: float
    database: DatabaseHealth
    cache: CacheHealth
    index: IndexHealth
    process: ProcessHealth
    connections: ConnectionsHealth


class Live(_Out):
    """``/live``: the process and its event loop answer (nothing else is consulted)."""

    status: Literal["alive"] = "alive"


class Ready(_Out):
    status: Literal["ready"] = "ready"
    products: int


class NotReady(_Out):
    status: Literal["not_ready"] = "not_ready"
    reason: str


class ImportSummary(_Out):
    files: int
    brands: int
    products: int
    relationships: int
    documents: int
    skipped: int
    warnings: int
    errors: int


class ImportResult(_Out):
    summary: ImportSummary
    warnings: list[str]


class ReloadResult(_Out):
    version: int | None
    products: int


class PurgeResult(_Out):
    purged: str = Field(description="The cache purged, or 'all'.")


class UnansweredQuestion(_Out):
    product_id: str
    question: str
    scenario: Scenario
    created_at: str = Field(description="ISO 8601.")


class UnansweredGroup(_Out):
    """Unanswered questions of one product worded alike (sentence vectors close)."""

    product_id: str
    product_name: str | None
    count: int
    example: str
    questions: list[str]
    last_asked: str = Field(description="ISO 8601.")


class UnansweredList(_Out):
    questions: list[UnansweredQuestion]
    groups: list[UnansweredGroup] = Field(description="The same questions grouped, largest first.")


class TicketProduct(_Out):
    id: str
    name: str
    brand: str = Field(description="The brand's name.")


class ContactOut(_Out):
    name: str | None
    email: str | None
    phone: str | None


class TranscriptTurn(_Out):
    role: Literal["customer", "assistant"]
    text: str
    sources: list[Source]
    found: bool | None = Field(description="For the assistant's turns; null for the customer's.")


class _TicketHead(_Out):
    ticket_id: str
    created_at: str = Field(description="ISO 8601.")
    conversation_id: str
    product: TicketProduct | None
    contact: ContactOut
    message: str


class HandoffPayload(_TicketHead):
    """The JSON body ``POST``ed to ``HSC_HANDOFF_WEBHOOK_URL`` for each ticket."""

    transcript: list[TranscriptTurn]


DeliveryState = Literal["pending", "delivered", "not_configured"]


class Ticket(_TicketHead):
    """A ticket as the admin list shows it: its delivery state instead of the transcript."""

    state: DeliveryState
    attempts: int
    delivered_at: str | None
    last_error: str | None
    next_attempt_at: str | None


class TicketList(_Out):
    tickets: list[Ticket]


class FeedbackEntry(_Out):
    answer_id: str
    rating: Rating
    comment: str | None
    created_at: str = Field(description="ISO 8601.")
    conversation_id: str
    product_id: str
    question: str
    answer: str


class FeedbackList(_Out):
    feedback: list[FeedbackEntry]


class FailedSearch(_Out):
    text: str = Field(description="The typed text, normalised.")
    count: int
    last_seen: str = Field(description="ISO 8601.")


class FailedSearchList(_Out):
    searches: list[FailedSearch]


class ClientConfig(_Out):
    """``GET /api/config``: what a web app or widget needs to know at run time."""

    ws_url: str | None = Field(description="The socket URL; null: /ws on the API's host.")
    languages: list[Lang]
    default_lang: Lang
    prediction_limit: int
    typing_debounce_ms: int


class ErrorInfo(_Out):
    code: ApiErrorCode
    message: str = Field(description="Safe to show to the user.")


class ErrorResponse(_Out):
    """The body of every HTTP error, whatever its status."""

    error: ErrorInfo
