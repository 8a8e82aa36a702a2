"""The patient's history: every session logged, newest first, the pain after each one as a chart and a
table, and who on the care team looked at the record."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from frontend.charts import time_chart_svg
from frontend.patient.page import page_context, patient_page
from frontend.staff.access import access_sentences
from planner.documents import wording as words
from planner.vocabulary import red_flag_label
from rehab import selectors
from rehab.models import Patient
from rehab.progress import plan_progress_series, progress_charts


@patient_page
@require_GET
def history(request, patient: Patient):
    plan = selectors.running_plan(patient)
    context = page_context(request, patient, plan, "history")
    context["looked"] = access_sentences(request.user, patient.pk)
    if plan is None:
        return render(request, "frontend/patient/history.html", context)
    sessions = selectors.plan_checkins_newest_first(request.user, plan)
    progress = plan_progress_series(plan)
    pain = progress["pain"]
    context.update(
        sessions=[
            {
                "checkin": c,
                "day": words.date_words(c.date, year=c.date.year != timezone.localdate().year),
                "effort": words.borg_words(c.session_rpe) if c.session_rpe else "",
                "red_flags": [gettext(red_flag_label(code)) for code in c.red_flags],
            }
            for c in sessions
        ],
        pain_rows=[{**row, "day": words.date_words(row["date"])} for row in reversed(pain)],
        # 560 wide leaves room for the three legend entries; the axis says what the numbers are in
        # the page's text instead (a y_label would sit on top of the legend).
        chart=time_chart_svg(
            progress_charts(progress, plan.start_date).pain,
            title=gettext("Your pain after each session"),
            y_range=(0, 10),
            width=560,
            height=320,
        ),
    )
    return render(request, "frontend/patient/history.html", context)
