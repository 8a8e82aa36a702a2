"""The plan PDF draws each exercise's figure (start and end pose) with reportlab graphics."""

import io
import re
from dataclasses import replace
from datetime import date, timedelta

from pypdf import PdfReader
from reportlab.graphics.shapes import Group, Rect

from planner.documents.booklet import plan_document
from planner.documents.inputs import ContactInfo, PatientInfo
from planner.figures.scene import STYLES
from planner.schedule import build_plan
from planner.types import Profile
from rehab.pdf import render_plan_pdf
from rehab.pdf.figures import figure_drawing
from tests.rehab.test_pdf_drawing import case_plan

MONDAY = date(2026, 11, 2)
CONTACT = ContactInfo("Riverside Rehab", "+44 20 7946 0000", "team@riverside.example", "Anna Nowak")


def _doc(plan):
    return plan_document(
        plan,
        patient=PatientInfo("Helen", date(1960, 1, 1)),
        contact=CONTACT,
        start_date=MONDAY,
        generated_on=MONDAY + timedelta(days=3),
    )


def test_every_exercise_is_printed_with_its_figure_once():
    doc = _doc(case_plan())
    reader = PdfReader(io.BytesIO(render_plan_pdf(doc)))
    pages = [page for page in reader.pages if re.search(r"Exercise\s+\d+\s+of\s+\d+", page.extract_text())]
    text = " ".join(" ".join(page.extract_text() for page in pages).split())

    assert len(re.findall(r"Exercise \d+ of \d+", text)) == len(doc.exercises) > 0
    # Each figure's two poses are labelled once, in the body font at the booklet's smallest size.
    assert len(re.findall(r"Start Then", text)) == len(doc.exercises)
    stream = "".join(page.get_contents().get_data().decode("latin-1") for page in pages)
    assert len(re.findall(r" 12 Tf", stream)) >= len(doc.exercises)
    # Each figure is a form (drawn once per process) that its page draws by name, once.
    drawn = list(re.findall(r"/(FormXob\.figure-\S+) Do", stream))
    assert len(drawn) == len(set(drawn)) == len(doc.exercises)
    forms = {
        name: value.get_object().get_data().decode("latin-1")
        for page in pages
        for name, value in page["/Resources"]["/XObject"].items()
        if name.startswith("/FormXob.figure-")
    }
    assert sorted(forms) == sorted(f"/{name}" for name in drawn)
    # Each body part, weight and piece of equipment is a drawn path: dozens per figure (a page of
    # text alone moves to a new path start only for its rules, a couple of times per table).
    assert all(len(re.findall(r" m ", form)) >= 30 for form in forms.values())
    # Fewer pages than exercises: they follow one another, two or so to a page.
    assert len(pages) < len(doc.exercises)


def _load_rects(drawing) -> list[Rect]:
    load_colour = STYLES["load"]["fill"].lower()
    found = []

    def walk(node):
        for child in getattr(node, "contents", []):
            if isinstance(child, Group):
                walk(child)
            elif (
                isinstance(child, Rect)
                and child.fillColor is not None
                and child.fillColor.hexval()[2:] == load_colour[1:]
            ):
                found.append(child)

    walk(drawing)
    return found


def test_the_pdf_figure_shows_no_weight_on_a_protected_region():
    assert len(_load_rects(figure_drawing("dumbbell-biceps-curl"))) == 8  # 2 hands x 2 plates x 2 poses
    assert len(_load_rects(figure_drawing("dumbbell-biceps-curl", ["wrist_hand_left"]))) == 4
    assert _load_rects(figure_drawing("dumbbell-biceps-curl", ["wrist_hand_left", "elbow_right"])) == []


def test_the_plan_document_carries_the_limits_protected_regions():
    plan = build_plan(Profile(**{**case_plan().profile.__dict__}))
    limits = replace(plan.limits, avoid_regions=("knee_left",), no_loading_regions=("wrist_hand_right",))
    doc = _doc(replace(plan, limits=limits))
    assert doc.protected_regions == ("knee_left", "wrist_hand_right")
