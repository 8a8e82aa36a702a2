"""Forms of the staff plan page for medical clearance and a supervised session. Shape only."""

import uuid

from django import forms
from django.utils.translation import gettext, gettext_lazy

from rehab.services.clearance import NOTE_MAX_LENGTH


class ClearanceForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Clearance note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "What the clearance is based on: the review, tests or results, and any condition on it."
        ),
        error_messages={"required": gettext_lazy("Write what the clearance is based on.")},
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(gettext("Write what the clearance is based on."))
        return note


class SupervisedSessionForm(forms.Form):
    """A session the physiotherapist watched at the clinic, logged for the patient."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    date = forms.DateField(label=gettext_lazy("Date of the session"), widget=forms.DateInput(attrs={"type": "date"}))
    items = forms.MultipleChoiceField(
        label=gettext_lazy("Exercises done"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Untick any the patient did not do."),
    )
    pain_during = forms.IntegerField(label=gettext_lazy("Pain during (0-10)"), min_value=0, max_value=10)
    pain_after = forms.IntegerField(label=gettext_lazy("Pain after (0-10)"), min_value=0, max_value=10)
    session_rpe = forms.IntegerField(
        label=gettext_lazy("Effort, 6-20 (optional)"), min_value=6, max_value=20, required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, plan_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_items = {str(item.pk): item for item in plan_items}
        self.fields["items"].choices = [(key, item.exercise.name) for key, item in self.plan_items.items()]
        if not self.is_bound:
            # A new key each time the form is shown: a double click stores one session, not two.
            self.initial.setdefault("idempotency_key", f"page-{uuid.uuid4()}")
            self.initial.setdefault("items", list(self.plan_items))

    def session(self) -> dict:
        """The check-in fields, as rehab.services.clearance.supervised_session_record takes them."""
        data = self.cleaned_data
        done = set(data["items"])
        return {
            "date": data["date"],
            "pain_during": data["pain_during"],
            "pain_after": data["pain_after"],
            "session_rpe": data["session_rpe"],
            "notes": data["notes"],
            "items": [{"plan_item": item, "done": key in done} for key, item in self.plan_items.items()],
        }
