"""Forms of the plan pages: generate a draft, edit a dose, activate, resume, change the limits.

Input shape and plain-words help only, as in frontend.staff.forms; the services hold the rules.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from frontend.staff.forms import RegionsField, impact_choices, tag_choices
from planner.limits import ADJUSTABLE_FIELDS
from rehab.services.plans import MAX_PLAN_WEEKS


class PlanGenerateForm(forms.Form):
    start_date = forms.DateField(
        label=gettext_lazy("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Week 1 starts on this day."),
    )
    weeks = forms.IntegerField(
        label=gettext_lazy("Length in weeks"),
        min_value=1,
        max_value=MAX_PLAN_WEEKS,
        initial=12,
        help_text=format_lazy(gettext_lazy("1 to {weeks} weeks. 12 is usual for a first block."), weeks=MAX_PLAN_WEEKS),
    )

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value < timezone.localdate() - timedelta(days=28):
            raise forms.ValidationError(gettext("A plan cannot start more than four weeks ago."))
        return value


class DoseForm(forms.Form):
    """One item's dose. Only the fields of the item's dose kind are kept (see __init__).

    override_reason is always accepted; the page shows it once the dose was refused for a limit.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    frequency_per_week = forms.IntegerField(label=gettext_lazy("Sessions a week"), min_value=1, max_value=7)
    minutes = forms.DecimalField(
        label=gettext_lazy("Minutes a session"), min_value=0.5, max_value=240, decimal_places=1
    )
    sets = forms.IntegerField(label=gettext_lazy("Sets"), min_value=1, max_value=10)
    reps = forms.IntegerField(label=gettext_lazy("Repetitions a set"), min_value=1, max_value=100)
    hold_seconds = forms.IntegerField(label=gettext_lazy("Seconds a hold"), min_value=1, max_value=300)
    intensity_low = forms.IntegerField(label=gettext_lazy("Intensity from"), min_value=0, max_value=250)
    intensity_high = forms.IntegerField(label=gettext_lazy("Intensity up to"), min_value=0, max_value=250)
    reason = forms.CharField(
        label=gettext_lazy("Why change it (optional)"),
        required=False,
        max_length=1000,
        widget=forms.TextInput,
        help_text=gettext_lazy("Kept in the plan history."),
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Reason for going above the limit"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Only a physiotherapist can accept a dose above a limit. The reason is recorded and the "
            "clinician is alerted to review it."
        ),
    )

    UNIT_LABELS = {
        "pct_hrr": gettext_lazy("% of heart-rate reserve"),
        "rpe_6_20": gettext_lazy("effort, RPE 6-20"),
        "pct_1rm": gettext_lazy("% of 1RM"),
    }

    def __init__(self, *args, dose_kind: str, intensity_unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"minutes": ("minutes",), "sets_reps": ("sets", "reps"), "hold": ("sets", "hold_seconds")}[dose_kind]
        for name in ("minutes", "sets", "reps", "hold_seconds"):
            if name not in keep:
                del self.fields[name]
        if dose_kind == "hold":
            self.fields["sets"].label = gettext("Holds")
        unit = self.UNIT_LABELS.get(intensity_unit)
        if unit is None:  # dosed by feel: no number to edit
            del self.fields["intensity_low"], self.fields["intensity_high"]
        elif intensity_unit == "pct_1rm":  # a load is one value, not a range
            del self.fields["intensity_low"]
            self.fields["intensity_high"].label = gettext("Load (%(unit)s)") % {"unit": unit}
        else:
            self.fields["intensity_low"].label = gettext("Intensity from (%(unit)s)") % {"unit": unit}
            self.fields["intensity_high"].label = gettext("Intensity up to (%(unit)s)") % {"unit": unit}

    def changes(self) -> dict:
        names = ("frequency_per_week", "minutes", "sets", "reps", "hold_seconds", "intensity_low", "intensity_high")
        values = {name: self.cleaned_data.get(name) for name in names if name in self.fields}
        if values.get("minutes") is not None:
            values["minutes"] = float(values["minutes"])
        return {name: value for name, value in values.items() if value is not None}


class ActivateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResumeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Why the plan can resume"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example what you checked with the patient. It continues from the dose it was held at."
        ),
    )


# The limits a clinician may change on a page, with their form field names (no dots in HTML names).
LIMIT_FIELDS = (
    ("max_impact", "max_impact"),
    ("aerobic.max_rpe", "aerobic__max_rpe"),
    ("aerobic.max_hrr_pct", "aerobic__max_hrr_pct"),
    ("resistance.max_pct_1rm", "resistance__max_pct_1rm"),
    ("resistance.max_rpe", "resistance__max_rpe"),
    ("resistance.min_reps", "resistance__min_reps"),
    ("flexibility.max_hold_seconds", "flexibility__max_hold_seconds"),
    ("weekly_progression_max_pct", "weekly_progression_max_pct"),
    ("supervision_required", "supervision_required"),
    ("excluded_tags", "excluded_tags"),
    ("avoid_regions", "avoid_regions"),
    ("no_loading_regions", "no_loading_regions"),
)
FIELD_BY_PATH = dict(LIMIT_FIELDS)


def _bounded_int(label, path: str, help_text) -> forms.IntegerField:
    _kind, low, high = ADJUSTABLE_FIELDS[path]
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=help_text)


class LimitsForm(forms.Form):
    """Every adjustable limit, filled with its current value; only the ones changed are sent."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    max_impact = forms.ChoiceField(
        label=gettext_lazy("Highest impact allowed"),
        choices=impact_choices,
        help_text=gettext_lazy(
            "Low is brisk walking; moderate allows stamps, hops and jogging; none allows no impact at all."
        ),
    )
    aerobic__max_rpe = _bounded_int(
        gettext_lazy("Aerobic effort ceiling (RPE 6-20)"),
        "aerobic.max_rpe",
        gettext_lazy("11 is light, 13 somewhat hard."),
    )
    aerobic__max_hrr_pct = _bounded_int(
        gettext_lazy("Aerobic intensity ceiling (% of heart-rate reserve)"),
        "aerobic.max_hrr_pct",
        gettext_lazy("The heart-rate zone is recomputed from it."),
    )
    resistance__max_pct_1rm = _bounded_int(
        gettext_lazy("Strength load ceiling (% of 1RM)"),
        "resistance.max_pct_1rm",
        gettext_lazy("Heaviest load, as a share of one maximal lift."),
    )
    resistance__max_rpe = _bounded_int(
        gettext_lazy("Strength effort ceiling (RPE 6-20)"), "resistance.max_rpe", gettext_lazy("Effort of a set.")
    )
    resistance__min_reps = _bounded_int(
        gettext_lazy("Fewest repetitions a set"),
        "resistance.min_reps",
        gettext_lazy("Raising it means lighter loads (tighter)."),
    )
    flexibility__max_hold_seconds = _bounded_int(
        gettext_lazy("Longest stretch hold (seconds)"),
        "flexibility.max_hold_seconds",
        gettext_lazy("Shorter holds are gentler on the tissue."),
    )
    weekly_progression_max_pct = forms.DecimalField(
        label=gettext_lazy("Weekly growth cap (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=gettext_lazy("How much any exercise’s weekly volume may grow from one week to the next."),
    )
    supervision_required = forms.BooleanField(
        label=gettext_lazy("Supervised start"),
        required=False,
        help_text=gettext_lazy("A physiotherapist watches the first sessions."),
    )
    excluded_tags = forms.MultipleChoiceField(
        label=gettext_lazy("Movements excluded"),
        choices=tag_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Exercises with any ticked movement are removed from the plan."),
    )
    avoid_regions = RegionsField(
        label=gettext_lazy("No pressure or end-range stretch on"),
        help_text=gettext_lazy("The regions are still used, but never pressed or stretched."),
    )
    no_loading_regions = RegionsField(
        label=gettext_lazy("No loading at all on"), help_text=gettext_lazy("No exercise may load these regions.")
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed to loosen a limit; recorded in the plan history either way."),
    )

    def adjustments(self, current: dict) -> list[dict]:
        """The changed limits as service adjustments ({field, value}), in the form's order."""
        changed = []
        for path, name in LIMIT_FIELDS:
            value = self.cleaned_data.get(name)
            if isinstance(value, list):
                if set(value) == set(current[path]):
                    continue
                value = [v for v in (c for c, _ in self.fields[name].choices) if v in value]
            elif name == "weekly_progression_max_pct":
                value = float(value)
                value = int(value) if value.is_integer() else value
                if value == current[path]:
                    continue
            elif value == current[path]:
                continue
            changed.append({"field": path, "value": value})
        return changed
