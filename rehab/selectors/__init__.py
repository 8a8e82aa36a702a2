"""Every read of patient data goes through here, scoped to what the requesting user may see.

One module per concept; this package re-exports their public names so callers write
`from rehab import selectors` and `selectors.plan_get(...)` without knowing which module holds it.
The scoping rules are written at the top of `patients.py`, the scope every other read starts from.
"""

from rehab.selectors.access_log import (
    access_log_readers_see_address,
    clinic_access_log,
    clinic_access_readers,
    patient_access_log,
)
from rehab.selectors.alerts import (
    alert_to_acknowledge,
    alerts_of,
    alerts_that_paused,
    alerts_visible_to,
    plan_alerts,
)
from rehab.selectors.api_tokens import api_tokens_for_key, api_tokens_for_key_with
from rehab.selectors.audit import patient_audit_trail
from rehab.selectors.caseload import (
    caseload_alerts,
    caseload_plans,
    decisions_newest_week_first,
    session_pain_by_week,
)
from rehab.selectors.checkins import (
    checkin_get,
    checkin_items,
    checkins_listed,
    checkins_visible_to,
    own_plans_for_token,
)
from rehab.selectors.documents import report_plan
from rehab.selectors.exercises import exercise_for_figure, exercise_library, exercise_translations
from rehab.selectors.patients import (
    care_team_candidates,
    first_assessment_date,
    has_open_sign_in_link,
    latest_sign_in_link,
    other_care_team_candidates,
    patient_get,
    patient_of_login,
    patient_records,
    patients_by_name,
    patients_named,
    patients_visible_to,
    patients_with_clinical_access,
)
from rehab.selectors.plan_markers import PlanMarkers, plan_markers, plan_markers_of_row, plan_markers_read
from rehab.selectors.plans import (
    plan_clearances,
    plan_for_page,
    plan_get,
    plan_history,
    plan_item_ids,
    plan_item_of,
    plan_items_with_exercises,
    plan_to_log,
    plan_to_show,
    plans_for_api,
    plans_of,
    plans_visible_to,
    running_plan,
    supervised_sessions_done,
)
from rehab.selectors.progress import (
    assessments_of,
    latest_assessment,
    measurements_of,
    plan_checkin_rows,
    plan_decisions,
    plan_measurements,
    plan_overrides,
)
from rehab.selectors.reminders import push_subscriptions_of
from rehab.selectors.session_log import (
    checkin_items_with_exercises,
    days_with_a_session,
    items_done_between,
    plan_checkins_newest_first,
    session_logged_on,
    sessions_by_day,
)
from rehab.selectors.sign_in import last_failed_sign_in, open_activation_link
from rehab.selectors.templates import (
    plan_template_origin,
    template_current_version,
    template_get,
    template_versions,
    templates_visible_to,
)

__all__ = [
    "PlanMarkers",
    "access_log_readers_see_address",
    "alert_to_acknowledge",
    "alerts_of",
    "alerts_that_paused",
    "alerts_visible_to",
    "api_tokens_for_key",
    "api_tokens_for_key_with",
    "assessments_of",
    "care_team_candidates",
    "caseload_alerts",
    "caseload_plans",
    "checkin_get",
    "checkin_items",
    "checkin_items_with_exercises",
    "checkins_listed",
    "checkins_visible_to",
    "clinic_access_log",
    "clinic_access_readers",
    "days_with_a_session",
    "decisions_newest_week_first",
    "exercise_for_figure",
    "exercise_library",
    "exercise_translations",
    "first_assessment_date",
    "has_open_sign_in_link",
    "items_done_between",
    "last_failed_sign_in",
    "latest_assessment",
    "latest_sign_in_link",
    "measurements_of",
    "open_activation_link",
    "other_care_team_candidates",
    "own_plans_for_token",
    "patient_access_log",
    "patient_audit_trail",
    "patient_get",
    "patient_of_login",
    "patient_records",
    "patients_by_name",
    "patients_named",
    "patients_visible_to",
    "patients_with_clinical_access",
    "plan_alerts",
    "plan_checkin_rows",
    "plan_checkins_newest_first",
    "plan_clearances",
    "plan_decisions",
    "plan_for_page",
    "plan_get",
    "plan_history",
    "plan_item_ids",
    "plan_item_of",
    "plan_items_with_exercises",
    "plan_markers",
    "plan_markers_of_row",
    "plan_markers_read",
    "plan_measurements",
    "plan_overrides",
    "plan_template_origin",
    "plan_to_log",
    "plan_to_show",
    "plans_for_api",
    "plans_of",
    "plans_visible_to",
    "push_subscriptions_of",
    "report_plan",
    "running_plan",
    "session_logged_on",
    "session_pain_by_week",
    "sessions_by_day",
    "supervised_sessions_done",
    "template_current_version",
    "template_get",
    "template_versions",
    "templates_visible_to",
]
