"""How the answers benchmark judges an answer: its key fact, its citations, its misses."""

from __future__ import annotations

from typing import Any

from bench.answers import judge, summarise


def _item(**fields: Any) -> dict[str, Any]:
    return {
        "product": "wave-9",
        "question": "how many keys?",
        "kind": "number",
        "answerable": True,
        "key_facts": ["61-note"],
        "evidence_pages": [3],
        **fields,
    }


def _result(text: str, found: bool = True) -> dict[str, Any]:
    final = {"type": "final_answer", "found": found}
    return {"chunks": [text], "final": final, "total_s": 0.01, "first_chunk_s": 0.005}


def _report(item: dict[str, Any], text: str, found: bool = True) -> dict[str, Any]:
    result = _result(text, found)
    verdict = {**judge(item, result), "result": result}
    return summarise([(item, verdict, "warm")])


def test_a_right_answer_citing_a_page_without_the_evidence_is_listed() -> None:
    text = "61-note keyboard [MANUAL: page 1] [MANUAL: page 3] [MANUAL: page 1]"
    report = _report(_item(), text)
    assert report["answer_right"] == 1.0 and report["citations_right"] == 1 / 3
    (miss,) = report["misses"]
    assert miss["cited_wrong"] == [1] and miss["question"] == "how many keys?"


def test_a_right_answer_citing_its_evidence_is_no_miss() -> None:
    assert _report(_item(), "61-note keyboard [MANUAL: page 3]")["misses"] == []


def test_an_unanswerable_question_refused_is_no_miss_and_cites_nothing_wrong() -> None:
    item = _item(answerable=False, key_facts=[], evidence_pages=[], kind="unanswerable")
    assert _report(item, "Not covered.", found=False)["misses"] == []
    answered = _report(item, "Maybe [MANUAL: page 2]")["misses"]
    assert [miss["cited_wrong"] for miss in answered] == [[]]
