"""Write bench/devsets/predict.jsonl: typed-query cases generated from the real catalog.

Each case is ``{"kind", "query", "product_id", "name"}``. Cases are made mechanically from the
product names with a fixed seed, never picked by how the predictor does on them. A case whose
text fits more than one distinct product name equally has no single right answer and is
skipped: a prefix, model number or brand-less name that another name also holds, and a name
whose Latin words are only the brand or are shared by names told apart only in Hebrew.

    uv run python -m bench.make_predict_devset [--data ../shared/data] [--seed 7] [--per-kind 150]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._shared_data import data_dir, load_catalog
from hsc_jit.predict.index import CatalogEntry
from hsc_jit.predict.normalize import atoms, normalize
from hsc_jit.predict.typo import edit_budget

OUT = Path(__file__).parent / "devsets" / "predict.jsonl"
HEBREW = re.compile(r"[\u0590-\u05ff]")
MODEL = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-./]*$")
# Coarse halilit categories as a customer would say them; "general" says nothing.
CATEGORY_WORDS = {
    "keys": "keyboard",
    "drums": "drums",
    "guitars": "guitar",
    "studio": "studio",
    "live": "live sound",
    "dj": "dj",
    "accessories": "accessory",
}
QUESTIONS = (
    "my {} wont turn on",
    "{} how do i connect headphones",
    "how do i reset my {}",
    "{} firmware update",
    "is the {} compatible with ableton",
    "{} manual pdf",
    "where is the power button on the {}",
    "the {} makes a buzzing noise",
)


@dataclass(frozen=True, slots=True)
class Catalog:
    names: frozenset[str]  # distinct normalised names
    latin: frozenset[str]  # distinct normalised names as typed (see latin_name)
    shared_latin: frozenset[str]  # typed names that stand for more than one distinct name

    def unique_within(self, text: str, own: str) -> bool:
        """Whether no distinct name but ``own`` holds ``text``'s atoms as a run."""
        needle = f" {normalize(text)} "
        return needle.strip() != "" and not any(
            needle in f" {name} " for name in self.names if name != own
        )

    def unique_prefix(self, text: str, own: str) -> bool:
        """Whether no typed name but ``own`` starts with ``text`` (compared normalised)."""
        typed = normalize(text)
        return not any(name.startswith(typed) for name in self.latin if name != own)


def latin_name(entry: CatalogEntry) -> str:
    """The name as a customer types it: Hebrew words dropped when Latin ones remain."""
    latin = [word for word in entry.name.split() if not HEBREW.search(word)]
    return " ".join(latin) if latin else entry.name


def typed(entry: CatalogEntry, catalog: Catalog) -> str | None:
    """The name as typed, or None when that text is only the brand or names several products
    (e.g. a left- and a right-hand model told apart only by Hebrew words)."""
    text = latin_name(entry)
    words = text.split()
    if normalize(text) in catalog.shared_latin or brand_words(entry, words) == len(words):
        return None
    return text


def brand_words(entry: CatalogEntry, words: Sequence[str]) -> int:
    """How many leading words of ``words`` are the brand's."""
    brand = set(atoms(entry.brand_name)) | set(atoms(entry.brand_id))
    count = 0
    while count < len(words) and atoms(words[count]) and set(atoms(words[count])) <= brand:
        count += 1
    return count


def misspell(word: str, rng: random.Random) -> str:
    """``word`` with as many edits as its length allows, on letters only."""
    for _ in range(max(1, edit_budget(len(word)))):
        letters = [i for i, char in enumerate(word) if char.isalpha()]
        position = rng.choice(letters)
        operation = rng.choice(("substitute", "delete", "insert", "transpose"))
        other = rng.choice([c for c in string.ascii_lowercase if c != word[position].lower()])
        swappable = position + 1 < len(word) and word[position + 1].isalpha()
        if operation == "delete":
            word = word[:position] + word[position + 1 :]
        elif operation == "insert":
            word = word[:position] + other + word[position:]
        elif operation == "transpose" and swappable and word[position] != word[position + 1]:
            word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        else:
            word = word[:position] + other + word[position + 1 :]
    return word


def exact(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    return entry.name


def prefix(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    # Typed up to at least half of the last word, and on until no other name starts so.
    text = typed(entry, catalog)
    if text is None:
        return None
    last = text.split()[-1]
    own = normalize(text)
    for end in range(len(text) - len(last) + max(1, len(last) // 2), len(text)):
        if text[end - 1].isalnum() and catalog.unique_prefix(text[:end], own):
            return text[:end].lower()
    return None


def typo(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    words = (typed(entry, catalog) or "").split()
    eligible = [i for i, word in enumerate(words) if word.isalpha() and len(word) >= 4]
    if not eligible:
        return None
    chosen = rng.choice(eligible)
    words[chosen] = misspell(words[chosen].lower(), rng)
    return " ".join(words).lower()


def model(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    words = (typed(entry, catalog) or "").split()
    tokens = [word for word in words if MODEL.match(word)]
    if not tokens:
        return None
    token = rng.choice(tokens)
    own = normalize(entry.name)
    if not catalog.unique_within(token, own):
        return None
    parts = atoms(token)
    # td27kv, td 27 kv, TD-27KV, td-27kv
    options = ["".join(parts), " ".join(parts), token, token.lower()]
    # "td27" for TD-27KV: the code without its letter suffix, when nothing else has it.
    if len(parts) > 2 and parts[-1].isalpha() and catalog.unique_within(" ".join(parts[:-1]), own):
        options.append("".join(parts[:-1]))
    brand = " ".join(words[: brand_words(entry, words)]).lower()
    return f"{brand} {rng.choice(options)}".strip()


def brand_typo(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    words = (typed(entry, catalog) or "").split()
    count = brand_words(entry, words)
    if count == 0 or count == len(words) or len(words[0]) < 4 or not words[0].isalpha():
        return None
    words[0] = misspell(words[0].lower(), rng)
    return " ".join(words).lower()


def brand_omitted(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    words = (typed(entry, catalog) or "").split()
    count = brand_words(entry, words)
    rest = " ".join(words[count:])
    if count == 0 or not rest or not catalog.unique_within(rest, normalize(entry.name)):
        return None
    return rest.lower()


def noise(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    text = typed(entry, catalog)
    return None if text is None else rng.choice(QUESTIONS).format(text.lower())


def category(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    said = (entry.category or "").lower()
    said = CATEGORY_WORDS.get(said, "" if said == "general" else said)
    text = typed(entry, catalog)
    if not said or text is None:
        return None
    return f"{said} {text.lower()}"


def hebrew(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    if not HEBREW.search(entry.name):
        return None
    words = entry.name.split()
    kept = [
        w for w in words if HEBREW.search(w) or not set(atoms(w)) <= set(atoms(entry.brand_name))
    ]
    text = " ".join(kept)
    if not catalog.unique_within(text, normalize(entry.name)):
        return None
    return text


# Letters next to each other on a QWERTY keyboard: the typos a quick thumb or finger makes.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    char: "".join(
        other
        for r, other_row in enumerate(_ROWS)
        for c, other in enumerate(other_row)
        if other != char and abs(r - row) <= 1 and abs(c - column) <= 1
    )
    for row, keys in enumerate(_ROWS)
    for column, char in enumerate(keys)
}


def _letters(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if char.isalpha() and char.lower() in _NEIGHBOURS]


def slip(text: str, rng: random.Random, operation: str) -> str | None:
    """``text`` with one sloppy-typing slip anywhere in it, model codes included."""
    letters = _letters(text)
    if not letters:
        return None
    at = rng.choice(letters)
    char = text[at].lower()
    if operation == "adjacent":
        return text[:at] + rng.choice(_NEIGHBOURS[char]) + text[at + 1 :]
    if operation == "transpose":
        pairs = [i for i in letters if i + 1 < len(text) and text[i + 1].isalpha()]
        pairs = [i for i in pairs if text[i].lower() != text[i + 1].lower()]
        if not pairs:
            return None
        i = rng.choice(pairs)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if operation == "drop":
        return text[:at] + text[at + 1 :]
    return text[:at] + text[at] + text[at:]  # doubled


def sloppy(
    operation: str, slips: int = 1
) -> Callable[[CatalogEntry, Catalog, random.Random], str | None]:
    def make(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
        text = typed(entry, catalog)
        if text is None or len(normalize(text)) < 6:
            return None
        query: str | None = text.lower()
        for _ in range(slips):
            kind = (
                operation
                if operation != "mixed"
                else rng.choice(("adjacent", "transpose", "drop", "double"))
            )
            query = slip(query, rng, kind) if query else None
        if not query or normalize(query) == normalize(text):
            return None
        # A slip that spells another product's name ("pearl h2050" for RH2050) has no single
        # right answer.
        return query if catalog.unique_within(query, normalize(entry.name)) else None

    return make


def joined(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    """Two neighbouring words typed as one: "nord stage4", "rolandtd-27kv"."""
    words = (typed(entry, catalog) or "").lower().split()
    if len(words) < 2:
        return None
    at = rng.randrange(len(words) - 1)
    return " ".join([*words[:at], words[at] + words[at + 1], *words[at + 2 :]])


def split(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    """A word typed with a space inside it: "sta ge", "key board"."""
    words = (typed(entry, catalog) or "").lower().split()
    long = [i for i, word in enumerate(words) if word.isalpha() and len(word) >= 5]
    if not long:
        return None
    i = rng.choice(long)
    cut = rng.randrange(2, len(words[i]) - 1)
    words[i] = f"{words[i][:cut]} {words[i][cut:]}"
    return " ".join(words)


def name_then_question(entry: CatalogEntry, catalog: Catalog, rng: random.Random) -> str | None:
    """The product typed, then the question in the same box."""
    text = typed(entry, catalog)
    if text is None:
        return None
    question = rng.choice(QUESTIONS).replace("{}", "it").replace("my it", "it")
    return f"{text.lower()} {question}"


SLOPPY_KINDS: dict[str, Callable[[CatalogEntry, Catalog, random.Random], str | None]] = {
    "adjacent_key": sloppy("adjacent"),
    "transposed": sloppy("transpose"),
    "dropped_letter": sloppy("drop"),
    "doubled_letter": sloppy("double"),
    "two_typos": sloppy("mixed", slips=2),
    "joined_words": joined,
    "split_word": split,
    "name_then_question": name_then_question,
}

KINDS: dict[str, Callable[[CatalogEntry, Catalog, random.Random], str | None]] = {
    "exact": exact,
    "prefix": prefix,
    "typo": typo,
    "model": model,
    "brand_typo": brand_typo,
    "brand_omitted": brand_omitted,
    "noise": noise,
    "category": category,
    "hebrew": hebrew,
}


def generate(
    entries: list[CatalogEntry],
    seed: int,
    per_kind: int,
    kinds: dict[str, Callable[[CatalogEntry, Catalog, random.Random], str | None]] = KINDS,
) -> list[dict[str, str]]:
    """Up to ``per_kind`` cases of each kind, from products drawn with ``seed``."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        owners[normalize(latin_name(entry))].add(normalize(entry.name))
    catalog = Catalog(
        names=frozenset(normalize(entry.name) for entry in entries),
        latin=frozenset(owners),
        shared_latin=frozenset(name for name, full in owners.items() if len(full) > 1),
    )
    cases = []
    for kind, make in kinds.items():
        rng = random.Random(f"{seed}:{kind}")
        order = list(entries)
        rng.shuffle(order)
        made = 0
        for entry in order:
            if made == per_kind:
                break
            query = make(entry, catalog, rng)
            if query is None or not query.strip():
                continue
            cases.append({"kind": kind, "query": query, "product_id": entry.id, "name": entry.name})
            made += 1
    return cases


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--data", help="shared data folder (default: $HSC_SHARED_DATA or ../shared/data)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-kind", type=int, default=150)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--sloppy", action="store_true", help="the sloppy-typing kinds (typos anywhere, ...)"
    )
    args = parser.parse_args(argv)
    kinds = SLOPPY_KINDS if args.sloppy else KINDS
    cases = generate(load_catalog(data_dir(args.data)), args.seed, args.per_kind, kinds)
    args.out.write_text(
        "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases), encoding="utf-8"
    )
    counts: dict[str, int] = {}
    for case in cases:
        counts[case["kind"]] = counts.get(case["kind"], 0) + 1
    print(f"{len(cases)} cases -> {args.out}: {counts}")


if __name__ == "__main__":
    main()
