"""API tokens: one query to authenticate, expired tokens refused and purged by the daily task."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken

from rehab import tasks
from rehab.api.checkins import CheckInSerializer
from rehab.api.token_auth import TokenAuthentication
from tests.conftest import client_for  # noqa: F401  (the fixtures' module)


def _token(user, expiry):
    instance, key = AuthToken.objects.create(user=user, expiry=expiry)
    return instance, key


def test_a_valid_token_is_checked_with_one_query(world):
    _instance, key = _token(world.physio, timedelta(hours=1))
    _token(world.physio, timedelta(hours=1))  # another device: not read
    with CaptureQueriesContext(connection) as seen:
        user, _auth = TokenAuthentication().authenticate_credentials(key.encode())
    assert user == world.physio
    assert len(seen) == 1


def test_an_expired_token_is_refused_and_deleted(world, api):
    instance, key = _token(world.physio, timedelta(hours=1))
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    response = api.get("/api/v1/patients/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


def test_the_daily_task_deletes_the_other_expired_tokens_a_request_leaves(world, api):
    live, key = _token(world.physio, timedelta(hours=1))
    stale, _ = _token(world.physio, timedelta(hours=1))
    AuthToken.objects.filter(pk=stale.pk).update(expiry=timezone.now() - timedelta(days=1))
    assert api.get("/api/v1/patients/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert AuthToken.objects.filter(pk=stale.pk).exists()  # not swept on every request any more

    assert tasks.purge_expired_tokens() == 1

    assert not AuthToken.objects.filter(pk=stale.pk).exists()
    assert AuthToken.objects.filter(pk=live.pk).exists()


def test_serializers_built_once_still_give_each_request_its_own_fields():
    first, second = CheckInSerializer(), CheckInSerializer()
    assert set(first.fields) == set(second.fields)
    assert first.fields["items"] is not second.fields["items"]
    assert first.fields["items"].child is not second.fields["items"].child
    first.fields["session_rpe"].required = True
    assert CheckInSerializer().fields["session_rpe"].required is False
