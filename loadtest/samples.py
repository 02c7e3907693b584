"""Every request Locust records, one CSV row each, for exact percentiles and a timeline.

Locust rounds its own percentiles (to whole milliseconds and coarser above 100 ms); a typing
round trip of a few milliseconds needs better, so ``bench/load.py`` reads these rows instead.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

FIELDS = ("t", "type", "name", "ms", "bytes", "ok", "tag", "error")


@dataclass(frozen=True, slots=True)
class Sample:
    t: float  # epoch seconds when the request ended
    type: str
    name: str
    ms: float
    bytes: int
    ok: bool
    tag: str = ""
    error: str = ""

    def row(self) -> list[str]:
        return [
            f"{self.t:.4f}",
            self.type,
            self.name,
            f"{self.ms:.3f}",
            str(self.bytes),
            "1" if self.ok else "0",
            self.tag,
            self.error[:300],
        ]


class SampleWriter:
    """Appends samples to a CSV file (header first when the file is new)."""

    def __init__(self, path: Path) -> None:
        new = not path.exists() or path.stat().st_size == 0
        self._file: IO[str] = path.open("a", newline="", encoding="utf-8")
        self._csv = csv.writer(self._file)
        if new:
            self._csv.writerow(FIELDS)

    def write(self, sample: Sample) -> None:
        self._csv.writerow(sample.row())

    def close(self) -> None:
        self._file.close()


def read_samples(path: Path) -> list[Sample]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(parse_rows(csv.DictReader(file)))


def parse_rows(rows: Iterable[dict[str, str]]) -> Iterator[Sample]:
    for row in rows:
        ms = float(row["ms"])
        if not math.isfinite(ms):
            continue
        yield Sample(
            t=float(row["t"]),
            type=row["type"],
            name=row["name"],
            ms=ms,
            bytes=int(row["bytes"] or 0),
            ok=row["ok"] == "1",
            tag=row.get("tag") or "",
            error=row.get("error") or "",
        )
