"""Run the weekly progression decision now, synchronously (the same service the sweep uses)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rehab.services import progression


class Command(BaseCommand):
    help = "Decide the progression of every ended, undecided plan week (or of one plan)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, help="Treat this day (YYYY-MM-DD) as today.")
        parser.add_argument("--plan", type=int, help="Only this plan.")

    def handle(self, *args, as_of=None, plan=None, **options):
        day = as_of or timezone.localdate()
        plan_ids = [plan] if plan else progression.plans_due(day)
        if plan and not progression.Plan.objects.filter(pk=plan).exists():
            raise CommandError(f"No plan {plan}.")
        total = 0
        for plan_id in plan_ids:
            for decision in progression.plan_progress(plan_id=plan_id, as_of=day):
                total += 1
                self.stdout.write(
                    f"plan {plan_id} week {decision.week}: {decision.action} ({decision.light or 'no data'})"
                )
        self.stdout.write(self.style.SUCCESS(f"{total} decision(s) as of {day}."))
