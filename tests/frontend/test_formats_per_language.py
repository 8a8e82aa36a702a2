"""Numbers, dates and units read as the reader's language writes them: a decimal comma and Spanish
day and month names in Spanish; units said in words translated, symbols (kg, min, s) as they are."""

from datetime import date
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from frontend.templatetags.staff_plan import measure_value
from planner.documents.wording import date_words, dose_words
from planner.types import Dose
from rehab.models import Measurement


def test_a_measured_value_takes_the_languages_decimal_mark_and_unit_words():
    grip = Measurement(kind="grip_left_kg", value=Decimal("12.5"))
    stands = Measurement(kind="chair_stand_30s", value=Decimal("11"))
    assert measure_value(grip) == "12.5 kg"
    with translation.override("es"):
        assert measure_value(grip) == "12,5 kg"
        assert measure_value(stands) == "11 levantadas"


def test_a_template_number_and_date_follow_the_language():
    page = Template('{{ value }} kg · {{ day|date:"l j F Y" }} · {{ day|date:_("l j F") }}')
    context = Context({"value": 7.5, "day": date(2026, 11, 4)})
    assert page.render(context) == "7.5 kg · Wednesday 4 November 2026 · Wednesday 4 November"
    with translation.override("es"):
        assert page.render(context) == "7,5 kg · miércoles 4 noviembre 2026 · miércoles 4 de noviembre"


def test_the_engines_dates_and_doses_speak_the_language():
    day = date(2026, 5, 6)
    dose = Dose(component="aerobic", dose_kind="minutes", frequency_per_week=3, intensity=(), minutes=10.5)
    assert (date_words(day), dose_words(dose)) == ("Wed 6 May", "10½ minutes")
    with translation.override("es"):
        # "May" the abbreviation, not Django's full month name "May" ("mayo").
        assert (date_words(day, year=True), dose_words(dose)) == ("mié 6 may 2026", "10½ minutos")
