"""The gemini provider's image hand-over (the API itself needs a key and the network)."""

from __future__ import annotations

import base64
import importlib
import warnings
from types import ModuleType

import pytest


@pytest.fixture
def gemini() -> ModuleType:
    # google-genai 3.3 has an invalid escape in a docstring: compiling it warns, and this suite
    # turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return importlib.import_module("hsc_jit.answer.gemini")


def test_a_data_url_becomes_an_inline_image(gemini: ModuleType) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    url = "data:image/png;base64," + base64.b64encode(png).decode()

    part = gemini.image_part(url)

    assert part.inline_data.mime_type == "image/png"
    assert part.inline_data.data == png


@pytest.mark.parametrize(
    "url", ["https://example.com/a.png", "data:text/plain;base64,aGk=", "data:image/png;base64,"]
)
def test_anything_else_is_ignored(gemini: ModuleType, url: str) -> None:
    assert gemini.image_part(url) is None
