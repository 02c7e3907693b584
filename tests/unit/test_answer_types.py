"""Answers shaped by the question: its type, yes or no, spec lines, lists, spacing, coverage."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hsc_jit.answer.base import AnswerRequest, Evidence
from hsc_jit.answer.chunking import spaced
from hsc_jit.answer.evidence import Source, rank_evidence
from hsc_jit.answer.extractive import compose_answer, polar_opening
from hsc_jit.answer.features import FEATURES, PageContext, instruction, rarity, rows
from hsc_jit.answer.question import first_alternative, plain, understand
from hsc_jit.answer.ranker import COVERAGE_FEATURES, Selection, decide, model, pool, select
from hsc_jit.answer.requirements import requirement_met
from hsc_jit.answer.terms import terms
from hsc_jit.answer.units import page_units
from hsc_jit.answer.values import states_value
from hsc_jit.retrieve.rank import PageIndex

SPEC_PAGE = """Wave 9 Synthesizer
The Wave 9 brings wavetable synthesis to the stage with a light, sturdy body.
Its sounds range from glassy pads to biting leads, and every knob is within reach.
Specifications
• Keyboard: 61-note keyboard with aftertouch
• Polyphony: 32 voices
• Weight: 7.5 kg
• Dimensions: 980 x 310 x 110 mm"""

BOX_PAGE = """Wave 9 Synthesizer
What's in the box
The following items are included:
• Power adaptor
• Triple Pedal
• Quick start guide
Bluetooth MIDI is not supported; use the USB port to connect a computer.
The Wave 9 works without a computer: every sound is stored in the instrument."""


def ask(question: str, *pages: tuple[int, str]) -> list[str]:
    return compose_answer(request(question, *pages))


def request(question: str, *pages: tuple[int, str]) -> AnswerRequest:
    evidence = [
        Evidence(page=number, text=text, score=1.0 / (rank + 1))
        for rank, (number, text) in enumerate(pages)
    ]
    return AnswerRequest(
        question=question,
        scenario="general",
        product_name="Wave 9",
        brand_name="Acme",
        product_category=None,
        evidence=evidence,
    )


def text_of(chunks: list[str]) -> str:
    return "".join(chunks)


@pytest.mark.parametrize(
    ("question", "kind", "polar"),
    [
        ("How many keys does the Wave 9 have?", "number", False),
        ("how heavy is it", "number", False),
        ("Do I need to buy the pedal separately?", "inclusion", True),
        ("what comes in the box?", "inclusion", False),
        ("can I use it with my iPad?", "compatibility", True),
        ("How do I connect it to a computer?", "procedure", False),
        ("does it have aftertouch?", "lookup", True),
        ("where is the headphone jack", "lookup", False),
        # A phone's smart punctuation types the apostrophe as ’.
        ("doesn’t it have aftertouch?", "lookup", True),
        ("what’s the max tempo?", "number", False),
        # The main clause after a condition, with no comma between.
        ("if I play it at a gig will the crowd hear the click?", "lookup", True),
        ("if i want to record how do i connect it to a computer?", "procedure", False),
    ],
)
def test_question_type_and_polarity(question: str, kind: str, polar: bool) -> None:
    intent = understand(question)
    assert (intent.kind, intent.polar) == (kind, polar)


def test_the_thing_asked_about_is_widened_to_the_manuals_words() -> None:
    assert {"note", "keyboard"} <= understand("How many keys does it have?").related
    assert "includ" in understand("what's in the box").included


def test_contractions_are_spelt_out_before_the_content_words_are_taken() -> None:
    assert plain("what's the max tempo? it won't sync, I can't tell") == (
        "what the max tempo? it will not sync, I can not tell"
    )
    assert understand("what's the grandmother's tempo?").focus == {"grandmoth", "tempo"}


def test_rarity_follows_how_common_a_word_is() -> None:
    assert rarity("come") < rarity("resolution") < rarity("impedance") == 1.0
    assert rarity("Resolution") == rarity("resolution")


def unknown_rarity(question: str) -> float:
    candidates = pool(request(question, (3, SPEC_PAGE)))
    return float(candidates.coverage[COVERAGE_FEATURES.index("unknown_rarity")])


def test_a_rare_word_no_unit_uses_marks_the_question() -> None:
    assert unknown_rarity("how many voices of polyphony?") == 0.0
    assert unknown_rarity("what is the impedance of its outputs?") == 1.0
    # Everyday words the manual leaves out weigh less than a detail it never mentions.
    assert 0.0 < unknown_rarity("can I carry the keyboard with one hand?") < 0.9
    # A model code written without its hyphen is still the manual's word.
    assert unknown_rarity("is the wave9 keyboard 61-note?") == 0.0


def test_a_unit_knows_how_close_its_neighbours_on_the_page_are() -> None:
    page = (
        "The Wave 9 is a synthesizer for the stage.\n\n"
        "Its battery lasts about six hours on a charge.\n\n"
        "Charge it from any USB port in about two hours.\n\n"
        "The body is made of aluminium."
    )
    units = page_units(page, 1, 0)
    closeness = dict(zip([u.text for u in units], [0.1, 0.8, 0.6, 0.2], strict=True))
    other = page_units("Specifications\n• Battery: 6 hours", 2, 1)
    question = "how long does the battery last?"
    intent = understand(question)
    table = rows(
        question,
        intent,
        intent.focus,
        [*units, *other],
        {1: PageContext(1.0, closeness), 2: PageContext(0.5, {other[0].text: 0.9})},
        True,
    )
    beside = table[:, FEATURES.index("neighbour_cos")].tolist()
    # Each the closer of the units just before and after it; a page's only unit has none.
    assert beside == pytest.approx([0.8, 0.6, 0.8, 0.6, 0.0])


def test_spec_lines_are_answer_units() -> None:
    texts = [u.text for u in page_units(SPEC_PAGE, 3, 0)]
    assert "Keyboard: 61-note keyboard with aftertouch" in texts
    assert "Specifications" not in texts  # a heading is no answer


def test_a_spec_line_answers_how_many_keys() -> None:
    chunks = ask("How many keys does the Wave 9 have?", (3, SPEC_PAGE))
    # First, though the page puts its introduction above it.
    assert chunks[0].startswith("Keyboard: 61-note keyboard")
    assert "[MANUAL: page 3]" in chunks


def test_a_number_question_leads_with_the_number() -> None:
    assert "7.5 kg" in ask("how heavy is it?", (3, SPEC_PAGE))[0]


def test_a_yes_no_question_opens_with_yes_then_cited_evidence() -> None:
    chunks = ask("does the keyboard have aftertouch?", (3, SPEC_PAGE))
    assert chunks[0].startswith("Yes. ")
    assert "aftertouch" in chunks[0]
    assert "[MANUAL: page 3]" in chunks


SHEET_PAGE = """Wave 9 Specifications
Keyboard: 61 keys with aftertouch
Accessories: Owner's manual, AC adaptor, power cord, music rest, damper pedal (DP-2)
Options (sold separately): Keyboard stand KS-G8B, pedal unit KPD-70, headphones RH-5
Weight: 7.5 kg"""


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("does the wave 9 come with a pedal?", "Yes. Accessories: "),
        ("is the stand included with the wave 9?", "No. Options (sold separately): "),
        ("does the wave 9 come with headphones?", "No. Options (sold separately): "),
    ],
)
def test_a_spec_sheets_label_says_what_its_row_includes(question: str, said: str) -> None:
    # The whole list is the label's, however far an item stands from it.
    assert ask(question, (4, SHEET_PAGE))[0].startswith(said)


def test_a_negation_in_the_evidence_answers_no() -> None:
    chunks = ask("Does it support Bluetooth MIDI?", (2, BOX_PAGE))
    assert chunks[0].startswith("No. ")
    assert "not supported" in text_of(chunks)


def test_included_answers_no_to_buying_separately() -> None:
    chunks = ask("Do I need to buy the Triple Pedal separately?", (2, BOX_PAGE))
    assert chunks[0].startswith("No. ")
    assert "Triple Pedal" in text_of(chunks)


def test_what_comes_in_the_box_gives_the_list() -> None:
    text = text_of(ask("what comes in the box?", (2, BOX_PAGE)))
    assert "Power adaptor" in text
    assert "Triple Pedal" in text


def test_chunks_read_right_alone_and_joined() -> None:
    assert spaced("The first sentence.", first=True) == "The first sentence."
    assert spaced("These variations help.", first=False) == " These variations help."
    assert spaced("[MANUAL: page 3]", first=False) == "[MANUAL: page 3]"
    joined = "".join(
        spaced(c, first=i == 0) for i, c in enumerate(["In the studio.", "These variations."])
    )
    assert joined == "In the studio. These variations."


def test_coverage_is_the_calibrated_score_against_its_threshold() -> None:
    candidates = pool(request("How many keys does the Wave 9 have?", (3, SPEC_PAGE)))
    chosen = model()
    probability = decide(candidates, chosen).covered_probability
    assert 0.0 < probability < 1.0
    assert decide(candidates, replace(chosen, coverage_threshold=probability)).covered
    assert not decide(candidates, replace(chosen, coverage_threshold=probability + 1e-6)).covered


def test_an_answer_found_scores_higher_than_one_the_manual_lacks() -> None:
    found = select(request("How many voices of polyphony?", (3, SPEC_PAGE)))
    missing = select(request("What is the warranty period in Israel?", (3, SPEC_PAGE)))
    assert found.covered_probability > missing.covered_probability


def test_a_yes_no_answer_opens_in_the_customers_language() -> None:
    hebrew = replace(request("does the keyboard have aftertouch?", (3, SPEC_PAGE)), lang="he")
    chunks = compose_answer(hebrew)
    assert chunks[0].startswith("מתוך המדריך באנגלית: כן. ") and "aftertouch" in chunks[0]


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("how heavy is it? I carry it to gigs", {"weight"}),
        ("what's the impedance of the headphones?", {"impedance"}),
        ("what's the max tempo in bpm?", {"tempo"}),
        ("what android version do I need for the app?", {"version"}),
        ("what sample rate and bit depth does it record at?", {"frequency", "bits"}),
        ("is there a version of it with an on/off switch?", set()),
        ("how do I save a kit?", set()),
    ],
)
def test_the_kind_of_value_a_question_asks_for(question: str, kinds: set[str]) -> None:
    assert understand(question).values == kinds


def test_a_text_states_a_value_of_the_kind_asked() -> None:
    assert states_value(frozenset({"weight"}), "lightweight 190-gram design")
    assert states_value(frozenset({"weight"}), "Weight: 7.5 kg")
    assert not states_value(frozenset({"weight"}), "Greatly reduced weight makes it easy to move")
    assert states_value(frozenset({"version"}), "Android 4.3 or later")
    assert not states_value(frozenset({"price"}), "an affordable price for everyone")


def value_missing(question: str, *pages: tuple[int, str]) -> float:
    candidates = pool(request(question, *pages))
    return float(candidates.coverage[COVERAGE_FEATURES.index("value_missing")])


def test_a_value_no_page_states_marks_the_question() -> None:
    assert value_missing("how heavy is the Wave 9?", (3, SPEC_PAGE)) == 0.0
    assert value_missing("how heavy is the Wave 9?", (2, BOX_PAGE)) == 1.0
    assert value_missing("what's the impedance of the outputs?", (3, SPEC_PAGE)) == 1.0
    assert value_missing("does it come with a pedal?", (2, BOX_PAGE)) == 0.0  # asks for none


def test_the_page_that_states_the_value_asked_for_joins_the_evidence() -> None:
    intro = "Wave 9 Synthesizer\nThe Wave 9 is light enough to carry to every gig on the bus."
    sound = "Sounds\nThe Wave 9 has pads, leads and basses for every gig and every stage."
    # In kilos, a word the customers' lexicon does not give for "heavy", so words alone rank
    # the spec page low ("kg" would find it).
    spec = SPEC_PAGE.replace("7.5 kg", "7.5 kilos")
    pages = {1: intro, 2: sound, 3: BOX_PAGE, 4: spec}
    source = Source(PageIndex.build(sorted(pages.items()), "Wave 9"), pages, "Wave 9", "")
    question = "how heavy is the wave 9 to carry to a gig?"
    ranked = [r.evidence.page for r in rank_evidence([source], question, 1, None)]
    assert ranked[0] != 4 and ranked[-1] == 4
    # A question that asks for no value keeps its pages as ranked.
    assert len(rank_evidence([source], "can I carry it to a gig?", 1, None)) == 1


def test_in_the_box_asks_what_is_included_not_about_boxes() -> None:
    assert understand("what comes in the box?").focus == frozenset()
    assert "includ" in understand("what comes in the box?").included
    assert understand("does it come with a pedal?").focus == {"pedal"}
    page = """Wave 9 Synthesizer
Sending to the PA: connect LINE OUT to the stage box with a DI box.
The Wave 9 is supplied with a power adaptor, a USB cable and a quick start guide."""
    selection = select(request("what comes in the box?", (4, page)))
    assert selection.ranked[0][1].text.startswith("The Wave 9 is supplied with a power adaptor")


def test_a_yes_no_answer_that_names_nothing_asked_about_does_not_guess() -> None:
    page = """Wave 9 Synthesizer
The Wave 9 brings wavetable synthesis to the studio with a light, sturdy body.
Its sounds range from glassy pads to biting leads, and every knob is within reach."""
    # Not "to the stage": a manual's word for "gigs" (retrieve/customer_words.tsv) is asked about.
    chunks = ask("can the wave 9 run on batteries for outdoor gigs?", (1, page))
    assert chunks[0].startswith("The manual does not say that in so many words; here is what")
    assert not text_of(chunks).startswith(("Yes.", "No."))


def test_does_it_come_with_an_item_the_manual_never_names_does_not_guess() -> None:
    # "included" answers "does it come with ...?" only when the item is named with it.
    chunks = ask("does it come with a carrying case?", (2, BOX_PAGE))
    assert not text_of(chunks).startswith(("Yes.", "No."))


def test_a_spec_sheets_rows_are_answer_units_not_headings() -> None:
    sheet = """TD-27 V-Drums
Specifications
Weight | 7.9 kg
Keyboard 61 keys, velocity sensitive
Power 24 V DC
Getting started
Press the POWER button to turn the module on."""
    texts = {u.text: u.spec for u in page_units(sheet, 9, 0)}
    assert texts["Weight | 7.9 kg"] and texts["Power 24 V DC"]
    assert texts["Keyboard 61 keys, velocity sensitive"]
    assert "TD-27 V-Drums" not in texts and "Getting started" not in texts  # titles stay titles
    assert "7.9 kg" in ask("how heavy is it?", (9, sheet))[0]


# A spec sheet's table as the PDF extractor gives it: a tab between the columns.
MIC_SHEET = """SM-X7 Dynamic Vocal Microphone
The SM-X7 is a dynamic vocal microphone tuned for live stages. Its cardioid pickup pattern
rejects sound from the rear.
Specifications
Cartridge Type\tDynamic (moving coil)
Connector\tThree-pin professional audio (XLR), male
Net Weight\t298 grams (10.5 oz)
Bluetooth\taudio (A2DP) and MIDI
Included Accessories\tBreak-resistant stand adapter, storage bag"""


def test_a_pdf_tables_rows_are_answer_units_even_the_first() -> None:
    units = {u.text: u.spec for u in page_units(MIC_SHEET, 3, 0)}
    assert units["Cartridge Type\tDynamic (moving coil)"]  # no amount, first of its run
    assert units["Connector\tThree-pin professional audio (XLR), male"]
    answer = text_of(ask("what connector does it have?", (3, MIC_SHEET)))
    assert "Connector\tThree-pin professional audio (XLR)" in answer


def test_what_comes_in_the_box_leads_with_the_list() -> None:
    first = ask("what comes in the box?", (3, MIC_SHEET))[0]
    assert first.startswith("Included Accessories\tBreak-resistant stand adapter")


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("does it come with a stand adapter?", "Yes. "),
        # A feature the sheet states, though the list of accessories beside it leaves it out.
        ("does it come with bluetooth?", "Yes. "),
    ],
)
def test_the_list_of_what_comes_with_it_and_the_features_beside_it(
    question: str, said: str
) -> None:
    assert ask(question, (3, MIC_SHEET))[0].startswith(said)


# A spec page as a PDF's text layer gives it: one line a table row ("label value"), lists
# printed without bullets, headings over what they head.
TABLE_PAGE = """SX-61 Synthesizer
The SX-61 brings virtual analog and sampled sounds to the stage in a light, sturdy body.
Specifications
Keyboard 61 keys (velocity sensitive)
Sound engine virtual analog and samples
Effects reverb, delay and chorus
Headphone impedance Rated at 32 ohms or more
Outputs OUTPUT L/MONO, R jacks
Options
Damper pedal DP-10
Keyboard stand KS-12
Carrying case CB-61
Getting started
Connect the AC adaptor and press the POWER button."""


def test_rows_that_state_no_amount_and_unbulleted_lists_are_answer_units() -> None:
    units = {u.text: u for u in page_units(TABLE_PAGE, 3, 0)}
    for row in (
        "Sound engine virtual analog and samples",
        "Effects reverb, delay and chorus",
        "Damper pedal DP-10",
        "Keyboard stand KS-12",
        "Carrying case CB-61",
    ):
        assert row in units, row
    assert units["Keyboard stand KS-12"].item
    assert units["Keyboard stand KS-12"].section == "Options"  # one word: a title, not a row
    # A heading heads what follows it: the run's first line, and its last before prose.
    assert "Getting started" not in units and "SX-61 Synthesizer" not in units
    assert units["Keyboard 61 keys (velocity sensitive)"].section == "Specifications"
    assert units["Connect the AC adaptor and press the POWER button."].section == "Getting started"
    assert "KS-12" in text_of(ask("which stand fits it?", (3, TABLE_PAGE)))


def test_titles_over_prose_and_over_bullets_stay_headings() -> None:
    page = """Wave 9 Synthesizer
Sound
Features
• 61-note keyboard with aftertouch
Care
Wipe the case with a soft dry cloth; never use solvents, polish or alcohol wipes on it."""
    units = page_units(page, 2, 0)
    assert [u.text for u in units] == [
        "61-note keyboard with aftertouch",
        "Wipe the case with a soft dry cloth; never use solvents, polish or alcohol wipes on it.",
    ]
    assert [u.section for u in units] == ["Features", "Care"]


def test_a_page_the_ranker_left_out_joins_when_only_it_states_the_value() -> None:
    pages = {
        1: "Wave 9 Synthesizer\nThe Wave 9 brings wavetable synthesis to every stage.",
        2: "Care\nWipe it with a soft dry cloth; never use solvents or polish.\nWeight: 7.5 kilos",
    }
    source = Source(PageIndex.build(sorted(pages.items()), "Wave 9"), pages, "Wave 9", "")
    question = "how heavy is the wave 9 on a stage?"
    ranked = [r.evidence.page for r in rank_evidence([source], question, 1, None)]
    assert ranked == [1, 2]


def opening(question: str, *texts: str, lead: int = 0) -> str:
    """What ``polar_opening`` says when ``texts`` are the answer's units, ``lead`` the best."""
    units = [page_units(text, 2, 0)[0] for text in texts]
    return polar_opening(question, units, units[lead], understand(question).focus)


def test_the_best_unit_says_yes_or_no_wherever_the_page_puts_it() -> None:
    never = "Never clean the pads with alcohol wipes or thinner."
    dry = "Clean the pads with a dry, soft cloth after each session."
    question = "can I clean the pads with alcohol wipes?"
    assert opening(question, dry, never, lead=1) == "no"
    assert opening(question, never, dry, lead=1) == "yes"


def test_a_negation_in_another_clause_says_nothing_against_the_thing_asked() -> None:
    text = "It even has a built-in speaker, because you never know what life might throw your way."
    assert opening("does the tr06 have a speaker?", text) == "yes"
    assert opening("does it have a speaker?", "The speaker is not built in.") == "no"


def test_the_thing_asked_about_included_beside_an_optional_one_is_a_yes() -> None:
    text = "The DP-10 damper pedal is included, while the optional RPU-3 combines three pedals."
    assert opening("is a damper pedal included with it?", text) == "yes"
    assert opening("do I need to buy a damper pedal separately?", text) == "no"
    # Asked by its code, the optional pedal is not the included one.
    assert opening("does the RPU-3 pedal come with it?", text) == "no"
    assert opening("is the DP-10 pedal included?", text) == "yes"


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("does the editor app work with android?", "The editor app is incompatible with Android."),
        ("does it have bluetooth midi?", "The Wave 9 lacks Bluetooth MIDI."),
        ("does it have bluetooth midi?", "Bluetooth MIDI is not supported."),
        ("can I use an expression pedal?", "The pedal input can't take an expression pedal."),
        # Manufacturers' pages set the apostrophe as ’.
        (
            "will the audience hear the click?",
            "The click goes to the phones, so the audience won’t hear it.",
        ),
        ("does it run on batteries?", "The Wave 9 doesn’t run on batteries."),
    ],
)
def test_ways_a_manual_says_no(question: str, text: str) -> None:
    assert opening(question, text) == "no"


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        ("are the rh-5 open back?", "The RH-5 is a comfortable closed-back set.", "no"),
        ("is the sm58 a condenser mic?", "The SM58 is a dynamic microphone.", "no"),
        ("does it use an external power brick?", "A universal internal power supply.", "no"),
        ("is the phones output stereo?", "PHONES: 1/4-inch stereo jack.", "yes"),
    ],
)
def test_a_property_stated_the_other_way_is_a_no(question: str, text: str, said: str) -> None:
    assert opening(question, text) == said


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        (
            "can it play a loop in reverse?",
            "Not only can it play a loop in reverse, it can halve it.",
            "yes",
        ),
        ("is it just for pianos?", "The stand is not just for pianos.", "no"),
        (
            "is there a kit for blue monday?",
            "None is more famous than the Blue Monday kit in here.",
            "yes",
        ),
        ("can it hold 10 kg?", "The stand holds no more than 5 kg.", "no"),
        ("is it better than the old one?", "It is not better than the old one.", "no"),
        ("can I sync the arpeggiator?", "Syncing the arpeggiator has never been easier.", "yes"),
        ("does it have new snare sounds?", "It adds never-before-heard snare sounds.", "yes"),
        ("is it velocity sensitive?", "We couldn't resist making it velocity sensitive.", "yes"),
        ("is it water resistant?", "The case does not resist water.", "no"),
        ("must I wait before turning it off?", "No wait is needed before turning it off.", "no"),
    ],
)
def test_a_negation_word_that_praises_says_no_no(question: str, text: str, said: str) -> None:
    assert opening(question, text) == said


def test_optional_says_no_only_to_whether_something_is_included() -> None:
    text = "Runs on four AA batteries or USB power, with an optional stand for the desk."
    assert opening("can it run on batteries?", text) == "yes"
    assert opening("does it come with a stand?", text) == "no"


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        ("does it have xlr outputs?", "Outputs: 1/4-inch phone type (L/MONO, R)", "no"),
        ("does it have xlr outputs?", "Main outputs: XLR type, 1/4-inch TRS phone type", "yes"),
        ("does it have a 1/4 inch input?", "Inputs: two XLR/1/4-inch combo jacks", "yes"),
        ("is the headphone out stereo?", "Headphone out: mono/stereo switchable", "yes"),
        ("can I use it without an xlr cable?", "Output: 1/4-inch jack, for a guitar cable", "yes"),
        # About another jack than the one asked: the answer does not say.
        ("is the headphone jack 1/4 inch?", "MIDI: IN, OUT (5-pin DIN)", "not_said_directly"),
        ("is the phones out a 1/4 inch jack?", "PHONES: stereo mini jack", "no"),
        ("is the phones out a 1/4 inch jack?", "PHONES jack: Stereo miniature phone type", "no"),
        ("is the phones out a 1/4 inch jack?", "Headphones: 6.3 mm stereo jack", "yes"),
        ("does it have 5-pin midi?", "MIDI: IN, OUT (5-pin DIN)", "yes"),
        ("does it have regular 5 pin midi ports?", "MIDI via 3.5 mm TRS (adapter included)", "no"),
        ("is the case made of wood?", "An aluminum case with wood end cheeks.", "yes"),
        ("are the keys made of wood?", "Keys: plastic, with an ivory feel finish", "no"),
        ("is it good for metal?", "A wooden cabinet gives warm clean tones for metal.", "yes"),
        (
            "is it built of metal or is it plasticky?",
            "A rugged metal chassis, built to last.",
            "yes",
        ),
        ("is it wood or is it plastic?", "Keys: plastic, with an ivory feel finish", "no"),
    ],
)
def test_a_connector_or_material_named_another_way(question: str, text: str, said: str) -> None:
    assert opening(question, text) == said


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        ("does it have a noisy cooling fan?", "A fan-free thermal design keeps it silent.", "no"),
        ("does it have a cooling fan?", "Fanless cooling keeps it silent.", "no"),
        ("do I need tools to change the height?", "Tool-less height adjustment.", "no"),
        # The question's own "hands-free" agrees with the page's.
        ("can I record hands-free?", "Hands-free recording starts when you play.", "yes"),
        ("are the samples royalty free?", "Royalty-free samples for your own productions.", "yes"),
        ("does it need phantom power?", "The dynamic mic is phantom-power-free.", "no"),
        ("does it have a noisy cooling fan?", "A fanless thermal design keeps it silent.", "no"),
        ("does the bass have frets?", "A fretless neck with inlaid lines.", "no"),
        # The compound describes something else when the page names the thing on its own.
        ("does it have a noise gate?", "For noise-free recordings, use the noise gate.", "yes"),
        (
            "does bluetooth add latency?",
            "Latency-free wired monitoring; Bluetooth adds some latency.",
            "yes",
        ),
        ("does it have lead sounds?", "Lead sounds for solos. All parts are lead-free.", "yes"),
        # Another word of the question ending in -less is no asking for the compound.
        (
            "does the wireless receiver have a cooling fan?",
            "A fan-free design keeps it silent.",
            "no",
        ),
        # "-free" joined to something else than the thing asked.
        ("is the editor app free?", "Download the editor app, a hassle-free way to edit.", "yes"),
    ],
)
def test_a_thing_denied_by_what_is_joined_after_it(question: str, text: str, said: str) -> None:
    assert opening(question, text) == said


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        ("does it have usb-c?", "USB port: USB B type", "no"),
        ("does it have usb c?", "USB COMPUTER port: USB Type-C", "yes"),
        ("is the usb port usb-c?", "USB port: MicroB type (Audio, MIDI)", "no"),
        ("is the chassis plastic?", "From the sturdy metal chassis to the connectors.", "no"),
        # Metal the genre is no material.
        ("is the body plastic?", "Heavy metal sounds and a plastic body.", "yes"),
        ("does it take aaa batteries?", "Runs on four AA batteries.", "no"),
        ("is the snare a steel one?", "A vintage US brass snare with a deep shell.", "no"),
        ("are the shells maple?", "A German birch drum set with thin shells.", "no"),
        ("are the shells maple?", "Maple shells with birch reinforcement rings.", "yes"),
        ("is the sm58 an omnidirectional mic?", "The SM58 is a cardioid dynamic mic.", "no"),
        ("is the sm58 a cardioid mic?", "The SM58 is a cardioid dynamic mic.", "yes"),
        ("does it have humbucker pickups?", "Two single-coil pickups and a tone knob.", "no"),
        ("are the headphones in-ear?", "Closed-back, over-ear headphones.", "no"),
        # A piano's "light oak" is a finish, not a wood asked against.
        (
            "is it available in walnut?",
            "Finishes: polished ebony and light oak.",
            "not_said_directly",
        ),
        ("does it take aa batteries?", "Rechargeable Ni-MH AA batteries: approx. 6 hours", "yes"),
        ("does the app connect over wifi?", "The app connects over Bluetooth.", "no"),
        ("does it have bluetooth?", "Bluetooth and Wi-Fi through the WC-1 adapter.", "yes"),
        # "USB bus power" names no kind of socket.
        ("can I power it over usb?", "USB port: USB B type", "yes"),
    ],
)
def test_a_socket_battery_radio_wood_or_pattern_named_another_way(
    question: str, text: str, said: str
) -> None:
    assert opening(question, text) == said


@pytest.mark.parametrize(
    ("question", "lines", "said"),
    [
        # The jack asked about is the headphone jack, whatever the best-rated line is about.
        (
            "is the headphone jack a full size 1/4 inch one?",
            ("OUTPUT jack: stereo 1/4-inch phone type", "PHONES jack: stereo miniature phone type"),
            "no",
        ),
        (
            "is the headphone jack a full size 1/4 inch one?",
            ("OUTPUT jack: stereo miniature phone type", "PHONES jack: stereo 1/4-inch phone type"),
            "yes",
        ),
        # A line naming no more of it than the lead's own label leaves the lead to decide.
        (
            "is the output jack 1/4 inch?",
            ("OUTPUT jack: 1/4-inch phone type", "PHONES jack: stereo miniature phone type"),
            "yes",
        ),
        # A sentence speaks of all it names: an accessory's line does not outweigh it.
        (
            "is the headphone jack a 1/4 inch one?",
            (
                "The headphone jack is a standard 1/4-inch stereo jack.",
                "Headphones: RH-5 with 3.5 mm plug (sold separately)",
            ),
            "yes",
        ),
    ],
)
def test_the_spec_line_naming_the_thing_asked_says_how_it_is_made(
    question: str, lines: tuple[str, str], said: str
) -> None:
    assert opening(question, *lines) == said


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        (
            "do headphones still work when the power control switch is on standby?",
            "The POWER CONTROL switch does not affect the headphones: at STANDBY they still work.",
            "yes",
        ),
        # The harm asked about, denied, is a no.
        (
            "does phantom power damage the sm58?",
            "Phantom power from the mixer does not damage the SM58.",
            "no",
        ),
    ],
)
def test_harm_denied_is_no_thing_denied(question: str, text: str, said: str) -> None:
    assert opening(question, text) == said


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("does the fantom 7 ex have hammer action keys like the 8?", "no"),
        ("does the fantom 8 ex have hammer action keys?", "yes"),
    ],
)
def test_a_series_page_answers_for_the_model_asked_about(question: str, said: str) -> None:
    text = (
        "The FANTOM 8 EX offers 88 hammer-action keys, while the 61-note FANTOM 6 EX and "
        "76-note FANTOM 7 EX feature semi-weighted synth action."
    )
    assert opening(question, text) == said


def test_a_page_labelling_values_by_model_answers_for_the_model_asked_about() -> None:
    text = "FANTOM 8: 1/4-inch phones jack; FANTOM 7: stereo miniature phones jack"
    assert opening("is the fantom 7 phones jack a 1/4 inch one?", text) == "no"
    assert opening("is the fantom 8 phones jack a 1/4 inch one?", text) == "yes"


def test_what_a_page_says_of_an_earlier_model_is_not_said_of_the_product() -> None:
    # The clause naming no model is still about the product.
    text = (
        "The TR-808 ran on an external adaptor; the TR-1000 is built to last; a universal "
        "internal power supply keeps it going."
    )
    assert opening("does the tr1000 use an external power brick?", text) == "no"


def test_the_spec_line_a_yes_or_no_rests_on_leads_the_answer() -> None:
    page = (
        "Specifications\nOUTPUT jack: stereo 1/4-inch phone type\n"
        "Battery life: approximately 6 hours\nPHONES jack: stereo miniature phone type"
    )
    answer = text_of(ask("is the headphone jack a 1/4 inch one?", (3, page)))
    assert answer.startswith("No. PHONES jack: stereo miniature phone type OUTPUT jack: stereo")
    assert answer.count("PHONES jack") == 1


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        ("does it have hammer action keys?", "61 semi-weighted keys with aftertouch.", "no"),
        ("are the keys semi-weighted?", "88-note hammer-action keyboard.", "no"),
        ("does it have hammer action keys?", "88-note hammer action keyboard.", "yes"),
        ("are the keys weighted?", "61 semi-weighted keys with aftertouch.", "yes"),
        ("are the keys fully weighted?", "61 half-weighted keys with aftertouch.", "no"),
    ],
)
def test_a_key_action_named_another_way(question: str, text: str, said: str) -> None:
    assert opening(question, text) == said


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        ("is the editor app available for android?", "The editor app is available for iOS.", "no"),
        ("does the editor run on my pc?", "Editor software for macOS and Windows.", "yes"),
        ("does it work with my iphone?", "The app runs on iPad and iPhone.", "yes"),
        # Asked whether it is one way only, another way named beside it says no.
        ("is the editor windows only? i'm on a mac", "For macOS and Windows.", "no"),
        ("is the editor only for the mac?", "Editor software for macOS.", "yes"),
        ("is the headphone out mono only?", "PHONES: mono and stereo output jacks", "no"),
        # "With just an iPad" asks whether the iPad is enough, not whether it is all.
        ("can I use it with just an ipad?", "The app runs on iPad and on the Mac.", "yes"),
    ],
)
def test_a_computer_or_phone_named_another_way(question: str, text: str, said: str) -> None:
    assert opening(question, text) == said


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        (
            "can i buy the kit pack anywhere besides roland cloud?",
            "Kit packs are available exclusively through Roland Cloud.",
            "no",
        ),
        ("can I use a pedal other than the fs-5u?", "Use only the FS-5U footswitch.", "no"),
        # Praise is no exclusion; nor is an "only" about something else.
        (
            "does it do anything other than reverb?",
            "Not only a reverb: it adds a delay as well.",
            "yes",
        ),
        (
            "can I use a pedal other than the fs-5u?",
            "Only the FS-6 switches both modes; the FS-5U pedal works too.",
            "yes",
        ),
    ],
)
def test_asked_past_the_one_way_a_page_allows_is_a_no(question: str, text: str, said: str) -> None:
    assert opening(question, text) == said


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("my ipad is still on ios 9, will the editor run?", "no"),
        ("will the editor run on iOS 12.1?", "yes"),
        ("will it run on ios 10.3?", "yes"),
        ("will it work on windows 7?", "no"),
        ("will it work on windows 11?", "yes"),
        ("does it run on mac os x 10.9?", "no"),
    ],
)
def test_the_system_version_the_customer_has_against_the_one_required(
    question: str, said: str
) -> None:
    about = "The editor app unlocks every tone parameter of the instrument."
    ios = "iOS: Requires iOS 10.3 or later."
    computers = "Runs on Windows 10 or later, and on macOS 11 and later."
    assert opening(question, about, ios, computers) == said


@pytest.mark.parametrize(
    ("question", "text"),
    [
        # The customer's own gear, or a comparison, is no property asked of the product.
        ("will it connect to my usb-c laptop?", "USB COMPUTER port: USB type B"),
        ("can I use my in-ear monitors with it?", "Connect over-ear headphones to the jack."),
        ("does it reject feedback like a cardioid mic?", "A supercardioid mic resists feedback."),
        ("can I use it with a 9v adapter?", "It runs on six AA batteries or the AC adaptor."),
        # "Brass" among sounds, "bronze" among metals.
        ("is the body plastic?", "A lightweight body; 1,200 sounds with strings and brass."),
        ("are the cymbals bronze?", "Cymbals: B20 bronze, hand-hammered."),
    ],
)
def test_what_is_no_property_stated_another_way(question: str, text: str) -> None:
    assert opening(question, text) != "no"


def test_a_socket_or_a_computer_of_the_customers_is_still_asked_about() -> None:
    # The product's socket for the customer's mic, and the product on the customer's computer.
    assert (
        opening("does it have an input for an xlr mic?", "Mic input: 1/4-inch phone type") == "no"
    )
    assert opening("will the editor run on my mac?", "The editor app runs on Windows.") == "no"


def test_a_value_the_page_states_without_a_number_does_not_lead() -> None:
    tempo = "The tempo can be set from 20 to 300 in the TEMPO menu."
    clock = "When MIDI clock is received, the BPM display follows it."
    answer = text_of(ask("what is the maximum tempo?", (1, tempo), (2, clock)))
    assert answer.startswith(tempo)
    battery = "It runs on six AA batteries or the supplied AC adaptor."
    size = "Dimensions: 876 x 263 x 87 mm"
    answer = text_of(ask("which size battery do I need?", (1, battery), (2, size)))
    assert answer.startswith(battery)


def test_a_unit_stating_the_kind_of_value_asked_leads_the_answer() -> None:
    question = "how much does the wave 9 weigh? i have to carry it upstairs to rehearsal"
    light = "Light enough to carry upstairs: the Wave 9 is built to go to every rehearsal and gig."
    weight = "With its compact 7.5kg design, it plays anywhere."
    answer = text_of(ask(question, (1, light), (2, weight)))
    assert answer.startswith(f"{weight}[MANUAL: page 2]{light}[MANUAL: page 1]")


def test_the_unit_stating_the_version_required_leads_the_answer() -> None:
    question = "my ipad is still on ios 9, will the editor app run?"
    editor = (
        "The editor app runs on your iPad and edits every tone of the instrument. "
        "Create layered tones and save them."
    )
    answer = text_of(
        ask(question, (1, editor), (2, "Requirements\nEditor app: iOS 10.3 or later."))
    )
    assert answer.startswith("No. Editor app: iOS 10.3 or later.[MANUAL: page 2]The editor app")
    # Written as a sentence, the requirement leads all the same.
    requirement = "Requirements\nThe editor app requires iOS 10.3 or later."
    answer = text_of(ask(question, (1, editor), (2, requirement)))
    assert answer.startswith("No. The editor app requires iOS 10.3 or later.[MANUAL: page 2]")
    # Another app's requirement neither leads nor decides, however the ranker rates it.
    song = "Sharing recordings to the Song app of your phone requires iOS 15 or later."
    answer = text_of(
        ask("my ipad is on ios 13, can I edit tones with the editor app?", (1, editor), (3, song))
    )
    assert answer.startswith("Yes. The editor app runs on your iPad")
    assert "Song app" not in answer


@pytest.mark.parametrize(
    ("question", "texts", "met"),
    [
        # The version asked about is no version the customer has.
        ("does it require windows 11?", ["Runs on Windows 10 or later."], None),
        ("do I need to upgrade to iOS 17?", ["Requires iOS 12 or later."], None),
        ("is my ipad on ios 9 too old for the editor?", ["Requires iOS 10.3 or later."], None),
        # The first requirement of a system counts; every system the customer names is judged.
        ("will it run on ios 13?", ["Requires iOS 12 or later (iOS 14 or later for BT)."], True),
        (
            "my ipad has ios 16 and my laptop has windows 7, will it work?",
            ["Requires iOS 12 or later. Windows 10 or later."],
            False,
        ),
        ("will it work on windows 98?", ["Windows 10 or later."], False),
        ("will it run on android 7?", ["Android 8.0 (Oreo) or later"], False),
        ("does it run on macos 10.14?", ["macOS 10.15 Catalina or later"], False),
        ("will it work with android 9?", ["Android OS 8.0 or later"], True),
        ("will it work on windows 11?", ["Windows® 10 or later"], True),
        # Another thing's requirement is none of what is asked about; a clause is one thing's.
        ("I'm on ios 13, will the editor app run?", ["Editor app: iOS 10.3 or later."], True),
        (
            "I'm on ios 13, will the editor app run?",
            ["The Song app requires iOS 15 or later."],
            None,
        ),
        (
            "I'm on iOS 13, will the Song app work?",
            ["The editor app requires iOS 12 or later; the Song app requires iOS 15 or later."],
            False,
        ),
        # Words after "requires" are no other thing's: RAM, Bluetooth, an operating system.
        (
            "I'm on macOS 10.14, will Roland Cloud Manager work?",
            ["System requirements: macOS 10.15 or later, 8 GB RAM"],
            False,
        ),
        (
            "will it connect to my iPhone on iOS 12?",
            ["Requires an iPhone or iPad with iOS 14 or later and Bluetooth LE."],
            False,
        ),
        ("my phone runs android 7, can i use the app?", ["Requires Android 8.0 or later"], False),
    ],
)
def test_which_system_versions_are_compared(
    question: str, texts: list[str], met: bool | None
) -> None:
    assert requirement_met(question, texts, understand(question).focus) is met


def test_a_negated_question_about_a_version_is_no_version_comparison() -> None:
    required = "iOS: Requires iOS 10.3 or later."
    assert opening("won't the editor run on ios 9?", required) != "no"


@pytest.mark.parametrize(
    ("question", "text"),
    [
        # "Only" about something else than the way named.
        (
            "my mac only has usb-c ports, can I connect it?",
            "Connect it to a Mac or Windows computer.",
        ),
        ("I have only an iPad, can I use the app?", "The app is available for iOS and Android."),
        (
            "can I use the headphones wired only when the battery is dead?",
            "They work wired or wireless.",
        ),
        # A page's lower-case "windows" and MIDI "PC" are no computers.
        ("does the editor work on my mac?", "The editor opens in two windows: Mixer and Library."),
        ("can it receive program changes from my mac?", "The unit receives PC and CC messages."),
        # A question starting "besides ..." asks about more; a page's "only" about something else.
        (
            "besides the loops, are there percussion hits?",
            "Exclusive loops recorded for this pack, plus 60 percussion hits.",
        ),
        (
            "can I use a pedal other than the fs-5u?",
            "Only the FS-6 switches both modes; the FS-5U works too.",
        ),
        (
            "can i download kits anywhere besides roland cloud?",
            "Downloading from Roland Cloud only takes a minute.",
        ),
    ],
)
def test_what_is_no_question_of_one_way_only(question: str, text: str) -> None:
    assert opening(question, text) != "no"


def test_a_negation_in_the_question_agrees_with_one_in_the_answer() -> None:
    question = "will it work on windows without installing a driver?"
    assert opening(question, "No driver is needed on Windows or macOS.") == "yes"
    assert opening("do I need a driver on windows?", "No driver is needed on Windows.") == "no"


def test_any_line_of_an_inclusion_answer_may_say_optional() -> None:
    units = ["Wireless adapter: WC-1", "The WC-1 adapter for Roland Cloud Connect (optional)."]
    assert opening("does it come with the WC-1 wireless adapter?", *units) == "no"


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("is it velocity sensitive?", "velocity-sensitive keys"),
        ("does it have a speaker built in?", "a built-in amp"),
        ("how many split screen layouts", "10 split-screen patterns"),
        ("does the hihat sound real?", "a hi-hat with three zones"),
        ("how many notes", "a 61-note keyboard"),
    ],
)
def test_a_hyphenated_word_meets_its_parts_and_the_parts_joined(asked: str, written: str) -> None:
    assert understand(asked).focus & terms(written)


def test_a_model_code_is_not_split_into_parts_that_match_alone() -> None:
    assert not {"td", "27"} & terms("TD-27 module")


@pytest.mark.parametrize(
    ("question", "text", "said"),
    [
        # Pages that speak of a burden mostly spare the customer it.
        (
            "do I need experience to play it?",
            "Anyone can play it, whatever their experience.",
            "no",
        ),
        ("will I have to pay for the editor?", "Download the editor for free.", "no"),
        ("do i need a separate power adapter for it?", "It runs on four AA batteries.", "no"),
        # ... unless they say it is required or sold apart, or tell the customer to do it.
        ("do I need an adapter for my iPhone?", "An adapter (sold separately) is required.", "yes"),
        (
            "will I have to update it first?",
            "Update it first: the app requires firmware 2.0 or later.",
            "yes",
        ),
        (
            "do I need to hold the power button to turn it off?",
            "Hold the power button for two seconds to turn it off.",
            "yes",
        ),
    ],
)
def test_a_question_about_a_burden_is_a_no_unless_the_answer_requires_it(
    question: str, text: str, said: str
) -> None:
    assert understand(question).burden
    assert opening(question, text) == said


def test_what_the_product_needs_is_no_burden_on_the_customer() -> None:
    question = "does it need an adapter?"
    assert understand(question).need
    assert not understand(question).burden
    assert opening(question, "Connect the AC adapter to the DC IN jack.") == "yes"


@pytest.mark.parametrize(
    ("question", "burden"),
    [
        ("is a usb cable needed?", True),
        ("is there a driver required for windows?", True),
        ("is it necessary to update?", True),
        ("are batteries required?", True),
        ("must I register it?", True),
        ("do I still need to register?", True),
        ("will I have to relearn the fingerings?", True),
        ("is there a version with a switch?", False),
        ("does it need a battery?", False),  # about the product, not a burden on the customer
    ],
)
def test_the_ways_a_customer_asks_about_a_burden(question: str, burden: bool) -> None:
    assert understand(question).burden is burden


@pytest.mark.parametrize(
    "question",
    [
        "is the triple pedal included or do i buy it separately?",
        "is the triple pedal included, or is it sold separately?",
        "is the triple pedal included or sold separately?",
        "does it come with a triple pedal, or do I need to buy one?",
    ],
)
@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("A triple pedal and an adaptor are included.", "yes"),
        ("The triple pedal is sold separately.", "no"),
        ("An optional triple pedal is available.", "no"),
    ],
)
def test_an_either_or_question_is_answered_as_its_first_alternative_asks(
    question: str, text: str, said: str
) -> None:
    assert not understand(question).need
    assert opening(question, text) == said


def test_either_or_speaks_of_alternatives_not_of_a_list() -> None:
    # "a 1/4 or XLR input" and "mac or pc" are one thing asked about, not two questions.
    for question in ("is there a 1/4 or XLR input?", "does it work with mac or pc?"):
        assert first_alternative(question) == question
    assert first_alternative("can I use headphones or do I need speakers?") == (
        "can I use headphones"
    )


def test_non_joined_to_the_thing_asked_says_no_and_nearby_says_nothing() -> None:
    assert opening("is it velocity sensitive?", "The pads are non-velocity-sensitive.") != "yes"
    assert not {"veloc", "sensit"} & terms("non-velocity-sensitive pads")
    text = "Practise with headphones in 3D Ambience, with a set of non-piano sounds."
    assert opening("can I practise with headphones?", text) == "yes"


def test_a_model_code_in_the_question_is_matched_whole() -> None:
    text = "The DP-100 pedal is included, while the optional DP-10 adds a half damper."
    assert opening("is the DP-10 pedal included?", text) == "no"
    assert opening("is the DP-100 pedal included?", text) == "yes"


KITS_PAGE = """Wave 9 Kit Pack
Eight kits recorded in rooms around the world, each with its own accompaniment loop.
Eastern Wisdom
A melodic kit with an Asian feel and loops with crisp bass tones and bell sounds.
It comes with a loop of temple bells.
Ray of Sunlight
A bright kit with rain drips, camera clicks and a laid-back groove at 90 BPM.
Specifications
Kits: 8"""


def test_a_which_question_gets_the_name_heading_its_answer() -> None:
    answer = text_of(ask("which kit has the asian feel and the temple bells?", (1, KITS_PAGE)))
    assert "Eastern Wisdom: A melodic kit with an Asian feel" in answer
    assert answer.count("Eastern Wisdom") == 1  # once for its run of units


def test_no_heading_where_it_would_not_name_the_answer() -> None:
    # The page's title shares the product's name.
    answer = text_of(ask("which rooms were the kits recorded in?", (1, KITS_PAGE)))
    assert "Eight kits recorded in rooms" in answer
    assert "Wave 9 Kit Pack:" not in answer
    # A spec line's own label says what it is.
    answer = text_of(ask("which number of kits is in it?", (1, KITS_PAGE)))
    assert "Kits: 8" in answer
    assert "Specifications:" not in answer
    # A heading already in the text, or too long to be a name, is not repeated.
    page = "Eastern Wisdom\nEastern Wisdom is a melodic kit with an Asian feel."
    answer = text_of(ask("which kit has the asian feel?", (1, page)))
    assert answer.count("Eastern Wisdom") == 1
    title = "Extraordinarily comprehensive internationally recorded percussion collections"
    page = (
        "This pack brings together kits recorded in studios and halls all around the world, "
        f"each with a loop to play along with.\n{title}\n"
        "A melodic kit with an Asian feel and loops with crisp bass tones."
    )
    assert page_units(page, 1, 0)[-1].section == title
    assert title not in text_of(ask("which kit has the asian feel?", (1, page)))


def test_a_heading_leads_its_run_of_units_once() -> None:
    page = "Eastern Wisdom\nA melodic kit with an Asian feel.\nIts loops have temple bells."
    first, second = page_units(page, 1, 0)
    question = "which kit has temple bells?"
    request = replace(
        AnswerRequest(
            question=question,
            scenario="general",
            product_name="Wave 9",
            brand_name="Acme",
            product_category=None,
            evidence=[Evidence(page=1, text=page, score=1.0)],
        ),
        selection=Selection(understand(question), ((0.9, second), (0.85, first)), 0.9, True),
    )
    answer = text_of(compose_answer(request))
    assert answer.startswith(
        "Eastern Wisdom: A melodic kit with an Asian feel. Its loops have temple bells."
    )


def test_a_running_footer_names_nothing() -> None:
    page = "Page 3 of 10\nA melodic kit with an Asian feel and loops with crisp bass tones."
    assert page_units(page, 1, 0)[0].section == "Page 3 of 10"
    assert "Page 3 of 10:" not in text_of(ask("which kit has the asian feel?", (1, page)))


def test_a_what_or_how_question_quotes_the_text_without_its_heading() -> None:
    for question in ("how does the asian feel kit sound?", "what does the asian kit sound like?"):
        answer = text_of(ask(question, (1, KITS_PAGE)))
        assert "Eastern Wisdom:" not in answer
        assert "A melodic kit with an Asian feel" in answer


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("Grab the quick-release lever to set the width.", "grab"),
        ("2. Loosen the knob on each leg, then lift the top.", "loosen"),
        ("Press and hold [SHIFT].", "press"),
        ("The lever sets the width.", None),
        ("Power supply: AC adaptor", None),  # a spec line's label
        ("Load time: 2 seconds", None),
    ],
)
def test_a_step_is_told_by_its_verb(text: str, verb: str | None) -> None:
    assert instruction(text) == verb
