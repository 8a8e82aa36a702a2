"""The booklet's fast text: plain text wrapped by measured words, tables of plain text drawn straight
onto the page, and TrueType letters encoded in one call. Each must print what reportlab's own would."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

from rehab.pdf import layout
from rehab.pdf.grid import TextTable
from rehab.pdf.text import PlainText, wrap_lines
from rehab.pdf.ttf import FastTTFont


class _Document:
    pass


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz éñ¿¡", min_size=0, max_size=300)


def _read(flowables) -> tuple[PdfReader, str]:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(flowables)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@given(text=WORDS, width=st.floats(min_value=20, max_value=400))
@settings(max_examples=60, deadline=None)
def test_wrapped_lines_keep_every_word_in_order_and_fit_the_width(text, width):
    font = layout.font_set().regular

    lines = wrap_lines(text, font, 12, width)

    assert "".join("".join(lines).split()) == "".join(text.split())  # every letter, in order
    for line in lines:
        assert stringWidth(line, font, 12) <= width + 0.01 or len(line) == 1


def test_a_word_longer_than_the_line_is_broken_rather_than_run_past_the_edge():
    font = layout.font_set().regular

    lines = wrap_lines("Pneumonoultramicroscopicsilicovolcanoconiosis", font, 12, 60)

    assert len(lines) > 1
    assert "".join(lines) == "Pneumonoultramicroscopicsilicovolcanoconiosis"


def test_plain_text_reads_back_as_written_across_pages():
    text = " ".join(f"Line {n} of a long paragraph." for n in range(400))

    reader, read = _read([PlainText(text, layout.styles()["body"])])

    assert len(reader.pages) > 1
    assert read == text


def test_para_keeps_a_paragraph_for_letters_the_body_font_cannot_draw():
    assert isinstance(layout.para("Helen Carter"), PlainText)
    assert not isinstance(layout.para("Zoë 李"), PlainText)


def test_a_text_table_splits_between_rows_and_repeats_its_header():
    rows = [["Week", "What"]] + [[str(n), f"Row {n} text"] for n in range(120)]
    table = layout.table(rows, [60, 200])
    assert isinstance(table, TextTable)

    reader, text = _read([table])

    assert len(reader.pages) > 1
    assert text.count("Week What") == len(reader.pages)
    for n in range(120):
        assert f"{n} Row {n} text" in text


def test_a_table_with_a_flowable_in_a_cell_stays_a_reportlab_table():
    table = layout.table([["Figure", layout.para("text")]], [60, 200], header=False)

    assert not isinstance(table, TextTable)


def test_the_fast_font_encodes_every_string_as_reportlabs_own():
    path = layout.font_set().source
    fast, plain = FastTTFont("FastCheck", path), TTFont("PlainCheck", path)
    fast_doc, plain_doc = _Document(), _Document()  # reportlab keeps a font's codes per document

    for text in ("Stop and call us", "Señora Núñez, ¿qué tal? ¡Bien!", "", "Stop and call us", "a\xa0b", "Łukasz"):
        assert fast.splitString(text, fast_doc) == plain.splitString(text, plain_doc)
