"""Sign-in: clear messages, and lock-out after repeated failures."""

from tests.builders import PASSWORD


def test_a_wrong_password_shows_a_plain_message_and_keeps_the_username(world, client):
    response = client.post("/login/", {"username": world.physio.username, "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "username or password is not right" in html
    assert f'value="{world.physio.username}"' in html


def test_the_right_password_signs_in_and_lands_on_the_roles_start_page(world, client):
    response = client.post("/login/", {"username": world.physio.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code in (200, 302)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(world, client):
    for _ in range(5):
        client.post("/login/", {"username": world.physio.username, "password": "wrong"})
    response = client.post("/login/", {"username": world.physio.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "locked for a short time" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_api_token_endpoint_is_locked_out_too(world, api):
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": world.physio.username, "password": "wrong"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": world.physio.username, "password": PASSWORD}, format="json")
    # The locked account gets no token even with the right password.
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()


def test_a_patient_stays_signed_in_for_weeks_and_staff_for_a_working_day(world, client, settings):
    client.post("/login/", {"username": world.patient_user.username, "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.PATIENT_SESSION_AGE
    client.logout()
    client.post("/login/", {"username": world.physio.username, "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
