"""The clinic's emergency number: its own setting, else its country's, else its phone's calling code's,
else 112; the fields are validated."""

import pytest
from django.core.exceptions import ValidationError

from rehab.emergency import country_from_phone, emergency_number_for
from rehab.models import Clinic


@pytest.mark.parametrize(
    ("country", "phone", "number"),
    [
        ("GB", "", "999"),
        ("US", "", "911"),
        ("AU", "", "000"),
        ("CH", "+41 44 000 00 00", "144"),
        ("", "+44 20 0000 0000", "999"),
        ("", "0044 20 0000 0000", "999"),
        ("", "+1 415 555 0100", "911"),
        ("", "+353 1 000 0000", "112"),
        ("", "020 0000 0000", "112"),
        ("ZZ", "", "112"),
    ],
)
def test_the_default_number_comes_from_the_country_then_the_phone(country, phone, number):
    assert emergency_number_for(country=country, phone=phone) == number


def test_a_calling_code_is_read_longest_first():
    assert country_from_phone("+353 1 000 0000") == "353"
    assert country_from_phone("+44 20") == "44"
    assert country_from_phone("no number") is None


def test_the_clinic_setting_wins_over_the_default():
    assert Clinic(name="A", phone="+44 20 0000 0000").emergency_tel == "999"
    assert Clinic(name="A", phone="+44 20 0000 0000", country="FR").emergency_tel == "112"
    assert Clinic(name="A", phone="+44 20 0000 0000", emergency_number="15").emergency_tel == "15"


@pytest.mark.parametrize(
    ("field", "value"), [("emergency_number", "9"), ("emergency_number", "99x"), ("country", "gb"), ("country", "GBR")]
)
def test_a_malformed_number_or_country_is_refused(field, value):
    clinic = Clinic(name="A", **{field: value})
    with pytest.raises(ValidationError) as refused:
        clinic.full_clean()
    assert field in refused.value.message_dict


def test_a_well_formed_setting_passes():
    Clinic(name="A", country="GB", emergency_number="999").full_clean()
