"""Pages for physiotherapists and clinicians (names live in the "frontend" namespace)."""

from django.urls import path

from frontend.staff import access as views_access
from frontend.staff import account as views_account
from frontend.staff import clearance as views_clearance
from frontend.staff import plan_templates as views_templates
from frontend.staff import plan_views, views

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("account/", views_account.account, name="account"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("access-log/", views_access.clinic_access_log, name="access_log"),
    path("patients/new/", views.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", views.patient_page, name="patient"),
    path("patients/<int:patient_id>/audit/", views.patient_audit, name="patient_audit"),
    path("patients/<int:patient_id>/activation/", views.patient_activation, name="patient_activation"),
    path("patients/<int:patient_id>/assessments/new/", views.assessment_new, name="assessment_new"),
    path("patients/<int:patient_id>/measurements/", views.measurement_record, name="measurement_record"),
    path("patients/<int:patient_id>/plans/new/", plan_views.plan_generate, name="plan_generate"),
    path("plans/<int:plan_id>/", plan_views.plan_review, name="plan"),
    path("plans/<int:plan_id>/items/<int:item_id>/edit/", plan_views.plan_item_edit, name="plan_item_edit"),
    path("plans/<int:plan_id>/activate/", plan_views.plan_activate, name="plan_activate"),
    path("plans/<int:plan_id>/clearance/", views_clearance.plan_clearance, name="plan_clearance"),
    path(
        "plans/<int:plan_id>/supervised-sessions/",
        views_clearance.plan_supervised_session,
        name="plan_supervised_session",
    ),
    path("plans/<int:plan_id>/history/", plan_views.plan_history, name="plan_history"),
    path("plans/<int:plan_id>/limits/", plan_views.plan_limits, name="plan_limits"),
    path("plans/<int:plan_id>/resume/", plan_views.plan_resume, name="plan_resume"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("templates/", views_templates.template_list, name="template_list"),
    path("templates/<int:template_id>/", views_templates.template_detail, name="template_detail"),
    path("templates/<int:template_id>/archive/", views_templates.template_archive, name="template_archive"),
    path(
        "plans/<int:plan_id>/save-as-template/",
        views_templates.plan_save_as_template,
        name="plan_save_as_template",
    ),
]
