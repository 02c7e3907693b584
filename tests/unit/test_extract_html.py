"""HTML extraction: main content only, readable lists and tables, one page per h2 section."""

from __future__ import annotations

import sys

import pytest

from hsc_jit.errors import DocumentUnavailable
from hsc_jit.fetch import html_pages
from hsc_jit.fetch.extract import extract
from hsc_jit.fetch.html_pages import SECTION_CHARS

PAGE = """<!DOCTYPE html>
<html><head><title>SP-1 Owner's Manual</title><style>p { color: red }</style></head>
<body class="has-sidebar">
<header class="site-header"><a href="/">Brand</a><nav>Home | Products | Support</nav></header>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<ol class="breadcrumb"><li>Home</li><li>Manuals</li></ol>
<div id="main-menu">Synths Drums Pianos</div>
<main>
  <h1>SP-1 Sampler</h1>
  <p>Thank you for choosing the <b>SP-1</b>.<br>Read this manual first.</p>
  <h2>Connections</h2>
  <p>Connect headphones to the PHONES jack.</p>
  <ul><li>USB port <ul><li>Audio and MIDI</li></ul></li><li>MIDI IN</li></ul>
  <table><tr><th>Jack</th><th>Type</th></tr><tr><td>PHONES</td><td>1/4-inch stereo</td></tr></table>
  <h2>Specifications</h2>
  <p>Weight: 1.1 kg</p>
  <form>Search the manual <input name="q"></form>
</main>
<aside>Related products</aside>
<div class="sidebar">Buy now</div>
<footer>Copyright 2025</footer>
<script>trackVisitor()</script>
</body></html>"""


def test_main_content_is_split_into_h2_sections() -> None:
    document = extract(PAGE.encode(), "html")
    assert document.title == "SP-1 Sampler"
    assert [(page.number, page.heading) for page in document.pages] == [
        (1, "SP-1 Sampler"),
        (2, "Connections"),
        (3, "Specifications"),
    ]
    assert (
        document.pages[0].text
        == "SP-1 Sampler\nThank you for choosing the SP-1.\nRead this manual first."
    )


def test_lists_and_tables_stay_readable() -> None:
    connections = extract(PAGE.encode(), "html").pages[1].text
    assert connections.split("\n") == [
        "Connections",
        "Connect headphones to the PHONES jack.",
        "• USB port",
        "  • Audio and MIDI",
        "• MIDI IN",
        "Jack | Type",
        "PHONES | 1/4-inch stereo",
    ]


def test_boilerplate_is_dropped() -> None:
    text = "\n".join(page.text for page in extract(PAGE.encode(), "html").pages)
    for noise in (
        "Home",
        "cookies",
        "Synths",
        "Related",
        "Buy now",
        "Copyright",
        "Search",
        "track",
    ):
        assert noise not in text


def test_without_main_the_body_is_used_and_a_bare_title_joins_the_first_section() -> None:
    html = (
        b"<html><body><nav>Menu</nav><h1>Guide</h1><h2>Setup</h2><p>Plug it in.</p></body></html>"
    )
    document = extract(html, "html")
    assert document.title == "Guide"
    assert [(page.number, page.heading, page.text) for page in document.pages] == [
        (1, "Setup", "Guide\nSetup\nPlug it in.")
    ]


def test_a_long_section_is_split_on_block_boundaries() -> None:
    paragraphs = "".join(f"<p>Paragraph {i}. {'Some words here. ' * 20}</p>" for i in range(30))
    document = extract(f"<html><body><h2>Long</h2>{paragraphs}</body></html>".encode(), "html")
    assert len(document.pages) > 2
    assert all(len(page.text) <= SECTION_CHARS for page in document.pages)
    assert all(page.heading == "Long" for page in document.pages)
    lines = [line for page in document.pages for line in page.text.split("\n")]
    assert sum(line.startswith("Paragraph ") for line in lines) == 30  # no paragraph was cut


def test_the_declared_charset_is_honoured() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Gerät für Köln</p></body></html>'
    assert extract(html.encode("latin-1"), "html").pages[0].text == "Gerät für Köln"


@pytest.mark.parametrize(
    "html", [b"", b"<html><body><nav>Only a menu</nav><script>x()</script></body></html>"]
)
def test_a_page_without_content_is_empty(html: bytes) -> None:
    with pytest.raises(DocumentUnavailable) as caught:
        extract(html, "html")
    assert caught.value.reason == "empty"


def test_a_page_nested_past_the_depth_cap_is_refused_plainly() -> None:
    body = b"<p>Press START to play the pattern.</p>"
    shallow = b"<html><body>" + b"<div>" * 150 + body + b"</div>" * 150 + b"</body></html>"
    assert "Press START" in extract(shallow, "html").pages[0].text
    # 20,000 levels: deeper than the recursion limit of a walk that recursed per level.
    deep = b"<html><body>" + b"<div>" * 20_000 + body + b"</body></html>"
    with pytest.raises(DocumentUnavailable) as refused:
        extract(deep, "html")
    assert refused.value.reason == "unsupported_type" and "nested too deeply" in str(
        refused.value.message
    )


def test_the_walk_keeps_no_python_stack_however_deep_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Deeper than Python's recursion limit, in every kind of element the walk treats apart.
    monkeypatch.setattr(html_pages, "MAX_DEPTH", 1_000_000)
    depth = 3 * sys.getrecursionlimit()
    page = (
        b"<html><body>"
        + b"<div><span>" * depth
        + b"<ul><li>" * depth
        + b"<table><tr><td>" * depth
        + b"<p>Press START to play the pattern.</p>"
        + b"</body></html>"
    )
    text = extract(page, "html").pages[0].text
    assert "Press START to play the pattern." in text
