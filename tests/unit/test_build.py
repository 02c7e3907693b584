"""The build digest: any file of the package changes it, bytecode caches do not."""

from __future__ import annotations

from pathlib import Path

from hsc_jit.build import build_digest, digest_of


def test_the_digest_changes_with_any_file_and_not_with_bytecode(tmp_path: Path) -> None:
    (tmp_path / "answer").mkdir()
    (tmp_path / "answer" / "ranker.json").write_text('{"bias": 1}')
    (tmp_path / "rank.py").write_text("WEIGHT = 2\n")
    before = digest_of(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "rank.cpython-311.pyc").write_bytes(b"\0\1")
    assert digest_of(tmp_path) == before
    (tmp_path / "answer" / "ranker.json").write_text('{"bias": 2}')
    retrained = digest_of(tmp_path)
    assert retrained != before
    (tmp_path / "words.tsv").write_text("cans\theadphones\n")
    assert digest_of(tmp_path) not in (before, retrained)
    # A file moved is another build too.
    (tmp_path / "words.tsv").rename(tmp_path / "answer" / "words.tsv")
    assert len({before, retrained, digest_of(tmp_path)}) == 3


def test_this_build_has_a_digest_of_the_installed_package() -> None:
    assert build_digest() == digest_of(Path(__file__).resolve().parents[2] / "src" / "hsc_jit")
