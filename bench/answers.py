"""Answer quality and latency over the socket, on the demo manuals and the answers dev set.

Prints answer accuracy (the answer holds a key fact), citation accuracy (each cited page holds
the evidence), refusals of unanswerable questions, and latency: cold (manual not yet fetched),
warm (manual stored, answer not cached) and cached, time to first chunk included.

    uv run python -m bench.answers [--devset PATH] [--json PATH]

``--devset`` picks another JSON Lines file of the same shape, e.g. the held-out
bench/devsets/answers_holdout.jsonl (written before tuning; report it, don't tune on it).

The server waits for a manual's sentence vectors however long they take (HSC_SEMANTIC_WAIT_S=60),
so the figures do not depend on how busy the machine is; in production the first question about
a manual waits at most the configured time and is otherwise ranked by words alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import websockets

from bench._server import serve

DEVSET = Path(__file__).parent / "devsets" / "answers.jsonl"
CITATION = re.compile(r"\[MANUAL: page (\d+)\]")


async def ask(ws: Any, item: dict[str, Any], seq: int) -> dict[str, Any]:
    started = time.perf_counter()
    await ws.send(
        json.dumps(
            {
                "type": "query",
                "product_id": item["product_id"],
                "query": item["question"],
                "scenario": item.get("scenario", "general"),
                "seq": seq,
            }
        )
    )
    chunks: list[str] = []
    first: float | None = None
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "answer_chunk":
            first = first or time.perf_counter() - started
            chunks.append(message["content"])
        elif message["type"] in ("final_answer", "error"):
            return {
                "text": " ".join(chunks),
                "final": message,
                "total_s": time.perf_counter() - started,
                "first_chunk_s": first,
            }


def judge(item: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    text = result["text"]
    final = result["final"]
    cited = [int(n) for n in CITATION.findall(text)]
    verdict: dict[str, Any] = {"cited": cited, "error": final.get("code")}
    if item["answerable"]:
        facts = [f.casefold() for f in item["key_facts"]]
        verdict["right"] = any(f in text.casefold() for f in facts)
        evidence = set(item["evidence_pages"])
        verdict["citations_right"] = sum(1 for page in cited if page in evidence)
    else:
        verdict["refused"] = final.get("type") == "final_answer" and final.get("found") is False
    return verdict


def quantiles(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def q(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {"p50_ms": q(0.5), "p95_ms": q(0.95), "max_ms": ordered[-1] * 1000, "n": len(values)}


async def run(url: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    ws_url = url.replace("http", "ws", 1) + "/ws"
    cold: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    cached: list[dict[str, Any]] = []
    verdicts: list[tuple[dict[str, Any], dict[str, Any]]] = []
    seen_products: set[str] = set()
    async with websockets.connect(ws_url, max_size=None) as ws:
        for seq, item in enumerate(items):
            result = await ask(ws, item, seq)
            (warm if item["product_id"] in seen_products else cold).append(result)
            seen_products.add(item["product_id"])
            verdicts.append((item, judge(item, result)))
        for seq, item in enumerate(items):
            cached.append(await ask(ws, item, 10_000 + seq))
    answerable = [(i, v) for i, v in verdicts if i["answerable"]]
    unanswerable = [(i, v) for i, v in verdicts if not i["answerable"]]
    cited = sum(len(v["cited"]) for _, v in answerable)
    return {
        "questions": len(items),
        "answer_accuracy": sum(v["right"] for _, v in answerable) / max(1, len(answerable)),
        "citation_accuracy": sum(v["citations_right"] for _, v in answerable) / max(1, cited),
        "citations": cited,
        "refusal_rate": sum(v["refused"] for _, v in unanswerable) / max(1, len(unanswerable)),
        "unanswerable": len(unanswerable),
        "errors": sum(1 for _, v in verdicts if v["error"]),
        "latency": {
            name: {
                "total": quantiles([r["total_s"] for r in results]),
                "first_chunk": quantiles(
                    [r["first_chunk_s"] for r in results if r["first_chunk_s"]]
                ),
            }
            for name, results in (("cold", cold), ("warm", warm), ("cached", cached))
        },
        "misses": [
            {"product_id": i["product_id"], "question": i["question"], **v}
            for i, v in verdicts
            if not v.get("right", v.get("refused", True)) or v["error"]
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--url", help="use a running server instead of starting one")
    parser.add_argument(
        "--devset", type=Path, default=DEVSET, help=f"questions (default {DEVSET.name})"
    )
    args = parser.parse_args()
    items = [json.loads(line) for line in args.devset.read_text().splitlines() if line.strip()]
    if args.url:
        report = asyncio.run(run(args.url, items))
    else:
        with serve({"HSC_SEMANTIC_WAIT_S": "60"}) as url:
            report = asyncio.run(run(url, items))
    print(
        f"{args.devset.name}: {report['questions']} questions "
        f"({report['unanswerable']} not answerable)"
    )
    print(f"answer accuracy:   {report['answer_accuracy']:.1%}")
    print(
        f"citation accuracy: {report['citation_accuracy']:.1%} of {report['citations']} citations"
    )
    print(f"refusals:          {report['refusal_rate']:.1%}")
    print(f"errors:            {report['errors']}")
    for name, figures in report["latency"].items():
        total, first = figures["total"], figures["first_chunk"]
        if total:
            print(
                f"{name:>6}: end to end p50 {total['p50_ms']:.1f} ms, "
                f"p95 {total['p95_ms']:.1f} ms; first chunk p50 {first.get('p50_ms', 0):.1f} ms, "
                f"p95 {first.get('p95_ms', 0):.1f} ms (n={total['n']})"
            )
    for miss in report["misses"]:
        print(f"  miss: {miss['product_id']}: {miss['question']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
