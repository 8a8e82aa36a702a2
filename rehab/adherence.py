"""Sessions planned and done per plan week, for every week that has started (not only decided ones).

The weekly decision stores the sessions it judged (ProgressionDecision.sessions_planned); a week not
decided yet (the current one, or one the sweep has not reached) takes its number from the plan's
schedule by the same rule: a session is a day with exercise, and the busiest exercise sets how many
days that takes. Charts and the report's summary read these rows, so a planned line no longer stops
at the last decided week.
"""

from datetime import date

from rehab.services.plans import engine_plan


def sessions_planned_in(week) -> int:
    """The sessions a planner PlanWeek asks for (the rule rehab.services.progression judges with)."""
    return max((scheduled.dose.frequency_per_week for scheduled in week.doses), default=0)


def weeks_started(start_date: date, weeks: int, today: date) -> int:
    """How many weeks of a plan of `weeks` weeks starting `start_date` have begun by `today`."""
    if today < start_date:
        return 0
    return min((today - start_date).days // 7 + 1, weeks)


def adherence_rows(
    *, plan, decided: dict[int, int], logged: dict[int, int], today: date, engine=None
) -> list[dict[str, int]]:
    """[{"week", "planned", "done"}] for each week that has started or has sessions logged.

    decided: sessions planned by week from the stored decisions; logged: sessions done by week.
    engine: the typed plan (rehab.services.plans.engine_plan), read only when a week is not decided.
    """
    shown = sorted(set(range(1, weeks_started(plan.start_date, plan.weeks, today) + 1)) | set(logged))
    missing = [week for week in shown if week not in decided]
    if missing and engine is None:
        engine = engine_plan(plan)
    planned = dict(decided)
    for week in missing:
        planned[week] = sessions_planned_in(engine.weeks[week - 1]) if week <= len(engine.weeks) else 0
    return [{"week": week, "planned": planned[week], "done": logged.get(week, 0)} for week in shown]
