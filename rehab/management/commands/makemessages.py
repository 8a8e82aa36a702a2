"""Django's makemessages, also extracting the planner's ngettext_noop pairs (planner.translation): the
weekly decision's sentences with a count are stored as templates and said with their plural form
where they are shown, so their two forms must reach the catalogue as one plural entry.

The tests are left out: what a test passes to gettext is sample text, not the product's wording, and
would otherwise reach the shipped catalogue (and ask translators for it). So is var/, the running
app's own files, which may hold another program's sources (the PDF bench installs wger and its
Django there: their messages are not ours)."""

from typing import Any

from django.core.management.commands import makemessages

NOT_THE_PRODUCT = ["tests/*", "var/*"]


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=ngettext_noop:1,2"]

    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *NOT_THE_PRODUCT]
        super().handle(*args, **options)
