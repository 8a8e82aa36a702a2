"""A physiotherapist who reads Spanish reads the weekly decisions in Spanish: each reason and each
item's change on the patient page and in the clinician's report, while the stored row keeps its
English; a decision stored before the templates existed reads in its stored English."""

import io

from django.utils import translation
from pypdf import PdfReader

from planner.progression.said import text_of
from rehab.models import PlanChange, ProgressionDecision
from tests.frontend.test_rules_in_spanish import _decide_first_weeks, _page, plan, spanish_physio  # noqa: F401


def _said_in_spanish(entries) -> list[tuple[str, str]]:
    with translation.override("es"):
        return [(entry["text"], text_of(entry)) for entry in entries]


def test_the_stored_decision_keeps_its_english_beside_its_template(world, plan):  # noqa: F811
    decision = _decide_first_weeks(world, plan)
    assert decision.reasons
    assert all(reason["said"] for reason in decision.reasons)
    assert all(change["said"] for change in decision.changes.values())
    with translation.override("en"):
        assert [text_of(reason) for reason in decision.reasons] == [reason["text"] for reason in decision.reasons]
    assert all(english != spanish for english, spanish in _said_in_spanish(decision.reasons))


def test_the_patient_page_says_the_reasons_and_changes_in_spanish(spanish_physio, world, plan):  # noqa: F811
    decision = _decide_first_weeks(world, plan)
    page = _page(spanish_physio, f"/patients/{world.patient.pk}/")
    said = _said_in_spanish([*decision.reasons, *decision.changes.values()])
    assert said
    assert [spanish for _english, spanish in said if spanish not in page] == []
    assert [english for english, _spanish in said if english in page] == []


def test_a_decision_stored_without_templates_reads_its_stored_english(spanish_physio, world, plan):  # noqa: F811
    decision = _decide_first_weeks(world, plan)
    old_reasons = [{key: value for key, value in reason.items() if key != "said"} for reason in decision.reasons]
    ProgressionDecision.objects.filter(pk=decision.pk).update(reasons=old_reasons)
    page = _page(spanish_physio, f"/patients/{world.patient.pk}/")
    assert all(reason["text"] in page for reason in old_reasons)


def test_the_clinicians_report_says_the_reasons_in_spanish(spanish_physio, world, plan):  # noqa: F811
    decision = _decide_first_weeks(world, plan)
    response = spanish_physio.get(f"/api/v1/patients/{world.patient.pk}/report/pdf/")
    assert response.status_code == 200
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    said = _said_in_spanish(decision.reasons)
    assert [spanish for _english, spanish in said if " ".join(spanish.split()) not in text] == []
    assert [english for english, _spanish in said if english in text] == []


def test_the_plan_history_says_the_decisions_changes_in_spanish_and_keeps_their_english(
    spanish_physio,  # noqa: F811
    world,
    plan,  # noqa: F811
):
    decision = _decide_first_weeks(world, plan)
    written = list(PlanChange.objects.filter(decision=decision).values_list("reason", flat=True))
    assert written
    assert all(reason.startswith(f"Week {decision.week} decision: ") for reason in written)  # the audit's English
    page = _page(spanish_physio, f"/plans/{plan.pk}/history/")
    with translation.override("es"):
        first = text_of(decision.reasons[0])
    assert f"Decisión de la semana {decision.week}: " in page
    assert first in page
    assert [reason for reason in written if reason in page] == []


def test_a_change_whose_decision_says_otherwise_now_keeps_its_stored_english(spanish_physio, world, plan):  # noqa: F811
    decision = _decide_first_weeks(world, plan)
    PlanChange.objects.filter(decision=decision).update(reason=f"Week {decision.week} decision: advance (green) — x")
    page = _page(spanish_physio, f"/plans/{plan.pk}/history/")
    assert f"Week {decision.week} decision: advance (green) — x" in page
