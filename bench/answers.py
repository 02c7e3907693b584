"""Answer quality and latency through a running server, on the answers dev sets.

For each set and half it prints: answers holding a key fact (in the first 1,200 characters of
the chunks joined as a concatenating client shows them), overall and by kind; own
``[MANUAL: page N]`` citations on an evidence page, and how often the first cited page is one;
yes/no questions opened with the right "Yes" or "No", with the wrong one, and with the right
one and the key fact (the strict reading of the yes/no kind); unanswerable questions refused
(``found: false``) and answerable ones wrongly refused; and latency over the socket: cold
(manual fetched, extracted and answered during the question), warm (manual stored, answer not
cached) and cached, each end to end and to the first chunk.

    uv run python -m bench.answers [--set real|real-slips|hebrew|demo|holdout|holdout2|holdout3
        |holdout4|holdout5 ...] [--data DIR] [--json PATH]

The real set (bench/devsets/answers_real.jsonl) is split by product into a tuning half and a
test half (``bench.devset_pages.half``); every constant and the ranker's weights are chosen on the
tuning half only. Its product-page items need the shared data folder (``--data``, else
``$HSC_SHARED_DATA``, else ``../shared/data``): the PDFs are served from 127.0.0.1 and imported as
a catalog; without the folder those items are skipped, and the bench says so.

``real-slips`` is the real set again with one typing slip in one word of five letters or more
of every question (a key beside the right one, two letters swapped, one dropped or doubled;
seeded, so the same slips every run): customers type fast, and a slip in the word that matters
must not lose the answer.

``hebrew`` is 100 answerable questions of the real set asked in Hebrew (half from each half of
the real set), as Israeli customers ask about English manuals: answered in Hebrew around the
manual's English quotes, whose key facts are the English set's.

The server waits for a manual's sentence vectors however long they take (HSC_SEMANTIC_WAIT_S=60)
unless ``--no-wait``, so figures do not depend on machine load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench._server import serve
from bench._shared_data import data_dir
from bench.devset_pages import PRODUCT_PAGES_CATEGORY, fold, half
from bench.documents import big_pdf, static_server
from bench.make_predict_devset import slip
from hsc_jit.text.messages import say

DEVSETS = Path(__file__).parent / "devsets"
SLIPS_SEED = 13
SLIP_KINDS = ("adjacent", "transpose", "drop", "double")
SLIPPED_WORD = re.compile(r"[A-Za-z]{5,}")
SETS = {
    "real": DEVSETS / "answers_real.jsonl",
    "real-slips": DEVSETS / "answers_real.jsonl",
    "demo": DEVSETS / "answers.jsonl",
    "holdout": DEVSETS / "answers_holdout.jsonl",
    "holdout2": DEVSETS / "answers_holdout2.jsonl",
    "holdout3": DEVSETS / "answers_holdout3.jsonl",
    "holdout4": DEVSETS / "answers_holdout4.jsonl",
    "holdout5": DEVSETS / "answers_holdout5.jsonl",
    "holdout6": DEVSETS / "answers_holdout6.jsonl",
    "hebrew": DEVSETS / "answers_hebrew.jsonl",
}
SPLIT_SETS = ("real", "real-slips", "hebrew")  # split by product into a tuning and a test half
CITATION = re.compile(r"\[MANUAL: page (\d+)\]")
ANSWER_CHARS = 1200
ADMIN_TOKEN = "bench-admin-token-0123456789"  # noqa: S105 (a throwaway server's)
TARGETS = {
    "answer_right": 0.85,
    "kind_right": 0.70,
    "citations_right": 0.90,
    "refused": 0.80,
    "wrongly_refused": 0.08,
    "warm_first_p95_ms": 20.0,
    "warm_total_p95_ms": 50.0,
    "cold_total_p95_ms": 1500.0,
}


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def product_id(item: dict[str, Any]) -> str:
    return str(item.get("product_id") or item["product"])


def product_catalog(folder: Path, base_url: str, slugs: Iterable[str]) -> dict[str, Any]:
    """The product pages as a v3 catalog whose manuals are the served PDFs."""
    corpus = json.loads((folder / "product-pages" / "corpus.json").read_text(encoding="utf-8"))
    titles = {p["slug"]: p["product"] for p in corpus["products"]}
    return {
        "brand_identity": {"id": "roland", "name": "Roland"},
        "products": [
            {
                "id": slug,
                "name": titles[slug],
                "brand": "roland",
                "category": PRODUCT_PAGES_CATEGORY,
                "documentation": {"type": "pdf", "url": f"{base_url}/{slug}.pdf"},
            }
            for slug in sorted(set(slugs))
        ],
    }


async def ask(ws: Any, item: dict[str, Any], seq: int) -> dict[str, Any]:
    started = time.perf_counter()
    frame = {
        "type": "query",
        "product_id": product_id(item),
        "query": item["question"],
        "scenario": item.get("scenario", "general"),
        "seq": seq,
    }
    await ws.send(json.dumps(frame))
    chunks: list[str] = []
    first: float | None = None
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "answer_chunk":
            first = first or time.perf_counter() - started
            chunks.append(message["content"])
        elif message["type"] in ("final_answer", "error"):
            return {
                "chunks": chunks,
                "final": message,
                "total_s": time.perf_counter() - started,
                "first_chunk_s": first,
            }


# "Yes." / "No.", or in Hebrew after the words that say the quotes are English.
_FROM_ENGLISH = re.escape(say("from_english_manual", "he"))
_POLAR = re.compile(rf"^\W*(?:{_FROM_ENGLISH}\s*)?(yes|no|כן|לא)\b", re.I)
_SAID = {"כן": "yes", "לא": "no"}


def judge(item: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    text = "".join(result["chunks"])
    final = result["final"]
    cited = [int(n) for n in CITATION.findall(text)]
    refused = final.get("type") == "final_answer" and final.get("found") is False
    verdict: dict[str, Any] = {
        "kind": item.get("kind", "answerable" if item["answerable"] else "unanswerable"),
        "cited": cited,
        "error": final.get("code"),
        "refused": refused,
        "answer": text,
    }
    if item["answerable"]:
        shown = fold(text[:ANSWER_CHARS])
        verdict["right"] = any(fold(f) in shown for f in item["key_facts"])
        evidence = set(item["evidence_pages"])
        verdict["citations_right"] = sum(1 for page in cited if page in evidence)
        # The pages cited that hold none of the evidence, each once.
        verdict["cited_wrong"] = [page for page in dict.fromkeys(cited) if page not in evidence]
        verdict["first_page_right"] = bool(cited) and cited[0] in evidence
        if item.get("polar"):
            opened = _POLAR.match(text)
            said = None if opened is None else _SAID.get(opened.group(1), opened.group(1).lower())
            verdict["polar_right"] = said == item["polar"]
            verdict["polar_wrong"] = said is not None and said != item["polar"]
            # A judge who reads the answer wants both: the right word and the fact behind it.
            verdict["polar_whole"] = verdict["right"] and said == item["polar"]
    return verdict


def quantiles(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def q(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {"p50_ms": q(0.5), "p95_ms": q(0.95), "max_ms": ordered[-1] * 1000, "n": len(values)}


def share(values: Sequence[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(rows: list[tuple[dict[str, Any], dict[str, Any], str]]) -> dict[str, Any]:
    """The table's figures for ``(item, verdict, temperature)`` rows; cached ones time only."""
    latency: dict[str, dict[str, dict[str, float]]] = {}
    for temperature in ("cold", "warm", "cached"):
        results = [v["result"] for _, v, t in rows if t == temperature]
        latency[temperature] = {
            "total": quantiles([r["total_s"] for r in results]),
            "first_chunk": quantiles([r["first_chunk_s"] for r in results if r["first_chunk_s"]]),
        }
    rows = [row for row in rows if row[2] != "cached"]
    answerable = [v for i, v, _ in rows if i["answerable"]]
    unanswerable = [v for i, v, _ in rows if not i["answerable"]]
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for verdict in answerable:
        by_kind[verdict["kind"]].append(verdict["right"])
    cited = sum(len(v["cited"]) for v in answerable)
    polar = [v["polar_right"] for v in answerable if "polar_right" in v]
    return {
        "questions": len(rows),
        "unanswerable": len(unanswerable),
        "answer_right": share([v["right"] for v in answerable]),
        "by_kind": {kind: share(values) for kind, values in sorted(by_kind.items())},
        "kind_counts": {kind: len(values) for kind, values in sorted(by_kind.items())},
        "citations_right": sum(v["citations_right"] for v in answerable) / max(1, cited),
        "citations": cited,
        "first_page_right": share([v["first_page_right"] for v in answerable]),
        "polar_right": share(polar),
        "polar_wrong": share([v["polar_wrong"] for v in answerable if "polar_wrong" in v]),
        "polar_questions": len(polar),
        "polar_whole": share([v["polar_whole"] for v in answerable if "polar_whole" in v]),
        "refused": share([v["refused"] for v in unanswerable]),
        "wrongly_refused": share([v["refused"] for v in answerable]),
        "errors": sum(1 for _, v, _ in rows if v["error"]),
        "latency": latency,
        "misses": [
            {
                "product": product_id(i),
                "question": i["question"],
                "kind": v["kind"],
                "opened_wrong": bool(v.get("polar_wrong")),
                "cited_wrong": v.get("cited_wrong", []),
                "answer": v["answer"][:300],
            }
            for i, v, _ in rows
            if (not v.get("right", v["refused"]))
            or v["error"]
            or v.get("polar_wrong")
            or v.get("cited_wrong")
        ],
    }


FLOOR_PINGS = 200


async def harness_floor(url: str) -> dict[str, float]:
    """What the harness alone costs: a ping answered by a pong on the same kind of socket."""
    times: list[float] = []
    async with websockets.connect(url.replace("http", "ws", 1) + "/ws", max_size=None) as ws:
        for seq in range(FLOOR_PINGS):
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "ping", "seq": seq}))
            while json.loads(await ws.recv()).get("type") != "pong":
                pass
            times.append(time.perf_counter() - started)
    return quantiles(times)


async def run(
    url: str, items: list[dict[str, Any]], seen: set[str]
) -> list[tuple[dict[str, Any], Any, str]]:
    """Asks every item once (cold, or warm once ``seen`` holds its product), then again
    (cached); verdicts carry results."""
    ws_url = url.replace("http", "ws", 1) + "/ws"
    rows: list[tuple[dict[str, Any], Any, str]] = []
    async with websockets.connect(ws_url, max_size=None) as ws:
        for seq, item in enumerate(items):
            result = await ask(ws, item, seq)
            temperature = "warm" if product_id(item) in seen else "cold"
            seen.add(product_id(item))
            verdict = judge(item, result)
            verdict["result"] = result
            rows.append((item, verdict, temperature))
        for seq, item in enumerate(items):
            result = await ask(ws, item, 100_000 + seq)
            rows.append((item, {**judge(item, result), "result": result}, "cached"))
    return rows


def with_slips(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` with one typing slip in one longer word of each question (seeded)."""
    rng = random.Random(SLIPS_SEED)
    slipped = []
    for item in items:
        question = item["question"]
        words = list(SLIPPED_WORD.finditer(question))
        if words:
            word = rng.choice(words)
            typed = slip(word.group(), rng, rng.choice(SLIP_KINDS)) or word.group()
            question = question[: word.start()] + typed + question[word.end() :]
        slipped.append({**item, "question": question})
    return slipped


def groups(items: list[dict[str, Any]], set_name: str) -> dict[str, list[dict[str, Any]]]:
    if set_name not in SPLIT_SETS:
        return {set_name: items}
    return {
        f"{set_name}/{name}": [i for i in items if half(product_id(i)) == name]
        for name in ("tune", "test")
    }


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def print_report(name: str, report: dict[str, Any], floor: dict[str, float]) -> None:
    lat = report["latency"]
    kinds = " · ".join(
        f"{kind} {fmt(value)} ({report['kind_counts'][kind]})"
        for kind, value in report["by_kind"].items()
    )
    print(f"\n== {name}: {report['questions']} questions ({report['unanswerable']} unanswerable)")
    print(f"  answer holds the key fact   {fmt(report['answer_right'])}  [≥ 85%]")
    print(f"  by kind                     {kinds}  [each ≥ 70%]")
    print(
        f"  citations on evidence page  {report['citations_right']:.1%} of "
        f"{report['citations']}  [≥ 90%]; first cited page right "
        f"{fmt(report['first_page_right'])}"
    )
    print(
        f"  yes/no opened right         {fmt(report['polar_right'])}, wrong "
        f"{fmt(report['polar_wrong'])} of {report['polar_questions']} (the rest: not said directly)"
    )
    print(f"  yes/no opened right + fact  {fmt(report['polar_whole'])}  [≥ 70%]")
    print(f"  unanswerable refused        {fmt(report['refused'])}  [≥ 80%]")
    print(f"  answerable wrongly refused  {fmt(report['wrongly_refused'])}  [≤ 8%]")
    print(f"  errors                      {report['errors']}")
    for temperature in ("cold", "warm", "cached"):
        total, first = lat[temperature]["total"], lat[temperature]["first_chunk"]
        if total:
            ratio = first.get("p95_ms", 0) / max(floor["p95_ms"], 1e-9)
            print(
                f"  {temperature:>6}: end to end p50 {total['p50_ms']:.1f} ms, p95 "
                f"{total['p95_ms']:.1f} ms; first chunk p50 {first.get('p50_ms', 0):.1f} ms, "
                f"p95 {first.get('p95_ms', 0):.1f} ms ({ratio:.0f}× the floor; n={total['n']})"
            )


COLD_QUESTIONS = (
    "how do I connect it to my computer?",
    "does it run on batteries?",
    "how many sounds does it have?",
    "can I use headphones with it?",
    "what comes in the box?",
)


def cold_manuals(folder: Path, pages: int, runs: int) -> dict[str, Any]:
    """Cold questions about ``pages``-page manuals, each new to the server, at default settings.

    Each manual holds different product-page text, so no stored vectors or pages are reused;
    the server waits for a manual's vectors only as long as ``HSC_SEMANTIC_WAIT_S`` says.
    """
    with tempfile.TemporaryDirectory(prefix="hsc-cold-") as tmp:
        manuals = Path(tmp)
        for run in range(runs):
            big_pdf(folder, manuals / f"cold-{run}.pdf", pages=pages, start=97 * run)
        with static_server(manuals) as files, serve({"HSC_ADMIN_TOKEN": ADMIN_TOKEN}) as url:
            catalog = {
                "brand_identity": {"id": "bench", "name": "Bench"},
                "products": [
                    {
                        "id": f"cold-{run}",
                        "name": f"Cold {run}",
                        "brand": "bench",
                        "documentation": {"type": "pdf", "url": f"{files}/cold-{run}.pdf"},
                    }
                    for run in range(runs)
                ],
            }
            import_catalog(url, catalog)
            items = [
                {
                    "product_id": f"cold-{run}",
                    "question": COLD_QUESTIONS[run % 5],
                    "answerable": True,
                }
                for run in range(runs)
            ]
            rows = asyncio.run(run_once(url, items))
    return {
        "pages": pages,
        "total": quantiles([r["total_s"] for r in rows]),
        "first_chunk": quantiles([r["first_chunk_s"] for r in rows if r["first_chunk_s"]]),
    }


async def run_once(url: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    async with websockets.connect(url.replace("http", "ws", 1) + "/ws", max_size=None) as ws:
        return [await ask(ws, item, seq) for seq, item in enumerate(items)]


def import_catalog(url: str, catalog: dict[str, Any]) -> None:
    response = httpx.post(
        f"{url}/api/admin/catalog/import",
        params={"format": "json", "name": "product-pages"},
        content=json.dumps(catalog),
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        timeout=60,
    )
    response.raise_for_status()


@contextmanager
def answer_server(folder: Path, page_slugs: Sequence[str], wait: bool) -> Iterator[str]:
    """A server's URL, the product pages ``page_slugs`` imported as a catalog of served PDFs.

    With ``wait`` the server waits for a manual's sentence vectors however long they take.
    """
    have_pages = (folder / "product-pages" / "corpus.json").exists()
    env = {"HSC_ADMIN_TOKEN": ADMIN_TOKEN}
    if wait:
        env["HSC_SEMANTIC_WAIT_S"] = "60"
    pdfs = folder / "product-pages" / "pdf"
    with static_server(pdfs if have_pages else DEVSETS) as pages_url, serve(env) as url:
        if page_slugs:
            import_catalog(url, product_catalog(folder, pages_url, page_slugs))
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument("--data", help="the shared data folder (product pages)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--misses",
        action="store_true",
        help="print every miss, wrong yes/no opening and citation of a page without the evidence",
    )
    parser.add_argument("--no-wait", action="store_true", help="don't wait for vectors")
    parser.add_argument("--cold-pages", type=int, default=20, help="pages of the cold manuals")
    parser.add_argument("--cold-runs", type=int, default=10, help="cold manuals (0: none)")
    args = parser.parse_args()
    chosen = args.sets or list(SETS)
    folder = data_dir(args.data)
    have_pages = (folder / "product-pages" / "corpus.json").exists()
    asked: dict[str, list[dict[str, Any]]] = {}
    for name in chosen:
        items = load(SETS[name])
        if name == "real-slips":
            items = with_slips(items)
        if not have_pages and any(i.get("source") == "product-pages" for i in items):
            print(f"(no product pages at {folder}: {name}'s product-page items skipped)")
            items = [i for i in items if i.get("source") != "product-pages"]
        asked[name] = items
    page_slugs = list(
        dict.fromkeys(
            product_id(i)
            for items in asked.values()
            for i in items
            if i.get("source") == "product-pages"
        )
    )
    reports: dict[str, Any] = {}
    with answer_server(folder, page_slugs, wait=not args.no_wait) as url:
        floor = asyncio.run(harness_floor(url))
        reports["harness_floor"] = floor
        print(
            f"harness floor (ping → pong, same server, n={floor['n']}): "
            f"p50 {floor['p50_ms']:.2f} ms, p95 {floor['p95_ms']:.2f} ms"
        )
        seen: set[str] = set()  # products whose manuals the server has read
        for name, items in asked.items():
            rows = asyncio.run(run(url, items, seen))
            for group, members in groups(items, name).items():
                ids = {id(m) for m in members}
                report = summarise([r for r in rows if id(r[0]) in ids])
                reports[group] = report
                print_report(group, report, floor)
                if args.misses:
                    for miss in report["misses"]:
                        kind = miss["kind"] + (" · opened wrong" if miss["opened_wrong"] else "")
                        if miss["cited_wrong"]:
                            kind += f" · cites page {', '.join(map(str, miss['cited_wrong']))}"
                        print(f"    miss [{kind}] {miss['product']}: {miss['question']}")
                        print(f"         → {miss['answer'][:200]!r}")
    if have_pages and args.cold_runs:
        cold = cold_manuals(folder, args.cold_pages, args.cold_runs)
        reports["cold_manual"] = cold
        total, first = cold["total"], cold["first_chunk"]
        print(
            f"\n== cold question about a new {cold['pages']}-page manual (fetch, extract, answer; "
            f"default settings, n={total['n']}): final answer p50 {total['p50_ms']:.0f} ms, "
            f"p95 {total['p95_ms']:.0f} ms [≤ 1500 ms]; first chunk p95 {first['p95_ms']:.0f} ms"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(reports, indent=2, default=str))


if __name__ == "__main__":
    main()
