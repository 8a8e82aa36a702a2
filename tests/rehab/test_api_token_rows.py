"""The tokens a presented key may be are read as the ORM's select_related query reads them: the same rows,
every field converted alike, the same related rows attached, so reading them afterwards costs no query."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from knox.models import AuthToken

from rehab.models import Patient, User
from rehab.selectors.api_tokens import api_tokens_for_key


def _orm(token_key: str) -> list[AuthToken]:
    return list(AuthToken.objects.filter(token_key=token_key).select_related("user__patient_record__clinic"))


def _fields(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in type(row)._meta.concrete_fields}


@pytest.mark.parametrize("who", ["patient_user", "physio", "foreign_physio", "other_patient_user"])
def test_a_token_comes_with_the_same_fields_and_related_rows_as_the_orm_gives(world, who, django_assert_num_queries):
    user = getattr(world, who)
    AuthToken.objects.create(user=user, expiry=timedelta(days=1))
    key = AuthToken.objects.get(user=user).token_key

    expected = _orm(key)
    with django_assert_num_queries(1):
        found = api_tokens_for_key(key)
        # Everything the token check and the language choice read is attached: no further query.
        login = found[0].user
        record = getattr(login, "patient_record", None)
        clinic = record.clinic if record is not None else None
        back = record.user if record is not None else None

    assert len(found) == len(expected) == 1
    assert _fields(found[0]) == _fields(expected[0])
    assert _fields(login) == _fields(expected[0].user)
    assert type(login) is User
    has_record = hasattr(expected[0].user, "patient_record")
    assert (record is not None) is has_record
    if has_record:
        assert type(record) is Patient
        assert _fields(record) == _fields(expected[0].user.patient_record)
        assert _fields(clinic) == _fields(expected[0].user.patient_record.clinic)
        assert back is login
    for row in (found[0], login, *([record, clinic] if has_record else [])):
        assert row._state.adding is False
        assert row._state.db == "default"


def test_an_unknown_key_finds_nothing_and_two_tokens_sharing_a_key_are_both_found(world):
    assert api_tokens_for_key("nothing!") == []
    AuthToken.objects.create(user=world.physio)
    first = AuthToken.objects.get(user=world.physio)
    twin = AuthToken.objects.create(user=world.patient_user)[0]
    AuthToken.objects.filter(pk=twin.pk).update(token_key=first.token_key)

    found = api_tokens_for_key(first.token_key)

    assert sorted(row.digest for row in found) == sorted(row.digest for row in _orm(first.token_key))
    assert {row.user.pk for row in found} == {world.physio.pk, world.patient_user.pk}
    assert not isinstance(found[0].user, AnonymousUser)
