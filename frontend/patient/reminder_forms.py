"""The patient's reminder choices as a form: on or off, days, time of day, quiet hours, next morning.

The form checks the shape of each answer; the rules across fields (a day when on, quiet hours with
both ends and not around the chosen time) are the service's, so the page and the API say the same.
"""

from django import forms
from django.utils.translation import gettext_lazy

# Labels and messages are lazy: read in the patient's language when the page renders.
DAY_CHOICES = [
    ("0", gettext_lazy("Monday")),
    ("1", gettext_lazy("Tuesday")),
    ("2", gettext_lazy("Wednesday")),
    ("3", gettext_lazy("Thursday")),
    ("4", gettext_lazy("Friday")),
    ("5", gettext_lazy("Saturday")),
    ("6", gettext_lazy("Sunday")),
]
ONOFF_CHOICES = [("on", gettext_lazy("On: remind me")), ("off", gettext_lazy("Off: no reminders"))]


def _time(label: object, required: bool) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Choose a time."),
            "invalid": gettext_lazy("Give a time as hours and minutes, e.g. 09:30."),
        },
    )


class ReminderPreferencesForm(forms.Form):
    use_required_attribute = False

    reminders = forms.ChoiceField(
        choices=ONOFF_CHOICES,
        widget=forms.RadioSelect,
        label=gettext_lazy("Reminders"),
        error_messages={
            "required": gettext_lazy("Choose on or off."),
            "invalid_choice": gettext_lazy("Choose on or off."),
        },
    )
    days = forms.MultipleChoiceField(
        choices=DAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("On these days"),
        error_messages={"invalid_choice": gettext_lazy("Choose days of the week from the list.")},
    )
    time_of_day = _time(gettext_lazy("At this time"), required=True)
    quiet_start = _time(gettext_lazy("Quiet from"), required=False)
    quiet_end = _time(gettext_lazy("Quiet until"), required=False)
    next_morning = forms.BooleanField(
        required=False, label=gettext_lazy("Ask about my pain the morning after a session")
    )

    @classmethod
    def initial_for(cls, prefs, reminders_on: bool) -> dict:
        return {
            "reminders": "on" if reminders_on else "off",
            "days": [str(day) for day in prefs.days],
            "time_of_day": prefs.time_of_day,
            "quiet_start": prefs.quiet_start,
            "quiet_end": prefs.quiet_end,
            "next_morning": prefs.next_morning,
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "reminders_on": data["reminders"] == "on",
            "days": [int(day) for day in data["days"]],
            "time_of_day": data["time_of_day"],
            "quiet_start": data["quiet_start"],
            "quiet_end": data["quiet_end"],
            "next_morning": data["next_morning"],
        }
