"""PDFs built in the test with fpdf2: text pages, a scan without text, a password-protected one."""

from __future__ import annotations

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


def table_pdf(intro: str, rows: list[tuple[str, str]], v_align: str = "MIDDLE") -> bytes:
    """A spec sheet: a paragraph, then a two-column table printed without rules or colons;
    ``v_align`` places a label beside its cell's lines (TOP: beside the first)."""
    pdf = _pdf()
    pdf.add_page()
    pdf.multi_cell(0, 6, intro)
    pdf.cell(0, 8, "Specifications", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(
        col_widths=(50, 140),
        first_row_as_headings=False,
        borders_layout="NONE",
        v_align=v_align,
    ) as t:
        for label, value in rows:
            row = t.row()
            row.cell(label)
            row.cell(value)
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
