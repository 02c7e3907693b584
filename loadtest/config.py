"""Load-test settings and thresholds, read from ``HSC_LOAD_*`` environment variables.

Lists (product names, questions) are separated by ``|`` or newlines, since questions contain
commas. Every bad value raises ``ValueError`` naming its variable.

| variable | default | meaning |
|---|---|---|
| HSC_LOAD_HOST | http://127.0.0.1:8000 | base URL (Locust's ``--host`` wins) |
| HSC_LOAD_WS_WEIGHT / HSC_LOAD_HTTP_WEIGHT | 9 / 1 | user mix: WebSocket vs HTTP users |
| HSC_LOAD_HTTP_USERS | 0 | when > 0, exactly this many HTTP users (Locust ``fixed_count``) |
| HSC_LOAD_TYPING_WEIGHT / HSC_LOAD_QUERY_WEIGHT | 3 / 1 | the guide's typing-to-query mix |
| HSC_LOAD_WAIT_MIN_S / HSC_LOAD_WAIT_MAX_S | 1 / 5 | think time between tasks |
| HSC_LOAD_DEBOUNCE_MS | 150 | the app's typing debounce |
| HSC_LOAD_KEY_GAP_MIN_MS / HSC_LOAD_KEY_GAP_MAX_MS | 90 / 220 | a user's median gap between keys |
| HSC_LOAD_MISSPELL_RATE | 0.3 | share of product names typed with a typo |
| HSC_LOAD_PRODUCTS | the guide's three + demo names | product names to type |
| HSC_LOAD_PRODUCTS_FILE | - | a catalog (v3 JSON or JSON Lines) whose names are added |
| HSC_LOAD_QUESTIONS | see ``DEFAULT_QUESTIONS`` | questions to ask |
| HSC_LOAD_TYPE_QUESTION | true | type the question into the same box after the name (as v3) |
| HSC_LOAD_PREDICTION_LIMIT | 10 | ``limit`` of typing frames |
| HSC_LOAD_PREDICTION_TIMEOUT_S / HSC_LOAD_ANSWER_TIMEOUT_S | 10 / 60 | give-up times |
| HSC_LOAD_EXPECTED_ERRORS | document_unavailable | error codes that are right answers |
| HSC_LOAD_P95_TYPING_MS | 10 | threshold: p95 typing→prediction |
| HSC_LOAD_MAX_ERROR_RATE | 0 | threshold: failed / all requests |
| HSC_LOAD_SAMPLES | - | CSV file receiving every request sample (bench/load.py sets it) |
| HSC_LOAD_SEED | - | random seed, for repeatable runs |
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PREFIX = "HSC_LOAD_"

# The guide's three names (in the words people type), then real names from the demo catalog.
DEFAULT_PRODUCTS: tuple[str, ...] = (
    "Roland TD27",
    "Shure SM58",
    "Fender Stratocaster",
    "Roland TD-27KV V-Drums",
    "Roland TD-17KVX Gen 2",
    "Roland FP-30X Digital Piano",
    "Nord Stage 4 88",
    "Nord Piano 5",
    "Moog Subsequent 37",
    "Moog Grandmother",
    "Shure SM7B",
    "BOSS Katana-50 MkII",
    "BOSS RC-5 Loop Station",
)
DEFAULT_QUESTIONS: tuple[str, ...] = (
    "How do I change the snare tuning?",
    "How do I connect headphones?",
    "How do I reset it to the factory settings?",
    "How do I stop it switching itself off?",
    "How do I record it into my computer over USB?",
    "What power supply does it need?",
    "How do I save my settings before a show?",
    "Does it support Bluetooth MIDI?",
)


@dataclass(frozen=True)
class LoadTestConfig:
    host: str = "http://127.0.0.1:8000"
    ws_weight: int = 9
    http_weight: int = 1
    http_users: int = 0
    typing_weight: int = 3
    query_weight: int = 1
    wait_min_s: float = 1.0
    wait_max_s: float = 5.0
    debounce_ms: float = 150.0
    key_gap_min_ms: float = 90.0
    key_gap_max_ms: float = 220.0
    misspell_rate: float = 0.3
    products: tuple[str, ...] = DEFAULT_PRODUCTS
    questions: tuple[str, ...] = DEFAULT_QUESTIONS
    type_question: bool = True
    prediction_limit: int = 10
    prediction_timeout_s: float = 10.0
    answer_timeout_s: float = 60.0
    expected_errors: tuple[str, ...] = ("document_unavailable",)
    p95_typing_ms: float = 10.0
    max_error_rate: float = 0.0
    samples_path: Path | None = None
    seed: int | None = None
    scenarios: tuple[str, ...] = field(default=("general", "general", "studio", "live"))

    @property
    def ws_url(self) -> str:
        return ws_url(self.host)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LoadTestConfig:
        env = _Env(os.environ if environ is None else environ)
        products = env.strings("PRODUCTS", DEFAULT_PRODUCTS)
        products_file = env.text("PRODUCTS_FILE", "")
        if products_file:
            products = _dedupe(products + catalog_names(Path(products_file)))
        config = cls(
            host=env.text("HOST", cls.host).rstrip("/"),
            ws_weight=env.integer("WS_WEIGHT", cls.ws_weight, minimum=0),
            http_weight=env.integer("HTTP_WEIGHT", cls.http_weight, minimum=0),
            http_users=env.integer("HTTP_USERS", cls.http_users, minimum=0),
            typing_weight=env.integer("TYPING_WEIGHT", cls.typing_weight, minimum=0),
            query_weight=env.integer("QUERY_WEIGHT", cls.query_weight, minimum=0),
            wait_min_s=env.number("WAIT_MIN_S", cls.wait_min_s),
            wait_max_s=env.number("WAIT_MAX_S", cls.wait_max_s),
            debounce_ms=env.number("DEBOUNCE_MS", cls.debounce_ms),
            key_gap_min_ms=env.number("KEY_GAP_MIN_MS", cls.key_gap_min_ms),
            key_gap_max_ms=env.number("KEY_GAP_MAX_MS", cls.key_gap_max_ms),
            misspell_rate=env.number("MISSPELL_RATE", cls.misspell_rate, maximum=1.0),
            products=products,
            questions=env.strings("QUESTIONS", DEFAULT_QUESTIONS),
            type_question=env.boolean("TYPE_QUESTION", cls.type_question),
            prediction_limit=env.integer(
                "PREDICTION_LIMIT", cls.prediction_limit, minimum=1, maximum=50
            ),
            prediction_timeout_s=env.number(
                "PREDICTION_TIMEOUT_S", cls.prediction_timeout_s, positive=True
            ),
            answer_timeout_s=env.number("ANSWER_TIMEOUT_S", cls.answer_timeout_s, positive=True),
            expected_errors=env.strings("EXPECTED_ERRORS", cls.expected_errors, allow_empty=True),
            p95_typing_ms=env.number("P95_TYPING_MS", cls.p95_typing_ms, positive=True),
            max_error_rate=env.number("MAX_ERROR_RATE", cls.max_error_rate, maximum=1.0),
            samples_path=Path(p) if (p := env.text("SAMPLES", "")) else None,
            seed=env.integer("SEED", 0) if env.has("SEED") else None,
        )
        config.check()
        return config

    def check(self) -> None:
        if not self.host.startswith(("http://", "https://")):
            raise ValueError(
                f"{PREFIX}HOST: must start with http:// or https:// (got {self.host!r})"
            )
        if self.wait_max_s < self.wait_min_s:
            raise ValueError(f"{PREFIX}WAIT_MAX_S: must be at least {PREFIX}WAIT_MIN_S")
        if self.key_gap_max_ms < self.key_gap_min_ms:
            raise ValueError(f"{PREFIX}KEY_GAP_MAX_MS: must be at least {PREFIX}KEY_GAP_MIN_MS")
        if self.ws_weight + self.http_weight == 0:
            raise ValueError(f"{PREFIX}WS_WEIGHT, {PREFIX}HTTP_WEIGHT: one must be above 0")
        if self.typing_weight + self.query_weight == 0:
            raise ValueError(f"{PREFIX}TYPING_WEIGHT, {PREFIX}QUERY_WEIGHT: one must be above 0")
        if not self.products:
            raise ValueError(f"{PREFIX}PRODUCTS: no product names")
        if not self.questions:
            raise ValueError(f"{PREFIX}QUESTIONS: no questions")


def ws_url(host: str) -> str:
    """``http://h:p`` -> ``ws://h:p/ws`` (``https`` -> ``wss``)."""
    host = host.rstrip("/")
    if host.startswith("https://"):
        return "wss://" + host.removeprefix("https://") + "/ws"
    return "ws://" + host.removeprefix("http://") + "/ws"


def catalog_names(path: Path, limit: int = 10_000) -> tuple[str, ...]:
    """Product names from a v3 catalog JSON (``{"products": [...]}``) or a JSON Lines file.

    Names with no Latin letters are left out: the load test types on a Latin keyboard.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{PREFIX}PRODUCTS_FILE: cannot read {path}: {exc.strerror}") from exc
    try:
        if path.suffix == ".jsonl":
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            items = data.get("products", []) if isinstance(data, dict) else data
    except (json.JSONDecodeError, AttributeError) as exc:
        raise ValueError(f"{PREFIX}PRODUCTS_FILE: {path} is not a catalog: {exc}") from exc
    names = [
        str(item["name"]).strip()
        for item in items
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    ]
    return _dedupe(tuple(n for n in names if n.isascii() and any(c.isalpha() for c in n)))[:limit]


def _dedupe(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


class _Env:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def has(self, name: str) -> bool:
        return self._environ.get(PREFIX + name, "").strip() != ""

    def text(self, name: str, default: str) -> str:
        value = self._environ.get(PREFIX + name, "").strip()
        return value or default

    def strings(
        self, name: str, default: tuple[str, ...], *, allow_empty: bool = False
    ) -> tuple[str, ...]:
        if PREFIX + name not in self._environ or (not allow_empty and not self.has(name)):
            return default
        raw = self._environ[PREFIX + name].replace("\n", "|")
        values = _dedupe(tuple(v.strip() for v in raw.split("|") if v.strip()))
        if not values and not allow_empty:
            raise ValueError(f"{PREFIX}{name}: no values (separate them with '|')")
        return values

    def integer(
        self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        if not self.has(name):
            return default
        raw = self._environ[PREFIX + name].strip()
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"{PREFIX}{name}: not an integer (got {raw!r})") from None
        return int(self._bounded(name, value, minimum, maximum))

    def number(
        self, name: str, default: float, *, positive: bool = False, maximum: float | None = None
    ) -> float:
        if not self.has(name):
            return default
        raw = self._environ[PREFIX + name].strip()
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"{PREFIX}{name}: not a number (got {raw!r})") from None
        if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
            raise ValueError(f"{PREFIX}{name}: must be finite (got {raw!r})")
        if positive and value <= 0:
            raise ValueError(f"{PREFIX}{name}: must be above 0 (got {raw!r})")
        return self._bounded(name, value, 0, maximum)

    def boolean(self, name: str, default: bool) -> bool:
        if not self.has(name):
            return default
        raw = self._environ[PREFIX + name].strip().lower()
        if raw in ("1", "true", "yes", "on"):
            return True
        if raw in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{PREFIX}{name}: not a boolean (got {raw!r})")

    @staticmethod
    def _bounded(name: str, value: float, minimum: float | None, maximum: float | None) -> float:
        if minimum is not None and value < minimum:
            raise ValueError(f"{PREFIX}{name}: must be at least {minimum} (got {value})")
        if maximum is not None and value > maximum:
            raise ValueError(f"{PREFIX}{name}: must be at most {maximum} (got {value})")
        return value


@lru_cache(maxsize=1)
def get_config() -> LoadTestConfig:
    """The configuration of this Locust process, read once."""
    return LoadTestConfig.from_env()
