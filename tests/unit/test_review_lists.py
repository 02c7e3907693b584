"""The admin review lists' pieces: CSV downloads and grouping questions worded alike."""

from __future__ import annotations

import csv
import io

import numpy as np

from hsc_jit.api.csv_export import csv_response
from hsc_jit.api.schemas import Ticket
from hsc_jit.retrieve.embed import SentenceEmbedder
from hsc_jit.support.grouping import group_alike

TICKET = {
    "ticket_id": "t1",
    "created_at": "2026-12-06T05:30:00+00:00",
    "conversation_id": "c1",
    "product": {"id": "roland-fp30x", "name": "Roland FP-30X", "brand": "Roland"},
    "contact": {"name": "Dana", "email": "dana@example.com", "phone": None},
    "message": '=HYPERLINK("http://evil.example")',
    "state": "pending",
    "attempts": 2,
    "delivered_at": None,
    "last_error": "HTTP 503",
    "next_attempt_at": "2026-12-06T05:31:00+00:00",
}
COLUMNS = [
    "ticket_id",
    "created_at",
    "conversation_id",
    "product_id",
    "product_name",
    "product_brand",
    "contact_name",
    "contact_email",
    "contact_phone",
    "message",
    "state",
    "attempts",
    "delivered_at",
    "last_error",
    "next_attempt_at",
]


def test_csv_has_a_column_per_field_nested_ones_flattened() -> None:
    response = csv_response(
        Ticket, [TICKET, {**TICKET, "ticket_id": "t2", "product": None}], "tickets"
    )
    assert response.media_type == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="tickets-') and disposition.endswith(
        '.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(bytes(response.body).decode())))
    assert list(rows[0]) == COLUMNS
    assert rows[0]["product_name"] == "Roland FP-30X" and rows[0]["contact_phone"] == ""
    assert rows[1]["product_id"] == "" and rows[1]["ticket_id"] == "t2"
    # A spreadsheet shows the text; it never runs it as a formula.
    assert rows[0]["message"] == '\'=HYPERLINK("http://evil.example")'


def test_an_empty_list_is_a_header_alone() -> None:
    body = bytes(csv_response(Ticket, [], "tickets").body).decode()
    assert body.splitlines() == [",".join(COLUMNS)]


def test_questions_worded_alike_share_a_group(embedder: SentenceEmbedder) -> None:
    questions = [
        "How do I turn off auto off?",
        "What MIDI channel does it send on?",
        "how can I disable the auto off function",
        "Can I stop it switching itself off?",
        "Which MIDI channel is used for output?",
    ]
    groups = group_alike(embedder.embed(questions), threshold=0.6)
    assert groups == [[0, 2, 3], [1, 4]]


def test_every_row_is_in_exactly_one_group() -> None:
    vectors = np.eye(4, dtype=np.float32)
    assert group_alike(vectors, threshold=0.5) == [[0], [1], [2], [3]]
    assert group_alike(np.ones((3, 2), np.float32) / np.sqrt(2), threshold=0.99) == [[0, 1, 2]]
    assert group_alike(np.zeros((0, 4), np.float32), threshold=0.5) == []
