"""What makes the plan PDF cheap must not change it: a figure copied from its recording is exactly
what reportlab's renderer writes for it, and starts from an opaque state whatever the page set; a
plan with check-ins and a weekly decision (the demo's shape) costs at most six queries drawn and
three from the cache, whatever its length; and a next-morning pain added to a logged session draws
the PDF again (its pain chart changed)."""

import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.pdfgen.canvas import Canvas

from planner.figures.library import default_figures
from rehab.documents import plan_pdf_cache_key
from rehab.pdf import figures
from rehab.pdf.figures import figure_drawing
from rehab.services.checkins import checkin_add_next_morning, checkin_record
from rehab.services.progression import plan_progress
from tests import builders
from tests.conftest import client_for

START = date(2026, 11, 2)
PROTECTED = [(), ("gluteal_left", "gluteal_right"), ("lumbar_spine", "shoulder_left")]


def _page(draw, alpha: float | None = None) -> PdfReader:
    """A one-page PDF with something drawn at (40, 300), read back."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    if alpha is not None:
        canvas.setFillAlpha(alpha)  # a state the figure's own transparency must not depend on
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue()))


def _renderer_lines(drawing) -> list[str]:
    """What reportlab's renderer writes for the drawing on a fresh canvas, its state names as written."""
    canvas = Canvas(io.BytesIO())
    start = len(canvas._code)
    renderPDF.draw(drawing, canvas, 0, 0)
    return [line for line in canvas._code[start:] if " Tf " not in line]


@pytest.mark.parametrize("protected", PROTECTED)
def test_a_recorded_figure_is_exactly_what_the_renderer_draws(monkeypatch, protected):
    monkeypatch.setattr(rl_config, "invariant", 1)
    slugs = sorted(default_figures())
    assert slugs
    for slug in slugs:
        code = figures.figure_code(slug, protected, 260, 1)
        expected = _renderer_lines(figure_drawing(slug, protected, width=260, labels=False))
        # On a fresh canvas the transparency states get the same names as on the renderer's.
        names = {}
        lines = []
        for part in code.parts:
            if isinstance(part, str):
                lines += part.split("\n")
            else:
                names.setdefault(part, f"gRLs{len(names)}")
                lines.append(f"/{names[part]} gs")
        assert lines == expected, slug
        assert figures.figure_code(slug, protected, 260, 1) is code  # drawn once per process


def test_a_recorded_figure_starts_opaque_whatever_the_page_set_before():
    figure = figures.figure_flowable("dumbbell-biceps-curl", ("wrist_hand_left",), 260, "Helvetica", 12)

    page = _page(lambda canvas: figure.drawOn(canvas, 40, 300), alpha=0.5).pages[0]

    stream = page.get_contents().get_data().decode("latin-1")
    assert "(Start) Tj" in stream
    page_fills = [page["/Resources"]["/ExtGState"][f"/{name}"].get("/ca") for name in re.findall(r"/(\S+) gs", stream)]
    assert 0.5 in page_fills  # the page's own transparency, set before the figure
    # The figure is a form the page draws by name; before its first path it sets its own opacity.
    (name,) = re.findall(r"/(FormXob\.figure-\S+) Do", stream)
    form = page["/Resources"]["/XObject"][f"/{name}"].get_object()
    drawn = form.get_data().decode("latin-1")
    states = {name: {"/ca": None, "/CA": None, **state} for name, state in form["/Resources"]["/ExtGState"].items()}
    first_path = drawn.index(" m ")
    before = [states[f"/{name}"] for name in re.findall(r"/(\S+) gs", drawn[:first_path])]
    assert [state["/ca"] for state in before if state["/ca"] is not None][-1] == 1
    assert [state["/CA"] for state in before if state["/CA"] is not None][-1] == 1
    # The protected region's mark keeps its own transparency.
    assert 0.45 in [value for state in states.values() for value in state.values()]


def test_a_figure_form_is_the_recorded_figure_and_is_made_once(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)
    slugs = sorted(default_figures())[:12]
    for slug in slugs:
        form = figures.figure_form(slug, ("gluteal_left",), 230, 1)
        code = figures.figure_code(slug, ("gluteal_left",), 230, 1)
        assert figures.figure_form(slug, ("gluteal_left",), 230, 1) is form  # once per process
        reader = _page(
            lambda canvas, slug=slug: figures.figure_flowable(slug, ("gluteal_left",), 230, "Helvetica", 12).drawOn(
                canvas, 40, 300
            )
        )
        (xobject,) = [
            value.get_object()
            for key, value in reader.pages[0]["/Resources"]["/XObject"].items()
            if key.startswith("/FormXob.figure-")
        ]
        drawn = xobject.get_data().decode("latin-1").split("\n")
        names = {
            f"{name} gs": {key.lstrip("/"): value for key, value in state.items()}
            for name, state in xobject["/Resources"]["/ExtGState"].items()
        }
        # The form's operators are the recording's, its transparency states named by the form.
        expected = []
        for part in code.parts:
            expected += part.split("\n") if isinstance(part, str) else [dict([part])]
        assert [names.get(line, line) for line in drawn[2:]] == expected, slug
        assert [names[line] for line in drawn[:2]] == [{"CA": 1}, {"ca": 1}]
        assert xobject["/BBox"][2] > form.width
        assert xobject["/BBox"][3] > form.height


def test_an_exercise_without_a_figure_has_none():
    assert figures.figure_flowable("no-such-exercise", (), 260, "Helvetica", 12) is None


def _log_and_decide(world, plan, weeks: int) -> None:
    """Three sessions a week for `weeks` weeks, each week then decided, as the demo has."""
    for week in range(weeks):
        for n, offset in enumerate((0, 2, 4)):
            day = START + timedelta(days=7 * week + offset)
            with time_machine.travel(day + timedelta(hours=12), tick=False):
                checkin_record(
                    actor=world.patient_user,
                    plan=plan,
                    idempotency_key=f"speed-{week}-{n}",
                    date=day,
                    pain_during=2,
                    pain_after=2,
                    pain_next_morning=1,
                    session_rpe=11,
                )
    plan_progress(plan_id=plan.pk, as_of=START + timedelta(days=7 * weeks))


def _queries(user, plan, django_assert_max_num_queries, most: int):
    with django_assert_max_num_queries(most) as captured:
        response = client_for(user).get(f"/api/v1/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    return len(captured)


@pytest.mark.parametrize("weeks", [12, 52])
def test_a_plan_with_check_ins_and_decisions_costs_six_queries_drawn_and_three_cached(
    world, weeks, django_assert_max_num_queries
):
    # Supervised sessions wanted (heart and lungs to monitor): their count comes with the plan's read.
    plan = builders.make_active_plan(
        world.patient, world.physio, start_date=START, weeks=weeks, cardiopulmonary_status="monitor"
    )
    _log_and_decide(world, plan, 2)
    assert plan.decisions.count() >= 1

    # The plan with its access check and the cache key's markers in one query; drawn, its items, its
    # check-ins and the week's decision too; and the read's audit row.
    drawn = _queries(world.patient_user, plan, django_assert_max_num_queries, 6)
    cached = _queries(world.patient_user, plan, django_assert_max_num_queries, 3)

    assert cached < drawn


def test_a_next_morning_pain_changes_the_key(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    day = START + timedelta(days=1)
    with time_machine.travel(day + timedelta(hours=12), tick=False):
        checkin, _created = checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key="morning-1",
            date=day,
            pain_during=2,
            pain_after=3,
            pain_next_morning=None,
            session_rpe=11,
        )
    with time_machine.travel(day + timedelta(days=1, hours=9), tick=False):
        logged = plan_pdf_cache_key(plan)
        assert plan_pdf_cache_key(plan) == logged
        checkin_add_next_morning(actor=world.patient_user, checkin=checkin, pain_next_morning=4)
        assert plan_pdf_cache_key(plan) != logged
        assert " " not in plan_pdf_cache_key(plan)  # a key Django's caches take without a warning
