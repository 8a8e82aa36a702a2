"""Forms of the patient pages: log a session, next-morning pain, "something is wrong".

Every choice is a big radio button or checkbox, so a patient never types a number. The scales
carry words as well as numbers (Borg 6-20 for effort, 0-10 for pain), in the words the printed
plan uses, so a patient reads the same thing on paper and on the phone. Every label, choice and
message is lazy: it is read in the language of the page that renders the form (the patient's).
"""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from planner.documents.wording import borg_words
from planner.effort import CR10, cr10_words
from planner.vocabulary import PAIN_SITES, RED_FLAGS

# Pain words of the 0-10 numeric rating scale, as the plan explains it to patients.
PAIN_BANDS = (
    (0, 0, gettext_noop("no pain")),
    (1, 3, gettext_noop("mild")),
    (4, 6, gettext_noop("moderate")),
    (7, 10, gettext_noop("severe")),
)


def pain_word(value: int) -> str:
    for low, high, word in PAIN_BANDS:
        if low <= value <= high:
            return gettext(word)
    raise ValueError(f"Pain runs from 0 to 10, not {value!r}")


# Choices are built once, at import: each label is a lazy string, translated when a page shows it.
_lazy_pain_word = lazy(pain_word, str)
_lazy_borg_words = lazy(borg_words, str)
_lazy_cr10_words = lazy(cr10_words, str)
_lazy_gettext = lazy(gettext, str)  # for texts marked elsewhere (rehab/patient_words.py)

PAIN_CHOICES = [(n, _lazy_pain_word(n)) for n in range(11)]
EFFORT_CHOICES = [(n, _lazy_borg_words(n)) for n in range(6, 21)]
# The 0-10 effort scale (planner.effort): fewer taps, stored with its 6-20 equivalent.
CR10_CHOICES = [(n, _lazy_cr10_words(n)) for n in range(11)]
CR10_MISSING = gettext_lazy("Choose how hard the exercises felt, from 0 to 10.")
RPE_MISSING = gettext_lazy("Choose how hard the exercises felt, from 6 to 20.")
RED_FLAG_CHOICES = [(flag.code, _lazy_gettext(flag.label)) for flag in RED_FLAGS]
PAIN_SITE_CHOICES = [(site.code, _lazy_gettext(site.label)) for site in PAIN_SITES]
NOTE_MAX = 1000


def _note_too_long() -> str:
    return gettext("Please keep the note under %(count)s characters.") % {"count": NOTE_MAX}


NOTE_TOO_LONG = lazy(_note_too_long, str)()
HEART_RATE_RANGE = gettext_lazy("Heart rate runs from 30 to 230.")


def _scale(choices, required_message: str, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=choices,
        coerce=int,
        required=required,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def _reading(label: str, low: int, high: int, out_of_range: str) -> forms.IntegerField:
    """An optional number read off a device (heart rate, oxygen), with one message for both bounds."""
    return forms.IntegerField(
        required=False,
        min_value=low,
        max_value=high,
        label=label,
        error_messages={"min_value": out_of_range, "max_value": out_of_range},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PatientForm(forms.Form):
    # Radios and checkboxes carry no "required" attribute: the server says what is missing, next
    # to the question, in words, instead of a browser bubble that disappears.
    use_required_attribute = False

    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def _post_clean(self):
        super()._post_clean()
        # Point a text box at its error message, so a screen reader reads them together.
        for name in self.errors:
            if name in self.fields and not isinstance(self.fields[name].widget, forms.RadioSelect):
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"e-{name}"})


def _amounts() -> dict[str, forms.Field]:
    """Hidden per-exercise amounts, within the bounds of CheckInItem's columns."""
    hidden = forms.HiddenInput
    return {
        "sets": forms.IntegerField(required=False, min_value=0, max_value=20, widget=hidden),
        "reps": forms.IntegerField(required=False, min_value=0, max_value=200, widget=hidden),
        "minutes": forms.DecimalField(
            required=False, min_value=0, max_value=300, max_digits=5, decimal_places=1, widget=hidden
        ),
    }


class SessionLogForm(PatientForm):
    """One session: done or not per exercise, effort, pain during and after, an optional note.

    `rows` are (PlanItem, exercise name, done by default); each becomes a checkbox `item_<pk>`
    (ticked = done). `allowed_days` are the days the patient may log from this page.
    """

    date = forms.DateField(widget=forms.HiddenInput)
    session_rpe = _scale(EFFORT_CHOICES, RPE_MISSING, required=False)
    pain_during = _scale(PAIN_CHOICES, gettext_lazy("Choose how much pain you had during the exercises, from 0 to 10."))
    pain_after = _scale(PAIN_CHOICES, gettext_lazy("Choose how much pain you had after the exercises, from 0 to 10."))
    pain_regions = forms.MultipleChoiceField(
        choices=PAIN_SITE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Where did it hurt?"),
    )
    heart_rate_avg = _reading(gettext_lazy("Average heart rate (beats a minute)"), 30, 230, HEART_RATE_RANGE)
    heart_rate_max = _reading(gettext_lazy("Highest heart rate (beats a minute)"), 30, 230, HEART_RATE_RANGE)
    spo2_min = _reading(
        gettext_lazy("Lowest oxygen reading (%)"), 50, 100, gettext_lazy("Oxygen runs from 50 to 100 %.")
    )
    notes = forms.CharField(
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": NOTE_TOO_LONG},
    )

    def __init__(self, *args, rows, allowed_days: list[date], effort_scale: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.allowed_days = allowed_days
        # On the 0-10 scale the answer is effort_value; the 6-20 question is not asked.
        self.effort_scale = effort_scale if effort_scale == CR10 else ""
        if self.effort_scale:
            del self.fields["session_rpe"]
            self.fields["effort_value"] = _scale(CR10_CHOICES, CR10_MISSING, required=False)
        for plan_item, name, done in rows:
            self.fields[f"item_{plan_item.pk}"] = forms.BooleanField(required=False, initial=done, label=name)
            # What a followed session counted (follow.js adds these hidden fields): sets done, the fewest
            # repetitions in a set, minutes done. Absent when the patient only ticked.
            for amount, field in _amounts().items():
                self.fields[f"{amount}_{plan_item.pk}"] = field
        # Which exercise hurt: placed pain takes back only that exercise at the week's end.
        self.fields["pain_item"] = forms.TypedChoiceField(
            choices=[("", gettext("I can't tell / none"))] + [(str(item.pk), name) for item, name, _done in rows],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            label=gettext("Did one exercise cause the pain?"),
        )

    @property
    def item_fields(self):
        return [self[f"item_{plan_item.pk}"] for plan_item, _name, _done in self.rows]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day not in self.allowed_days:
            raise forms.ValidationError(gettext("You can log today or one of the last few days of your plan."))
        return day

    def clean(self):
        cleaned = super().clean()
        effort = "effort_value" if self.effort_scale else "session_rpe"
        if self.done_items() and cleaned.get(effort) is None and effort not in self.errors:
            self.add_error(effort, CR10_MISSING if self.effort_scale else RPE_MISSING)
        average, highest = cleaned.get("heart_rate_avg"), cleaned.get("heart_rate_max")
        if average is not None and highest is not None and average > highest:
            self.add_error("heart_rate_max", gettext("The highest heart rate cannot be below the average."))
        return cleaned

    @property
    def effort_field(self):
        return self["effort_value"] if self.effort_scale else self["session_rpe"]

    def effort(self) -> dict:
        """The effort as checkin_record takes it: a 6-20 answer, or a 0-10 answer with its scale."""
        if self.effort_scale:
            return {"effort_scale": self.effort_scale, "effort_value": self.cleaned_data.get("effort_value")}
        return {"session_rpe": self.cleaned_data.get("session_rpe")}

    def painful_item(self):
        """The PlanItem the patient said hurt, or None."""
        chosen = self.cleaned_data.get("pain_item")
        return next((item for item, _name, _done in self.rows if item.pk == chosen), None)

    def done_items(self) -> list:
        return [plan_item for plan_item, _name, _done in self.rows if self.cleaned_data.get(f"item_{plan_item.pk}")]

    def items(self) -> list[dict]:
        """The check-in items checkin_record takes: every exercise shown, done or not."""
        items = []
        for plan_item, _name, _done in self.rows:
            done = bool(self.cleaned_data.get(f"item_{plan_item.pk}"))
            item = {"plan_item": plan_item, "done": done}
            if done:  # amounts of an exercise not done mean nothing
                for amount in _amounts():
                    value = self.cleaned_data.get(f"{amount}_{plan_item.pk}")
                    if value:
                        item[amount] = value
            items.append(item)
        return items


class NextMorningForm(forms.Form):
    checkin = forms.IntegerField(widget=forms.HiddenInput)
    pain_next_morning = _scale(PAIN_CHOICES, gettext_lazy("Choose how much pain you have this morning, from 0 to 10."))


PAIN_NOW_MISSING = gettext_lazy("Choose how much pain you have right now, from 0 to 10.")


class SomethingWrongForm(PatientForm):
    """The red flags as big checkboxes; the pain right now when no session is logged today."""

    red_flags = forms.MultipleChoiceField(
        choices=RED_FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick what is happening.")},
    )
    pain_now = _scale(PAIN_CHOICES, PAIN_NOW_MISSING, required=False)
    notes = forms.CharField(
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": NOTE_TOO_LONG},
    )

    def __init__(self, *args, needs_pain: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_pain = needs_pain

    def clean(self):
        cleaned = super().clean()
        if self.needs_pain and cleaned.get("pain_now") is None and "pain_now" not in self.errors:
            self.add_error("pain_now", PAIN_NOW_MISSING)
        return cleaned
