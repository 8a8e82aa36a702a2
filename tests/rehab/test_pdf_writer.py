"""The writer's shortcuts (rehab.pdf.writer) write exactly reportlab's bytes: each string and name as
reportlab's own functions write it, and a whole booklet byte for byte."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from planner.documents.booklet import plan_document
from rehab.pdf import render_plan_pdf, writer
from tests.rehab.test_pdf_drawing import CONTACT, MONDAY, NAME, PatientInfo, case_plan, check_ins


def _outcome(function, value):
    try:
        return function(value)
    except UnicodeEncodeError:
        return UnicodeEncodeError


# Mostly ASCII (what a document's dictionaries hold), with the control codes PDFDocEncoding maps
# elsewhere, Latin letters, and anything else.
TEXTS = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=127)),
    st.text(alphabet=st.sampled_from("Page /F1+0 \x18\x1b\x1f\n\t()éü·€李")),
    st.text(),
)


@given(TEXTS)
def test_a_string_is_encoded_as_reportlab_encodes_it(text):
    assert _outcome(writer.pdfdoc_encoded, text) == _outcome(writer.REPORTLAB_ENCODE, text)


@given(st.binary())
def test_bytes_pass_through(data):
    assert writer.pdfdoc_encoded(data) is data


@given(TEXTS)
def test_a_name_is_written_as_reportlab_writes_it(text):
    assert writer.pdf_name(text) == writer.REPORTLAB_NAME(text)
    assert writer.pdf_name(text) == writer.REPORTLAB_NAME(text)  # and again, from what was kept


def test_rehab_pdf_installs_both():
    assert pdfdoc.pdfdocEnc is writer.pdfdoc_encoded
    assert pdfdoc.PDFName is writer.pdf_name


def test_a_booklet_is_the_same_bytes_as_reportlab_writes_it(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)  # no time stamp or random id: bytes comparable
    doc = plan_document(
        case_plan(),
        patient=PatientInfo(NAME),
        contact=CONTACT,
        start_date=MONDAY,
        generated_on=MONDAY + timedelta(days=15),
        pain_entries=check_ins(2),
    )
    ours = render_plan_pdf(doc)
    monkeypatch.setattr(pdfdoc, "pdfdocEnc", writer.REPORTLAB_ENCODE)
    monkeypatch.setattr(pdfdoc, "PDFName", writer.REPORTLAB_NAME)

    assert render_plan_pdf(doc) == ours


@pytest.mark.parametrize("text", ["\x18", "a\x1fb", "€", "李"])
def test_what_the_shortcut_leaves_goes_through_reportlabs_codec(text, monkeypatch):
    seen = []
    monkeypatch.setattr(writer, "REPORTLAB_ENCODE", lambda value: seen.append(value) or b"")
    writer.pdfdoc_encoded(text)
    assert seen == [text]
