from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from rehab.clinical import assessment_date_problem, date_of_birth_problem
from rehab.models import Assessment, Clinic, Exercise, ExerciseTranslation, Patient, Role, User
from rehab.selectors import first_assessment_date


class UserForm(UserChangeForm):
    """Staff work for one clinic: every staff page and service acts within it, so a staff role
    without a clinic is refused here rather than saved and refused on every page."""

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in Role.STAFF and not cleaned.get("clinic"):
            self.add_error("clinic", "Physiotherapists, clinicians and clinic admins must belong to a clinic.")
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserForm
    fieldsets = (*BaseUserAdmin.fieldsets, ("Clinic and role", {"fields": ("clinic", "role", "phone")}))
    list_display = ("username", "first_name", "last_name", "role", "clinic", "is_active")
    list_filter = ("role", "clinic", "is_active")


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("name", "phone", "email")


class PatientForm(forms.ModelForm):
    """The same date-of-birth check as the API's (rehab.clinical): a record outside the planned ages
    could get no plan, report or weekly decision."""

    class Meta:
        model = Patient
        fields = "__all__"  # noqa: DJ007 - the admin edits every field of the record

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        first = first_assessment_date(self.instance) if self.instance.pk else None
        problem = date_of_birth_problem(born, timezone.localdate(), first)
        if problem:
            raise forms.ValidationError(problem)
        return born


class AssessmentForm(forms.ModelForm):
    """The assessment's day must fall in the planned ages, as the assessment service requires."""

    class Meta:
        model = Assessment
        fields = "__all__"  # noqa: DJ007 - the admin edits every field of the record

    def clean(self):
        cleaned = super().clean()
        patient, assessed_on = cleaned.get("patient"), cleaned.get("assessed_on")
        if patient is not None and assessed_on is not None:
            problem = assessment_date_problem(patient.date_of_birth, assessed_on)
            if problem:
                self.add_error("assessed_on", problem)
        return cleaned


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    form = PatientForm
    list_display = ("last_name", "first_name", "date_of_birth", "clinic")
    list_filter = ("clinic",)
    search_fields = ("last_name", "first_name")
    filter_horizontal = ("care_team",)


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    form = AssessmentForm
    list_display = ("patient", "assessed_on", "bone_fragility", "inflammation_activity")
    list_select_related = ("patient",)


class ExerciseTranslationInline(admin.StackedInline):
    model = ExerciseTranslation
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    """The library: a clinic's own exercises, and each exercise's words in other languages."""

    list_display = ("name", "slug", "component", "is_active")
    list_filter = ("component", "is_active")
    search_fields = ("name", "slug")
    inlines = [ExerciseTranslationInline]
