"""Clearance and the supervised start on the pages: the clinician records clearance on the plan page,
the physiotherapist cannot activate until then, records supervised sessions, and the patient's today
page says the next session is at the clinic until the rules' number is done. Also the PDFs' words."""

import io
import re
from datetime import date

import pytest
import time_machine
from pypdf import PdfReader

from rehab.models import CheckIn, Clearance, PlanStatus
from rehab.services.clearance import clearance_grant, supervised_session_record
from rehab.services.plans import plan_activate, plan_generate
from tests import builders

START = date(2026, 11, 2)  # Monday; "today" is Wednesday of week 1
AT_CLINIC = "Your next session is at the clinic with your physiotherapist"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel("2026-11-04 10:00", tick=False):
        yield


@pytest.fixture
def draft(world):
    """A draft whose rules ask for clearance (high inflammation) and three supervised sessions."""
    builders.make_assessment(world.patient, by=world.physio, inflammation_activity="high")
    return plan_generate(actor=world.physio, patient=world.patient, start_date=START, weeks=12)


@pytest.fixture
def plan(world):
    """An active plan whose rules ask for three supervised sessions (moderate inflammation)."""
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


def html_of(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


def supervise(world, plan, day, key):
    return supervised_session_record(
        actor=world.physio, plan=plan, idempotency_key=key, date=day, pain_during=1, pain_after=2
    )


# ---------------------------------------------------------------------------------------------
# Staff plan page
# ---------------------------------------------------------------------------------------------


def test_a_physiotherapist_sees_clearance_awaited_with_the_rule_and_activate_disabled(world, client, draft):
    client.force_login(world.physio)
    response = client.get(f"/plans/{draft.pk}/")
    html, text = html_of(response), text_of(response)
    assert "Medical clearance awaited" in text
    assert "signs the plan off medically" in text  # the rule's text
    assert re.search(r'<button type="submit" class="primary" disabled[^>]*>Activate the plan', html)
    assert "A clinician must record medical clearance before this plan can start." in text
    assert "Record medical clearance" not in text  # only a clinician records it


def test_activating_without_clearance_from_the_page_keeps_the_draft_and_names_the_rule(world, client, draft):
    client.force_login(world.physio)
    response = client.post(f"/plans/{draft.pk}/activate/", {"version": draft.version}, follow=True)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    assert "clearance.inflammation_high" in text_of(response)


def test_a_clinician_records_clearance_on_the_page_and_then_the_physiotherapist_activates(world, client, draft):
    client.force_login(world.clinician)
    page = text_of(client.get(f"/plans/{draft.pk}/"))
    assert "Record medical clearance" in page
    response = client.post(f"/plans/{draft.pk}/clearance/", {"note": "Seen in clinic; CK falling."}, follow=True)
    stored = Clearance.objects.get(plan=draft)
    assert stored.granted_by == world.clinician
    assert stored.rules == ["clearance.inflammation_high"]
    assert "Cleared by" in text_of(response)
    assert "Seen in clinic; CK falling." in text_of(response)

    client.force_login(world.physio)
    html = html_of(client.get(f"/plans/{draft.pk}/"))
    assert not re.search(r"disabled[^>]*>Activate the plan", html)
    client.post(f"/plans/{draft.pk}/activate/", {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ACTIVE


def test_a_blank_clearance_note_is_refused_next_to_the_field_and_nothing_is_stored(world, client, draft):
    client.force_login(world.clinician)
    response = client.post(f"/plans/{draft.pk}/clearance/", {"note": "   "})
    assert response.status_code == 400
    assert "Write what the clearance is based on." in text_of(response)
    assert not Clearance.objects.exists()


def test_a_physiotherapist_cannot_post_a_clearance_and_an_outsider_cannot_see_the_plan(world, client, draft):
    client.force_login(world.physio)
    assert client.post(f"/plans/{draft.pk}/clearance/", {"note": "x"}).status_code == 403
    client.force_login(world.clinician)
    other = builders.make_user(world.clinic, "clinician")
    client.force_login(other)
    assert client.post(f"/plans/{draft.pk}/clearance/", {"note": "x"}).status_code == 404
    assert not Clearance.objects.exists()


def test_the_physiotherapist_records_a_supervised_session_from_the_plan_page(world, client, plan):
    client.force_login(world.physio)
    page = client.get(f"/plans/{plan.pk}/")
    assert "0 of 3 supervised sessions done" in text_of(page)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html_of(page)).group(1)
    ticked = re.findall(r'name="items" value="(\d+)"[^>]*checked', html_of(page))
    assert ticked  # every exercise of the plan starts ticked
    data = {"idempotency_key": key, "date": "2026-11-04", "pain_during": 1, "pain_after": 2, "items": ticked[1:]}
    response = client.post(f"/plans/{plan.pk}/supervised-sessions/", data, follow=True)
    checkin = CheckIn.objects.get(plan=plan)
    assert checkin.supervised_by == world.physio
    assert checkin.items.filter(done=True).count() == len(ticked) - 1
    assert "1 of 3 supervised sessions done" in text_of(response)
    client.post(f"/plans/{plan.pk}/supervised-sessions/", data)  # a double submit stores no second
    assert CheckIn.objects.filter(plan=plan).count() == 1


def test_a_supervised_session_with_bad_pain_is_refused_and_nothing_is_stored(world, client, plan):
    client.force_login(world.physio)
    data = {"idempotency_key": "k1", "date": "2026-11-04", "pain_during": 12, "pain_after": 2}
    response = client.post(f"/plans/{plan.pk}/supervised-sessions/", data)
    assert response.status_code == 400
    assert "Pain during (0-10)" in text_of(response)
    assert not CheckIn.objects.exists()


# ---------------------------------------------------------------------------------------------
# Patient's today page
# ---------------------------------------------------------------------------------------------


def test_the_patient_is_told_the_next_session_is_at_the_clinic_until_the_rules_number_is_done(world, client, plan):
    client.force_login(world.patient_user)
    assert f"{AT_CLINIC} (0 of 3 supervised sessions done)." in text_of(client.get("/today/"))
    supervise(world, plan, date(2026, 11, 2), "a")
    supervise(world, plan, date(2026, 11, 3), "b")
    assert f"{AT_CLINIC} (2 of 3 supervised sessions done)." in text_of(client.get("/today/"))
    supervise(world, plan, date(2026, 11, 4), "c")
    assert AT_CLINIC not in text_of(client.get("/today/"))


def test_a_patient_whose_rules_ask_for_no_supervision_is_not_sent_to_the_clinic(world, client):
    builders.make_active_plan(
        world.patient,
        world.physio,
        start_date=START,
        bone_fragility="none",
        inflammation_activity="inactive",
        heterotopic_ossification_regions=[],
    )
    client.force_login(world.patient_user)
    assert AT_CLINIC not in text_of(client.get("/today/"))


# ---------------------------------------------------------------------------------------------
# PDFs
# ---------------------------------------------------------------------------------------------


def _pdf_text(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_plan_pdf_and_the_clinicians_report_state_the_supervised_start_and_the_clearance(world, client, draft):
    clearance_grant(actor=world.clinician, plan=draft, note="Cleared after review.")
    plan = plan_activate(actor=world.physio, plan=draft, version=draft.version)
    supervise(world, plan, date(2026, 11, 3), "a")
    client.force_login(world.patient_user)
    patient_pdf = _pdf_text(client.get(f"/api/v1/plans/{plan.pk}/pdf/"))
    assert "Your next session is at the clinic with your physiotherapist (1 of 3 supervised sessions" in patient_pdf
    client.force_login(world.clinician)
    report = _pdf_text(client.get(f"/api/v1/patients/{world.patient.pk}/report/pdf/"))
    assert "Supervised start: 1 of 3 supervised sessions done" in report
    assert "Medical clearance given by" in report
    assert "Cleared after review." in report
