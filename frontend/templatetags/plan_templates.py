"""Template tags for clinic plan templates on staff pages (the plan page's build notes)."""

from django import template
from django.utils.translation import gettext, gettext_lazy

from planner.progression.said import text_of
from rehab.selectors import plan_template_origin

register = template.Library()

# The profile fields a template's conditions name, and the intensity bases of its items.
CONDITION_FIELDS = {
    "bone_fragility": gettext_lazy("Bone fragility"),
    "inflammation_activity": gettext_lazy("Inflammation activity"),
    "cardiopulmonary_status": gettext_lazy("Heart and lung status"),
}
PLAIN_CONDITIONS = {
    "vertebral_fracture": gettext_lazy("Vertebral fracture"),
    "heterotopic_ossification": gettext_lazy("Heterotopic ossification"),
    "beta_blocker": gettext_lazy("Beta blocker"),
    "arrhythmia": gettext_lazy("Arrhythmia"),
    "avoid_regions": gettext_lazy("Regions to leave alone"),
    "sedentary": gettext_lazy("Sedentary"),
}
BASIS_WORDS = {
    "relative": gettext_lazy("relative to the patient’s limits"),
    "absolute": gettext_lazy("absolute"),
}


@register.simple_tag
def template_origin(plan):
    """The template version the plan was made from, with the refit's changes; None when it was not."""
    return plan_template_origin(plan)


@register.filter
def condition_words(code: str) -> str:
    """A condition code in words: bone_fragility.osteoporosis -> "Bone fragility: osteoporosis"."""
    from frontend.staff.forms import CONDITION_VALUE_WORDS  # the forms import this module

    field, _, value = str(code).partition(".")
    if field in CONDITION_FIELDS and value in CONDITION_VALUE_WORDS.get(field, {}):
        name = CONDITION_VALUE_WORDS[field][value]
        return gettext("%(field)s: %(value)s") % {"field": CONDITION_FIELDS[field], "value": str(name).lower()}
    if code in PLAIN_CONDITIONS:
        return str(PLAIN_CONDITIONS[code])
    return str(code).replace(".", ": ").replace("_", " ").capitalize()


@register.filter
def basis_words(basis: str) -> str:
    return str(BASIS_WORDS.get(basis, basis))


@register.filter
def refit_change_words(change) -> str:
    """A refit's change in the reader's language: a preview's RefitChange, or a stored one (its template
    beside its English; one stored before templates were kept reads in its English)."""
    if isinstance(change, dict):
        return text_of(change)
    return change.sentence().text()
