"""Medical clearance before a plan starts, and the sessions supervised at the clinic after it does.

Which plans need either is rule data (see rehab.clearance); these services record what the care
team did about it. plan_activate asks `require_clearance` before a draft may start.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from planner.progression.said import said
from rehab.clearance import clearance_rules, clearance_state
from rehab.models import CheckIn, CheckInKind, Clearance, Plan, PlanStatus, Role, User
from rehab.rule_words import rule_text
from rehab.services.checkins import checkin_record
from rehab.services.errors import Conflict, InvalidInput, NotAllowed
from rehab.services.plans import _audit, engine_plan

NOTE_MAX_LENGTH = 2000


class ClearanceRequired(Conflict):
    """A draft whose rules ask for medical clearance cannot start without it (HTTP 409).

    rules: the rules that ask, so that the answer can name each one (id and text).
    """

    def __init__(self, rules):
        self.rules = tuple(rules)
        names = "; ".join(f"{rule_text(rule.id, rule.text)} ({rule.id})" for rule in self.rules)
        super().__init__(
            gettext("A clinician must record medical clearance before this plan can start. %(rules)s")
            % {"rules": names}
        )


def require_clearance(plan: Plan) -> None:
    """Raise ClearanceRequired unless every rule asking for clearance has been cleared."""
    state = clearance_state(plan, engine_plan(plan).limits)
    if state.awaited:
        raise ClearanceRequired(state.rules)


@transaction.atomic
def clearance_grant(*, actor: User, plan: Plan, note: str) -> Clearance:
    """A clinician records medical clearance for the plan, with a note; kept in the plan's history.

    A second clearance is kept beside the first (the newest counts). A plan whose rules ask for no
    clearance gets none: a 409 says so rather than storing a clearance that clears nothing.
    """
    if actor.role != Role.CLINICIAN:
        raise NotAllowed(gettext("Only a clinician may record medical clearance; ask the patient's clinician."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            {"note": [gettext("Write what the clearance is based on (for example the review or test).")]}
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput({"note": [gettext("At most %(count)s characters.") % {"count": NOTE_MAX_LENGTH}]})
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status in (PlanStatus.COMPLETED, PlanStatus.ARCHIVED):
        raise Conflict(
            gettext("This plan is %(status)s; a clearance no longer applies to it.")
            % {"status": plan.get_status_display().lower()}
        )
    rules = clearance_rules(engine_plan(plan).limits)
    if not rules:
        raise Conflict(gettext("This plan's rules do not ask for medical clearance; nothing was recorded."))
    clearance = Clearance(plan=plan, granted_by=actor, note=note, rules=[rule.id for rule in rules])
    _audit(clearance, actor, "Medical clearance recorded")
    clearance.save()
    # The plan's own history row is what the plan history and the patient's audit trail show.
    # The version is left alone: a clearance changes no dose, so it must not make an open page stale.
    recorded = said(
        gettext_noop("Medical clearance recorded by %(name)s (%(rules)s): %(note)s"),
        name=actor.display_name,
        rules=", ".join(clearance.rules),
        note=note,
    )
    _audit(plan, actor, recorded)
    plan.save(update_fields=["updated_at"])
    return clearance


@transaction.atomic
def supervised_session_record(
    *, actor: User, plan: Plan, idempotency_key: str, date: date, **session
) -> tuple[CheckIn, bool]:
    """A physiotherapist logs a session they supervised at the clinic, for the patient.

    The check-in itself is stored by checkin_record (validation, one session a day, idempotency,
    red-flag follow-up); this marks it supervised in the same transaction. Returns (check-in,
    created); a retry with the same key returns the first check-in.
    """
    if actor.role != Role.PHYSIOTHERAPIST:
        raise NotAllowed(gettext("Only a physiotherapist records a supervised session."))
    session.pop("kind", None)
    checkin, created = checkin_record(
        actor=actor, plan=plan, idempotency_key=idempotency_key, date=date, kind=CheckInKind.SESSION, **session
    )
    if created:
        CheckIn.objects.filter(pk=checkin.pk).update(supervised_by=actor)
        checkin.supervised_by = actor
    elif checkin.plan_id != plan.pk or checkin.supervised_by_id is None:
        # The key was already used for another check-in (not a retry of this one).
        raise InvalidInput({"Idempotency-Key": [gettext("This key was used for another check-in; send a new one.")]})
    return checkin, created
