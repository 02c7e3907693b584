"""The model prompt: best pages first, within the token budget, scenario and rules present."""

from __future__ import annotations

from dataclasses import replace

from hsc_jit.answer.base import Evidence, PriorTurn
from hsc_jit.answer.prompt import SCENARIO_GUIDANCE, build_prompt, estimate_tokens
from tests.utils.answer_requests import make_request


def size(system: str, user: str) -> int:
    return estimate_tokens(system) + estimate_tokens(user)


def test_pages_go_in_ranked_order_with_their_numbers() -> None:
    prompt = build_prompt(make_request(pages=(10, 6, 5)), token_budget=3000)
    user = prompt.user
    assert user.index("[Page 10]") < user.index("[Page 6]") < user.index("[Page 5]")
    assert "Cite only these pages: 10, 6, 5." in prompt.system
    assert "[MANUAL: page N]" in prompt.system
    assert "Question: How do I connect headphones?" in user
    assert "- Acme RH-5 Headphones (Headphones)" in user
    assert "Acme P-10" in prompt.system


def test_budget_is_respected_and_cuts_at_sentence_boundaries() -> None:
    long_page = " ".join(f"Sentence number {i} explains one more setting." for i in range(400))
    request = make_request()
    request = replace(
        request, evidence=[Evidence(page=7, text=long_page, score=2.0), *request.evidence]
    )

    prompt = build_prompt(request, token_budget=700)

    assert size(prompt.system, prompt.user) <= 700
    page_text = prompt.user.split("[Page 7]\n", 1)[1].split("\n\n", 1)[0]
    assert page_text.endswith("explains one more setting.")
    assert "[Page 6]" not in prompt.user  # the best page used the whole budget


def test_passages_go_before_the_rest_of_the_page() -> None:
    request = make_request(pages=(5,))
    request = replace(
        request,
        evidence=[replace(request.evidence[0], passages=("CAUTION: Auto Off can cut the sound.",))],
    )
    user = build_prompt(request, token_budget=3000).user
    assert user.index("CAUTION: Auto Off") < user.index("Press the [POWER] button")


def test_scenario_guidance_is_included() -> None:
    for scenario in ("general", "studio", "live"):
        prompt = build_prompt(make_request(scenario=scenario), token_budget=3000)
        assert SCENARIO_GUIDANCE[scenario] in prompt.system


def test_uncovered_question_asks_for_a_plain_refusal_without_pages() -> None:
    prompt = build_prompt(make_request(covered=False), token_budget=3000)
    assert "does not cover" in prompt.system
    assert "Acme support" in prompt.system
    assert "[Page" not in prompt.user
    assert [m["role"] for m in prompt.messages] == ["system", "user"]


def test_earlier_turns_come_before_the_question_within_the_budget() -> None:
    history = (
        PriorTurn("How do I connect the kick pad?", "Use the KICK jack on the back."),
        PriorTurn("and the hi-hat?", "Use the HI-HAT jack next to it."),
    )
    long_page = " ".join(f"Sentence number {i} explains one more setting." for i in range(400))
    request = replace(
        make_request(question="and the crash?"),
        history=history,
        evidence=[Evidence(page=7, text=long_page, score=2.0)],
    )
    for covered in (True, False):
        prompt = build_prompt(replace(request, covered=covered), token_budget=700)
        user = prompt.user
        assert size(prompt.system, user) <= 700
        order = [
            "How do I connect the kick pad?",
            "Use the KICK jack on the back.",
            "and the hi-hat?",
            "Use the HI-HAT jack next to it.",
            "Question: and the crash?",
        ]
        assert [user.index(text) for text in order] == sorted(user.index(text) for text in order)
    with_history = build_prompt(request, token_budget=700).user
    without = build_prompt(replace(request, history=()), token_budget=700).user
    assert "Earlier in this conversation" not in without
    # The pages make room for the conversation: the budget holds either way.
    assert without.count("Sentence number") > with_history.count("Sentence number") > 0
