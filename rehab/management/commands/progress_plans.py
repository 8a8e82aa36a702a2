"""Run the weekly progression decision now, synchronously, chunk by chunk (the service the sweep tasks use)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rehab.models import Plan
from rehab.services import sweep


class Command(BaseCommand):
    help = "Decide the progression of every ended, undecided plan week (or of one plan)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, help="Treat this day (YYYY-MM-DD) as today.")
        parser.add_argument("--plan", type=int, help="Only this plan.")
        parser.add_argument("--chunk-size", type=int, help="Plans per transaction (default: SWEEP_CHUNK_SIZE).")
        parser.add_argument("--quiet", action="store_true", help="Print only the total, not every decision.")

    def handle(self, *args, as_of=None, plan=None, chunk_size=None, quiet=False, **options):
        day = as_of or timezone.localdate()
        if plan and not Plan.objects.filter(pk=plan).exists():
            raise CommandError(f"No plan {plan}.")
        plan_ids = [plan] if plan else sweep.plans_due(day)
        total = 0
        for chunk in sweep.chunks(plan_ids, chunk_size):
            for decision in sweep.sweep_chunk_or_each(plan_ids=chunk, as_of=day):
                total += 1
                if not quiet:
                    self.stdout.write(
                        f"plan {decision.plan_id} week {decision.week}: "
                        f"{decision.action} ({decision.light or 'no data'})"
                    )
        self.stdout.write(self.style.SUCCESS(f"{total} decision(s) as of {day}."))
