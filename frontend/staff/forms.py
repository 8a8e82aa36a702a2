"""Forms of the staff pages: input shape and plain-words help only; the services hold the rules.

Each choice of a clinical field explains itself (what "osteoporosis" or "monitor" means here and
what the plan does about it), so a physiotherapist can fill the assessment without a manual.
"""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from frontend.staff.code_words import CODE_WORDS
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
from rehab.clinical import date_of_birth_problem
from rehab.measure_words import measure_label, unit_words

SIDE_WORDS = {"left": gettext_lazy("left"), "right": gettext_lazy("right")}
REGION_NOUNS = {
    "neck": gettext_lazy("Neck"),
    "shoulder": gettext_lazy("Shoulder"),
    "elbow": gettext_lazy("Elbow"),
    "wrist_hand": gettext_lazy("Wrist and hand"),
    "chest": gettext_lazy("Chest"),
    "upper_back": gettext_lazy("Upper back"),
    "lower_back": gettext_lazy("Lower back"),
    "abdomen": gettext_lazy("Abdomen"),
    "hip": gettext_lazy("Hip"),
    "gluteal": gettext_lazy("Buttock (gluteal region)"),
    "thigh": gettext_lazy("Thigh"),
    "knee": gettext_lazy("Knee"),
    "calf": gettext_lazy("Calf"),
    "ankle_foot": gettext_lazy("Ankle and foot"),
    # Landmarks inside the regions above.
    "iliac_crest": gettext_lazy("Iliac crest"),
    "greater_trochanter": gettext_lazy("Greater trochanter"),
    "ischial_tuberosity": gettext_lazy("Ischial tuberosity"),
    "sacrum": gettext_lazy("Sacrum"),
}


def region_label(region: str) -> str:
    """ "gluteal_left" -> "Buttock (gluteal region), left", in the active language."""
    base, _, side = region.rpartition("_")
    if side in SIDE_WORDS:
        noun = REGION_NOUNS.get(base, base.replace("_", " ").capitalize())
        return gettext("%(region)s, %(side)s") % {"region": noun, "side": SIDE_WORDS[side]}
    return str(REGION_NOUNS.get(region, region.replace("_", " ").capitalize()))


def words(value: str) -> str:
    """A vocabulary code in the active language (an equipment, movement or impact word), else the code in
    plain English ("resistance_band" -> "Resistance band")."""
    return str(CODE_WORDS.get(value, value.replace("_", " ").capitalize()))


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
    "none": (gettext_lazy("None known"), gettext_lazy("No bone weakness known or suspected.")),
    "low_bone_mass": (
        gettext_lazy("Low bone mass"),
        gettext_lazy(
            "Bone density below normal without osteoporosis (osteopenia, DXA T-score between -1 and -2.5). "
            "The plan lowers the impact it allows."
        ),
    ),
    "osteoporosis": (
        gettext_lazy("Osteoporosis"),
        gettext_lazy(
            "DXA T-score -2.5 or lower, or diagnosed osteoporosis, with no fracture from a minor fall. "
            "No loaded bending or twisting of the spine, no floor exercises, a supervised start and slower growth."
        ),
    ),
    "fragility_fracture": (
        gettext_lazy("Fragility fracture"),
        gettext_lazy(
            "A bone broke after a fall from standing height or less. Impact stays at brisk-walking level and "
            "strength work starts lighter."
        ),
    ),
}
INFLAMMATION_WORDS = {
    "inactive": (
        gettext_lazy("Inactive"),
        gettext_lazy("No sign of active myositis, fasciitis or panniculitis (clinically, in blood tests or on MRI)."),
    ),
    "low": (
        gettext_lazy("Low"),
        gettext_lazy("Slight activity, stable strength. Aerobic work stays at moderate effort at most."),
    ),
    "moderate": (
        gettext_lazy("Moderate"),
        gettext_lazy(
            "Clear activity, for example oedema of muscle, fascia or fat on MRI or a raised CK. Light effort only, "
            "no fast or heavy lowering work, supervised start, slower growth."
        ),
    ),
    "high": (
        gettext_lazy("High"),
        gettext_lazy(
            "Severe or rising activity (new weakness, widespread oedema, a high CK). The lightest strength work only."
        ),
    ),
}
CARDIOPULMONARY_WORDS = {
    "cleared": (gettext_lazy("Cleared"), gettext_lazy("No heart or lung condition limits exercise.")),
    "monitor": (
        gettext_lazy("Monitor"),
        gettext_lazy(
            "A heart or lung condition to watch (for example interstitial lung disease or myocarditis in the past): "
            "aerobic effort stays moderate."
        ),
    ),
    "restricted": (
        gettext_lazy("Restricted"),
        gettext_lazy(
            "A heart or lung condition that restricts exercise: light aerobic effort only and a supervised start."
        ),
    ),
}
# A template's conditions name these grades (frontend.templatetags.plan_templates.condition_words).
CONDITION_VALUE_WORDS = {
    "bone_fragility": {value: name for value, (name, _) in BONE_FRAGILITY_WORDS.items()},
    "inflammation_activity": {value: name for value, (name, _) in INFLAMMATION_WORDS.items()},
    "cardiopulmonary_status": {value: name for value, (name, _) in CARDIOPULMONARY_WORDS.items()},
}


# Choices as functions: Django calls them when a form is shown, so they read in the page's language.
def region_choices() -> list[tuple[str, str]]:
    return [(region, region_label(region)) for region in BODY_REGIONS]


def equipment_choices() -> list[tuple[str, str]]:
    return [(item, words(item)) for item in EQUIPMENT if item != "none"]


def tag_choices() -> list[tuple[str, str]]:
    return [(tag, words(tag)) for tag in MOVEMENT_TAGS]


def impact_choices() -> list[tuple[str, str]]:
    return [(level, words(level)) for level in IMPACT_LEVELS]


def measure_choices() -> list[tuple[str, str]]:
    return [
        (
            measure.code,
            f"{measure_label(measure.code)} ({unit_words(measure.unit)})",
        )
        for measure in MEASURES
    ]


class RegionsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=region_choices, required=False, **kwargs)


def _not_future(value, message: str):
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
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
        problem = date_of_birth_problem(value, timezone.localdate()) if value else None
        if problem:
            raise forms.ValidationError(problem)
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
    assessed_on = forms.DateField(
        label=gettext_lazy("Date of the assessment"), widget=forms.DateInput(attrs={"type": "date"})
    )
    bone_fragility = forms.ChoiceField(
        label=gettext_lazy("Bone fragility"),
        **_described(BONE_FRAGILITY_WORDS),
        help_text=gettext_lazy(
            "How fragile the bones are. It sets how much impact and spinal loading the plan allows."
        ),
    )
    vertebral_fracture = forms.BooleanField(
        required=False,
        label=gettext_lazy("Known vertebral fracture"),
        help_text=gettext_lazy(
            "A fracture of the spine, even one that caused no pain. Impact and aerobic effort are limited further."
        ),
    )
    heterotopic_ossification_regions = RegionsField(
        label=gettext_lazy("Heterotopic ossification (calcified masses)"),
        help_text=gettext_lazy(
            "Bone-like, calcified masses in muscle, fascia or fat (myositis or panniculitis ossificans). "
            "Tick each region with a mass: the plan never presses on it or stretches it to end range, and keeps "
            "stretches short."
        ),
    )
    inflammation_activity = forms.ChoiceField(
        label=gettext_lazy("Inflammation activity"),
        **_described(INFLAMMATION_WORDS),
        help_text=gettext_lazy(
            "How active the muscle, fascia or fat inflammation is now. More activity means lighter limits."
        ),
    )
    pain_at_rest = forms.IntegerField(
        label=gettext_lazy("Pain at rest (0-10)"),
        min_value=0,
        max_value=10,
        help_text=gettext_lazy(
            "0 is no pain, 10 the worst pain imaginable, sitting quietly today. 4 or more lowers the ceilings."
        ),
    )
    resting_hr = forms.IntegerField(
        label=gettext_lazy("Resting heart rate (beats per minute)"),
        min_value=30,
        max_value=150,
        help_text=gettext_lazy("After 5 minutes sitting quietly. The heart-rate zone is computed from it (Karvonen)."),
    )
    measured_hr_max = forms.IntegerField(
        label=gettext_lazy("Measured maximal heart rate (optional)"),
        required=False,
        min_value=80,
        max_value=230,
        help_text=gettext_lazy("Only from an exercise test. Leave empty to use the estimate 208 - 0.7 x age (Tanaka)."),
    )
    resting_spo2 = forms.IntegerField(
        label=gettext_lazy("Resting oxygen saturation, SpO2 % (optional)"),
        required=False,
        min_value=50,
        max_value=100,
        help_text=gettext_lazy("Pulse oximeter, at rest. The baseline for a fall in saturation during exercise."),
    )
    beta_blocker = forms.BooleanField(
        required=False,
        label=gettext_lazy("Takes a beta blocker"),
        help_text=gettext_lazy(
            "Beta blockers slow the heart, so heart-rate targets would mislead: effort (RPE 6-20) governs."
        ),
    )
    arrhythmia = forms.BooleanField(
        required=False,
        label=gettext_lazy("Has an arrhythmia (such as atrial fibrillation)"),
        help_text=gettext_lazy("An irregular rhythm makes heart-rate targets mislead: effort (RPE 6-20) governs."),
    )
    cardiopulmonary_status = forms.ChoiceField(
        label=gettext_lazy("Heart and lung status"),
        **_described(CARDIOPULMONARY_WORDS),
        help_text=gettext_lazy("Whether a heart or lung condition limits exercise."),
    )
    avoid_regions = RegionsField(
        label=gettext_lazy("Regions to leave alone"),
        help_text=gettext_lazy(
            "Regions the plan must not load, press or stretch at all, for example a recent injury or a wound."
        ),
    )
    available_equipment = forms.MultipleChoiceField(
        label=gettext_lazy("Equipment the patient can use"),
        choices=equipment_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Leave all unticked if anything is available. Exercises that need nothing are always possible."
        ),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=text_limits.ASSESSMENT_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Findings the plan cannot express, for example MRI results or what the patient wants to achieve."
        ),
    )

    def clean_assessed_on(self):
        return _not_future(self.cleaned_data["assessed_on"], gettext("An assessment cannot be in the future."))

    def clean(self):
        cleaned = super().clean()
        hr_max, resting = cleaned.get("measured_hr_max"), cleaned.get("resting_hr")
        if hr_max and resting and hr_max <= resting:
            self.add_error("measured_hr_max", gettext("The maximal heart rate must be above the resting heart rate."))
        cleaned["available_equipment"] = cleaned.get("available_equipment") or None
        return cleaned


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What you did or decided"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept with the alert in the patient’s audit trail."),
    )


class MeasurementForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Measure"), choices=measure_choices)
    value = forms.DecimalField(label=gettext_lazy("Value"), max_digits=8, decimal_places=2)
    upper_limit_normal = forms.DecimalField(
        label=gettext_lazy("Lab's upper limit of normal (CK only, optional)"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    measured_on = forms.DateField(label=gettext_lazy("Measured on"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=gettext_lazy("Notes (optional)"), required=False, max_length=1000)

    def clean_measured_on(self):
        return _not_future(self.cleaned_data["measured_on"], gettext("A measurement cannot be in the future."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("upper_limit_normal") is not None and cleaned.get("kind") not in LAB_MEASURE_CODES:
            self.add_error("upper_limit_normal", gettext("Only laboratory values (CK) carry an upper limit of normal."))
        return cleaned
