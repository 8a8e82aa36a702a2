"""What a history row adds to django-simple-history's own columns: its reason's template.

A service that words a change's reason as a sentence (planner.progression.said) sets `_change_said`
beside `_change_reason` on the instance it saves; the history row keeps the template, so the audit trail
and the plan history say the reason in the reader's language (rehab.stored_words). Plans and patient
records keep it.
"""

from django.db import models


class ChangeSaid(models.Model):
    history_change_said = models.JSONField(
        null=True,
        blank=True,
        help_text="history_change_reason as a catalogue template with its values (planner.progression.said), "
        "so that the audit trail says it in the reader's language; null for a reason kept only in English.",
    )

    class Meta:
        abstract = True


def keep_the_reasons_template(sender, instance, history_instance, **kwargs) -> None:
    """The history row takes the template the service set for this save, once (a later save without one
    must not reuse it: rehab.stored_words would show it only while its English matched, but it is not
    that save's)."""
    history_instance.history_change_said = instance.__dict__.pop("_change_said", None)
