"""How the staff patient page says progress: the charts with their data tables, and the weekly
decisions with their reasons, rules and the check-ins they cite.

Plain presentation over rehab.progress series: no query, no clinical decision. What each chart
shows is rehab.progress.progress_charts' (the PDF report's builder).
"""

import math
from datetime import timedelta

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from frontend.charts import time_chart_svg
from planner.documents.charts import Series, TimeChart
from planner.documents.wording import borg_words
from planner.progression.said import text_of
from planner.translation import number
from planner.vocabulary import MEASURES_BY_CODE
from rehab.progress import progress_charts as build_progress_charts

register = template.Library()

# The weekly pain light (green, amber, red) of a decision.
LIGHT_WORDS = {"green": gettext_lazy("green"), "amber": gettext_lazy("amber"), "red": gettext_lazy("red")}
# The weekly decision's action (planner.documents.wording.ACTION_WORDS in English).
STAFF_ACTION_WORDS = {
    "advance": gettext_lazy("Advance"),
    "hold": gettext_lazy("Hold"),
    "regress": gettext_lazy("Regress"),
    "pause_for_review": gettext_lazy("Pause for review"),
}


@register.filter
def light_words(light: str) -> str:
    return str(LIGHT_WORDS.get(light, light))


# ---------------------------------------------------------------------------------------------
# Progress: charts (SVG from frontend.charts) each paired with its data table
# ---------------------------------------------------------------------------------------------


def _svg(chart, title: str, y_min: float, y_max: float):
    # The heading above each chart names the unit; frontend.charts draws a y label over the legend.
    svg = time_chart_svg(chart, title=title, y_range=(y_min, y_max))
    return mark_safe(svg)  # noqa: S308 (escaped inside)


def nice_range(low: float, high: float) -> tuple[float, float]:
    """Bounds that contain low..high and split into five round steps (the chart draws six ticks)."""
    span = max(high - low, 1)
    for step in (1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        bottom = math.floor(low / step) * step
        if bottom + 5 * step >= high and 5 * step >= span:
            return bottom, bottom + 5 * step
    return low, high


def _over_dates(chart, starts) -> TimeChart:
    """The adherence bars drawn as lines over each week's first day: done first, then planned (the bar
    chart's series are planned, then done, named in the reader's language)."""
    planned, done = chart.series
    lines = tuple(Series(bars.label, tuple(zip(starts, bars.values, strict=True))) for bars in (done, planned))
    return TimeChart(chart.title, chart.y_label, 0, chart.y_max, lines)


@register.simple_tag
def progress_charts(progress: dict, plan) -> list[dict]:
    """Pain, effort, adherence and each measure: {title, svg, headers, rows, id}.

    What each chart shows is rehab.progress.progress_charts' (the PDF report's builder); the page
    names each for screen readers, picks round axis bounds and pairs it with its data table."""
    built = build_progress_charts(progress, plan.start_date)
    pain = progress["pain"]
    charts = [
        {
            "id": "pain",
            "title": gettext("Pain (0-10)"),
            "svg": _svg(built.pain, gettext("Pain after each session, 0 to 10"), 0, 10),
            "headers": (gettext("Session"), gettext("During"), gettext("After"), gettext("Next morning")),
            "rows": [(p["date"], p["during"], p["after"], _or_dash(p["next_morning"])) for p in reversed(pain)],
        },
        {
            "id": "rpe",
            "title": gettext("Effort (RPE 6-20)"),
            "svg": _svg(built.effort, gettext("Session effort, Borg RPE 6 to 20"), 5, 20),
            "headers": (gettext("Session"), "RPE", gettext("In words")),
            "rows": [(r["date"], r["rpe"], borg_words(r["rpe"])) for r in reversed(progress["rpe"])],
        },
    ]
    adherence = progress["adherence"]
    starts = {a["week"]: plan.start_date + timedelta(days=7 * (a["week"] - 1)) for a in adherence}
    top = 10 if max([0, *(a["done"] for a in adherence)]) <= 10 else 20
    charts.append(
        {
            "id": "adherence",
            "title": gettext("Adherence (sessions a week)"),
            "svg": _svg(
                _over_dates(built.adherence, built.week_starts),
                gettext("Sessions done and planned per plan week"),
                0,
                top,
            ),
            "headers": (gettext("Week"), gettext("Planned"), gettext("Done"), gettext("Share")),
            "rows": [
                (
                    gettext("%(week)s (from %(day)s)")
                    % {"week": a["week"], "day": date_format(starts[a["week"]], gettext("j M"))},
                    _or_dash(a["planned"]),
                    a["done"],
                    f"{round(100 * a['done'] / a['planned'])} %" if a["planned"] else "–",
                )
                for a in reversed(adherence)
            ],
        }
    )
    points = {measure["kind"]: measure["points"] for measure in progress["measures"]}
    for kind, chart in built.measures:
        values = [value for _day, value in chart.series[0].points]
        measure = MEASURES_BY_CODE.get(kind)
        low, high = (measure.low, measure.high) if measure else (min(values), max(values))
        y_min, y_max = nice_range(max(low, min(values) * 0.9), min(high, max(values) * 1.1))
        label, unit = chart.series[0].label, chart.y_label
        charts.append(
            {
                "id": f"measure-{kind}",
                "title": chart.title,
                "svg": _svg(chart, gettext("%(measure)s in %(unit)s") % {"measure": label, "unit": unit}, y_min, y_max),
                "headers": (gettext("Date"), gettext("Value (%(unit)s)") % {"unit": unit}),
                "rows": [(p["date"], number(p["value"])) for p in reversed(points[kind])],
            }
        )
    return charts


def _or_dash(value):
    return "–" if value is None else value


@register.simple_tag
def decisions_of(progress: dict, names: dict) -> list[dict]:
    """Each weekly decision, newest first, its reasons with their rules and the check-ins they cite.

    names: exercise name by slug, for every item the plan ever had."""
    sessions = {p["checkin"]: p for p in progress["pain"]}
    decisions = []
    for decision in reversed(progress["decisions"]):
        reasons = []
        for reason in decision["reasons"]:
            cited = [sessions[i] for i in reason.get("checkin_ids", []) if i in sessions]
            reasons.append({**reason, "text": text_of(reason), "cited": cited})
        changes = [
            {
                "name": names.get(slug, slug.replace("-", " ")),
                "text": text_of(change),
                "variable": change.get("variable"),
            }
            for slug, change in decision["changes"].items()
            if change.get("text")
        ]
        decisions.append(
            {
                **decision,
                "action_words": str(STAFF_ACTION_WORDS.get(decision["action"], decision["action"])),
                "reasons": reasons,
                "changes": changes,
            }
        )
    return decisions
