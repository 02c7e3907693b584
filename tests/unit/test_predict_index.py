"""ProductIndex behaviour on a small hand-built catalog."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from hsc_jit.predict.codes import CodeIndex, code_of
from hsc_jit.predict.index import CatalogEntry, ProductIndex
from hsc_jit.predict.matcher import Lookups, Memo
from hsc_jit.predict.tables import build_tables


def _entry(id: str, name: str, brand: str, category: str | None = None) -> CatalogEntry:
    return CatalogEntry(id, name, brand.lower(), brand, category=category)


CATALOG = [
    _entry("roland-td17kv", "Roland TD-17KV", "Roland", "Electronic Drums"),
    _entry("roland-td27kv", "Roland TD-27KV", "Roland", "Electronic Drums"),
    _entry("roland-td17kvx2", "Roland TD-17KVX Gen 2", "Roland", "Electronic Drums"),
    _entry("roland-fp30x", "Roland FP-30X", "Roland", "Digital Piano"),
    _entry("roland-fp60x", "Roland FP-60X", "Roland", "Digital Piano"),
    _entry("roland-rh300", "Roland RH-300 Headphones", "Roland", "Headphones"),
    _entry("yamaha-p30", "Yamaha P-30 Digital Piano", "Yamaha", "Digital Piano"),
    _entry("nord-stage-4", "Nord Stage 4", "Nord", "Stage Piano"),
    _entry("nord-stage-3", "Nord Stage 3", "Nord", "Stage Piano"),
    _entry("nord-piano-5", "Nord Piano 5", "Nord", "Stage Piano"),
    _entry("shure-sm58", "Shure SM58", "Shure", "Microphone"),
    _entry("shure-sm57", "Shure SM57", "Shure", "Microphone"),
    _entry("hosa-157b2210", "Hosa Cable 157B2210", "Hosa", "Cable"),
    _entry("medeli-spa500", "פסנתר חשמלי Medeli SP-A500", "Medeli", "keys"),
    _entry("cordoba-c5", "Córdoba C5", "Cordoba", "Classical Guitar"),
    _entry("acme-harmon", "Acme Harmon", "Acme"),
    _entry("acme-harmony", "Acme Harmony", "Acme"),
    _entry("acme-hermon", "Acme Hermon", "Acme"),
    _entry("alesis-strike-drums", "Alesis Strike", "Alesis", "Electronic Drums"),
    _entry("alesis-strike-amp", "Alesis Strike", "Alesis", "Amplifier"),
]


@pytest.fixture(scope="module")
def index() -> ProductIndex:
    return ProductIndex.build(CATALOG)


def top(index: ProductIndex, text: str, count: int = 1) -> list[str]:
    return [match.product_id for match in index.search(text, count)]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_text_predicts_nothing(index: ProductIndex, text: str) -> None:
    assert index.search(text) == []


def test_text_matching_nothing_predicts_nothing(index: ProductIndex) -> None:
    assert index.search("zzqx") == []


@pytest.mark.parametrize(
    "text", ["td27", "TD-27", "td 27", "td-27kv", "TD27KV", "roland td 27 kv", "Roland TD-27KV"]
)
def test_model_number_written_any_way_reaches_the_product(index: ProductIndex, text: str) -> None:
    assert top(index, text) == ["roland-td27kv"]


def test_digits_in_a_model_number_are_not_typos(index: ProductIndex) -> None:
    assert top(index, "td27") == ["roland-td27kv"]
    assert "roland-td27kv" not in top(index, "td17", 2)
    assert set(top(index, "td17", 2)) == {"roland-td17kv", "roland-td17kvx2"}


def test_the_word_being_typed_matches_as_a_prefix(index: ProductIndex) -> None:
    assert set(top(index, "nord sta", 2)) == {"nord-stage-3", "nord-stage-4"}
    assert top(index, "shure sm5", 2) == ["shure-sm57", "shure-sm58"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rolnd td27", "roland-td27kv"),  # a letter missing
        ("nrod stage 4", "nord-stage-4"),  # two letters swapped count once
        ("shur sm58", "shure-sm58"),
        ("headphnoes", "roland-rh300"),
    ],
)
def test_typos_are_forgiven(index: ProductIndex, text: str, expected: str) -> None:
    assert top(index, text) == [expected]


def test_codes_are_found_inside_longer_codes(index: ProductIndex) -> None:
    assert top(index, "2210") == ["hosa-157b2210"]
    assert top(index, "b2210") == ["hosa-157b2210"]


@pytest.mark.parametrize("text", ["fp30x", "rolnd fp30x", "roland fp-30x"])
def test_brand_may_be_misspelled_or_left_out(index: ProductIndex, text: str) -> None:
    assert top(index, text) == ["roland-fp30x"]


@pytest.mark.parametrize(
    "text",
    [
        "my roland fp30x wont turn on",
        "rolnd fp30x how do i connect headphones",
        "is there a firmware update for the fp 30x?",
    ],
)
def test_noise_words_and_questions_around_the_product(index: ProductIndex, text: str) -> None:
    assert top(index, text) == ["roland-fp30x"]


def test_category_words_help(index: ProductIndex) -> None:
    assert top(index, "digital piano fp 30x") == ["roland-fp30x"]
    assert top(index, "alesis strike drums") == ["alesis-strike-drums"]
    assert top(index, "alesis strike amplifier") == ["alesis-strike-amp"]


def test_exact_beats_prefix_beats_typo(index: ProductIndex) -> None:
    assert top(index, "acme harmon", 3) == ["acme-harmon", "acme-harmony", "acme-hermon"]
    assert top(index, "harmo", 1) == ["acme-harmon"]  # the shorter name of two prefixes


def test_case_diacritics_and_width_do_not_matter(index: ProductIndex) -> None:
    assert top(index, "CORDOBA c5") == top(index, "córdoba C5") == ["cordoba-c5"]
    assert top(index, "ｔｄ－２７ｋｖ") == ["roland-td27kv"]  # full-width characters


@pytest.mark.parametrize("text", ["פסנתר חשמלי", "פסנתר חשמלי sp-a500", "פסנת", "medeli spa500"])
def test_hebrew_names_are_found(index: ProductIndex, text: str) -> None:
    assert top(index, text) == ["medeli-spa500"]


def test_match_carries_the_product_name(index: ProductIndex) -> None:
    (match,) = index.search("td27", 1)
    assert match.match_text == "Roland TD-27KV"


def test_results_are_ranked_and_limited(index: ProductIndex) -> None:
    matches = index.search("roland", 4)
    assert len(matches) == 4
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(m.product_id.startswith("roland-") for m in matches)


def test_confidence_tracks_how_clear_the_match_is(index: ProductIndex) -> None:
    clear = index.search("roland td-27kv", 2)
    vague = index.search("roland", 2)
    assert clear[0].confidence >= 80
    assert clear[1].confidence < 40
    assert vague[0].confidence < clear[0].confidence
    assert all(0 <= m.confidence <= 100 for m in clear + vague)


def test_same_name_variants_share_their_confidence(index: ProductIndex) -> None:
    first, second = index.search("alesis strike", 2)
    assert first.confidence == second.confidence


def test_long_text_still_predicts(index: ProductIndex) -> None:
    text = "roland fp30x " + "and then it stopped working " * 35
    assert len(text) > 900
    assert top(index, text[:1000]) == ["roland-fp30x"]


def test_sample_spreads_over_brands_deterministically(index: ProductIndex) -> None:
    first = index.sample(5)
    assert first == ProductIndex.build(CATALOG).sample(5)
    brands = [entry.brand_id for p in first for entry in CATALOG if entry.id == p]
    assert brands[0] == "roland"  # the biggest brand leads
    assert len(set(brands)) == 5
    assert len(index.sample(100)) == len(CATALOG)
    assert index.sample(0) == []


def test_repeated_ids_keep_their_first_entry() -> None:
    duplicate = _entry("roland-fp30x", "Something Else", "Other")
    built = ProductIndex.build([*CATALOG, duplicate])
    assert len(built) == len(CATALOG)
    assert top(built, "fp30x") == ["roland-fp30x"]
    assert built.search("something else") == []


def test_searches_from_several_threads_agree(index: ProductIndex) -> None:
    queries = ["td27", "nord sta", "rolnd fp30x how do i connect headphones", "2210"] * 50
    expected = [top(index, q, 3) for q in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda q: top(index, q, 3), queries)) == expected


SLOPPY = [
    *CATALOG,
    _entry("boss-me90", "Boss ME-90", "Boss", "Effects"),
    _entry("boss-db90", "Boss DB-90", "Boss", "Effects"),
    _entry("headrush-prime", "HeadRush Prime", "HeadRush", "Effects"),
    _entry("mackie-freeplay-live", "Mackie FreePlay Live", "Mackie", "Live"),
    _entry("eaw-mw12", "EAW MW12", "EAW", "Loudspeaker"),
    _entry("eaw-rl12", "EAW RL12", "EAW", "Loudspeaker"),
    _entry("eaw-rsx12", "EAW RSX12", "EAW", "Loudspeaker"),
    _entry("esp-sn1000ht", "ESP LTD SN-1000HT", "ESP", "Guitar"),
    _entry("esp-sn1000fr", "ESP LTD SN-1000FR", "ESP", "Guitar"),
    _entry("boss-tr2", "Boss TR-2", "Boss", "Effects"),
    _entry("boss-rt2", "Boss RT-2", "Boss", "Effects"),
    _entry("boss-tr3", "Boss TR-3", "Boss", "Effects"),
    _entry("boss-gt1b", "Boss GT-1B", "Boss", "Effects"),
    _entry("boss-st1", "Boss ST-1", "Boss", "Effects"),
]


@pytest.fixture(scope="module")
def sloppy() -> ProductIndex:
    return ProductIndex.build(SLOPPY)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("rolandfp-30x", "roland-fp30x"),  # words run together
        ("mackie freeplaylive", "mackie-freeplay-live"),
        ("headrushprime", "headrush-prime"),  # run together, the last word still typed
        ("nord sta ge 4", "nord-stage-4"),  # a word split apart
        ("boss em-90", "boss-me90"),  # a short code slipped, pinned by its digits
        ("eaw rss12", "eaw-rsx12"),  # a code's letters slipped: one edit from one code
        ("boss rt-1b", "boss-gt1b"),  # ... though "rt" is another code's own letters
        ("esp ltd sn-1000t", "esp-sn1000ht"),  # a letter dropped from the last code typed
    ],
)
def test_sloppy_typing_finds_the_product(sloppy: ProductIndex, typed: str, expected: str) -> None:
    assert sloppy.search(typed, 3)[0].product_id == expected


def test_a_short_codes_fix_is_remembered_with_the_digits_beside_it() -> None:
    lookups = Lookups(build_tables(SLOPPY))
    for _ in range(2):  # the second time from the memo
        # "rt" beside 3 is no name's, and TR-3 is one swap away; beside 1 it is one slip
        # from two codes (GT-1B, ST-1): no fix.
        assert lookups.fixed_code("rt", ("", "3", False)) == "tr"
        assert lookups.fixed_code("rt", ("", "1", False)) is None
        assert lookups.fixed_code("em", ("", "90", False)) == "me"


def test_a_code_being_typed_is_a_prefix_not_a_slip(sloppy: ProductIndex) -> None:
    # "db-9" is DB-90 half typed: the digits still being typed are not corrected away.
    assert sloppy.search("boss db-9", 3)[0].product_id == "boss-db90"


def test_a_slipped_code_is_found_before_a_text_of_junk_codes(sloppy: ProductIndex) -> None:
    # Only the first few codes of a text are tried one slip away (each try costs time).
    typed = "boss rt-1b " + " ".join(f"zq{n}" for n in range(300))[:950]
    assert sloppy.search(typed, 3)[0].product_id == "boss-gt1b"


def test_a_code_typed_as_the_catalog_writes_it_is_no_slip(sloppy: ProductIndex) -> None:
    # TR-2 is one swap from RT-2 and one edit from TR-3: typed exactly, it is TR-2.
    assert sloppy.search("boss tr-2", 3)[0].product_id == "boss-tr2"


def test_a_slip_near_many_codes_favours_none() -> None:
    codes = CodeIndex(enumerate(["Boss TR-2", "Boss TR-3", "Boss TR-5", "EAW RSX12"]))
    assert [list(p) for p in codes.slipped("rss12")] == [[3]]
    assert codes.slipped("tr4") == []  # one edit from three codes: which was meant?
    assert codes.slipped("tr2") == []  # a catalog code is no slip
    assert codes.begins("rsx") and not codes.begins("rsy")


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("SN-1000HT", "sn1000ht"),
        ("JD-Xi", "jdxi"),
        ('14x6.5"', "14x65"),
        ("Nord", None),
        ("88", None),
        ("A1", None),
        ("2-3", None),
        ("a1" * 20, None),  # longer than any code: its one-edit strings would be many
    ],
)
def test_what_reads_as_a_model_code(word: str, code: str | None) -> None:
    assert code_of(word) == code


def test_a_brand_filter_keeps_only_that_brands_products(index: ProductIndex) -> None:
    # "stage" matches Nord's products best; on Roland's page only Roland's may come.
    assert top(index, "stage piano")[0].startswith("nord-")
    roland = [m.product_id for m in index.search("stage piano", 5, brand="roland")]
    assert roland and all(pid.startswith("roland-") for pid in roland)
    assert "roland-fp30x" in roland
    assert top(index, "sm58") == ["shure-sm58"]
    assert index.search("sm58", 3, brand="shure")[0].product_id == "shure-sm58"
    assert index.search("sm58", 3, brand="roland") == []
    assert index.search("sm58", 3, brand="no-such-brand") == []
    assert index.has_brand("nord") and not index.has_brand("no-such-brand")


def test_a_brand_sample_is_that_brands_products(index: ProductIndex) -> None:
    sample = index.sample(50, brand="nord")
    assert sorted(sample) == ["nord-piano-5", "nord-stage-3", "nord-stage-4"]
    assert len(index.sample(50)) == len(CATALOG)


def test_a_memo_keeps_what_is_recalled_and_forgets_what_is_not() -> None:
    memo: Memo[str, str | None] = Memo(size=2)
    computed: list[str] = []

    def recall(key: str) -> str | None:
        def compute() -> str | None:
            computed.append(key)
            return None if key == "none" else key.upper()

        return memo.recall(key, compute)

    assert [recall(k) for k in ("roland", "none", "roland", "none")] == ["ROLAND", None] * 2
    assert computed == ["roland", "none"]  # None is remembered like any value
    recall("fp")  # the generation is full: it becomes the old one
    recall("roland")  # found in the old generation, so kept in the current one
    recall("td")  # full again: the old generation, with "none", is forgotten
    recall("30x")
    assert computed == ["roland", "none", "fp", "td", "30x"]
    assert len(memo) == 4
    recall("roland")  # still there (old), and back in the current generation
    recall("fp")  # gone with the generation that rolled over for "roland"
    recall("none")
    assert computed[5:] == ["fp", "none"]
