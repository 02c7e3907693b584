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
    # was not refitted fails here. The choices must be the same; the weights as near as
    # another CPU's floating point allows.
    written = tmp_path / MODEL_FILE
    trainer.fit(trainer.FEATURES_FILE, written)
    made = json.loads(written.read_text(encoding="utf-8"))
    shipped = json.loads(files("hsc_jit.answer").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    assert made.keys() == shipped.keys()
    for name, value in shipped.items():
        if isinstance(value, list) and value and isinstance(value[0], float):
            assert np.allclose(made[name], value, atol=1e-4), name
        elif isinstance(value, float):
            assert made[name] == pytest.approx(value, abs=1e-4), name
        else:
            assert made[name] == value, name


def test_the_threshold_stays_in_the_stretch_around_the_best() -> None:
    # Refusing below 0.20-0.40 leaves 75 questions right, below 0.76-0.96 the best, 76; in
    # between, five answerable questions rated 0.40-0.44 are refused for nothing. The middle
    # of both stretches together would fall in that dip.
    probabilities = np.concatenate(
        [
            np.linspace(0.10, 0.19, 10),  # unanswerable
            np.linspace(0.40, 0.44, 5),  # answerable, answered right
            np.linspace(0.70, 0.75, 6),  # unanswerable
            np.full(60, 0.97),  # answerable, answered right
        ]
    )
    answerable = np.asarray([0] * 10 + [1] * 5 + [0] * 6 + [1] * 60)
    right = answerable == 1
    threshold = trainer.choose_threshold(probabilities, answerable, right)
    assert 0.80 <= threshold <= 0.92


def test_the_neighbourhood_looks_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    # Shares 0.5 and 0.7 tie; each borders one worse column. Looking only upward would rate
    # 0.5 (beside the tied 0.7) above 0.7 (beside the worse 0.9).
    def answered(table: object, logits: object, keep: Keep) -> tuple[float, float]:
        if keep == trainer.LEAD_ONLY:
            return 0.8, 0.9
        return (1.0 if keep.share in (0.5, 0.7) else 0.9), 0.9

    monkeypatch.setattr(trainer, "answered", answered)
    assert trainer.choose_keep(None, None).share == 0.7  # type: ignore[arg-type]


def test_settings_whose_citations_fall_behind_do_not_lift_their_neighbours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def choice(disallowed_right: float) -> Keep:
        def answered(table: object, logits: object, keep: Keep) -> tuple[float, float]:
            if keep == trainer.LEAD_ONLY:
                return 0.8, 0.9
            if keep.other_page > 1.0:
                return 0.9, 0.9
            # Another page's units cite wrongly; at share 0.2 they would answer the most.
            return (disallowed_right if keep.share == 0.2 else 0.5), 0.5

        monkeypatch.setattr(trainer, "answered", answered)
        return trainer.choose_keep(None, None)  # type: ignore[arg-type]

    assert choice(disallowed_right=1.0) == choice(disallowed_right=0.0)
