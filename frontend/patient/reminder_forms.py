"""The patient's reminder choices as a form: on or off, days, time of day, quiet hours, next morning.

The form checks the shape of each answer; the rules across fields (a day when on, quiet hours with
both ends and not around the chosen time) are the service's, so the page and the API say the same.
"""

from django import forms

from rehab.models.reminders import WEEKDAY_NAMES

DAY_CHOICES = [(str(day), name) for day, name in enumerate(WEEKDAY_NAMES)]
ONOFF_CHOICES = [("on", "On: remind me"), ("off", "Off: no reminders")]


def _time(label: str, required: bool) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        error_messages={"required": "Choose a time.", "invalid": "Give a time as hours and minutes, e.g. 09:30."},
    )


class ReminderPreferencesForm(forms.Form):
    use_required_attribute = False

    reminders = forms.ChoiceField(
        choices=ONOFF_CHOICES,
        widget=forms.RadioSelect,
        label="Reminders",
        error_messages={"required": "Choose on or off.", "invalid_choice": "Choose on or off."},
    )
    days = forms.MultipleChoiceField(
        choices=DAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="On these days",
        error_messages={"invalid_choice": "Choose days of the week from the list."},
    )
    time_of_day = _time("At this time", required=True)
    quiet_start = _time("Quiet from", required=False)
    quiet_end = _time("Quiet until", required=False)
    next_morning = forms.BooleanField(required=False, label="Ask about my pain the morning after a session")

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
