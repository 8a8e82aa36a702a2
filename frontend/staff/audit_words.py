"""The patient's audit trail in the reader's words.

rehab.selectors.audit gives each entry as codes (what kind of record, what happened, which field), as
the API returns them. The page says them here: record kinds and actions by name, fields by the labels
the staff forms already give them (one source for a field's name), plan changes by their trigger,
sign-in link endings by the model's label, and care-team changes by who joined or left. A reason the
product wrote is said from its stored template (an alert's, a reassessment's: rehab.stored_words) or,
for a weekly decision, from the plan's decision rows (decision_words); a person's own words as written.
"""

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from frontend.staff.code_words import DOSE_FIELD_WORDS
from frontend.staff.decision_words import decision_reason_words
from frontend.staff.forms import AssessmentForm, PatientForm
from rehab.models import ActivationEnd, AlertKind, ChangeTrigger
from rehab.stored_words import FIXED_REASONS, stored_text

# What kind of record an entry is about (the selector's "object", or a plan entry's "part").
OBJECT_WORDS = {
    "patient": gettext_lazy("patient record"),
    "assessment": gettext_lazy("assessment"),
    "alert": gettext_lazy("alert"),
    "sign-in link": gettext_lazy("sign-in link"),
    "plan": gettext_lazy("plan"),
    "override": gettext_lazy("override"),
    "change": gettext_lazy("dose or limit change"),
    "plan_item": gettext_lazy("exercise"),
}
# What happened, besides a plan change's trigger and an alert's kind (model labels). The page writes
# "<record>: <what happened>", so these are said as nouns where the language needs it ("creación").
ACTION_WORDS = {
    "created": pgettext_lazy("audit trail action", "created"),
    "changed": pgettext_lazy("audit trail action", "changed"),
    "deleted": pgettext_lazy("audit trail action", "deleted"),
    "acknowledged": pgettext_lazy("audit trail action", "acknowledged"),
    "issued": pgettext_lazy("audit trail action", "issued"),
    "ended": pgettext_lazy("audit trail action", "ended"),
    "override": pgettext_lazy("audit trail action", "dose above a limit accepted"),
}
# Who, when it was nobody signed in.
AUTHOR_WORDS = {"system": gettext_lazy("system"), "patient report": gettext_lazy("patient report")}
# Record fields no staff form asks for (the others are named by the form's label).
FIELD_WORDS = {
    "effort_scale": gettext_lazy("Effort scale"),
    "last_reminded_on": gettext_lazy("Last reminded on"),
    "clinic": gettext_lazy("Clinic"),
    "user": gettext_lazy("Sign-in"),
    "phone_entered_by": gettext_lazy("Phone entered by"),
    "email_entered_by": gettext_lazy("Email entered by"),
    "created_by": gettext_lazy("Created by"),
    "created_at": gettext_lazy("Created at"),
    "patient": gettext_lazy("Patient"),
    "assessed_by": gettext_lazy("Assessed by"),
    "padded_pressure_regions": gettext_lazy("Regions padded against pressure"),
}
FORMS = {"patient": PatientForm, "assessment": AssessmentForm}


def readable(entry: dict, names: dict[int, str], decisions: dict[int, dict] | None = None) -> dict:
    """One audit entry in words (a copy: the selector's entry is left as it is). names: staff by id;
    decisions: each plan's decision rows by week, by plan id (for the reasons a weekly decision wrote)."""
    said = dict(entry, object=object_words(entry), action=action_words(entry), reason=reason_words(entry, decisions))
    said["by"] = str(AUTHOR_WORDS.get(entry["by"], entry["by"])) if entry["by"] else entry["by"]
    said["changes"] = [_change_words(change, entry, names) for change in entry.get("changes", [])]
    return said


def reason_words(entry: dict, decisions: dict[int, dict] | None = None) -> str:
    """Why, in the reader's language where the product wrote it; as stored otherwise."""
    reason = entry.get("reason") or ""
    if entry.get("said"):
        return stored_text(reason, entry["said"])
    if reason in FIXED_REASONS:
        return gettext(reason)
    if "plan" in entry and decisions:
        return decision_reason_words(reason, decisions.get(entry["plan"], {}))
    return reason


def object_words(entry: dict) -> str:
    if "plan" in entry:
        part = entry["part"]
        if part == "plan":
            return gettext("plan %(number)s") % {"number": entry["plan"]}
        return gettext("plan %(number)s: %(what)s") % {"number": entry["plan"], "what": OBJECT_WORDS.get(part, part)}
    return str(OBJECT_WORDS.get(entry["object"], entry["object"]))


def action_words(entry: dict) -> str:
    action, kind = entry["action"], entry.get("part") or entry["object"]
    if kind == "alert" and action in AlertKind.values:
        return str(AlertKind(action).label)
    if kind == "change" and action in ChangeTrigger.values:
        return str(ChangeTrigger(action).label)
    if kind == "sign-in link" and action in ActivationEnd.values:
        return str(ACTION_WORDS["ended"])
    return str(ACTION_WORDS.get(action, action))


def _change_words(change: dict, entry: dict, names: dict[int, str]) -> dict:
    if change["field"] == "care_team":
        before = {row["user"] for row in change["old"] or []}
        after = {row["user"] for row in change["new"] or []}
        former = gettext("a former colleague")
        words = [gettext("%(name)s joined") % {"name": names.get(pk, former)} for pk in sorted(after - before)]
        words += [gettext("%(name)s left") % {"name": names.get(pk, former)} for pk in sorted(before - after)]
        return {"field": gettext("care team"), "words": ", ".join(words)}
    if "plan" in entry:  # a plan change: a dose field by name, a limit by its path
        field = change["field"]
        words = DOSE_FIELD_WORDS.get(field) or field.removeprefix("limits.").replace("_", " ")
        return {"field": str(words), "old": value_words(change.get("before")), "new": value_words(change.get("after"))}
    kind, field = entry["object"], change["field"]
    return {
        **change,
        "field": field_words(kind, field),
        "old": value_words(change.get("old"), kind, field),
        "new": value_words(change.get("new"), kind, field),
    }


def value_words(value, kind: str = "", field: str = ""):
    """A recorded value as a person reads it: a choice by its form's label (a language, a sex, an
    activity level), yes or no, a list joined; numbers, dates and free text as recorded (None stays
    None: the page shows a dash)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    labels = _choice_labels(kind, field)
    if isinstance(value, list | tuple):
        return ", ".join(str(value_words(item, kind, field)) for item in value) or gettext("none")
    if labels and str(value) in labels:
        return labels[str(value)]
    return value


def _choice_labels(kind: str, field: str) -> dict[str, str]:
    form = FORMS.get(kind)
    choices = getattr(form.base_fields.get(field), "choices", None) if form is not None else None
    if not choices:
        return {}
    return {str(code): str(label) for code, label in choices if code not in ("", None)}


def field_words(kind: str, field: str) -> str:
    """A record field by the label its staff form gives it, else by the words above, else its name."""
    form = FORMS.get(kind)
    if form is not None and field in form.base_fields and form.base_fields[field].label:
        return str(form.base_fields[field].label)
    return str(FIELD_WORDS.get(field, field.replace("_", " ")))
