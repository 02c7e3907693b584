"""Follow-up questions answered as typed, rewritten by ``standalone()``, and as the oracle wrote.

Every follow-up turn of bench/devsets/followups.jsonl (two- and three-turn conversations over the
real product pages and the demo manuals) is asked three ways through a running server, as
``bench.answers`` asks a question and judged by its ``judge``: the text as the customer typed it,
the text rewritten by ``hsc_jit.answer.followup.standalone`` from the earlier turns (themselves
rewritten), and the standalone question written by hand (the oracle). Figures per half (split by
product with ``bench.devset_pages.half``; constants of the rewrite are chosen on the tuning half):
answers holding a key fact, citations on an evidence page, yes/no answers opened right, and key
facts by kind of follow-up. The first turns are not scored.

    uv run python -m bench.followups [--data DIR] [--json PATH] [--misses] [--no-wait]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import websockets

from bench._shared_data import data_dir
from bench.answers import (
    DEVSETS,
    answer_server,
    ask,
    fmt,
    harness_floor,
    judge,
    load,
    product_id,
    summarise,
)
from bench.devset_pages import half, turn_items
from hsc_jit.answer.followup import standalone

DEVSET = DEVSETS / "followups.jsonl"
WAYS = ("typed", "rewritten", "oracle")
TIMING_ROUNDS = 200

Turn = tuple[dict[str, Any], dict[str, str]]  # the turn as an answers item, its text each way


def follow_ups(conversations: list[dict[str, Any]]) -> list[Turn]:
    """Every follow-up turn with its text typed, rewritten from the earlier turns, and oracle."""
    asked: list[Turn] = []
    for conversation in conversations:
        first, *turns = turn_items(conversation)
        earlier = [first["question"]]
        for turn in turns:
            rewritten = standalone(turn["question"], earlier)
            earlier.append(rewritten)
            texts = {"typed": turn["question"], "rewritten": rewritten}
            asked.append((turn, {**texts, "oracle": turn["standalone"]}))
    return asked


def rewrite_time(conversations: list[dict[str, Any]]) -> dict[str, float]:
    """Microseconds per ``standalone()`` call over every follow-up, median and p95 of rounds."""
    pairs = [
        (turn["question"], [t["question"] for t in conversation["turns"][:number]])
        for conversation in conversations
        for number, turn in enumerate(conversation["turns"])
        if number
    ]
    rounds = []
    for _ in range(TIMING_ROUNDS):
        started = time.perf_counter()
        for text, earlier in pairs:
            standalone(text, earlier)
        rounds.append((time.perf_counter() - started) / len(pairs) * 1e6)
    rounds.sort()
    return {"p50_us": statistics.median(rounds), "p95_us": rounds[int(0.95 * len(rounds))]}


async def run(url: str, asked: list[Turn]) -> dict[str, list[tuple[dict[str, Any], Any, str]]]:
    """Each way's ``(item, verdict, temperature)`` rows, asked on one socket."""
    rows: dict[str, list[tuple[dict[str, Any], Any, str]]] = {way: [] for way in WAYS}
    seen: set[str] = set()
    seq = 0
    async with websockets.connect(url.replace("http", "ws", 1) + "/ws", max_size=None) as ws:
        for way in WAYS:
            for turn, texts in asked:
                seq += 1
                result = await ask(ws, {**turn, "question": texts[way]}, seq)
                temperature = "warm" if product_id(turn) in seen else "cold"
                seen.add(product_id(turn))
                verdict = {**judge(turn, result), "result": result, "asked": texts[way]}
                rows[way].append((turn, verdict, temperature))
    return rows


def by_follow_up(rows: list[tuple[dict[str, Any], Any, str]]) -> dict[str, float | None]:
    """Share of answers holding a key fact, by kind of follow-up."""
    right: dict[str, list[bool]] = defaultdict(list)
    for turn, verdict, _ in rows:
        right[turn["follow_up"]].append(verdict["right"])
    return {kind: sum(values) / len(values) for kind, values in sorted(right.items())}


def print_half(name: str, reports: dict[str, Any], counts: dict[str, int], changed: int) -> None:
    print(f"\n== {name}: {counts[name]} follow-ups ({changed} rewritten by standalone())")
    print("  way         key fact   citations on evidence page   first page right   yes/no right")
    for way in WAYS:
        report = reports[f"{name}/{way}"]
        print(
            f"  {way:<10}  {fmt(report['answer_right']):>8}   "
            f"{report['citations_right']:>6.1%} of {report['citations']:<16}  "
            f"{fmt(report['first_page_right']):>10}         {fmt(report['polar_right'])}"
        )
    kinds = reports[f"{name}/typed"]["by_follow_up"]
    print("  key fact by kind of follow-up (typed → rewritten · oracle):")
    for kind in kinds:
        typed, rewritten, oracle = (reports[f"{name}/{w}"]["by_follow_up"][kind] for w in WAYS)
        print(f"    {kind:<11} {fmt(typed)} → {fmt(rewritten)} · {fmt(oracle)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder (product pages)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--misses", action="store_true", help="print the rewritten way's misses")
    parser.add_argument("--no-wait", action="store_true", help="don't wait for vectors")
    args = parser.parse_args()
    folder = data_dir(args.data)
    conversations = load(DEVSET)
    if not (folder / "product-pages" / "corpus.json").exists():
        print(f"(no product pages at {folder}: their conversations skipped)")
        conversations = [c for c in conversations if c["source"] != "product-pages"]
    asked = follow_ups(conversations)
    timing = rewrite_time(conversations)
    reports: dict[str, Any] = {"rewrite_time": timing}
    print(
        f"standalone(): p50 {timing['p50_us']:.1f} µs, p95 {timing['p95_us']:.1f} µs a call "
        f"(median and p95 of {TIMING_ROUNDS} rounds over {len(asked)} follow-ups)"
    )
    slugs = [c["product_id"] for c in conversations if c["source"] == "product-pages"]
    with answer_server(folder, slugs, wait=not args.no_wait) as url:
        floor = asyncio.run(harness_floor(url))
        reports["harness_floor"] = floor
        print(
            f"harness floor (ping → pong, same server, n={floor['n']}): "
            f"p50 {floor['p50_ms']:.2f} ms, p95 {floor['p95_ms']:.2f} ms"
        )
        rows = asyncio.run(run(url, asked))
    counts: dict[str, int] = defaultdict(int)
    changed: dict[str, int] = defaultdict(int)
    for turn, texts in asked:
        counts[half(product_id(turn))] += 1
        changed[half(product_id(turn))] += texts["rewritten"] != texts["typed"]
    for name in ("tune", "test"):
        for way in WAYS:
            members = [row for row in rows[way] if half(product_id(row[0])) == name]
            report = summarise(members)
            report["by_follow_up"] = by_follow_up(members)
            reports[f"{name}/{way}"] = report
        print_half(name, reports, counts, changed[name])
        if args.misses:
            for turn, verdict, _ in rows["rewritten"]:
                if half(product_id(turn)) == name and not verdict["right"]:
                    print(f"    miss [{turn['follow_up']}] {product_id(turn)}: {turn['question']}")
                    print(f"         asked {verdict['asked']!r}")
                    print(f"         → {verdict['answer'][:160]!r}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(reports, indent=2, default=str))


if __name__ == "__main__":
    main()
