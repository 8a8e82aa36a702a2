"""Sign-in: clear messages, lock-out keyed on username + address, a throttle per address."""

from tests.builders import PASSWORD, make_user

# Documentation addresses (RFC 5737): only the test client's REMOTE_ADDR, no traffic is sent.
HOME, ELSEWHERE = "203.0.113.10", "198.51.100.20"


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
    html = response.content.decode()
    assert "locked for a short time" in html
    assert "You can try again after" in html
    assert "<time datetime=" in html
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_the_lock_out_holds_only_at_the_address_that_failed(world, client):
    for _ in range(5):
        client.post("/login/", {"username": world.physio.username, "password": "wrong"}, REMOTE_ADDR=ELSEWHERE)
    locked = client.post("/login/", {"username": world.physio.username, "password": PASSWORD}, REMOTE_ADDR=ELSEWHERE)
    assert locked.status_code == 429
    # The clinician at the clinic is not locked out by a stranger's five requests.
    ok = client.post("/login/", {"username": world.physio.username, "password": PASSWORD}, REMOTE_ADDR=HOME)
    assert ok.status_code == 302


def test_one_address_guessing_across_many_usernames_is_stopped(world, client, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 20
    statuses = [
        client.post("/login/", {"username": f"nobody{n}", "password": "guess"}, REMOTE_ADDR=ELSEWHERE).status_code
        for n in range(40)
    ]
    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429] * 20
    refused = client.post("/login/", {"username": world.physio.username, "password": PASSWORD}, REMOTE_ADDR=ELSEWHERE)
    assert refused.status_code == 429
    assert "Too many failed sign-ins from this network" in refused.content.decode()
    # Every login surface refuses that address, and other addresses are untouched.
    admin = client.post("/admin/login/", {"username": "x", "password": "y"}, REMOTE_ADDR=ELSEWHERE)
    assert admin.status_code == 429
    api = client.post(
        "/api/v1/auth/token/",
        {"username": "x", "password": "y"},
        content_type="application/json",
        REMOTE_ADDR=ELSEWHERE,
    )
    assert api.status_code == 429
    assert "locked_until" in api.json()
    ok = client.post("/login/", {"username": world.physio.username, "password": PASSWORD}, REMOTE_ADDR=HOME)
    assert ok.status_code == 302


def test_the_admin_sign_in_is_locked_out_too(world, client):
    superuser = make_user(world.clinic, "clinic_admin")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    for _ in range(5):
        client.post("/admin/login/", {"username": superuser.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": superuser.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "locked for a short time" in response.content.decode()


def test_the_api_token_endpoint_is_locked_out_too(world, api):
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": world.physio.username, "password": "wrong"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": world.physio.username, "password": PASSWORD}, format="json")
    # The locked account gets no token even with the right password, and is told until when.
    assert response.status_code == 429
    body = response.json()
    assert "token" not in body
    assert "locked for a short time" in body["detail"]
    assert "Try again after" in body["detail"]
    assert body["locked_until"]


def test_a_patient_stays_signed_in_for_weeks_and_staff_for_a_working_day(world, client, settings):
    client.post("/login/", {"username": world.patient_user.username, "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.PATIENT_SESSION_AGE
    client.logout()
    client.post("/login/", {"username": world.physio.username, "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
