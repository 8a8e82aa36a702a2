"""Forms of the staff pages: input shape and plain-words help only; the services hold the rules.

Each choice of a clinical field explains itself (what "osteoporosis" or "monitor" means here and
what the plan does about it), so a physiotherapist can fill the assessment without a manual.
"""

import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from planner.limits import ADJUSTABLE_FIELDS
from planner.vocabulary import (
    BODY_REGIONS,
    EQUIPMENT,
    IMPACT_LEVELS,
    LAB_MEASURE_CODES,
    MEASURES,
    MOVEMENT_TAGS,
    SEXES,
)
from rehab import text_limits
from rehab.services.plans import MAX_PLAN_WEEKS

SIDE_WORDS = {"left": "left", "right": "right"}
REGION_NOUNS = {
    "neck": "Neck",
    "shoulder": "Shoulder",
    "elbow": "Elbow",
    "wrist_hand": "Wrist and hand",
    "chest": "Chest",
    "upper_back": "Upper back",
    "lower_back": "Lower back",
    "abdomen": "Abdomen",
    "hip": "Hip",
    "gluteal": "Buttock (gluteal region)",
    "thigh": "Thigh",
    "knee": "Knee",
    "calf": "Calf",
    "ankle_foot": "Ankle and foot",
}


def region_label(region: str) -> str:
    """ "gluteal_left" -> "Buttock (gluteal region), left"."""
    base, _, side = region.rpartition("_")
    if side in SIDE_WORDS:
        return f"{REGION_NOUNS.get(base, base.replace('_', ' ').capitalize())}, {side}"
    return REGION_NOUNS.get(region, region.replace("_", " ").capitalize())


def words(value: str) -> str:
    return value.replace("_", " ").capitalize()


class DescribedRadioSelect(forms.RadioSelect):
    """Radio buttons whose options each carry a plain-words description, tied by aria-describedby.

    The label stays short ("Osteoporosis") so it reads well and can be found by name; the
    description says what the choice means and what the plan does about it.
    """

    def __init__(self, descriptions: dict[str, str], **kwargs):
        super().__init__(**kwargs)
        self.descriptions = descriptions

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["description"] = self.descriptions.get(value, "")
        if option["attrs"].get("id") and option["description"]:
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_desc"
        return option


def _described(options: dict[str, tuple[str, str]]) -> dict:
    """Field arguments for a choice whose options are (name, what it means)."""
    return {
        "choices": [(value, name) for value, (name, _description) in options.items()],
        "widget": DescribedRadioSelect({value: description for value, (_name, description) in options.items()}),
    }


BONE_FRAGILITY_WORDS = {
    "none": ("None known", "No bone weakness known or suspected."),
    "low_bone_mass": (
        "Low bone mass",
        "Bone density below normal without osteoporosis (osteopenia, DXA T-score between -1 and -2.5). "
        "The plan lowers the impact it allows.",
    ),
    "osteoporosis": (
        "Osteoporosis",
        "DXA T-score -2.5 or lower, or diagnosed osteoporosis, with no fracture from a minor fall. "
        "No loaded bending or twisting of the spine, no floor exercises, a supervised start and slower growth.",
    ),
    "fragility_fracture": (
        "Fragility fracture",
        "A bone broke after a fall from standing height or less. Impact stays at brisk-walking level and "
        "strength work starts lighter.",
    ),
}
INFLAMMATION_WORDS = {
    "inactive": (
        "Inactive",
        "No sign of active myositis, fasciitis or panniculitis (clinically, in blood tests or on MRI).",
    ),
    "low": ("Low", "Slight activity, stable strength. Aerobic work stays at moderate effort at most."),
    "moderate": (
        "Moderate",
        "Clear activity, for example oedema of muscle, fascia or fat on MRI or a raised CK. Light effort only, "
        "no fast or heavy lowering work, supervised start, slower growth.",
    ),
    "high": (
        "High",
        "Severe or rising activity (new weakness, widespread oedema, a high CK). The lightest strength work only.",
    ),
}
CARDIOPULMONARY_WORDS = {
    "cleared": ("Cleared", "No heart or lung condition limits exercise."),
    "monitor": (
        "Monitor",
        "A heart or lung condition to watch (for example interstitial lung disease or myocarditis in the past): "
        "aerobic effort stays moderate.",
    ),
    "restricted": (
        "Restricted",
        "A heart or lung condition that restricts exercise: light aerobic effort only and a supervised start.",
    ),
}
REGION_CHOICES = [(region, region_label(region)) for region in BODY_REGIONS]
EQUIPMENT_CHOICES = [(item, words(item)) for item in EQUIPMENT if item != "none"]
MEASURE_CHOICES = [(measure.code, f"{measure.label} ({measure.unit})") for measure in MEASURES]
TAG_CHOICES = [(tag, words(tag)) for tag in MOVEMENT_TAGS]
IMPACT_CHOICES = [(level, words(level)) for level in IMPACT_LEVELS]


class RegionsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=REGION_CHOICES, required=False, **kwargs)


def _not_future(value, what: str):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{what} cannot be in the future.")
    return value


# The sexes as the form says them (planner.vocabulary.SEXES codes).
SEX_WORDS = {
    "female": gettext_lazy("Female"),
    "male": gettext_lazy("Male"),
    "other": gettext_lazy("Other"),
    "unknown": gettext_lazy("Unknown"),
}


class PatientForm(forms.Form):
    first_name = forms.CharField(
        max_length=150, label=gettext_lazy("First name"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        max_length=150, label=gettext_lazy("Last name"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    date_of_birth = forms.DateField(
        label=gettext_lazy("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Used for the age-based rules (heart rate, loads)."),
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"), choices=[(s, SEX_WORDS.get(s, words(s))) for s in SEXES], widget=forms.RadioSelect
    )
    diagnoses = forms.CharField(
        required=False,
        max_length=text_limits.DIAGNOSES * (text_limits.DIAGNOSIS + 1),
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Diagnoses"),
        help_text=gettext_lazy("One per line, in plain words, for example “Dermatomyositis with active myositis”."),
    )
    phone = forms.CharField(
        max_length=40, required=False, label=gettext_lazy("Phone"), widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(
        required=False,
        label=gettext_lazy("Email"),
        help_text=gettext_lazy("The sign-in link and the plan PDF are sent here. Leave empty if the patient has none."),
    )
    time_zone = forms.CharField(
        max_length=64,
        label=gettext_lazy("Time zone"),
        help_text=gettext_lazy("Where the patient lives, for example Europe/London. Dates and reminders follow it."),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    reminders_opt_out = forms.BooleanField(
        required=False,
        label=gettext_lazy("No reminders"),
        help_text=gettext_lazy("Tick if the patient does not want session reminders."),
    )
    language = forms.ChoiceField(
        choices=[("", gettext_lazy("The clinic's language")), *settings.LANGUAGES],
        required=False,
        label=gettext_lazy("Language"),
        help_text=gettext_lazy("The patient's pages, plan PDF, emails and reminders are in this language."),
    )
    care_team = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Care team"),
        help_text=gettext_lazy(
            "Physiotherapists and clinicians who follow this patient. You join it yourself as the "
            "physiotherapist who registers the patient."
        ),
    )
    create_login = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Send the patient’s sign-in link now"),
        help_text=gettext_lazy(
            "It goes to the patient’s email (or by text message to the phone) and nowhere else; the "
            "patient opens it on a phone, gives their date of birth and chooses a password. Without either, hand "
            "over a QR code in person from the patient’s page."
        ),
    )

    def __init__(self, *args, candidates, clinical: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not clinical:
            # A clinic admin records identity and contact only, and sends no sign-in link.
            del self.fields["diagnoses"]
            del self.fields["create_login"]
        self.fields["care_team"].queryset = candidates
        self.fields["care_team"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.get_role_display().lower()})"
        )

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(gettext("Date of birth cannot be in the future."))
        if value.year < timezone.localdate().year - 120:
            raise forms.ValidationError(gettext("Date of birth is more than 120 years ago."))
        return value

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                gettext("Unknown time zone: use a name such as Europe/London or America/New_York.")
            )
        return value

    def clean_diagnoses(self):
        lines = [line.strip() for line in self.cleaned_data["diagnoses"].splitlines() if line.strip()]
        if len(lines) > text_limits.DIAGNOSES:
            raise forms.ValidationError(gettext("At most %(count)s diagnoses.") % {"count": text_limits.DIAGNOSES})
        if any(len(line) > text_limits.DIAGNOSIS for line in lines):
            raise forms.ValidationError(
                gettext("Each diagnosis at most %(count)s characters.") % {"count": text_limits.DIAGNOSIS}
            )
        return lines


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label="Date of the assessment", widget=forms.DateInput(attrs={"type": "date"}))
    bone_fragility = forms.ChoiceField(
        label="Bone fragility",
        **_described(BONE_FRAGILITY_WORDS),
        help_text="How fragile the bones are. It sets how much impact and spinal loading the plan allows.",
    )
    vertebral_fracture = forms.BooleanField(
        required=False,
        label="Known vertebral fracture",
        help_text="A fracture of the spine, even one that caused no pain. "
        "Impact and aerobic effort are limited further.",
    )
    heterotopic_ossification_regions = RegionsField(
        label="Heterotopic ossification (calcified masses)",
        help_text="Bone-like, calcified masses in muscle, fascia or fat (myositis or panniculitis ossificans). "
        "Tick each region with a mass: the plan never presses on it or stretches it to end range, and keeps "
        "stretches short.",
    )
    inflammation_activity = forms.ChoiceField(
        label="Inflammation activity",
        **_described(INFLAMMATION_WORDS),
        help_text="How active the muscle, fascia or fat inflammation is now. More activity means lighter limits.",
    )
    pain_at_rest = forms.IntegerField(
        label="Pain at rest (0-10)",
        min_value=0,
        max_value=10,
        help_text="0 is no pain, 10 the worst pain imaginable, sitting quietly today. 4 or more lowers the ceilings.",
    )
    resting_hr = forms.IntegerField(
        label="Resting heart rate (beats per minute)",
        min_value=30,
        max_value=150,
        help_text="After 5 minutes sitting quietly. The heart-rate zone is computed from it (Karvonen).",
    )
    measured_hr_max = forms.IntegerField(
        label="Measured maximal heart rate (optional)",
        required=False,
        min_value=80,
        max_value=230,
        help_text="Only from an exercise test. Leave empty to use the estimate 208 - 0.7 x age (Tanaka).",
    )
    resting_spo2 = forms.IntegerField(
        label="Resting oxygen saturation, SpO2 % (optional)",
        required=False,
        min_value=50,
        max_value=100,
        help_text="Pulse oximeter, at rest. The baseline for a fall in saturation during exercise.",
    )
    beta_blocker = forms.BooleanField(
        required=False,
        label="Takes a beta blocker",
        help_text="Beta blockers slow the heart, so heart-rate targets would mislead: effort (RPE 6-20) governs.",
    )
    cardiopulmonary_status = forms.ChoiceField(
        label="Heart and lung status",
        **_described(CARDIOPULMONARY_WORDS),
        help_text="Whether a heart or lung condition limits exercise.",
    )
    avoid_regions = RegionsField(
        label="Regions to leave alone",
        help_text="Regions the plan must not load, press or stretch at all, for example a recent injury or a wound.",
    )
    available_equipment = forms.MultipleChoiceField(
        label="Equipment the patient can use",
        choices=EQUIPMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if anything is available. Exercises that need nothing are always possible.",
    )
    notes = forms.CharField(
        required=False,
        max_length=text_limits.ASSESSMENT_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Findings the plan cannot express, for example MRI results or what the patient wants to achieve.",
    )

    def clean_assessed_on(self):
        return _not_future(self.cleaned_data["assessed_on"], "An assessment")

    def clean(self):
        cleaned = super().clean()
        hr_max, resting = cleaned.get("measured_hr_max"), cleaned.get("resting_hr")
        if hr_max and resting and hr_max <= resting:
            self.add_error("measured_hr_max", "The maximal heart rate must be above the resting heart rate.")
        cleaned["available_equipment"] = cleaned.get("available_equipment") or None
        return cleaned


class PlanGenerateForm(forms.Form):
    start_date = forms.DateField(
        label="First day", widget=forms.DateInput(attrs={"type": "date"}), help_text="Week 1 starts on this day."
    )
    weeks = forms.IntegerField(
        label="Length in weeks",
        min_value=1,
        max_value=MAX_PLAN_WEEKS,
        initial=12,
        help_text=f"1 to {MAX_PLAN_WEEKS} weeks. 12 is usual for a first block.",
    )

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value < timezone.localdate() - timedelta(days=28):
            raise forms.ValidationError("A plan cannot start more than four weeks ago.")
        return value


class DoseForm(forms.Form):
    """One item's dose. Only the fields of the item's dose kind are kept (see __init__).

    override_reason is always accepted; the page shows it once the dose was refused for a limit.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    frequency_per_week = forms.IntegerField(label="Sessions a week", min_value=1, max_value=7)
    minutes = forms.DecimalField(label="Minutes a session", min_value=0.5, max_value=240, decimal_places=1)
    sets = forms.IntegerField(label="Sets", min_value=1, max_value=10)
    reps = forms.IntegerField(label="Repetitions a set", min_value=1, max_value=100)
    hold_seconds = forms.IntegerField(label="Seconds a hold", min_value=1, max_value=300)
    intensity_low = forms.IntegerField(label="Intensity from", min_value=0, max_value=250)
    intensity_high = forms.IntegerField(label="Intensity up to", min_value=0, max_value=250)
    reason = forms.CharField(
        label="Why change it (optional)",
        required=False,
        max_length=1000,
        widget=forms.TextInput,
        help_text="Kept in the plan history.",
    )
    override_reason = forms.CharField(
        label="Reason for going above the limit",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only a physiotherapist can accept a dose above a limit. The reason is recorded and the "
        "clinician is alerted to review it.",
    )

    UNIT_LABELS = {"pct_hrr": "% of heart-rate reserve", "rpe_6_20": "effort, RPE 6-20", "pct_1rm": "% of 1RM"}

    def __init__(self, *args, dose_kind: str, intensity_unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"minutes": ("minutes",), "sets_reps": ("sets", "reps"), "hold": ("sets", "hold_seconds")}[dose_kind]
        for name in ("minutes", "sets", "reps", "hold_seconds"):
            if name not in keep:
                del self.fields[name]
        if dose_kind == "hold":
            self.fields["sets"].label = "Holds"
        unit = self.UNIT_LABELS.get(intensity_unit)
        if unit is None:  # dosed by feel: no number to edit
            del self.fields["intensity_low"], self.fields["intensity_high"]
        elif intensity_unit == "pct_1rm":  # a load is one value, not a range
            del self.fields["intensity_low"]
            self.fields["intensity_high"].label = f"Load ({unit})"
        else:
            self.fields["intensity_low"].label = f"Intensity from ({unit})"
            self.fields["intensity_high"].label = f"Intensity up to ({unit})"

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
        label="Why the plan can resume",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example what you checked with the patient. It continues from the dose it was held at.",
    )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What you did or decided",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the alert in the patient’s audit trail.",
    )


class MeasurementForm(forms.Form):
    kind = forms.ChoiceField(label="Measure", choices=MEASURE_CHOICES)
    value = forms.DecimalField(label="Value", max_digits=8, decimal_places=2)
    upper_limit_normal = forms.DecimalField(
        label="Lab's upper limit of normal (CK only, optional)",
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    measured_on = forms.DateField(label="Measured on", widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=1000)

    def clean_measured_on(self):
        return _not_future(self.cleaned_data["measured_on"], "A measurement")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("upper_limit_normal") is not None and cleaned.get("kind") not in LAB_MEASURE_CODES:
            self.add_error("upper_limit_normal", "Only laboratory values (CK) carry an upper limit of normal.")
        return cleaned


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


def _bounded_int(label: str, path: str, help_text: str) -> forms.IntegerField:
    _kind, low, high = ADJUSTABLE_FIELDS[path]
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=help_text)


class LimitsForm(forms.Form):
    """Every adjustable limit, filled with its current value; only the ones changed are sent."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    max_impact = forms.ChoiceField(
        label="Highest impact allowed",
        choices=IMPACT_CHOICES,
        help_text="Low is brisk walking; moderate allows stamps, hops and jogging; none allows no impact at all.",
    )
    aerobic__max_rpe = _bounded_int(
        "Aerobic effort ceiling (RPE 6-20)", "aerobic.max_rpe", "11 is light, 13 somewhat hard."
    )
    aerobic__max_hrr_pct = _bounded_int(
        "Aerobic intensity ceiling (% of heart-rate reserve)",
        "aerobic.max_hrr_pct",
        "The heart-rate zone is recomputed from it.",
    )
    resistance__max_pct_1rm = _bounded_int(
        "Strength load ceiling (% of 1RM)", "resistance.max_pct_1rm", "Heaviest load, as a share of one maximal lift."
    )
    resistance__max_rpe = _bounded_int("Strength effort ceiling (RPE 6-20)", "resistance.max_rpe", "Effort of a set.")
    resistance__min_reps = _bounded_int(
        "Fewest repetitions a set", "resistance.min_reps", "Raising it means lighter loads (tighter)."
    )
    flexibility__max_hold_seconds = _bounded_int(
        "Longest stretch hold (seconds)", "flexibility.max_hold_seconds", "Shorter holds are gentler on the tissue."
    )
    weekly_progression_max_pct = forms.DecimalField(
        label="Weekly growth cap (%)",
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text="How much any exercise’s weekly volume may grow from one week to the next.",
    )
    supervision_required = forms.BooleanField(
        label="Supervised start", required=False, help_text="A physiotherapist watches the first sessions."
    )
    excluded_tags = forms.MultipleChoiceField(
        label="Movements excluded",
        choices=TAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Exercises with any ticked movement are removed from the plan.",
    )
    avoid_regions = RegionsField(
        label="No pressure or end-range stretch on",
        help_text="The regions are still used, but never pressed or stretched.",
    )
    no_loading_regions = RegionsField(label="No loading at all on", help_text="No exercise may load these regions.")
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to loosen a limit; recorded in the plan history either way.",
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
