"""A small manual and an answer request about it, for the answer package's tests."""

from __future__ import annotations

from dataclasses import replace

from hsc_jit.answer.base import Accessory, AnswerRequest, Evidence
from hsc_jit.config import Scenario

PAGE_HEADPHONES = """Acme P-10 Digital Piano - Owner's Manual
Headphones
Connect headphones to the PHONES jack on the front left underside of the piano. Two
people can listen at the same time.
When headphones are connected, the built-in speakers go silent automatically.
NOTE: Turn the volume down before you connect headphones, approx. to step 2.
Page 6 of 12"""

PAGE_USB = """Acme P-10 Digital Piano - Owner's Manual
USB and computers
Connect the USB COMPUTER port to a computer. The piano sends MIDI and audio over the cable.
• Driver: for lower latency on Windows, install the "P-10 Driver" (see p. 11).
TIP: Set the audio buffer to 128 samples for recording. If you hear crackles, raise it to 256.
Page 10 of 12"""

PAGE_POWER = """Acme P-10 Digital Piano - Owner's Manual
Power
Press the [POWER] button to turn the piano on. The piano turns off by itself after 30
minutes when Auto Off is on.
CAUTION: Auto Off can cut the sound during a long pause on stage. Turn Auto Off off before
a performance: hold [FUNCTION] and press the A0 key.
Page 5 of 12"""

PAGES = {6: PAGE_HEADPHONES, 10: PAGE_USB, 5: PAGE_POWER}

ACCESSORIES = (
    Accessory("rh5", "Acme RH-5 Headphones", "Headphones", "accessory", "Recommended"),
    Accessory("dp10", "Acme DP-10 Damper Pedal", "Pedals", "accessory", None),
    Accessory("ks20", "Acme KS-20 Stand", "Stands", "accessory", None),
)


def make_request(
    question: str = "How do I connect headphones?",
    pages: tuple[int, ...] = (6, 10, 5),
    scenario: Scenario = "general",
    covered: bool = True,
) -> AnswerRequest:
    evidence = [
        Evidence(page=n, text=PAGES[n], score=1.0 / (rank + 1)) for rank, n in enumerate(pages)
    ]
    return AnswerRequest(
        question=question,
        scenario=scenario,
        product_name="P-10",
        brand_name="Acme",
        product_category="Digital Piano",
        evidence=evidence,
        accessories=ACCESSORIES,
        covered=covered,
    )


def with_passages(request: AnswerRequest, page: int, *passages: str) -> AnswerRequest:
    evidence = [replace(e, passages=passages) if e.page == page else e for e in request.evidence]
    return replace(request, evidence=evidence)
