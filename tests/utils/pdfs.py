"""PDFs built in the test with fpdf2: text pages, a scan without text, a password-protected one."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from PIL import Image


def _pdf(title: str = "") -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_font("helvetica", size=11)
    if title:
        pdf.set_title(title)
    return pdf


def text_pdf(pages: list[str], title: str = "") -> bytes:
    """One PDF page per string; lines wrap at the page width as in a real manual."""
    pdf = _pdf(title)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def table_pdf(intro: str, rows: Sequence[tuple[str, ...]], v_align: str = "MIDDLE") -> bytes:
    """A spec sheet: a paragraph, then a table printed without rules or colons, its labels
    50 mm wide and its other columns sharing 140 mm; ``v_align`` places a label beside its
    cell's lines (TOP: beside the first)."""
    columns = len(rows[0]) - 1
    pdf = _pdf()
    pdf.add_page()
    pdf.multi_cell(0, 6, intro, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "Specifications", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(
        col_widths=(50, *[140 / columns] * columns),
        first_row_as_headings=False,
        borders_layout="NONE",
        v_align=v_align,
    ) as t:
        for cells in rows:
            row = t.row()
            for cell in cells:
                row.cell(cell)
    return bytes(pdf.output())


def scanned_pdf(pages: int = 2) -> bytes:
    pdf = _pdf()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(Image.new("L", (200, 280), color=200), x=10, y=10, w=180)
    return bytes(pdf.output())


def encrypted_pdf(text: str) -> bytes:
    pdf = _pdf()
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    return bytes(pdf.output())


def styled_pdf(lines: Sequence[tuple[str, float, str]]) -> bytes:
    """One page, one printed line per ``(text, size, style)`` (fpdf2's "" or "B" for bold),
    broken where the test breaks it, as a layout program wraps a list item."""
    pdf = _pdf()
    pdf.add_page()
    for text, size, style in lines:
        pdf.set_font("helvetica", style=style, size=size)
        pdf.cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def placed_pdf(lines: list[list[tuple[float, str]]], size: float = 10, scale: float = 1) -> bytes:
    """One page of text runs placed by hand, as layout programs write them: each line a list of
    ``(x, text)`` runs (no space typed between runs), set in Helvetica at ``size`` and scaled by
    the text matrix ``scale`` times (a font size of 1 scaled by 10 prints at 10 points)."""
    ops = [f"BT /F1 {size} Tf"]
    for number, runs in enumerate(lines):
        y = 760 - 16 * number
        for x, text in runs:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"{scale} 0 0 {scale} {x} {y} Tm ({escaped}) Tj")
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
