from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from rehab.models import Assessment, Clinic, Exercise, ExerciseTranslation, Patient, Role, User


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


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "date_of_birth", "clinic")
    list_filter = ("clinic",)
    search_fields = ("last_name", "first_name")
    filter_horizontal = ("care_team",)


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
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
