"""{% exercise_figure exercise plan %}: an exercise's animated figure as an <img> with its alt text.

The SVG comes from GET /api/v1/exercises/{slug}/illustration.svg (its own document, so its inline
animation styles do not need the page's CSP to allow inline styles). With a plan, the plan's protected
regions go in `?protect=`: the figure marks them and shows no weight or band on them, and the alt
text says so.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from planner.figures.library import default_figures
from planner.figures.words import alt_text
from planner.types import Plan as EnginePlan
from rehab.clearance import plan_limits

register = template.Library()


def _protected(plan) -> tuple[str, ...]:
    if plan is None:
        return ()
    # Every card of a page asks for the same plan: its limits are read once per request.
    cached = getattr(plan, "_figure_protected", None)
    if cached is None:
        # An engine plan (planner.types.Plan, or its serialised document on the staff page) carries its
        # limits; a stored plan has them read.
        if isinstance(plan, dict):
            limits = plan["limits"]
            return tuple(sorted({*limits["avoid_regions"], *limits["no_loading_regions"]}))
        if isinstance(plan, EnginePlan):
            return plan.limits.protected_regions
        cached = plan_limits(plan).protected_regions
        plan._figure_protected = cached
    return cached


def _said(exercise) -> tuple[str, str, str]:
    """(slug, name, movement) of a library row, an ExerciseSpec or a serialised spec (a dict)."""
    if isinstance(exercise, dict):
        return exercise["slug"], exercise["name"], exercise["instructions"]["movement"]
    movement = getattr(exercise, "movement", None) or exercise.instructions.movement
    return exercise.slug, exercise.name, movement


@register.simple_tag
def exercise_figure(exercise, plan=None, size: int = 240):
    """exercise: a library row (rehab.models.Exercise) or spec (planner.types.ExerciseSpec, or its
    serialised dict); plan: a stored plan or an engine plan (or its document), whose protected regions
    the figure marks (None: none marked)."""
    slug, name, movement = _said(exercise)
    figure = default_figures().get(slug)
    if figure is None:
        return ""
    protected = _protected(plan)
    url = reverse("exercise-illustration", kwargs={"slug": slug})
    if protected:
        url += "?" + urlencode({"protect": ",".join(protected)})
    return format_html(
        '<img class="exercise-figure" src="{}" alt="{}" width="{}" height="{}" loading="lazy">',
        url,
        alt_text(figure, name, movement, protected),
        size,
        size * 3 // 4,
    )
