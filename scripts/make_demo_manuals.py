# ruff: noqa: E501  (HTML boilerplate templates are kept on one line per element)
"""Render the demo manuals (original text written for this project) to PDF and HTML.

Sources live in ``scripts/demo_manuals/*.md``, one file per manual, in a tiny format:

    @id: roland-td27kv              (product id in the demo catalog)
    @title: Roland TD-27KV V-Drums  (document title)
    @subtitle: Owner's Manual       (shown under the title / in the running header)
    @file: roland-td27kv-owners-manual.pdf   (output name; .pdf or .html)

    # Heading                       (PDF: starts a new page; HTML: first one is the h1, the rest h2)
    A paragraph; consecutive lines are joined with a space.

    - a list item
    | Label | Value |               (table row; the first row of a table is its header)

Outputs go to ``src/hsc_jit/demo/manuals/``. PDFs use the core Helvetica font (all text must be
latin-1), a fixed creation date and no host paths, so the build is reproducible. Each PDF page
holds exactly one ``#`` block plus a running header and a page footer; ``--check`` extracts every
page with pypdfium2 and compares it (whitespace removed) with the planned text, and also writes
nothing. ``plan(path)`` gives the planned page texts for tests and dev-set tooling.

Usage: uv run python scripts/make_demo_manuals.py [--check]
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC_DIR = ROOT / "scripts" / "demo_manuals"
OUT_DIR = ROOT / "src" / "hsc_jit" / "demo" / "manuals"
FIXED_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@dataclass
class Block:
    kind: str  # "p" | "ul" | "ol" | "table"
    lines: list[str]


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Manual:
    meta: dict[str, str]
    sections: list[Section]

    @property
    def file(self) -> str:
        return self.meta["file"]

    @property
    def is_pdf(self) -> bool:
        return self.file.endswith(".pdf")

    @property
    def header(self) -> str:
        return f"{self.meta['title']} - {self.meta['subtitle']}"


def parse(path: Path) -> Manual:
    meta: dict[str, str] = {}
    sections: list[Section] = []
    current: Block | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            current = None
            continue
        if line.startswith("@") and not sections:
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
            continue
        if line.startswith("# "):
            sections.append(Section(line[2:].strip()))
            current = None
            continue
        if not sections:
            raise SystemExit(f"{path}:{lineno}: text before the first '# ' heading")
        blocks = sections[-1].blocks
        numbered = re.match(r"^\d+\. ", line)
        if line.startswith("- ") or numbered:
            kind = "ol" if numbered else "ul"
            if current is None or current.kind != kind:
                current = Block(kind, [])
                blocks.append(current)
            current.lines.append(line[2:].strip() if kind == "ul" else line)
        elif line.startswith("|"):
            if current is None or current.kind != "table":
                current = Block("table", [])
                blocks.append(current)
            current.lines.append(line)
        else:
            if current is None or current.kind != "p":
                current = Block("p", [])
                blocks.append(current)
                current.lines.append(line)
            else:
                current.lines[0] += " " + line
    for key in ("id", "title", "subtitle", "file"):
        if key not in meta:
            raise SystemExit(f"{path}: missing @{key}")
    return Manual(meta, sections)


def table_rows(block: Block) -> list[list[str]]:
    return [[c.strip() for c in row.strip().strip("|").split("|")] for row in block.lines]


# ---------------------------------------------------------------- PDF


def page_lines(manual: Manual, index: int) -> list[str]:
    """The planned text of PDF page ``index`` (0-based), in reading order."""
    section = manual.sections[index]
    out = [manual.header, section.heading]
    for block in section.blocks:
        if block.kind == "p":
            out.append(block.lines[0])
        elif block.kind == "ul":
            out.extend("- " + item for item in block.lines)
        elif block.kind == "ol":
            out.extend(block.lines)
        else:
            out.extend(" ".join(row) for row in table_rows(block))
    out.append(f"Page {index + 1} of {len(manual.sections)}")
    return out


def plan(path: Path) -> list[str]:
    manual = parse(path)
    if manual.is_pdf:
        return ["\n".join(page_lines(manual, i)) for i in range(len(manual.sections))]
    return [
        sec.heading + "\n" + "\n".join(" ".join(b.lines) for b in sec.blocks)
        for sec in manual.sections
    ]


def render_pdf(manual: Manual) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(manual.header)
    pdf.set_author(manual.meta.get("author", "HSC-JIT demo"))
    pdf.set_creator("HSC-JIT scripts/make_demo_manuals.py")
    pdf.set_producer("fpdf2")
    pdf.set_margins(20, 18, 20)
    width = 170
    bottom = 297 - 22
    total = len(manual.sections)
    for index, section in enumerate(manual.sections):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(width, 5, manual.header, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 15)
        pdf.multi_cell(width, 7, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for block in section.blocks:
            if block.kind == "p":
                text = block.lines[0]
                label = re.match(r"^(NOTE|CAUTION|TIP|WARNING):", text)
                pdf.set_font("Helvetica", "", 10.5)
                if label:
                    pdf.multi_cell(
                        width,
                        5.2,
                        f"**{label.group(0)}**{text[len(label.group(0)) :]}",
                        markdown=True,
                        new_x="LMARGIN",
                        new_y="NEXT",
                    )
                else:
                    pdf.multi_cell(width, 5.2, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2.2)
            elif block.kind in ("ul", "ol"):
                pdf.set_font("Helvetica", "", 10.5)
                for item in block.lines:
                    pdf.set_x(24)
                    bullet = "- " + item if block.kind == "ul" else item
                    pdf.multi_cell(width - 4, 5.2, bullet, new_x="LMARGIN", new_y="NEXT")
                    pdf.ln(0.8)
                pdf.ln(1.6)
            else:
                rows = table_rows(block)
                ncol = len(rows[0])
                colw = [58.0] + [(width - 58.0) / (ncol - 1)] * (ncol - 1) if ncol > 1 else [width]
                for r, row in enumerate(rows):
                    pdf.set_font("Helvetica", "B" if r == 0 else "", 10)
                    for c, cell in enumerate(row):
                        pdf.cell(colw[c], 5.6, cell, border="B" if r == 0 else 0)
                    pdf.ln(5.6)
                pdf.ln(2.2)
            if pdf.get_y() > bottom:
                raise SystemExit(f"{manual.file}: page {index + 1} ({section.heading!r}) overflows")
        pdf.set_y(297 - 15)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(width, 5, f"Page {index + 1} of {total}", align="C")
    return bytes(pdf.output())


def check_pdf(manual: Manual, data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    problems = []
    doc = pdfium.PdfDocument(data)
    if len(doc) != len(manual.sections):
        return [f"{manual.file}: {len(doc)} pages, planned {len(manual.sections)}"]
    for i in range(len(doc)):
        got = re.sub(r"\s+", "", doc[i].get_textpage().get_text_range())
        want = re.sub(r"\s+", "", "".join(page_lines(manual, i)))
        if got != want:
            at = next(
                (k for k, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                min(len(got), len(want)),
            )
            problems.append(
                f"{manual.file}: page {i + 1} differs at {at}: {got[at - 20 : at + 30]!r} vs {want[at - 20 : at + 30]!r}"
            )
    doc.close()
    return problems


# ---------------------------------------------------------------- HTML

HTML_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - {subtitle} | {brand} Support</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent" role="dialog">
  <p>We use cookies to improve your browsing experience, remember your region and measure traffic. By clicking "Accept all" you agree to our use of cookies.</p>
  <button type="button">Accept all</button> <button type="button">Manage preferences</button>
</div>
<header class="site-header">
  <a class="logo" href="/">{brand}</a>
  <nav class="main-nav" aria-label="Main">
    <ul>
      <li><a href="/products/">Products</a></li>
      <li><a href="/support/">Support</a></li>
      <li><a href="/support/downloads/">Downloads</a></li>
      <li><a href="/artists/">Artists</a></li>
      <li><a href="/dealers/">Find a dealer</a></li>
      <li><a href="/account/">Sign in</a></li>
    </ul>
  </nav>
  <form class="search" action="/search"><input type="search" name="q" placeholder="Search products and support"></form>
</header>
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> &gt; <a href="/support/">Support</a> &gt; <a href="/support/manuals/">Manuals</a> &gt; {title}</nav>
<main id="content">
<article class="manual">
"""

HTML_FOOT = """</article>
<aside class="related">
  <h3>Related downloads</h3>
  <ul><li><a href="/support/downloads/">Firmware and drivers</a></li><li><a href="/support/register/">Register your product</a></li></ul>
</aside>
</main>
<footer class="site-footer">
  <nav aria-label="Footer"><ul>
    <li><a href="/company/">About us</a></li><li><a href="/careers/">Careers</a></li>
    <li><a href="/privacy/">Privacy policy</a></li><li><a href="/cookies/">Cookie settings</a></li>
    <li><a href="/terms/">Terms of use</a></li><li><a href="/contact/">Contact</a></li>
  </ul></nav>
  <p>Subscribe to our newsletter for news, artist stories and special offers.</p>
  <p>Copyright 2025 {brand} demo site. All rights reserved. Original demo text written for HSC-JIT.</p>
</footer>
</body>
</html>
"""


def render_html(manual: Manual) -> str:
    def esc(text: str) -> str:
        return html.escape(text, quote=False)

    brand = manual.meta.get("brand", manual.meta["title"].split()[0])
    parts = [
        HTML_HEAD.format(
            title=esc(manual.meta["title"]), subtitle=esc(manual.meta["subtitle"]), brand=esc(brand)
        )
    ]
    for i, section in enumerate(manual.sections):
        tag = "h1" if i == 0 else "h2"
        parts.append(f"<section>\n<{tag}>{esc(section.heading)}</{tag}>\n")
        for block in section.blocks:
            if block.kind == "p":
                text = esc(block.lines[0])
                label = re.match(r"^(NOTE|CAUTION|TIP|WARNING):", text)
                if label:
                    text = f"<strong>{label.group(0)}</strong>{text[len(label.group(0)) :]}"
                parts.append(f"<p>{text}</p>\n")
            elif block.kind == "ul":
                items = "".join(f"  <li>{esc(item)}</li>\n" for item in block.lines)
                parts.append(f"<ul>\n{items}</ul>\n")
            elif block.kind == "ol":
                stripped = [re.sub(r"^\d+\. ", "", item) for item in block.lines]
                items = "".join(f"  <li>{esc(item)}</li>\n" for item in stripped)
                parts.append(f"<ol>\n{items}</ol>\n")
            else:
                rows = table_rows(block)
                head = "".join(f"<th>{esc(c)}</th>" for c in rows[0])
                body = "".join(
                    "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>\n"
                    for row in rows[1:]
                )
                parts.append(
                    f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
                )
        parts.append("</section>\n")
    parts.append(HTML_FOOT.format(brand=esc(brand)))
    return "".join(parts)


# ---------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    check_only = "--check" in argv
    sources = sorted(SRC_DIR.glob("*.md"))
    if not sources:
        raise SystemExit(f"no sources in {SRC_DIR}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for src in sources:
        manual = parse(src)
        for section in manual.sections:
            text = section.heading + "".join(" ".join(b.lines) for b in section.blocks)
            try:
                text.encode("latin-1")
            except UnicodeEncodeError as exc:
                problems.append(f"{src.name}: non latin-1 text in {section.heading!r}: {exc}")
        out = OUT_DIR / manual.file
        if manual.is_pdf:
            data = render_pdf(manual)
            problems.extend(check_pdf(manual, data))
            if check_only:
                if not out.exists() or out.read_bytes() != data:
                    problems.append(f"{out.name}: stale (rerun without --check)")
            else:
                out.write_bytes(data)
            print(f"{manual.file}: {len(manual.sections)} pages")
        else:
            text = render_html(manual)
            if check_only:
                if not out.exists() or out.read_text(encoding="utf-8") != text:
                    problems.append(f"{out.name}: stale (rerun without --check)")
            else:
                out.write_text(text, encoding="utf-8")
            print(f"{manual.file}: {len(manual.sections)} sections")
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
