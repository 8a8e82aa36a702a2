from django.urls import include, path, re_path, register_converter
from rest_framework.routers import DefaultRouter

from rehab.api import access, auth, caseload, checkins, exercises, pdfs, people, plans, progress, reminders, templates
from rehab.api.ids import IdConverter

# `<id:...>`: a record id of at most 18 digits; anything else is a 404 before a view runs (rehab/api/ids.py).
register_converter(IdConverter, "id")

# One name for a path's parameters (tests/rehab/test_api_url_parameters.py keeps it):
# - `{id}` is the record the path starts from, the one named by the collection before it, whatever
#   follows: the record itself (`plans/{id}/`), an action on it (`plans/{id}/activate/`), a document of
#   it (`plans/{id}/pdf/`) or a list kept under it (`patients/{id}/assessments/`). A client fills in
#   `{id}` the same way on every path under `plans/`, and the router's paths already read so.
# - a second record further down the path is `{<its name>_id}`: `plans/{id}/items/{item_id}/`;
# - a record addressed by a name rather than a number is `{slug}` (`exercises/{slug}/`).
# The router's `pk` is `{id}` in the schema and in the request log (rehab/logs.py).

router = DefaultRouter()
router.register("patients", people.PatientViewSet, basename="patient")
router.register("exercises", exercises.ExerciseViewSet, basename="exercise")
router.register("plans", plans.PlanViewSet, basename="plan")
router.register("checkins", checkins.CheckInViewSet, basename="checkin")
router.register("alerts", checkins.AlertViewSet, basename="alert")
router.register("templates", templates.TemplateViewSet, basename="template")

urlpatterns = [
    path("auth/token/", auth.TokenLoginView.as_view(), name="api-token"),
    path("auth/logout/", auth.TokenLogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", auth.TokenLogoutAllView.as_view(), name="api-logout-all"),
    # The care team's patients, most urgent first, with their triage flags; the rules behind them.
    path("caseload/", caseload.CaseloadView.as_view(), name="caseload"),
    path("triage/rules/", caseload.TriageRulesView.as_view(), name="triage-rules"),
    # The signed-in patient's own reminders (patients only).
    path("me/reminders/", reminders.MyRemindersView.as_view(), name="my-reminders"),
    path("me/push-subscriptions/", reminders.MyPushSubscriptionsView.as_view(), name="my-push-subscriptions"),
    path(
        "me/push-subscriptions/<id:id>/",
        reminders.MyPushSubscriptionView.as_view(),
        name="my-push-subscription",
    ),
    path("patients/<id:id>/assessments/", people.AssessmentListCreate.as_view(), name="patient-assessments"),
    path(
        "patients/<id:id>/measurements/",
        checkins.MeasurementListCreate.as_view(),
        name="patient-measurements",
    ),
    path("patients/<id:id>/access-log/", access.PatientAccessLogView.as_view(), name="patient-access-log"),
    path("plans/<id:id>/progress/", progress.PlanProgressView.as_view(), name="plan-progress"),
    path("plans/<id:id>/pdf/", pdfs.PlanPdfView.as_view(), name="plan-pdf"),
    path(
        "plans/<id:id>/template-origin/",
        templates.PlanTemplateOriginView.as_view(),
        name="plan-template-origin",
    ),
    path("plans/<id:id>/email/", pdfs.PlanEmailView.as_view(), name="plan-email"),
    path("patients/<id:id>/report/pdf/", pdfs.ReportPdfView.as_view(), name="patient-report-pdf"),
    re_path(
        r"^exercises/(?P<slug>[-a-zA-Z0-9_]{1,80})/illustration\.svg$",
        exercises.ExerciseIllustrationView.as_view(),
        name="exercise-illustration",
    ),
    path("", include("rehab.api.fhir")),  # FHIR R4 export: plans/{id}/fhir/, patients/{id}/fhir/, fhir/metadata
    path("", include(router.urls)),
]
