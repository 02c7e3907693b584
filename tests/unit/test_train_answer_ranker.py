"""The answer ranker's trainer: its choices sit inside flat stretches, and the shipped model is
what it fits from the shipped features."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from bench import train_answer_ranker as trainer

from hsc_jit.answer.ranker import MODEL_FILE, Keep


def test_the_threshold_is_the_middle_of_the_best_stretch() -> None:
    # 40 answerable questions answered right, rated 0.60 or more, and 20 unanswerable ones
    # rated 0.10-0.29: every threshold from 0.30 to 0.60 refuses all 20 and no answerable one.
    probabilities = np.concatenate([np.linspace(0.6, 0.99, 40), np.linspace(0.1, 0.29, 20)])
    answerable = np.asarray([1] * 40 + [0] * 20)
    right = np.asarray([True] * 40 + [False] * 20)
    threshold = trainer.choose_threshold(probabilities, answerable, right)
    assert 0.40 <= threshold <= 0.50


def test_the_threshold_never_refuses_more_answerable_questions_than_allowed() -> None:
    # Refusing the 10 unanswerable ones (rated 0.5) would refuse 20 of 80 answerable ones too.
    probabilities = np.concatenate([np.linspace(0.2, 0.5, 20), np.full(60, 0.9), np.full(10, 0.5)])
    answerable = np.asarray([1] * 80 + [0] * 10)
    right = np.asarray([False] * 20 + [True] * 60 + [False] * 10)
    threshold = trainer.choose_threshold(probabilities, answerable, right)
    refused = probabilities < threshold
    assert refused[answerable == 1].mean() <= trainer.MAX_WRONGLY_REFUSED


def test_keep_is_chosen_inside_the_settings_that_tie(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every setting with share 0.2-0.5 and floor 0.1-0.3 answers 100 right; the others 90.
    # The strictest tying setting (share 0.5, floor 0.3) borders worse ones on two sides.
    def answered(table: object, logits: object, keep: Keep) -> tuple[float, float]:
        if keep == trainer.LEAD_ONLY:
            return 0.8, 0.9
        tied = keep.share <= 0.5 and keep.floor <= 0.3
        return (1.0 if tied else 0.9), 0.9

    monkeypatch.setattr(trainer, "answered", answered)
    chosen = trainer.choose_keep(None, None)  # type: ignore[arg-type]
    assert chosen.share in (0.2, 0.3) and chosen.floor in (0.1, 0.2)


def test_a_setting_whose_citations_fall_behind_is_never_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def answered(table: object, logits: object, keep: Keep) -> tuple[float, float]:
        if keep == trainer.LEAD_ONLY:
            return 0.8, 0.9
        # Another page's units answer more but cite wrongly.
        return (1.0, 0.5) if keep.other_page < 1.0 else (0.9, 0.9)

    monkeypatch.setattr(trainer, "answered", answered)
    assert trainer.choose_keep(None, None).other_page > 1.0  # type: ignore[arg-type]


def test_features_are_stored_to_four_decimals() -> None:
    assert trainer._stored(0.123456789) == "0.1235"
    assert trainer._stored(0.12345678) == trainer._stored(0.12345612)
    assert trainer._stored(3.0) == "3"
    assert trainer._stored(-2.83461) == "-2.8346"


def test_the_shipped_model_is_what_fit_makes_of_the_shipped_features(tmp_path: Path) -> None:
    # Reproducible from the repository alone: a changed table, trainer or model file that
    # was not refitted fails here.
    written = tmp_path / MODEL_FILE
    trainer.fit(trainer.FEATURES_FILE, written)
    shipped = files("hsc_jit.answer").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    assert json.loads(written.read_text(encoding="utf-8")) == json.loads(shipped)
