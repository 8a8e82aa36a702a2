"""Django's makemessages, also extracting the planner's ngettext_noop pairs (planner.translation): the
weekly decision's sentences with a count are stored as templates and said with their plural form
where they are shown, so their two forms must reach the catalogue as one plural entry."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=ngettext_noop:1,2"]
