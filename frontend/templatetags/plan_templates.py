"""Template tags for clinic plan templates on staff pages (the plan page's build notes)."""

from django import template

from rehab.selectors import plan_template_origin

register = template.Library()


@register.simple_tag
def template_origin(plan):
    """The template version the plan was made from, with the refit's changes; None when it was not."""
    return plan_template_origin(plan)


@register.filter
def condition_words(code: str) -> str:
    """A condition code in words: bone_fragility.osteoporosis -> "Bone fragility: osteoporosis"."""
    return str(code).replace(".", ": ").replace("_", " ").capitalize()
