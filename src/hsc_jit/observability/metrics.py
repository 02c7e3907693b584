"""Every Prometheus metric the service exports, declared once.

Names follow the v3 performance guide, whose queries, dashboards and alerts use them unprefixed.
Under gunicorn, ``PROMETHEUS_MULTIPROC_DIR`` switches prometheus-client to multiprocess mode so the
figures add up across workers; gauges say how to combine.
"""

from __future__ import annotations

import functools

from prometheus_client import Counter, Gauge, Histogram

_FAST_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0,
)  # fmt: skip
_SLOW_BUCKETS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)

PREDICTION_LATENCY = Histogram(
    "prediction_latency_seconds",
    "Server time to predict products for one typed text.",
    buckets=_FAST_BUCKETS,
)
ANSWER_GENERATION = Histogram(
    "answer_generation_seconds",
    "Time from a question to its final answer.",
    ["provider"],
    buckets=_SLOW_BUCKETS,
)
ANSWER_FIRST_CHUNK = Histogram(
    "answer_first_chunk_seconds",
    "Time from a question to the first answer chunk.",
    buckets=_SLOW_BUCKETS,
)
CACHE_HITS = Counter("cache_hits", "Cache hits.", ["layer", "cache"])
CACHE_MISSES = Counter("cache_misses", "Cache misses.", ["layer", "cache"])
WEBSOCKET_ACTIVE = Gauge(
    "websocket_active_connections",
    "Open WebSocket connections.",
    multiprocess_mode="livesum",
)
HTTP_REQUESTS = Counter(
    "http_requests", "HTTP requests by route template.", ["method", "route", "status"]
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "HTTP request duration by route template.",
    ["method", "route"],
    buckets=(*_FAST_BUCKETS, 2.5, 5.0, 10.0),
)
MESSAGES_PROCESSED = Counter("messages_processed", "WebSocket frames handled, by type.", ["type"])
DOCUMENT_FETCH = Histogram(
    "document_fetch_seconds",
    "Time to fetch and extract one document.",
    ["outcome"],
    buckets=_SLOW_BUCKETS,
)
DOCUMENT_UNAVAILABLE = Counter(
    "document_unavailable", "Documents that could not be used, by reason.", ["reason"]
)
DOCUMENT_DOWNLOADS = Counter("document_downloads", "Document downloads started.")
EXTRACT_TIMEOUTS = Counter(
    "extract_timeouts", "Extractions killed for outlasting HSC_EXTRACT_TIMEOUT_S (pool replaced)."
)
DOCUMENT_VECTORS = Histogram(
    "document_vectors_seconds",
    "Time to get one document version's sentence vectors, by where they came from.",
    ["source"],  # stored, computed, failed
    buckets=_SLOW_BUCKETS,
)
LLM_ERRORS = Counter("llm_errors", "Answer provider failures.", ["provider", "kind"])
REDIS_ERRORS = Counter("redis_errors", "Redis operations that failed.", ["operation"])
UNANSWERED_QUESTIONS = Counter(
    "unanswered_questions", "Questions the product's documents did not cover."
)
RATE_LIMITED = Counter("rate_limited", "Frames or requests refused by a rate limit.", ["kind"])
INDEX_PRODUCTS = Gauge(
    "prediction_index_products",
    "Products in this process's prediction index.",
    multiprocess_mode="max",
)
ANSWER_FEEDBACK = Counter("answer_feedback", "Ratings of answers by customers.", ["rating"])
HANDOFF_TICKETS_CREATED = Counter("handoff_tickets_created", "Requests for a person stored.")
HANDOFF_TICKETS_DELIVERED = Counter(
    "handoff_tickets_delivered", "Handoff tickets the helpdesk webhook accepted (2xx)."
)
HANDOFF_DELIVERY_FAILURES = Counter(
    "handoff_delivery_failures",
    "Failed webhook deliveries (each retried later), by reason.",
    ["reason"],  # timeout, connection, server_error, rejected
)
HANDOFF_OLDEST_UNDELIVERED = Gauge(
    "handoff_oldest_undelivered_age_seconds",
    "Age of the oldest handoff ticket not yet delivered to the webhook (0: none).",
    multiprocess_mode="livemax",
)


@functools.cache
def counter_of(metric: Counter, **labels: str) -> Counter:
    """``metric.labels(**labels)``, looked up once per label set: ``labels()`` checks and
    locks on every call, six times the cost of the increment on the typing path."""
    return metric.labels(**labels)
