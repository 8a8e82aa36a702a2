"""seed_demo refuses production (DEBUG=false) unless --force."""

import pytest
from django.core.management import CommandError, call_command

from rehab.models import User


def test_it_refuses_with_debug_off_and_says_why(db, settings):
    settings.SEED_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
    assert not User.objects.filter(username="physio").exists()


def test_force_seeds_anyway(db, settings):
    settings.SEED_DEMO_ALLOWED = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="physio").exists()
