"""What makes drawing the booklet cheap must not change what it prints: lines written in one piece are
the operators reportlab's text object writes, text with letters beyond one font subset still reads back
(drawn the slow way), the embedded font program is made once per set of letters and read back the
same, and translations remembered for a PDF follow the language they were looked up in."""

import io

from django.utils import translation
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from planner.documents.wording import month_words
from planner.translation import gettext
from rehab.i18n import words_remembered
from rehab.pdf import layout, ttf
from rehab.pdf.grid import TextTable
from rehab.pdf.text import PlainText


def _many_letters() -> str:
    """Latin, Greek and Cyrillic letters the body font draws: more than the first subset of 256 codes
    holds beside ASCII."""
    covered = layout.font_set().covered
    ranges = [*range(0x100, 0x24F), *range(0x391, 0x3C9), *range(0x410, 0x44F)]
    return "".join(chr(code) for code in ranges if code in covered and chr(code).isalpha())


def _read(flowables) -> str:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(flowables)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _code(write) -> str:
    canvas = Canvas(io.BytesIO())
    text = canvas.beginText(50, 700)
    text.setFont(layout.font_set().regular, 13, 18)
    write(text)
    return text.getCode()


def test_lines_written_in_one_piece_are_what_reportlabs_text_lines_write():
    lines = ["Stop and call us (at once)", "", "Señora Núñez, ¿qué tal? \\ ½ • —", "Łukasz"]

    def one_by_one(text):
        for line in lines:
            text.textLine(line)

    assert _code(lambda text: ttf.show_lines(text, lines)) == _code(one_by_one)


def test_text_with_letters_beyond_one_subset_reads_back():
    letters = _many_letters()
    words = [letters[i : i + 12] for i in range(0, len(letters), 12)]
    assert len(set(letters)) > 256
    paragraph = PlainText(" ".join(words), layout.styles()["body"])
    table = layout.table([["Letters", "More"], *[[word, word[::-1]] for word in words]], [200, 200])
    assert isinstance(table, TextTable)

    text = _read([paragraph, table])

    for word in words:
        assert text.count(word) == 2  # in the paragraph and in the table's first column
        assert word[::-1] in text


def test_the_font_program_is_made_once_for_the_same_letters_and_reads_back():
    ttf._font_program.cache_clear()
    flowables = lambda: [PlainText("Zoë walks 10½ minutes • every day", layout.styles()["body"])]  # noqa: E731

    first, second = _read(flowables()), _read(flowables())

    assert first == second == "Zoë walks 10½ minutes • every day"
    assert ttf._font_program.cache_info().hits >= 1


def test_remembered_words_are_those_of_the_language_they_were_looked_up_in():
    with translation.override("es"), words_remembered():
        spanish = (gettext("Exercise"), month_words(5))
    with translation.override("en"), words_remembered():
        english = (gettext("Exercise"), month_words(5))
    with translation.override("es"), words_remembered():
        again = (gettext("Exercise"), month_words(5))

    assert english == ("Exercise", "May")
    assert spanish == again
    assert spanish[0] != "Exercise"
    assert spanish[1].lower() == "may"  # "mayo" abbreviated; not Django's full month name
