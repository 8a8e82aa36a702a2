"""A plan's logged sessions as the patient's pages read them: by day, per exercise, newest first.

Check-ins come through checkins_visible_to(user): a patient's own, a care team's patients'. A plan or
check-in handed in was scoped when it was fetched (selectors.running_plan of the login's own record,
selectors.checkin_get).
"""

from datetime import date

from django.db.models import Count, Q, QuerySet

from rehab.models import CheckIn, CheckInItem, CheckInKind, Plan, User
from rehab.selectors.checkins import checkins_visible_to


def _with_item_counts(checkins: QuerySet[CheckIn]) -> QuerySet[CheckIn]:
    """Each check-in with `done_count` (exercises ticked done) and `item_count` (exercises logged)."""
    return checkins.annotate(done_count=Count("items", filter=Q(items__done=True)), item_count=Count("items"))


def sessions_by_day(user: User, plan: Plan, first: date, last: date) -> dict[date, CheckIn]:
    """The plan's sessions logged from `first` to `last`, by day, with their item counts."""
    sessions = checkins_visible_to(user).filter(plan=plan, kind=CheckInKind.SESSION, date__range=(first, last))
    return {checkin.date: checkin for checkin in _with_item_counts(sessions)}


def days_with_a_session(user: User, plan: Plan, first: date, last: date) -> set[date]:
    """The days from `first` to `last` with a session of the plan logged."""
    sessions = checkins_visible_to(user).filter(plan=plan, kind=CheckInKind.SESSION, date__range=(first, last))
    return set(sessions.values_list("date", flat=True))


def session_logged_on(user: User, plan: Plan, day: date) -> CheckIn | None:
    """The session of the plan logged for `day`, if any."""
    return checkins_visible_to(user).filter(plan=plan, kind=CheckInKind.SESSION, date=day).first()


def plan_checkins_newest_first(user: User, plan: Plan) -> QuerySet[CheckIn]:
    """Every check-in of the plan (sessions and symptom reports), newest day first, with item counts."""
    return _with_item_counts(checkins_visible_to(user).filter(plan=plan)).order_by("-date")


def items_done_between(plan: Plan, first: date, last: date) -> dict[int, int]:
    """{plan item id: times ticked done} in the plan's check-ins from `first` to `last`."""
    done = (
        CheckInItem.objects.filter(checkin__plan=plan, checkin__date__range=(first, last), done=True)
        .values_list("plan_item")
        .annotate(n=Count("id"))
    )
    return dict(done)


def checkin_items_with_exercises(checkin: CheckIn) -> list[CheckInItem]:
    """The exercises a check-in logged, done or not, each with its plan item and exercise."""
    return list(checkin.items.select_related("plan_item__exercise"))
