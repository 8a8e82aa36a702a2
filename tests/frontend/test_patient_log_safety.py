"""The patient's log page asks where it hurt, which exercise, and (optionally) heart rate and oxygen."""

from rehab.models import Alert, AlertKind, CheckIn, PlanStatus
from tests.frontend.test_patient_pages import frozen, html_of, log_form_data, patient_client, plan  # noqa: F401


def test_the_log_page_asks_where_it_hurt_and_which_exercise(patient_client, plan):  # noqa: F811
    html = html_of(patient_client.get("/today/log/"))
    assert "If it hurt, where?" in html
    assert "The hard lump (calcified area)" in html
    assert "Did one exercise cause the pain?" in html
    assert "Lowest oxygen reading (%)" in html


def test_pain_site_exercise_and_oxygen_are_stored_and_a_low_reading_pauses_the_plan(
    patient_client,  # noqa: F811
    plan,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    form = patient_client.get("/today/log/")
    item = plan.items.first()
    data = log_form_data(form, pain_regions=["calcified_area", "muscles"], pain_item=str(item.pk), spo2_min="87")
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post("/today/log/", data)

    assert response.status_code == 302, html_of(response)
    checkin = CheckIn.objects.get()
    assert checkin.pain_regions == ["calcified_area", "muscles"]
    assert checkin.pain_item == item
    assert checkin.spo2_min == 87
    assert checkin.red_flags == ["low_oxygen"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    assert Alert.objects.filter(kind=AlertKind.RED_FLAG, urgent=True).exists()
    assert "call an ambulance" in html_of(patient_client.get(response["Location"]))


def test_an_impossible_heart_rate_is_shown_next_to_the_question_and_nothing_is_saved(
    patient_client,  # noqa: F811
    plan,  # noqa: F811
):
    form = patient_client.get("/today/log/")
    response = patient_client.post("/today/log/", log_form_data(form, heart_rate_avg="130", heart_rate_max="120"))

    assert response.status_code == 400
    assert 'id="e-heart_rate_max">The highest heart rate cannot be below the average.' in html_of(response)
    assert not CheckIn.objects.exists()
