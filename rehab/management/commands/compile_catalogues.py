"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po -> .mo) with Python only.

Django's `compilemessages` needs GNU gettext's msgfmt; this does the same with polib (a pinned
development package), so a machine with only Python can rebuild the .mo files after a .po edit. The
.mo files are committed beside their .po files: the app serves every shipped language with no build
step, and tests/rehab/test_catalogues.py fails when a .mo no longer says what its .po says.
Extracting new strings (`manage.py makemessages -l es ...`, see README) still needs xgettext.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_files() -> list[Path]:
    """Every .po file under the project's locale directories."""
    return sorted(po for root in settings.LOCALE_PATHS for po in Path(root).glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po into its .mo (Python only; needs polib)."
    requires_system_checks: list[str] = []  # only reads and writes catalogue files

    def handle(self, *args: object, **options: object) -> None:
        import polib  # a development package: the running app reads the committed .mo files

        for po_path in catalogue_files():
            catalogue = polib.pofile(str(po_path))
            mo_path = po_path.with_suffix(".mo")
            catalogue.save_as_mofile(str(mo_path))
            self.stdout.write(f"{mo_path} ({len(catalogue.translated_entries())} entries)")
