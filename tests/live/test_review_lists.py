"""The admin review lists against a live server: rated answers, unanswered questions grouped by
wording, searches that found nothing; as JSON and as CSV."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import websockets

from hsc_jit.api.schemas import FailedSearchList, FeedbackList, UnansweredList
from hsc_jit.config import Settings
from tests.utils.faults import ADMIN_TOKEN, admin_headers, ask, get, post, recv_json, wait_for
from tests.utils.live import LiveServer, live_settings, running

KIT = "roland-td27kv"
PIANO = "roland-fp30x"
# Questions their manuals do not cover: three about the kit worded alike, one about the piano.
WHITE_KIT = [
    "does the TD-27KV come in a white finish?",
    "is the TD-27KV available in a white finish?",
    "can I buy the TD-27KV in white?",
]
PIANO_PRICE = "how much does the FP-30X cost in dollars?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    base = Settings(
        data_dir=tmp_path_factory.mktemp("review"),
        fetch_allow_private=True,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
        admin_token=ADMIN_TOKEN,
        failed_search_flush_s=0.2,
        semantic_wait_s=120,  # answers ranked by meaning too, as on the demo server
    )
    with running(live_settings(base)) as live:
        yield live


def listed(server: LiveServer, name: str, **params: Any) -> Any:
    response = get(server, f"/api/admin/{name}", params=params, headers=admin_headers())
    assert response.status_code == 200, response.text
    return response


def rows(response: Any) -> list[dict[str, str]]:
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_rated_answers_down_votes_first(server: LiveServer) -> None:
    liked, disliked = [
        (await ask(server, KIT, question))[-1]["answer_id"]
        for question in ("How do I connect headphones?", "How do I turn off auto off?")
    ]
    for answer_id, rating in [(liked, "up"), (disliked, "down")]:
        body = {"answer_id": answer_id, "rating": rating, "comment": f"{rating} vote"}
        assert post(server, "/api/feedback", json=body).status_code == 201

    entries = FeedbackList.model_validate_json(listed(server, "feedback").text).feedback
    assert [(e.answer_id, e.rating) for e in entries] == [(disliked, "down"), (liked, "up")]
    assert entries[0].question == "How do I turn off auto off?" and entries[0].answer
    assert entries[0].product_id == KIT and entries[0].comment == "down vote"
    only_up = FeedbackList.model_validate_json(listed(server, "feedback", rating="up").text)
    assert [e.answer_id for e in only_up.feedback] == [liked]
    table = rows(listed(server, "feedback", format="csv"))
    assert [(r["answer_id"], r["rating"]) for r in table] == [(disliked, "down"), (liked, "up")]


async def test_unanswered_questions_grouped_by_product_and_wording(server: LiveServer) -> None:
    for product_id, question in [(KIT, q) for q in WHITE_KIT] + [(PIANO, PIANO_PRICE)]:
        assert (await ask(server, product_id, question))[-1]["found"] is False, question
    found = UnansweredList.model_validate_json(listed(server, "unanswered").text)
    assert {q.question for q in found.questions} >= {*WHITE_KIT, PIANO_PRICE}
    white = next(g for g in found.groups if WHITE_KIT[0] in g.questions)
    assert set(white.questions) == set(WHITE_KIT) and white.count == 3
    assert white.product_id == KIT and white.product_name == "Roland TD-27KV V-Drums"
    assert found.groups[0] == white  # the largest first
    piano = next(g for g in found.groups if g.product_id == PIANO)
    assert piano.questions == [PIANO_PRICE] and piano.example == PIANO_PRICE
    table = rows(listed(server, "unanswered", format="csv"))
    assert list(table[0]) == ["product_id", "question", "scenario", "created_at"]
    assert {r["question"] for r in table} >= {*WHITE_KIT, PIANO_PRICE}


async def test_searches_that_found_nothing_most_frequent_first(server: LiveServer) -> None:
    async def type_out(ws: Any, text: str) -> None:
        for end in range(1, len(text) + 1):  # keystroke by keystroke, as a customer types
            await ws.send(json.dumps({"type": "typing", "content": text[:end]}))
            await recv_json(ws)

    async with websockets.connect(server.ws_url) as ws:
        for text in ["zqx flurbophone", "grommelkazoo", "roland td27"]:
            await type_out(ws, text)
        await asyncio.sleep(2.5)  # a search is over once it is not typed further for 2 s
        await type_out(ws, "zqx flurbophone")

    def searched() -> list[tuple[str, int]]:
        body = FailedSearchList.model_validate_json(listed(server, "searches").text)
        return [(s.text, s.count) for s in body.searches]

    expected = [("zqx flurbophone", 2), ("grommelkazoo", 1)]
    wait_for(lambda: searched() == expected, timeout=15, what=f"{expected} listed")
    table = rows(listed(server, "searches", format="csv", limit=1))
    assert [(r["text"], r["count"]) for r in table] == [("zqx flurbophone", "2")]
