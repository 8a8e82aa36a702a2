"""The record's coded values (plan statuses, alert kinds, what was read, how a sign-in link ended ...)
are said by their models' labels, in the reader's language: one source for the admin, the API and the
pages."""

import importlib
import inspect
import pkgutil

import pytest
from django.db import models
from django.utils import translation

import rehab.models
from rehab.models import AccessKind, ActivationEnd, Alert, AlertKind, Plan, PlanStatus

MODULES = [importlib.import_module(f"rehab.models.{info.name}") for info in pkgutil.iter_modules(rehab.models.__path__)]
CHOICES = sorted(
    {
        value
        for module in MODULES
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, models.Choices) and value.__module__ == module.__name__
    },
    key=lambda kind: kind.__name__,
)


def test_the_models_name_the_choices_the_brief_lists():
    names = {kind.__name__ for kind in CHOICES}
    assert names >= {
        "AccessKind",
        "ActivationChannel",
        "ActivationEnd",
        "AlertKind",
        "ChangeTrigger",
        "CheckInKind",
        "EffortScale",
        "PlanStatus",
        "ReminderChannel",
        "ReminderKind",
        "Role",
    }


@pytest.mark.parametrize("kind", CHOICES, ids=lambda kind: kind.__name__)
def test_every_choice_label_reads_in_spanish(kind):
    english = {member.value: str(member.label) for member in kind}
    with translation.override("es"):
        spanish = {member.value: str(member.label) for member in kind}
    # "plan" is "plan" in Spanish too; every other label must change.
    untranslated = [value for value in english if spanish[value] == english[value] and english[value] != "plan"]
    assert untranslated == []


def test_a_stored_rows_display_follows_the_active_language():
    plan, alert = Plan(status=PlanStatus.PAUSED), Alert(kind=AlertKind.RED_FLAG)
    assert (plan.get_status_display(), alert.get_kind_display()) == ("Paused", "Red flag reported")
    with translation.override("es"):
        assert (plan.get_status_display(), alert.get_kind_display()) == ("En pausa", "Señal de alarma notificada")
        assert str(AccessKind.PATIENT.label) == "historia del paciente"
        assert str(ActivationEnd.REPLACED.label) == "Sustituido por un enlace más reciente"
