"""Staff choose the language of their own pages; the care team chooses a new patient's."""

from rehab.models import Patient, User


def test_a_physiotherapist_chooses_spanish_and_reads_their_pages_in_it(client, world):
    client.force_login(world.physio)
    answer = client.post("/account/", {"language": "es"}, follow=True)
    assert answer.status_code == 200
    assert User.objects.get(pk=world.physio.pk).language == "es"
    page = client.get("/caseload/")
    assert page["Content-Language"] == "es"
    html = page.content.decode()
    assert "Pacientes asignados" in html
    assert "Buscar un paciente por nombre" in html


def test_going_back_to_the_browsers_language(client, world):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    client.force_login(world.physio)
    client.post("/account/", {"language": ""})
    assert User.objects.get(pk=world.physio.pk).language == ""
    assert "Find a patient by name" in client.get("/caseload/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_language_not_offered_is_refused(client, world):
    client.force_login(world.physio)
    assert client.post("/account/", {"language": "xx"}).status_code == 400
    assert User.objects.get(pk=world.physio.pk).language == ""


def test_a_patient_login_has_no_staff_settings(client, world):
    client.force_login(world.patient_user)
    assert client.get("/account/").status_code == 403


def test_the_care_team_registers_a_patient_who_reads_spanish(client, world):
    client.force_login(world.physio)
    form = client.get("/patients/new/").content.decode()
    assert 'name="language"' in form
    answer = client.post(
        "/patients/new/",
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "date_of_birth": "1970-03-02",
            "sex": "female",
            "time_zone": "Europe/Madrid",
            "language": "es",
            "care_team": [world.clinician.pk],
        },
    )
    assert answer.status_code == 302
    assert Patient.objects.get(first_name="Ana").language_code == "es"


def test_the_new_patient_form_speaks_spanish_to_a_spanish_physiotherapist(client, world):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    client.force_login(world.physio)
    html = client.get("/patients/new/").content.decode()
    assert "Registrar un paciente" in html
    assert "Fecha de nacimiento" in html
    assert "Zona horaria" in html
    answer = client.post("/patients/new/", {"first_name": "Ana", "date_of_birth": "2999-01-01"})
    assert answer.status_code == 400
    assert "La fecha de nacimiento no puede ser futura." in answer.content.decode()
