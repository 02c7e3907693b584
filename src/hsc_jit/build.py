"""Which build of the package is running: a digest of its own files.

Code, trained models and lexicons ship together in the package, so a digest of its files
changes with any of them, whether or not a release bumped its version number.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def digest_of(folder: Path) -> str:
    """A digest of every file under ``folder`` (paths and bytes), bytecode caches left out."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if "__pycache__" in relative.parts:
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@cache
def build_digest() -> str:
    """This build's digest: what one build computed and cached is not served by another."""
    return digest_of(_PACKAGE)
